// PostgreSQL for the scale-out suites: a throwaway database on the machine's server (CREATE DATABASE
// stagecraft_test_<random>, dropped afterwards), or a private cluster (initdb + pg_ctl in a temp dir, on its own
// port) that a test may restart without disturbing anyone else. Without PostgreSQL the suites skip — loudly, and as
// a failure when STAGECRAFT_REQUIRE_POSTGRES=1 (CI).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const SERVER_URL = process.env.STAGECRAFT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const requirePostgres = process.env.STAGECRAFT_REQUIRE_POSTGRES === '1';

/** Whether the machine's PostgreSQL answers (a short timeout: an absent server must not slow the suite). */
export const postgresAnswers = async (url = SERVER_URL): Promise<boolean> => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
};

export const skipNotice = (suite: string): string => `PostgreSQL does not answer at ${SERVER_URL}: ${suite} skipped`;

/** A fresh database on the server; `drop()` removes it (connections closed first). */
export const createTestDatabase = async (serverUrl = SERVER_URL): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `stagecraft_test_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

const binDir = (): string | null => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort((a, b) => Number(b) - Number(a))[0];
  const dir = version ? join(root, version, 'bin') : null;
  return dir && existsSync(join(dir, 'initdb')) ? dir : null;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export interface PrivateCluster {
  url: string;
  restart(): void;
  stop(): void;
}

/**
 * A private PostgreSQL cluster in a temp dir (initdb, trust auth, loopback only). As root, the cluster runs as the
 * `postgres` system user (initdb refuses root). Null when the server binaries are absent.
 */
export const startPrivateCluster = async (): Promise<PrivateCluster | null> => {
  const bin = binDir();
  if (!bin) return null;
  const root = mkdtempSync(join(tmpdir(), 'stagecraft-pg-'));
  const data = join(root, 'data');
  const socketDir = join(root, 'sock');
  mkdirSync(socketDir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    execFileSync('chown', ['-R', 'postgres:postgres', root]);
    chmodSync(root, 0o755);
  }
  const run = (cmd: string, args: string[]): void => {
    const full = join(bin, cmd);
    const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' }) : spawnSync(full, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${socketDir} -c fsync=off -c max_connections=200 -c shared_buffers=32MB`;
  const start = (): void => run('pg_ctl', ['-D', data, '-l', join(data, 'log.txt'), '-o', options, '-w', '-t', '60', 'start']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => run('pg_ctl', ['-D', data, '-l', join(data, 'log.txt'), '-m', 'fast', '-w', '-t', '60', '-o', options, 'restart']),
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
};
