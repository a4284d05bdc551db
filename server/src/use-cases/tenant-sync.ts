// One tenant's sync as a worker runs it: take the tenant (a PostgreSQL advisory lock — at most one worker syncs a
// tenant at any moment, whoever enqueued what), open its connector over its decrypted credentials, and run the same
// sync use case as the single-org companion. Every CRM call first checks the lock is still held (a worker whose
// database connection dropped stops before its next call instead of racing the worker that takes over) and takes
// the call from the tenant's daily budget, shared by all workers. The run and its outcome go to the tenant's history.
import type { ScaleOut } from '../composition.ts';
import { AppError, asAppError } from '../errors.ts';
import { unseal } from '../secrets.ts';
import { syncOrg } from './companion-sync.ts';

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

export const syncTenant = async (s: ScaleOut, job: TenantSyncJob): Promise<TenantSyncResult> => {
  const tenant = await s.tenants.get(job.tenant);
  if (!tenant) return { kind: 'skipped', reason: 'no such tenant' };
  if (tenant.paused) return { kind: 'skipped', reason: 'paused' };
  const lock = await s.db.tryLock(tenantLockName(tenant.id));
  if (!lock) throw new AppError('conflict', `tenant ${tenant.id} is being synced by another worker`);
  const runId = await s.tenants.startRun(tenant.id, job.jobId ?? null, job.mode, job.worker).catch(async (error: unknown) => {
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
      const outcome = await syncOrg(c, { incremental: job.mode === 'incremental', asOf: job.asOf });
      if (outcome.kind === 'stopped') {
        await s.tenants.finishRun(runId, 'stopped', { errorKind: 'budget', error: outcome.message });
        return { kind: 'stopped', message: outcome.message, tenantBudget: tenantBudgetSpent };
      }
      const sm = outcome.summary;
      const result = { kind: 'done' as const, fieldsChanged: sm.plan.fieldsChanged, recordsChanged: sm.plan.records.length, apiCalls: sm.apiCalls?.total ?? null };
      await s.tenants.finishRun(runId, 'done', { summary: `${sm.mode}: ${result.fieldsChanged} fields on ${result.recordsChanged} records, ${result.apiCalls ?? 0} API calls` });
      return result;
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
