// The main job: read the org → compute deal indicators and rep scorecards as of asOf → plan the write-back against
// what the CRM holds → write only what changed. `dryRun` stops after the plan.
import { describeDataQuality, mergeDataQuality } from '../../../shared/src/data-quality.ts';
import { computeOrgIndicators, dealFieldValues } from '../../../shared/src/engine/opportunity.ts';
import { collectJudgements, flagBacktest, keepRaisedFlags, raisedFlags } from '../../../shared/src/engine/flag-backtest.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { withWinProbabilities } from '../../../shared/src/engine/win-probability.ts';
import { scoreReps, scoredReps, type RepScorecard } from '../../../shared/src/engine/reps.ts';
import { pastComposites, planScorecards } from '../../../shared/src/engine/scorecard-fields.ts';
import { attainment, measuredActuals, parseObjectives, quarterOf } from '../../../shared/src/engine/quarter.ts';
import { DAY_MS } from '../../../shared/src/engine/time.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { planWriteBack, type RecordValues, type WriteBackPlan } from '../../../shared/src/write-back/planner.ts';
import type { CrmAdapter, OrgRead, WriteResult } from '../crm/port.ts';
import { resolveQuotas, type QuotaRow } from '../quotas.ts';

export interface SyncOptions {
  adapter: CrmAdapter;
  playbook: Playbook;
  /** The moment the indicators describe; defaults to now. */
  asOf?: string;
  dryRun?: boolean;
  /** Reps with no stored scorecards get this many past weekly scorecards, computed as of those weeks, so a trend exists. */
  backfillWeeks?: number;
  now?: () => Date;
  /** Quota rows (quotas.csv): attainment is shown beside how it was made. */
  quotas?: readonly QuotaRow[];
  /** Called as each step starts, and with done / total within long steps, so a CLI can show progress. */
  onStep?: (step: 'read' | 'compute' | 'score' | 'plan' | 'write') => void;
  onProgress?: (done: number, total: number) => void;
}

export interface SyncSummary {
  crm: string;
  asOf: string;
  dryRun: boolean;
  recordsRead: Record<string, number>;
  indicatorsComputed: { opportunities: number; reps: number; backfilledPeriods: number };
  plan: WriteBackPlan;
  written: WriteResult | null;
  dataQuality: string[];
  /** Gate configuration records the org holds that were rejected (each also written to its Configuration_Error__c). */
  configurationErrors: string[];
  /** API calls the adapter used, by kind (CRMs with an API budget). */
  apiCalls: Record<string, number> | null;
  durationMs: number;
}

/** Past weekly scorecards for reps the CRM holds none for: the same engine, as of each past week. */
const backfill = (org: OrgRead, playbook: Playbook, asOfMs: number, weeks: number, onProgress?: (done: number, total: number) => void): Map<string, { asOf: string; card: RepScorecard }[]> => {
  const result = new Map<string, { asOf: string; card: RepScorecard }[]>();
  const known = new Set(org.scorecards.map((s) => s.repId));
  if (weeks <= 0 || scoredReps(org.snapshot).every((u) => known.has(u.id))) return result;
  const trend = new Map<string, number[]>();
  for (let k = weeks; k >= 1; k--) {
    onProgress?.(weeks - k, weeks + 1);
    const asOf = new Date(asOfMs - k * 7 * DAY_MS).toISOString();
    for (const card of scoreReps({ snapshot: org.snapshot, playbook, asOf, pastComposites: trend })) {
      if (known.has(card.repId)) continue;
      result.set(card.repId, [...(result.get(card.repId) ?? []), { asOf, card }]);
      trend.set(card.repId, [...(trend.get(card.repId) ?? []), Math.round(card.composite)]);
    }
  }
  return result;
};

export const runSync = async ({ adapter, playbook, asOf, dryRun = false, backfillWeeks = 0, quotas: quotaRows = [], now = () => new Date(), onStep, onProgress }: SyncOptions): Promise<SyncSummary> => {
  const started = now();
  // An interrupted run is resumed with its own asOf, so the end state is the one the uninterrupted run would have left.
  const asOfIso = new Date(asOf ?? adapter.resumableAsOf?.() ?? started.toISOString()).toISOString();
  if (!dryRun) await adapter.beginRun?.(asOfIso);

  onStep?.('read');
  const org = await adapter.read(started.toISOString(), onProgress);

  // Gate configuration kept in the org wins over the local playbook; its bad records are skipped and reported.
  const inForce = org.orgPlaybook?.playbook ?? playbook;
  const configurationErrors = (org.orgPlaybook?.problems ?? []).map((p) => `${p.object} ${p.id}: ${p.message}`);

  onStep?.('compute');
  const { deals, dataQuality } = computeOrgIndicators(org.snapshot, inForce, asOfIso, undefined, onProgress);
  // Risk flags that do not predict losses on this org's own closed deals are not raised on deals (the playbook's
  // settings.riskFlags can say raise or suppress). Scoring still sees every flag; only what is written is filtered.
  // Win probability (issue 12): one model per org per sync, from its own closed deals; each deal's value and factors.
  // Both read the same walk over the closed deals.
  const signalIndex = buildOrgIndex(org.snapshot);
  const judged = collectJudgements(org.snapshot, inForce, asOfIso, signalIndex, { gate: true });
  const raisedOnly = keepRaisedFlags(deals, raisedFlags(flagBacktest(org.snapshot, inForce, asOfIso, signalIndex, deals, judged)));
  const withWin = withWinProbabilities(org.snapshot, inForce, asOfIso, raisedOnly, signalIndex, judged).deals;

  onStep?.('score');
  const history = backfill(org, inForce, Date.parse(asOfIso), backfillWeeks, onProgress);
  const past = pastComposites(org.scorecards, asOfIso);
  for (const [repId, periods] of history) past.set(repId, [...(past.get(repId) ?? []), ...periods.map((p) => Math.round(p.card.composite))]);
  const cards = scoreReps({ snapshot: org.snapshot, playbook: inForce, asOf: asOfIso, deals, pastComposites: past });
  const { quarter } = quarterOf(Date.parse(asOfIso));
  const quotas = resolveQuotas(quotaRows, org.snapshot.users);
  const scorecards = planScorecards(cards, asOfIso, org.scorecards, history, (repId) => attainment(org.snapshot, repId, quarter, quotas.get(repId)?.get(quarter) ?? null, asOfIso));
  // This quarter's reviews: "what they actually did", measured. Past quarters keep what was measured while they ran.
  const cardByRep = new Map(cards.map((c) => [c.repId, c]));
  const reviews: RecordValues[] = org.reviews
    .filter((r) => r.quarter === quarter && cardByRep.has(r.repId))
    .map((r) => ({ object: 'Quarterly_Review__c', id: r.id, values: { Measured_Actuals__c: JSON.stringify(measuredActuals(cardByRep.get(r.repId)!, parseObjectives(r.objectives))) } }));

  onStep?.('plan');
  const computed: RecordValues[] = [...withWin.map((d): RecordValues => ({ object: 'Opportunity', id: d.opportunityId, values: dealFieldValues(d, asOfIso) })), ...scorecards.records, ...reviews];
  const plan = planWriteBack(computed, org.owned);

  let written: WriteResult | null = null;
  if (!dryRun && plan.records.length > 0) {
    onStep?.('write');
    written = await adapter.write(plan);
  }
  if (!dryRun) await adapter.commitRun?.();

  return {
    crm: adapter.name,
    asOf: asOfIso,
    dryRun,
    recordsRead: org.counts,
    indicatorsComputed: { opportunities: deals.length, reps: cards.length, backfilledPeriods: [...history.values()].reduce((s, l) => s + l.length, 0) },
    plan,
    written,
    dataQuality: describeDataQuality(mergeDataQuality(org.dataQuality, dataQuality)),
    configurationErrors,
    apiCalls: adapter.apiCalls?.() ?? null,
    durationMs: now().getTime() - started.getTime(),
  };
};
