// One sync at a time, started from the API ("Sync now", "recalculate now"): the same sync use case as the CLI's, run
// incrementally (only the deals changed since the last sync) when the last full sync's facts still hold. The status
// says whether one is running and how the last one ended; `idle()` lets shutdown wait for it before the store closes.
import type { Companion } from '../composition.ts';
import { syncOrg } from '../use-cases/companion-sync.ts';
import type { SyncSummary } from '../use-cases/sync.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';

export interface SyncStatus {
  state: 'idle' | 'running' | 'failed';
  startedAt: string | null;
  finishedAt: string | null;
  /** The last finished run's outcome. */
  last: { asOf: string; fieldsChanged: number; recordsChanged: number; opportunities: number; durationMs: number } | null;
  error: string | null;
}

export class SyncJob {
  private status: SyncStatus = { state: 'idle', startedAt: null, finishedAt: null, last: null, error: null };
  private running: Promise<void> | null = null;
  private readonly companion: Companion;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly onSynced: () => void;

  constructor(companion: Companion, logger: Logger, metrics: Metrics, onSynced: () => void = () => undefined) {
    this.companion = companion;
    this.onSynced = onSynced;
    this.logger = logger;
    this.metrics = metrics;
  }

  current(): SyncStatus {
    return { ...this.status };
  }

  /** Starts a sync unless one is running; either way answers the status. */
  start(asOf?: string): { started: boolean; status: SyncStatus } {
    if (this.running) return { started: false, status: this.current() };
    this.status = { ...this.status, state: 'running', startedAt: new Date().toISOString(), finishedAt: null, error: null };
    const timer = this.metrics.syncDuration.startTimer();
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => syncOrg(this.companion, { asOf, incremental: asOf === undefined }))
      .then((outcome) => {
        if (outcome.kind === 'stopped') throw new Error(outcome.message);
        const summary: SyncSummary = outcome.summary;
        this.status = {
          state: 'idle',
          startedAt: this.status.startedAt,
          finishedAt: new Date().toISOString(),
          last: { asOf: summary.asOf, fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length, opportunities: summary.indicatorsComputed.opportunities, durationMs: summary.durationMs },
          error: null,
        };
        this.metrics.syncRuns.inc({ outcome: 'ok' });
        this.logger.log('info', 'sync finished', { fieldsChanged: summary.plan.fieldsChanged, durationMs: summary.durationMs });
        this.onSynced();
      })
      .catch((error: unknown) => {
        this.status = { ...this.status, state: 'failed', finishedAt: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
        this.metrics.syncRuns.inc({ outcome: 'failed' });
        this.logger.log('error', 'sync failed', { error: String((error as Error)?.stack ?? error) });
      })
      .finally(() => {
        timer();
        this.running = null;
      });
    return { started: true, status: this.current() };
  }

  /** Resolves when no sync is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
