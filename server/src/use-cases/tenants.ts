// The tenant admin use cases behind `stagecraft tenant …` and the admin API: add a tenant (an org or a portal) with its
// credentials sealed, list tenants with their last run and failure, replace credentials, re-encrypt everything under
// the current key, pause and resume, read a tenant's runs, and ask for a sync now.
import { pushTo } from '../../../shared/src/engine/group.ts';
import type { ScaleOut } from '../composition.ts';
import { AppError } from '../errors.ts';
import { seal, unseal } from '../secrets.ts';
import { validatePlaybook, type PlaybookError } from '../../../shared/src/playbook/schema.ts';
import type { TenantCrm, TenantRunRow } from '../store/tenants.ts';

const TENANT_ID = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export interface TenantInput {
  id: string;
  crm: string;
  name?: string;
  credentials: unknown;
  dailyApiBudget?: number | null;
  syncEverySeconds?: number;
}

export interface TenantView {
  id: string;
  crm: TenantCrm;
  name: string;
  paused: boolean;
  keyId: string;
  dailyApiBudget: number | null;
  syncEverySeconds: number;
  lastRun: TenantRunRow | null;
  lastFailure: TenantRunRow | null;
}

const checkId = (id: string): string => {
  if (!TENANT_ID.test(id)) throw new AppError('bad_input', `tenant id "${id}" must be 1–63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit`);
  return id;
};

const crmOf = (crm: string): TenantCrm => {
  if (crm !== 'salesforce' && crm !== 'hubspot') throw new AppError('bad_input', `--crm ${crm} is not one of salesforce, hubspot`);
  return crm;
};

export const addTenant = async (s: ScaleOut, input: TenantInput): Promise<TenantView> => {
  const id = checkId(input.id);
  const crm = crmOf(input.crm);
  const credentials = s.parseCredentials(crm, input.credentials);
  if (input.dailyApiBudget !== undefined && input.dailyApiBudget !== null && !(Number.isInteger(input.dailyApiBudget) && input.dailyApiBudget > 0)) throw new AppError('bad_input', 'the daily API budget must be a whole number above 0');
  const every = input.syncEverySeconds ?? 300;
  if (!Number.isInteger(every) || every < 60) throw new AppError('bad_input', 'the sync interval must be a whole number of seconds, at least 60');
  // A portal id (HubSpot) routes the CRM's webhook events to this tenant: kept in clear beside the sealed credentials.
  const portalId = (credentials as { portalId?: number | string }).portalId;
  const externalId = portalId === undefined ? null : String(portalId);
  const added = await s.tenants.add({ id, crm, name: input.name ?? id, credentials: seal(s.keys, JSON.stringify(credentials), id), dailyApiBudget: input.dailyApiBudget ?? null, syncEverySeconds: every, externalId });
  if (!added) throw new AppError('conflict', `tenant ${id} already exists${externalId ? `, or portal ${externalId} is another tenant's` : ''} (use \`tenant rotate ${id}\` to replace its credentials)`);
  return (await getTenant(s, id))!;
};

export const getTenant = async (s: ScaleOut, id: string): Promise<TenantView | null> => (await listTenants(s)).find((t) => t.id === id) ?? null;

export const listTenants = async (s: ScaleOut): Promise<TenantView[]> => {
  const [rows, runs] = await Promise.all([s.tenants.list(), s.tenants.lastRuns()]);
  return rows.map((t) => ({
    id: t.id, crm: t.crm, name: t.name, paused: t.paused, keyId: t.credentials.keyId, dailyApiBudget: t.dailyApiBudget, syncEverySeconds: t.syncEverySeconds,
    lastRun: runs.get(t.id)?.last ?? null, lastFailure: runs.get(t.id)?.lastFailure ?? null,
  }));
};

const mustExist = async (s: ScaleOut, id: string) => {
  const t = await s.tenants.get(id);
  if (!t) throw new AppError('not_found', `tenant ${id} not found`);
  return t;
};

/** New credentials for one tenant, sealed under the current key. */
export const replaceCredentials = async (s: ScaleOut, id: string, credentials: unknown): Promise<void> => {
  const t = await mustExist(s, id);
  const parsed = s.parseCredentials(t.crm, credentials);
  await s.tenants.replaceCredentials(id, seal(s.keys, JSON.stringify(parsed), id));
};

/**
 * Re-encrypts every tenant still under an older key with the current one (STAGECRAFT_SECRET_KEY="new,old"). Each row
 * is replaced only if unchanged since it was read, so two rotations at once never lose credentials.
 */
export const rotateKeys = async (s: ScaleOut): Promise<{ rotated: number; current: number }> => {
  let rotated = 0;
  let current = 0;
  const currentId = s.keys[0]!.id;
  for (const t of await s.tenants.list()) {
    if (t.credentials.keyId === currentId) {
      current++;
      continue;
    }
    const clear = unseal(s.keys, t.credentials, t.id);
    if (await s.tenants.replaceCredentials(t.id, seal(s.keys, clear, t.id), t.credentials)) rotated++;
  }
  return { rotated, current };
};

export const setPaused = async (s: ScaleOut, id: string, paused: boolean): Promise<void> => {
  if (!(await s.tenants.setPaused(checkId(id), paused))) throw new AppError('not_found', `tenant ${id} not found`);
};

export const tenantRuns = async (s: ScaleOut, id: string, limit = 20): Promise<TenantRunRow[]> => {
  await mustExist(s, id);
  return s.tenants.runs(id, limit);
};

/** Enqueues a sync of one tenant (or of every unpaused one): false for a tenant that already has one waiting. */
export const requestSync = async (s: ScaleOut, ids: string[] | 'all', options: { mode?: 'full' | 'incremental'; asOf?: string } = {}): Promise<{ tenant: string; queued: boolean }[]> => {
  const targets = ids === 'all' ? (await s.tenants.list()).filter((t) => !t.paused) : await Promise.all(ids.map((id) => mustExist(s, id)));
  const queue = await s.queue();
  const out: { tenant: string; queued: boolean }[] = [];
  for (const t of targets) {
    if (t.paused) throw new AppError('conflict', `tenant ${t.id} is paused (\`tenant resume ${t.id}\` first)`);
    const job = await queue.sendSync({ tenant: t.id, mode: options.mode ?? 'full', reason: 'admin', ...(options.asOf ? { asOf: options.asOf } : {}) });
    out.push({ tenant: t.id, queued: job !== null });
  }
  return out;
};

/**
 * Webhook events from many portals (one HubSpot app serves them all): each stored durably in its tenant's inbox —
 * found by the portal id the event carries — before the delivery is acknowledged, then a drain enqueued per tenant
 * with new events. Events of portals that are no tenant here are dropped (counted), so HubSpot stops redelivering them.
 */
export const acceptPortalEvents = async (s: ScaleOut, source: string, events: readonly { eventId: string; event: unknown }[], receivedAt: Date): Promise<{ added: number; unrouted: number }> => {
  const byPortal = new Map<string, { eventId: string; event: unknown }[]>();
  let unrouted = 0;
  for (const e of events) {
    const portal = (e.event as { portalId?: number | string }).portalId;
    if (portal === undefined) {
      unrouted++;
      continue;
    }
    pushTo(byPortal, String(portal), e);
  }
  let added = 0;
  const touched: string[] = [];
  for (const [portal, list] of byPortal) {
    const tenant = await s.tenants.byExternalId('hubspot', portal);
    if (!tenant) {
      unrouted += list.length;
      continue;
    }
    const n = await s.inbox.add(tenant.id, source, list, receivedAt.toISOString());
    added += n;
    if (n > 0 && !tenant.paused) touched.push(tenant.id);
  }
  if (touched.length) {
    const queue = await s.queue();
    for (const tenant of touched) await queue.sendInbox({ tenant, source });
  }
  return { added, unrouted };
};

/** Sets a tenant's playbook when it validates; otherwise changes nothing and returns every error. */
export const setTenantPlaybook = async (s: ScaleOut, id: string, candidate: unknown): Promise<{ ok: true } | { ok: false; errors: PlaybookError[] }> => {
  await mustExist(s, id);
  const result = validatePlaybook(candidate);
  if (!result.ok) return result;
  await s.state.setPlaybook(id, candidate);
  return { ok: true };
};

/** The playbook in force for a tenant: the one an admin set, or the default (null). */
export const tenantPlaybook = async (s: ScaleOut, id: string): Promise<unknown> => {
  await mustExist(s, id);
  return s.state.playbook(id);
};
