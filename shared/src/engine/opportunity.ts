// Every indicator of one open deal as of asOf — engagement, days in stage, next step, the stage gate with its
// checklist, risk flags and the next best action — and of every open deal in a snapshot.
import { CHECKLIST_VERSION, type Checklist } from '../checklist.ts';
import { newDataQuality, note, type DataQuality } from '../data-quality.ts';
import { OPPORTUNITY_FIELDS, type FieldValue, type GateStatus, type RiskFlag } from '../fields.ts';
import type { Activity, Opportunity, OrgSnapshot } from '../model.ts';
import { processFor, type Playbook, type SalesProcess, type Settings } from '../playbook/schema.ts';
import { stageBenchmarks, type StageBenchmarks } from './benchmarks.ts';
import { engagedContacts, nextStepSet } from './engagement.ts';
import { evaluateGate, walkPath, type GateResult } from './gates.ts';
import { nextBestAction } from './next-action.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import { isLate, riskFlags, stallThreshold } from './risk.ts';
import { dealRecords, type DealRecords } from './rules.ts';
import { stagePosition } from './stage.ts';
import { toMs } from './time.ts';

export interface DealIndicators {
  opportunityId: string;
  ownerId: string | null;
  salesProcess: string;
  stage: string;
  /** Null when the deal's stage is not in the playbook (reported as data quality, never thrown). */
  gateStatus: GateStatus | null;
  milestonesMet: number | null;
  milestonesRequired: number | null;
  gateScore: number | null;
  stakeholdersEngaged: number;
  executiveEngaged: boolean;
  daysInStage: number;
  nextStepSet: boolean;
  riskFlags: RiskFlag[];
  nextBestAction: string | null;
  checklist: Checklist | null;
  /** Win probability 0–100, when the sync computed one (null: the org has too few closed deals to estimate). */
  winProbability?: number | null;
}

/** What every deal's computation shares: the playbook and the org-wide yardsticks, computed once per run. */
export interface EngineContext {
  playbook: Playbook;
  index: OrgIndex;
  benchmarks: StageBenchmarks;
  asOf: string;
  asOfMs: number;
}

/**
 * `benchmarks`: org-level yardsticks computed on the last full pass, for a recompute that reads only a few deals (the
 * benchmarks come from every won deal, which such a read does not hold).
 */
export const engineContext = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot), benchmarks?: StageBenchmarks): EngineContext => {
  const asOfMs = toMs(asOf);
  return { playbook, index, benchmarks: benchmarks ?? stageBenchmarks(snapshot, index, asOfMs), asOf: new Date(asOfMs).toISOString(), asOfMs };
};

const gateStatusOf = (gate: GateResult, outstandingSkip: boolean, stalled: boolean, late: boolean): GateStatus => {
  if (outstandingSkip) return 'Skipped';
  if (gate.allRequiredMet) return 'Met';
  return stalled || late ? 'At_Risk' : 'In_Progress';
};

const buildChecklist = (ctx: EngineContext, process: SalesProcess, gate: GateResult, status: GateStatus, path: ReturnType<typeof walkPath>, flags: RiskFlag[], action: string | null): Checklist => ({
  v: CHECKLIST_VERSION,
  asOf: ctx.asOf,
  salesProcess: process.name,
  stage: gate.stage.name,
  stages: path.stages,
  gate: { status, met: gate.requiredMet, required: gate.required, score: gate.score },
  milestones: gate.milestones.map((m) => ({
    key: m.milestone.key,
    label: m.milestone.label,
    required: m.milestone.required,
    weight: m.milestone.weight,
    status: m.status,
    evidence: m.evidence,
    guidance: m.status === 'missing' && m.shortfall ? `${m.milestone.guidance} Now: ${m.shortfall}.` : m.milestone.guidance,
    coachingQuestions: m.milestone.coachingQuestions,
    attestable: m.milestone.attestable,
  })),
  riskFlags: flags,
  nextBestAction: action,
});

/** One deal. Pure: everything it reads is in `deal` and `ctx`. This is also the incremental recompute. */
export const computeDeal = (deal: DealRecords, ctx: EngineContext, dq: DataQuality = newDataQuality()): DealIndicators => {
  const { opportunity } = deal;
  const { process, known } = processFor(ctx.playbook, opportunity.salesProcess);
  if (!known) note(dq, `deals following a sales process the playbook does not define (gated as ${process.name})`);
  const settings: Settings = ctx.playbook.settings;

  const position = stagePosition(opportunity, deal.history, ctx.asOfMs);
  if (position.historyDisagrees !== null) note(dq, 'open deals whose StageName disagrees with their stage history (the CRM\'s StageName is kept as the current stage)');
  const engaged = engagedContacts(deal.activities, ctx.asOfMs, settings.engagementWindowDays);
  const executiveEngaged = engaged.some((e) => ctx.index.executiveContactIds.has(e.contactId));
  const stepSet = nextStepSet(opportunity.nextStep, deal.activities, ctx.asOfMs);
  const base = {
    opportunityId: opportunity.id,
    ownerId: opportunity.ownerId ?? null,
    salesProcess: process.name,
    stage: position.stage,
    stakeholdersEngaged: engaged.length,
    executiveEngaged,
    daysInStage: position.daysInStage,
    nextStepSet: stepSet,
  };

  const stageIndex = process.stages.findIndex((s) => s.name === position.stage);
  const stage = process.stages[stageIndex];
  if (!stage || stage.closed) {
    note(dq, stage ? 'open deals in a closed stage (IsClosed disagrees with the stage)' : `open deals in stages the playbook does not know (${position.stage})`);
    return { ...base, gateStatus: null, milestonesMet: null, milestonesRequired: null, gateScore: null, riskFlags: stepSet ? [] : ['No_Next_Step'], nextBestAction: null, checklist: null };
  }

  const gate = evaluateGate(stage, deal, ctx.index, settings, ctx.asOfMs, position.enteredMs);
  const path = walkPath(process, position.entries, stage.name, deal, ctx.index, settings);
  // The gate status says Skipped when the deal reached its current stage by passing an unmet gate that is still
  // unmet today. Older skips, since made good by later gates, stay history: the Gate_Skipped flag keeps the fact.
  const stillUnmet = path.skipped
    .filter((s) => s.atMs === position.enteredMs)
    .map((s) => evaluateGate(s.stage, deal, ctx.index, settings, ctx.asOfMs, position.enteredMs))
    .filter((g) => !g.allRequiredMet);
  const benchmark = ctx.benchmarks.get(stage.name);
  const flags = riskFlags(deal, { process, settings, stage: stage.name, daysInStage: position.daysInStage, stakeholdersEngaged: engaged.length, executiveEngaged, nextStepSet: stepSet, gateSkipped: path.skipped.length > 0, benchmark }, ctx.asOfMs);
  const threshold = stallThreshold(settings, benchmark);
  const status = gateStatusOf(gate, stillUnmet.length > 0, threshold !== null && position.daysInStage > threshold, isLate(deal, ctx.asOfMs));
  const nextOpen = process.stages.slice(stageIndex + 1).find((s) => !s.closed)?.name ?? null;
  const action = nextBestAction(gate, stillUnmet, nextOpen);

  return {
    ...base,
    gateStatus: status,
    milestonesMet: gate.requiredMet,
    milestonesRequired: gate.required,
    gateScore: gate.score,
    riskFlags: flags,
    nextBestAction: action,
    checklist: buildChecklist(ctx, process, gate, status, path, flags, action),
  };
};

/** Open deals that existed at asOf: the ones Stagecraft keeps indicators on. */
export const isTracked = (opportunity: Opportunity, asOfMs: number): boolean => !opportunity.isClosed && toMs(opportunity.createdDate) <= asOfMs;

export interface OrgIndicators {
  deals: DealIndicators[];
  dataQuality: DataQuality;
}

/**
 * Every tracked deal, plus the data-quality counts of what had to be skipped or assumed. `activitiesCounted`: the
 * reader already judged every activity with `noteActivityProblems` (a scoped read hands the engine only the activities
 * it needs, so counting here would undercount).
 */
export const computeOrgIndicators = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index?: OrgIndex, onProgress?: (done: number, total: number) => void, options: { activitiesCounted?: boolean; benchmarks?: StageBenchmarks } = {}): OrgIndicators & { benchmarks: StageBenchmarks } => {
  const ctx = engineContext(snapshot, playbook, asOf, index, options.benchmarks);
  const dq = newDataQuality();
  const deals: DealIndicators[] = [];
  const total = snapshot.opportunities.length;
  for (let i = 0; i < total; i++) {
    const opportunity = snapshot.opportunities[i]!;
    if (onProgress && i % 500 === 0) onProgress(i, total);
    if (!isTracked(opportunity, ctx.asOfMs)) continue;
    if (!opportunity.ownerId) note(dq, 'open deals without an owner');
    deals.push(computeDeal(dealRecords(opportunity, ctx.index), ctx, dq));
  }
  if (!options.activitiesCounted) {
    const closed = new Set(snapshot.opportunities.filter((o) => o.isClosed).map((o) => o.id));
    for (const a of snapshot.activities) noteActivityProblems(dq, a, closed, ctx.asOfMs);
  }
  return { deals, dataQuality: dq, benchmarks: ctx.benchmarks };
};

/** What is wrong with one activity as of asOf, counted: judged as activities stream past, or over a whole snapshot. */
export const noteActivityProblems = (dq: DataQuality, a: Activity, closedDealIds: ReadonlySet<string>, asOfMs: number): void => {
  if (a.status === 'open' && a.opportunityId && closedDealIds.has(a.opportunityId)) note(dq, 'open tasks on closed deals');
  if (a.status === 'done' && a.kind !== 'meeting' && Math.floor(toMs(a.date) / 86_400_000) > Math.floor(asOfMs / 86_400_000)) note(dq, 'activities marked done but dated in the future');
};

/** Field values to write, keyed by (un-namespaced) API name. */
export const dealFieldValues = (d: DealIndicators, asOf: string): Record<string, FieldValue> => ({
  [OPPORTUNITY_FIELDS.gateStatus.name]: d.gateStatus,
  [OPPORTUNITY_FIELDS.gateMilestonesMet.name]: d.milestonesMet,
  [OPPORTUNITY_FIELDS.gateMilestonesRequired.name]: d.milestonesRequired,
  [OPPORTUNITY_FIELDS.gateScore.name]: d.gateScore,
  [OPPORTUNITY_FIELDS.stakeholdersEngaged.name]: d.stakeholdersEngaged,
  [OPPORTUNITY_FIELDS.executiveEngaged.name]: d.executiveEngaged,
  [OPPORTUNITY_FIELDS.daysInStage.name]: d.daysInStage,
  [OPPORTUNITY_FIELDS.nextStepSet.name]: d.nextStepSet,
  [OPPORTUNITY_FIELDS.dealRiskFlags.name]: d.riskFlags.length ? d.riskFlags.join(';') : null,
  [OPPORTUNITY_FIELDS.nextBestAction.name]: d.nextBestAction,
  [OPPORTUNITY_FIELDS.gateChecklist.name]: d.checklist ? JSON.stringify(d.checklist) : null,
  ...(d.winProbability !== undefined ? { [OPPORTUNITY_FIELDS.winProbability.name]: d.winProbability } : {}),
  [OPPORTUNITY_FIELDS.indicatorsAsOf.name]: asOf,
});
