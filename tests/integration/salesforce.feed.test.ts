// The change feed: a "recalculate now" request made in Salesforce (an attestation created on the record page) is
// noticed by a one-call probe and triggers an incremental sync that rewrites that deal — and only that deal.
import { afterEach, describe, expect, it } from 'vitest';
import type { SalesforceAdapter } from '../../server/src/crm/salesforce/adapter.ts';
import { ChangeFeed } from '../../server/src/workers/change-feed.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';

let emu: SalesforceEmulator | undefined;
let feed: ChangeFeed | undefined;
let adapter: SalesforceAdapter | undefined;
afterEach(async () => {
  await feed?.stop();
  await adapter?.close();
  await emu?.stop();
});

const until = async (check: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('change feed', () => {
  it('When a rep attests a milestone in Salesforce, then the probe triggers a sync that rewrites that deal and no other deal', async () => {
    emu = await emulatorWith(demoSlice(2));
    adapter = adapterFor(emu, tempDir());
    const runs: SyncSummary[] = [];
    feed = new ChangeFeed({
      pollMs: 60_000, // no poll during the test: only the probe can trigger
      probeMs: 50,
      probe: () => adapter!.recalculationRequested(),
      sync: async () => void runs.push(await runSync({ adapter: adapter!, playbook: DEFAULT_PLAYBOOK })),
    });
    await feed.runSync(false);
    expect(runs[0]!.written?.failures).toEqual([]);
    feed.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.stats.triggered).toBe(0); // probes with nothing new trigger nothing
    expect(feed.stats.probes).toBeGreaterThan(1);

    // An open deal whose current gate has an attestable milestone it does not meet yet.
    const deal = emu.org.all('Opportunity').find((o) => {
      const checklist = JSON.parse(String(o.Gate_Checklist__c ?? 'null')) as { milestones?: { key: string; status: string; attestable?: boolean }[] } | null;
      return !o.IsClosed && checklist?.milestones?.some((m) => m.attestable && m.status === 'missing');
    })!;
    const before = String(deal.Gate_Checklist__c);
    const milestone = (JSON.parse(before) as { milestones: { key: string; status: string; attestable?: boolean }[] }).milestones.find((m) => m.attestable && m.status === 'missing')!;
    emu.org.insert('Milestone_Attestation__c', { Opportunity__c: deal.Id, Milestone_Key__c: milestone.key, Note__c: 'CFO confirmed the metrics on a call',
      // The emulator's stamps run ahead of the wall clock after bulk seeding (each is ≥ the last + 1 ms): date it now.
      CreatedDate: new Date(Date.now() - 1000).toISOString() });

    await until(() => runs.length === 2);
    expect(feed.stats.triggered).toBe(1);
    // Of the deals, only that one (the rep scores that depend on it may move with it).
    const changedIds = runs[1]!.plan.records.filter((r) => r.object === 'Opportunity').map((r) => r.id);
    expect(changedIds).toEqual([deal.Id]);
    const after = String(emu.org.get('Opportunity', deal.Id)!.Gate_Checklist__c);
    expect(after).not.toBe(before);
    expect(after).toContain('CFO confirmed the metrics on a call');
  }, 60_000);
});
