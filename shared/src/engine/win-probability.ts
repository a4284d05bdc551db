// A deal's win probability from its leading indicators, learned from the org's own closed deals with no hindsight:
// each closed deal is judged as of the moment it left each stage (judgeClosedDeals), and a logistic model — a base per
// stage plus one weight per factor — is fitted on those judgements. Explainable: each factor's contribution is how
// many points the probability moves from the deal's value of that factor against the org's typical value.
import type { RiskFlag } from '../fields.ts';
import type { OrgSnapshot } from '../model.ts';
import type { Playbook } from '../playbook/schema.ts';
import { stageBenchmarks, type StageBenchmarks } from './benchmarks.ts';
import { collectJudgements, type ClosedJudgements, type Judgement } from './flag-backtest.ts';
import type { DealIndicators } from './opportunity.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import { round } from './stats.ts';
import { toMs } from './time.ts';
import { quarterOf } from './quarter.ts';

/** Fewer closed deals than this: no model, and the product says it cannot estimate yet. */
export const MIN_CLOSED_FOR_WIN_MODEL = 30;
/** Ridge penalty on the factor weights (on standardised factors): keeps a rare factor from taking an extreme weight. */
const RIDGE = 1;
const FOLDS = 5;

export const WIN_FACTORS = [
  { key: 'milestones', label: 'Milestones of the current gate met' },
  { key: 'stakeholders', label: 'People engaged (30 days)' },
  { key: 'executive', label: 'Executive engaged' },
  { key: 'dwell', label: 'Days in stage against won deals' },
  { key: 'noRecentActivity', label: 'No recent activity' },
  { key: 'gateSkipped', label: 'Skipped a gate' },
] as const;
export type WinFactor = (typeof WIN_FACTORS)[number]['key'];

/** The factor values of one deal at one moment. */
export type WinFeatures = Record<WinFactor, number>;

export interface WinModel {
  asOf: string;
  closedDeals: number;
  judgements: number;
  /** Won share of the judgements: the base rate the model is measured against. */
  baseRate: number;
  /** Log-odds of winning per stage at the typical factor values. */
  stageBase: Record<string, number>;
  /** Weight per factor (log-odds per unit), the typical (mean) value and its spread. */
  factors: Record<WinFactor, { weight: number; mean: number; sd: number }>;
}

export type WinModelResult = { ok: true; model: WinModel } | { ok: false; closedDeals: number; message: string };

export interface WinPrediction {
  /** 0–100. */
  percent: number;
  /** The stage's probability for a deal with typical factor values, 0–100. */
  stageBaseline: number;
  /** Largest first: how many points each factor moves this deal from typical. */
  factors: { key: WinFactor; label: string; value: number; contribution: number }[];
}

const flag = (flags: ReadonlySet<RiskFlag> | readonly RiskFlag[], f: RiskFlag): number => (('has' in flags ? flags.has(f) : flags.includes(f)) ? 1 : 0);
const dwellOf = (days: number, wonMedian: number | null): number => (wonMedian === null ? 0 : Math.max(-3, Math.min(4, Math.log2((days + 1) / (wonMedian + 1)))));

export const judgementFeatures = (j: Judgement): WinFeatures => ({
  milestones: (j.gateScore ?? 0) / 100,
  stakeholders: Math.min(5, j.stakeholders),
  executive: j.executive ? 1 : 0,
  dwell: dwellOf(j.daysInStage, j.wonMedianDays),
  noRecentActivity: flag(j.flags, 'No_Recent_Activity'),
  gateSkipped: flag(j.flags, 'Gate_Skipped'),
});

/** An open deal's factor values as of the sync (its indicators, and the won deals' days per stage then). */
export const dealFeatures = (d: DealIndicators, benchmarks: StageBenchmarks): WinFeatures => ({
  milestones: (d.gateScore ?? 0) / 100,
  stakeholders: Math.min(5, d.stakeholdersEngaged),
  executive: d.executiveEngaged ? 1 : 0,
  dwell: dwellOf(d.daysInStage, benchmarks.get(d.stage)?.medianDays ?? null),
  noRecentActivity: flag(d.riskFlags, 'No_Recent_Activity'),
  gateSkipped: flag(d.riskFlags, 'Gate_Skipped') || (d.gateStatus === 'Skipped' ? 1 : 0),
});

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** FNV-1a of an id: a stable, even split of deals into learning and held-out sets. */
const hashString = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting. */
const solve = (a: number[][], b: number[]): number[] => {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const d = m[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      if (f) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i] || 1e-12));
};

/** Fits the model to judgements (features, stage, won), by Newton's method on the penalised log-likelihood. */
export const fitOnJudgements = (rows: readonly { stage: string; x: WinFeatures; won: boolean }[], asOf: string, closedDeals: number): WinModel => {
  const stages = [...new Set(rows.map((r) => r.stage))].sort();
  const keys = WIN_FACTORS.map((f) => f.key);
  const stats = Object.fromEntries(keys.map((k) => {
    const values = rows.map((r) => r.x[k]);
    const mean = values.reduce((s, v) => s + v, 0) / (values.length || 1);
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length || 1)) || 1;
    return [k, { mean, sd }];
  })) as Record<WinFactor, { mean: number; sd: number }>;
  const p = stages.length + keys.length;
  const stageAt = new Map(stages.map((s, i) => [s, i]));
  const design = rows.map((r) => keys.map((k) => (r.x[k] - stats[k].mean) / stats[k].sd));
  let theta = new Array<number>(p).fill(0);
  for (let iter = 0; iter < 25; iter++) {
    const grad = new Array<number>(p).fill(0);
    const hess = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    rows.forEach((r, n) => {
      const s = stageAt.get(r.stage)!;
      const z = design[n]!;
      let eta = theta[s]!;
      for (let k = 0; k < keys.length; k++) eta += theta[stages.length + k]! * z[k]!;
      const mu = sigmoid(eta);
      const w = mu * (1 - mu);
      const resid = (r.won ? 1 : 0) - mu;
      const idx = [s, ...keys.map((_, k) => stages.length + k)];
      const val = [1, ...z];
      for (let a = 0; a < idx.length; a++) {
        grad[idx[a]!]! += resid * val[a]!;
        for (let b = a; b < idx.length; b++) hess[idx[a]!]![idx[b]!]! += w * val[a]! * val[b]!;
      }
    });
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) hess[a]![b] = hess[b]![a]!;
    for (let a = 0; a < p; a++) {
      const lambda = a < stages.length ? 0.01 : RIDGE;
      grad[a]! -= lambda * theta[a]!;
      hess[a]![a]! += lambda;
    }
    const step = solve(hess, grad);
    theta = theta.map((t, i) => t + step[i]!);
    if (Math.max(...step.map(Math.abs)) < 1e-6) break;
  }
  const won = rows.filter((r) => r.won).length;
  return {
    asOf,
    closedDeals,
    judgements: rows.length,
    baseRate: rows.length ? won / rows.length : 0,
    stageBase: Object.fromEntries(stages.map((s, i) => [s, theta[i]!])),
    factors: Object.fromEntries(keys.map((k, i) => [k, { weight: theta[stages.length + i]! / stats[k].sd, mean: stats[k].mean, sd: stats[k].sd }])) as WinModel['factors'],
  };
};

/** The org's closed deals, judged at each stage exit: the rows the model learns from (and is tested on). */
export const winJudgements = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot), judged?: ClosedJudgements): { rows: { dealId: string; amount: number; stage: string; x: WinFeatures; won: boolean }[]; closedDeals: number } => {
  const { judgements, closedDeals } = judged ?? collectJudgements(snapshot, playbook, asOf, index, { gate: true });
  return { rows: judgements.map((j) => ({ dealId: j.dealId, amount: j.amount, stage: j.stage, x: judgementFeatures(j), won: j.won })), closedDeals };
};

/** The win model of an org as of asOf, or why it cannot be estimated yet (fewer than 30 closed deals). */
export const fitWinModel = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot), judged?: ClosedJudgements): WinModelResult => {
  const { rows, closedDeals } = winJudgements(snapshot, playbook, asOf, index, judged);
  if (closedDeals < MIN_CLOSED_FOR_WIN_MODEL) return { ok: false, closedDeals, message: `Cannot estimate a win probability yet: ${closedDeals} closed deals, at least ${MIN_CLOSED_FOR_WIN_MODEL} are needed` };
  return { ok: true, model: fitOnJudgements(rows, new Date(toMs(asOf)).toISOString(), closedDeals) };
};

/** One deal's probability with each factor's contribution. A stage the model never saw gets the base rate as its base. */
export const predictWin = (model: WinModel, stage: string, x: WinFeatures): WinPrediction => {
  const base = model.stageBase[stage] ?? Math.log(model.baseRate / (1 - model.baseRate || 1) || 1e-6);
  const keys = WIN_FACTORS.map((f) => f.key);
  const deltas = keys.map((k) => model.factors[k].weight * (x[k] - model.factors[k].mean));
  const eta = base + deltas.reduce((s, d) => s + d, 0);
  const p = sigmoid(eta);
  const factors = WIN_FACTORS.map((f, i) => ({ key: f.key, label: f.label, value: round(x[f.key], 2), contribution: round((p - sigmoid(eta - deltas[i]!)) * 100, 1) }));
  factors.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { percent: round(p * 100, 0), stageBaseline: round(sigmoid(base) * 100, 0), factors };
};

export interface WinCalibration {
  enoughHistory: boolean;
  message: string;
  /** Held-out judgements: every closed deal's, each predicted by the model fitted on the other four folds of deals. */
  heldOut: number;
  brier: number | null;
  brierBaseRate: number | null;
  /** 1 − brier / brierBaseRate: how much better than always saying the base rate. */
  improvement: number | null;
  deciles: { decile: number; predicted: number; actual: number; n: number }[];
}

/**
 * How well the probabilities hold on deals the model did not learn from: closed deals split in five folds (by a hash
 * of the id), each fold predicted by the model fitted on the other four; Brier score against always answering the
 * training base rate; predicted vs actual win rate by decile of prediction.
 */
export const winCalibration = (rows: readonly { dealId: string; stage: string; x: WinFeatures; won: boolean }[], closedDeals: number, asOf: string): WinCalibration => {
  if (closedDeals < MIN_CLOSED_FOR_WIN_MODEL) return { enoughHistory: false, message: `Cannot estimate a win probability yet: ${closedDeals} closed deals, at least ${MIN_CLOSED_FOR_WIN_MODEL} are needed`, heldOut: 0, brier: null, brierBaseRate: null, improvement: null, deciles: [] };
  // Five folds by a hash of the deal id: every deal is predicted by a model that never saw it.
  const scored: { p: number; y: number; base: number }[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const inFold = (id: string): boolean => hashString(id) % FOLDS === fold;
    const model = fitOnJudgements(rows.filter((r) => !inFold(r.dealId)), asOf, closedDeals);
    for (const r of rows) if (inFold(r.dealId)) scored.push({ p: predictWin(model, r.stage, r.x).percent / 100, y: r.won ? 1 : 0, base: model.baseRate });
  }
  scored.sort((a, b) => a.p - b.p);
  const held = scored;
  const brier = scored.reduce((s, r) => s + (r.p - r.y) ** 2, 0) / (scored.length || 1);
  const brierBase = scored.reduce((s, r) => s + (r.base - r.y) ** 2, 0) / (scored.length || 1);
  const deciles = Array.from({ length: 10 }, (_, d) => {
    const slice = scored.slice(Math.floor((d * scored.length) / 10), Math.floor(((d + 1) * scored.length) / 10));
    const n = slice.length || 1;
    return { decile: d + 1, predicted: round((slice.reduce((s, r) => s + r.p, 0) / n) * 100, 1), actual: round((slice.reduce((s, r) => s + r.y, 0) / n) * 100, 1), n: slice.length };
  });
  const improvement = brierBase ? 1 - brier / brierBase : null;
  return {
    enoughHistory: true,
    message: `${held.length.toLocaleString('en-US')} held-out judgements of closed deals: Brier ${round(brier, 3)} against ${round(brierBase, 3)} for the base rate`,
    heldOut: held.length,
    brier: round(brier, 4),
    brierBaseRate: round(brierBase, 4),
    improvement: improvement === null ? null : round(improvement, 3),
    deciles,
  };
};

/**
 * Every open deal's win probability as of asOf, on its indicators and in its checklist (with each factor's
 * contribution); with fewer than 30 closed deals, null and the reason. The model is an org-level fact: fitted once.
 */
export const withWinProbabilities = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, deals: readonly DealIndicators[], index: OrgIndex = buildOrgIndex(snapshot), judged?: ClosedJudgements): { result: WinModelResult; deals: DealIndicators[] } => {
  const result = fitWinModel(snapshot, playbook, asOf, index, judged);
  return { result, deals: applyWinModel(result, deals, stageBenchmarks(snapshot, index, toMs(asOf))) };
};

/** Open deals' win probabilities from a model fitted before (an org-level fact an incremental recompute reuses). */
export const applyWinModel = (result: WinModelResult, deals: readonly DealIndicators[], benchmarks: StageBenchmarks): DealIndicators[] => {
  if (!result.ok) {
    return deals.map((d) => ({ ...d, winProbability: null, checklist: d.checklist ? { ...d.checklist, winProbability: { percent: null, stageBaseline: null, message: result.message, factors: [] } } : null }));
  }
  return deals.map((d) => {
      if (!d.checklist) return { ...d, winProbability: null };
      const p = predictWin(result.model, d.stage, dealFeatures(d, benchmarks));
      return { ...d, winProbability: p.percent, checklist: { ...d.checklist, winProbability: { percent: p.percent, stageBaseline: p.stageBaseline, factors: p.factors } } };
  });
};

export interface WinForecast {
  asOf: string;
  quarter: string;
  enoughHistory: boolean;
  message: string;
  calibration: WinCalibration;
  /** Each factor's weight (log-odds per unit) and the org's typical value. */
  factors: { key: WinFactor; label: string; weight: number; typical: number }[];
  /** Open deals closing this quarter: Σ probability × amount, beside the plain sum. */
  quarterExpectedWon: number | null;
  quarterPipeline: number;
  /** Open pipeline per stage: deals, value and expected won value. */
  byStage: { stage: string; deals: number; value: number; expectedWon: number | null }[];
}

/**
 * The analytics view: held-out calibration, the factors, and the expected won value of this quarter's pipeline.
 * `probabilityOf` gives each open deal's probability (0–100, or null) — the stored Win_Probability__c the sync wrote,
 * so the forecast adds up the same numbers the deals show.
 */
export const winForecast = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, probabilityOf: (opportunityId: string) => number | null | undefined, index: OrgIndex = buildOrgIndex(snapshot), judged?: ClosedJudgements): WinForecast => {
  const asOfMs = toMs(asOf);
  const { rows, closedDeals } = winJudgements(snapshot, playbook, asOf, index, judged);
  const calibration = winCalibration(rows, closedDeals, asOf);
  const { quarter, end } = quarterOf(asOfMs);
  const model = closedDeals >= MIN_CLOSED_FOR_WIN_MODEL ? fitOnJudgements(rows, new Date(asOfMs).toISOString(), closedDeals) : null;
  const open = snapshot.opportunities.filter((o) => !o.isClosed && toMs(o.createdDate) <= asOfMs);
  const predicted = open.map((o) => {
    const p = probabilityOf(o.id);
    return { stage: o.stage, amount: o.amount ?? 0, closeDate: o.closeDate ?? null, p: p === null || p === undefined ? null : p / 100 };
  });
  const thisQuarter = predicted.filter((x) => x.closeDate !== null && x.closeDate <= end);
  const stages = new Map<string, { deals: number; value: number; expectedWon: number }>();
  for (const x of predicted) {
    const t = stages.get(x.stage) ?? { deals: 0, value: 0, expectedWon: 0 };
    t.deals++;
    t.value += x.amount;
    t.expectedWon += (x.p ?? 0) * x.amount;
    stages.set(x.stage, t);
  }
  const known = predicted.some((x) => x.p !== null);
  const order = new Map(playbook.processes.flatMap((p) => p.stages.map((s, i) => [s.name, i] as const)));
  return {
    asOf: new Date(asOfMs).toISOString(),
    quarter,
    enoughHistory: model !== null,
    message: calibration.message,
    calibration,
    factors: model ? WIN_FACTORS.map((f) => ({ key: f.key, label: f.label, weight: round(model.factors[f.key].weight, 3), typical: round(model.factors[f.key].mean, 2) })) : [],
    quarterExpectedWon: model && known ? Math.round(thisQuarter.reduce((s, x) => s + (x.p ?? 0) * x.amount, 0)) : null,
    quarterPipeline: Math.round(thisQuarter.reduce((s, x) => s + x.amount, 0)),
    byStage: [...stages].sort((a, b) => (order.get(a[0]) ?? 99) - (order.get(b[0]) ?? 99)).map(([stage, t]) => ({ stage, deals: t.deals, value: Math.round(t.value), expectedWon: model && known ? Math.round(t.expectedWon) : null })),
  };
};
