// Risk flags backtested like milestones: over the org's closed deals, each deal judged as of the moment it left each
// stage, was the flag up then, and did the deal go on to win? A flag that does not predict losses on this org is
// reported as such and not raised on deals (unless the playbook's settings say `raise`).
import { RISK_FLAGS, type RiskFlag } from '../fields.ts';
import type { OrgSnapshot } from '../model.ts';
import type { Playbook } from '../playbook/schema.ts';
import { processFor } from '../playbook/schema.ts';
import { stageBenchmarks, type StageBenchmarks } from './benchmarks.ts';
import { engagedContacts, nextStepSet } from './engagement.ts';
import { gatePassed, milestoneVerdicts } from './gates.ts';
import type { DealIndicators } from './opportunity.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import { riskFlags, stallThreshold } from './risk.ts';
import { dealRecords } from './rules.ts';
import { stageEntries } from './stage.ts';
import { round, wilson, type Interval } from './stats.ts';
import { DAY_MS, calendarDaysBetween, toMs } from './time.ts';

/** Fewer closed deals than this: no flag is judged (all are raised, and the report says why). */
export const MIN_CLOSED_FOR_FLAGS = 30;
/** Each side (flagged, clear) needs this many deal-stage judgements for a lift. */
export const MIN_SIDE_FOR_FLAG = 10;

export interface FlagSide {
  /** Deal-stage judgements on this side, and how many of those deals were won. */
  judged: number;
  won: number;
  winRate: number | null;
}

export interface FlagBacktest {
  flag: RiskFlag;
  flagged: FlagSide;
  clear: FlagSide;
  /** Win rate when flagged / when clear: below 1, the flag predicts losses. */
  lift: number | null;
  /** 95 % interval of the lift (log risk ratio, counts deflated by the judgements per deal, since they are not independent). */
  interval: Interval | null;
  /** The interval lies wholly below 1. */
  predictive: boolean;
  /** Share of open deals carrying it as of asOf (when the open deals were given). */
  openShare: number | null;
  /** Raised on deals: predictive (or too little history to judge), unless the playbook's settings override. */
  raised: boolean;
  verdict: string;
}

export interface FlagBacktestReport {
  asOf: string;
  closedDeals: number;
  enoughHistory: boolean;
  message: string;
  /** Stage → days in stage above which a deal is Stalled as of asOf (from the org's won deals), or null when not judged. */
  stallThresholds: Record<string, number | null>;
  flags: FlagBacktest[];
}

const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)} %`);

/** 95 % interval of a risk ratio a/n1 ÷ c/n2 on the log scale (0.5 added to empty cells). */
const riskRatioInterval = (a: number, n1: number, c: number, n2: number): Interval | null => {
  if (!n1 || !n2) return null;
  const [x, y] = a === 0 || c === 0 ? [a + 0.5, c + 0.5] : [a, c];
  const [m1, m2] = a === 0 || c === 0 ? [n1 + 0.5, n2 + 0.5] : [n1, n2];
  const log = Math.log(x / m1 / (y / m2));
  const se = Math.sqrt(Math.max(0, 1 / x - 1 / m1 + 1 / y - 1 / m2));
  return { low: round(Math.exp(log - 1.96 * se), 3), high: round(Math.exp(log + 1.96 * se), 3) };
};

/** One closed deal as it stood 1 ms before it last left one stage: what the flags and the win model see. */
export interface Judgement {
  dealId: string;
  amount: number;
  won: boolean;
  stage: string;
  /** The stage's position in its process (0 = first). */
  stageIndex: number;
  daysInStage: number;
  /** Median days the org's won deals (closed by the start of that month) spent in the stage, or null. */
  wonMedianDays: number | null;
  stakeholders: number;
  executive: boolean;
  flags: Set<RiskFlag>;
  /** Weighted share (0–100) of the stage gate's milestones met then (only when asked for: it costs a gate evaluation). */
  gateScore: number | null;
}

/** The gate's weighted share of milestones met (attested counts), 0–100, from verdicts only (no evidence built). */
const gateScoreAt = (stage: Parameters<typeof milestoneVerdicts>[0], records: Parameters<typeof milestoneVerdicts>[1], index: OrgIndex, settings: Playbook['settings'], atMs: number, enteredMs: number): number => {
  const verdicts = milestoneVerdicts(stage, records, index, settings, atMs, enteredMs);
  const total = verdicts.reduce((sum, v) => sum + v.milestone.weight, 0);
  return total ? (verdicts.reduce((sum, v) => sum + (v.met ? v.milestone.weight : 0), 0) / total) * 100 : 100;
};

/** Every closed deal's judgements, collected once for both the flag backtest and the win model. */
export interface ClosedJudgements {
  judgements: Judgement[];
  closedDeals: number;
}

export const collectJudgements = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex, options: { gate?: boolean } = {}): ClosedJudgements => {
  const judgements: Judgement[] = [];
  const closedDeals = judgeClosedDeals(snapshot, playbook, toMs(asOf), index, (j) => judgements.push(j), options);
  return { judgements, closedDeals };
};

/**
 * Every deal closed by asOf, judged once per stage it visited, as of 1 ms before it last left that stage (or closed
 * from it), with the yardsticks (won deals' days per stage) of deals closed by the start of that month: nothing dated
 * or known later is seen. Returns how many closed deals there were.
 */
export const judgeClosedDeals = (
  snapshot: OrgSnapshot,
  playbook: Playbook,
  asOfMs: number,
  index: OrgIndex,
  visit: (j: Judgement) => void,
  /** `only`: judge these deals (a batch); `byMonth`: the monthly yardsticks, kept across the batches of one judgement. */
  options: { gate?: boolean; only?: ReadonlySet<string>; byMonth?: Map<number, StageBenchmarks> } = {},
): number => {
  const byMonth = options.byMonth ?? new Map<number, StageBenchmarks>();
  const benchmarksAt = (ms: number): StageBenchmarks => {
    const d = new Date(ms);
    const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    let b = byMonth.get(month);
    if (!b) byMonth.set(month, (b = stageBenchmarks(snapshot, index, month)));
    return b;
  };
  let closedDeals = 0;
  for (const deal of snapshot.opportunities) {
    if (!deal.isClosed || !deal.closeDate || toMs(deal.closeDate) > asOfMs) continue;
    // A caller that brings closed deals' activities in batches judges one batch at a time.
    if (options.only && !options.only.has(deal.id)) continue;
    closedDeals++;
    const { process } = processFor(playbook, deal.salesProcess);
    const records = dealRecords(deal, index);
    const entries = stageEntries(records.history, asOfMs);
    const closeMs = Math.min(asOfMs, toMs(deal.closeDate) + DAY_MS - 1);
    const lastVisit = new Map(entries.map((e, i) => [e.stage, i]));
    const order = new Map(process.stages.map((s, k) => [s.name, k]));
    const settings = playbook.settings;
    // The path walked so far: which earlier gates were passed unmet when the deal moved (as computeDeal's walk does,
    // one transition at a time, so each judgement sees only the moves before it).
    const skippedAt = new Map<string, number>();
    entries.forEach((entry, i) => {
      if (i > 0) {
        const from = order.get(entries[i - 1]!.stage);
        const to = order.get(entry.stage);
        if (from !== undefined && to !== undefined && to > from) {
          for (let k = from; k < to; k++) {
            const passed = process.stages[k]!;
            if (passed.closed) continue;
            if (gatePassed(passed, records, index, settings, entry.ms - 1, k === from ? entries[i - 1]!.ms : entry.ms)) skippedAt.delete(passed.name);
            else skippedAt.set(passed.name, entry.ms);
          }
        }
      }
      const stage = process.stages.find((s) => s.name === entry.stage);
      if (!stage || stage.closed || lastVisit.get(entry.stage) !== i) return;
      const leftMs = (entries[i + 1]?.ms ?? closeMs) - 1;
      if (leftMs <= entry.ms) return;
      const current = order.get(stage.name)!;
      const engaged = engagedContacts(records.activities, leftMs, settings.engagementWindowDays);
      const benchmark = benchmarksAt(leftMs).get(stage.name);
      const executive = engaged.some((e) => index.executiveContactIds.has(e.contactId));
      const daysInStage = calendarDaysBetween(entry.ms, leftMs);
      const flags = new Set(riskFlags(records, {
        process, settings, stage: stage.name, daysInStage, stakeholdersEngaged: engaged.length, executiveEngaged: executive,
        nextStepSet: nextStepSet(deal.nextStep, records.activities, leftMs), gateSkipped: [...skippedAt.keys()].some((name) => (order.get(name) ?? 0) < current), benchmark,
      }, leftMs));
      visit({
        dealId: deal.id, amount: deal.amount ?? 0, won: deal.isWon, stage: stage.name, stageIndex: current, daysInStage, wonMedianDays: benchmark?.medianDays ?? null,
        stakeholders: engaged.length, executive, flags, gateScore: options.gate ? gateScoreAt(stage, records, index, settings, leftMs, entry.ms) : null,
      });
    });
  }
  return closedDeals;
};

/**
 * Every risk flag backtested over the deals closed by asOf. A deal is judged once per stage it visited, as of 1 ms before
 * it last left that stage (or closed from it), with the yardsticks (won deals' days per stage) of deals closed by the
 * start of that month: nothing dated or known later is seen.
 */
export const flagBacktest = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot), openDeals?: readonly DealIndicators[], judged?: ClosedJudgements): FlagBacktestReport => {
  const asOfMs = toMs(asOf);
  const tally = new Map<RiskFlag, { flagged: [number, number]; clear: [number, number] }>(RISK_FLAGS.map((f) => [f, { flagged: [0, 0], clear: [0, 0] }]));
  let judgements = 0;
  const tallyOne = (j: Judgement): void => {
    judgements++;
    for (const [flag, t] of tally) {
      const side = j.flags.has(flag) ? t.flagged : t.clear;
      side[1]++;
      if (j.won) side[0]++;
    }
  };
  let closedDeals: number;
  if (judged) {
    judged.judgements.forEach(tallyOne);
    closedDeals = judged.closedDeals;
  } else {
    closedDeals = judgeClosedDeals(snapshot, playbook, asOfMs, index, tallyOne);
  }
  const enoughHistory = closedDeals >= MIN_CLOSED_FOR_FLAGS;
  // Judgements of one deal are not independent: deflate the counts by the judgements per deal for the interval.
  const perDeal = closedDeals ? Math.max(1, judgements / closedDeals) : 1;
  const overrides = playbook.settings.riskFlags ?? {};
  const now = stageBenchmarks(snapshot, index, asOfMs);
  const stallThresholds: Record<string, number | null> = {};
  for (const p of playbook.processes) for (const s of p.stages) if (!s.closed) stallThresholds[s.name] = stallThreshold(playbook.settings, now.get(s.name));

  const flags = RISK_FLAGS.map((flag): FlagBacktest => {
    const t = tally.get(flag)!;
    const side = ([won, judged]: [number, number]): FlagSide => ({ judged, won, winRate: judged ? won / judged : null });
    const flagged = side(t.flagged);
    const clear = side(t.clear);
    const sized = flagged.judged >= MIN_SIDE_FOR_FLAG && clear.judged >= MIN_SIDE_FOR_FLAG;
    const lift = sized && clear.winRate ? round(flagged.winRate! / clear.winRate, 2) : null;
    const interval = sized ? riskRatioInterval(flagged.won / perDeal, flagged.judged / perDeal, clear.won / perDeal, clear.judged / perDeal) : null;
    const predictive = enoughHistory && interval !== null && interval.high < 1;
    const override = overrides[flag] ?? 'auto';
    const raised = override === 'raise' || (override === 'auto' && (predictive || !enoughHistory));
    const openShare = openDeals?.length ? openDeals.filter((d) => d.riskFlags.includes(flag)).length / openDeals.length : null;
    const setting = override === 'auto' ? '' : ` (the playbook's settings say ${override})`;
    const verdict = !enoughHistory
      ? `too little history to judge (${closedDeals} closed deals, ${MIN_CLOSED_FOR_FLAGS} needed): raised`
      : !sized
        ? `too few judgements on one side to tell (flagged ${flagged.judged}, clear ${clear.judged}): not raised${setting}`
        : predictive
          ? `predicts losses: flagged deals won ${pct(flagged.winRate)}, the others ${pct(clear.winRate)}${setting}`
          : `does not predict losses here (${pct(flagged.winRate)} flagged vs ${pct(clear.winRate)}, lift ${lift ?? '–'}, interval ${interval ? `${interval.low}–${interval.high}` : '–'}): not raised${setting}`;
    return { flag, flagged, clear, lift, interval, predictive, openShare: openShare === null ? null : round(openShare, 3), raised, verdict };
  });
  return {
    asOf: new Date(asOfMs).toISOString(),
    closedDeals,
    enoughHistory,
    message: enoughHistory ? `${closedDeals.toLocaleString('en-US')} closed deals judged as of the moment each left each stage` : `Only ${closedDeals} closed deals: at least ${MIN_CLOSED_FOR_FLAGS} are needed before a flag can be judged; every flag is raised meanwhile`,
    stallThresholds,
    flags,
  };
};

/** The flags to raise on deals, from the report (admin overrides are already applied in it). */
export const raisedFlags = (report: FlagBacktestReport): Set<RiskFlag> => new Set(report.flags.filter((f) => f.raised).map((f) => f.flag));

/** Open deals' indicators with only the raised flags kept, on the deal and in its checklist. */
export const keepRaisedFlags = (deals: readonly DealIndicators[], raised: ReadonlySet<RiskFlag>): DealIndicators[] =>
  deals.map((d) => {
    if (d.riskFlags.every((f) => raised.has(f))) return d;
    const riskFlags = d.riskFlags.filter((f) => raised.has(f));
    return { ...d, riskFlags, checklist: d.checklist ? { ...d.checklist, riskFlags } : null };
  });
