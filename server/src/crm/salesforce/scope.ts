// The records of an incremental recompute: the deals it was asked for, every deal the changes just read touch (a call
// logged on it, a contact role, an attestation, its account edited…), and what those deals hang on. Records the read
// brought back unchanged — the lookback window re-reads the companion's own write-backs — touch nothing.
import { ownedField } from '../../../../shared/src/fields.ts';

type Rec = Record<string, unknown>;
type Changes = Map<string, { upserts: Rec[]; deletedIds: string[] }>;

/** Fields that move on every save, or that only the companion writes: a record differing only there did not change. */
const IGNORED = new Set(['SystemModstamp', 'LastModifiedDate', 'LastModifiedById']);
const OPPORTUNITY_PREFIX = '006';
/** Where a record of each object names its deal. */
const DEAL_FIELD: Record<string, string> = {
  OpportunityHistory: 'OpportunityId', OpportunityFieldHistory: 'OpportunityId', OpportunityContactRole: 'OpportunityId',
  Task: 'WhatId', Event: 'WhatId', Milestone_Attestation__c: 'Opportunity__c',
};
const GATE_OBJECTS = ['Stage_Gate__c', 'Gate_Milestone__c'];

const sameRecord = (object: string, a: Rec, b: Rec | undefined): boolean => {
  if (!b) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (IGNORED.has(k) || ownedField(object, k)) continue;
    if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) return false;
  }
  return true;
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * `records`: the merged mirror by object; `changes`: what this read brought; `previous`: each object's mirror before.
 * Returns the records to compute with. A change to the gate configuration is a new playbook: every deal, unscoped.
 */
export const dealNeighbourhood = (records: Record<string, Rec[]>, changes: Changes, previous: Map<string, Map<string, Rec>>, dealIds: readonly string[]): Record<string, Rec[]> => {
  const deals = new Set(dealIds);
  const changedContacts = new Set<string>();
  const changedAccounts = new Set<string>();
  const changedActivities = new Set<string>();
  for (const [object, change] of changes) {
    const before = previous.get(object) ?? new Map<string, Rec>();
    const touched: Rec[] = [...change.upserts.filter((r) => !sameRecord(object, r, before.get(String(r.Id)))), ...change.deletedIds.flatMap((id): Rec[] => { const r = before.get(id); return r ? [r] : []; })];
    if (touched.length && GATE_OBJECTS.includes(object)) return records;
    for (const r of touched) {
      const id = String(r.Id);
      if (object === 'Opportunity') deals.add(id);
      else if (object === 'Contact') changedContacts.add(id);
      else if (object === 'Account') changedAccounts.add(id);
      else if (object === 'TaskRelation' || object === 'EventRelation') changedActivities.add(String(r.TaskId ?? r.EventId));
      else if (DEAL_FIELD[object]) {
        const deal = str(r[DEAL_FIELD[object]!]);
        if (deal?.startsWith(OPPORTUNITY_PREFIX)) deals.add(deal);
        // A task moved from one deal to another touches both.
        const was = str(before.get(id)?.[DEAL_FIELD[object]!]);
        if (was?.startsWith(OPPORTUNITY_PREFIX)) deals.add(was);
      }
    }
  }
  const of = (object: string): Rec[] => records[object] ?? [];
  for (const o of of('Opportunity')) if (changedAccounts.has(String(o.AccountId))) deals.add(String(o.Id));
  for (const r of of('OpportunityContactRole')) if (changedContacts.has(String(r.ContactId))) deals.add(String(r.OpportunityId));
  for (const object of ['Task', 'Event']) {
    for (const a of of(object)) if ((changedContacts.has(String(a.WhoId)) || changedActivities.has(String(a.Id))) && str(a.WhatId)?.startsWith(OPPORTUNITY_PREFIX)) deals.add(String(a.WhatId));
  }

  const onDeal = (field: string) => (r: Rec): boolean => deals.has(String(r[field]));
  const opportunities = of('Opportunity').filter((o) => deals.has(String(o.Id)));
  const tasks = of('Task').filter(onDeal('WhatId'));
  const events = of('Event').filter(onDeal('WhatId'));
  const activityIds = new Set([...tasks, ...events].map((a) => String(a.Id)));
  const taskRelations = of('TaskRelation').filter((r) => activityIds.has(String(r.TaskId)));
  const eventRelations = of('EventRelation').filter((r) => activityIds.has(String(r.EventId)));
  const roles = of('OpportunityContactRole').filter(onDeal('OpportunityId'));
  const accounts = new Set(opportunities.map((o) => String(o.AccountId)));
  const contacts = new Set([...roles.map((r) => String(r.ContactId)), ...[...tasks, ...events].map((a) => String(a.WhoId)), ...[...taskRelations, ...eventRelations].map((r) => String(r.RelationId))]);
  return {
    ...records,
    Opportunity: opportunities,
    OpportunityHistory: of('OpportunityHistory').filter(onDeal('OpportunityId')),
    OpportunityFieldHistory: of('OpportunityFieldHistory').filter(onDeal('OpportunityId')),
    OpportunityContactRole: roles,
    Task: tasks,
    Event: events,
    TaskRelation: taskRelations,
    EventRelation: eventRelations,
    Milestone_Attestation__c: of('Milestone_Attestation__c').filter(onDeal('Opportunity__c')),
    Account: of('Account').filter((a) => accounts.has(String(a.Id))),
    Contact: of('Contact').filter((c) => contacts.has(String(c.Id)) || accounts.has(String(c.AccountId))),
  };
};
