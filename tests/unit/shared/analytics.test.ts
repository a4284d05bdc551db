// Org analytics: Wilson intervals, stage conversion, the milestone backtest without hindsight, ramp pace, scorecard periods.
import { describe, expect, it } from 'vitest';
import { milestoneBacktest, rampReport, stageConversion, MIN_CLOSED_FOR_BACKTEST } from '../../../shared/src/engine/analytics.ts';
import { isoWeek, planScorecards } from '../../../shared/src/engine/scorecard-fields.ts';
import { scoreReps } from '../../../shared/src/engine/reps.ts';
import { wilson } from '../../../shared/src/engine/stats.ts';
import type { Activity, Opportunity, OrgSnapshot, StageHistoryEntry } from '../../../shared/src/model.ts';
import { Playbook } from '../../../shared/src/playbook/schema.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { AS_OF, buildRepOrg } from '../../support/rep-org.ts';

const DAY = 86_400_000;
const at = (daysAgo: number): string => new Date(Date.parse(AS_OF) - daysAgo * DAY).toISOString();

const playbook = Playbook.parse({
  version: 1,
  processes: [{ name: 'P', default: true, stages: [
    { name: 'Discover', gate: { milestones: [{ key: 'met', label: 'Met them', rule: { kind: 'activity', types: ['meeting'], atLeast: 1, window: 30 }, guidance: 'Meet.' }] } },
    { name: 'Propose' },
    { name: 'Won', closed: true, won: true },
    { name: 'Lost', closed: true },
  ] }],
});

/** Closed deals that went Discover → Propose → closed; `meetingDaysBeforeLeaving` < 0 means the meeting came after they left. */
const history = (n: number, won: (i: number) => boolean, meeting: (i: number) => number | null): OrgSnapshot => {
  const opportunities: Opportunity[] = [];
  const stageHistory: StageHistoryEntry[] = [];
  const activities: Activity[] = [];
  for (let i = 0; i < n; i++) {
    const id = `D${i}`;
    opportunities.push({ id, name: id, stage: won(i) ? 'Won' : 'Lost', createdDate: at(100), closeDate: at(10).slice(0, 10), isClosed: true, isWon: won(i), ownerId: 'U', amount: 100 });
    stageHistory.push({ id: `${id}a`, opportunityId: id, stage: 'Discover', createdDate: at(100) }, { id: `${id}b`, opportunityId: id, stage: 'Propose', createdDate: at(50) }, { id: `${id}c`, opportunityId: id, stage: won(i) ? 'Won' : 'Lost', createdDate: at(10) });
    const m = meeting(i);
    if (m !== null) activities.push({ id: `${id}m`, kind: 'meeting', date: at(50 + m), opportunityId: id, contactIds: ['C'], status: 'done' });
  }
  return { users: [], accounts: [], contacts: [{ id: 'C', name: 'C' }], opportunities, stageHistory, contactRoles: [], activities, attestations: [] };
};

describe('statistics', () => {
  it('When 8 of 10 succeed, then the 95 % Wilson interval is about 49 %–94 %; with no trials there is none', () => {
    const ci = wilson(8, 10)!;
    expect(ci.low).toBeCloseTo(0.4902, 3);
    expect(ci.high).toBeCloseTo(0.9433, 3);
    expect(wilson(0, 0)).toBeNull();
  });
});

describe('milestone backtest', () => {
  it('When winners met the milestone before leaving the stage and losers did not, then it predicts wins', () => {
    const org = history(40, (i) => i < 20, (i) => (i < 20 ? 5 : null));
    const [m] = milestoneBacktest(org, playbook, AS_OF).milestones;
    expect(m).toMatchObject({ key: 'met', evaluated: 40, met: { deals: 20, won: 20 }, missed: { deals: 20, won: 0 }, predictive: true });
  });

  it('When the meeting only happened after the deal left the stage, then it counts as missed (no hindsight)', () => {
    const org = history(40, (i) => i < 20, (i) => (i < 20 ? -5 : null));
    const [m] = milestoneBacktest(org, playbook, AS_OF).milestones;
    expect(m!.met.deals).toBe(0);
    expect(m!.missed.deals).toBe(40);
    expect(m!.predictive).toBe(false);
  });

  it('When meetings are spread evenly over winners and losers, then the milestone is flagged as not predictive', () => {
    const org = history(60, (i) => i % 2 === 0, (i) => (i % 4 < 2 ? 5 : null));
    const [m] = milestoneBacktest(org, playbook, AS_OF).milestones;
    expect(m!.predictive).toBe(false);
    expect(m!.verdict).toMatch(/^does not predict wins here/);
  });

  it(`When there are fewer than ${MIN_CLOSED_FOR_BACKTEST} closed deals, then the report says there is too little history`, () => {
    const report = milestoneBacktest(history(29, (i) => i < 15, () => 5), playbook, AS_OF);
    expect(report).toMatchObject({ enoughHistory: false, closedDeals: 29, message: 'Only 29 closed deals: at least 30 are needed before milestone win rates mean anything' });
    expect(report.milestones[0]!.verdict).toBe('too little history to judge');
  });
});

describe('stage conversion', () => {
  it('When deals were won and lost at different stages, then each stage\'s win rate counts the deals that reached it', () => {
    const org = history(10, (i) => i < 6, () => null);
    org.stageHistory = org.stageHistory.filter((h) => !(h.opportunityId.match(/D[89]/) && h.stage === 'Propose')); // D8, D9 lost from Discover
    const [report] = stageConversion(org, playbook, AS_OF);
    expect(report!.stages.map((s) => [s.stage, s.reached, s.won])).toEqual([['Discover', 10, 6], ['Propose', 8, 6]]);
  });
});

describe('ramp', () => {
  it('When a rep reaches each milestone earlier than the typical rep, then they are ahead of pace by the mean difference', () => {
    const org = buildRepOrg([{ id: 'A', calls: 3, closed: 2, won: 1, open: 2 }, { id: 'B', calls: 3, closed: 2, won: 1, open: 2 }]);
    org.users = org.users.map((u) => ({ ...u, startDate: u.id === 'A' ? at(130).slice(0, 10) : at(200).slice(0, 10) }));
    const report = rampReport(org, DEFAULT_PLAYBOOK, AS_OF);
    const reps = report.cohorts.flatMap((c) => c.reps);
    const a = reps.find((r) => r.repId === 'A')!;
    const b = reps.find((r) => r.repId === 'B')!;
    expect(a.weeks.firstMeaningfulConversation! < b.weeks.firstMeaningfulConversation!).toBe(true);
    expect(a.paceWeeks! > 0 && b.paceWeeks! < 0).toBe(true);
    expect(a.pace).toMatch(/weeks? ahead of pace$/);
  });
});

describe('weekly scorecards', () => {
  it('When weeks are named, then ISO weeks start on Monday and week 1 holds 4 January', () => {
    expect(isoWeek(Date.parse('2026-11-23T12:00:00Z'))).toEqual({ period: '2026-W48', start: '2026-11-23' });
    expect(isoWeek(Date.parse('2021-01-03T12:00:00Z'))).toEqual({ period: '2020-W53', start: '2020-12-28' });
  });

  it('When a new period starts, then its scorecard is current, the previous one stops being current, and the trend carries the past', () => {
    const org = buildRepOrg(Array.from({ length: 3 }, (_, i) => ({ id: `R${i}`, calls: 5, closed: 5, won: 2, open: 2 })));
    const cards = scoreReps({ snapshot: org, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    const stored = [{ key: 'R0:2026-W25', repId: 'R0', period: '2026-W25', periodStart: '2026-06-15', behaviourScore: 40, isCurrent: true }];
    const plan = planScorecards(cards, AS_OF, stored).records.filter((r) => r.id.startsWith('R0'));
    expect(plan.map((r) => [r.object, r.id, r.values.Is_Current__c])).toEqual([['User', 'R0', undefined], ['Rep_Scorecard__c', 'R0:2026-W27', true], ['Rep_Scorecard__c', 'R0:2026-W25', false]]);
    const breakdown = JSON.parse(String(plan[1]!.values.Score_Breakdown__c));
    expect(breakdown.trend.map((t: { period: string }) => t.period)).toEqual(['2026-W25', '2026-W27']);
    expect(breakdown.v).toBe(1);
  });
});
