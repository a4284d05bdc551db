// One schema for the companion's own state, as an ordered list of migrations: each runs once per database, in order,
// recorded in schema_version. Plain SQL that SQLite and PostgreSQL both accept, so the scale-out store runs the same
// list. Never edit a migration that has shipped; add the next one.
import type { DatabaseSync } from 'node:sqlite';

export const MIGRATIONS: readonly string[] = [
  // 1 — the connector's mirror, cursors, run journal and Bulk jobs (as the first versions created them).
  `CREATE TABLE IF NOT EXISTS mirror (crm TEXT NOT NULL, object TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (crm, object, id));
   CREATE TABLE IF NOT EXISTS cursor (crm TEXT NOT NULL, object TEXT NOT NULL, modstamp TEXT NOT NULL, PRIMARY KEY (crm, object));
   CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY AUTOINCREMENT, crm TEXT NOT NULL, as_of TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, note TEXT);
   CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS run_job (run_id INTEGER NOT NULL, job_id TEXT NOT NULL, object TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run_id, job_id))`,
  // 2 — everything is kept per tenant (an org or a portal): the CRM kind was the key while there was one org.
  `ALTER TABLE mirror RENAME COLUMN crm TO tenant;
   ALTER TABLE cursor RENAME COLUMN crm TO tenant;
   ALTER TABLE run RENAME COLUMN crm TO tenant;
   CREATE TABLE IF NOT EXISTS tenant_state (tenant TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tenant, key))`,
  // 3 — the webhook inbox: each delivered event kept (once per event id) before the receiver answers 200, until the
  // worker has recomputed what it touched.
  `CREATE TABLE IF NOT EXISTS webhook_inbox (tenant TEXT NOT NULL, source TEXT NOT NULL, event_id TEXT NOT NULL, received_at TEXT NOT NULL, event TEXT NOT NULL, processed_at TEXT, PRIMARY KEY (tenant, source, event_id));
   CREATE INDEX IF NOT EXISTS webhook_inbox_pending ON webhook_inbox (tenant, source, processed_at)`,
];

/** Brings a database to the newest schema; each migration in its own transaction. */
export const migrate = (db: DatabaseSync): void => {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  for (let version = (row.v ?? 0) + 1; version <= MIGRATIONS.length; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // A file made by a version before schema_version existed already has migration 1's tables: IF NOT EXISTS.
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
};
