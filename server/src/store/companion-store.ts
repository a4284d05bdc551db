// The companion store: one node:sqlite file (`companion.sqlite` in the data dir) holding what the companion itself
// must remember between runs — a mirror of the CRM records it reads, per-object incremental cursors, and the run journal.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inTransaction } from './sqlite.ts';

export type StoredRecord = Record<string, unknown>;

export interface RunRow {
  id: number;
  crm: string;
  asOf: string;
  status: 'running' | 'done' | 'stopped';
  startedAt: string;
  finishedAt: string | null;
  note: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mirror (crm TEXT NOT NULL, object TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (crm, object, id));
CREATE TABLE IF NOT EXISTS cursor (crm TEXT NOT NULL, object TEXT NOT NULL, modstamp TEXT NOT NULL, PRIMARY KEY (crm, object));
CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY AUTOINCREMENT, crm TEXT NOT NULL, as_of TEXT NOT NULL, status TEXT NOT NULL,
  started_at TEXT NOT NULL, finished_at TEXT, note TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_job (run_id INTEGER NOT NULL, job_id TEXT NOT NULL, object TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run_id, job_id));
`;

export const companionFile = (dataDir: string): string => join(dataDir, 'companion.sqlite');

export class CompanionStore {
  readonly db: DatabaseSync;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new DatabaseSync(file);
    // WAL + FULL: a kill -9 at any point leaves the last committed transaction intact.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;');
    this.db.exec(SCHEMA);
  }

  transaction<T>(work: () => T): T {
    return inTransaction(this.db, work, 'BEGIN IMMEDIATE');
  }

  // ---- mirror and cursors ----

  mirrored(crm: string, object: string): StoredRecord[] {
    const rows = this.db.prepare('SELECT data FROM mirror WHERE crm = ? AND object = ? ORDER BY rowid').all(crm, object) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as StoredRecord);
  }

  /** Upserts changed records and removes deleted ones; de-duplicates on (object, id). */
  applyChanges(crm: string, object: string, upserts: Iterable<StoredRecord & { Id: string }>, deletedIds: Iterable<string>): void {
    const put = this.db.prepare('INSERT INTO mirror (crm, object, id, data) VALUES (?, ?, ?, ?) ON CONFLICT(crm, object, id) DO UPDATE SET data = excluded.data');
    const del = this.db.prepare('DELETE FROM mirror WHERE crm = ? AND object = ? AND id = ?');
    for (const r of upserts) put.run(crm, object, r.Id, JSON.stringify(r));
    for (const id of deletedIds) del.run(crm, object, id);
  }

  cursors(crm: string): Map<string, string> {
    const rows = this.db.prepare('SELECT object, modstamp FROM cursor WHERE crm = ?').all(crm) as { object: string; modstamp: string }[];
    return new Map(rows.map((r) => [r.object, r.modstamp]));
  }

  setCursor(crm: string, object: string, modstamp: string): void {
    this.db.prepare('INSERT INTO cursor (crm, object, modstamp) VALUES (?, ?, ?) ON CONFLICT(crm, object) DO UPDATE SET modstamp = excluded.modstamp').run(crm, object, modstamp);
  }

  /** Forgets the mirror and cursors of a CRM: the next read is a full one. */
  resetMirror(crm: string): void {
    this.db.prepare('DELETE FROM mirror WHERE crm = ?').run(crm);
    this.db.prepare('DELETE FROM cursor WHERE crm = ?').run(crm);
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- run journal ----

  /** The latest run that started and neither finished nor was superseded: a crash or a budget stop left it. */
  unfinishedRun(crm: string): RunRow | undefined {
    const row = this.db.prepare("SELECT * FROM run WHERE crm = ? AND status IN ('running', 'stopped') ORDER BY id DESC LIMIT 1").get(crm) as Record<string, unknown> | undefined;
    return row && toRun(row);
  }

  startRun(crm: string, asOf: string, now: string): number {
    // A new run supersedes any unfinished one: only one run per CRM is ever resumed.
    this.db.prepare("UPDATE run SET status = 'done', note = 'superseded' WHERE crm = ? AND status IN ('running', 'stopped')").run(crm);
    const r = this.db.prepare("INSERT INTO run (crm, as_of, status, started_at) VALUES (?, ?, 'running', ?)").run(crm, asOf, now);
    return Number(r.lastInsertRowid);
  }

  /** A stopped or killed run taken up again with its own as-of moment. */
  resumeRun(id: number): void {
    this.db.prepare("UPDATE run SET status = 'running' WHERE id = ?").run(id);
  }

  finishRun(id: number, status: 'done' | 'stopped', now: string, note: string | null = null): void {
    this.db.prepare('UPDATE run SET status = ?, finished_at = ?, note = ? WHERE id = ?').run(status, now, note, id);
  }

  run(id: number): RunRow | undefined {
    const row = this.db.prepare('SELECT * FROM run WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row && toRun(row);
  }

  /** Bulk jobs are journalled before their data is uploaded, so a resumed run can settle them before it reads. */
  recordJob(runId: number, jobId: string, object: string, state: string): void {
    this.db.prepare('INSERT INTO run_job (run_id, job_id, object, state) VALUES (?, ?, ?, ?) ON CONFLICT(run_id, job_id) DO UPDATE SET state = excluded.state').run(runId, jobId, object, state);
  }

  openJobs(): { runId: number; jobId: string; object: string; state: string }[] {
    const rows = this.db.prepare("SELECT run_id, job_id, object, state FROM run_job WHERE state NOT IN ('JobComplete', 'Failed', 'Aborted')").all() as Record<string, unknown>[];
    return rows.map((r) => ({ runId: Number(r.run_id), jobId: String(r.job_id), object: String(r.object), state: String(r.state) }));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

const toRun = (row: Record<string, unknown>): RunRow => ({
  id: Number(row.id),
  crm: String(row.crm),
  asOf: String(row.as_of),
  status: row.status as RunRow['status'],
  startedAt: String(row.started_at),
  finishedAt: row.finished_at === null ? null : String(row.finished_at),
  note: row.note === null ? null : String(row.note),
});
