// One tenant's sync as a worker runs it: take the tenant (a PostgreSQL advisory lock — at most one worker syncs a
// tenant at any moment, whoever enqueued what), open its connector over its decrypted credentials, and run the same
// sync use case as the single-org companion. Every CRM call first checks the lock is still held (a worker whose
// database connection dropped stops before its next call instead of racing the worker that takes over) and takes
// the call from the tenant's daily budget, shared by all workers. The run and its outcome go to the tenant's history.
import type { Companion, ScaleOut } from '../composition.ts';
import { AppError, asAppError } from '../errors.ts';
import { unseal } from '../secrets.ts';
import { syncOrg } from './companion-sync.ts';
import { drainInbox } from './webhook-inbox.ts';

export interface TenantSyncJob {
  tenant: string;
  mode: 'full' | 'incremental';
  asOf?: string;
  jobId?: string;
  /** This worker's name, in the tenant's history and in the CRM's logs. */
  worker: string;
}

export type TenantSyncResult =
  | { kind: 'done'; fieldsChanged: number; recordsChanged: number; apiCalls: number | null }
  /** A budget stopped it: the run is journalled and the next sync resumes it. */
  | { kind: 'stopped'; message: string; tenantBudget: boolean }
  /** Paused or removed since it was enqueued. */
  | { kind: 'skipped'; reason: string };

export const tenantLockName = (tenant: string): string => `stagecraft:tenant:${tenant}`;

/**
 * Runs `work` on a tenant's companion with the tenant held: the lock, the call hooks (fence + shared budget), the run
 * recorded in the tenant's history with its outcome. Null when the tenant is gone or paused.
 */
const withTenant = async <T>(
  s: ScaleOut,
  job: { tenant: string; jobId?: string; worker: string },
  kind: string,
  work: (c: Companion, budgetSpent: () => boolean) => Promise<{ result: T; status: 'done' | 'stopped'; errorKind?: string; error?: string; summary?: string }>,
): Promise<T | { kind: 'skipped'; reason: string }> => {
  const tenant = await s.tenants.get(job.tenant);
  if (!tenant) return { kind: 'skipped', reason: 'no such tenant' };
  if (tenant.paused) return { kind: 'skipped', reason: 'paused' };
  const lock = await s.db.tryLock(tenantLockName(tenant.id));
  if (!lock) throw new AppError('conflict', `tenant ${tenant.id} is being synced by another worker`);
  // Holding the lock, no other run of this tenant can be alive: any still marked running died with its worker.
  const runId = await s.tenants.closeLostRuns(tenant.id).then(() => s.tenants.startRun(tenant.id, job.jobId ?? null, kind, job.worker)).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  let tenantBudgetSpent = false;
  try {
    const credentials = JSON.parse(unseal(s.keys, tenant.credentials, tenant.id)) as unknown;
    const c = await s.tenantCompanion(tenant, credentials, {
      client: `stagecraft/${job.worker}/${job.jobId ?? 'direct'}`,
      beforeCall: async () => {
        if (lock.lost) throw new AppError('transient', `lost the lock on tenant ${tenant.id} (the database connection dropped): stopping before the next CRM call`);
        const taken = await s.tenants.takeBudget(tenant.id, tenant.dailyApiBudget);
        if (!taken.ok) {
          tenantBudgetSpent = true;
          throw new AppError('budget', `tenant ${tenant.id} has used its daily budget of ${tenant.dailyApiBudget} API calls`);
        }
      },
    });
    try {
      const outcome = await work(c, () => tenantBudgetSpent);
      await s.tenants.finishRun(runId, outcome.status, { errorKind: outcome.errorKind, error: outcome.error, summary: outcome.summary });
      return outcome.result;
    } finally {
      await c.close();
    }
  } catch (error) {
    const e = asAppError(error);
    // The history is best effort: with the database gone it cannot be written, and the job's retry says the rest.
    await s.tenants.finishRun(runId, 'failed', { errorKind: error instanceof AppError ? e.kind : 'transient', error: (error as Error).message ?? String(error) }).catch(() => {});
    throw error;
  } finally {
    await lock.release();
  }
};

export const syncTenant = (s: ScaleOut, job: TenantSyncJob): Promise<TenantSyncResult> =>
  withTenant<TenantSyncResult>(s, job, job.mode, async (c, budgetSpent) => {
    const outcome = await syncOrg(c, { incremental: job.mode === 'incremental', asOf: job.asOf });
    if (outcome.kind === 'stopped') return { result: { kind: 'stopped', message: outcome.message, tenantBudget: budgetSpent() }, status: 'stopped', errorKind: 'budget', error: outcome.message };
    const sm = outcome.summary;
    const result = { kind: 'done' as const, fieldsChanged: sm.plan.fieldsChanged, recordsChanged: sm.plan.records.length, apiCalls: sm.apiCalls?.total ?? null };
    return { result, status: 'done', summary: `${sm.mode}: ${result.fieldsChanged} fields on ${result.recordsChanged} records, ${result.apiCalls ?? 0} API calls` };
  });

export type InboxDrainResult = { kind: 'done'; events: number; deals: number; recordsChanged: number } | { kind: 'skipped'; reason: string };

/** Drains a tenant's webhook inbox: the deals its events touch recomputed and written, the events marked processed. */
export const drainTenantInbox = (s: ScaleOut, job: { tenant: string; source: string; jobId?: string; worker: string }): Promise<InboxDrainResult> =>
  withTenant<InboxDrainResult>(s, job, 'inbox', async (c) => {
    const drained = await drainInbox(c, job.source);
    return { result: { kind: 'done', ...drained }, status: 'done', summary: `inbox: ${drained.events} events, ${drained.deals} deals, ${drained.recordsChanged} records written` };
  });
