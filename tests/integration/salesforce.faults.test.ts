// Every injected fault ends in the state a fault-free run leaves: retries with backoff for 5xx and lock errors,
// per-record failures reported once, REQUEST_LIMIT_EXCEEDED and the budget share stop cleanly and the next run resumes.
import { beforeAll, describe, expect, it } from 'vitest';
import { BudgetStop } from '../../server/src/crm/salesforce/api.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { FaultSpec, SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, AS_OF, demoSlice, emulatorWith, ownedState, tempDir } from './salesforce.support.ts';

const SLICE = 3; // accounts: a few hundred deals and their activities, the same every run
let reference: Map<string, Record<string, unknown>>;
let referenceSummary: SyncSummary;

const sync = (emu: SalesforceEmulator, dir: string, extra: Parameters<typeof adapterFor>[2] = {}): Promise<SyncSummary> =>
  runSync({ adapter: adapterFor(emu, dir, extra), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });

beforeAll(async () => {
  const emu = await emulatorWith(demoSlice(SLICE));
  referenceSummary = await sync(emu, tempDir());
  reference = ownedState(emu);
  await emu.stop();
}, 60_000);

/** ⌈changed / 200⌉ per object written: the collection calls a fault-free run makes. */
const collectionCalls = (): number => {
  const per = new Map<string, number>();
  for (const r of referenceSummary.plan.records) per.set(r.object, (per.get(r.object) ?? 0) + 1);
  return [...per.values()].reduce((s, n) => s + Math.ceil(n / 200), 0);
};

const faultCases: { name: string; faults: FaultSpec[]; bulkThreshold?: number }[] = [
  { name: 'two 503s on the collection update', faults: [{ type: 'http503', times: 2, method: 'PATCH', path: '/composite/sobjects' }] },
  { name: 'a 500 on the first query page', faults: [{ type: 'http500', times: 1, method: 'GET', path: '/query' }] },
  { name: 'UNABLE_TO_LOCK_ROW on the whole collection request, three times', faults: [{ type: 'unableToLockRow', times: 3, path: '/composite/sobjects' }] },
  { name: 'slow responses', faults: [{ type: 'delay', ms: 300, times: 3 }] },
  { name: 'a 503 on the Bulk upload', faults: [{ type: 'http503', times: 1, method: 'PUT', path: '/batches' }], bulkThreshold: 10 },
  { name: 'a 503 on the Bulk job status poll', faults: [{ type: 'http503', times: 2, method: 'GET', path: /\/jobs\/ingest\/[^/]+$/ }], bulkThreshold: 10 },
];

describe('Salesforce write-back under faults', () => {
  it('When nothing fails, then the reference run writes every open deal of the slice and the reps\' scores', () => {
    expect(referenceSummary.plan.records.filter((r) => r.object === 'Opportunity')).toHaveLength(referenceSummary.indicatorsComputed.opportunities);
    expect(referenceSummary.written?.recordsWritten).toBe(referenceSummary.plan.records.length);
    expect(referenceSummary.written?.failures).toEqual([]);
    expect(referenceSummary.written!.recordsWritten).toBeGreaterThan(20);
  });

  for (const c of faultCases) {
    it(`When ${c.name}, then the end state equals the fault-free run`, async () => {
      const emu = await emulatorWith(demoSlice(SLICE));
      for (const f of c.faults) emu.faults.inject(f);
      const summary = await sync(emu, tempDir(), { bulkThreshold: c.bulkThreshold });
      expect(emu.faults.pending()).toBe(0);
      expect(summary.written?.failures).toEqual([]);
      expect(ownedState(emu)).toEqual(reference);
      await emu.stop();
    });
  }

  it('When some records hit UNABLE_TO_LOCK_ROW inside a collection, then only they are retried and the end state equals the fault-free run', async () => {
    const emu = await emulatorWith(demoSlice(SLICE));
    const ids = referenceSummary.plan.records.slice(0, 3).map((r) => r.id);
    emu.faults.inject({ type: 'unableToLockRowRecords', ids, times: 2, path: '/composite/sobjects' });
    const summary = await sync(emu, tempDir());
    const calls = emu.callCounts();
    expect(calls.collections).toBe(collectionCalls() + 2);
    expect(summary.written?.failures).toEqual([]);
    expect(ownedState(emu)).toEqual(reference);
    await emu.stop();
  });

  it('When Bulk rows hit UNABLE_TO_LOCK_ROW, then those rows are retried through a collection and the end state equals the fault-free run', async () => {
    const emu = await emulatorWith(demoSlice(SLICE));
    const ids = referenceSummary.plan.records.slice(0, 2).map((r) => r.id);
    emu.faults.inject({ type: 'unableToLockRowRecords', ids, method: 'PATCH', path: '/jobs/ingest' }); // armed on UploadComplete
    const summary = await sync(emu, tempDir(), { bulkThreshold: 10 });
    expect(emu.calls.filter((c) => c.kind === 'collections').length).toBe(1); // the two locked rows, once
    expect(summary.written?.failures).toEqual([]);
    expect(ownedState(emu)).toEqual(reference);
    await emu.stop();
  });

  it('When a validation rule rejects one record, then it is reported once with its id, not retried, and the rest are written', async () => {
    const emu = await emulatorWith(demoSlice(SLICE));
    const bad = referenceSummary.plan.records[1]!.id;
    emu.faults.inject({ type: 'partialFailure', ids: [bad], times: 5, message: 'Close date must be in the future', path: '/composite/sobjects' });
    const summary = await sync(emu, tempDir());
    expect(summary.written?.failures).toEqual([{ object: 'Opportunity', id: bad, message: 'FIELD_CUSTOM_VALIDATION_EXCEPTION: Close date must be in the future' }]);
    expect(emu.callCounts().collections).toBe(collectionCalls());
    const state = ownedState(emu);
    const key = `Opportunity:${bad}`;
    expect(state.get(key)?.Indicators_As_Of__c).toBeNull();
    state.delete(key);
    const expected = new Map(reference);
    expected.delete(key);
    expect(state).toEqual(expected);
    await emu.stop();
  });

  it('When Salesforce answers REQUEST_LIMIT_EXCEEDED mid-write, then the run stops, keeps its cursors, and the next run resumes to the fault-free state', async () => {
    const emu = await emulatorWith(demoSlice(SLICE));
    const dir = tempDir();
    emu.faults.inject({ type: 'requestLimitExceeded', method: 'PATCH', path: '/composite/sobjects' });
    const adapter = adapterFor(emu, dir);
    await expect(runSync({ adapter, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF })).rejects.toBeInstanceOf(BudgetStop);
    await adapter.stopRun('budget');
    expect((await adapter.store.cursors('salesforce')).size).toBe(0);
    expect(await adapter.store.unfinishedRun('salesforce')).toMatchObject({ asOf: AS_OF, status: 'stopped' });
    await adapter.close();
    // The resumed run is given no asOf: it takes the stopped run's.
    const resumed = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK });
    expect(resumed.asOf).toBe(AS_OF);
    expect(ownedState(emu)).toEqual(reference);
    await emu.stop();
  });

  it('When the next call would pass 80 % of the daily allocation, then the run stops before making it and resumes once there is room', async () => {
    const emu = await emulatorWith(demoSlice(SLICE), { dailyApiLimit: 1000, apiUsage: 795 });
    const dir = tempDir();
    const adapter = adapterFor(emu, dir);
    const error = await runSync({ adapter, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetStop);
    expect((error as BudgetStop).reason).toBe('threshold');
    // Stopped at the share, not at the limit: usage never went past 800 of 1,000.
    expect(emu.apiUsage).toBeLessThanOrEqual(800);
    expect(emu.callCounts().collections).toBe(0);
    await adapter.stopRun('budget');
    await adapter.close();
    emu.apiUsage = 0; // a new day
    const resumed = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK });
    expect(resumed.asOf).toBe(AS_OF);
    expect(ownedState(emu)).toEqual(reference);
    await emu.stop();
  });
});
