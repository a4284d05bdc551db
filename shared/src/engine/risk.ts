// Risk flags on an open deal. Each is a plain fact a manager can filter a list view by; thresholds come from the
// playbook's settings, never from numbers in code.
import type { RiskFlag } from '../fields.ts';
import type { SalesProcess, Settings } from '../playbook/schema.ts';
import { percentileOfSorted, type StageBenchmark } from './benchmarks.ts';
import { wasHeld } from './engagement.ts';
import type { DealRecords } from './rules.ts';
import { dayNumber, dayOfMs } from './time.ts';

export interface RiskInputs {
  process: SalesProcess;
  settings: Settings;
  stage: string;
  daysInStage: number;
  stakeholdersEngaged: number;
  executiveEngaged: boolean;
  nextStepSet: boolean;
  gateSkipped: boolean;
  benchmark: StageBenchmark | undefined;
}

const atOrAfter = (process: SalesProcess, stage: string, from: string | undefined): boolean => {
  if (!from) return false;
  const order = process.stages.findIndex((s) => s.name === stage);
  const threshold = process.stages.findIndex((s) => s.name === from);
  return order >= 0 && threshold >= 0 && order >= threshold;
};

/** Stalled by default above the 90th percentile of won deals' days in the stage: nine in ten won deals moved on sooner. */
export const DEFAULT_STALL_PERCENTILE = 90;

/**
 * Days in stage beyond which the deal is stalled, or null when won deals give too little to judge by: above a high
 * percentile of the days the org's own won deals spent there (a deal slower than nine in ten wins), above stallFactor ×
 * their median, and at least minStallDays. A median alone made 14 days "stalled" where won deals take 6–8 days with a
 * long tail, flagging most of the pipeline.
 */
export const stallThreshold = (settings: Settings, benchmark: StageBenchmark | undefined): number | null => {
  if (!benchmark || benchmark.samples < settings.minWonSamplesForStall) return null;
  const high = benchmark.sortedDays?.length ? percentileOfSorted(benchmark.sortedDays, settings.stallPercentile ?? DEFAULT_STALL_PERCENTILE) : 0;
  return Math.max(settings.minStallDays, settings.stallFactor * benchmark.medianDays, high);
};

/** The close date was pushed out: a history row up to asOf promises a later close than the row before it. */
export const closeDateSlipped = (deal: DealRecords, asOfMs: number): boolean => {
  let previous: string | null = null;
  for (const row of deal.history) {
    if (row.ms > asOfMs) break;
    const close = row.entry.closeDate ?? null;
    if (close && previous && close > previous) return true;
    if (close) previous = close;
  }
  return false;
};

export const riskFlags = (deal: DealRecords, r: RiskInputs, asOfMs: number): RiskFlag[] => {
  const flags: RiskFlag[] = [];
  const asOfDay = dayOfMs(asOfMs);
  if (atOrAfter(r.process, r.stage, r.process.multiThreadFromStage) && r.stakeholdersEngaged < r.settings.multiThreadedAt) flags.push('Single_Threaded');
  if (atOrAfter(r.process, r.stage, r.process.executiveFromStage) && !r.executiveEngaged) flags.push('No_Executive');
  const stall = stallThreshold(r.settings, r.benchmark);
  if (stall !== null && r.daysInStage > stall) flags.push('Stalled');
  if (!r.nextStepSet) flags.push('No_Next_Step');
  if (r.gateSkipped) flags.push('Gate_Skipped');
  if (closeDateSlipped(deal, asOfMs)) flags.push('Close_Date_Slipped');
  const recent = deal.activities.some((a) => a.day >= asOfDay - r.settings.noRecentActivityDays && wasHeld(a, asOfMs));
  if (!recent) flags.push('No_Recent_Activity');
  return flags;
};

/** Late: the promised close date has passed, or it was pushed out. */
export const isLate = (deal: DealRecords, asOfMs: number): boolean =>
  closeDateSlipped(deal, asOfMs) || (deal.opportunity.closeDate ? dayNumber(deal.opportunity.closeDate) < dayOfMs(asOfMs) : false);
