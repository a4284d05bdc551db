// The embedded demo org as a CRM: reads the SQLite org into the neutral model, writes owned fields back to it.
import { ownedField } from '../../../../shared/src/fields.ts';
import type { WriteBackPlan } from '../../../../shared/src/write-back/planner.ts';
import type { CrmAdapter, OrgRead, WriteResult } from '../port.ts';
import { mapSalesforceRecords, type SalesforceRecords } from '../salesforce-shape.ts';
import { KEY_PREFIX, OBJECT_NAMES } from './objects.ts';
import { makeId } from '../sf-id.ts';
import type { OrgStore } from './store.ts';

export const readEmbeddedRecords = (store: OrgStore, onProgress?: (done: number, total: number) => void): SalesforceRecords => {
  const total = OBJECT_NAMES.reduce((sum, object) => sum + store.count(object), 0);
  let done = 0;
  return Object.fromEntries(
    OBJECT_NAMES.map((object) => {
      const records = store.all(object);
      onProgress?.((done += records.length), total);
      return [object, records];
    }),
  ) as unknown as SalesforceRecords;
};

export class EmbeddedAdapter implements CrmAdapter {
  readonly name = 'embedded';
  readonly store: OrgStore;

  constructor(store: OrgStore) {
    this.store = store;
  }

  async read(readAt: string, onProgress?: (done: number, total: number) => void): Promise<OrgRead> {
    const records = readEmbeddedRecords(this.store, onProgress);
    const mapped = mapSalesforceRecords(records, readAt);
    const counts = Object.fromEntries(OBJECT_NAMES.map((object) => [object, records[object]?.length ?? 0]));
    return { ...mapped, counts, opportunityFields: this.store.fieldsOf('Opportunity').map((f) => f.name) };
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
        } else ok = this.store.update(record.object, record.id, values);
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
