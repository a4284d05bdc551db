// Gate configuration from the org: the playbook is read from Stage_Gate__c / Gate_Milestone__c and validated with the
// playbook schema; a bad record is reported on its Configuration_Error__c and in the summary, the rest still applies.
import { afterEach, describe, expect, it } from 'vitest';
import { playbookToGateRecords } from '../../server/src/crm/gate-records.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { Playbook } from '../../shared/src/playbook/schema.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, AS_OF, demoSlice, emulatorWith, ownedState, tempDir } from './salesforce.support.ts';

const running: SalesforceEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

/** Seeds the playbook as gate records; returns milestone Ids by key. */
const seedGates = (emu: SalesforceEmulator, playbook: Playbook): Map<string, string> => {
  const { Stage_Gate__c: gates, Gate_Milestone__c: milestones } = playbookToGateRecords(playbook);
  const gateIds = new Map(gates.map((g) => [String(g.Gate_Key__c), emu.org.insert('Stage_Gate__c', g)[0]!]));
  return new Map(milestones.map((m) => [String(m.Milestone_Key__c), emu.org.insert('Gate_Milestone__c', { ...m, Stage_Gate__c: gateIds.get(String(m.Stage_Gate__c)) })[0]!]));
};

const withoutMilestone = (playbook: Playbook, key: string): Playbook => ({
  ...playbook,
  processes: playbook.processes.map((p) => ({ ...p, stages: p.stages.map((s) => ({ ...s, gate: { milestones: s.gate.milestones.filter((m) => m.key !== key) } })) })),
});

describe('gate configuration from the org', () => {
  it('When one milestone record is invalid, then it is reported on its Configuration_Error__c and in the summary, and the rest of the org playbook applies', async () => {
    const victim = DEFAULT_PLAYBOOK.processes[0]!.stages.flatMap((s) => s.gate.milestones).find((m) => m.rule.kind === 'stakeholders' || m.rule.kind === 'activity')!;
    // What the rest of the playbook gives: a local playbook without that milestone, on an org holding no gate records.
    const plain = await emulatorWith(demoSlice(3));
    running.push(plain);
    await runSync({ adapter: adapterFor(plain, tempDir()), playbook: withoutMilestone(DEFAULT_PLAYBOOK, victim.key), asOf: AS_OF });

    const emu = await emulatorWith(demoSlice(3));
    running.push(emu);
    const ids = seedGates(emu, DEFAULT_PLAYBOOK);
    const bad = ids.get(victim.key)!;
    emu.org.set('Gate_Milestone__c', bad, { Rule_Window_Days__c: -3 });
    // The local playbook is deliberately different: the org's configuration must be the one in force.
    const summary = await runSync({ adapter: adapterFor(emu, tempDir()), playbook: { ...DEFAULT_PLAYBOOK, processes: [] } as unknown as Playbook, asOf: AS_OF });

    expect(summary.configurationErrors).toEqual([expect.stringMatching(new RegExp(`^Gate_Milestone__c ${bad}: rule\\.window: must be > 0`))]);
    expect(emu.org.get('Gate_Milestone__c', bad)!.Configuration_Error__c).toMatch(/^rule\.window: must be > 0/);
    expect(emu.org.all('Gate_Milestone__c').filter((m) => m.Configuration_Error__c !== null)).toHaveLength(1);
    expect(ownedState(emu)).toEqual(ownedState(plain));
  }, 60_000);

  it('When the bad record is fixed, then the next sync clears its Configuration_Error__c and applies the milestone', async () => {
    const emu = await emulatorWith(demoSlice(3));
    running.push(emu);
    const ids = seedGates(emu, DEFAULT_PLAYBOOK);
    const [key, id] = [...ids.entries()][0]!;
    emu.org.set('Gate_Milestone__c', id, { Rule_Kind__c: 'Composite', Rule_JSON__c: '{not json' });
    const dir = tempDir();
    const first = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(first.configurationErrors).toHaveLength(1);
    expect(emu.org.get('Gate_Milestone__c', id)!.Configuration_Error__c).not.toBeNull();
    const fixed = playbookToGateRecords(DEFAULT_PLAYBOOK).Gate_Milestone__c.find((m) => m.Milestone_Key__c === key)!;
    emu.org.set('Gate_Milestone__c', id, { Rule_Kind__c: fixed.Rule_Kind__c, Rule_JSON__c: fixed.Rule_JSON__c });
    emu.resetCalls();
    const second = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(second.configurationErrors).toEqual([]);
    expect(emu.org.get('Gate_Milestone__c', id)!.Configuration_Error__c).toBeNull();
    const third = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(third.plan.records).toHaveLength(0);
  }, 60_000);
});
