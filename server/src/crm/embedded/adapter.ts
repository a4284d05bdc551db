// The embedded demo org as a CRM: streams the SQLite org into the neutral model, writes owned fields back to it.
import { noteActivityProblems } from '../../../../shared/src/engine/opportunity.ts';
import { ownedField } from '../../../../shared/src/fields.ts';
import type { Activity, OrgSnapshot } from '../../../../shared/src/model.ts';
import type { WriteBackPlan } from '../../../../shared/src/write-back/planner.ts';
import type { ChangeSet, CrmAdapter, OrgRead, ReadScope, StoredReview, StoredScorecard, WriteResult } from '../port.ts';
import { SalesforceShapeMapper } from '../salesforce-shape.ts';
import { KEY_PREFIX, OBJECTS, OBJECT_NAMES, type SfObjectName } from '../sobjects.ts';
import { makeId } from '../sf-id.ts';
import type { OrgStore, SfRecord } from './store.ts';

/** The embedded org keeps the gate configuration as the playbook file, not as records. */
const isStored = (object: string): object is SfObjectName => (OBJECT_NAMES as readonly string[]).includes(object);


export class EmbeddedAdapter implements CrmAdapter {
  readonly name = 'embedded';
  readonly store: OrgStore;

  /** Every column but long text nobody computes from (descriptions): less to read, less to hold. Custom fields stay. */
  private readonly columns: Record<SfObjectName, string[]>;

  constructor(store: OrgStore) {
    this.store = store;
    this.columns = Object.fromEntries(OBJECT_NAMES.map((o) => [o, store.fieldsOf(o).filter((f) => f.name !== 'Description').map((f) => f.name)])) as Record<SfObjectName, string[]>;
  }

  /**
   * One streaming pass over the org, object by object in dependency order. Each row is mapped as it arrives; with a
   * scope, activities the computation does not need are judged for data quality and dropped, not kept.
   */
  async read(readAt: string, onProgress?: (done: number, total: number) => void, scope?: ReadScope): Promise<OrgRead> {
    if (scope?.dealIds) return this.readDeals(readAt, scope.dealIds);
    const total = onProgress ? OBJECT_NAMES.reduce((sum, object) => sum + this.store.count(object), 0) : 0;
    let done = 0;
    const counts: Record<string, number> = {};
    const m = new SalesforceShapeMapper(readAt, { uniqueIds: true });
    const each = <T>(object: SfObjectName, map: (r: SfRecord) => T | null, keep: (t: T) => boolean = () => true): T[] => {
      const out: T[] = [];
      let n = 0;
      for (const row of this.store.iterate(object, { columns: this.columns[object] })) {
        n++;
        const mapped = map(row);
        if (mapped !== null && keep(mapped)) out.push(mapped);
        if (onProgress && ++done % 20_000 === 0) onProgress(done, total);
      }
      counts[object] = n;
      return out;
    };

    const users = each('User', (r) => m.user(r));
    const accounts = each('Account', (r) => m.account(r));
    const contacts = each('Contact', (r) => m.contact(r));
    // Owned values are what the planner diffs against: only open deals are computed, so only theirs are held.
    const opportunities = each('Opportunity', (r) => m.opportunity(r, { captureOwned: !scope || r.IsClosed !== true }));
    const stageHistory = each('OpportunityHistory', (r) => m.history(r));
    const fieldHistory = each('OpportunityFieldHistory', (r) => m.fieldHistory(r));
    const contactRoles = each('OpportunityContactRole', (r) => m.contactRole(r));

    let keepActivity: (a: Activity) => boolean = () => true;
    if (scope) {
      const asOfMs = Date.parse(scope.asOf);
      const sinceMs = Date.parse(scope.activitiesSince);
      const closed = new Set<string>();
      for (const o of opportunities) if (o.isClosed) closed.add(o.id);
      keepActivity = (a) => {
        noteActivityProblems(m.dq, a, closed, asOfMs);
        return (a.opportunityId !== null && a.opportunityId !== undefined && !closed.has(a.opportunityId)) || Date.parse(a.date) >= sinceMs;
      };
    }
    const activities = [...each('Task', (r) => m.task(r), keepActivity), ...each('Event', (r) => m.event(r), keepActivity)];
    const attestations = each('Milestone_Attestation__c', (r) => m.attestation(r));
    const scorecards = each<StoredScorecard>('Rep_Scorecard__c', (r) => m.scorecard(r));
    const reviews = each<StoredReview>('Quarterly_Review__c', (r) => m.review(r));
    const coaching = { plans: each('Coaching_Plan__c', (r) => m.plan(r)), goals: each('Team_Goal__c', (r) => m.goal(r)), inspections: each('Deal_Inspection__c', (r) => m.inspection(r)) };
    onProgress?.(total, total);

    const snapshot: OrgSnapshot = { users, accounts, contacts, opportunities, stageHistory, contactRoles, activities, attestations, ...(fieldHistory.length ? { fieldHistory } : {}) };
    return { snapshot, owned: m.owned, scorecards, reviews, coaching, dataQuality: m.dq, counts, activitiesCounted: scope !== undefined, opportunityFields: this.opportunityFields() };
  }

  /** Every Opportunity field this org has (its import's custom columns too): a rule naming another is a configuration error. */
  private opportunityFields(): string[] {
    return this.store.fieldsOf('Opportunity').map((f) => f.name);
  }

  /**
   * A few deals with everything their indicators read: their history, roles, attestations and activities, the
   * contacts those name and their accounts' contacts (the next best action names an executive to reach), and the users.
   */
  private readDeals(readAt: string, dealIds: readonly string[]): OrgRead {
    const m = new SalesforceShapeMapper(readAt, { uniqueIds: true });
    const counts: Record<string, number> = {};
    const byIds = <T>(object: SfObjectName, column: string, ids: readonly string[], map: (r: SfRecord) => T | null): T[] => {
      const out: T[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        for (const row of this.store.iterate(object, { columns: this.columns[object], where: `"${column}" IN (${chunk.map(() => '?').join(',')})`, params: chunk })) {
          counts[object] = (counts[object] ?? 0) + 1;
          const mapped = map(row);
          if (mapped !== null) out.push(mapped);
        }
      }
      return out;
    };
    const users = [...this.store.iterate('User', { columns: this.columns.User })].map((r) => m.user(r)).filter((u) => u !== null);
    // Raw rows first: which accounts and contacts to read follows from them, and contacts must be mapped before
    // the roles and activities that name them.
    const raw = (object: SfObjectName, column: string): SfRecord[] => byIds(object, column, dealIds, (r) => r);
    const deals = raw('Opportunity', 'Id');
    const accountIds = [...new Set(deals.map((d) => d.AccountId).filter((id): id is string => typeof id === 'string'))];
    const history = raw('OpportunityHistory', 'OpportunityId');
    const fieldHistory = raw('OpportunityFieldHistory', 'OpportunityId');
    const roles = raw('OpportunityContactRole', 'OpportunityId');
    const tasks = raw('Task', 'WhatId');
    const events = raw('Event', 'WhatId');
    const named = new Set<string>();
    for (const r of [...roles]) if (typeof r.ContactId === 'string') named.add(r.ContactId);
    for (const r of [...tasks, ...events]) if (typeof r.WhoId === 'string') named.add(r.WhoId);
    const accounts = byIds('Account', 'Id', accountIds, (r) => m.account(r));
    const contactRows = new Map<string, SfRecord>();
    for (const r of byIds('Contact', 'AccountId', accountIds, (x) => x)) contactRows.set(String(r.Id), r);
    for (const r of byIds('Contact', 'Id', [...named].filter((id) => !contactRows.has(id)), (x) => x)) contactRows.set(String(r.Id), r);
    const contacts = [...contactRows.values()].map((r) => m.contact(r)).filter((c) => c !== null);
    const opportunities = deals.map((r) => m.opportunity(r)).filter((o) => o !== null);
    const snapshot: OrgSnapshot = {
      users,
      accounts,
      contacts,
      opportunities,
      stageHistory: history.map((r) => m.history(r)).filter((h) => h !== null),
      contactRoles: roles.map((r) => m.contactRole(r)).filter((r) => r !== null),
      activities: [...tasks.map((r) => m.task(r)), ...events.map((r) => m.event(r))].filter((a) => a !== null),
      attestations: byIds('Milestone_Attestation__c', 'Opportunity__c', dealIds, (r) => m.attestation(r)),
    };
    const tracked = fieldHistory.map((r) => m.fieldHistory(r)).filter((h) => h !== null);
    if (tracked.length) snapshot.fieldHistory = tracked;
    // The deals' inspections (their Last_Inspected__c); plans and goals wait for the next full sync, as scorecards do.
    const coaching = { plans: [], goals: [], inspections: byIds('Deal_Inspection__c', 'Opportunity__c', dealIds, (r) => m.inspection(r)) };
    return { snapshot, owned: m.owned, scorecards: [], reviews: [], coaching, dataQuality: m.dq, counts, activitiesCounted: true, opportunityFields: this.opportunityFields() };
  }

  /** The org's change log since `cursor` (a sequence number): the deals each change belongs to, directly or through a contact or account. */
  async changesSince(cursor: string | null): Promise<ChangeSet> {
    const last = this.store.lastChange();
    if (cursor === null) return { dealIds: [], changed: {}, cursor: String(last) };
    // A cursor handed back was committed by the sync that read up to it: what lies behind it is consumed.
    this.store.pruneChanges(Number(cursor));
    const changes = this.store.changesSince(Number(cursor));
    const changed: Record<string, number> = {};
    const deals = new Set<string>();
    const contacts: string[] = [];
    const accounts: string[] = [];
    for (const c of changes) {
      changed[c.object] = (changed[c.object] ?? 0) + 1;
      if (c.dealId) deals.add(c.dealId);
      else if (c.object === 'Contact') contacts.push(c.recordId);
      else if (c.object === 'Account') accounts.push(c.recordId);
    }
    for (const id of this.store.openDealsOf(contacts, accounts)) deals.add(id);
    return { dealIds: [...deals], changed, cursor: String(changes.reduce((max, c) => Math.max(max, c.seq), Number(cursor))) };
  }

  async write(plan: WriteBackPlan): Promise<WriteResult> {
    const failures: WriteResult['failures'] = [];
    let recordsWritten = 0;
    let fieldsWritten = 0;
    let created = this.store.count('Rep_Scorecard__c');
    // One transaction: the embedded org sees the whole plan or none of it.
    this.store.transaction(() => {
      for (const record of plan.records) {
        const values = Object.fromEntries(
          record.changes.map((c) => {
            // The planner already refuses foreign fields; the adapter checks again because it is the last line.
            if (!ownedField(record.object, c.field)) throw new Error(`refusing to write ${record.object}.${c.field}`);
            return [c.field, c.to];
          }),
        );
        let ok: boolean;
        if (record.object === 'Rep_Scorecard__c') {
          // Upsert by Scorecard_Key__c: one record per rep per period, however often the sync runs.
          const existing = this.store.findBy('Rep_Scorecard__c', 'Scorecard_Key__c', record.id);
          if (existing) ok = this.store.update('Rep_Scorecard__c', String(existing.Id), values);
          else ok = this.store.insert('Rep_Scorecard__c', [{ ...values, Id: makeId(KEY_PREFIX.Rep_Scorecard__c, ++created), Scorecard_Key__c: record.id }]) === 1;
        } else ok = isStored(record.object) && this.store.update(record.object, record.id, values);
        if (ok) {
          recordsWritten++;
          fieldsWritten += record.changes.length;
        } else failures.push({ object: record.object, id: record.id, message: 'record not found' });
      }
    });
    return { recordsWritten, fieldsWritten, failures, apiCalls: 0 };
  }

  async close(): Promise<void> {
    this.store.close();
  }
}
