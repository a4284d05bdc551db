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
    return { stage: opportunity.stage, enteredMs: createdMs, daysInStage: calendarDaysBetween(createdMs, asOfMs), entries, fromCreatedDate: true };
  }
  return { stage: last.stage, enteredMs: last.ms, daysInStage: calendarDaysBetween(last.ms, asOfMs), entries, fromCreatedDate: false };
};
