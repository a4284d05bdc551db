// The same custom-field playbook through the Salesforce connector: the reader describes Opportunity and adds the
// fields the rules name (and their field history), the values written equal the embedded sync's, the backtest equals the
// hand computation, and a rule on a field the org lacks is a configuration error — in the summary, and on the
// milestone's Configuration_Error__c when the playbook is the org's own.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { playbookToGateRecords } from '../../server/src/crm/gate-records.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { milestoneBacktest } from '../../shared/src/engine/analytics.ts';
import { OWNED_FIELDS } from '../../shared/src/fields.ts';
import type { Playbook } from '../../shared/src/playbook/schema.ts';
import { normalise } from '../../shared/src/write-back/planner.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { ASOF, qualificationPlaybook, ROWS, writeQualificationOrg } from '../support/qualification-org.ts';
import { adapterFor, tempDir } from './salesforce.support.ts';

const running: SalesforceEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

/** The qualification org imported into an embedded store, and the same records in an emulated org with the custom fields. */
const orgs = async (): Promise<{ store: OrgStore; emu: SalesforceEmulator }> => {
  const dir = tempDir();
  writeQualificationOrg(dir, { withHistory: true });
  const orgFile = join(tempDir(), 'org.sqlite');
  importFolder(dir, orgFile, new Date(ASOF));
  const store = OrgStore.open(orgFile);
  const emu = await startSalesforceEmulator({ bulkProcessingDelayMs: 20 });
  running.push(emu);
  emu.org.addField('Opportunity', { name: 'Sales_Process__c', type: 'string', length: 80 });
  emu.org.addField('Opportunity', { name: 'Budget_Confirmed__c', type: 'boolean', nillable: false, defaultValue: false });
  emu.org.addField('Opportunity', { name: 'Decision_Process_Mapped__c', type: 'string', length: 255 });
  emu.org.trackedOpportunityFields.add('Budget_Confirmed__c');
  const stamp = new Date(Date.now() - 3_600_000).toISOString();
  for (const object of ['Opportunity', 'OpportunityHistory', 'OpportunityFieldHistory'] as const) {
    emu.org.insert(object, store.all(object).map((r) => ({ ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)), ...(object === 'OpportunityFieldHistory' ? {} : { SystemModstamp: stamp }) })));
  }
  return { store, emu };
};

const seedGates = (emu: SalesforceEmulator, playbook: Playbook): Map<string, string> => {
  const { Stage_Gate__c: gates, Gate_Milestone__c: milestones } = playbookToGateRecords(playbook);
  const gateIds = new Map(gates.map((g) => [String(g.Gate_Key__c), emu.org.insert('Stage_Gate__c', g)[0]!]));
  return new Map(milestones.map((m) => [String(m.Milestone_Key__c), emu.org.insert('Gate_Milestone__c', { ...m, Stage_Gate__c: gateIds.get(String(m.Stage_Gate__c)) })[0]!]));
};

describe('custom-field gates through the Salesforce connector', () => {
  it('When the playbook gates on custom fields and Type, then the connector reads them and writes what the embedded sync writes', async () => {
    const { store, emu } = await orgs();
    const embedded = await runSync({ adapter: new EmbeddedAdapter(store), playbook: qualificationPlaybook(), asOf: ASOF });
    const adapter = adapterFor(emu, tempDir());
    const summary = await runSync({ adapter, playbook: qualificationPlaybook(), asOf: ASOF });
    expect(summary.configurationErrors).toEqual([]);
    expect(summary.written?.failures ?? []).toEqual([]);
    // (The emulated org's deals belong to its integration user, who is scored as a rep there: compare the deals.)
    const deals = (p: typeof summary.plan): number => p.records.filter((r) => r.object === 'Opportunity').length;
    expect(deals(summary.plan)).toBe(deals(embedded.plan));
    for (const o of store.all('Opportunity')) {
      const held = emu.org.get('Opportunity', String(o.Id))!;
      for (const field of OWNED_FIELDS.filter((f) => f.object === 'Opportunity')) {
        expect([o.Id, field.name, normalise(field, (held[field.name] ?? null) as never)]).toEqual([o.Id, field.name, normalise(field, o[field.name] ?? null)]);
      }
    }
    const ready = emu.org.get('Opportunity', ROWS.find((r) => !r.closed && r.budget)!.id)!;
    expect([ready.Gate_Milestones_Met__c, ready.Gate_Milestones_Required__c]).toEqual([3, 3]);

    // The backtest over what the connector read: the same hand-counted figures as the import path.
    const reader = adapterFor(emu, tempDir());
    reader.usePlaybook(qualificationPlaybook());
    const read = await reader.read(ASOF);
    const report = milestoneBacktest(read.snapshot, qualificationPlaybook(), ASOF);
    const budget = report.milestones.find((m) => m.key === 'budget_confirmed')!;
    expect([budget.met.won, budget.met.deals, budget.missed.won, budget.missed.deals, budget.lift]).toEqual([16, 20, 4, 20, 4]);
    expect(report.fieldsFromHistory).toEqual(['Budget_Confirmed__c']);
    const type = report.milestones.find((m) => m.key === 'new_business')!;
    expect([type.met.won, type.met.deals, type.missed.won, type.missed.deals]).toEqual([5, 20, 15, 20]);
    store.close();
  }, 60_000);

  it('When a rule names a field the org lacks, then the sync summary names it; on the org playbook it lands on the milestone record', async () => {
    const { store, emu } = await orgs();
    store.close();
    const local = await runSync({ adapter: adapterFor(emu, tempDir()), playbook: qualificationPlaybook({ extraField: 'MEDDICC_Champion__c' }), asOf: ASOF, dryRun: true });
    expect(local.configurationErrors).toEqual([expect.stringMatching(/Opportunity has no field MEDDICC_Champion__c, or the integration user cannot read it/)]);

    const ids = seedGates(emu, qualificationPlaybook({ extraField: 'MEDDICC_Champion__c' }));
    const fromOrg = await runSync({ adapter: adapterFor(emu, tempDir()), playbook: qualificationPlaybook(), asOf: ASOF });
    const champion = ids.get('champion')!;
    expect(fromOrg.configurationErrors).toEqual([`Gate_Milestone__c ${champion}: Rule_Field__c: Opportunity has no field MEDDICC_Champion__c, or the integration user cannot read it`]);
    expect(emu.org.get('Gate_Milestone__c', champion)!.Configuration_Error__c).toBe('Rule_Field__c: Opportunity has no field MEDDICC_Champion__c, or the integration user cannot read it');
    expect(emu.org.all('Gate_Milestone__c').filter((m) => m.Configuration_Error__c !== null)).toHaveLength(1);
  }, 60_000);

  it('When a rule comes to name a field the mirror lacks, then the next sync re-reads the org in full and the field counts', async () => {
    const { store, emu } = await orgs();
    store.close();
    const dir = tempDir();
    const without = qualificationPlaybook();
    without.processes[0]!.stages.find((s) => s.name === 'Qualification')!.gate.milestones = without.processes[0]!.stages.find((s) => s.name === 'Qualification')!.gate.milestones.filter((m) => m.key !== 'decision_mapped');
    await runSync({ adapter: adapterFor(emu, dir), playbook: without, asOf: ASOF });
    const deal = ROWS.find((r) => !r.closed && r.budget)!.id;
    expect(emu.org.get('Opportunity', deal)!.Gate_Milestones_Required__c).toBe(2);
    emu.resetCalls();
    await runSync({ adapter: adapterFor(emu, dir), playbook: qualificationPlaybook(), asOf: ASOF });
    expect(emu.callCounts().describe).toBeGreaterThan(0);
    expect([emu.org.get('Opportunity', deal)!.Gate_Milestones_Met__c, emu.org.get('Opportunity', deal)!.Gate_Milestones_Required__c]).toEqual([3, 3]);
  }, 60_000);
});
