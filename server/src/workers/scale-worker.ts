// `stagecraft worker`: a stateless process that takes tenant syncs off the pg-boss queue, any number of them on any
// number of machines. What each failure kind does to the job:
//   transient (network, 5xx, a restarted database)  → thrown: pg-boss retries with exponential backoff, then dead-letters
//   conflict (another worker holds the tenant)       → done here, the sync re-enqueued to start 15 s later
//   budget (the tenant's daily budget, the org's     → the run is journalled and stopped; a follow-up sync is enqueued
//   allocation share, a rate limit)                    for the next UTC day (tenant budget) or an hour later
//   authentication, configuration, bad input,        → no retry can help: straight to the dead-letter queue with why,
//   internal                                           visible in `tenant list` / `tenant runs`
// SIGTERM drains: no new jobs are taken, the running ones finish (up to the drain timeout; past it they are failed
// back to the queue and retried elsewhere — the run journal resumes them).
import { hostname } from 'node:os';
import type { ScaleOut } from '../composition.ts';
import { AppError } from '../errors.ts';
import { QUEUES, type InboxJobData, type JobQueue, type SyncJobData } from '../jobs/queue.ts';
import { drainTenantInbox, syncTenant } from '../use-cases/tenant-sync.ts';

export interface WorkerOptions {
  /** Jobs this process runs at once (default 1: a sync is CPU-bound; run more processes instead). */
  concurrency?: number;
  /** Whether this worker also runs the every-minute scheduler (pg-boss fires it once across all workers). */
  schedule?: boolean;
  name?: string;
  log?: (line: string) => void;
}

const CONFLICT_DELAY_S = 15;
const RATE_LIMIT_DELAY_S = 3600;

const secondsToNextUtcDay = (now: Date): number => Math.ceil((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000) + 60;

/** The scheduler's tick: a sync for every unpaused tenant whose interval has passed (one waiting per tenant at most). */
export const enqueueDue = async (s: ScaleOut, queue: JobQueue, now = new Date()): Promise<number> => {
  let queued = 0;
  for (const t of await s.tenants.due(now)) if (await queue.sendSync({ tenant: t.id, mode: 'incremental', reason: 'schedule' })) queued++;
  // Events a lost drain left behind (the receiver enqueues a drain with every delivery; this catches the rest).
  for (const tenant of await s.inbox.tenantsWithPending('hubspot')) await queue.sendInbox({ tenant, source: 'hubspot' });
  return queued;
};

/** Runs one sync job and decides what its failure means for the queue (see the table above). */
export const handleSyncJob = async (s: ScaleOut, queue: JobQueue, job: { id: string; data: SyncJobData }, worker: string, log: (line: string) => void): Promise<string> => {
  const data = job.data;
  try {
    const result = await syncTenant(s, { ...data, jobId: job.id, worker });
    if (result.kind === 'stopped') {
      await queue.sendSync({ tenant: data.tenant, mode: data.mode, reason: 'budget', ...(data.asOf ? { asOf: data.asOf } : {}) }, { startAfterSeconds: result.tenantBudget ? secondsToNextUtcDay(new Date()) : RATE_LIMIT_DELAY_S });
      log(`tenant ${data.tenant}: stopped (${result.message}); resumes later`);
      return 'stopped';
    }
    log(result.kind === 'done' ? `tenant ${data.tenant}: ${data.mode} sync done, ${result.fieldsChanged} fields on ${result.recordsChanged} records, ${result.apiCalls ?? 0} API calls` : `tenant ${data.tenant}: skipped (${result.reason})`);
    return result.kind;
  } catch (error) {
    const kind = error instanceof AppError ? error.kind : 'transient';
    const message = (error as Error).message ?? String(error);
    if (kind === 'conflict') {
      await queue.sendSync({ ...data, reason: 'deferred' }, { startAfterSeconds: CONFLICT_DELAY_S });
      log(`tenant ${data.tenant}: ${message}; deferred ${CONFLICT_DELAY_S} s`);
      return 'deferred';
    }
    if (kind === 'budget') {
      await queue.sendSync({ ...data, reason: 'budget' }, { startAfterSeconds: RATE_LIMIT_DELAY_S });
      log(`tenant ${data.tenant}: ${message}; retried in ${RATE_LIMIT_DELAY_S} s`);
      return 'stopped';
    }
    if (kind === 'transient') {
      log(`tenant ${data.tenant}: ${message}; pg-boss retries it with backoff`);
      throw error;
    }
    await queue.sendDead({ ...data, errorKind: kind, error: message, failedAt: new Date().toISOString() });
    log(`tenant ${data.tenant}: ${kind}: ${message}; sent to ${QUEUES.dead}`);
    return 'dead';
  }
};

/** Drains one tenant's webhook inbox; failures by kind as for syncs (a held tenant: retried in 2 s, not 15). */
export const handleInboxJob = async (s: ScaleOut, queue: JobQueue, job: { id: string; data: InboxJobData }, worker: string, log: (line: string) => void): Promise<string> => {
  const data = job.data;
  try {
    const result = await drainTenantInbox(s, { ...data, jobId: job.id, worker });
    if (result.kind === 'done') log(`tenant ${data.tenant}: inbox drained, ${result.events} events, ${result.deals} deals, ${result.recordsChanged} records written`);
    return result.kind;
  } catch (error) {
    const kind = error instanceof AppError ? error.kind : 'transient';
    const message = (error as Error).message ?? String(error);
    if (kind === 'conflict' || kind === 'budget') {
      // The tenant is being synced (or out of calls): the events stay in the inbox and are drained after.
      await queue.sendInbox(data, { startAfterSeconds: kind === 'conflict' ? 2 : RATE_LIMIT_DELAY_S });
      return 'deferred';
    }
    if (kind === 'transient') throw error;
    await queue.sendDead({ tenant: data.tenant, mode: 'incremental', reason: `inbox ${data.source}`, errorKind: kind, error: message, failedAt: new Date().toISOString() });
    log(`tenant ${data.tenant}: inbox ${kind}: ${message}; sent to ${QUEUES.dead}`);
    return 'dead';
  }
};

export interface RunningWorker {
  name: string;
  /** Stops taking jobs, lets the running ones finish (up to `timeoutMs`), closes the connections. */
  drain(timeoutMs?: number): Promise<void>;
}

export const startWorker = async (s: ScaleOut, options: WorkerOptions = {}): Promise<RunningWorker> => {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? ((line: string) => console.log(`[${new Date().toISOString()}] ${name} ${line}`));
  const queue = await s.queue();
  if (options.schedule ?? true) {
    await queue.scheduleTick();
    await queue.boss.work(QUEUES.tick, { pollingIntervalSeconds: 5 }, async () => {
      const n = await enqueueDue(s, queue);
      if (n) log(`scheduler: ${n} tenant syncs due`);
    });
  }
  for (let i = 0; i < Math.max(1, options.concurrency ?? 1); i++) {
    await queue.boss.work<SyncJobData>(QUEUES.sync, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await handleSyncJob(s, queue, job, name, log);
    });
  }
  await queue.boss.work<InboxJobData>(QUEUES.inbox, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
    if (job) await handleInboxJob(s, queue, job, name, log);
  });
  log(`worker started (${options.concurrency ?? 1} at a time${options.schedule ?? true ? ', scheduler on' : ''})`);
  return {
    name,
    async drain(timeoutMs = 60_000) {
      log('draining: no new jobs; waiting for the running ones');
      await queue.stop({ graceful: true, timeoutMs });
      await s.close();
      log('drained');
    },
  };
};
