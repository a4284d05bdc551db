// The tenants of a scale-out deployment (an org or a portal each), their job history and their shared daily CRM API
// budget, in PostgreSQL. Credentials are stored sealed (../secrets.ts): this repository never sees them in clear.
import type { PgDatabase } from './pg.ts';
import type { Sealed } from '../secrets.ts';

export type TenantCrm = 'salesforce' | 'hubspot';

export interface TenantRow {
  id: string;
  crm: TenantCrm;
  name: string;
  credentials: Sealed;
  paused: boolean;
  dailyApiBudget: number | null;
  syncEverySeconds: number;
  /** The id the CRM names this tenant by in its events (a HubSpot portal id), when known. */
  externalId?: string | null;
  createdAt: string;
}

export interface TenantRunRow {
  id: number;
  tenant: string;
  jobId: string | null;
  kind: string;
  worker: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'done' | 'stopped' | 'failed' | 'deferred';
  errorKind: string | null;
  error: string | null;
  summary: string | null;
}

const toTenant = (r: Record<string, unknown>): TenantRow => ({
  id: String(r.id),
  crm: r.crm as TenantCrm,
  name: String(r.name),
  credentials: { keyId: String(r.key_id), data: String(r.credentials) },
  paused: Boolean(r.paused),
  dailyApiBudget: r.daily_api_budget === null ? null : Number(r.daily_api_budget),
  syncEverySeconds: Number(r.sync_every_seconds),
  externalId: r.external_id === null || r.external_id === undefined ? null : String(r.external_id),
  createdAt: new Date(r.created_at as string).toISOString(),
});

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

const toRun = (r: Record<string, unknown>): TenantRunRow => ({
  id: Number(r.id),
  tenant: String(r.tenant),
  jobId: r.job_id === null ? null : String(r.job_id),
  kind: String(r.kind),
  worker: String(r.worker),
  startedAt: iso(r.started_at)!,
  finishedAt: iso(r.finished_at),
  status: r.status as TenantRunRow['status'],
  errorKind: r.error_kind === null ? null : String(r.error_kind),
  error: r.error === null ? null : String(r.error),
  summary: r.summary === null ? null : String(r.summary),
});

export class PgTenants {
  private readonly db: PgDatabase;

  constructor(db: PgDatabase) {
    this.db = db;
  }

  /** False when the id is taken. */
  async add(t: Omit<TenantRow, 'createdAt' | 'paused'>): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'INSERT INTO tenant (id, crm, name, credentials, key_id, daily_api_budget, sync_every_seconds, external_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING',
      [t.id, t.crm, t.name, t.credentials.data, t.credentials.keyId, t.dailyApiBudget, t.syncEverySeconds, t.externalId ?? null],
    );
    return rowCount === 1;
  }

  async get(id: string): Promise<TenantRow | null> {
    const { rows } = await this.db.query('SELECT * FROM tenant WHERE id = $1', [id]);
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** The tenant a CRM's event names (HubSpot: the portal id). */
  async byExternalId(crm: TenantCrm, externalId: string): Promise<TenantRow | null> {
    const { rows } = await this.db.query('SELECT * FROM tenant WHERE crm = $1 AND external_id = $2', [crm, externalId]);
    return rows[0] ? toTenant(rows[0]) : null;
  }

  async list(): Promise<TenantRow[]> {
    const { rows } = await this.db.query('SELECT * FROM tenant ORDER BY id');
    return rows.map(toTenant);
  }

  async setPaused(id: string, paused: boolean): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE tenant SET paused = $2, updated_at = now() WHERE id = $1', [id, paused]);
    return rowCount === 1;
  }

  /** Replaces the sealed credentials only if they are still the ones read (`expected`): a concurrent rotation wins once. */
  async replaceCredentials(id: string, sealed: Sealed, expected?: Sealed): Promise<boolean> {
    const { rowCount } = expected
      ? await this.db.query('UPDATE tenant SET credentials = $2, key_id = $3, updated_at = now() WHERE id = $1 AND credentials = $4', [id, sealed.data, sealed.keyId, expected.data])
      : await this.db.query('UPDATE tenant SET credentials = $2, key_id = $3, updated_at = now() WHERE id = $1', [id, sealed.data, sealed.keyId]);
    return rowCount === 1;
  }

  /** Unpaused tenants whose last run started longer ago than their interval (or never ran). */
  async due(now: Date): Promise<TenantRow[]> {
    const { rows } = await this.db.query(
      `SELECT t.* FROM tenant t LEFT JOIN LATERAL (SELECT started_at FROM tenant_run r WHERE r.tenant = t.id ORDER BY id DESC LIMIT 1) last ON TRUE
       WHERE NOT t.paused AND (last.started_at IS NULL OR last.started_at + make_interval(secs => t.sync_every_seconds) <= $1) ORDER BY t.id`,
      [now],
    );
    return rows.map(toTenant);
  }

  async startRun(tenant: string, jobId: string | null, kind: string, worker: string): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>("INSERT INTO tenant_run (tenant, job_id, kind, worker, status) VALUES ($1, $2, $3, $4, 'running') RETURNING id", [tenant, jobId, kind, worker]);
    return Number(rows[0]!.id);
  }

  /**
   * Runs of the tenant still marked running when its lock was free: their worker died (SIGKILL, a lost machine) or lost
   * its database. Closed as failed so the history tells it; called by whoever just took the tenant.
   */
  async closeLostRuns(tenant: string): Promise<number> {
    const { rowCount } = await this.db.query("UPDATE tenant_run SET status = 'failed', finished_at = now(), error_kind = 'transient', error = 'the worker running it was lost; the job was retried' WHERE tenant = $1 AND status = 'running'", [tenant]);
    return rowCount ?? 0;
  }

  async finishRun(id: number, status: TenantRunRow['status'], outcome: { errorKind?: string; error?: string; summary?: string } = {}): Promise<void> {
    await this.db.query('UPDATE tenant_run SET status = $2, finished_at = now(), error_kind = $3, error = $4, summary = $5 WHERE id = $1', [id, status, outcome.errorKind ?? null, outcome.error ?? null, outcome.summary ?? null]);
  }

  async runs(tenant: string, limit = 20): Promise<TenantRunRow[]> {
    const { rows } = await this.db.query('SELECT * FROM tenant_run WHERE tenant = $1 ORDER BY id DESC LIMIT $2', [tenant, limit]);
    return rows.map(toRun);
  }

  /** The latest run and the latest failure of every tenant, for `tenant list`. */
  async lastRuns(): Promise<Map<string, { last: TenantRunRow | null; lastFailure: TenantRunRow | null }>> {
    const { rows } = await this.db.query(
      `SELECT DISTINCT ON (tenant, failed) *, status = 'failed' AS failed FROM tenant_run ORDER BY tenant, failed, id DESC`,
    );
    const out = new Map<string, { last: TenantRunRow | null; lastFailure: TenantRunRow | null }>();
    for (const r of rows) {
      const entry = out.get(String(r.tenant)) ?? { last: null, lastFailure: null };
      const run = toRun(r);
      if (r.failed) entry.lastFailure = run;
      if (!entry.last || run.id > entry.last.id) entry.last = run;
      out.set(run.tenant, entry);
    }
    return out;
  }

  /**
   * Takes `calls` from the tenant's budget for today (UTC), atomically across workers: false when the budget is spent.
   * A tenant with no budget set always gets its calls (the CRM's own allocation still stops the run).
   */
  async takeBudget(tenant: string, limit: number | null, calls = 1): Promise<{ ok: boolean; used: number }> {
    const { rows } = await this.db.query<{ used: number }>(
      `INSERT INTO tenant_budget (tenant, day, used) VALUES ($1, (now() AT TIME ZONE 'UTC')::date, $2)
       ON CONFLICT (tenant, day) DO UPDATE SET used = tenant_budget.used + $2 WHERE $3::int IS NULL OR tenant_budget.used + $2 <= $3::int
       RETURNING used`,
      [tenant, calls, limit],
    );
    if (rows[0]) return { ok: limit === null || rows[0].used <= limit, used: rows[0].used };
    return { ok: false, used: limit ?? 0 };
  }

  async budgetUsed(tenant: string): Promise<number> {
    const { rows } = await this.db.query<{ used: number }>("SELECT used FROM tenant_budget WHERE tenant = $1 AND day = (now() AT TIME ZONE 'UTC')::date", [tenant]);
    return rows[0]?.used ?? 0;
  }
}
