// One sync at a time, started from the API and run in-process against the embedded org. The status says whether one
// is running and how the last one ended; `idle()` lets shutdown wait for a running sync before the store closes.
import { EmbeddedAdapter } from '../crm/embedded/adapter.ts';
import type { OrgStore } from '../crm/embedded/store.ts';
import { runSync, type SyncSummary } from '../jobs/sync.ts';
import { loadPlaybook } from '../playbook-store.ts';
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
  private readonly store: OrgStore;
  private readonly logger: Logger;
  private readonly metrics: Metrics;
  private readonly dataDir: string;
  private readonly onSynced: () => void;

  constructor(store: OrgStore, dataDir: string, logger: Logger, metrics: Metrics, onSynced: () => void = () => undefined) {
    this.store = store;
    this.onSynced = onSynced;
    this.dataDir = dataDir;
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
      .then(() => runSync({ adapter: new EmbeddedAdapter(this.store), playbook: loadPlaybook(this.dataDir).playbook, asOf }))
      .then((summary: SyncSummary) => {
        this.store.setMeta('lastSync', JSON.stringify({ at: new Date().toISOString(), asOf: summary.asOf, fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length }));
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
