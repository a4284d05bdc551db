// One sync at a time, started from the API ("Sync now", "recalculate now"): the same sync use case as the CLI's, run
// incrementally (only the deals changed since the last sync) when the last full sync's facts still hold. The status
// says whether one is running and how the last one ended; `idle()` lets shutdown wait for it before the store closes.
import { Worker } from 'node:worker_threads';
import type { Companion, CompanionConfig } from '../composition.ts';
import { AppError } from '../errors.ts';
import { holdOrg, type Hold } from '../org-lock.ts';
import { syncOrg } from '../use-cases/companion-sync.ts';
import type { SyncSummary } from '../use-cases/sync.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { SyncWorkerInput, SyncWorkerResult } from './sync-worker.ts';

const WORKER = new URL('./sync-worker.ts', import.meta.url);

/** What a finished sync reports, wherever it ran. */
type Finished = { kind: 'done'; last: NonNullable<SyncStatus['last']> } | { kind: 'stopped'; message: string };

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
  /** Where a worker thread finds the org and the companion's state; null runs the sync on this thread. */
  private readonly workerConfig: CompanionConfig | null;

  constructor(companion: Companion, logger: Logger, metrics: Metrics, onSynced: () => void = () => undefined, workerConfig: CompanionConfig | null = null) {
    this.companion = companion;
    this.workerConfig = workerConfig;
    this.onSynced = onSynced;
    this.logger = logger;
    this.metrics = metrics;
  }

  current(): SyncStatus {
    return { ...this.status };
  }

  /** Starts a sync unless one is running (here, or another process's: the org's sync hold); answers the status. */
  start(asOf?: string): { started: boolean; status: SyncStatus } {
    if (this.running) return { started: false, status: this.current() };
    let hold: Hold;
    try {
      hold = holdOrg(this.companion.dataDir, 'sync');
    } catch (error) {
      if (error instanceof AppError && error.kind === 'conflict') return { started: false, status: { ...this.current(), error: error.message } };
      throw error;
    }
    this.status = { ...this.status, state: 'running', startedAt: new Date().toISOString(), finishedAt: null, error: null };
    const timer = this.metrics.syncDuration.startTimer();
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (this.workerConfig ? this.inWorker(this.workerConfig, asOf) : this.here(asOf)))
      .then((outcome) => {
        if (outcome.kind === 'stopped') throw new Error(outcome.message);
        this.status = { state: 'idle', startedAt: this.status.startedAt, finishedAt: new Date().toISOString(), last: outcome.last, error: null };
        this.metrics.syncRuns.inc({ outcome: 'ok' });
        this.logger.log('info', 'sync finished', { fieldsChanged: outcome.last.fieldsChanged, durationMs: outcome.last.durationMs });
        this.onSynced();
      })
      .catch((error: unknown) => {
        this.status = { ...this.status, state: 'failed', finishedAt: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
        this.metrics.syncRuns.inc({ outcome: 'failed' });
        this.logger.log('error', 'sync failed', { error: String((error as Error)?.stack ?? error) });
      })
      .finally(() => {
        hold.release();
        timer();
        this.running = null;
      });
    return { started: true, status: this.current() };
  }

  private async here(asOf: string | undefined): Promise<Finished> {
    const outcome = await syncOrg(this.companion, { asOf, incremental: asOf === undefined });
    if (outcome.kind === 'stopped') return { kind: 'stopped', message: outcome.message };
    const summary: SyncSummary = outcome.summary;
    return { kind: 'done', last: { asOf: summary.asOf, fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length, opportunities: summary.indicatorsComputed.opportunities, durationMs: summary.durationMs } };
  }

  private inWorker(config: CompanionConfig, asOf: string | undefined): Promise<Finished> {
    const input: SyncWorkerInput = { config, crm: this.companion.crm, asOf, incremental: asOf === undefined };
    return new Promise<Finished>((resolve, reject) => {
      const worker = new Worker(WORKER, { workerData: input });
      let answered = false;
      worker.once('message', (r: SyncWorkerResult) => {
        answered = true;
        if (!r.ok) {
          this.logger.log('error', 'sync worker failed', { error: r.detail });
          reject(new Error(r.error));
        } else if (r.kind === 'stopped') resolve({ kind: 'stopped', message: r.message });
        else resolve({ kind: 'done', last: { asOf: r.asOf, fieldsChanged: r.fieldsChanged, recordsChanged: r.recordsChanged, opportunities: r.opportunities, durationMs: r.durationMs } });
      });
      worker.once('error', reject);
      worker.once('exit', (code) => !answered && reject(new Error(`the sync worker stopped with code ${code}`)));
    });
  }

  /** Resolves when no sync is running. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
