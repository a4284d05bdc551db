// The coaching loop: plans judged moved / not moved against the rep's own variation, a peer to learn from, goals that
// count only quality-paired behaviour, and deal inspection coverage and win rates without hindsight.
// (Planted reps with threads: 0 have no meetings, which rep-org dates only in the last days: the calls are the behaviour.)
import { describe, expect, it } from 'vitest';
import {
  baselineMoments, goalProgress, inspectionCoverage, shareGoalProgress, inspectionWinRates, judgePlan, peerToLearnFrom, planSignalValue, recordWeek, weakestCompetency,
  type InspectionRecord, type WeekValue,
} from '../../../shared/src/engine/coaching.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { scoreReps, type RepScorecard } from '../../../shared/src/engine/reps.ts';
import type { Opportunity, OrgSnapshot } from '../../../shared/src/model.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { AS_OF, buildRepOrg, type RepSpec } from '../../support/rep-org.ts';

const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.parse(AS_OF) - n * DAY).toISOString();
const peers = (n: number): RepSpec[] => Array.from({ length: n }, (_, i) => ({ id: `P${i}`, calls: 6, closed: 20, won: 6, open: 6, inherited: 3, threads: 2, executive: i % 2 === 0 }));
const week = (period: string, value: number | null): WeekValue => ({ period, asOf: period, value });

/** What the sync does for a plan, as of each week: the rep's signal as the scorecard measured it. */
const trackPlan = (org: OrgSnapshot, repId: string, signal: string, planStart: string, weeksSince: number): { baseline: WeekValue[]; since: WeekValue[] } => {
  const index = buildOrgIndex(org);
  const valueAt = (asOf: string): number | null => planSignalValue(scoreReps({ snapshot: org, playbook: DEFAULT_PLAYBOOK, asOf, index }).find((c) => c.repId === repId)!, signal);
  let baseline: WeekValue[] = [];
  for (const at of baselineMoments(planStart)) baseline = recordWeek(baseline, at, valueAt(at));
  let since: WeekValue[] = [];
  for (let k = 1; k <= weeksSince; k++) {
    const at = new Date(Date.parse(planStart) + k * 7 * DAY).toISOString();
    since = recordWeek(since, at, valueAt(at));
  }
  return { baseline, since };
};

describe('coaching plan tracking', () => {
  // The plan starts four weeks before AS_OF; the baseline is the six weeks before that.
  const planStart = daysAgo(28);

  it('When a planted rep triples meaningful conversations after the plan, then the plan has moved', () => {
    const org = buildRepOrg([...peers(4), { id: 'IMPROVER', calls: 3, recentCalls: 10, closed: 20, won: 6, open: 6, threads: 0 }]);
    const { baseline, since } = trackPlan(org, 'IMPROVER', 'meaningfulConversations', planStart, 4);
    expect(baseline).toHaveLength(6);
    expect(since).toHaveLength(4);
    const judged = judgePlan(baseline, since);
    expect(judged.verdict).toBe('Moved');
    expect(judged.baselineMean!).toBeLessThan(16);
    expect(judged.sinceMean! - judged.baselineMean!).toBeGreaterThan(judged.threshold!);
    expect(judged.summary).toMatch(/^Moved: /);
  });

  it('When a planted rep with noisy weeks keeps the same level after the plan, then the plan has not moved', () => {
    // Same average before and after (5 a week), swinging between 2 and 8 from week to week.
    const org = buildRepOrg([...peers(4), { id: 'STEADY', calls: 5, weeklyCalls: [8, 2, 7, 3, 8, 2, 6, 4, 8, 2, 7, 3, 5, 5, 8, 2], closed: 20, won: 6, open: 6, threads: 0 }]);
    const { baseline, since } = trackPlan(org, 'STEADY', 'meaningfulConversations', planStart, 4);
    const judged = judgePlan(baseline, since);
    expect(judged.verdict).toBe('Not_Moved');
    expect(judged.summary).toMatch(/^Not moved: /);
  });

  it('When the rise is just under, at, and over two standard errors of the rep\'s weekly variation, then only over counts', () => {
    const baseline = [10, 12, 8, 10, 12, 8].map((v, i) => week(`2026-W0${i + 1}`, v)); // mean 10, sd ≈ 1.79
    const se = Math.sqrt(((0 + 4 + 4 + 0 + 4 + 4) / 5) * (1 / 6 + 1 / 2));
    const after = (rise: number): WeekValue[] => [week('2026-W10', 10 + rise), week('2026-W11', 10 + rise)];
    expect(judgePlan(baseline, after(2 * se - 0.01)).verdict).toBe('Not_Moved');
    expect(judgePlan(baseline, after(2 * se)).verdict).toBe('Not_Moved');
    expect(judgePlan(baseline, after(2 * se + 0.01)).verdict).toBe('Moved');
  });

  it('When there are too few weeks on either side, then the verdict is too early, and a flat baseline still has a floor of variation', () => {
    expect(judgePlan([week('W1', 5), week('W2', 5)], [week('W3', 9), week('W4', 9)]).verdict).toBe('Too_Early');
    expect(judgePlan([week('W1', 5), week('W2', 5), week('W3', 5)], [week('W4', 9)]).summary).toMatch(/1 week since the plan/);
    // Flat at 10: one more conversation a week is not a move; four more is.
    const flat = [1, 2, 3, 4].map((i) => week(`W${i}`, 10));
    expect(judgePlan(flat, [week('W5', 11), week('W6', 11)]).verdict).toBe('Not_Moved');
    expect(judgePlan(flat, [week('W5', 14), week('W6', 14)]).verdict).toBe('Moved');
  });

  it('When a sync runs twice in one week, then that week holds the later value once', () => {
    const weeks = recordWeek(recordWeek([], '2026-06-29T09:00:00.000Z', 4), '2026-07-01T09:00:00.000Z', 6);
    expect(weeks).toEqual([{ period: '2026-W27', asOf: '2026-07-01T09:00:00.000Z', value: 6 }]);
  });
});

describe('a peer to learn from', () => {
  // Carl's deals are all handed to him; John builds his own and wins; Lena builds her own but loses; Ed is strong and
  // wins too but sits in another segment.
  const specs: RepSpec[] = [
    ...peers(3),
    { id: 'CARL', calls: 6, closed: 20, won: 4, open: 6, inherited: 6, threads: 2 },
    { id: 'JOHN', calls: 6, closed: 20, won: 10, open: 14, inherited: 0, threads: 2 },
    { id: 'LENA', calls: 6, closed: 20, won: 2, open: 14, inherited: 0, threads: 2 },
    { id: 'ED', calls: 6, closed: 20, won: 14, open: 16, inherited: 0, threads: 2, segment: 'East' },
  ];
  const org = buildRepOrg(specs);
  const cards = scoreReps({ snapshot: org, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });

  it('When the planted weak-prospecting rep asks, then the strong prospector in the same role and segment who converts better is named first', () => {
    const carl = cards.find((c) => c.repId === 'CARL')!;
    expect(weakestCompetency(carl)).toBe('pipeline');
    const suggestion = peerToLearnFrom(cards, org.users, 'CARL')!;
    expect(suggestion.competency).toBe('pipeline');
    expect(suggestion.peers[0]).toMatchObject({ repId: 'JOHN', closeness: 'role_segment' });
    const ids = suggestion.peers.map((p) => p.repId);
    expect(ids).not.toContain('LENA'); // strong at prospecting, converts worse
    // Ed wins more still, but sits in another segment: same role and segment come first.
    expect(ids[0]).toBe('JOHN');
    const rank = { role_segment: 0, team: 1, org: 2 };
    const ranks = suggestion.peers.map((p) => rank[p.closeness]);
    expect(ranks).toEqual([...ranks].sort());
    if (ids.includes('ED')) expect(suggestion.peers.find((p) => p.repId === 'ED')!.closeness).not.toBe('role_segment');
    const selfMade = suggestion.peers[0]!.signals.find((s) => s.key === 'selfGeneratedPipeline')!;
    expect(selfMade).toMatchObject({ rep: 0, peer: 14 });
    // The line leads with the signal where John ranks furthest ahead of Carl.
    expect(suggestion.peers[0]!.summary).toMatch(/^Rep CARL: [\d.]+ %? ?\(.*\); Rep JOHN: [\d.]+( %)?\. Rep JOHN wins 50 % against 20 %; Rep JOHN's self-generated deals win 50 %$/);
  });

  it('When a peer outranks the rep only within their own peer group, not in the signal values, then they are not suggested', () => {
    // Hand-made scorecards: Bea ranks high in her own group but makes fewer self-generated deals than Al; Cy makes more.
    const card = (repId: string, score: number, value: number, winRate: number): RepScorecard => ({
      repId, repName: repId, managerId: 'M', peerGroup: { name: 'g', size: 3, comparable: true }, composite: score, flags: [], comparisons: [],
      competencies: [{ key: 'pipeline', label: 'Pipeline', score, peerMedian: 50, signals: [{ key: 'selfGeneratedPipeline', label: 'Self-generated opportunities (90 days)', unit: 'deals', value, peerMedian: 5, weight: 1, score, contribution: score, recordIds: [] }] }],
      diagnosis: { kind: 'None', evidence: [] }, focus: { competency: 'pipeline', behaviour: '', coachingQuestions: [] },
      raw: { repId, values: {}, recordIds: {}, flags: [], effort: { recent: 0, baseline: 0, level: 0, perDeal: null }, winRate, closedCount: 20, wonCount: Math.round(winRate * 20), inheritedShare: null, inheritedDealShare: null },
    });
    const users = ['AL', 'BEA', 'CY'].map((id) => ({ id, name: id, isActive: true, role: 'AE', segment: 'West' }));
    const suggestion = peerToLearnFrom([card('AL', 20, 5, 0.2), card('BEA', 90, 3, 0.5), card('CY', 70, 9, 0.4)], users, 'AL', 'pipeline')!;
    expect(suggestion.peers.map((p) => p.repId)).toEqual(['CY']);
    expect(suggestion.peers[0]!.summary).toBe('AL: 5 (self-generated opportunities (90 days)); CY: 9. CY wins 40 % against 20 %; CY\'s self-generated deals win 40 %');
  });

  it('When nobody is both stronger and converting better, then no peer is suggested', () => {
    const suggestion = peerToLearnFrom(cards, org.users, 'ED', 'pipeline')!;
    expect(suggestion.peers).toEqual([]);
  });
});

describe('team goals on quality-paired behaviours', () => {
  const org = buildRepOrg([
    // No meetings on their deals (threads 0): the calls are the whole story.
    { id: 'HONEST', calls: 9, closed: 10, won: 4, open: 3, threads: 0 },
    { id: 'GAMER', calls: 2, zeroSecondCalls: 30, closed: 10, won: 4, open: 3, threads: 0 },
    { id: 'SPIKE', calls: 0, weeklyCalls: [40, 0, 0, 0], closed: 10, won: 4, open: 3, threads: 0 },
  ]);
  const index = buildOrgIndex(org);
  const goal = { signal: 'meaningfulConversations' as const, targetPerWeek: 8, startDate: daysAgo(27).slice(0, 10), endDate: daysAgo(-30).slice(0, 10), repIds: ['HONEST', 'GAMER', 'SPIKE'] };

  it('When the planted gamer logs 30 zero-second calls a week, then none count toward the goal and the gamer is not on target', () => {
    const progress = goalProgress(index, DEFAULT_PLAYBOOK.settings.meaningfulCallSeconds, goal, AS_OF);
    const gamer = progress.reps.find((r) => r.repId === 'GAMER')!;
    const honest = progress.reps.find((r) => r.repId === 'HONEST')!;
    expect(progress.weeksElapsed).toBe(4);
    expect(gamer.notCounted.zeroSecondCalls).toBe(120);
    expect(gamer.perWeek).toBe(2);
    expect(gamer.onTarget).toBe(false);
    expect(honest.perWeek).toBe(9);
    expect(honest.onTarget).toBe(true);
  });

  it('When one week is inflated, then it counts at most twice the target, so it cannot make up for empty weeks', () => {
    const spike = goalProgress(index, DEFAULT_PLAYBOOK.settings.meaningfulCallSeconds, goal, AS_OF).reps.find((r) => r.repId === 'SPIKE')!;
    expect(Math.max(...spike.weeks.map((w) => w.counted))).toBe(16);
    expect(spike.perWeek).toBe(4);
    expect(spike.onTarget).toBe(false);
  });
});

describe('team goals on next steps', () => {
  // Both reps schedule a follow-up on every open deal; the paster types the same next-step text on all of them.
  const org = buildRepOrg([...peers(3), { id: 'HONEST', calls: 5, closed: 10, won: 4, open: 4 }, { id: 'PASTER', calls: 5, closed: 10, won: 4, open: 4 }]);
  for (const d of org.opportunities.filter((o) => !o.isClosed && (o.ownerId === 'HONEST' || o.ownerId === 'PASTER'))) {
    if (d.ownerId === 'HONEST') d.nextStep = `Pricing call with the CFO of ${d.id}`;
    org.activities.push({ id: `${d.id}-next`, kind: 'task', date: daysAgo(-3).slice(0, 10), opportunityId: d.id, ownerId: d.ownerId, contactIds: ['C1'], status: 'open' });
  }
  const index = buildOrgIndex(org);
  const cards = new Map(scoreReps({ snapshot: org, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, index }).map((c) => [c.repId, c]));
  const valueOf = (repId: string): number | null => planSignalValue(cards.get(repId)!, 'nextStepsScheduled');

  it('When the planted paster has the same next step on every deal, then none counts toward the goal and the pasted deals are shown as not counted', () => {
    const progress = shareGoalProgress({ signal: 'nextStepsScheduled', targetPerWeek: 80, repIds: ['HONEST', 'PASTER'] }, index, valueOf, null, AS_OF);
    expect(progress.reps.find((r) => r.repId === 'HONEST')).toMatchObject({ perWeek: 100, onTarget: true, notCounted: { pastedNextSteps: 0 } });
    expect(progress.reps.find((r) => r.repId === 'PASTER')).toMatchObject({ perWeek: 0, onTarget: false, notCounted: { pastedNextSteps: 4 } });
  });

  it('When a later week is synced, then its value joins the earlier weeks and the goal is their mean', () => {
    const first = shareGoalProgress({ signal: 'nextStepsScheduled', targetPerWeek: 80, repIds: ['HONEST'] }, index, () => 60, null, daysAgo(7));
    const second = shareGoalProgress({ signal: 'nextStepsScheduled', targetPerWeek: 80, repIds: ['HONEST'] }, index, valueOf, first, AS_OF);
    expect(second.reps[0]!.weeks.map((w) => w.counted)).toEqual([60, 100]);
    expect(second.reps[0]).toMatchObject({ perWeek: 80, onTarget: true });
    expect(second.weeksElapsed).toBe(2);
  });
});

describe('deal inspection', () => {
  const deal = (id: string, owner: string, o: Partial<Opportunity> = {}): Opportunity => ({ id, name: id, ownerId: owner, stage: 'Needs Analysis', createdDate: daysAgo(200), isClosed: false, isWon: false, ...o });
  const inspect = (opportunityId: string, days: number): InspectionRecord => ({ id: `I-${opportunityId}-${days}`, opportunityId, inspectedById: 'M1', inspectedAt: daysAgo(days), questions: ['Who signs?'], answer: 'The CFO' });
  const users = [{ id: 'A', name: 'Ann', isActive: true }, { id: 'B', name: 'Bob', isActive: true }];

  it('When some open deals were inspected within 30 days, then coverage per rep counts only those', () => {
    const deals = [deal('a1', 'A'), deal('a2', 'A'), deal('a3', 'A'), deal('a4', 'A'), deal('b1', 'B'), deal('a-won', 'A', { isClosed: true, isWon: true, closeDate: daysAgo(5).slice(0, 10) })];
    const coverage = inspectionCoverage(deals, users, [inspect('a1', 3), inspect('a2', 29), inspect('a3', 31), inspect('a-won', 10), inspect('a4', -2)], AS_OF);
    const ann = coverage.reps.find((r) => r.repId === 'A')!;
    expect(ann).toMatchObject({ openDeals: 4, inspected: 2, share: 50 });
    expect(ann.notInspectedIds.sort()).toEqual(['a3', 'a4']);
    expect(coverage.reps.find((r) => r.repId === 'B')).toMatchObject({ openDeals: 1, inspected: 0, share: 0 });
    expect(coverage.team).toMatchObject({ openDeals: 5, inspected: 2, share: 40 });
  });

  it('When deals were inspected before they closed, then their win rate is compared with the rest, with intervals; a post-mortem does not count', () => {
    const deals: Opportunity[] = [];
    const inspections: InspectionRecord[] = [];
    for (let i = 0; i < 60; i++) {
      const inspected = i < 30;
      const won = inspected ? i < 21 : i < 39; // 21 of 30 inspected won; 9 of 30 not inspected won
      const d = deal(`c${i}`, 'A', { isClosed: true, isWon: won, closeDate: daysAgo(40).slice(0, 10), createdDate: daysAgo(150) });
      deals.push(d);
      if (inspected) inspections.push(inspect(d.id, 60));
      // The lost, not-inspected deals were looked at after they closed: hindsight, not inspection.
      else if (!won) inspections.push(inspect(d.id, 20));
    }
    const rates = inspectionWinRates(deals, inspections, AS_OF);
    expect(rates.inspected).toMatchObject({ closed: 30, won: 21 });
    expect(rates.notInspected).toMatchObject({ closed: 30, won: 9 });
    expect(rates.ratio).toBeCloseTo(21 / 9, 5);
    expect(rates.inspected.interval!.low).toBeGreaterThan(rates.notInspected.interval!.high);
    expect(rates.separated).toBe(true);
    expect(rates.summary).toMatch(/Inspected deals win 70 % \(21 of 30, 95 % interval .*not inspected 30 % \(9 of 30/);
  });

  it('When an inspection happened on the day the deal closed, then it does not count as inspected before close', () => {
    const d = deal('x', 'A', { isClosed: true, isWon: true, closeDate: daysAgo(10).slice(0, 10) });
    const sameDay = { ...inspect('x', 0), inspectedAt: `${d.closeDate}T15:00:00.000Z` };
    expect(inspectionWinRates([d], [sameDay], AS_OF).inspected.closed).toBe(0);
  });
});
