// The scale-out store's connection: one pool per process, a transaction scope carried by AsyncLocalStorage (so a
// repository method called inside `transaction(work)` joins it without being handed a client), and the PostgreSQL
// dialect of the companion's migrations, applied once per database under an advisory lock — many workers start at once.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';

/** An arbitrary constant: the advisory lock key the migrations are applied under. */
const MIGRATION_LOCK = 7_001_917;

/** Connection failures a restarted or briefly unreachable server causes: worth retrying, the data is safe. */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-3])/;
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** A PostgreSQL error as the companion's error model sees it: a lost connection is transient, the rest internal. */
export const asStoreError = (error: unknown): unknown => {
  if (error instanceof AppError) return error;
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  const lost = (e.code && (TRANSIENT_SQLSTATE.test(e.code) || TRANSIENT_CODES.has(e.code))) || /Connection terminated|connection timeout|terminating connection|not queryable|Client has encountered a connection error/i.test(message);
  return lost ? new AppError('transient', `PostgreSQL: ${message}`, { cause: error }) : error;
};

/** A session-level advisory lock on its own connection: `lost` turns true the moment that connection drops. */
export interface HeldLock {
  readonly lost: boolean;
  release(): Promise<void>;
}

export class PgDatabase {
  readonly pool: pg.Pool;
  private readonly url: string;
  private readonly scope = new AsyncLocalStorage<pg.PoolClient>();
  private ready: Promise<void> | null = null;

  constructor(connectionString: string, options: { max?: number } = {}) {
    this.url = connectionString;
    this.pool = new pg.Pool({ connectionString, max: options.max ?? 5, connectionTimeoutMillis: 10_000 });
    // An idle client whose server went away (a restart) errors here; without a listener that error kills the process.
    // The pool drops that client and the next query connects afresh.
    this.pool.on('error', () => {});
  }

  /** The schema at its newest version; the first caller applies the migrations, the rest wait for it. */
  migrated(): Promise<void> {
    this.ready ??= this.migrate().catch((error: unknown) => {
      this.ready = null;
      throw asStoreError(error);
    });
    return this.ready;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
      for (let version = (rows[0]?.v ?? 0) + 1; version <= PG_MIGRATIONS.length; version++) {
        await client.query(PG_MIGRATIONS[version - 1]!);
        await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** One statement, inside the caller's transaction when there is one. */
  async query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.migrated();
    try {
      const client = this.scope.getStore();
      return await (client ? client.query<R>(sql, params) : this.pool.query<R>(sql, params));
    } catch (error) {
      throw asStoreError(error);
    }
  }

  /** Runs `work` as one transaction; nested calls join the outer one. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope.getStore()) return work();
    await this.migrated();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw asStoreError(error);
    }
    try {
      await client.query('BEGIN');
      const result = await this.scope.run(client, work);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw asStoreError(error);
    } finally {
      client.release();
    }
  }

  /**
   * Takes the advisory lock named `name` on a connection of its own, held until `release()` or until that connection
   * dies — a worker killed with SIGKILL, or a database restart, frees it at once. Null when another session holds it.
   */
  async tryLock(name: string): Promise<HeldLock | null> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000, application_name: 'stagecraft-lock' });
    let lost = false;
    client.on('error', () => (lost = true));
    client.on('end', () => (lost = true));
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [name]);
      if (!rows[0]?.ok) {
        await client.end().catch(() => {});
        return null;
      }
    } catch (error) {
      await client.end().catch(() => {});
      throw asStoreError(error);
    }
    return {
      get lost() {
        return lost;
      },
      release: async () => {
        lost = true;
        await client.end().catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
