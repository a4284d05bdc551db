// `node bench/scale.ts [tenants]` (and `npm run bench`, after the sizes): tenants synced per minute by the scale-out,
// with 1 and with 3 `stagecraft worker` processes on the same emulated load — N tenants on Salesforce emulators, each
// a small slice of the demo org (2–4 accounts' deals with their whole history), a private PostgreSQL cluster in a
// temp dir. Each round starts from fresh orgs and a fresh database, enqueues a full sync of every tenant once the
// workers are up, and times until every tenant's run is done. Not a test: nothing asserts; figures go to
// bench/results/scale.json and a table on stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../server/src/config.ts';
import { composeScaleOut } from '../server/src/composition.ts';
import { addTenant, requestSync } from '../server/src/use-cases/tenants.ts';
import type { SalesforceEmulator } from '../tests/emulators/salesforce/index.ts';
import { AS_OF, demoSlice, emulatorWith } from '../tests/integration/salesforce.support.ts';
import { startPrivateCluster } from '../tests/support/postgres.ts';
import { startWorkerProcess, tenantsWithRun, until } from '../tests/support/scale.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const TENANTS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 12);
const SHAPES = [2, 3, 4];
const KEY = 'd4'.repeat(32);

const cluster = await startPrivateCluster();
if (!cluster) {
  console.log('scale-out bench: no PostgreSQL server binaries (Debian package postgresql) — skipped');
  process.exit(0);
}

const orgs = new Map(SHAPES.map((n) => [n, demoSlice(n)]));
const rounds: { workers: number; tenants: number; seconds: number; tenantsPerMinute: number; apiCalls: number }[] = [];
try {
  for (const workers of [1, 3]) {
    const db = `bench_${workers}`;
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const url = cluster.url.replace(/\/postgres$/, `/${db}`);
    const env = { DATABASE_URL: url, STAGECRAFT_SECRET_KEY: KEY };
    const scale = composeScaleOut(loadConfig(env));
    const emus: SalesforceEmulator[] = [];
    for (let i = 0; i < TENANTS; i++) {
      const emu = await emulatorWith(orgs.get(SHAPES[i % SHAPES.length]!)!);
      emus.push(emu);
      await addTenant(scale, { id: `org-${i + 1}`, crm: 'salesforce', credentials: { instanceUrl: emu.url, accessToken: emu.accessToken }, syncEverySeconds: 86_400 });
    }
    const procs = Array.from({ length: workers }, () => startWorkerProcess(env));
    await until(() => procs.every((p) => p.output().includes('worker started')));
    const started = Date.now();
    await requestSync(scale, 'all', { asOf: AS_OF });
    await until(async () => (await tenantsWithRun(url, 'done')).size === TENANTS, 200);
    const seconds = (Date.now() - started) / 1000;
    const apiCalls = emus.reduce((n, e) => n + e.callCounts().total, 0);
    rounds.push({ workers, tenants: TENANTS, seconds: Math.round(seconds * 10) / 10, tenantsPerMinute: Math.round((TENANTS / seconds) * 60 * 10) / 10, apiCalls });
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await scale.close();
    for (const e of emus) await e.stop();
    console.log(`scale-out: ${workers} worker${workers === 1 ? '' : 's'}, ${TENANTS} tenants synced in ${seconds.toFixed(1)} s → ${rounds.at(-1)!.tenantsPerMinute} tenants/min (${apiCalls} API calls)`);
  }
} finally {
  cluster.stop();
}
mkdirSync(join(HERE, 'results'), { recursive: true });
writeFileSync(join(HERE, 'results', 'scale.json'), `${JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, loadAverage: os.loadavg(), rounds }, null, 2)}\n`);
