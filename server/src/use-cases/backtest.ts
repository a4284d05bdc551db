// The backtest use case: which milestones predicted wins in this org's closed deals, and stage conversion — for the
// CLI's `stagecraft backtest` and the analytics API alike, as of the same default moment: the last sync's (the moment
// the fields on the records describe), or now when the org was never synced.
import { milestoneBacktest, stageConversion, type BacktestReport, type ConversionReport } from '../../../shared/src/engine/analytics.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { flagBacktest, type FlagBacktestReport } from '../../../shared/src/engine/flag-backtest.ts';
import type { Companion } from '../composition.ts';
import { AppError } from '../errors.ts';
import { lastSync } from './companion-sync.ts';

export interface BacktestResult {
  asOf: string;
  backtest: BacktestReport;
  conversion: ConversionReport[];
  /** Each risk flag judged like a milestone: does it predict losses here, and is it raised on deals. */
  flags: FlagBacktestReport;
}

export const defaultAsOf = async (c: Companion, now = new Date()): Promise<string> => (await lastSync(c))?.asOf ?? now.toISOString();

export const backtest = async (c: Companion, options: { asOf?: string } = {}): Promise<BacktestResult> => {
  if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf))) throw new AppError('bad_input', `as-of "${options.asOf}" is not an ISO date`);
  const asOf = new Date(options.asOf ?? (await defaultAsOf(c))).toISOString();
  // Every closed deal is judged as of the moment it left each stage: the whole org is read.
  const { snapshot } = await (await c.adapter()).read(new Date().toISOString());
  const { playbook } = c.playbook();
  const index = buildOrgIndex(snapshot);
  return { asOf, backtest: milestoneBacktest(snapshot, playbook, asOf, index), conversion: stageConversion(snapshot, playbook, asOf, index), flags: flagBacktest(snapshot, playbook, asOf, index) };
};

/**
 * The backtest for a companion that serves it repeatedly (a HubSpot portal's settings page): as of the last full
 * sync, computed once per full sync and playbook and shared by concurrent callers — reading a whole portal takes
 * seconds and API calls, and the incremental polls in between change no closed deal's history.
 */
export interface HeldBacktest {
  get(): Promise<BacktestResult>;
  /** After what the key cannot see changed (an attestation, a saved playbook). */
  invalidate(): void;
}

export const heldBacktest = (c: Companion): HeldBacktest => {
  let held: { key: string; promise: Promise<BacktestResult> } | null = null;
  return {
    async get() {
      const full = await c.state.facts(c.tenant());
      const key = JSON.stringify([full?.asOf ?? null, c.playbook().playbook]);
      if (held?.key !== key) {
        const promise = backtest(c, full ? { asOf: full.asOf } : {});
        held = { key, promise };
        // A failed computation is not kept: the next request tries again.
        promise.catch(() => {
          if (held?.promise === promise) held = null;
        });
      }
      return held.promise;
    },
    invalidate() {
      held = null;
    },
  };
};
