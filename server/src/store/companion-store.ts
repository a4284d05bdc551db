// The connector state repository: what a CRM connector must remember between runs, per tenant (an org or a portal) —
// a mirror of the records it reads, per-object incremental cursors, the run journal and its Bulk jobs. An async
// interface, so the scale-out store (PostgreSQL) can take SQLite's place; the SQLite implementation lives in the
// companion's file (`companion.sqlite`), with the schema of ./migrations.ts.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrate } from './migrations.ts';

export type StoredRecord = Record<string, unknown>;

export interface RunRow {
  id: number;
  tenant: string;
  asOf: string;
  status: 'running' | 'done' | 'stopped';
  startedAt: string;
  finishedAt: string | null;
  note: string | null;
}

export interface ConnectorStateRepository {
  /** Runs `work` as one transaction: everything it writes lands together or not at all. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  mirrored(tenant: string, object: string): Promise<StoredRecord[]>;
  applyChanges(tenant: string, object: string, upserts: Iterable<StoredRecord & { Id: string }>, deletedIds: Iterable<string>): Promise<void>;
  cursors(tenant: string): Promise<Map<string, string>>;
  setCursor(tenant: string, object: string, modstamp: string): Promise<void>;
  resetMirror(tenant: string): Promise<void>;
  getValue(tenant: string, key: string): Promise<string | undefined>;
  setValue(tenant: string, key: string, value: string): Promise<void>;
  unfinishedRun(tenant: string): Promise<RunRow | undefined>;
  startRun(tenant: string, asOf: string, now: string): Promise<number>;
  resumeRun(id: number): Promise<void>;
  finishRun(id: number, status: 'done' | 'stopped', now: string, note?: string | null): Promise<void>;
  run(id: number): Promise<RunRow | undefined>;
  recordJob(runId: number, jobId: string, object: string, state: string): Promise<void>;
  openJobs(): Promise<{ runId: number; jobId: string; object: string; state: string }[]>;
  close(): Promise<void>;
}

export const companionFile = (dataDir: string): string => join(dataDir, 'companion.sqlite');

/** Opens the companion's SQLite file at the newest schema. WAL + FULL: a kill -9 leaves the last commit intact. */
export const openCompanionDb = (file: string): DatabaseSync => {
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  migrate(db);
  return db;
};

export class CompanionStore implements ConnectorStateRepository {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = openCompanionDb(file);
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  // ---- mirror and cursors ----

  async mirrored(tenant: string, object: string): Promise<StoredRecord[]> {
    const rows = this.db.prepare('SELECT data FROM mirror WHERE tenant = ? AND object = ? ORDER BY rowid').all(tenant, object) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as StoredRecord);
  }

  /** Upserts changed records and removes deleted ones; de-duplicates on (object, id). */
  async applyChanges(tenant: string, object: string, upserts: Iterable<StoredRecord & { Id: string }>, deletedIds: Iterable<string>): Promise<void> {
    const put = this.db.prepare('INSERT INTO mirror (tenant, object, id, data) VALUES (?, ?, ?, ?) ON CONFLICT(tenant, object, id) DO UPDATE SET data = excluded.data');
    const del = this.db.prepare('DELETE FROM mirror WHERE tenant = ? AND object = ? AND id = ?');
    for (const r of upserts) put.run(tenant, object, r.Id, JSON.stringify(r));
    for (const id of deletedIds) del.run(tenant, object, id);
  }

  async cursors(tenant: string): Promise<Map<string, string>> {
    const rows = this.db.prepare('SELECT object, modstamp FROM cursor WHERE tenant = ?').all(tenant) as { object: string; modstamp: string }[];
    return new Map(rows.map((r) => [r.object, r.modstamp]));
  }

  async setCursor(tenant: string, object: string, modstamp: string): Promise<void> {
    this.db.prepare('INSERT INTO cursor (tenant, object, modstamp) VALUES (?, ?, ?) ON CONFLICT(tenant, object) DO UPDATE SET modstamp = excluded.modstamp').run(tenant, object, modstamp);
  }

  /** Forgets the mirror and cursors of a tenant: the next read is a full one. */
  async resetMirror(tenant: string): Promise<void> {
    this.db.prepare('DELETE FROM mirror WHERE tenant = ?').run(tenant);
    this.db.prepare('DELETE FROM cursor WHERE tenant = ?').run(tenant);
  }

  async getValue(tenant: string, key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM tenant_state WHERE tenant = ? AND key = ?').get(tenant, key) as { value: string } | undefined;
    return row?.value;
  }

  async setValue(tenant: string, key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO tenant_state (tenant, key, value) VALUES (?, ?, ?) ON CONFLICT(tenant, key) DO UPDATE SET value = excluded.value').run(tenant, key, value);
  }

  // ---- run journal ----

  /** The latest run that started and neither finished nor was superseded: a crash or a budget stop left it. */
  async unfinishedRun(tenant: string): Promise<RunRow | undefined> {
    const row = this.db.prepare("SELECT * FROM run WHERE tenant = ? AND status IN ('running', 'stopped') ORDER BY id DESC LIMIT 1").get(tenant) as Record<string, unknown> | undefined;
    return row && toRun(row);
  }

  async startRun(tenant: string, asOf: string, now: string): Promise<number> {
    // A new run supersedes any unfinished one: only one run per tenant is ever resumed.
    this.db.prepare("UPDATE run SET status = 'done', note = 'superseded' WHERE tenant = ? AND status IN ('running', 'stopped')").run(tenant);
    const r = this.db.prepare("INSERT INTO run (tenant, as_of, status, started_at) VALUES (?, ?, 'running', ?)").run(tenant, asOf, now);
    return Number(r.lastInsertRowid);
  }

  /** A stopped or killed run taken up again with its own as-of moment. */
  async resumeRun(id: number): Promise<void> {
    this.db.prepare("UPDATE run SET status = 'running' WHERE id = ?").run(id);
  }

  async finishRun(id: number, status: 'done' | 'stopped', now: string, note: string | null = null): Promise<void> {
    this.db.prepare('UPDATE run SET status = ?, finished_at = ?, note = ? WHERE id = ?').run(status, now, note, id);
  }

  async run(id: number): Promise<RunRow | undefined> {
    const row = this.db.prepare('SELECT * FROM run WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row && toRun(row);
  }

  /** Bulk jobs are journalled before their data is uploaded, so a resumed run can settle them before it reads. */
  async recordJob(runId: number, jobId: string, object: string, state: string): Promise<void> {
    this.db.prepare('INSERT INTO run_job (run_id, job_id, object, state) VALUES (?, ?, ?, ?) ON CONFLICT(run_id, job_id) DO UPDATE SET state = excluded.state').run(runId, jobId, object, state);
  }

  async openJobs(): Promise<{ runId: number; jobId: string; object: string; state: string }[]> {
    const rows = this.db.prepare("SELECT run_id, job_id, object, state FROM run_job WHERE state NOT IN ('JobComplete', 'Failed', 'Aborted')").all() as Record<string, unknown>[];
    return rows.map((r) => ({ runId: Number(r.run_id), jobId: String(r.job_id), object: String(r.object), state: String(r.state) }));
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}

/** A run journal row as either store returns it (SQLite and PostgreSQL name the columns alike). */
export const toRun = (row: Record<string, unknown>): RunRow => ({
  id: Number(row.id),
  tenant: String(row.tenant),
  asOf: String(row.as_of),
  status: row.status as RunRow['status'],
  startedAt: String(row.started_at),
  finishedAt: row.finished_at === null ? null : String(row.finished_at),
  note: row.note === null ? null : String(row.note),
});
