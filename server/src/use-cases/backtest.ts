// The backtest use case: which milestones predicted wins in this org's closed deals, and stage conversion — for the
// CLI's `stagecraft backtest` and the analytics API alike, as of the same default moment: the last sync's (the moment
// the fields on the records describe), or now when the org was never synced.
import { milestoneBacktest, stageConversion, type BacktestReport, type ConversionReport } from '../../../shared/src/engine/analytics.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import type { Companion } from '../composition.ts';
import { AppError } from '../errors.ts';
import { lastSync } from './companion-sync.ts';

export interface BacktestResult {
  asOf: string;
  backtest: BacktestReport;
  conversion: ConversionReport[];
}

export const defaultAsOf = async (c: Companion, now = new Date()): Promise<string> => (await lastSync(c))?.asOf ?? now.toISOString();

export const backtest = async (c: Companion, options: { asOf?: string } = {}): Promise<BacktestResult> => {
  if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf))) throw new AppError('bad_input', `as-of "${options.asOf}" is not an ISO date`);
  const asOf = new Date(options.asOf ?? (await defaultAsOf(c))).toISOString();
  // Every closed deal is judged as of the moment it left each stage: the whole org is read.
  const { snapshot } = await (await c.adapter()).read(new Date().toISOString());
  const { playbook } = c.playbook();
  const index = buildOrgIndex(snapshot);
  return { asOf, backtest: milestoneBacktest(snapshot, playbook, asOf, index), conversion: stageConversion(snapshot, playbook, asOf, index) };
};
