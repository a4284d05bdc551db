// Org analytics for managers and admins, all as of asOf over closed history: stage conversion and velocity, which
// milestones actually predict wins (evaluated as of the moment each deal left the stage — no hindsight), and new-hire
// ramp against the typical cohort.
import type { OrgSnapshot, Opportunity } from '../model.ts';
import { processFor, type Playbook, type SalesProcess } from '../playbook/schema.ts';
import { fieldReferences } from '../playbook/fields.ts';
import { stageBenchmarks } from './benchmarks.ts';
import { milestoneVerdicts } from './gates.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import { dealRecords } from './rules.ts';
import { groupBy, pushTo } from './group.ts';
import { stageEntries } from './stage.ts';
import { median, round, wilson, type Interval } from './stats.ts';
import { DAY_MS, toMs } from './time.ts';

/** Fewer closed deals than this, and the backtest says there is too little history to judge by. */
export const MIN_CLOSED_FOR_BACKTEST = 30;
/** Each side of a milestone comparison (met / missed) needs at least this many deals for a lift. */
export const MIN_GROUP_FOR_LIFT = 5;

const closedBy = (o: Opportunity, asOfMs: number): boolean => o.isClosed && !!o.closeDate && toMs(o.closeDate) <= asOfMs;
const money = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;
const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)} %`);

/** The highest stage order a deal reached by asOf (a won deal reached every stage before the won one). */
const furthestOrder = (deal: Opportunity, process: SalesProcess, index: OrgIndex, asOfMs: number): number => {
  const order = new Map(process.stages.map((s, i) => [s.name, i]));
  const openMax = Math.max(-1, ...stageEntries(index.historyByOpportunity.get(deal.id) ?? [], asOfMs).map((e) => (process.stages[order.get(e.stage) ?? -1]?.closed ? -1 : order.get(e.stage) ?? -1)));
  const current = order.get(deal.stage);
  const currentOpen = current !== undefined && !process.stages[current]!.closed ? current : -1;
  if (deal.isWon) return process.stages.filter((s) => !s.closed).length - 1;
  return Math.max(openMax, currentOpen);
};

export interface StageConversion {
  stage: string;
  /** Closed deals that reached this stage, and how many of them were won. */
  reached: number;
  won: number;
  winRate: number | null;
  interval: Interval | null;
  /** Median whole days won deals spent in the stage. */
  medianDaysWon: number | null;
  openDeals: number;
  openValue: number;
}

export interface ConversionReport {
  process: string;
  closedDeals: number;
  /** Closed deals with no stage history up to asOf: where a lost one was lost cannot be told, so none is in the per-stage rates. */
  withoutHistory: number;
  /** Won ÷ closed over every closed deal of the process (history or not). */
  overallWinRate: number | null;
  /** What the per-stage figures can and cannot say (no stage history: no per-stage claims). */
  message: string;
  stages: StageConversion[];
  /** "$987,500 in Needs Analysis; deals that reach Proposal/Price Quote win 65 % instead of 27 %" */
  headlines: string[];
}

export const stageConversion = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot)): ConversionReport[] => {
  const asOfMs = toMs(asOf);
  const benchmarks = stageBenchmarks(snapshot, index, asOfMs);
  return playbook.processes.map((process) => {
    const open = process.stages.filter((s) => !s.closed);
    const reached = open.map(() => ({ reached: 0, won: 0, openDeals: 0, openValue: 0 }));
    let closedDeals = 0;
    let closedWon = 0;
    let withoutHistory = 0;
    for (const deal of snapshot.opportunities) {
      if (processFor(playbook, deal.salesProcess).process !== process) continue;
      if (closedBy(deal, asOfMs)) {
        closedDeals++;
        if (deal.isWon) closedWon++;
        // Without stage history a lost deal reaches no stage and a won one every stage: counting them would show a
        // 100 % win rate at the first stage. They are left out of the per-stage rates, and counted.
        if (!hasOpenStageHistory(deal, process, index, asOfMs)) {
          withoutHistory++;
          continue;
        }
        const furthest = furthestOrder(deal, process, index, asOfMs);
        for (let i = 0; i <= furthest && i < open.length; i++) {
          reached[i]!.reached++;
          if (deal.isWon) reached[i]!.won++;
        }
      } else if (!deal.isClosed && toMs(deal.createdDate) <= asOfMs) {
        const i = open.findIndex((s) => s.name === deal.stage);
        if (i >= 0) {
          reached[i]!.openDeals++;
          reached[i]!.openValue += deal.amount ?? 0;
        }
      }
    }
    const stages = open.map((s, i): StageConversion => {
      const r = reached[i]!;
      return { stage: s.name, reached: r.reached, won: r.won, winRate: r.reached ? r.won / r.reached : null, interval: wilson(r.won, r.reached), medianDaysWon: benchmarks.get(s.name)?.medianDays ?? null, openDeals: r.openDeals, openValue: r.openValue };
    });
    const overallWinRate = closedDeals ? closedWon / closedDeals : null;
    const message = closedDeals === 0
      ? 'No closed deals yet'
      : withoutHistory === closedDeals
        ? `No stage history: ${closedDeals.toLocaleString('en-US')} closed deals, ${pct(overallWinRate)} won overall; where the lost ones were lost cannot be told, so there are no per-stage win rates`
        : withoutHistory > 0
          ? `${(closedDeals - withoutHistory).toLocaleString('en-US')} of ${closedDeals.toLocaleString('en-US')} closed deals have stage history; the ${withoutHistory.toLocaleString('en-US')} without are left out of the per-stage rates (${pct(overallWinRate)} won overall)`
          : `${closedDeals.toLocaleString('en-US')} closed deals, ${pct(overallWinRate)} won overall`;
    return { process: process.name, closedDeals, withoutHistory, overallWinRate, message, stages, headlines: headlines(stages) };
  });
};

/** Whether the deal's stage history (up to asOf) shows it in an open stage of the process at least once. */
const hasOpenStageHistory = (deal: Opportunity, process: SalesProcess, index: OrgIndex, asOfMs: number): boolean => {
  const open = new Set(process.stages.filter((s) => !s.closed).map((s) => s.name));
  return stageEntries(index.historyByOpportunity.get(deal.id) ?? [], asOfMs).some((e) => open.has(e.stage));
};

/** For the stages holding the most open value: what moving those deals two stages on is worth, in win rate. */
const headlines = (stages: StageConversion[]): string[] =>
  stages
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.openValue > 0 && s.winRate !== null)
    .sort((a, b) => b.s.openValue - a.s.openValue)
    .slice(0, 3)
    .flatMap(({ s, i }) => {
      const target = stages[Math.min(stages.length - 1, i + 2)]!;
      if (target === s || target.winRate === null) return [];
      return [`${money(s.openValue)} in ${s.stage}; deals that reach ${target.stage} win ${pct(target.winRate)} instead of ${pct(s.winRate)}`];
    });

export interface GroupStats {
  deals: number;
  won: number;
  winRate: number | null;
  interval: Interval | null;
}

export interface MilestoneBacktest {
  process: string;
  stage: string;
  key: string;
  label: string;
  required: boolean;
  /** Closed deals that left (or closed from) the stage, evaluated as of that moment. */
  evaluated: number;
  met: GroupStats;
  missed: GroupStats;
  /**
   * Lift: win rate when met ÷ win rate when missed. Above 1 the milestone goes with winning, below 1 with losing.
   * Null when it is not a finite number — too few deals on a side, or no win on the missed side — and `liftText` says which.
   */
  lift: number | null;
  /** The lift in words, never a blank: "2.40×", "0.50× (missing it goes with winning: 2.00×)", "∞: no deal that missed it was won" … */
  liftText: string;
  /** Which outcome meeting the milestone goes with; null when there are too few deals to tell. */
  direction: 'wins' | 'losses' | 'neither' | null;
  /** The two 95 % intervals do not overlap: the milestone separates winners from losers in this org's history. */
  predictive: boolean;
  /** The intervals separate the other way: deals that met it lost more often (worth knowing, and reviewing). */
  predictsLoss: boolean;
  /** Judged as the deal left the stage (stage history), or on the deal's final values at close (no stage history). */
  basis: 'stage-exit' | 'at-close';
  verdict: string;
}

export interface BacktestReport {
  asOf: string;
  closedDeals: number;
  minimum: number;
  enoughHistory: boolean;
  /** stage-exit: milestones judged as each deal left each stage; at-close: no stage history, judged on final values. */
  basis: 'stage-exit' | 'at-close';
  /** Closed deals without stage history (left out of a stage-exit backtest; all of them in an at-close one). */
  withoutHistory: number;
  /** Fields the rules name that have no history here: judged on their value today, which may know the outcome. */
  fieldsJudgedToday: string[];
  /** Fields judged as they were at the moment, from field (or stage) history. */
  fieldsFromHistory: string[];
  message: string;
  milestones: MilestoneBacktest[];
}

const list = (xs: readonly string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);

/** The lift and its plain words, for every case: a number, infinite, zero, undefined, or too few deals. */
export const describeLift = (met: GroupStats, missed: GroupStats, sized: boolean): { lift: number | null; liftText: string; direction: MilestoneBacktest['direction'] } => {
  if (!sized) return { lift: null, liftText: `too few deals to tell (met ${met.deals}, missed ${missed.deals})`, direction: null };
  if (!missed.winRate && !met.winRate) return { lift: null, liftText: 'undefined: no deal was won either way', direction: 'neither' };
  if (!missed.winRate) return { lift: null, liftText: '∞: no deal that missed it was won', direction: 'wins' };
  const lift = round(met.winRate! / missed.winRate, 2);
  if (lift === 0) return { lift: 0, liftText: '0×: no deal that met it was won', direction: 'losses' };
  if (lift < 1) return { lift, liftText: `${lift.toFixed(2)}× (goes with losing; missing it goes with winning: ${(1 / lift).toFixed(2)}×)`, direction: 'losses' };
  return { lift, liftText: `${lift.toFixed(2)}×`, direction: lift > 1 ? 'wins' : 'neither' };
};

const group = (won: number, deals: number): GroupStats => ({ deals, won, winRate: deals ? won / deals : null, interval: wilson(won, deals) });

/**
 * For every milestone of every gate: over closed deals that were in the gate's stage, was the milestone met at the
 * moment the deal left that stage (or closed from it)? Then the win rate when met vs missed, with 95 % Wilson
 * intervals. Only data dated up to that moment is used, so a milestone is never credited with what happened later.
 */
export const milestoneBacktest = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot)): BacktestReport => {
  const asOfMs = toMs(asOf);
  const tally = new Map<string, { process: string; stage: string; key: string; label: string; required: boolean; met: [number, number]; missed: [number, number] }>();
  const count = (process: string, stage: string, m: { milestone: { key: string; label: string; required: boolean }; met: boolean }, won: boolean): void => {
    const id = `${process}|${stage}|${m.milestone.key}`;
    const t = tally.get(id) ?? { process, stage, key: m.milestone.key, label: m.milestone.label, required: m.milestone.required, met: [0, 0], missed: [0, 0] };
    const side = m.met ? t.met : t.missed;
    side[1]++;
    if (won) side[0]++;
    tally.set(id, t);
  };
  const closed = snapshot.opportunities.filter((deal) => closedBy(deal, asOfMs));
  const withHistory = closed.filter((deal) => hasOpenStageHistory(deal, processFor(playbook, deal.salesProcess).process, index, asOfMs));
  // With no stage history at all, the only honest reading is the deals' final values at close; with some, the deals
  // without it are left out rather than judged differently.
  const basis: BacktestReport['basis'] = closed.length > 0 && withHistory.length === 0 ? 'at-close' : 'stage-exit';
  for (const deal of basis === 'at-close' ? closed : withHistory) {
    const { process } = processFor(playbook, deal.salesProcess);
    const records = dealRecords(deal, index);
    const closeMs = Math.min(asOfMs, toMs(deal.closeDate!) + DAY_MS - 1);
    if (basis === 'at-close') {
      // Each milestone once per deal, judged at close, under the first gate that has it.
      const seen = new Set<string>();
      for (const stage of process.stages) {
        if (stage.closed) continue;
        for (const m of milestoneVerdicts(stage, records, index, playbook.settings, closeMs, toMs(deal.createdDate))) {
          if (seen.has(m.milestone.key)) continue;
          seen.add(m.milestone.key);
          count(process.name, stage.name, m, deal.isWon);
        }
      }
      continue;
    }
    const entries = stageEntries(records.history, asOfMs);
    // A deal counts once per stage: judged when it last left that stage (a re-entered stage was left again later).
    const lastVisit = new Map(entries.map((e, i) => [e.stage, i]));
    entries.forEach((entry, i) => {
      const stage = process.stages.find((s) => s.name === entry.stage);
      if (!stage || stage.closed || !stage.gate.milestones.length || lastVisit.get(entry.stage) !== i) return;
      const leftMs = (entries[i + 1]?.ms ?? closeMs) - 1;
      for (const m of milestoneVerdicts(stage, records, index, playbook.settings, leftMs, entry.ms)) count(process.name, stage.name, m, deal.isWon);
    });
  }
  const closedDeals = closed.length;
  const enoughHistory = closedDeals >= MIN_CLOSED_FOR_BACKTEST;
  const milestones = [...tally.values()].map((t): MilestoneBacktest => {
    const met = group(t.met[0], t.met[1]);
    const missed = group(t.missed[0], t.missed[1]);
    const sized = met.deals >= MIN_GROUP_FOR_LIFT && missed.deals >= MIN_GROUP_FOR_LIFT;
    const { lift, liftText, direction } = describeLift(met, missed, sized);
    const predictive = enoughHistory && sized && met.interval!.low > missed.interval!.high;
    const predictsLoss = enoughHistory && sized && missed.interval!.low > met.interval!.high;
    const when = basis === 'at-close' ? ' (judged at close)' : '';
    const verdict = !enoughHistory
      ? 'too little history to judge'
      : !sized
        ? `too few deals on one side to tell (met ${met.deals}, missed ${missed.deals})`
        : predictive
          ? `predicts wins${when}: ${pct(met.winRate)} when met, ${pct(missed.winRate)} when missed`
          : predictsLoss
            ? `goes with losing${when}: deals that met it won ${pct(met.winRate)}, those that missed it ${pct(missed.winRate)}; review it`
            : `does not predict wins here (${pct(met.winRate)} vs ${pct(missed.winRate)}, intervals overlap)`;
    return { process: t.process, stage: t.stage, key: t.key, label: t.label, required: t.required, evaluated: met.deals + missed.deals, met, missed, lift, liftText, direction, predictive, predictsLoss, basis, verdict };
  });
  // Separating milestones first (for wins, then for losses), then by how far the lift is from 1 either way.
  const strength = (m: MilestoneBacktest): number => (m.lift === null ? (m.direction === 'wins' ? Number.MAX_VALUE : -1) : m.lift >= 1 ? m.lift : m.lift === 0 ? Number.MAX_VALUE / 2 : 1 / m.lift);
  milestones.sort((a, b) => Number(b.predictive) - Number(a.predictive) || Number(b.predictsLoss) - Number(a.predictsLoss) || strength(b) - strength(a));

  // Which fields were judged as they were, and which only as they are now.
  const fields = [...new Set(fieldReferences(playbook).map((r) => r.field))].sort();
  const fromStageHistory = (f: string): boolean => (f === 'Amount' || f === 'CloseDate') && basis === 'stage-exit';
  const fieldsFromHistory = fields.filter((f) => index.trackedFields?.has(f.toLowerCase()) || fromStageHistory(f));
  const fieldsJudgedToday = fields.filter((f) => !fieldsFromHistory.includes(f));
  const todayNote = fieldsJudgedToday.length
    ? `; ${list(fieldsJudgedToday)} ${fieldsJudgedToday.length === 1 ? 'has' : 'have'} no field history here, so ${fieldsJudgedToday.length === 1 ? 'it is' : 'they are'} judged on ${fieldsJudgedToday.length === 1 ? 'its value' : 'their values'} today, which may reflect the outcome`
    : '';
  const historyNote = fieldsFromHistory.length && basis === 'stage-exit' ? `; ${list(fieldsFromHistory)} judged as ${fieldsFromHistory.length === 1 ? 'it was' : 'they were'} at each stage exit, from history` : '';
  const withoutHistory = closedDeals - withHistory.length;
  const n = (x: number): string => x.toLocaleString('en-US');
  const message = !enoughHistory
    ? `Only ${closedDeals} closed deals: at least ${MIN_CLOSED_FOR_BACKTEST} are needed before milestone win rates mean anything`
    : basis === 'at-close'
      ? `No stage history: ${n(closedDeals)} closed deals judged on their final values at close — this shows which milestones go with winning, not whether they were met before the deal moved on, and makes no per-stage claims${todayNote}`
      : `${n(withHistory.length)} closed deals evaluated as of the moment each left each stage${withoutHistory ? `; ${n(withoutHistory)} closed deals without stage history are left out` : ''}${historyNote}${todayNote}`;
  return { asOf: new Date(asOfMs).toISOString(), closedDeals, minimum: MIN_CLOSED_FOR_BACKTEST, enoughHistory, basis, withoutHistory, fieldsJudgedToday, fieldsFromHistory, message, milestones };
};

export const RAMP_MILESTONES = ['firstMeaningfulConversation', 'firstSelfGeneratedOpportunity', 'firstDealToMidStage', 'firstWin'] as const;
export type RampMilestone = (typeof RAMP_MILESTONES)[number];
export const RAMP_LABELS: Record<RampMilestone, string> = {
  firstMeaningfulConversation: 'First meaningful conversation',
  firstSelfGeneratedOpportunity: 'First self-generated opportunity',
  firstDealToMidStage: 'First deal to a mid stage',
  firstWin: 'First win',
};
const CURVE_WEEKS = 26;
/** Ramp looks at a rep's first year: a first conversation after that is not ramp. */
const RAMP_WINDOW_DAYS = 365;

export interface RepRamp {
  repId: string;
  name: string;
  startDate: string;
  /** Weeks from start to each milestone (null: not reached yet). */
  weeks: Record<RampMilestone, number | null>;
  /** Mean weeks ahead (+) or behind (−) the typical cohort over the milestones reached; null with none reached. */
  paceWeeks: number | null;
  pace: string;
}

export interface RampReport {
  typical: Record<RampMilestone, number | null>;
  cohorts: { month: string; reps: RepRamp[]; curve: { week: number; conversations: number; opportunities: number; advanced: number }[] }[];
}

/** New-hire ramp: each rep's leading milestones by week since start, cohorts by start month, against the typical rep. */
export const rampReport = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot)): RampReport => {
  const asOfMs = toMs(asOf);
  const settings = playbook.settings;
  const ownedBy = groupBy(snapshot.opportunities.filter((o) => toMs(o.createdDate) <= asOfMs), (o) => o.ownerId);
  const reps = snapshot.users.filter((u) => u.startDate && toMs(u.startDate) <= asOfMs && ownedBy.has(u.id));
  const weekOf = (startMs: number, ms: number): number => Math.floor((ms - startMs) / (7 * DAY_MS));

  // Ramp is the first year in the seat: one pass over the activities of that year, not over every activity ever.
  const repById = new Map(reps.map((r) => [r.id, r]));
  const ownerOf = new Map(snapshot.opportunities.map((o) => [o.id, o.ownerId]));
  const conversations = new Map<string, number[]>();
  for (const a of snapshot.activities) {
    const repId = a.ownerId ?? (a.opportunityId ? ownerOf.get(a.opportunityId) : null);
    const rep = repId ? repById.get(repId) : undefined;
    if (!rep) continue;
    const ms = toMs(a.date);
    const startMs = toMs(rep.startDate!);
    if (ms < startMs || ms > Math.min(asOfMs, startMs + RAMP_WINDOW_DAYS * DAY_MS)) continue;
    const held = a.kind === 'meeting' || a.status === 'done';
    const meaningful = (a.kind === 'meeting' && a.contactIds.length > 0) || (a.kind === 'call' && a.callConnected === true && (a.callDurationSeconds ?? 0) >= settings.meaningfulCallSeconds);
    if (held && meaningful) pushTo(conversations, rep.id, ms);
  }

  const perRep = reps.map((rep) => {
    const startMs = toMs(rep.startDate!);
    const owned = ownedBy.get(rep.id)!;
    const events: Record<RampMilestone, number[]> = { firstMeaningfulConversation: conversations.get(rep.id) ?? [], firstSelfGeneratedOpportunity: [], firstDealToMidStage: [], firstWin: [] };
    for (const deal of owned) {
      if (deal.createdById === rep.id) events.firstSelfGeneratedOpportunity.push(toMs(deal.createdDate));
      const { process } = processFor(playbook, deal.salesProcess);
      const mid = Math.floor(process.stages.filter((s) => !s.closed).length / 2);
      const order = new Map(process.stages.map((s, i) => [s.name, i]));
      const midEntry = stageEntries(index.historyByOpportunity.get(deal.id) ?? [], asOfMs).find((e) => (order.get(e.stage) ?? -1) >= mid);
      if (midEntry) events.firstDealToMidStage.push(midEntry.ms);
      if (deal.isWon && deal.closeDate && toMs(deal.closeDate) <= asOfMs) events.firstWin.push(toMs(deal.closeDate));
    }
    const weeks = Object.fromEntries(RAMP_MILESTONES.map((m) => {
      const after = events[m].filter((ms) => ms >= startMs);
      return [m, after.length ? weekOf(startMs, Math.min(...after)) : null];
    })) as Record<RampMilestone, number | null>;
    return { rep, startMs, owned, events, weeks };
  });

  const typical = Object.fromEntries(RAMP_MILESTONES.map((m) => [m, median(perRep.map((r) => r.weeks[m]).filter((w): w is number => w !== null))])) as Record<RampMilestone, number | null>;

  const cohorts = new Map<string, typeof perRep>();
  for (const r of perRep) {
    const month = r.rep.startDate!.slice(0, 7);
    cohorts.set(month, [...(cohorts.get(month) ?? []), r]);
  }
  return {
    typical,
    cohorts: [...cohorts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, members]) => ({
      month,
      reps: members.map((r): RepRamp => {
        const diffs = RAMP_MILESTONES.filter((m) => r.weeks[m] !== null && typical[m] !== null).map((m) => typical[m]! - r.weeks[m]!);
        const paceWeeks = diffs.length ? round(diffs.reduce((s, d) => s + d, 0) / diffs.length, 1) : null;
        const pace = paceWeeks === null ? 'no ramp milestone reached yet' : paceWeeks === 0 ? 'on pace' : `${Math.abs(paceWeeks)} week${Math.abs(paceWeeks) === 1 ? '' : 's'} ${paceWeeks > 0 ? 'ahead of' : 'behind'} pace`;
        return { repId: r.rep.id, name: r.rep.name, startDate: r.rep.startDate!, weeks: r.weeks, paceWeeks, pace };
      }),
      curve: Array.from({ length: CURVE_WEEKS + 1 }, (_, week) => {
        const avg = (m: RampMilestone): number => round(members.reduce((s, r) => s + r.events[m].filter((ms) => ms >= r.startMs && weekOf(r.startMs, ms) <= week).length, 0) / members.length, 2);
        return { week, conversations: avg('firstMeaningfulConversation'), opportunities: avg('firstSelfGeneratedOpportunity'), advanced: avg('firstDealToMidStage') };
      }),
    })),
  };
};
