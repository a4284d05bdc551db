// The two pipelines through the engine. The full sync: read the org (scoped to what the computation needs) → compute
// deal indicators and rep scorecards as of asOf → plan the write-back against what the CRM holds → write only what
// changed. The incremental recompute: read only the deals that changed → compute them with the org-level facts of the
// last full sync → write only their changed fields. `dryRun` stops after the plan.
import { missingFieldProblems } from '../../../shared/src/playbook/fields.ts';
import { describeDataQuality, mergeDataQuality } from '../../../shared/src/data-quality.ts';
import { computeOrgIndicators, dealFieldValues } from '../../../shared/src/engine/opportunity.ts';
import type { StageBenchmarks } from '../../../shared/src/engine/benchmarks.ts';
import { groupBy } from '../../../shared/src/engine/group.ts';
import { collectJudgements, flagBacktest, judgeClosedDeals, keepRaisedFlags, raisedFlags, type ClosedJudgements, type Judgement } from '../../../shared/src/engine/flag-backtest.ts';
import { applyWinModel, fitWinModel, type WinModelResult } from '../../../shared/src/engine/win-probability.ts';
import type { RiskFlag } from '../../../shared/src/fields.ts';
import type { DealIndicators } from '../../../shared/src/engine/opportunity.ts';
import { buildOrgIndex, indexActivity, type OrgIndex } from '../../../shared/src/engine/org-index.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
import { REP_LOOKBACK_WEEKS, scoreReps, scoredReps, type RepScorecard } from '../../../shared/src/engine/reps.ts';
import { pastComposites, planScorecards } from '../../../shared/src/engine/scorecard-fields.ts';
import { attainment, measuredActuals, parseObjectives, quarterOf } from '../../../shared/src/engine/quarter.ts';
import { DAY_MS } from '../../../shared/src/engine/time.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { QUARTERLY_REVIEW_FIELDS } from '../../../shared/src/fields.ts';
import { planWriteBack, type RecordValues, type WriteBackPlan } from '../../../shared/src/write-back/planner.ts';
import type { CrmAdapter, OrgRead, ReadScope, WriteResult } from '../crm/port.ts';
import { resolveQuotas, type QuotaRow } from '../quotas.ts';
import { AppError } from '../errors.ts';
import { lastInspectedValues } from '../../../shared/src/engine/coaching-fields.ts';
import { PLAN_BASELINE_LOOKBACK_WEEKS, syncCoaching } from './coaching-sync.ts';

export interface SyncOptions {
  adapter: CrmAdapter;
  playbook: Playbook;
  /** The moment the indicators describe; defaults to now. */
  asOf?: string;
  dryRun?: boolean;
  /** Reps with no stored scorecards get this many past weekly scorecards, computed as of those weeks, so a trend exists. */
  backfillWeeks?: number;
  now?: () => Date;
  /**
   * What the org's closed deals teach (raised flags, the win model), from an earlier full sync still valid for this
   * playbook; learned now, from every closed deal, when absent.
   */
  closedDealFacts?: ClosedDealFacts;
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
  mode: 'full' | 'incremental';
  indicatorsComputed: { opportunities: number; reps: number; backfilledPeriods: number };
  plan: WriteBackPlan;
  written: WriteResult | null;
  dataQuality: string[];
  /** Gate configuration records the org holds that were rejected (each also written to its Configuration_Error__c). */
  configurationErrors: string[];
  /** API calls the adapter used, by kind (CRMs with an API budget). */
  apiCalls: Record<string, number> | null;
  durationMs: number;
  /** Org-level facts this pass computed (full) or used (incremental). */
  benchmarks: StageBenchmarks;
  raisedFlags: RiskFlag[];
  winModel: WinModelResult;
}

/** Past weekly scorecards for reps the CRM holds none for: the same engine, as of each past week. */
const backfill = (org: OrgRead, index: OrgIndex, playbook: Playbook, asOfMs: number, weeks: number, onProgress?: (done: number, total: number) => void): Map<string, { asOf: string; card: RepScorecard }[]> => {
  const result = new Map<string, { asOf: string; card: RepScorecard }[]>();
  const known = new Set(org.scorecards.map((s) => s.repId));
  if (weeks <= 0 || scoredReps(org.snapshot).every((u) => known.has(u.id))) return result;
  const trend = new Map<string, number[]>();
  for (let k = weeks; k >= 1; k--) {
    onProgress?.(weeks - k, weeks + 1);
    const asOf = new Date(asOfMs - k * 7 * DAY_MS).toISOString();
    for (const card of scoreReps({ snapshot: org.snapshot, playbook, asOf, index, pastComposites: trend })) {
      if (known.has(card.repId)) continue;
      result.set(card.repId, [...(result.get(card.repId) ?? []), { asOf, card }]);
      trend.set(card.repId, [...(trend.get(card.repId) ?? []), Math.round(card.composite)]);
    }
  }
  return result;
};

/** Closed deals whose activities a batch brings in: the flag judgement holds one batch's activities at a time. */
const CLOSED_BATCH = 2000;

/**
 * Every closed deal judged as of the moment it last left each stage — what the flag backtest and the win model learn
 * from. A scoped read holds only recent activity of closed deals: their whole activity is then read a batch of deals
 * at a time (the adapter's deal-scoped read), judged, and let go — memory holds one batch, not the org's history.
 */
const judgeClosed = async (adapter: CrmAdapter, org: OrgRead, index: OrgIndex, playbook: Playbook, asOf: string, readAt: string): Promise<ClosedJudgements> => {
  if (!org.activitiesCounted) return collectJudgements(org.snapshot, playbook, asOf, index, { gate: true });
  const asOfMs = Date.parse(asOf);
  const closed = org.snapshot.opportunities.filter((o) => o.isClosed && o.closeDate && Date.parse(o.closeDate) <= asOfMs).map((o) => o.id);
  const judgements: Judgement[] = [];
  const byMonth = new Map<number, StageBenchmarks>();
  let closedDeals = 0;
  for (let i = 0; i < closed.length; i += CLOSED_BATCH) {
    const batch = closed.slice(i, i + CLOSED_BATCH);
    const read = await adapter.read(readAt, undefined, { asOf, activitiesSince: asOf, dealIds: batch });
    const byDeal = groupBy(read.snapshot.activities, (a) => a.opportunityId);
    const kept = new Map(batch.map((id) => [id, index.activitiesByOpportunity.get(id)]));
    for (const id of batch) index.activitiesByOpportunity.set(id, (byDeal.get(id) ?? []).map(indexActivity));
    closedDeals += judgeClosedDeals(org.snapshot, playbook, asOfMs, index, (j) => judgements.push(j), { gate: true, only: new Set(batch), byMonth });
    for (const [id, activities] of kept) index.activitiesByOpportunity.set(id, activities ?? []);
  }
  return { closedDeals, judgements };
};

/** What a full sync learns from the org's closed deals, and an incremental recompute reuses. */
export interface ClosedDealFacts {
  /** The risk flags that predict losses here (or that the playbook says to raise). */
  raisedFlags: ReadonlySet<RiskFlag>;
  /** The win model fitted on the closed deals (or why there is none yet). */
  winModel: WinModelResult;
}

export const runSync = async ({ adapter, playbook, asOf, dryRun = false, backfillWeeks = 0, closedDealFacts, quotas: quotaRows = [], now = () => new Date(), onStep, onProgress }: SyncOptions): Promise<SyncSummary> => {
  const started = now();
  // An interrupted run is resumed with its own asOf, so the end state is the one the uninterrupted run would have left.
  const asOfIso = new Date(asOf ?? (await adapter.resumableAsOf?.()) ?? started.toISOString()).toISOString();
  if (!dryRun) await adapter.beginRun?.(asOfIso);
  let writing = false;
  const run = async (): Promise<SyncSummary> => {
    onStep?.('read');
    // Rep signals look back 16 weeks from each moment scored (now, each backfilled week, and the weeks before a new
    // coaching plan, whose baseline the first sync after its start measures): older activity of closed deals is not
    // needed, so the reader may leave it in the store.
    const lookbackWeeks = REP_LOOKBACK_WEEKS + Math.max(0, backfillWeeks, PLAN_BASELINE_LOOKBACK_WEEKS);
    const scope: ReadScope = { asOf: asOfIso, activitiesSince: new Date(Date.parse(asOfIso) - lookbackWeeks * 7 * DAY_MS - DAY_MS).toISOString() };
    adapter.usePlaybook?.(playbook);
    const org = await adapter.read(started.toISOString(), onProgress, scope);

    // Gate configuration kept in the org wins over the local playbook; its bad records are skipped and reported.
    const inForce = org.orgPlaybook?.playbook ?? playbook;
    const configurationErrors = (org.orgPlaybook?.problems ?? []).map((p) => `${p.object} ${p.id}: ${p.message}`);
    // A rule on a field the CRM lacks is named, not silently "missing" on every deal (an org playbook's are named above).
    if (org.opportunityFields && !org.orgPlaybook?.playbook) configurationErrors.push(...missingFieldProblems(inForce, org.opportunityFields).map((p) => `playbook ${p.message}`));

    onStep?.('compute');
    // One index of the org for every computation of this run: the deals now, the scorecards now and in past weeks.
    const index = buildOrgIndex(org.snapshot);
    const { deals, dataQuality, benchmarks } = computeOrgIndicators(org.snapshot, inForce, asOfIso, index, onProgress, { activitiesCounted: org.activitiesCounted });
    // Risk flags that do not predict losses on this org's own closed deals are not raised on deals (the playbook's
    // settings.riskFlags can say raise or suppress). Scoring still sees every flag; only what is written is filtered.
    // The win probability comes from the org's own win model, fitted on the same judgements of its closed deals.
    let learned = closedDealFacts;
    if (!learned) {
      const judged = await judgeClosed(adapter, org, index, inForce, asOfIso, started.toISOString());
      learned = { raisedFlags: raisedFlags(flagBacktest(org.snapshot, inForce, asOfIso, index, deals, judged)), winModel: fitWinModel(org.snapshot, inForce, asOfIso, index, judged) };
    }
    const raised = learned.raisedFlags;
    const withWin = applyWinModel(learned.winModel, keepRaisedFlags(deals, raised), benchmarks);

    onStep?.('score');
    const history = backfill(org, index, inForce, Date.parse(asOfIso), backfillWeeks, onProgress);
    const past = pastComposites(org.scorecards, asOfIso);
    for (const [repId, periods] of history) past.set(repId, [...(past.get(repId) ?? []), ...periods.map((p) => Math.round(p.card.composite))]);
    const cards = scoreReps({ snapshot: org.snapshot, playbook: inForce, asOf: asOfIso, deals, index, pastComposites: past });
    const { quarter, start: quarterStart, end: quarterEnd } = quarterOf(Date.parse(asOfIso));
    // The coaching loop, where the CRM holds its objects: plans, goals, inspections (coaching-sync.ts).
    const coaching = org.coaching ? syncCoaching(org.coaching, cards, index, inForce, asOfIso) : null;
    const inspected = org.coaching ? lastInspectedValues(withWin.map((d) => ({ id: d.opportunityId })), org.coaching.inspections, asOfIso) : null;
    const quotas = resolveQuotas(quotaRows, org.snapshot.users);
    // Attainment reads a rep's own deals: grouped once, not scanned per rep.
    const byOwner = groupBy(org.snapshot.opportunities, (o) => o.ownerId ?? null);
    const ownDeals = (repId: string): OrgSnapshot => ({ ...org.snapshot, opportunities: byOwner.get(repId) ?? [] });
    const scorecards = planScorecards(cards, asOfIso, org.scorecards, history, (repId) => attainment(ownDeals(repId), repId, quarter, quotas.get(repId)?.get(quarter) ?? null, asOfIso), (repId) => coaching?.breakdownOf(repId) ?? null);
    // This quarter's reviews: "what they actually did", measured. Past quarters keep what was measured while they ran.
    const cardByRep = new Map(cards.map((c) => [c.repId, c]));
    const reviews: RecordValues[] = org.reviews
      .filter((r) => r.quarter === quarter && cardByRep.has(r.repId))
      .map((r) => ({ object: 'Quarterly_Review__c', id: r.id, values: { [QUARTERLY_REVIEW_FIELDS.measuredActuals.name]: JSON.stringify([...measuredActuals(cardByRep.get(r.repId)!, parseObjectives(r.objectives)), ...(coaching?.reviewLinesOf(r.repId, quarterStart, quarterEnd) ?? [])]) } }));

    onStep?.('plan');
    const computed: RecordValues[] = [
      ...withWin.map((d): RecordValues => ({ object: 'Opportunity', id: d.opportunityId, values: { ...dealFieldValues(d, asOfIso), ...inspected?.get(d.opportunityId) } })),
      ...scorecards.records, ...reviews, ...(coaching?.records ?? []),
    ];
    const plan = planWriteBack(computed, org.owned);

    let written: WriteResult | null = null;
    if (!dryRun && plan.records.length > 0) {
      onStep?.('write');
      writing = true;
      written = await adapter.write(plan);
    }
    if (!dryRun) await adapter.commitRun?.();

    return {
      crm: adapter.name,
      asOf: asOfIso,
      dryRun,
      mode: 'full',
      benchmarks,
      raisedFlags: [...raised],
      winModel: learned.winModel,
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
  try {
    return await run();
  } catch (error) {
    // Failed before its first write (a refused login, a failed read): nothing to resume, so the run is closed and the
    // next sync is as of its own moment. A budget stop stays resumable (companion-sync's stopRun).
    if (!dryRun && !writing && !(error instanceof AppError && error.kind === 'budget')) await adapter.failRun?.(error instanceof Error ? error.message : String(error));
    throw error;
  }
};

export interface RecomputeOptions {
  adapter: CrmAdapter;
  playbook: Playbook;
  /** The deals whose records changed (ids of deals that no longer exist or are closed are skipped). */
  dealIds: readonly string[];
  /** The stage benchmarks, raised risk flags and win model of the last full sync. */
  benchmarks: StageBenchmarks;
  closedDealFacts: ClosedDealFacts;
  asOf?: string;
  dryRun?: boolean;
  now?: () => Date;
}

/** The incremental recompute: only the given deals are read, computed and written. Rep scorecards wait for the next full sync. */
export const recomputeDeals = async ({ adapter, playbook, dealIds, benchmarks, closedDealFacts, asOf, dryRun = false, now = () => new Date() }: RecomputeOptions): Promise<SyncSummary> => {
  const started = now();
  const asOfIso = new Date(asOf ?? started.toISOString()).toISOString();
  const scope: ReadScope = { asOf: asOfIso, activitiesSince: asOfIso, dealIds };
  const org = dealIds.length ? await adapter.read(started.toISOString(), undefined, scope) : null;
  const inForce = org?.orgPlaybook?.playbook ?? playbook;
  const computed = org ? computeOrgIndicators(org.snapshot, inForce, asOfIso, undefined, undefined, { activitiesCounted: true, benchmarks }) : { deals: [], dataQuality: new Map() };
  const withWinModel = applyWinModel(closedDealFacts.winModel, keepRaisedFlags(computed.deals, closedDealFacts.raisedFlags), benchmarks);
  // A deal marked inspected is recomputed like any change to it: its Last_Inspected__c follows at once.
  const inspected = org?.coaching ? lastInspectedValues(withWinModel.map((d) => ({ id: d.opportunityId })), org.coaching.inspections, asOfIso) : null;
  const records = withWinModel.map((d): RecordValues => ({ object: 'Opportunity', id: d.opportunityId, values: { ...dealFieldValues(d, asOfIso), ...inspected?.get(d.opportunityId) } }));
  const plan = planWriteBack(records, org?.owned ?? new Map());
  const written = !dryRun && plan.records.length > 0 ? await adapter.write(plan) : null;
  return {
    crm: adapter.name,
    asOf: asOfIso,
    dryRun,
    mode: 'incremental',
    benchmarks,
    raisedFlags: [...closedDealFacts.raisedFlags],
    winModel: closedDealFacts.winModel,
    recordsRead: org?.counts ?? {},
    indicatorsComputed: { opportunities: computed.deals.length, reps: 0, backfilledPeriods: 0 },
    plan,
    written,
    dataQuality: describeDataQuality(mergeDataQuality(org?.dataQuality ?? new Map(), computed.dataQuality)),
    configurationErrors: (org?.orgPlaybook?.problems ?? []).map((p) => `${p.object} ${p.id}: ${p.message}`),
    apiCalls: adapter.apiCalls?.() ?? null,
    durationMs: now().getTime() - started.getTime(),
  };
};
