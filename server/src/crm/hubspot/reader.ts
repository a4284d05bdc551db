// Reading a HubSpot portal into the neutral model. Each SDK call is commented with its HTTP verb and path. Property
// values arrive as strings: they are coerced and validated here, with zod, and nowhere else; a record that breaks the
// model is skipped and counted in the data quality, never thrown on.
// A full read: pipelines, owners and teams, companies, contacts (job titles), deals by CRM search (200 a page; past the
// 10,000-result cap by paging on hs_object_id), their stage / amount / close-date history (batch read, 50 a call with
// history), deal↔contact associations v4 with their labels as roles, deal↔company, and the engagements (calls, meetings,
// emails, notes, tasks) with their associations. A deal-scoped read (incremental recompute) reaches the same records
// from the given deals through batch reads and associations v4.
import { z } from 'zod';
import { newDataQuality, note, type DataQuality } from '../../../../shared/src/data-quality.ts';
import type { Activity, Account, Contact, ContactRole, Opportunity, OrgSnapshot, StageHistoryEntry, User } from '../../../../shared/src/model.ts';
import type { FieldValue } from '../../../../shared/src/fields.ts';
import type { OwnedValues } from '../port.ts';
import type { HubSpotApi } from './api.ts';
import {
  CALL_CONNECTED, CALL_NOT_CONNECTED, COMPANY_READ_PROPERTIES, CONTACT_READ_PROPERTIES, DEAL_HISTORY_PROPERTIES, DEAL_PROPERTIES, DEAL_READ_PROPERTIES,
  ENGAGEMENT_READ_PROPERTIES, ENGAGEMENT_TYPES, type EngagementType,
} from './fields.ts';

export const SEARCH_PAGE = 200;
export const SEARCH_CAP = 10_000;
export const LIST_PAGE = 100;
export const BATCH_MAX = 100;
export const HISTORY_BATCH_MAX = 50;
export const ASSOCIATION_BATCH_MAX = 1000;

// ---- coercion at the boundary ----

// Absent (a property the portal does not have), null (unset) and '' (cleared) all mean no value.
const text = z.string().nullish().transform((v) => (v === undefined || v === null || v.trim() === '' ? null : v));
const numberText = text.transform((v, ctx) => {
  if (v === null) return null;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  ctx.addIssue({ code: 'custom', message: 'not a number' });
  return z.NEVER;
});
const instantText = text.transform((v, ctx) => {
  if (v === null) return null;
  const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not a date-time' });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});
const boolText = text.transform((v) => v === 'true');

const DealProps = z.object({
  dealname: text, dealstage: text.pipe(z.string({ message: 'no dealstage' })), pipeline: text, amount: numberText, closedate: instantText,
  createdate: instantText.pipe(z.string({ message: 'no createdate' })), hs_next_step: text, hubspot_owner_id: text, hs_created_by_user_id: text,
});
const CompanyProps = z.object({ name: text, industry: text, annualrevenue: numberText, numberofemployees: numberText, hubspot_owner_id: text });
const ContactProps = z.object({ firstname: text, lastname: text, email: text, jobtitle: text, associatedcompanyid: text });
const EngagementProps = z.object({
  hs_timestamp: instantText, hs_createdate: instantText, hubspot_owner_id: text,
  hs_call_title: text, hs_call_duration: numberText, hs_call_disposition: text, hs_call_status: text,
  hs_meeting_title: text, hs_meeting_start_time: instantText, hs_meeting_outcome: text,
  hs_email_subject: text, hs_note_body: text, hs_task_subject: text, hs_task_status: text, hs_task_type: text,
});
const HistoryEntry = z.object({ value: text, timestamp: z.union([z.string(), z.date()]).transform((v) => new Date(v).toISOString()) });

export interface HsObject {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, { value: string | null; timestamp: string | Date }[]>;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
  createdAt?: string | Date;
}

// ---- pipelines: each pipeline is a sales process; stage ids map to the playbook's stage names by label ----

export interface StageInfo {
  /** The playbook's stage name (the stage's label, or the configured mapping). */
  name: string;
  pipelineId: string;
  /** The sales process the pipeline stands for. */
  process: string;
  isClosed: boolean;
  isWon: boolean;
  probability: number | null;
}

export interface StageMapping {
  /** Stage id or label → the playbook's stage name (default: the label itself). */
  stages?: Record<string, string>;
  /** Pipeline id or label → the playbook's sales process name (default: the pipeline's label). */
  processes?: Record<string, string>;
}

export const readPipelines = async (api: HubSpotApi, mapping: StageMapping = {}): Promise<Map<string, StageInfo>> => {
  // GET /crm/v3/pipelines/deals
  const pipelines = await api.call('pipelines', (c) => c.crm.pipelines.pipelinesApi.getAll('deals'));
  const stages = new Map<string, StageInfo>();
  for (const p of pipelines.results) {
    if (p.archived) continue;
    const process = mapping.processes?.[p.id] ?? mapping.processes?.[p.label] ?? p.label;
    for (const s of p.stages) {
      const probability = Number(s.metadata?.probability);
      const isClosed = s.metadata?.isClosed === 'true';
      stages.set(s.id, {
        name: mapping.stages?.[s.id] ?? mapping.stages?.[s.label] ?? s.label, pipelineId: p.id, process, isClosed,
        // A closed stage at probability 1 is won (HubSpot requires closed stages at 1 or 0).
        isWon: isClosed && probability >= 1, probability: Number.isFinite(probability) ? Math.round(probability * 100) : null,
      });
    }
  }
  return stages;
};

// ---- owners and teams → users (reps and managers) ----

export interface People {
  users: User[];
  /** HubSpot user id → owner id (hs_created_by_user_id names a user). */
  ownerOfUser: Map<string, string>;
}

export const readPeople = async (api: HubSpotApi): Promise<People> => {
  const owners: { id: string; email?: string; firstName?: string; lastName?: string; userId?: number; userIdIncludingInactive?: number; archived: boolean; createdAt: Date | string }[] = [];
  for (const archived of [false, true]) {
    let after: string | undefined;
    do {
      // GET /crm/v3/owners?limit=500&after=…&archived=…
      const page = await api.call('owners', (c) => c.crm.owners.ownersApi.getPage(undefined, after, 500, archived));
      owners.push(...(page.results as unknown as typeof owners));
      after = page.paging?.next?.after;
    } while (after);
  }
  // GET /settings/v3/users/teams
  const teams = await api.call('owners', (c) => c.settings.users.teamsApi.getAll());
  const ownerOfUser = new Map<string, string>();
  for (const o of owners) {
    const user = o.userIdIncludingInactive ?? o.userId;
    if (user !== undefined) ownerOfUser.set(String(user), o.id);
  }
  // A team's members report to its additional (secondary) member: the manager, as the loader and HubSpot admins set it.
  const managerOfUser = new Map<string, string>();
  const teamOfUser = new Map<string, string>();
  for (const t of teams.results) {
    const manager = t.secondaryUserIds?.[0];
    for (const u of t.userIds ?? []) {
      teamOfUser.set(String(u), t.name);
      if (manager !== undefined && String(manager) !== String(u)) managerOfUser.set(String(u), String(manager));
    }
  }
  const users = owners.map((o): User => {
    const userId = String(o.userIdIncludingInactive ?? o.userId ?? '');
    const manager = managerOfUser.get(userId);
    return {
      id: o.id, name: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || o.id, email: o.email ?? null, title: null,
      managerId: manager ? ownerOfUser.get(manager) ?? null : null, role: null, segment: null, team: teamOfUser.get(userId) ?? null,
      startDate: new Date(o.createdAt).toISOString().slice(0, 10), isActive: !o.archived,
    };
  });
  return { users, ownerOfUser };
};

// ---- paging helpers ----

/** Every record of an object type: GET /crm/v3/objects/{type}?limit=100&after=… (explicit paging.next.after). */
export const listAll = async (api: HubSpotApi, type: string, properties: string[], associations?: string[]): Promise<HsObject[]> => {
  const out: HsObject[] = [];
  let after: string | undefined;
  do {
    // GET /crm/v3/objects/{type}?limit=100&properties=…&associations=…&after=…
    const page = await api.call('list', (c) => c.crm.objects.basicApi.getPage(type, LIST_PAGE, after, properties, undefined, associations, false));
    out.push(...(page.results as unknown as HsObject[]));
    after = page.paging?.next?.after;
  } while (after);
  return out;
};

/** Records by id, 100 a call (50 when history is asked): POST /crm/v3/objects/{type}/batch/read. */
export const batchRead = async (api: HubSpotApi, type: string, ids: readonly string[], properties: string[], history?: string[]): Promise<HsObject[]> => {
  const out: HsObject[] = [];
  const size = history?.length ? HISTORY_BATCH_MAX : BATCH_MAX;
  for (let i = 0; i < ids.length; i += size) {
    const inputs = ids.slice(i, i + size).map((id) => ({ id }));
    // POST /crm/v3/objects/{type}/batch/read (207 with errors for ids that no longer exist)
    const page = await api.call('batchRead', (c) => c.crm.objects.batchApi.read(type, { inputs, properties, propertiesWithHistory: history ?? [] }, false));
    out.push(...(page.results as unknown as HsObject[]));
  }
  return out;
};

/**
 * Every record of a type by CRM search, 200 a page, sorted by hs_object_id: a query stops at 10,000 results, so the
 * next query starts after the last id seen. `since` (ms): only records modified since then (the incremental catch-up).
 */
export const searchAll = async (api: HubSpotApi, type: string, properties: string[], since?: number): Promise<HsObject[]> => {
  const out: HsObject[] = [];
  let lastId = '0';
  for (;;) {
    let after: string | undefined;
    let got = 0;
    do {
      const filters = [{ propertyName: 'hs_object_id', operator: 'GT', value: lastId }, ...(since !== undefined ? [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) }] : [])];
      const request = { filterGroups: [{ filters }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], properties, limit: SEARCH_PAGE, after: after ?? '0' };
      // POST /crm/v3/objects/{type}/search
      const page = await api.call('search', (c) => c.crm.objects.searchApi.doSearch(type, request as never));
      const results = page.results as unknown as HsObject[];
      out.push(...results);
      got += results.length;
      after = page.paging?.next?.after;
      if (after && Number(after) >= SEARCH_CAP) break;
    } while (after);
    if (!after || got === 0) return out;
    lastId = out[out.length - 1]!.id;
  }
};

export const searchDeals = (api: HubSpotApi, properties: string[], since?: number): Promise<HsObject[]> => searchAll(api, 'deals', properties, since);

/** Associations v4, 1,000 inputs a call: from id → [{to id, labels}]; a record with more than 500 targets pages on. */
export const readAssociations = async (api: HubSpotApi, from: string, to: string, ids: readonly string[]): Promise<Map<string, { id: string; labels: string[]; typeIds: number[] }[]>> => {
  const out = new Map<string, { id: string; labels: string[]; typeIds: number[] }[]>();
  let pending: { id: string; after?: string }[] = ids.map((id) => ({ id }));
  while (pending.length) {
    const next: { id: string; after?: string }[] = [];
    for (let i = 0; i < pending.length; i += ASSOCIATION_BATCH_MAX) {
      const inputs = pending.slice(i, i + ASSOCIATION_BATCH_MAX);
      // POST /crm/v4/associations/{from}/{to}/batch/read (207: inputs with no association come back in errors)
      const page = await api.call('associations', (c) => c.crm.associations.v4.batchApi.getPage(from, to, { inputs } as never));
      for (const r of page.results as unknown as { _from: { id: string }; to: { toObjectId: number | string; associationTypes: { typeId: number; label?: string | null }[] }[]; paging?: { next?: { after?: string } } }[]) {
        const list = out.get(r._from.id) ?? [];
        for (const t of r.to) list.push({ id: String(t.toObjectId), labels: t.associationTypes.map((a) => a.label).filter((l): l is string => !!l), typeIds: t.associationTypes.map((a) => a.typeId) });
        out.set(r._from.id, list);
        if (r.paging?.next?.after) next.push({ id: r._from.id, after: r.paging.next.after });
      }
    }
    pending = next;
  }
  return out;
};

// ---- mapping onto the neutral model ----

export interface MappedPortal {
  snapshot: OrgSnapshot;
  owned: OwnedValues;
  dataQuality: DataQuality;
  counts: Record<string, number>;
}

interface RawPortal {
  stages: Map<string, StageInfo>;
  people: People;
  companies: HsObject[];
  contacts: HsObject[];
  deals: HsObject[];
  /** Deals with dealstage / amount / closedate history. */
  history: Map<string, HsObject>;
  dealContacts: Map<string, { id: string; labels: string[] }[]>;
  dealCompanies: Map<string, { id: string; typeIds: number[] }[]>;
  engagements: { type: EngagementType; record: HsObject; deals: string[]; contacts: string[]; companies: string[] }[];
}

const parse = <S extends z.ZodType>(schema: S, value: unknown, dq: DataQuality, object: string): z.infer<S> | null => {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  note(dq, `${object} records skipped: invalid ${parsed.error.issues[0]?.path.join('.') || 'record'}`);
  return null;
};

/** A deal's history rows as Salesforce keeps them: one per change of stage, amount or close date, with all three as they were then. */
const historyRows = (deal: HsObject, stages: Map<string, StageInfo>, dq: DataQuality): StageHistoryEntry[] => {
  const h = deal.propertiesWithHistory ?? {};
  const series = DEAL_HISTORY_PROPERTIES.map((name) => {
    const parsed = z.array(HistoryEntry).safeParse(h[name] ?? []);
    if (!parsed.success) note(dq, `deal ${name} history entries unreadable (ignored)`);
    return (parsed.success ? parsed.data : []).map((e) => ({ ...e, ms: Date.parse(e.timestamp) })).sort((a, b) => a.ms - b.ms);
  });
  const times = [...new Set(series.flatMap((s) => s.map((e) => e.ms)))].sort((a, b) => a - b);
  const at = (s: { value: string | null; ms: number }[], ms: number): string | null => {
    let v: string | null = null;
    for (const e of s) if (e.ms <= ms) v = e.value;
    return v;
  };
  const rows: StageHistoryEntry[] = [];
  for (const ms of times) {
    const stageId = at(series[0]!, ms);
    const stage = stageId ? stages.get(stageId)?.name : undefined;
    if (!stage) continue;
    const amount = at(series[1]!, ms);
    const close = at(series[2]!, ms);
    rows.push({ id: `${deal.id}:${ms}`, opportunityId: deal.id, stage, createdDate: new Date(ms).toISOString(), amount: amount === null || !Number.isFinite(Number(amount)) ? null : Number(amount), closeDate: close ? new Date(/^\d+$/.test(close) ? Number(close) : Date.parse(close)).toISOString().slice(0, 10) : null });
  }
  return rows;
};

export const mapPortal = (raw: RawPortal, readAt: string): MappedPortal => {
  const dq = newDataQuality();
  const readAtMs = Date.parse(readAt);
  const owners = new Set(raw.people.users.map((u) => u.id));
  const ownerId = (v: string | null): string | null => (v && owners.has(v) ? v : null);

  const accounts: Account[] = [];
  for (const c of raw.companies) {
    const p = parse(CompanyProps, c.properties, dq, 'company');
    if (!p) continue;
    accounts.push({ id: c.id, name: p.name ?? '', industry: p.industry, ownerId: ownerId(p.hubspot_owner_id), annualRevenue: p.annualrevenue, employees: p.numberofemployees === null ? null : Math.round(p.numberofemployees), parentId: null });
  }
  const accountIds = new Set(accounts.map((a) => a.id));
  const contacts: Contact[] = [];
  // In id order, as a full listing returns them: the engine's choices among equals (which contact to name) follow it.
  for (const c of [...raw.contacts].sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id))) {
    const p = parse(ContactProps, c.properties, dq, 'contact');
    if (!p) continue;
    if (!p.jobtitle) note(dq, 'contacts without a job title (cannot count as executives)');
    contacts.push({ id: c.id, accountId: p.associatedcompanyid && accountIds.has(p.associatedcompanyid) ? p.associatedcompanyid : null, name: [p.firstname, p.lastname].filter(Boolean).join(' '), title: p.jobtitle, department: null, email: p.email });
  }
  const contactIds = new Set(contacts.map((c) => c.id));

  const opportunities: Opportunity[] = [];
  const stageHistory: StageHistoryEntry[] = [];
  const contactRoles: ContactRole[] = [];
  const owned: OwnedValues = new Map();
  for (const d of raw.deals) {
    const p = parse(DealProps, d.properties, dq, 'deal');
    if (!p) continue;
    const stage = raw.stages.get(p.dealstage);
    if (!stage) {
      note(dq, 'deals in a stage no pipeline has (skipped)');
      continue;
    }
    const companies = raw.dealCompanies.get(d.id) ?? [];
    // The primary company (association type 5) is the deal's account; else the first one.
    const company = companies.find((c) => c.typeIds.includes(5)) ?? companies[0];
    opportunities.push({
      id: d.id, name: p.dealname ?? '', accountId: company && accountIds.has(company.id) ? company.id : null, ownerId: ownerId(p.hubspot_owner_id),
      createdById: p.hs_created_by_user_id ? raw.people.ownerOfUser.get(p.hs_created_by_user_id) ?? null : null,
      stage: stage.name, amount: p.amount, probability: stage.probability, closeDate: p.closedate?.slice(0, 10) ?? null, createdDate: p.createdate,
      nextStep: p.hs_next_step, isClosed: stage.isClosed, isWon: stage.isWon, salesProcess: stage.process, leadSource: null,
    });
    const values: Record<string, FieldValue> = {};
    for (const prop of DEAL_PROPERTIES) values[prop.field.name] = d.properties[prop.name] ?? null;
    owned.set(`Opportunity:${d.id}`, values);
    const withHistory = raw.history.get(d.id);
    if (withHistory) stageHistory.push(...historyRows(withHistory, raw.stages, dq));
    for (const a of raw.dealContacts.get(d.id) ?? []) {
      if (!contactIds.has(a.id)) continue;
      // The association's labels are the contact's roles on the deal (HubSpot's own unlabelled type is no role).
      contactRoles.push({ id: `${d.id}:${a.id}`, opportunityId: d.id, contactId: a.id, role: a.labels[0] ?? null, isPrimary: false, createdDate: null });
    }
  }
  const dealIds = new Set(opportunities.map((o) => o.id));

  const activities: Activity[] = [];
  for (const e of raw.engagements) {
    const p = parse(EngagementProps, e.record.properties, dq, e.type.replace(/s$/, ''));
    if (!p) continue;
    const date = (e.type === 'meetings' ? p.hs_meeting_start_time : null) ?? p.hs_timestamp;
    if (!date) {
      note(dq, `${e.type} without a timestamp`);
      continue;
    }
    const links = { opportunityId: e.deals.find((id) => dealIds.has(id)) ?? null, accountId: e.companies.find((id) => accountIds.has(id)) ?? null, contactIds: [...new Set(e.contacts.filter((id) => contactIds.has(id)))] };
    if (links.contactIds.length === 0) note(dq, 'activities without a known contact');
    const base = { id: e.record.id, date, ownerId: ownerId(p.hubspot_owner_id), createdDate: p.hs_createdate, ...links };
    switch (e.type) {
      case 'calls': {
        const disposition = p.hs_call_disposition;
        activities.push({ ...base, kind: 'call', subject: p.hs_call_title, status: 'done', callDurationSeconds: p.hs_call_duration === null ? null : Math.round(p.hs_call_duration / 1000), callConnected: disposition === CALL_CONNECTED ? true : disposition && CALL_NOT_CONNECTED.has(disposition) ? false : null });
        break;
      }
      case 'meetings':
        // Held once its start has come (a meeting's outcome is often never set).
        activities.push({ ...base, kind: 'meeting', subject: p.hs_meeting_title, status: Date.parse(date) <= readAtMs ? 'done' : 'open' });
        break;
      case 'emails':
        activities.push({ ...base, kind: 'email', subject: p.hs_email_subject, status: 'done' });
        break;
      case 'notes':
        activities.push({ ...base, kind: 'task', subject: p.hs_note_body?.slice(0, 255) ?? null, status: 'done' });
        break;
      case 'tasks': {
        const type = (p.hs_task_type ?? '').toUpperCase();
        // A task is due on a day (the model dates tasks by calendar day): "due today" is still ahead of a midnight asOf.
        activities.push({ ...base, date: date.slice(0, 10), kind: type === 'CALL' ? 'call' : type === 'EMAIL' ? 'email' : 'task', subject: p.hs_task_subject, status: p.hs_task_status === 'COMPLETED' ? 'done' : 'open', callDurationSeconds: null, callConnected: null });
        break;
      }
    }
  }
  const counts: Record<string, number> = {
    owners: raw.people.users.length, companies: raw.companies.length, contacts: raw.contacts.length, deals: raw.deals.length, dealHistory: raw.history.size,
    ...Object.fromEntries(ENGAGEMENT_TYPES.map((t) => [t, raw.engagements.filter((e) => e.type === t).length])),
  };
  return { snapshot: { users: raw.people.users, accounts, contacts, opportunities, stageHistory, contactRoles, activities, attestations: [] }, owned, dataQuality: dq, counts };
};

// ---- the two reads ----

const idsOf = (o: HsObject, type: string): string[] => [...new Set((o.associations?.[type]?.results ?? []).map((r) => String(r.id)))];

/** Everything the engine needs of the portal. */
export const readPortal = async (api: HubSpotApi, mapping: StageMapping, readAt: string, onProgress?: (done: number, total: number) => void): Promise<MappedPortal> => {
  const steps = 6 + ENGAGEMENT_TYPES.length;
  let step = 0;
  const tick = (): void => onProgress?.(++step, steps);
  const stages = await readPipelines(api, mapping);
  const people = await readPeople(api);
  tick();
  const companies = await listAll(api, 'companies', COMPANY_READ_PROPERTIES);
  tick();
  const contacts = await listAll(api, 'contacts', CONTACT_READ_PROPERTIES);
  tick();
  const deals = await searchDeals(api, DEAL_READ_PROPERTIES);
  tick();
  const dealIds = deals.map((d) => d.id);
  const history = new Map((await batchRead(api, 'deals', dealIds, ['hs_object_id'], DEAL_HISTORY_PROPERTIES)).map((d) => [d.id, d]));
  tick();
  const dealContacts = await readAssociations(api, 'deals', 'contacts', dealIds);
  const dealCompanies = await readAssociations(api, 'deals', 'companies', dealIds);
  tick();
  const engagements: RawPortal['engagements'] = [];
  for (const type of ENGAGEMENT_TYPES) {
    for (const record of await listAll(api, type, ENGAGEMENT_READ_PROPERTIES[type], ['deals', 'contacts', 'companies'])) {
      engagements.push({ type, record, deals: idsOf(record, 'deals'), contacts: idsOf(record, 'contacts'), companies: idsOf(record, 'companies') });
    }
    tick();
  }
  return mapPortal({ stages, people, companies, contacts, deals, history, dealContacts, dealCompanies, engagements }, readAt);
};

/** Only the given deals, reached by id: their records, contacts, companies and engagements (incremental recompute). */
export const readDeals = async (api: HubSpotApi, mapping: StageMapping, readAt: string, ids: readonly string[], known?: { stages: Map<string, StageInfo>; people: People }): Promise<MappedPortal> => {
  const stages = known?.stages ?? (await readPipelines(api, mapping));
  const people = known?.people ?? (await readPeople(api));
  // The deals and their history in one read (50 a call with history; a recompute is usually one deal).
  const deals = await batchRead(api, 'deals', ids, DEAL_READ_PROPERTIES, DEAL_HISTORY_PROPERTIES);
  const dealIds = deals.map((d) => d.id);
  const history = new Map(deals.map((d) => [d.id, d]));
  const dealContacts = await readAssociations(api, 'deals', 'contacts', dealIds);
  const dealCompanies = await readAssociations(api, 'deals', 'companies', dealIds);
  const engagements: RawPortal['engagements'] = [];
  const contactIds = new Set([...dealContacts.values()].flatMap((l) => l.map((a) => a.id)));
  const companyIds = new Set([...dealCompanies.values()].flatMap((l) => l.map((a) => a.id)));
  for (const type of ENGAGEMENT_TYPES) {
    const byDeal = await readAssociations(api, 'deals', type, dealIds);
    // Each engagement on the first of these deals that holds it (as the full read does); its company is not needed
    // for a deal's indicators, its contacts are.
    const dealOf = new Map<string, string>();
    for (const [deal, list] of byDeal) for (const a of list) if (!dealOf.has(a.id)) dealOf.set(a.id, deal);
    const engagementIds = [...dealOf.keys()];
    if (!engagementIds.length) continue;
    const records = await batchRead(api, type, engagementIds, ENGAGEMENT_READ_PROPERTIES[type]);
    const toContacts = await readAssociations(api, type, 'contacts', engagementIds);
    for (const record of records) {
      const contacts = (toContacts.get(record.id) ?? []).map((a) => a.id);
      for (const c of contacts) contactIds.add(c);
      engagements.push({ type, record, deals: [dealOf.get(record.id)!], contacts, companies: [] });
    }
  }
  // Everyone at the deals' companies: the next best action names the account's people not yet engaged.
  for (const list of (await readAssociations(api, 'companies', 'contacts', [...companyIds])).values()) for (const a of list) contactIds.add(a.id);
  const contacts = await batchRead(api, 'contacts', [...contactIds], CONTACT_READ_PROPERTIES);
  for (const c of contacts) if (c.properties.associatedcompanyid) companyIds.add(c.properties.associatedcompanyid);
  const companies = await batchRead(api, 'companies', [...companyIds], COMPANY_READ_PROPERTIES);
  return mapPortal({ stages, people, companies, contacts, deals, history, dealContacts, dealCompanies, engagements }, readAt);
};
