// The PostgreSQL dialect of ./migrations.ts: the same tables and keys (mirror, cursors, run journal, Bulk jobs, tenant
// state), written once for PostgreSQL (no AUTOINCREMENT, no renames of a first version that never ran here), then what
// only the scale-out has: the tenants, their job history and their shared CRM API budget. Append; never edit.
export const PG_MIGRATIONS: readonly string[] = [
  // 1 — the connector's state per tenant, as SQLite's migrations 1–2 leave it. `seq` keeps the mirror's insertion order
  // (SQLite's rowid), which the incremental read relies on to give the same snapshot order as a full read.
  `CREATE TABLE IF NOT EXISTS mirror (tenant TEXT NOT NULL, object TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, seq BIGSERIAL, PRIMARY KEY (tenant, object, id));
   CREATE TABLE IF NOT EXISTS cursor (tenant TEXT NOT NULL, object TEXT NOT NULL, modstamp TEXT NOT NULL, PRIMARY KEY (tenant, object));
   CREATE TABLE IF NOT EXISTS run (id BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL, as_of TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, note TEXT);
   CREATE INDEX IF NOT EXISTS run_tenant ON run (tenant, id);
   CREATE TABLE IF NOT EXISTS run_job (run_id BIGINT NOT NULL, job_id TEXT NOT NULL, object TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run_id, job_id));
   CREATE TABLE IF NOT EXISTS tenant_state (tenant TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tenant, key))`,
  // 2 — the tenants (an org or a portal) with their credentials encrypted at rest (AES-256-GCM; key_id names the key,
  // so a rotation knows what to re-encrypt), the jobs each ran, and each tenant's CRM API budget per UTC day — one row
  // every worker increments, so all workers together stay within it.
  `CREATE TABLE tenant (
     id TEXT PRIMARY KEY, crm TEXT NOT NULL, name TEXT NOT NULL, credentials TEXT NOT NULL, key_id TEXT NOT NULL,
     paused BOOLEAN NOT NULL DEFAULT FALSE, daily_api_budget INTEGER, sync_every_seconds INTEGER NOT NULL DEFAULT 300,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now(), updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE tenant_run (
     id BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL REFERENCES tenant(id) ON DELETE CASCADE, job_id TEXT, kind TEXT NOT NULL, worker TEXT NOT NULL,
     started_at TIMESTAMPTZ NOT NULL DEFAULT now(), finished_at TIMESTAMPTZ, status TEXT NOT NULL, error_kind TEXT, error TEXT, summary TEXT);
   CREATE INDEX tenant_run_tenant ON tenant_run (tenant, id DESC);
   CREATE TABLE tenant_budget (tenant TEXT NOT NULL, day DATE NOT NULL, used INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (tenant, day))`,
  // 3 — the webhook inbox (as SQLite's: durable before the acknowledgement, de-duplicated by event id, marked processed
  // after the write-back), and the id the CRM sends in its events (a HubSpot portal id) to route them to a tenant.
  `CREATE TABLE IF NOT EXISTS webhook_inbox (tenant TEXT NOT NULL, source TEXT NOT NULL, event_id TEXT NOT NULL, received_at TEXT NOT NULL, event TEXT NOT NULL, processed_at TEXT, seq BIGSERIAL, PRIMARY KEY (tenant, source, event_id));
   CREATE INDEX IF NOT EXISTS webhook_inbox_pending ON webhook_inbox (tenant, source, seq) WHERE processed_at IS NULL;
   ALTER TABLE tenant ADD COLUMN external_id TEXT;
   CREATE UNIQUE INDEX tenant_external ON tenant (crm, external_id) WHERE external_id IS NOT NULL`,
];
