// The coaching loop as the fields Stagecraft writes: each active plan's weekly value, baseline and verdict
// (Coaching_Plan__c), each goal's progress (Team_Goal__c), each open deal's last inspection date (Opportunity), and the
// plans of a quarter as "what worked / what did not" lines for the rep's quarterly review.
import { COACHING_PLAN_FIELDS as P, OPPORTUNITY_FIELDS, TEAM_GOAL_FIELDS as G, type FieldValue } from '../fields.ts';
import type { Opportunity } from '../model.ts';
import { GOAL_SIGNALS, SHARE_GOAL_SIGNALS, goalProgress, judgePlan, lastInspections, planSignalValue, recordWeek, shareGoalProgress, signalLabel, type GoalProgress, type GoalSignal, type InspectionRecord, type PlanJudgement, type ShareGoalSignal, type WeekValue } from './coaching.ts';
import type { OrgIndex } from './org-index.ts';
import type { MeasuredActual } from './quarter.ts';
import type { RepScorecard } from './reps.ts';
import { round } from './stats.ts';
import { toMs } from './time.ts';

export const PLAN_DOCUMENT_VERSION = 1;

/** A plan as the sync needs it (the CRM adapters' StoredPlan has this shape). */
export interface PlanRecord {
  id: string;
  name: string | null;
  repId: string;
  signal: string;
  startDate: string;
  reviewDate: string | null;
  status: string | null;
  outcome: string | null;
  weeklyValues: string | null;
}

/** The Weekly_Values__c document: the baseline weeks, each week since the plan started, and the judgement. */
export interface PlanDocument {
  v: number;
  signal: string;
  label: string;
  baseline: WeekValue[];
  weeks: WeekValue[];
  judgement: PlanJudgement;
}

export const parsePlanDocument = (json: string | null): PlanDocument | null => {
  if (!json) return null;
  try {
    const doc = JSON.parse(json) as PlanDocument;
    return doc && Array.isArray(doc.baseline) && Array.isArray(doc.weeks) ? doc : null;
  } catch {
    return null;
  }
};

/** A plan is tracked while it is active (a closed plan keeps what was measured until it closed) and once it has started. */
export const isTracked = (plan: PlanRecord, asOf: string): boolean => plan.status !== 'Closed' && toMs(plan.startDate) <= toMs(asOf);

/** Plans whose baseline is not measured yet: the sync measures it once, as of the weeks before each plan started. */
export const needsBaseline = (plan: PlanRecord): boolean => !parsePlanDocument(plan.weeklyValues)?.baseline.length;

/**
 * This sync's values for one plan: this week's value recorded (the same ISO week replaces), the baseline kept from
 * before (or the one just measured), and the judgement over both.
 */
export const planValues = (plan: PlanRecord, card: RepScorecard | undefined, asOf: string, measuredBaseline: WeekValue[] | null): Record<string, FieldValue> | null => {
  if (!card || !isTracked(plan, asOf)) return null;
  const previous = parsePlanDocument(plan.weeklyValues);
  const baseline = previous?.baseline.length ? previous.baseline : (measuredBaseline ?? []);
  const value = planSignalValue(card, plan.signal);
  // Only weeks after the plan started count as "since": a sync in the start week is the plan's first week.
  const weeks = recordWeek((previous?.weeks ?? []).filter((w) => toMs(w.asOf) >= toMs(plan.startDate)), asOf, value);
  const judgement = judgePlan(baseline, weeks);
  const doc: PlanDocument = { v: PLAN_DOCUMENT_VERSION, signal: plan.signal, label: signalLabel(plan.signal), baseline, weeks, judgement: { ...judgement, threshold: judgement.threshold === null ? null : round(judgement.threshold, 2) } };
  return {
    [P.baseline.name]: judgement.baselineMean === null ? null : round(judgement.baselineMean, 2),
    [P.currentValue.name]: value === null ? null : round(value, 2),
    [P.weeklyValues.name]: JSON.stringify(doc),
    [P.verdict.name]: judgement.verdict,
    [P.verdictDetail.name]: judgement.summary.slice(0, 255),
    [P.valuesAsOf.name]: asOf,
  };
};

/** A goal as the sync needs it (the CRM port's StoredGoal extends it). */
export interface GoalRecord {
  id: string;
  managerId: string;
  signal: string;
  targetPerWeek: number;
  startDate: string;
  endDate: string;
  /** The Progress__c the companion wrote last time (share goals add this week to it). */
  progress?: string | null;
}

export interface GoalContext {
  index: OrgIndex;
  /** The manager's direct reports who are scored. */
  repIds: readonly string[];
  meaningfulCallSeconds: number;
  /** Each rep's scorecard as of asOf (share goals record what it measured). */
  cardOf: (repId: string) => RepScorecard | undefined;
  asOf: string;
}

/**
 * A goal's progress for its manager's direct reports, or null for a goal on a behaviour Stagecraft does not count, one
 * not started, or (share goals) one that has ended: its weeks stay as they were measured.
 */
export const goalValues = (goal: GoalRecord, ctx: GoalContext): Record<string, FieldValue> | null => {
  const { index, repIds, asOf } = ctx;
  if (toMs(goal.startDate) > toMs(asOf)) return null;
  let progress: GoalProgress;
  if (goal.signal in GOAL_SIGNALS) {
    progress = goalProgress(index, ctx.meaningfulCallSeconds, { signal: goal.signal as GoalSignal, targetPerWeek: goal.targetPerWeek, startDate: goal.startDate, endDate: goal.endDate, repIds }, asOf);
  } else if (goal.signal in SHARE_GOAL_SIGNALS) {
    if (toMs(goal.endDate) + 86_400_000 <= toMs(asOf)) return null;
    let previous: GoalProgress | null = null;
    try {
      previous = goal.progress ? (JSON.parse(goal.progress) as GoalProgress) : null;
    } catch {
      previous = null;
    }
    const signal = goal.signal as ShareGoalSignal;
    progress = shareGoalProgress({ signal, targetPerWeek: goal.targetPerWeek, repIds }, index, (repId) => { const card = ctx.cardOf(repId); return card ? planSignalValue(card, signal) : null; }, previous?.signal === signal ? previous : null, asOf);
  } else return null;
  return {
    [G.progress.name]: JSON.stringify({ v: 1, ...progress }),
    [G.teamPerWeek.name]: progress.team.perWeek,
    [G.repsOnTarget.name]: progress.team.repsOnTarget,
    [G.progressAsOf.name]: asOf,
  };
};

/** Last_Inspected__c for each deal given: the date of its latest inspection up to asOf, or null. */
export const lastInspectedValues = (deals: readonly Pick<Opportunity, 'id'>[], inspections: readonly InspectionRecord[], asOf: string): Map<string, Record<string, FieldValue>> => {
  const last = lastInspections(inspections, asOf);
  return new Map(deals.map((d) => [d.id, { [OPPORTUNITY_FIELDS.lastInspected.name]: last.get(d.id)?.inspectedAt.slice(0, 10) ?? null }]));
};

/**
 * A quarter's plans as measured actuals of the rep's review: one line per plan that ran in the quarter, worked when the
 * manager closed it as worked (or, while it runs, when it has moved).
 */
export const planActuals = (plans: readonly PlanRecord[], quarterStart: string, quarterEnd: string): (MeasuredActual & { kind: 'plan'; worked: boolean | null; detail: string })[] =>
  plans
    .filter((p) => toMs(p.startDate) <= toMs(quarterEnd) && (!p.reviewDate || toMs(p.reviewDate) >= toMs(quarterStart)))
    .map((p) => {
      const doc = parsePlanDocument(p.weeklyValues);
      const verdict = doc?.judgement.verdict ?? 'Too_Early';
      const worked = p.outcome === 'Worked' ? true : p.outcome === 'Did_Not_Work' ? false : verdict === 'Moved' ? true : verdict === 'Not_Moved' ? false : null;
      const since = doc?.judgement.sinceMean ?? null;
      return {
        kind: 'plan' as const,
        signal: `plan:${p.id}`,
        label: `${p.name ?? 'Coaching plan'}: ${signalLabel(p.signal)}`,
        value: since === null ? null : round(since, 1),
        target: doc?.judgement.baselineMean === null || doc?.judgement.baselineMean === undefined ? null : round(doc.judgement.baselineMean, 1),
        met: worked,
        worked,
        detail: doc?.judgement.summary ?? 'Not measured yet',
      };
    });
