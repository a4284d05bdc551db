// Org analytics for the API and the preview: stage conversion, milestone backtest, ramp cohorts and the team behaviour
// heat map (competency × rep), all from one read of the org as of one moment. The heat map reads the stored current
// scorecards the sync wrote (the same numbers as the User fields, the list views and the rep's scorecard); only before
// the first sync, with none stored, does it score the reps itself. Pure over its inputs; analytics-worker.ts runs it
// off the request thread because reading the whole org takes seconds.
import { milestoneBacktest, rampReport, stageConversion, RAMP_LABELS, RAMP_MILESTONES, type BacktestReport, type ConversionReport, type RampReport } from '../../../shared/src/engine/analytics.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { collectJudgements, flagBacktest, type FlagBacktestReport } from '../../../shared/src/engine/flag-backtest.ts';
import { winForecast, type WinForecast } from '../../../shared/src/engine/win-probability.ts';
import { playbookEffect, type MilestoneEffect } from '../../../shared/src/engine/playbook-effect.ts';
import { scoreReps } from '../../../shared/src/engine/reps.ts';
import { COMPETENCIES, COMPETENCY_LABELS } from '../../../shared/src/engine/signals.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { REP_SCORECARD_FIELDS as C } from '../../../shared/src/fields.ts';
import { inspectionCoverage, inspectionWinRates, type InspectionRecord, type InspectionWinRates, type RepCoverage } from '../../../shared/src/engine/coaching.ts';

export interface HeatmapRep {
  repId: string;
  name: string;
  peerGroup: string;
  composite: number;
  /** Competency key → score 0–100 against peers. */
  scores: Record<string, number>;
  diagnosis: string;
}

export interface Heatmap {
  asOf: string;
  /** Where the numbers come from: the stored current scorecards, or (before any sync stored one) scored here. */
  source: 'scorecards' | 'computed';
  competencies: { key: string; label: string }[];
  /** Reps grouped by manager (a team), teams and reps by name. */
  teams: { managerId: string | null; manager: string; reps: HeatmapRep[]; medians: Record<string, number | null> }[];
}

export interface OrgAnalytics {
  asOf: string;
  computedMs: number;
  conversion: { asOf: string; processes: ConversionReport[] };
  backtest: BacktestReport;
  ramp: RampReport & { asOf: string; milestones: { key: string; label: string }[] };
  heatmap: Heatmap;
  /** Win probability: held-out calibration by decile, Brier against the base rate, this quarter's expected won value. */
  win: WinForecast;
  /** Each risk flag backtested on the closed deals (lift with its interval), and whether it is raised. */
  flags: FlagBacktestReport;
  /** Open deals meeting each milestone today (the gate records' Share_Open_Deals_Met__c). */
  effect: MilestoneEffect[];
  /** Deal inspection: coverage of open deals in the last 30 days per rep, and inspected vs not win rates (no hindsight). */
  inspection: { winRates: InspectionWinRates; coverage: { reps: Omit<RepCoverage, 'notInspectedIds'>[]; team: { openDeals: number; inspected: number; share: number | null } } };
}

const medianOf = (values: number[]): number | null => {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const heatmapOf = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index = buildOrgIndex(snapshot)): Heatmap => {
  const cards = scoreReps({ snapshot, playbook, asOf, index });
  return heatmapOfReps(
    cards.map((card) => ({
      managerId: card.managerId,
      rep: { repId: card.repId, name: card.repName, peerGroup: card.peerGroup.name, composite: Math.round(card.composite), scores: Object.fromEntries(card.competencies.map((c) => [c.key, Math.round(c.score)])), diagnosis: card.diagnosis.kind },
    })),
    snapshot,
    asOf,
    'computed',
  );
};

/** A stored Rep_Scorecard__c row as the store returns it (field API name → value). */
export type StoredScorecardRow = Record<string, unknown>;

/** The competency score fields of Rep_Scorecard__c, by competency key. */
const SCORE_FIELD: Record<string, string> = {
  pipeline: C.pipelineScore.name,
  accountCoverage: C.accountCoverageScore.name,
  discovery: C.discoveryScore.name,
  stakeholderEngagement: C.stakeholderEngagementScore.name,
  executiveAccess: C.executiveAccessScore.name,
  growth: C.growthScore.name,
};

/**
 * The heat map from the stored current scorecards (Is_Current__c): the numbers the sync wrote to Rep_Scorecard__c and,
 * from the same card, to the User fields. Null when none is stored yet. Its asOf is the scorecards' Scores_As_Of__c.
 */
export const heatmapFromScorecards = (rows: readonly StoredScorecardRow[], snapshot: OrgSnapshot, fallbackAsOf: string): Heatmap | null => {
  const current = rows.filter((r) => r[C.isCurrent.name] === true && r[C.rep.name]);
  if (!current.length) return null;
  const names = new Map(snapshot.users.map((u) => [u.id, u.name]));
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
  const asOf = current.map((r) => String(r[C.scoresAsOf.name] ?? '')).sort().at(-1) || fallbackAsOf;
  return heatmapOfReps(
    current.map((r) => {
      const repId = String(r[C.rep.name]);
      return {
        managerId: r[C.manager.name] ? String(r[C.manager.name]) : null,
        rep: { repId, name: names.get(repId) ?? repId, peerGroup: String(r[C.peerGroup.name] ?? ''), composite: num(r[C.behaviourScore.name]), scores: Object.fromEntries(COMPETENCIES.map((key) => [key, num(r[SCORE_FIELD[key]!])])), diagnosis: String(r[C.coachingDiagnosis.name] ?? 'None') },
      };
    }),
    snapshot,
    asOf,
    'scorecards',
  );
};

const heatmapOfReps = (rows: { managerId: string | null; rep: HeatmapRep }[], snapshot: OrgSnapshot, asOf: string, source: Heatmap['source']): Heatmap => {
  const names = new Map(snapshot.users.map((u) => [u.id, u.name]));
  const teams = new Map<string | null, HeatmapRep[]>();
  for (const { managerId, rep } of rows) teams.set(managerId, [...(teams.get(managerId) ?? []), rep]);
  return {
    asOf,
    source,
    competencies: COMPETENCIES.map((key) => ({ key, label: COMPETENCY_LABELS[key] })),
    teams: [...teams.entries()]
      .map(([managerId, reps]) => ({
        managerId,
        manager: managerId ? (names.get(managerId) ?? managerId) : 'No manager',
        reps: reps.sort((a, b) => a.name.localeCompare(b.name)),
        medians: Object.fromEntries(COMPETENCIES.map((key) => [key, medianOf(reps.map((r) => r.scores[key]).filter((v): v is number => v !== undefined))])),
      }))
      .sort((a, b) => a.manager.localeCompare(b.manager)),
  };
};

/** `scorecards`: the stored Rep_Scorecard__c rows; the heat map reads the current ones (computed only when none is stored). */
/** `winProbabilities`: each open deal's stored Win_Probability__c (the sync's), so the forecast sums what deals show. */
export const computeAnalytics = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, scorecards: readonly StoredScorecardRow[] = [], winProbabilities: ReadonlyMap<string, number | null> = new Map(), inspections: readonly InspectionRecord[] = []): OrgAnalytics => {
  const started = Date.now();
  const index = buildOrgIndex(snapshot);
  const judged = collectJudgements(snapshot, playbook, asOf, index, { gate: true });
  return {
    asOf,
    conversion: { asOf, processes: stageConversion(snapshot, playbook, asOf, index) },
    backtest: milestoneBacktest(snapshot, playbook, asOf, index),
    ramp: { asOf, milestones: RAMP_MILESTONES.map((key) => ({ key, label: RAMP_LABELS[key] })), ...rampReport(snapshot, playbook, asOf, index) },
    heatmap: heatmapFromScorecards(scorecards, snapshot, asOf) ?? heatmapOf(snapshot, playbook, asOf, index),
    effect: playbookEffect(snapshot, playbook, asOf, index),
    flags: flagBacktest(snapshot, playbook, asOf, index, undefined, judged),
    win: winForecast(snapshot, playbook, asOf, (id) => winProbabilities.get(id), index, judged),
    inspection: inspectionAnalytics(snapshot, inspections, asOf),
    computedMs: Date.now() - started,
  };
};

/** Inspected vs not-inspected win rates over the last year's closed deals, and today's coverage of open deals per rep. */
export const inspectionAnalytics = (snapshot: OrgSnapshot, inspections: readonly InspectionRecord[], asOf: string): OrgAnalytics['inspection'] => {
  const owners = new Set(snapshot.opportunities.filter((o) => !o.isClosed).map((o) => o.ownerId).filter((id): id is string => !!id));
  const reps = snapshot.users.filter((u) => owners.has(u.id)).map((u) => u.id);
  const coverage = inspectionCoverage(snapshot.opportunities, snapshot.users, inspections, asOf, reps);
  return {
    winRates: inspectionWinRates(snapshot.opportunities, inspections, asOf),
    coverage: { reps: coverage.reps.map(({ notInspectedIds: _ids, ...r }) => r).sort((a, b) => a.repName.localeCompare(b.repName)), team: coverage.team },
  };
};
