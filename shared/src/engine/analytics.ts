// Org analytics for managers and admins, all as of asOf over closed history: stage conversion and velocity, which
// milestones actually predict wins (evaluated as of the moment each deal left the stage — no hindsight), and new-hire
// ramp against the typical cohort.
import type { OrgSnapshot, Opportunity } from '../model.ts';
import { processFor, type Playbook, type SalesProcess } from '../playbook/schema.ts';
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
    for (const deal of snapshot.opportunities) {
      if (processFor(playbook, deal.salesProcess).process !== process) continue;
      if (closedBy(deal, asOfMs)) {
        closedDeals++;
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
    return { process: process.name, closedDeals, stages, headlines: headlines(stages) };
  });
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
  /** Win rate when met ÷ win rate when missed; null when either side is too small. */
  lift: number | null;
  /** The two 95 % intervals do not overlap: the milestone separates winners from losers in this org's history. */
  predictive: boolean;
  verdict: string;
}

export interface BacktestReport {
  asOf: string;
  closedDeals: number;
  minimum: number;
  enoughHistory: boolean;
  message: string;
  milestones: MilestoneBacktest[];
}

const group = (won: number, deals: number): GroupStats => ({ deals, won, winRate: deals ? won / deals : null, interval: wilson(won, deals) });

/**
 * For every milestone of every gate: over closed deals that were in the gate's stage, was the milestone met at the
 * moment the deal left that stage (or closed from it)? Then the win rate when met vs missed, with 95 % Wilson
 * intervals. Only data dated up to that moment is used, so a milestone is never credited with what happened later.
 */
export const milestoneBacktest = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot)): BacktestReport => {
  const asOfMs = toMs(asOf);
  const tally = new Map<string, { process: string; stage: string; key: string; label: string; required: boolean; met: [number, number]; missed: [number, number] }>();
  let closedDeals = 0;
  for (const deal of snapshot.opportunities) {
    if (!closedBy(deal, asOfMs)) continue;
    closedDeals++;
    const { process } = processFor(playbook, deal.salesProcess);
    const records = dealRecords(deal, index);
    const entries = stageEntries(records.history, asOfMs);
    const closeMs = Math.min(asOfMs, toMs(deal.closeDate!) + DAY_MS - 1);
    // A deal counts once per stage: judged when it last left that stage (a re-entered stage was left again later).
    const lastVisit = new Map(entries.map((e, i) => [e.stage, i]));
    entries.forEach((entry, i) => {
      const stage = process.stages.find((s) => s.name === entry.stage);
      if (!stage || stage.closed || !stage.gate.milestones.length || lastVisit.get(entry.stage) !== i) return;
      const leftMs = (entries[i + 1]?.ms ?? closeMs) - 1;
      for (const m of milestoneVerdicts(stage, records, index, playbook.settings, leftMs, entry.ms)) {
        const id = `${process.name}|${stage.name}|${m.milestone.key}`;
        const t = tally.get(id) ?? { process: process.name, stage: stage.name, key: m.milestone.key, label: m.milestone.label, required: m.milestone.required, met: [0, 0], missed: [0, 0] };
        const side = m.met ? t.met : t.missed;
        side[1]++;
        if (deal.isWon) side[0]++;
        tally.set(id, t);
      }
    });
  }
  const enoughHistory = closedDeals >= MIN_CLOSED_FOR_BACKTEST;
  const milestones = [...tally.values()].map((t): MilestoneBacktest => {
    const met = group(t.met[0], t.met[1]);
    const missed = group(t.missed[0], t.missed[1]);
    const sized = met.deals >= MIN_GROUP_FOR_LIFT && missed.deals >= MIN_GROUP_FOR_LIFT;
    const lift = sized && missed.winRate ? met.winRate! / missed.winRate : sized && met.winRate ? Number.POSITIVE_INFINITY : null;
    const predictive = enoughHistory && sized && met.interval!.low > missed.interval!.high;
    const verdict = !enoughHistory
      ? 'too little history to judge'
      : !sized
        ? `too few deals on one side to tell (met ${met.deals}, missed ${missed.deals})`
        : predictive
          ? `predicts wins: ${pct(met.winRate)} when met, ${pct(missed.winRate)} when missed`
          : missed.interval!.low > met.interval!.high
            ? `deals that met it won less often (${pct(met.winRate)} vs ${pct(missed.winRate)}): review it`
            : `does not predict wins here (${pct(met.winRate)} vs ${pct(missed.winRate)}, intervals overlap)`;
    return { process: t.process, stage: t.stage, key: t.key, label: t.label, required: t.required, evaluated: met.deals + missed.deals, met, missed, lift: lift === null || !Number.isFinite(lift) ? lift : round(lift, 2), predictive, verdict };
  });
  milestones.sort((a, b) => Number(b.predictive) - Number(a.predictive) || (b.lift ?? 0) - (a.lift ?? 0));
  return {
    asOf: new Date(asOfMs).toISOString(),
    closedDeals,
    minimum: MIN_CLOSED_FOR_BACKTEST,
    enoughHistory,
    message: enoughHistory
      ? `${closedDeals.toLocaleString('en-US')} closed deals evaluated as of the moment each left each stage`
      : `Only ${closedDeals} closed deals: at least ${MIN_CLOSED_FOR_BACKTEST} are needed before milestone win rates mean anything`,
    milestones,
  };
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
