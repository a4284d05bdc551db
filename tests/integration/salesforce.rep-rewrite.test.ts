// The incremental recompute against the Salesforce emulator rescoring the deal's owner: one call logged on one deal →
// that deal, its owner's User scores and this period's Rep_Scorecard__c (and the owner's review) are written, from the
// adapter's mirror and the last full sync's peer figures — and they are what a full sync computes for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceAdapter } from '../../server/src/crm/salesforce/adapter.ts';
import { recomputeDeals, runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import { isoWeek } from '../../shared/src/engine/scorecard-fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, AS_OF, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';

let emu: SalesforceEmulator;
let dir: string;
let first: SyncSummary;
const adapters: SalesforceAdapter[] = [];
const fresh = (at: string): SalesforceAdapter => {
  const a = adapterFor(emu, at);
  adapters.push(a);
  return a;
};

beforeAll(async () => {
  emu = await emulatorWith(demoSlice(3));
  dir = tempDir();
  first = await runSync({ adapter: fresh(dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
  expect(first.written?.failures ?? []).toEqual([]);
  expect(first.repFacts?.figures.raws).toBeDefined();
}, 400_000);

afterAll(async () => {
  for (const a of adapters) await a.close();
  await emu?.stop();
});

describe('the incremental recompute rescores the deal\'s owner (Salesforce)', () => {
  it('When one call is logged on one deal, then only that deal\'s and its owner\'s records are written (the owner\'s scorecard among them), as a full sync computes them', async () => {
    const deal = emu.org.all('Opportunity').find((o) => !o.IsClosed && o.OwnerId)!;
    const owner = String(deal.OwnerId);
    emu.org.insert('Task', { Subject: 'Call', WhatId: deal.Id, OwnerId: owner, ActivityDate: AS_OF.slice(0, 10), Status: 'Completed', TaskSubtype: 'Call', CallDurationInSeconds: 900, CallDisposition: 'Connected', CreatedDate: new Date(Date.parse(AS_OF) - 3_600_000).toISOString() });
    const facts = { raisedFlags: new Set(first.raisedFlags), winModel: first.winModel };
    const adapter = fresh(dir);
    emu.resetCalls();
    const summary = await recomputeDeals({ adapter, playbook: DEFAULT_PLAYBOOK, dealIds: [deal.Id], benchmarks: first.benchmarks, closedDealFacts: facts, repFacts: first.repFacts, asOf: AS_OF });
    await adapter.commitRun();
    expect(summary.written?.failures ?? []).toEqual([]);
    expect(summary.indicatorsComputed).toMatchObject({ opportunities: 1, reps: 1 });
    // The owner's other deals came from the mirror: the read asked the org for changes only (no describe, no full read).
    expect(emu.callCounts().describe).toBe(0);

    const scorecard = `${owner}:${isoWeek(Date.parse(AS_OF)).period}`;
    const reviews = new Set(emu.org.all('Quarterly_Review__c').filter((r) => r.Rep__c === owner).map((r) => String(r.Id)));
    const written = summary.plan.records.map((r) => `${r.object}:${r.id}`);
    expect(written).toContain(`Rep_Scorecard__c:${scorecard}`);
    expect(written.filter((k) => k !== `Opportunity:${deal.Id}` && k !== `User:${owner}` && k !== `Rep_Scorecard__c:${scorecard}` && !reviews.has(k.split(':')[1]!))).toEqual([]);

    // A full sync now (same learned facts) has nothing left to write for the deal or its owner.
    const full = await runSync({ adapter: fresh(tempDir()), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, dryRun: true, closedDealFacts: facts });
    const mine = full.plan.records.filter((r) => r.id === deal.Id || r.id === owner || r.id === scorecard || reviews.has(r.id));
    expect(mine.map((r) => `${r.object}:${r.id}:${r.changes.map((c) => c.field).join(',')}`)).toEqual([]);
  }, 120_000);

  it('When a change moves nothing for the rep, then nothing is written for the rep', async () => {
    const deal = emu.org.all('Opportunity').find((o) => !o.IsClosed && o.OwnerId)!;
    const adapter = fresh(dir);
    const summary = await recomputeDeals({ adapter, playbook: DEFAULT_PLAYBOOK, dealIds: [deal.Id], benchmarks: first.benchmarks, closedDealFacts: { raisedFlags: new Set(first.raisedFlags), winModel: first.winModel }, repFacts: first.repFacts, asOf: AS_OF });
    await adapter.commitRun();
    expect(summary.indicatorsComputed.reps).toBe(1);
    expect(summary.plan.records).toEqual([]);
  }, 60_000);
});
