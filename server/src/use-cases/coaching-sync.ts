// What a full sync records for the coaching loop: each active plan's weekly value and verdict (its baseline measured
// once, as of the weeks before it started), each goal's progress over its manager's direct reports, each open deal's
// last inspection date, each rep's peer to learn from, inspection coverage and the org's inspected vs not win rates (in
// the scorecard breakdown), and the
// quarter's plans for the quarterly review.
import { BASELINE_WEEKS, baselineMoments, inspectionCoverage, inspectionWinRates, peerToLearnFrom, planSignalValue, recordWeek, type WeekValue } from '../../../shared/src/engine/coaching.ts';
import { goalValues, isTracked, needsBaseline, planActuals, planValues } from '../../../shared/src/engine/coaching-fields.ts';
import { pushTo } from '../../../shared/src/engine/group.ts';
import type { OrgIndex } from '../../../shared/src/engine/org-index.ts';
import { scoreReps, type RepScorecard } from '../../../shared/src/engine/reps.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import type { RecordValues } from '../../../shared/src/write-back/planner.ts';
import type { CoachingRecords } from '../crm/port.ts';

/** At most this many past moments are scored per sync to measure new plans' baselines (the rest wait for the next sync). */
export const MAX_BASELINE_MOMENTS = 24;
/**
 * How far back before asOf a sync reads activity for baselines: the baseline weeks of a plan that started up to a week
 * ago (the weekly sync after its start measures it). A plan back-dated further still gets a baseline, from the
 * activity of open deals and of the deals closed in the read window.
 */
export const PLAN_BASELINE_LOOKBACK_WEEKS = BASELINE_WEEKS + 1;

export interface CoachingSync {
  records: RecordValues[];
  /** Per rep: what the scorecard breakdown carries for the team page (peer to learn from, inspection coverage). */
  breakdownOf: (repId: string) => Record<string, unknown> | null;
  /** The quarter's plans of a rep, as measured-actual lines of the quarterly review. */
  reviewLinesOf: (repId: string, quarterStart: string, quarterEnd: string) => ReturnType<typeof planActuals>;
}

/** Each new plan's baseline: the rep's signal as of each of the weeks before the plan started, scored by the same engine. */
const measureBaselines = (coaching: CoachingRecords, index: OrgIndex, playbook: Playbook, asOf: string): Map<string, WeekValue[]> => {
  const pending = coaching.plans.filter((p) => isTracked(p, asOf) && needsBaseline(p));
  const moments = [...new Set(pending.flatMap((p) => baselineMoments(p.startDate)))].sort().slice(0, MAX_BASELINE_MOMENTS);
  const cardsAt = new Map(moments.map((at) => [at, new Map(scoreReps({ snapshot: index.snapshot, playbook, asOf: at, index }).map((c) => [c.repId, c]))]));
  const out = new Map<string, WeekValue[]>();
  for (const p of pending) {
    const at = baselineMoments(p.startDate);
    if (!at.every((m) => cardsAt.has(m))) continue;
    let weeks: WeekValue[] = [];
    for (const m of at) {
      const card = cardsAt.get(m)!.get(p.repId);
      weeks = recordWeek(weeks, m, card ? planSignalValue(card, p.signal) : null);
    }
    out.set(p.id, weeks);
  }
  return out;
};

export const syncCoaching = (coaching: CoachingRecords, cards: readonly RepScorecard[], index: OrgIndex, playbook: Playbook, asOf: string): CoachingSync => {
  const cardByRep = new Map(cards.map((c) => [c.repId, c]));
  const baselines = measureBaselines(coaching, index, playbook, asOf);
  const records: RecordValues[] = [];
  for (const plan of coaching.plans) {
    const values = planValues(plan, cardByRep.get(plan.repId), asOf, baselines.get(plan.id) ?? null);
    if (values) records.push({ object: 'Coaching_Plan__c', id: plan.id, values });
  }
  const users = index.snapshot.users;
  const reportsOf = (managerId: string): string[] => users.filter((u) => u.managerId === managerId && u.isActive && cardByRep.has(u.id)).map((u) => u.id);
  for (const goal of coaching.goals) {
    const values = goalValues(goal, { index, repIds: reportsOf(goal.managerId), meaningfulCallSeconds: playbook.settings.meaningfulCallSeconds, cardOf: (id) => cardByRep.get(id), asOf });
    if (values) records.push({ object: 'Team_Goal__c', id: goal.id, values });
  }
  const coverage = new Map(inspectionCoverage(index.snapshot.opportunities, users, coaching.inspections, asOf, cards.map((c) => c.repId)).reps.map((r) => [r.repId, r]));
  // The org's inspected vs not-inspected win rates: the same for every rep, carried on each scorecard so the team card
  // can show them through LDS (a package component reads records, it does not compute).
  const winRates = inspectionWinRates(index.snapshot.opportunities, coaching.inspections, asOf);
  // Each rep's breakdown once: the scorecards and the org facts both read it.
  const breakdowns = new Map(cards.map((card): [string, Record<string, unknown>] => {
    const c = coverage.get(card.repId);
    return [card.repId, { peer: peerToLearnFrom(cards, users, card.repId), inspection: c ? { openDeals: c.openDeals, inspected: c.inspected, share: c.share } : null, inspectionWinRates: winRates }];
  }));
  const plansByRep = new Map<string, typeof coaching.plans>();
  for (const p of coaching.plans) pushTo(plansByRep, p.repId, p);
  return { records, breakdownOf: (repId) => breakdowns.get(repId) ?? null, reviewLinesOf: (repId, start, end) => planActuals(plansByRep.get(repId) ?? [], start, end) };
};
