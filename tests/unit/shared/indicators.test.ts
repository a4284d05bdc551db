// The first four opportunity indicators, at every boundary ARCHITECTURE.md §4 and the foundation issue define.
import { describe, expect, it } from 'vitest';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { computeDeal, computeOrgIndicators, engineContext } from '../../../shared/src/engine/opportunity.ts';
import { dealRecords } from '../../../shared/src/engine/rules.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import type { Activity, Opportunity, OrgSnapshot } from '../../../shared/src/model.ts';
import { AS_OF, buildActivity, buildContact, buildDeal, buildHistory, buildSnapshot, dateBefore, daysBefore } from '../../support/builders.ts';

const indicatorsOf = (deal: Opportunity, extra: Partial<OrgSnapshot> = {}, asOf = AS_OF) => {
  const snapshot = buildSnapshot({ opportunities: [deal], ...extra });
  const ctx = engineContext(snapshot, DEFAULT_PLAYBOOK, asOf, buildOrgIndex(snapshot));
  return computeDeal(dealRecords(deal, ctx.index), ctx);
};

describe('stakeholders engaged', () => {
  const deal = buildDeal();
  const dana = buildContact({ name: 'Dana Ruiz' });
  const sam = buildContact({ name: 'Sam Chen' });
  const on = (o: Partial<Activity>) => buildActivity({ opportunityId: deal.id, contactIds: [dana.id], ...o });

  it('When a contact was engaged exactly 30 calendar days before asOf, then they count', () => {
    expect(indicatorsOf(deal, { contacts: [dana], activities: [on({ date: dateBefore(30) })] }).stakeholdersEngaged).toBe(1);
  });

  it('When the only engagement was 31 days before asOf, then nobody counts', () => {
    expect(indicatorsOf(deal, { contacts: [dana], activities: [on({ date: dateBefore(31) })] }).stakeholdersEngaged).toBe(0);
  });

  it('When a meeting is 30 days back at 00:00 and asOf is late in the day, then calendar days decide and it counts', () => {
    const meeting = on({ kind: 'meeting', date: daysBefore(30, '00:00:00.000') });
    expect(indicatorsOf(deal, { contacts: [dana], activities: [meeting] }).stakeholdersEngaged).toBe(1);
  });

  it('When an activity is dated after asOf, then it does not count', () => {
    expect(indicatorsOf(deal, { contacts: [dana], activities: [on({ date: dateBefore(-1) })] }).stakeholdersEngaged).toBe(0);
  });

  it('When an activity is on asOf day itself, then it counts', () => {
    expect(indicatorsOf(deal, { contacts: [dana], activities: [on({ date: dateBefore(0) })] }).stakeholdersEngaged).toBe(1);
  });

  it('When the same contact is on several activities, then they are counted once', () => {
    const activities = [on({ date: dateBefore(1) }), on({ date: dateBefore(5), kind: 'email' }), on({ date: dateBefore(9), contactIds: [dana.id, sam.id] })];
    expect(indicatorsOf(deal, { contacts: [dana, sam], activities }).stakeholdersEngaged).toBe(2);
  });

  it('When a task on the deal is still open, then it is a plan, not engagement', () => {
    expect(indicatorsOf(deal, { contacts: [dana], activities: [on({ kind: 'task', status: 'open', date: dateBefore(2) })] }).stakeholdersEngaged).toBe(0);
  });

  it('When an activity belongs to another deal, then it does not count on this one', () => {
    const other = buildDeal();
    const elsewhere = buildActivity({ opportunityId: other.id, contactIds: [dana.id] });
    expect(indicatorsOf(deal, { opportunities: [deal, other], contacts: [dana], activities: [elsewhere] }).stakeholdersEngaged).toBe(0);
  });

  it('When an activity has no contacts, then it adds nobody', () => {
    expect(indicatorsOf(deal, { activities: [on({ contactIds: [] })] }).stakeholdersEngaged).toBe(0);
  });
});

describe('executive engaged', () => {
  const deal = buildDeal();
  const vp = buildContact({ title: 'VP Finance' });
  const assistant = buildContact({ title: 'Executive Assistant to the CEO' });

  it('When a director-level contact was engaged in the window, then the deal has executive access', () => {
    const activities = [buildActivity({ opportunityId: deal.id, contactIds: [vp.id], date: dateBefore(30) })];
    expect(indicatorsOf(deal, { contacts: [vp], activities }).executiveEngaged).toBe(true);
  });

  it('When the executive was last engaged 31 days ago, then the deal has no executive access', () => {
    const activities = [buildActivity({ opportunityId: deal.id, contactIds: [vp.id], date: dateBefore(31) })];
    expect(indicatorsOf(deal, { contacts: [vp], activities }).executiveEngaged).toBe(false);
  });

  it('When only an executive assistant was engaged, then the deal has no executive access', () => {
    const activities = [buildActivity({ opportunityId: deal.id, contactIds: [assistant.id] })];
    expect(indicatorsOf(deal, { contacts: [assistant], activities }).executiveEngaged).toBe(false);
  });
});

describe('days in stage', () => {
  it('When the deal has no stage history, then days count from CreatedDate', () => {
    const deal = buildDeal({ createdDate: daysBefore(12) });
    expect(indicatorsOf(deal).daysInStage).toBe(12);
  });

  it('When history repeats the stage (amount or close date changed), then days count from the first row of the run', () => {
    const deal = buildDeal({ stage: 'Needs Analysis' });
    const stageHistory = [
      buildHistory(deal.id, 'Qualification', daysBefore(40)),
      buildHistory(deal.id, 'Needs Analysis', daysBefore(20)),
      buildHistory(deal.id, 'Needs Analysis', daysBefore(5)),
    ];
    expect(indicatorsOf(deal, { stageHistory }).daysInStage).toBe(20);
  });

  it('When the deal went back a stage and re-entered, then days count from the re-entry', () => {
    const deal = buildDeal({ stage: 'Needs Analysis' });
    const stageHistory = [
      buildHistory(deal.id, 'Needs Analysis', daysBefore(40)),
      buildHistory(deal.id, 'Qualification', daysBefore(25)),
      buildHistory(deal.id, 'Needs Analysis', daysBefore(7)),
    ];
    expect(indicatorsOf(deal, { stageHistory }).daysInStage).toBe(7);
  });

  it('When history continues after asOf, then it is ignored: the stage and its entry are as of asOf', () => {
    const deal = buildDeal({ stage: 'Proposal/Price Quote' });
    const stageHistory = [buildHistory(deal.id, 'Needs Analysis', daysBefore(10)), buildHistory(deal.id, 'Proposal/Price Quote', daysBefore(-3))];
    const result = indicatorsOf(deal, { stageHistory });
    expect(result.stage).toBe('Needs Analysis');
    expect(result.daysInStage).toBe(10);
  });

  it('When all history is after asOf, then CreatedDate stands in', () => {
    const deal = buildDeal({ createdDate: daysBefore(8) });
    expect(indicatorsOf(deal, { stageHistory: [buildHistory(deal.id, 'Qualification', daysBefore(-2))] }).daysInStage).toBe(8);
  });

  it('When the stage was entered late on the previous calendar day, then that is one whole day in stage', () => {
    const deal = buildDeal();
    const stageHistory = [buildHistory(deal.id, 'Needs Analysis', daysBefore(1, '23:59:00.000'))];
    expect(indicatorsOf(deal, { stageHistory }).daysInStage).toBe(1);
  });

  it('When the stage was entered on asOf day, then days in stage is 0', () => {
    const deal = buildDeal();
    expect(indicatorsOf(deal, { stageHistory: [buildHistory(deal.id, 'Needs Analysis', daysBefore(0, '00:00:01.000'))] }).daysInStage).toBe(0);
  });
});

describe('next step set', () => {
  const task = (deal: Opportunity, o: Partial<Activity>) => buildActivity({ opportunityId: deal.id, kind: 'task', status: 'open', ...o });

  it('When the next step is written and an open task is due tomorrow, then the next step is set', () => {
    const deal = buildDeal({ nextStep: 'Pricing call with the CFO' });
    expect(indicatorsOf(deal, { activities: [task(deal, { date: dateBefore(-1) })] }).nextStepSet).toBe(true);
  });

  it('When an open task is due on asOf day itself, then it is still ahead and counts', () => {
    const deal = buildDeal({ nextStep: 'Send proposal' });
    expect(indicatorsOf(deal, { activities: [task(deal, { date: dateBefore(0) })] }).nextStepSet).toBe(true);
  });

  it('When the only open task was due yesterday (overdue), then nothing is scheduled', () => {
    const deal = buildDeal({ nextStep: 'Send proposal' });
    expect(indicatorsOf(deal, { activities: [task(deal, { date: dateBefore(1) })] }).nextStepSet).toBe(false);
  });

  it('When a meeting starts after asOf, then it is scheduled; one that started before is not', () => {
    const deal = buildDeal({ nextStep: 'Demo' });
    const later = buildActivity({ opportunityId: deal.id, kind: 'meeting', status: 'open', date: daysBefore(0, '15:00:00.000') });
    const earlier = buildActivity({ opportunityId: deal.id, kind: 'meeting', status: 'done', date: daysBefore(0, '09:00:00.000') });
    expect(indicatorsOf(deal, { activities: [later] }).nextStepSet).toBe(true);
    expect(indicatorsOf(deal, { activities: [earlier] }).nextStepSet).toBe(false);
  });

  it('When a future task is already completed, then it is not a scheduled next step', () => {
    const deal = buildDeal({ nextStep: 'Demo' });
    expect(indicatorsOf(deal, { activities: [task(deal, { date: dateBefore(-3), status: 'done' })] }).nextStepSet).toBe(false);
  });

  it('When a task is scheduled but the NextStep text is blank, then the next step is not set', () => {
    const deal = buildDeal({ nextStep: '   ' });
    expect(indicatorsOf(deal, { activities: [task(deal, { date: dateBefore(-2) })] }).nextStepSet).toBe(false);
  });
});

describe('which deals are computed', () => {
  it('When deals are closed or created after asOf, then only open deals that existed at asOf get indicators', () => {
    const open = buildDeal();
    const closed = buildDeal({ isClosed: true, isWon: true, stage: 'Closed Won' });
    const future = buildDeal({ createdDate: daysBefore(-2) });
    const result = computeOrgIndicators(buildSnapshot({ opportunities: [open, closed, future] }), DEFAULT_PLAYBOOK, AS_OF);
    expect(result.deals.map((r) => r.opportunityId)).toEqual([open.id]);
  });
});
