// Where a deal stood at `asOf`, from its stage history. History dated after asOf is ignored, so the same code answers
// "now" and any moment in the past (backtests).
import type { Opportunity } from '../model.ts';
import type { IndexedHistory } from './org-index.ts';
import { calendarDaysBetween, toMs } from './time.ts';

export interface StageEntry {
  stage: string;
  /** Epoch ms when the deal entered the stage. */
  ms: number;
}

/** Stage entries up to asOf: a row whose stage differs from the row before it (Salesforce repeats stages on amount or date changes). */
export const stageEntries = (history: readonly IndexedHistory[], asOfMs: number): StageEntry[] => {
  const entries: StageEntry[] = [];
  let previous: string | undefined;
  for (const row of history) {
    if (row.ms > asOfMs) break;
    if (row.entry.stage !== previous) entries.push({ stage: row.entry.stage, ms: row.ms });
    previous = row.entry.stage;
  }
  return entries;
};

export interface StagePosition {
  stage: string;
  /** When the deal last entered that stage (epoch ms). */
  enteredMs: number;
  /** Whole UTC calendar days from that entry to asOf. */
  daysInStage: number;
  /** Every entry up to asOf, oldest first (the path the deal took). */
  entries: StageEntry[];
  /** True when no history row was dated on or before asOf, so CreatedDate stood in for the entry. */
  fromCreatedDate: boolean;
  /**
   * The stage the history's last row names when the CRM's StageName disagrees with it and no later row explains the
   * difference: the CRM's value is kept as the current stage, and this is a data-quality problem to report.
   */
  historyDisagrees: string | null;
}

/**
 * The deal's stage at asOf and how long it had been there. The stage is the last history row's on or before asOf;
 * with no such row, the deal's own stage since its CreatedDate. A deal that went back and re-entered the stage
 * counts from the re-entry.
 */
export const stagePosition = (opportunity: Opportunity, history: readonly IndexedHistory[], asOfMs: number): StagePosition => {
  const entries = stageEntries(history, asOfMs);
  const last = entries.at(-1);
  if (!last) {
    const createdMs = toMs(opportunity.createdDate);
    return { stage: opportunity.stage, enteredMs: createdMs, daysInStage: calendarDaysBetween(createdMs, asOfMs), entries, fromCreatedDate: true, historyDisagrees: null };
  }
  // Nothing recorded after asOf: the CRM's own StageName is the stage then too. When the history's last row names
  // another stage, the history is incomplete (an import, a data fix); the CRM's value is not silently replaced. It
  // entered that stage at or after the last row: the last row's moment is the earliest it can have been.
  const laterRows = (history.at(-1)?.ms ?? -Infinity) > asOfMs;
  if (!laterRows && opportunity.stage && opportunity.stage !== last.stage) {
    return { stage: opportunity.stage, enteredMs: last.ms, daysInStage: calendarDaysBetween(last.ms, asOfMs), entries, fromCreatedDate: false, historyDisagrees: last.stage };
  }
  return { stage: last.stage, enteredMs: last.ms, daysInStage: calendarDaysBetween(last.ms, asOfMs), entries, fromCreatedDate: false, historyDisagrees: null };
};
