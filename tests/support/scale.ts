// Shared by the scale-out suites: the `stagecraft` command as a child process (tenant admin, workers), waiting on the
// tenants' run history, and the single-process reference a scale-out result must equal.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { OBJECT_NAMES } from '../../server/src/crm/sobjects.ts';
import type { DemoOrg } from '../../server/src/crm/embedded/demo/generate.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { BACKFILL_WEEKS } from '../../server/src/use-cases/companion-sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, emulatorWith, ownedState, tempDir } from '../integration/salesforce.support.ts';
import { hubspotAdapter, portalWith, type Portal } from '../integration/hubspot.support.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'stagecraft.js');

export const cli = (args: string[], env: NodeJS.ProcessEnv, input?: string): { status: number; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', input, timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export const startWorkerProcess = (env: NodeJS.ProcessEnv, args: string[] = []): WorkerProcess => {
  const child = spawn(process.execPath, [BIN, 'worker', '--no-schedule', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
};

/** Polls until `check` holds (no timing assertion: the suite's own timeout bounds it). */
export const until = async (check: () => Promise<boolean> | boolean, everyMs = 250): Promise<void> => {
  while (!(await check())) await new Promise((r) => setTimeout(r, everyMs));
};

/** Tenants with a finished run of the given status, read straight from the database. */
export const tenantsWithRun = async (url: string, status = 'done'): Promise<Set<string>> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ tenant: string }>('SELECT DISTINCT tenant FROM tenant_run WHERE status = $1', [status]);
    return new Set(rows.map((r) => r.tenant));
  } catch {
    return new Set();
  } finally {
    await client.end().catch(() => {});
  }
};

/** What one process, syncing the same org alone with the same as-of, leaves in the CRM: the result to equal. */
export const singleProcessResult = async (org: DemoOrg, asOf: string): Promise<Map<string, Record<string, unknown>>> => {
  const emu = await emulatorWith(org);
  const adapter = adapterFor(emu, tempDir());
  try {
    // As `stagecraft sync` runs it (syncOrg): the default playbook, the first sync's backfilled weekly scorecards.
    await runSync({ adapter, playbook: DEFAULT_PLAYBOOK, asOf, backfillWeeks: BACKFILL_WEEKS });
    return crmState(emu);
  } finally {
    await adapter.close();
    await emu.stop();
  }
};

/** The owned fields on deals and reps, and the scorecards by key: everything a sync writes. */
export const crmState = (emu: SalesforceEmulator): Map<string, Record<string, unknown>> => {
  const state = ownedState(emu);
  for (const card of emu.org.all('Rep_Scorecard__c')) {
    const { Id: _id, CreatedDate: _c, LastModifiedDate: _l, SystemModstamp: _s, CreatedById: _cb, LastModifiedById: _lb, ...values } = card as Record<string, unknown>;
    state.set(`Rep_Scorecard__c:${String(card.Scorecard_Key__c)}`, values);
  }
  return state;
};

export { OBJECT_NAMES };

/** The keys where two CRM states differ, with both values: a readable failure instead of two 300-entry maps. */
export const stateDiff = (actual: Map<string, Record<string, unknown>>, expected: Map<string, Record<string, unknown>>): { key: string; field: string; actual: unknown; expected: unknown }[] => {
  const out: { key: string; field: string; actual: unknown; expected: unknown }[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key) ?? {};
    const e = expected.get(key) ?? {};
    for (const field of new Set([...Object.keys(a), ...Object.keys(e)])) {
      if (JSON.stringify(a[field] ?? null) !== JSON.stringify(e[field] ?? null)) out.push({ key, field, actual: a[field], expected: e[field] });
    }
  }
  return out;
};

/** A portal's deals with their Stagecraft properties, keyed by the deal's id in the org it was loaded from. */
export const portalDeals = (p: Portal): Record<string, string | null>[] =>
  [...p.loaded.deals].map(([id, hsId]) => {
    const props = p.emu.portal.get('deals', hsId)!.properties;
    return { id, ...Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('stagecraft_'))) };
  });

/** What one process syncing a HubSpot portal alone leaves in it, and how many deal records its batch updates carried. */
export const singleProcessPortal = async (org: DemoOrg, asOf: string): Promise<{ deals: Record<string, string | null>[]; dealInputs: number }> => {
  const portal = await portalWith(org);
  const adapter = hubspotAdapter(portal.emu, tempDir());
  try {
    await runSync({ adapter, playbook: DEFAULT_PLAYBOOK, asOf, backfillWeeks: BACKFILL_WEEKS });
    const dealInputs = portal.emu.calls.filter((c) => c.path === '/crm/v3/objects/deals/batch/update' && c.status < 300).reduce((n, c) => n + (c.inputs ?? 0), 0);
    return { deals: portalDeals(portal), dealInputs };
  } finally {
    await adapter.close();
    await portal.emu.stop();
  }
};
