// The coaching loop through the Salesforce connector (against the REST emulator): plans, goals and inspections are read
// from the package objects, the measured fields are written back by Id, and the result equals the embedded sync's.
import { afterEach, describe, expect, it } from 'vitest';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { parsePlanDocument } from '../../shared/src/engine/coaching-fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, AS_OF, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';

const running: SalesforceEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

const DAY = 86_400_000;
const daysBefore = (n: number): string => new Date(Date.parse(AS_OF) - n * DAY).toISOString();

describe('coaching objects through the Salesforce connector', () => {
  it('When an org holds a plan, a goal and an inspection, then the sync writes the plan\'s baseline, week and verdict, the goal\'s progress and the deal\'s Last_Inspected__c, and a second sync writes nothing', async () => {
    const org = demoSlice(6);
    const emu = await emulatorWith(org);
    running.push(emu);
    const owners = org.Opportunity.filter((o) => !o.IsClosed).map((o) => String(o.OwnerId));
    const rep = owners[0]!;
    const manager = String(org.User.find((u) => u.Id === rep)!.ManagerId);
    const deal = String(org.Opportunity.find((o) => !o.IsClosed && o.OwnerId === rep)!.Id);
    const [planId] = emu.org.insert('Coaching_Plan__c', { Name: 'More conversations', Rep__c: rep, Manager__c: manager, Signal__c: 'meaningfulConversations', Competency__c: 'discovery', Start_Date__c: daysBefore(14).slice(0, 10), Review_Date__c: daysBefore(-14).slice(0, 10), Status__c: 'Active' });
    const [goalId] = emu.org.insert('Team_Goal__c', { Name: 'Conversations', Manager__c: manager, Signal__c: 'meaningfulConversations', Target_Per_Week__c: 5, Start_Date__c: daysBefore(14).slice(0, 10), End_Date__c: daysBefore(-14).slice(0, 10) });
    emu.org.insert('Deal_Inspection__c', { Opportunity__c: deal, Questions_Asked__c: 'Who signs?', Answer__c: 'The CFO', Inspected_By__c: manager, Inspected_At__c: daysBefore(3) });

    const dir = tempDir();
    await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    const plan = emu.org.get('Coaching_Plan__c', planId!)!;
    const doc = parsePlanDocument(String(plan.Weekly_Values__c))!;
    expect(doc.baseline).toHaveLength(6);
    expect(doc.weeks).toHaveLength(1);
    expect(plan.Verdict__c).toBe('Too_Early');
    expect(plan.Baseline__c).toBe(doc.judgement.baselineMean === null ? null : Math.round(doc.judgement.baselineMean * 100) / 100);
    const goal = emu.org.get('Team_Goal__c', goalId!)!;
    expect(JSON.parse(String(goal.Progress__c)).reps.map((r: { repId: string }) => r.repId)).toContain(rep);
    expect(emu.org.get('Opportunity', deal)!.Last_Inspected__c).toBe(daysBefore(3).slice(0, 10));

    const second = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, dryRun: true });
    expect(second.plan.records.filter((r) => ['Coaching_Plan__c', 'Team_Goal__c'].includes(r.object) || r.changes.some((c) => c.field === 'Last_Inspected__c'))).toEqual([]);
  }, 120_000);
});
