// Loads a Salesforce-shaped org (the embedded demo org's OrgStore, or any source of its records) into an emulated
// portal with the same business facts, read the way docs/architecture.md §4 "HubSpot readings of the inputs" reads them:
// users → owners (inactive ones archived) and teams from the manager hierarchy; accounts → companies; contacts (jobtitle);
// opportunities → deals (owner, creator) in one pipeline whose stage labels are the Salesforce stage names, stage history → dealstage
// history and the stage calculated properties, amount and close date changes → their property history; contact roles → deal↔contact associations labelled with the role;
// completed call tasks → calls (duration in ms, disposition as HubSpot's outcome ids), completed email tasks → emails,
// other tasks → tasks (COMPLETED / NOT_STARTED, hs_task_type), events → meetings (start, end, outcome by asOf);
// each engagement associated with its deal, contact and company. Every Salesforce id maps to its HubSpot id and back.
import type { SfObjectName } from '../../../server/src/crm/sobjects.ts';
import type { SfRecord } from '../../../server/src/crm/salesforce-shape.ts';
import { STANDARD_STAGES } from '../../../shared/src/playbook/standard-process.ts';
import { defaultTypeId } from './association-types.ts';
import { CALL_OUTCOMES } from './documented-properties.ts';
import type { HistoryEntry, Pipeline } from './portal.ts';
import type { HubSpotEmulator } from './server.ts';

/** Anything that yields an org's records per object: an OrgStore, or `{ all: (o) => records[o] ?? [] }`. */
export interface OrgSource {
  all(object: SfObjectName): SfRecord[];
  /** Streams an object's records (OrgStore has it): the big objects are read a row at a time instead of all at once. */
  iterate?(object: SfObjectName, options?: { columns?: readonly string[] }): Iterable<SfRecord>;
}

export interface LoadedOrg {
  pipelineId: string;
  /** Salesforce stage name → HubSpot stage id. */
  stageIds: Map<string, string>;
  /** Salesforce user id → owner id, and → HubSpot user id (teams list user ids). */
  owners: Map<string, string>;
  users: Map<string, number>;
  /** Manager's Salesforce user id → the team of their direct reports. */
  teams: Map<string, string>;
  companies: Map<string, string>;
  contacts: Map<string, string>;
  deals: Map<string, string>;
  /** Task / Event id → the engagement it became. */
  engagements: Map<string, { objectType: 'calls' | 'emails' | 'tasks' | 'meetings'; id: string }>;
  /** HubSpot record id → Salesforce id (any object). */
  salesforceIds: Map<string, string>;
}

const s = (v: SfRecord[string] | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const bool = (v: SfRecord[string] | undefined): boolean => v === true || v === 'true' || v === 1;
const instant = (v: SfRecord[string] | undefined): string | null => {
  const x = s(v);
  if (!x) return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(x) ? `${x}T00:00:00Z` : x.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** A Salesforce call disposition as one of HubSpot's default call outcomes (null when it names none). */
export const callOutcome = (disposition: string | null): string | null => {
  if (!disposition) return null;
  const d = disposition.toLowerCase();
  if (/no answer|not connected|no connect/.test(d)) return CALL_OUTCOMES.noAnswer;
  if (/voice ?mail/.test(d)) return CALL_OUTCOMES.leftVoicemail;
  if (/busy/.test(d)) return CALL_OUTCOMES.busy;
  if (/wrong number|bad number/.test(d)) return CALL_OUTCOMES.wrongNumber;
  if (/left message|gatekeeper/.test(d)) return CALL_OUTCOMES.leftLiveMessage;
  if (/connect|reached|spoke|talked|conversation|answered|completed|meeting booked/.test(d)) return CALL_OUTCOMES.connected;
  return null;
};

const rowsOf = (org: OrgSource, object: SfObjectName, columns: readonly string[]): Iterable<SfRecord> => (org.iterate ? org.iterate(object, { columns }) : org.all(object));

const kindOfTask = (r: SfRecord): 'call' | 'email' | 'task' => {
  const t = `${s(r.TaskSubtype) ?? ''} ${s(r.Type) ?? ''}`.toLowerCase();
  return t.includes('call') ? 'call' : t.includes('email') ? 'email' : 'task';
};

export const loadOrgIntoPortal = (emu: HubSpotEmulator, org: OrgSource, options: { asOf?: string; pipelineLabel?: string } = {}): LoadedOrg => {
  const portal = emu.portal;
  const asOf = Date.parse(options.asOf ?? new Date().toISOString());
  const loaded: LoadedOrg = { pipelineId: 'default', stageIds: new Map(), owners: new Map(), users: new Map(), teams: new Map(), companies: new Map(), contacts: new Map(), deals: new Map(), engagements: new Map(), salesforceIds: new Map() };
  // A load is history, not live edits: it fires no webhooks.
  const onChange = portal.onChange;
  portal.onChange = undefined;
  try {
    const trusted = { trusted: true, source: 'IMPORT' as const };
    // ---- users → owners, managers → teams ----
    const users = org.all('User');
    for (const u of users) {
      const name = s(u.Name) ?? [s(u.FirstName), s(u.LastName)].filter(Boolean).join(' ');
      const [first, ...rest] = name.split(' ');
      const owner = portal.addOwner({
        email: s(u.Email) ?? `${String(u.Id).toLowerCase()}@example.invalid`, firstName: s(u.FirstName) ?? first ?? '', lastName: s(u.LastName) ?? rest.join(' '),
        archived: u.IsActive !== undefined && u.IsActive !== null && !bool(u.IsActive), createdAt: instant(u.CreatedDate) ?? undefined,
      });
      loaded.owners.set(String(u.Id), owner.id);
      loaded.users.set(String(u.Id), owner.userIdIncludingInactive);
      loaded.salesforceIds.set(owner.id, String(u.Id));
    }
    const byManager = new Map<string, string[]>();
    for (const u of users) if (s(u.ManagerId) && loaded.users.has(String(u.ManagerId))) byManager.set(String(u.ManagerId), [...(byManager.get(String(u.ManagerId)) ?? []), String(u.Id)]);
    for (const [managerId, reports] of byManager) {
      const manager = users.find((u) => String(u.Id) === managerId)!;
      // The reports are the team's members (their primary team); the manager is on it as an additional member.
      const team = portal.addTeam(`${s(manager.Name) ?? managerId} team`, reports.map((r) => loaded.users.get(r)!), [loaded.users.get(managerId)!]);
      loaded.teams.set(managerId, team.id);
    }
    const owner = (v: SfRecord[string] | undefined): Record<string, string> => (s(v) && loaded.owners.has(String(v)) ? { hubspot_owner_id: loaded.owners.get(String(v))! } : {});

    // ---- accounts → companies ----
    for (const a of org.all('Account')) {
      const r = portal.create('companies', {
        name: s(a.Name), industry: s(a.Industry), annualrevenue: s(a.AnnualRevenue), numberofemployees: s(a.NumberOfEmployees), country: s(a.BillingCountry), ...owner(a.OwnerId),
      }, { ...trusted, createdAt: instant(a.CreatedDate) ?? undefined });
      loaded.companies.set(String(a.Id), r.id);
      loaded.salesforceIds.set(r.id, String(a.Id));
    }
    // ---- contacts ----
    for (const c of org.all('Contact')) {
      const company = s(c.AccountId) ? loaded.companies.get(String(c.AccountId)) : undefined;
      const r = portal.create('contacts', {
        firstname: s(c.FirstName), lastname: s(c.LastName) ?? s(c.Name), email: s(c.Email), jobtitle: s(c.Title), ...(company ? { associatedcompanyid: company } : {}),
      }, { ...trusted, createdAt: instant(c.CreatedDate) ?? undefined });
      loaded.contacts.set(String(c.Id), r.id);
      loaded.salesforceIds.set(r.id, String(c.Id));
      if (company) portal.associate('contacts', r.id, 'companies', company, [{ category: 'HUBSPOT_DEFINED', typeId: 279 }, { category: 'HUBSPOT_DEFINED', typeId: 1 }], trusted);
    }

    // ---- one pipeline, stage labels = Salesforce stage names ----
    const opportunities = org.all('Opportunity');
    const history = org.all('OpportunityHistory');
    const seen = new Map<string, { closed: boolean; won: boolean; probability: number[] }>();
    for (const o of opportunities) {
      const name = String(o.StageName);
      const e = seen.get(name) ?? { closed: false, won: false, probability: [] };
      e.closed ||= bool(o.IsClosed);
      e.won ||= bool(o.IsWon);
      if (o.Probability !== null && o.Probability !== undefined && o.Probability !== '') e.probability.push(Number(o.Probability));
      seen.set(name, e);
    }
    for (const h of history) if (!seen.has(String(h.StageName))) seen.set(String(h.StageName), { closed: false, won: false, probability: [] });
    const standard = new Map(STANDARD_STAGES.map((st, i) => [st.name, { ...st, order: i }]));
    const stages = [...seen.entries()].map(([name, e]) => {
      const std = standard.get(name);
      const closed = std?.closed ?? e.closed;
      const won = std?.won ?? e.won;
      const avg = e.probability.length ? e.probability.reduce((x, y) => x + y, 0) / e.probability.length : 0;
      // HubSpot requires closed stages at probability 1 (won) or 0 (lost).
      const probability = closed ? (won ? 1 : 0) : (std?.probability ?? avg) / 100;
      return { name, closed, probability, order: std ? std.order : 100 + (closed ? 50 : 0) + avg };
    }).sort((a, b) => a.order - b.order);
    const processes = new Set(opportunities.map((o) => s(o.Sales_Process__c)).filter((p): p is string => p !== null));
    const at = new Date(Math.min(...opportunities.map((o) => Date.parse(instant(o.CreatedDate) ?? new Date().toISOString())), Date.now())).toISOString();
    const pipeline: Pipeline = {
      // Named after the org's sales process when every deal follows the same one (a pipeline is a sales process).
      id: loaded.pipelineId, label: options.pipelineLabel ?? (processes.size === 1 ? [...processes][0]! : 'Sales Pipeline'), displayOrder: 0, archived: false, createdAt: at, updatedAt: at,
      // Custom pipelines' stage ids are numbers HubSpot assigns, never the labels: a connector must map by label.
      stages: stages.map((st, i) => ({ id: String(1_000_001 + i), label: st.name, displayOrder: i, metadata: { isClosed: String(st.closed), probability: String(Math.round(st.probability * 100) / 100) }, archived: false, createdAt: at, updatedAt: at, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' })),
    };
    portal.setPipelines('deals', [pipeline]);
    for (const st of pipeline.stages) loaded.stageIds.set(st.label, st.id);

    // ---- opportunities → deals, with their stage history ----
    const historyByOpp = new Map<string, SfRecord[]>();
    for (const h of history) {
      const list = historyByOpp.get(String(h.OpportunityId));
      if (list) list.push(h);
      else historyByOpp.set(String(h.OpportunityId), [h]);
    }
    for (const o of opportunities) {
      const created = instant(o.CreatedDate) ?? new Date().toISOString();
      const company = s(o.AccountId) ? loaded.companies.get(String(o.AccountId)) : undefined;
      const stageId = loaded.stageIds.get(String(o.StageName))!;
      const r = portal.create('deals', {
        dealname: s(o.Name), amount: s(o.Amount), closedate: s(o.CloseDate) ? `${String(o.CloseDate).slice(0, 10)}T00:00:00.000Z` : null, pipeline: pipeline.id, dealstage: stageId,
        hs_next_step: s(o.NextStep), description: s(o.Description), ...owner(o.OwnerId),
        // Who created the deal (the engine tells self-generated deals from inherited ones by it): a HubSpot user id.
        ...(s(o.CreatedById) && loaded.users.has(String(o.CreatedById)) ? { hs_created_by_user_id: String(loaded.users.get(String(o.CreatedById))) } : {}),
      }, { ...trusted, createdAt: created });
      loaded.deals.set(String(o.Id), r.id);
      loaded.salesforceIds.set(r.id, String(o.Id));
      if (company) portal.associate('deals', r.id, 'companies', company, [{ category: 'HUBSPOT_DEFINED', typeId: 341 }, { category: 'HUBSPOT_DEFINED', typeId: 5 }], trusted);
      // Stage entries: a history row whose stage differs from the row before it (rows repeat on amount/date changes).
      const rows = (historyByOpp.get(String(o.Id)) ?? []).map((h) => ({ stage: String(h.StageName), at: instant(h.CreatedDate)! })).filter((h) => h.at).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      const entries: { stage: string; at: string }[] = [];
      for (const row of rows) if (entries[entries.length - 1]?.stage !== row.stage) entries.push(row);
      if (!entries.length) entries.push({ stage: String(o.StageName), at: created });
      if (entries[entries.length - 1]!.stage !== String(o.StageName)) entries.push({ stage: String(o.StageName), at: new Date(Date.parse(entries[entries.length - 1]!.at) + 1000).toISOString() });
      for (const key of Object.keys(r.properties)) if (/^hs_(v2_)?date_(entered|exited)_/.test(key)) delete r.properties[key];
      let previous: string | undefined;
      for (const e of entries) {
        portal.applyStage(r, previous, loaded.stageIds.get(e.stage), e.at);
        previous = loaded.stageIds.get(e.stage);
      }
      const entriesHistory: HistoryEntry[] = entries.map((e) => ({ value: loaded.stageIds.get(e.stage)!, timestamp: e.at, sourceType: 'CRM_UI' }));
      portal.setHistory('deals', r.id, 'dealstage', entriesHistory);
      // The same rows carry the amount and close date as they were: each change becomes a history entry of its property.
      const raw = (historyByOpp.get(String(o.Id)) ?? []).filter((h) => instant(h.CreatedDate)).sort((x, y) => Date.parse(instant(x.CreatedDate)!) - Date.parse(instant(y.CreatedDate)!));
      for (const [property, field, wire] of [['amount', 'Amount', (v: string) => String(Number(v))], ['closedate', 'CloseDate', (v: string) => `${v.slice(0, 10)}T00:00:00.000Z`]] as const) {
        const changes: HistoryEntry[] = [];
        for (const h of raw) {
          const v = s(h[field]);
          if (v === null || (field === 'Amount' && !Number.isFinite(Number(v)))) continue;
          const value = wire(v);
          if (changes[0]?.value !== value) changes.unshift({ value, timestamp: instant(h.CreatedDate)!, sourceType: 'CRM_UI' });
        }
        if (!changes.length) continue;
        // HubSpot's newest history entry is always the current value.
        const current = r.properties[property];
        if (current !== undefined && changes[0]!.value !== current) changes.unshift({ value: current, timestamp: new Date(Date.parse(changes[0]!.timestamp) + 1000).toISOString(), sourceType: 'CRM_UI' });
        portal.setHistory('deals', r.id, property, changes);
      }
    }
    // ---- contact roles → labelled deal↔contact associations ----
    for (const role of org.all('OpportunityContactRole')) {
      const deal = loaded.deals.get(String(role.OpportunityId));
      const contact = loaded.contacts.get(String(role.ContactId));
      if (!deal || !contact) continue;
      const types = [{ category: 'HUBSPOT_DEFINED', typeId: 3 }];
      if (s(role.Role)) {
        const label = portal.createLabel('deals', 'contacts', String(role.Role));
        types.push({ category: label.category, typeId: label.typeId });
      }
      portal.associate('deals', deal, 'contacts', contact, types, trusted);
    }

    // ---- activities → engagements ----
    const defaults = new Map<string, number>();
    const defaultType = (from: string, to: string): number => {
      let id = defaults.get(`${from}>${to}`);
      if (id === undefined) defaults.set(`${from}>${to}`, (id = defaultTypeId(portal.associationTypes, from, to)!));
      return id;
    };
    const link = (objectType: string, id: string, r: SfRecord): void => {
      const deal = s(r.WhatId) ? loaded.deals.get(String(r.WhatId)) : undefined;
      const contact = s(r.WhoId) ? loaded.contacts.get(String(r.WhoId)) : undefined;
      const company = s(r.AccountId) ? loaded.companies.get(String(r.AccountId)) : s(r.WhatId) ? loaded.companies.get(String(r.WhatId)) : undefined;
      if (deal) portal.associate(objectType, id, 'deals', deal, [{ category: 'HUBSPOT_DEFINED', typeId: defaultType(objectType, 'deals') }], trusted);
      if (contact) portal.associate(objectType, id, 'contacts', contact, [{ category: 'HUBSPOT_DEFINED', typeId: defaultType(objectType, 'contacts') }], trusted);
      if (company) portal.associate(objectType, id, 'companies', company, [{ category: 'HUBSPOT_DEFINED', typeId: defaultType(objectType, 'companies') }], trusted);
    };
    const keep = (sfId: string, objectType: 'calls' | 'emails' | 'tasks' | 'meetings', id: string): void => {
      loaded.engagements.set(sfId, { objectType, id });
      loaded.salesforceIds.set(id, sfId);
    };
    for (const t of rowsOf(org, 'Task', ['Id', 'Subject', 'WhoId', 'WhatId', 'AccountId', 'OwnerId', 'ActivityDate', 'Status', 'IsClosed', 'TaskSubtype', 'Type', 'CallDurationInSeconds', 'CallDisposition', 'CallType', 'Description', 'CreatedDate'])) {
      const kind = kindOfTask(t);
      const done = bool(t.IsClosed) || s(t.Status)?.toLowerCase() === 'completed';
      const created = instant(t.CreatedDate) ?? undefined;
      // Tasks carry a date only: the engagement's timestamp is that day at midnight UTC.
      const when = instant(t.ActivityDate) ?? created ?? null;
      let objectType: 'calls' | 'emails' | 'tasks';
      let values: Record<string, string | null>;
      if (kind === 'call' && done) {
        objectType = 'calls';
        const seconds = s(t.CallDurationInSeconds);
        values = { hs_timestamp: when, hs_call_title: s(t.Subject), hs_call_body: s(t.Description), hs_call_duration: seconds === null ? null : String(Number(seconds) * 1000), hs_call_disposition: callOutcome(s(t.CallDisposition)), hs_call_status: 'COMPLETED', hs_call_direction: s(t.CallType)?.toLowerCase() === 'inbound' ? 'INBOUND' : 'OUTBOUND' };
      } else if (kind === 'email' && done) {
        objectType = 'emails';
        values = { hs_timestamp: when, hs_email_subject: s(t.Subject), hs_email_text: s(t.Description), hs_email_direction: 'EMAIL', hs_email_status: 'SENT' };
      } else {
        objectType = 'tasks';
        values = { hs_timestamp: when, hs_task_subject: s(t.Subject), hs_task_body: s(t.Description), hs_task_status: done ? 'COMPLETED' : 'NOT_STARTED', hs_task_type: kind === 'call' ? 'CALL' : kind === 'email' ? 'EMAIL' : 'TODO' };
      }
      const r = portal.create(objectType, { ...values, ...owner(t.OwnerId) }, { ...trusted, createdAt: created });
      if (objectType === 'tasks' && done && when) r.properties.hs_task_completion_date = when;
      keep(String(t.Id), objectType, r.id);
      link(objectType, r.id, t);
    }
    for (const e of rowsOf(org, 'Event', ['Id', 'Subject', 'WhoId', 'WhatId', 'AccountId', 'OwnerId', 'ActivityDateTime', 'ActivityDate', 'DurationInMinutes', 'Description', 'CreatedDate'])) {
      const start = instant(e.ActivityDateTime) ?? instant(e.ActivityDate);
      const minutes = Number(s(e.DurationInMinutes) ?? 0);
      const r = portal.create('meetings', {
        hs_timestamp: start, hs_meeting_start_time: start, hs_meeting_end_time: start ? new Date(Date.parse(start) + minutes * 60_000).toISOString() : null,
        hs_meeting_title: s(e.Subject), hs_meeting_body: s(e.Description), hs_meeting_outcome: start && Date.parse(start) <= asOf ? 'COMPLETED' : 'SCHEDULED', ...owner(e.OwnerId),
      }, { ...trusted, createdAt: instant(e.CreatedDate) ?? undefined });
      keep(String(e.Id), 'meetings', r.id);
      link('meetings', r.id, e);
    }
  } finally {
    portal.onChange = onChange;
  }
  return loaded;
};
