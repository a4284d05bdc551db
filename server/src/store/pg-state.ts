// The PostgreSQL implementations of the companion's state repositories — the same interfaces as the SQLite ones, so the
// connectors and the sync use cases run unchanged on any number of workers: the connector's mirror, cursors, run
// journal and Bulk jobs (ConnectorStateRepository), and each tenant's last sync, org facts and change cursor
// (TenantStateRepository). Tables: ./pg-migrations.ts. The pool belongs to whoever opened the PgDatabase: these
// repositories never close it.
import { toRun, type ConnectorStateRepository, type RunRow, type StoredRecord } from './companion-store.ts';
import type { LastSync, OrgFacts, TenantStateRepository } from './tenant-state.ts';
import type { PgDatabase } from './pg.ts';
import type { InboxEvent, InboxRepository } from './webhook-inbox.ts';

/** The connector's state of one tenant: `openJobs` (the only tenant-less method of the interface) sees only its runs. */
export class PgConnectorState implements ConnectorStateRepository {
  private readonly db: PgDatabase;
  private readonly scope: string;

  constructor(db: PgDatabase, scope: string) {
    this.db = db;
    this.scope = scope;
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async mirrored(tenant: string, object: string): Promise<StoredRecord[]> {
    const { rows } = await this.db.query<{ data: string }>('SELECT data FROM mirror WHERE tenant = $1 AND object = $2 ORDER BY seq', [tenant, object]);
    return rows.map((r) => JSON.parse(r.data) as StoredRecord);
  }

  async applyChanges(tenant: string, object: string, upserts: Iterable<StoredRecord & { Id: string }>, deletedIds: Iterable<string>): Promise<void> {
    // One statement per 500 records: unnest keeps it one round trip, not one per record.
    const put = [...upserts];
    for (let i = 0; i < put.length; i += 500) {
      const chunk = put.slice(i, i + 500);
      await this.db.query(
        `INSERT INTO mirror (tenant, object, id, data) SELECT $1, $2, u.id, u.data FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS u(id, data, n) ORDER BY u.n
         ON CONFLICT (tenant, object, id) DO UPDATE SET data = excluded.data`,
        [tenant, object, chunk.map((r) => r.Id), chunk.map((r) => JSON.stringify(r))],
      );
    }
    const gone = [...deletedIds];
    if (gone.length) await this.db.query('DELETE FROM mirror WHERE tenant = $1 AND object = $2 AND id = ANY($3::text[])', [tenant, object, gone]);
  }

  async cursors(tenant: string): Promise<Map<string, string>> {
    const { rows } = await this.db.query<{ object: string; modstamp: string }>('SELECT object, modstamp FROM cursor WHERE tenant = $1', [tenant]);
    return new Map(rows.map((r) => [r.object, r.modstamp]));
  }

  async setCursor(tenant: string, object: string, modstamp: string): Promise<void> {
    await this.db.query('INSERT INTO cursor (tenant, object, modstamp) VALUES ($1, $2, $3) ON CONFLICT (tenant, object) DO UPDATE SET modstamp = excluded.modstamp', [tenant, object, modstamp]);
  }

  async resetMirror(tenant: string): Promise<void> {
    await this.db.query('DELETE FROM mirror WHERE tenant = $1', [tenant]);
    await this.db.query('DELETE FROM cursor WHERE tenant = $1', [tenant]);
  }

  async getValue(tenant: string, key: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM tenant_state WHERE tenant = $1 AND key = $2', [tenant, key]);
    return rows[0]?.value;
  }

  async setValue(tenant: string, key: string, value: string): Promise<void> {
    await this.db.query('INSERT INTO tenant_state (tenant, key, value) VALUES ($1, $2, $3) ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value', [tenant, key, value]);
  }

  async unfinishedRun(tenant: string): Promise<RunRow | undefined> {
    const { rows } = await this.db.query("SELECT * FROM run WHERE tenant = $1 AND status IN ('running', 'stopped') ORDER BY id DESC LIMIT 1", [tenant]);
    return rows[0] && toRun(rows[0]);
  }

  async startRun(tenant: string, asOf: string, now: string): Promise<number> {
    return this.db.transaction(async () => {
      await this.db.query("UPDATE run SET status = 'done', note = 'superseded' WHERE tenant = $1 AND status IN ('running', 'stopped')", [tenant]);
      const { rows } = await this.db.query<{ id: string }>("INSERT INTO run (tenant, as_of, status, started_at) VALUES ($1, $2, 'running', $3) RETURNING id", [tenant, asOf, now]);
      return Number(rows[0]!.id);
    });
  }

  async resumeRun(id: number): Promise<void> {
    await this.db.query("UPDATE run SET status = 'running' WHERE id = $1", [id]);
  }

  async finishRun(id: number, status: 'done' | 'stopped', now: string, note: string | null = null): Promise<void> {
    await this.db.query('UPDATE run SET status = $1, finished_at = $2, note = $3 WHERE id = $4', [status, now, note, id]);
  }

  async run(id: number): Promise<RunRow | undefined> {
    const { rows } = await this.db.query('SELECT * FROM run WHERE id = $1', [id]);
    return rows[0] && toRun(rows[0]);
  }

  async recordJob(runId: number, jobId: string, object: string, state: string): Promise<void> {
    await this.db.query('INSERT INTO run_job (run_id, job_id, object, state) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, job_id) DO UPDATE SET state = excluded.state', [runId, jobId, object, state]);
  }

  async openJobs(): Promise<{ runId: number; jobId: string; object: string; state: string }[]> {
    const { rows } = await this.db.query(
      "SELECT j.run_id, j.job_id, j.object, j.state FROM run_job j JOIN run r ON r.id = j.run_id WHERE r.tenant = $1 AND j.state NOT IN ('JobComplete', 'Failed', 'Aborted')",
      [this.scope],
    );
    return rows.map((r) => ({ runId: Number(r.run_id), jobId: String(r.job_id), object: String(r.object), state: String(r.state) }));
  }

  async close(): Promise<void> {}
}


/** Each tenant's last sync, org facts and change cursor: JSON values in tenant_state, as in SQLite. */
export class PgTenantState implements TenantStateRepository {
  private readonly db: PgDatabase;

  constructor(db: PgDatabase) {
    this.db = db;
  }

  private async get<T>(tenant: string, key: string): Promise<T | null> {
    const { rows } = await this.db.query<{ value: string }>('SELECT value FROM tenant_state WHERE tenant = $1 AND key = $2', [tenant, key]);
    return rows[0] ? (JSON.parse(rows[0].value) as T) : null;
  }

  private async set(tenant: string, key: string, value: unknown): Promise<void> {
    await this.db.query('INSERT INTO tenant_state (tenant, key, value) VALUES ($1, $2, $3) ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value', [tenant, key, JSON.stringify(value)]);
  }

  lastSync(tenant: string): Promise<LastSync | null> {
    return this.get<LastSync>(tenant, 'lastSync');
  }
  setLastSync(tenant: string, value: LastSync): Promise<void> {
    return this.set(tenant, 'lastSync', value);
  }
  facts(tenant: string): Promise<OrgFacts | null> {
    return this.get<OrgFacts>(tenant, 'facts');
  }
  setFacts(tenant: string, value: OrgFacts): Promise<void> {
    return this.set(tenant, 'facts', value);
  }
  changeCursor(tenant: string): Promise<string | null> {
    return this.get<string>(tenant, 'changeCursor');
  }
  setChangeCursor(tenant: string, cursor: string): Promise<void> {
    return this.set(tenant, 'changeCursor', cursor);
  }
  /** A tenant's playbook as an admin set it (validated before it is stored); null: the default playbook. */
  playbook(tenant: string): Promise<unknown> {
    return this.get<unknown>(tenant, 'playbook');
  }
  setPlaybook(tenant: string, playbook: unknown): Promise<void> {
    return this.set(tenant, 'playbook', playbook);
  }
  async close(): Promise<void> {}
}

/** The webhook inbox of every tenant, in PostgreSQL: the receiver adds, any worker drains (under the tenant's lock). */
export class PgInbox implements InboxRepository {
  private readonly db: PgDatabase;

  constructor(db: PgDatabase) {
    this.db = db;
  }

  async add(tenant: string, source: string, events: readonly InboxEvent[], receivedAt: string): Promise<number> {
    if (!events.length) return 0;
    const { rowCount } = await this.db.query(
      `INSERT INTO webhook_inbox (tenant, source, event_id, received_at, event) SELECT $1, $2, e.id, $3, e.event FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS e(id, event, n) ORDER BY e.n
       ON CONFLICT (tenant, source, event_id) DO NOTHING`,
      [tenant, source, receivedAt, events.map((e) => e.eventId), events.map((e) => JSON.stringify(e.event))],
    );
    return rowCount ?? 0;
  }

  async pending(tenant: string, source: string, limit = 1000): Promise<InboxEvent[]> {
    const { rows } = await this.db.query<{ event_id: string; event: string }>('SELECT event_id, event FROM webhook_inbox WHERE tenant = $1 AND source = $2 AND processed_at IS NULL ORDER BY seq LIMIT $3', [tenant, source, limit]);
    return rows.map((r) => ({ eventId: r.event_id, event: JSON.parse(r.event) as unknown }));
  }

  async markProcessed(tenant: string, source: string, eventIds: readonly string[], at: string): Promise<void> {
    await this.db.query('UPDATE webhook_inbox SET processed_at = $4 WHERE tenant = $1 AND source = $2 AND event_id = ANY($3::text[])', [tenant, source, [...eventIds], at]);
  }

  async counts(tenant: string, source: string): Promise<{ received: number; processed: number }> {
    const { rows } = await this.db.query<{ received: string; processed: string }>('SELECT COUNT(*) AS received, COUNT(processed_at) AS processed FROM webhook_inbox WHERE tenant = $1 AND source = $2', [tenant, source]);
    return { received: Number(rows[0]!.received), processed: Number(rows[0]!.processed) };
  }

  /** Tenants with events waiting (the scheduler's tick drains what a lost job left). */
  async tenantsWithPending(source: string): Promise<string[]> {
    const { rows } = await this.db.query<{ tenant: string }>('SELECT DISTINCT tenant FROM webhook_inbox WHERE source = $1 AND processed_at IS NULL', [source]);
    return rows.map((r) => r.tenant);
  }
}
