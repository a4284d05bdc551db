// The coaching loop after the diagnosis: a plan on one signal tracked week by week until it moved or did not, a
// teammate to learn from, team goals that count only the quality-paired behaviour, and deal inspection (coverage, and
// inspected vs not-inspected win rates measured without hindsight). Pure: every "now" is an asOf passed in.
import { pushTo } from './group.ts';
import type { Opportunity, User } from '../model.ts';
import type { OrgIndex } from './org-index.ts';
import type { RepScorecard } from './reps.ts';
import { isMeaningfulConversation } from './rules.ts';
import { COMPETENCY_LABELS, SIGNAL_BY_KEY, ZERO_CALL_SECONDS, activitiesByRep, copyPastedNextSteps, zeroSecondBursts, type Competency } from './signals.ts';
import { isoWeek } from './scorecard-fields.ts';
import { round, wilson, type Interval } from './stats.ts';
import { DAY_MS, dayOfMs, toMs } from './time.ts';

// ---------------------------------------------------------------------------------------------------------------
// Plan tracking

/** The baseline is the signal as of each of this many weeks before the plan started. */
export const BASELINE_WEEKS = 6;
/** No verdict with fewer baseline weeks than this (no normal variation to judge against) … */
export const MIN_BASELINE_WEEKS = 3;
/** … or fewer weeks since the plan started than this (one good week is not a change of behaviour). */
export const MIN_WEEKS_SINCE = 2;
/**
 * "Moved": the mean since the plan exceeds the baseline mean by more than MOVED_Z standard errors of that difference,
 * the standard error built from the rep's own week-to-week standard deviation over the baseline weeks
 * (sd × √(1/baseline weeks + 1/weeks since)). A rep whose weeks swing a lot needs a bigger rise to count as moved;
 * a steady rep's smaller rise counts. Two standard errors: a rise that size happens by chance about one time in forty.
 */
export const MOVED_Z = 2;
/**
 * A baseline that never varied (the same value every week) has no spread to judge against: its spread is taken as at
 * least this share of the baseline mean (and at least 0.5 of a unit), so one extra conversation is not "moved".
 */
export const MIN_SPREAD_SHARE = 0.1;

export type PlanVerdict = 'Moved' | 'Not_Moved' | 'Too_Early';

/** One week's value of the plan's signal, as the sync measured it (period is the ISO week, "2026-W27"). */
export interface WeekValue {
  period: string;
  asOf: string;
  value: number | null;
}

export interface PlanJudgement {
  verdict: PlanVerdict;
  baselineMean: number | null;
  /** The rep's week-to-week standard deviation over the baseline weeks (after the floor above). */
  baselineSd: number | null;
  baselineWeeks: number;
  sinceMean: number | null;
  weeksSince: number;
  /** The rise the mean since the plan had to beat. */
  threshold: number | null;
  summary: string;
}

const meanOf = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const sdOf = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
const known = (weeks: readonly WeekValue[]): number[] => weeks.flatMap((w) => (w.value === null ? [] : [w.value]));

/** Moved or not: the weeks since the plan against the baseline weeks (see MOVED_Z). */
export const judgePlan = (baseline: readonly WeekValue[], since: readonly WeekValue[]): PlanJudgement => {
  const base = known(baseline);
  const after = known(since);
  const baselineMean = base.length ? meanOf(base) : null;
  const sinceMean = after.length ? meanOf(after) : null;
  const floor = baselineMean === null ? 0 : Math.max(0.5, MIN_SPREAD_SHARE * Math.abs(baselineMean));
  const baselineSd = base.length ? Math.max(sdOf(base), floor) : null;
  const out = { baselineMean, baselineSd, baselineWeeks: base.length, sinceMean, weeksSince: after.length };
  if (base.length < MIN_BASELINE_WEEKS || after.length < MIN_WEEKS_SINCE) {
    const why = base.length < MIN_BASELINE_WEEKS ? `${base.length} baseline week${base.length === 1 ? '' : 's'} (${MIN_BASELINE_WEEKS} needed)` : `${after.length} week${after.length === 1 ? '' : 's'} since the plan (${MIN_WEEKS_SINCE} needed)`;
    return { ...out, verdict: 'Too_Early', threshold: null, summary: `Too early to judge: ${why}` };
  }
  const threshold = MOVED_Z * baselineSd! * Math.sqrt(1 / base.length + 1 / after.length);
  const rise = sinceMean! - baselineMean!;
  const moved = rise > threshold;
  const shown = (x: number): string => String(round(x, 1));
  return {
    ...out,
    verdict: moved ? 'Moved' : 'Not_Moved',
    threshold,
    summary: `${moved ? 'Moved' : 'Not moved'}: ${shown(sinceMean!)} a week since the plan against a baseline of ${shown(baselineMean!)} (a rise of ${shown(rise)}; more than ${shown(threshold)} was needed to beat the rep's normal week-to-week variation)`,
  };
};

/** The weekly moments the baseline is measured at: one per week for BASELINE_WEEKS weeks before the plan started. */
export const baselineMoments = (planStart: string, weeks = BASELINE_WEEKS): string[] => {
  const start = toMs(planStart);
  return Array.from({ length: weeks }, (_, i) => new Date(start - (weeks - i) * 7 * DAY_MS).toISOString());
};

/** The plan's weeks with this week's value recorded (a later sync in the same ISO week replaces it), oldest first. */
export const recordWeek = (weeks: readonly WeekValue[], asOf: string, value: number | null): WeekValue[] => {
  const { period } = isoWeek(toMs(asOf));
  return [...weeks.filter((w) => w.period !== period), { period, asOf, value: value === null ? null : round(value, 2) }].sort((a, b) => a.period.localeCompare(b.period));
};

/** The value a plan tracks for a rep this week: the signal as the scorecard measured it (quality rules included). */
export const planSignalValue = (card: RepScorecard, signal: string): number | null => card.raw.values[signal] ?? null;

// ---------------------------------------------------------------------------------------------------------------
// A peer to learn from

export interface PeerSignalPair {
  key: string;
  label: string;
  unit: string;
  rep: number | null;
  peer: number | null;
  /** Each one's rank against their peers, 0–100 (null: no value). */
  repScore: number | null;
  peerScore: number | null;
}

export interface PeerCandidate {
  repId: string;
  repName: string;
  /** Same role and segment as the rep (preferred), else the same team, else anyone scored. */
  closeness: 'role_segment' | 'team' | 'org';
  score: number;
  winRate: number | null;
  /** Win rate of the deals the peer created themselves (prospecting's payoff). */
  selfGeneratedWinRate: number | null;
  signals: PeerSignalPair[];
  summary: string;
}

export interface PeerSuggestion {
  repId: string;
  competency: Competency;
  competencyLabel: string;
  repScore: number;
  repWinRate: number | null;
  repSelfGeneratedWinRate: number | null;
  peers: PeerCandidate[];
}

/** A peer must be at least this many points stronger at the competency to be worth shadowing … */
export const PEER_MIN_LEAD = 10;
/** … and win at least this much more often (5 points): a win rate equal once rounded is not "converting better". */
export const PEER_MIN_WIN_RATE_LEAD = 0.05;
export const MAX_PEERS = 3;

const selfWinRate = (card: RepScorecard): number | null => {
  const closed = card.raw.closedCount - (card.raw.inheritedClosedCount ?? 0);
  const won = card.raw.wonCount - (card.raw.inheritedWonCount ?? 0);
  return closed >= 3 ? won / closed : null;
};
const pct = (x: number | null): string => (x === null ? 'n/a' : `${Math.round(x * 100)} %`);

/** The competency furthest below its peer median (the lowest score on ties): where the rep most needs an example. */
export const weakestCompetency = (card: RepScorecard): Competency =>
  [...card.competencies].sort((a, b) => a.score - (a.peerMedian ?? a.score) - (b.score - (b.peerMedian ?? b.score)) || a.score - b.score)[0]!.key;

/**
 * For the rep's weakest competency, the teammates strongest at it (and ahead on at least one of its signals' values)
 * who also convert better, nearest first: same role
 * and segment, then the same manager, then anyone. "Converting better" is the win rate over the last year; when the rep
 * has too few closed deals for one, the peer must have one at all. Values side by side for each of the competency's signals.
 */
export const peerToLearnFrom = (cards: readonly RepScorecard[], users: readonly User[], repId: string, competency?: Competency): PeerSuggestion | null => {
  const card = cards.find((c) => c.repId === repId);
  if (!card) return null;
  const target = competency ?? weakestCompetency(card);
  const userById = new Map(users.map((u) => [u.id, u]));
  const me = userById.get(repId);
  const scoreOf = (c: RepScorecard): number => c.competencies.find((x) => x.key === target)!.score;
  const closeness = (u: User | undefined): PeerCandidate['closeness'] =>
    u && me && (u.role ?? null) === (me.role ?? null) && (u.segment ?? null) === (me.segment ?? null) ? 'role_segment' : u && me?.managerId && u.managerId === me.managerId ? 'team' : 'org';
  const rank = { role_segment: 0, team: 1, org: 2 } as const;
  const myScore = scoreOf(card);
  const mySignals = card.competencies.find((x) => x.key === target)!.signals;
  const converts = (c: RepScorecard): boolean => (card.raw.winRate === null ? c.raw.winRate !== null : c.raw.winRate !== null && c.raw.winRate >= card.raw.winRate + PEER_MIN_WIN_RATE_LEAD);
  const peers = cards
    .filter((c) => c.repId !== repId && scoreOf(c) >= myScore + PEER_MIN_LEAD && converts(c))
    .flatMap((c): PeerCandidate[] => {
      const theirs = c.competencies.find((x) => x.key === target)!.signals;
      const signals = mySignals.map((s): PeerSignalPair => {
        const t = theirs.find((x) => x.key === s.key);
        return { key: s.key, label: s.label, unit: s.unit, rep: s.value, peer: t?.value ?? null, repScore: s.score, peerScore: t?.score ?? null };
      });
      // The signal where the peer is furthest ahead in rank, among those where the peer's value is also higher (ranks
      // are within each one's own peer group): what there is to learn.
      const gap = (x: PeerSignalPair): number => (x.rep === null || x.peer === null || x.repScore === null || x.peerScore === null ? -Infinity : x.peerScore - x.repScore);
      const ahead = signals.filter((x) => x.rep !== null && x.peer !== null && x.peer > x.rep);
      // Scores rank each rep within their own peer group: a peer is only an example if they are ahead in the units too.
      if (!ahead.length) return [];
      const lead = [...ahead].sort((a, b) => gap(b) - gap(a))[0]!;
      const selfRate = selfWinRate(c);
      const shownValue = (v: number | null): string => (v === null ? 'n/a' : lead.unit === '$' ? `$${Math.round(v).toLocaleString('en-US')}` : `${round(v, 1)}${lead.unit === '%' ? ' %' : ''}`);
      const summary = `${card.repName}: ${shownValue(lead.rep)} (${lead.label.toLowerCase()}); ${c.repName}: ${shownValue(lead.peer)}. ${c.repName} wins ${pct(c.raw.winRate)} against ${pct(card.raw.winRate)}` +
        (target === 'pipeline' && selfRate !== null ? `; ${c.repName}'s self-generated deals win ${pct(selfRate)}` : '');
      return [{ repId: c.repId, repName: c.repName, closeness: closeness(userById.get(c.repId)), score: round(scoreOf(c), 0), winRate: c.raw.winRate, selfGeneratedWinRate: selfRate, signals, summary }];
    })
    .sort((a, b) => rank[a.closeness] - rank[b.closeness] || b.score - a.score || (b.winRate ?? 0) - (a.winRate ?? 0))
    .slice(0, MAX_PEERS);
  return { repId, competency: target, competencyLabel: COMPETENCY_LABELS[target], repScore: round(myScore, 0), repWinRate: card.raw.winRate, repSelfGeneratedWinRate: selfWinRate(card), peers };
};

// ---------------------------------------------------------------------------------------------------------------
// Team goals on leading indicators

/**
 * The behaviours a team goal can be set on, each counted in its quality-paired form only: a meaningful conversation
 * is a meeting with a contact or a connected call of at least the playbook's meaningful seconds; calls in zero-second
 * bursts are left out entirely; each rep's week counts at most GOAL_WEEK_CAP × the target, so one inflated week cannot
 * make up for empty ones. A raw count of calls or activities is deliberately not offered: a spiff on it is won by dialling.
 */
export const GOAL_SIGNALS = {
  meaningfulConversations: { label: 'Meaningful conversations per rep per week', executiveOnly: false },
  executiveConversations: { label: 'Conversations with executives per rep per week', executiveOnly: true },
} as const;
export type GoalSignal = keyof typeof GOAL_SIGNALS;
/**
 * Goals on a share the scorecard measures (not a count of events): each sync records the rep's value for its ISO week,
 * in the signal's quality-paired form — a next step counts only with an activity on the calendar, and the same
 * next-step text pasted on 3 or more deals counts on none of them.
 */
export const SHARE_GOAL_SIGNALS = {
  nextStepsScheduled: { label: 'Open deals with a dated next step (%) per rep' },
} as const;
export type ShareGoalSignal = keyof typeof SHARE_GOAL_SIGNALS;
export const GOAL_WEEK_CAP = 2;

export interface GoalSpec {
  signal: GoalSignal;
  targetPerWeek: number;
  /** Calendar dates, inclusive. */
  startDate: string;
  endDate: string;
  repIds: readonly string[];
}

export interface RepGoalProgress {
  repId: string;
  repName: string;
  /** Counted per week of the goal so far (capped); the week still running is marked incomplete. */
  weeks: { period: string; counted: number; complete: boolean }[];
  perWeek: number;
  onTarget: boolean;
  /**
   * What did not count: zero-second (≤ 5 s) calls and calls under the meaningful length (count goals), open deals whose
   * next-step text was pasted onto 3 or more deals (next-step goals).
   */
  notCounted: { zeroSecondCalls: number; shortCalls: number; pastedNextSteps?: number };
}

export interface GoalProgress {
  signal: GoalSignal | ShareGoalSignal;
  label: string;
  targetPerWeek: number;
  weeksElapsed: number;
  reps: RepGoalProgress[];
  team: { perWeek: number; repsOnTarget: number; reps: number };
}

/** Progress of a goal as of asOf: each rep's counted behaviour per week of the goal that has begun, and the team's. */
export const goalProgress = (index: OrgIndex, meaningfulCallSeconds: number, goal: GoalSpec, asOf: string): GoalProgress => {
  const asOfMs = toMs(asOf);
  const startDay = dayOfMs(toMs(goal.startDate));
  const endDay = Math.min(dayOfMs(toMs(goal.endDate)), dayOfMs(asOfMs));
  const weeksElapsed = Math.max(0, Math.ceil((endDay - startDay + 1) / 7));
  const byRep = activitiesByRep(index, toMs(goal.startDate));
  const cap = GOAL_WEEK_CAP * goal.targetPerWeek;
  const def = GOAL_SIGNALS[goal.signal];
  const reps = goal.repIds.map((repId): RepGoalProgress => {
    const inPeriod = (byRep.get(repId) ?? []).filter((a) => a.day >= startDay && a.day <= endDay && a.createdMs <= asOfMs && (a.activity.kind === 'meeting' || a.activity.status === 'done'));
    const bursts = zeroSecondBursts(inPeriod);
    const counts = new Map<number, number>();
    let zeroSecondCalls = 0;
    let shortCalls = 0;
    for (const a of inPeriod) {
      const isCall = a.activity.kind === 'call';
      if (isCall && (bursts.excluded.has(a.activity.id) || (a.activity.callDurationSeconds ?? 0) <= ZERO_CALL_SECONDS)) zeroSecondCalls++;
      else if (!isMeaningfulConversation(a, meaningfulCallSeconds)) shortCalls += isCall ? 1 : 0;
      else if (!def.executiveOnly || a.activity.contactIds.some((c) => index.executiveContactIds.has(c))) {
        const week = Math.floor((a.day - startDay) / 7);
        counts.set(week, (counts.get(week) ?? 0) + 1);
      }
    }
    const weeks = Array.from({ length: weeksElapsed }, (_, w) => ({ period: isoWeek((startDay + w * 7) * DAY_MS).period, counted: Math.min(cap, counts.get(w) ?? 0), complete: startDay + w * 7 + 6 <= endDay }));
    // The week still running would drag the average down on its first day: judged on complete weeks once there is one.
    const judged = weeks.some((w) => w.complete) ? weeks.filter((w) => w.complete) : weeks;
    const perWeek = judged.length ? judged.reduce((s, w) => s + w.counted, 0) / judged.length : 0;
    return { repId, repName: index.usersById.get(repId)?.name ?? repId, weeks, perWeek: round(perWeek, 1), onTarget: weeksElapsed > 0 && perWeek >= goal.targetPerWeek, notCounted: { zeroSecondCalls, shortCalls } };
  });
  const teamPerWeek = reps.length ? reps.reduce((s, r) => s + r.perWeek, 0) / reps.length : 0;
  return { signal: goal.signal, label: def.label, targetPerWeek: goal.targetPerWeek, weeksElapsed, reps, team: { perWeek: round(teamPerWeek, 1), repsOnTarget: reps.filter((r) => r.onTarget).length, reps: reps.length } };
};

/**
 * Progress of a share goal as of asOf: this week's value per rep (what the scorecard measured, `valueOf`) recorded over
 * the weeks the previous progress holds; the goal's value per rep is the mean of its weeks.
 */
export const shareGoalProgress = (
  goal: { signal: ShareGoalSignal; targetPerWeek: number; repIds: readonly string[] },
  index: OrgIndex,
  valueOf: (repId: string) => number | null,
  previous: GoalProgress | null,
  asOf: string,
): GoalProgress => {
  const asOfMs = toMs(asOf);
  const { period } = isoWeek(asOfMs);
  const reps = goal.repIds.map((repId): RepGoalProgress => {
    const before = previous?.reps.find((r) => r.repId === repId)?.weeks.filter((w) => w.period !== period) ?? [];
    const value = valueOf(repId);
    const weeks = [...before, ...(value === null ? [] : [{ period, counted: round(value, 1), complete: true }])].sort((a, b) => a.period.localeCompare(b.period));
    const perWeek = weeks.length ? weeks.reduce((sum, w) => sum + w.counted, 0) / weeks.length : 0;
    const open = index.snapshot.opportunities.filter((o) => o.ownerId === repId && isOpenAt(o, asOfMs));
    return {
      repId, repName: index.usersById.get(repId)?.name ?? repId, weeks, perWeek: round(perWeek, 1), onTarget: weeks.length > 0 && perWeek >= goal.targetPerWeek,
      notCounted: { zeroSecondCalls: 0, shortCalls: 0, pastedNextSteps: copyPastedNextSteps(open).deals.size },
    };
  });
  const teamPerWeek = reps.length ? reps.reduce((sum, r) => sum + r.perWeek, 0) / reps.length : 0;
  const weeksElapsed = new Set(reps.flatMap((r) => r.weeks.map((w) => w.period))).size;
  return { signal: goal.signal, label: SHARE_GOAL_SIGNALS[goal.signal].label, targetPerWeek: goal.targetPerWeek, weeksElapsed, reps, team: { perWeek: round(teamPerWeek, 1), repsOnTarget: reps.filter((r) => r.onTarget).length, reps: reps.length } };
};

// ---------------------------------------------------------------------------------------------------------------
// Deal inspection

export interface InspectionRecord {
  id: string;
  opportunityId: string;
  inspectedById: string | null;
  inspectedAt: string;
  questions: string[];
  answer: string | null;
}

/** An inspection counts for coverage when it happened in this many days up to asOf. */
export const INSPECTION_WINDOW_DAYS = 30;

export interface RepCoverage {
  repId: string;
  repName: string;
  openDeals: number;
  inspected: number;
  share: number | null;
  /** Open deals not inspected in the window (ids, for the list view and the component). */
  notInspectedIds: string[];
}

const isOpenAt = (o: Opportunity, asOfMs: number): boolean => toMs(o.createdDate) <= asOfMs && (!o.isClosed || !o.closeDate || toMs(o.closeDate) > asOfMs);

/** The latest inspection of each deal at or before asOf. */
export const lastInspections = (inspections: readonly InspectionRecord[], asOf: string): Map<string, InspectionRecord> => {
  const asOfMs = toMs(asOf);
  const last = new Map<string, InspectionRecord>();
  for (const i of inspections) {
    if (toMs(i.inspectedAt) > asOfMs) continue;
    const prev = last.get(i.opportunityId);
    if (!prev || toMs(i.inspectedAt) > toMs(prev.inspectedAt)) last.set(i.opportunityId, i);
  }
  return last;
};

/** Share of each rep's open deals inspected in the last 30 days, and the team's. */
export const inspectionCoverage = (deals: readonly Opportunity[], users: readonly User[], inspections: readonly InspectionRecord[], asOf: string, repIds?: readonly string[]): { reps: RepCoverage[]; team: { openDeals: number; inspected: number; share: number | null } } => {
  const asOfMs = toMs(asOf);
  const last = lastInspections(inspections, asOf);
  const recent = (id: string): boolean => {
    const i = last.get(id);
    return !!i && toMs(i.inspectedAt) > asOfMs - INSPECTION_WINDOW_DAYS * DAY_MS;
  };
  const names = new Map(users.map((u) => [u.id, u.name]));
  const wanted = repIds ? new Set(repIds) : null;
  const byRep = new Map<string, Opportunity[]>();
  for (const d of deals) if (d.ownerId && (!wanted || wanted.has(d.ownerId)) && isOpenAt(d, asOfMs)) pushTo(byRep, d.ownerId, d);
  const reps = [...(repIds ?? [...byRep.keys()])].map((repId): RepCoverage => {
    const open = byRep.get(repId) ?? [];
    const inspected = open.filter((d) => recent(d.id)).length;
    return { repId, repName: names.get(repId) ?? repId, openDeals: open.length, inspected, share: open.length ? round((inspected / open.length) * 100, 1) : null, notInspectedIds: open.filter((d) => !recent(d.id)).map((d) => d.id) };
  });
  const openDeals = reps.reduce((s, r) => s + r.openDeals, 0);
  const inspected = reps.reduce((s, r) => s + r.inspected, 0);
  return { reps, team: { openDeals, inspected, share: openDeals ? round((inspected / openDeals) * 100, 1) : null } };
};

export interface WinRateSide {
  closed: number;
  won: number;
  rate: number | null;
  interval: Interval | null;
}

export interface InspectionWinRates {
  windowDays: number;
  inspected: WinRateSide;
  notInspected: WinRateSide;
  /** Inspected win rate ÷ not-inspected win rate, when both exist. */
  ratio: number | null;
  /** The intervals do not overlap: the difference is more than chance. */
  separated: boolean;
  summary: string;
}

/**
 * Win rates of deals closed in the last `windowDays` that were inspected vs not. No hindsight: an inspection counts
 * only if it happened while the deal was open — after it was created and before its close date began — so a post-mortem
 * after the loss does not make "inspected" deals look worse, nor a look at a signed deal make them look better.
 */
export const inspectionWinRates = (deals: readonly Opportunity[], inspections: readonly InspectionRecord[], asOf: string, windowDays = 365): InspectionWinRates => {
  const asOfMs = toMs(asOf);
  const byDeal = new Map<string, number[]>();
  for (const i of inspections) pushTo(byDeal, i.opportunityId, toMs(i.inspectedAt));
  const closed = deals.filter((d) => d.isClosed && d.closeDate && toMs(d.closeDate) <= asOfMs && toMs(d.closeDate) > asOfMs - windowDays * DAY_MS);
  const side = (list: Opportunity[]): WinRateSide => {
    const won = list.filter((d) => d.isWon).length;
    return { closed: list.length, won, rate: list.length ? won / list.length : null, interval: wilson(won, list.length) };
  };
  const wasInspected = (d: Opportunity): boolean => (byDeal.get(d.id) ?? []).some((ms) => ms >= toMs(d.createdDate) && ms < toMs(d.closeDate!) && ms <= asOfMs);
  const inspected = side(closed.filter(wasInspected));
  const notInspected = side(closed.filter((d) => !wasInspected(d)));
  const ratio = inspected.rate !== null && notInspected.rate ? inspected.rate / notInspected.rate : null;
  const separated = !!inspected.interval && !!notInspected.interval && (inspected.interval.low > notInspected.interval.high || notInspected.interval.low > inspected.interval.high);
  const line = (name: string, s: WinRateSide): string => `${name} ${s.rate === null ? 'n/a' : pct(s.rate)} (${s.won} of ${s.closed}${s.interval ? `, 95 % interval ${pct(s.interval.low)}–${pct(s.interval.high)}` : ''})`;
  const summary = `${line('Inspected deals win', inspected)}; ${line('not inspected', notInspected)}${ratio !== null ? `: ${round(ratio, 1)}×` : ''}${separated ? '' : ' — within chance so far'}`;
  return { windowDays, inspected, notInspected, ratio, separated, summary };
};

/** What a plan is on, in words: "Meaningful conversations (30 days)". */
export const signalLabel = (key: string): string => SIGNAL_BY_KEY.get(key)?.label ?? key;
