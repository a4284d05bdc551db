// How long won deals spent in each stage: the yardstick for "stalled". Only deals won by asOf count, so a backtest
// never learns from the future.
import type { OrgSnapshot } from '../model.ts';
import type { OrgIndex } from './org-index.ts';
import { stageEntries } from './stage.ts';
import { DAY_MS, toMs } from './time.ts';

export interface StageBenchmark {
  /** Median whole days won deals spent in the stage (per visit). */
  medianDays: number;
  /** Won deals' visits behind the median. */
  samples: number;
  /** Every visit's whole days, ascending: the percentiles the Stalled threshold is read from. */
  sortedDays?: number[];
}

/** Stage name → benchmark, over won deals closed on or before asOf. */
export type StageBenchmarks = Map<string, StageBenchmark>;

const medianOfSorted = (sorted: number[]): number => {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The p-th percentile (0–100) of an ascending list, nearest rank. */
export const percentileOfSorted = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export const stageBenchmarks = (snapshot: OrgSnapshot, index: OrgIndex, asOfMs: number): StageBenchmarks => {
  const durations = new Map<string, number[]>();
  for (const deal of snapshot.opportunities) {
    if (!deal.isWon || !deal.closeDate || toMs(deal.closeDate) > asOfMs) continue;
    const entries = stageEntries(index.historyByOpportunity.get(deal.id) ?? [], asOfMs);
    for (let i = 0; i + 1 < entries.length; i++) {
      const days = Math.floor((entries[i + 1]!.ms - entries[i]!.ms) / DAY_MS);
      const list = durations.get(entries[i]!.stage);
      if (list) list.push(days);
      else durations.set(entries[i]!.stage, [days]);
    }
  }
  return new Map([...durations].map(([stage, days]) => {
    const sorted = days.sort((a, b) => a - b);
    return [stage, { medianDays: medianOfSorted(sorted), samples: sorted.length, sortedDays: sorted }];
  }));
};
