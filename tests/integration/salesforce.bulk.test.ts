// Large write-backs go through Bulk API 2.0: 100,000 changed deals in a handful of calls, every row accounted for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteBackPlan } from '../../shared/src/write-back/planner.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { buildOpportunity } from '../emulators/salesforce/helpers.ts';
import { adapterFor, tempDir } from './salesforce.support.ts';

const N = 100_000;
let emu: SalesforceEmulator;
let ids: string[];

beforeAll(async () => {
  emu = await startSalesforceEmulator({ bulkProcessingDelayMs: 20 });
  ids = emu.org.insert('Opportunity', Array.from({ length: N }, (_, i) => buildOpportunity(i)));
}, 60_000);

afterAll(async () => {
  await emu?.stop();
});

const planFor = (records: string[], value: (i: number) => number): WriteBackPlan => ({
  records: records.map((id, i) => ({
    object: 'Opportunity',
    id,
    changes: [
      { field: 'Stakeholders_Engaged__c', from: null, to: value(i) },
      { field: 'Gate_Status__c', from: null, to: i % 2 ? 'In_Progress' : 'At_Risk' },
      { field: 'Deal_Risk_Flags__c', from: null, to: i % 3 ? 'Single_Threaded;No_Executive' : null },
      { field: 'Next_Best_Action__c', from: null, to: i % 5 ? 'Book a meeting with "the CFO", then send the proposal' : null },
    ],
  })),
  recordsCompared: records.length,
  fieldsChanged: records.length * 4,
});

describe('Bulk API 2.0 write-back', () => {
  it('When 100,000 records change, then Bulk API 2.0 writes them all in at most 10 API calls', async () => {
    const adapter = adapterFor(emu, tempDir());
    emu.resetCalls();
    const result = await adapter.write(planFor(ids, (i) => i % 7));
    const calls = emu.callCounts();
    expect(result.failures).toEqual([]);
    expect(result.recordsWritten).toBe(N);
    expect(result.fieldsWritten).toBe(4 * N);
    expect(calls.collections).toBe(0);
    expect(calls.bulk).toBeLessThanOrEqual(10);
    expect(result.apiCalls).toBe(calls.total);
    expect(emu.org.get('Opportunity', ids[N - 1]!)).toMatchObject({ Stakeholders_Engaged__c: (N - 1) % 7, Gate_Status__c: 'In_Progress', Deal_Risk_Flags__c: null });
    expect(emu.org.get('Opportunity', ids[1]!)).toMatchObject({ Deal_Risk_Flags__c: 'Single_Threaded;No_Executive', Next_Best_Action__c: 'Book a meeting with "the CFO", then send the proposal' });
    await adapter.close();
  }, 90_000);

  it('When 2,000 records change (the threshold), then sObject Collections write them in ⌈2,000 / 200⌉ = 10 calls', async () => {
    const adapter = adapterFor(emu, tempDir());
    emu.resetCalls();
    const result = await adapter.write(planFor(ids.slice(0, 2000), (i) => 100 + i));
    expect(result.recordsWritten).toBe(2000);
    expect(emu.callCounts()).toMatchObject({ collections: 10, bulk: 0 });
    await adapter.close();
  }, 30_000);
});
