// The scale-out's job queue: pg-boss over the same PostgreSQL, not a home-made loop. Three queues —
//   stagecraft-sync  one job per tenant sync (full or incremental); `singletonKey` = the tenant, so a tenant has at
//                    most one sync waiting however often it is asked for (policy `short`). That at most one *runs* at a
//                    time is the tenant lock's job (../use-cases/tenant-sync.ts): pg-boss's own active-singleton
//                    policies block the whole queue behind a busy tenant (its fetch swallows the unique violation).
//   stagecraft-inbox one job per tenant whose webhook inbox has events (same singleton key and policy as syncs).
//   stagecraft-tick  the scheduler: a cron job every minute that enqueues the syncs that are due.
//   stagecraft-dead  the dead-letter queue: syncs that failed for good, with why, for an operator to look at.
// Retries: pg-boss retries a thrown job with exponential backoff (transient faults: the network, a restarted database);
// the worker decides the other kinds itself (../workers/scale-worker.ts).
import PgBoss from 'pg-boss';

export const QUEUES = { sync: 'stagecraft-sync', inbox: 'stagecraft-inbox', tick: 'stagecraft-tick', dead: 'stagecraft-dead' } as const;

/** Drain a tenant's webhook inbox (the receiver enqueues one per tenant whenever events arrive; one waits at most). */
export interface InboxJobData {
  tenant: string;
  source: string;
}

export interface SyncJobData {
  tenant: string;
  mode: 'full' | 'incremental';
  /** A fixed as-of moment (tests, backfills); otherwise the run's own start (or the interrupted run's). */
  asOf?: string;
  /** Why it was enqueued: `schedule`, `admin`, `deferred`, `budget`. */
  reason?: string;
}

export interface DeadJobData extends SyncJobData {
  errorKind: string;
  error: string;
  failedAt: string;
}

export interface QueueOptions {
  /** A job active longer than this is taken as lost (its worker died) and retried. Default 15 minutes. */
  expireInSeconds?: number;
  /** Retries of a transient failure (backoff doubling from retryDelaySeconds). Default 6 from 10 s. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How often pg-boss's maintenance runs (expiring lost jobs among it). Default 60 s. */
  maintenanceIntervalSeconds?: number;
  onError?: (error: Error) => void;
}

export class JobQueue {
  readonly boss: PgBoss;
  private readonly options: QueueOptions;
  private configure = false;

  constructor(connectionString: string, options: QueueOptions = {}) {
    this.options = options;
    this.boss = new PgBoss({ connectionString, max: 4, maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60, application_name: 'stagecraft' });
    // Without a listener an 'error' event kills the process; a restarting database emits a few.
    this.boss.on('error', (error) => options.onError?.(error));
  }

  /**
   * `configure`: bring the queues' settings (job timeout, retries) to this process's options — workers do, as the
   * deployment's say; an admin command that only enqueues creates missing queues and leaves settings alone. A job takes
   * its timeout from its queue when it is enqueued.
   */
  async start(configure = false): Promise<void> {
    this.configure = configure;
    await this.boss.start();
    await this.ensureQueue(QUEUES.dead, { name: QUEUES.dead, policy: 'standard', retentionMinutes: 60 * 24 * 14 });
    await this.ensureQueue(QUEUES.tick, { name: QUEUES.tick, policy: 'short', expireInSeconds: 300 });
    await this.ensureQueue(QUEUES.inbox, {
      name: QUEUES.inbox,
      policy: 'short',
      retryLimit: this.options.retryLimit ?? 6,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: this.options.expireInSeconds ?? 15 * 60,
      deadLetter: QUEUES.dead,
    });
    await this.ensureQueue(QUEUES.sync, {
      name: QUEUES.sync,
      policy: 'short',
      retryLimit: this.options.retryLimit ?? 6,
      retryDelay: this.options.retryDelaySeconds ?? 10,
      retryBackoff: true,
      expireInSeconds: this.options.expireInSeconds ?? 15 * 60,
      deadLetter: QUEUES.dead,
    });
  }

  /** Creates the queue, or brings its options up to date (several workers may start at once: the loser updates). */
  private async ensureQueue(name: string, options: PgBoss.Queue): Promise<void> {
    if (!(await this.boss.getQueue(name))) {
      try {
        await this.boss.createQueue(name, options);
        return;
      } catch {
        // created by a worker starting beside this one
      }
    }
    if (this.configure) await this.boss.updateQueue(name, options);
  }

  /** Enqueues a tenant sync; null when one is already waiting for that tenant. */
  sendSync(data: SyncJobData, options: { startAfterSeconds?: number } = {}): Promise<string | null> {
    return this.boss.send(QUEUES.sync, data as object, { singletonKey: data.tenant, ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}) });
  }

  /** Enqueues the drain of a tenant's inbox; null when one is already waiting (it will see the new events too). */
  sendInbox(data: InboxJobData, options: { startAfterSeconds?: number } = {}): Promise<string | null> {
    return this.boss.send(QUEUES.inbox, data as object, { singletonKey: data.tenant, ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}) });
  }

  sendDead(data: DeadJobData): Promise<string | null> {
    return this.boss.send(QUEUES.dead, data as object);
  }

  /** The every-minute tick that enqueues due syncs (pg-boss runs a cron once across all workers). */
  scheduleTick(cron = '* * * * *'): Promise<void> {
    return this.boss.schedule(QUEUES.tick, cron, {}, { singletonKey: 'tick' });
  }

  async stop(options: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
    await this.boss.stop({ graceful: options.graceful ?? true, wait: true, timeout: options.timeoutMs ?? 30_000 });
  }
}
