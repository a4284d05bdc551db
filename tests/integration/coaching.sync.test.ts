// The coaching loop through `stagecraft sync` on the embedded org: a plan made from a rep's diagnosis gets its baseline,
// then each week's value and the moved / not moved verdict from syncs as of later weeks; goals get their progress;
// inspected deals get Last_Inspected__c; the rep's quarterly review lists the quarter's plans.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore, type SfRecord } from '../../server/src/crm/embedded/store.ts';
import { recomputeDeals, runSync } from '../../server/src/use-cases/sync.ts';
import { parsePlanDocument } from '../../shared/src/engine/coaching-fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const DAY = 86_400_000;
const PLAN_START = '2026-06-01';
const at = (days: number): string => new Date(Date.parse(`${PLAN_START}T12:00:00.000Z`) + days * DAY).toISOString();
const REPS = ['005000000000101AAA', '005000000000102AAA', '005000000000103AAA'];
const MANAGER = '005000000000100AAA';
const [IMPROVER, STEADY] = REPS as [string, string, string];

/** The fixture org with three reps under one manager, each rep's calls planted week by week. */
const plantedOrg = (): OrgStore => {
  const file = join(tempDir(), 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date(at(0)));
  const store = OrgStore.open(file);
  store.insert('User', [
    { Id: MANAGER, Name: 'Mara Manager', Title: 'Sales Manager', IsActive: true },
    ...REPS.map((Id, i) => ({ Id, Name: `Rep ${i + 1}`, Title: 'Account Executive', ManagerId: MANAGER, IsActive: true })),
  ]);
  const deals = store.all('Opportunity');
  deals.forEach((o, i) => store.update('Opportunity', String(o.Id), { OwnerId: REPS[i % REPS.length]!, CreatedById: REPS[i % REPS.length]!, IsClosed: false, IsWon: false, StageName: 'Needs Analysis', CloseDate: '2026-09-30' }));
  const dealOf = (rep: string): string => String(deals.find((_, i) => REPS[i % REPS.length] === rep)!.Id);
  // Connected five-minute calls: the improver makes 3 a week before the plan and 10 after; the steady rep 5 throughout.
  const tasks: SfRecord[] = [];
  let n = 0;
  const call = (rep: string, day: number): void => {
    tasks.push({ Id: `00T${String(++n).padStart(12, '0')}AAA`, OwnerId: rep, WhatId: dealOf(rep), Subject: 'Call', TaskSubtype: 'Call', CallDisposition: 'Connected', CallDurationInSeconds: 300, Status: 'Completed', IsClosed: true, ActivityDate: at(day).slice(0, 10), CreatedDate: at(day) });
  };
  for (let week = -14; week < 5; week++) {
    for (let c = 0; c < (week < 0 ? 3 : 10); c++) call(IMPROVER, week * 7 + (c % 7));
    for (let c = 0; c < 5; c++) call(STEADY, week * 7 + (c % 7));
  }
  store.insert('Task', tasks);
  const plan = (id: string, rep: string): SfRecord => ({
    Id: id, Name: `Conversations plan ${rep.slice(-4)}`, Rep__c: rep, Manager__c: MANAGER, Diagnosis__c: 'Will', Competency__c: 'discovery', Signal__c: 'meaningfulConversations',
    Actions__c: 'Block two calling hours every morning', Target__c: 40, Start_Date__c: PLAN_START, Review_Date__c: at(28).slice(0, 10), Status__c: 'Active', CreatedDate: at(0),
  });
  store.insert('Coaching_Plan__c', [plan('a0F000000000001AAA', IMPROVER), plan('a0F000000000002AAA', STEADY)]);
  store.insert('Team_Goal__c', [
    { Id: 'a0G000000000001AAA', Name: 'June conversations', Manager__c: MANAGER, Signal__c: 'meaningfulConversations', Target_Per_Week__c: 8, Start_Date__c: PLAN_START, End_Date__c: '2026-06-30', CreatedDate: at(0) },
    { Id: 'a0G000000000002AAA', Name: 'June next steps', Manager__c: MANAGER, Signal__c: 'nextStepsScheduled', Target_Per_Week__c: 80, Start_Date__c: PLAN_START, End_Date__c: '2026-06-30', CreatedDate: at(0) },
  ]);
  store.insert('Deal_Inspection__c', [{ Id: 'a0H000000000001AAA', Opportunity__c: dealOf(IMPROVER), Questions_Asked__c: 'Who signs?\nWhat happens if they do nothing?', Answer__c: 'The CFO; downtime costs them', Inspected_By__c: MANAGER, Inspected_At__c: at(20), CreatedDate: at(20) }]);
  store.insert('Quarterly_Review__c', [{ Id: 'a0E000000000001AAA', Name: 'Rep 1 — 2026-Q2', Review_Key__c: `${IMPROVER}:2026-Q2`, Rep__c: IMPROVER, Quarter__c: '2026-Q2', Status__c: 'Draft', Objectives__c: '[]' }]);
  return store;
};

const syncWeeks = async (store: OrgStore, weeks: number): Promise<void> => {
  for (let k = 1; k <= weeks; k++) await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: at(k * 7) });
};

describe('coaching plans through the sync', () => {
  it('When syncs run as of the four weeks after the plan, then the planted improver has moved and the steady rep has not, with baseline and each week recorded', async () => {
    const store = plantedOrg();
    await syncWeeks(store, 1);
    const first = store.get('Coaching_Plan__c', 'a0F000000000001AAA')!;
    const firstDoc = parsePlanDocument(String(first.Weekly_Values__c))!;
    expect(firstDoc.baseline).toHaveLength(6);
    expect(firstDoc.weeks).toHaveLength(1);
    expect(first.Verdict__c).toBe('Too_Early');
    expect(Number(first.Baseline__c)).toBeGreaterThan(10);
    expect(Number(first.Baseline__c)).toBeLessThan(16);

    for (let k = 2; k <= 4; k++) await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: at(k * 7) });
    const improver = store.get('Coaching_Plan__c', 'a0F000000000001AAA')!;
    const doc = parsePlanDocument(String(improver.Weekly_Values__c))!;
    expect(doc.baseline).toEqual(firstDoc.baseline); // measured once, kept
    expect(doc.weeks.map((w) => w.period)).toEqual(['2026-W24', '2026-W25', '2026-W26', '2026-W27']);
    expect(improver.Verdict__c).toBe('Moved');
    expect(String(improver.Verdict_Detail__c)).toMatch(/^Moved: /);
    expect(Number(improver.Current_Value__c)).toBe(doc.weeks.at(-1)!.value);

    const steady = store.get('Coaching_Plan__c', 'a0F000000000002AAA')!;
    expect(steady.Verdict__c).toBe('Not_Moved');

    // The review of this quarter lists both… only the improver has a review: the plan is under what worked.
    const actuals = JSON.parse(String(store.get('Quarterly_Review__c', 'a0E000000000001AAA')!.Measured_Actuals__c)) as { kind?: string; worked?: boolean; label: string }[];
    expect(actuals.filter((a) => a.kind === 'plan')).toEqual([expect.objectContaining({ kind: 'plan', worked: true, label: 'Conversations plan 1AAA: Meaningful conversations (30 days)' })]);

    // A second sync in the same week changes nothing.
    const again = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: at(28), dryRun: true });
    expect(again.plan.records.filter((r) => r.object === 'Coaching_Plan__c')).toEqual([]);
    store.close();
  });

  it('When a plan is closed, then the sync leaves its outcome and last measurement alone', async () => {
    const store = plantedOrg();
    await syncWeeks(store, 2);
    store.update('Coaching_Plan__c', 'a0F000000000002AAA', { Status__c: 'Closed', Outcome__c: 'Did_Not_Work' });
    const before = store.get('Coaching_Plan__c', 'a0F000000000002AAA')!;
    await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: at(21) });
    expect(store.get('Coaching_Plan__c', 'a0F000000000002AAA')).toEqual(before);
    store.close();
  });
});

describe('goals and inspections through the sync', () => {
  it('When the team has a goal and a deal was inspected, then progress per rep, Last_Inspected__c and the coverage in the breakdown are written', async () => {
    const store = plantedOrg();
    await syncWeeks(store, 3);
    const goal = store.get('Team_Goal__c', 'a0G000000000001AAA')!;
    const progress = JSON.parse(String(goal.Progress__c));
    expect(progress.reps.map((r: { repId: string }) => r.repId).sort()).toEqual([...REPS].sort());
    expect(progress.reps.find((r: { repId: string }) => r.repId === IMPROVER)).toMatchObject({ perWeek: 10, onTarget: true });
    expect(progress.reps.find((r: { repId: string }) => r.repId === STEADY)).toMatchObject({ perWeek: 5, onTarget: false });
    expect(goal.Reps_On_Target__c).toBe(1);
    // A share goal keeps one value per synced week (three syncs, three weeks) and names what it did not count.
    const shares = JSON.parse(String(store.get('Team_Goal__c', 'a0G000000000002AAA')!.Progress__c));
    expect(shares.signal).toBe('nextStepsScheduled');
    for (const r of shares.reps) {
      expect(r.weeks.map((w: { period: string }) => w.period)).toEqual(['2026-W24', '2026-W25', '2026-W26']);
      expect(r.notCounted.pastedNextSteps).toEqual(expect.any(Number));
    }

    const inspected = store.all('Opportunity').find((o) => o.Last_Inspected__c);
    expect(inspected?.Last_Inspected__c).toBe(at(20).slice(0, 10));
    expect(store.all('Opportunity').filter((o) => o.Last_Inspected__c)).toHaveLength(1);

    const card = store.all('Rep_Scorecard__c').find((c) => c.Rep__c === IMPROVER && c.Is_Current__c === true)!;
    const coaching = JSON.parse(String(card.Score_Breakdown__c)).coaching;
    expect(coaching.inspection).toMatchObject({ inspected: 1 });
    expect(coaching.inspection.openDeals).toBeGreaterThan(1);
    expect(coaching.peer).toMatchObject({ repId: IMPROVER, competency: expect.any(String) });
    // The inspected deal is still open: no closed deal was inspected before it closed.
    expect(coaching.inspectionWinRates).toMatchObject({ windowDays: 365, inspected: { closed: 0 }, ratio: null });
    store.close();
  });
});

describe('inspections between full syncs', () => {
  it('When a deal is marked inspected after a full sync, then the incremental recompute of the changed deals writes its Last_Inspected__c', async () => {
    const store = plantedOrg();
    const adapter = new EmbeddedAdapter(store);
    const cursor = (await adapter.changesSince(null)).cursor;
    const full = await runSync({ adapter, playbook: DEFAULT_PLAYBOOK, asOf: at(21) });
    const deal = store.all('Opportunity').find((o) => !o.Last_Inspected__c)!;
    store.insert('Deal_Inspection__c', [{ Id: 'a0H000000000009AAA', Opportunity__c: deal.Id, Questions_Asked__c: 'Who signs?', Answer__c: 'The COO', Inspected_By__c: MANAGER, Inspected_At__c: at(22), CreatedDate: at(22) }]);
    const changes = await adapter.changesSince(cursor);
    expect(changes.dealIds).toContain(deal.Id);
    const summary = await recomputeDeals({ adapter, playbook: DEFAULT_PLAYBOOK, dealIds: changes.dealIds, benchmarks: full.benchmarks, closedDealFacts: { raisedFlags: new Set(full.raisedFlags), winModel: full.winModel }, asOf: at(23) });
    expect(summary.mode).toBe('incremental');
    expect(store.get('Opportunity', String(deal.Id))!.Last_Inspected__c).toBe(at(22).slice(0, 10));
    // The deal inspected before keeps its date: the recompute read its inspections too.
    expect(store.all('Opportunity').filter((o) => o.Last_Inspected__c)).toHaveLength(2);
    store.close();
  });
});
