// Hostile load on a companion over loopback: clients send what took the server down before the hardening — GraphQL
// nested deep, alias floods, LIKE patterns full of %, list reads with filters, search and sorts, malformed bodies —
// while a prober asks /api/health every 20 ms and times each answer. The tests assert that health keeps answering
// and memory stays bounded (tests/integration/load.test.ts); the latency figures are only measured and reported
// here: `node bench/hostile-load.ts [seconds]` prints them and writes bench/results/hostile.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface LoadReport {
  seconds: number;
  health: { asked: number; answered: number; failed: number; p50Ms: number; p99Ms: number; maxMs: number };
  hostile: { sent: number; byStatus: Record<string, number>; errors: number };
  peakRssMb: number | null;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

const call = (url: URL, method: string, path: string, body?: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, method, path, headers: { host: url.host, ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });

const gql = (query: string): string => JSON.stringify({ query });
const nest = (n: number): string => `query { uiapi { query { Gate_Milestone__c(first: 2000) { edges { node { ${'Stage_Gate__r { Gate_Milestones__r(first: 2000) { edges { node { '.repeat(n)} Id ${'} } } }'.repeat(n)} } } } } }`;

/** The hostile requests, round-robin: each was a way to take the companion down or make it crawl. */
export const HOSTILE: { method: string; path: string; body?: string }[] = [
  { method: 'POST', path: '/api/ui/graphql', body: gql(nest(12)) },
  { method: 'POST', path: '/api/ui/graphql', body: gql(nest(3)) },
  { method: 'POST', path: '/api/ui/graphql', body: gql(`query { uiapi { query { ${Array.from({ length: 30 }, (_, i) => `a${i}: Gate_Milestone__c(first: 2000) { edges { node { Id Name { value } Stage_Gate__r { Gate_Milestones__r(first: 2000) { edges { node { Id } } } } } } }`).join(' ')} } } }`) },
  { method: 'POST', path: '/api/ui/graphql', body: gql(`query { uiapi { query { Gate_Milestone__c(first: 2000, where: { Name: { like: "${'%a'.repeat(200)}%zz" } }) { edges { node { Id } } } } } }`) },
  { method: 'GET', path: '/api/opportunities?limit=500&sortBy=Amount&sortDir=desc' },
  { method: 'GET', path: '/api/opportunities?limit=500&q=a&filter=StageName:notEqual:Closed%20Won&sortBy=Name' },
  { method: 'GET', path: '/api/opportunities?limit=500&offset=1000&fields=Name,Amount,StageName,Owner.Name' },
  { method: 'GET', path: '/api/users?limit=500' },
  { method: 'POST', path: '/api/attestations', body: '{' },
  { method: 'PUT', path: '/api/playbook?dryRun=true', body: JSON.stringify({ version: 1, processes: 'x'.repeat(200_000) }) },
];

const percentile = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);

/** Peak resident memory of a process (VmHWM), MB; null where /proc is not there. */
export const peakRssMb = (pid: number): number | null => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
};

/** Runs `clients` hostile clients and one health prober against `url` for `seconds`. */
export const hostileLoad = async (url: URL, options: { seconds: number; clients: number; serverPid?: number }): Promise<LoadReport> => {
  const until = Date.now() + options.seconds * 1000;
  const byStatus: Record<string, number> = {};
  let sent = 0;
  let errors = 0;
  const client = async (offset: number): Promise<void> => {
    for (let i = offset; Date.now() < until; i++) {
      const h = HOSTILE[i % HOSTILE.length]!;
      sent++;
      try {
        const status = await call(url, h.method, h.path, h.body);
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      } catch {
        errors++;
      }
    }
  };
  const latencies: number[] = [];
  let asked = 0;
  let failed = 0;
  const prober = async (): Promise<void> => {
    while (Date.now() < until) {
      asked++;
      const started = performance.now();
      try {
        const status = await call(url, 'GET', '/api/health');
        if (status === 200) latencies.push(performance.now() - started);
        else failed++;
      } catch {
        failed++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all([prober(), ...Array.from({ length: options.clients }, (_, i) => client(i))]);
  latencies.sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 10) / 10;
  return {
    seconds: options.seconds,
    health: { asked, answered: latencies.length, failed, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)), maxMs: round(latencies.at(-1) ?? 0) },
    hostile: { sent, byStatus, errors },
    peakRssMb: options.serverPid ? peakRssMb(options.serverPid) : null,
  };
};

/** Starts bench/serve-org.ts over `dataDir` in a child process; resolves with its URL once it listens. */
export const serveOrg = (dataDir: string, readsPerMinute: number): Promise<{ url: URL; child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'serve-org.ts'), dataDir, String(readsPerMinute)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ url: new URL((JSON.parse(line) as { url: string }).url), child });
    });
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seconds = Number(process.argv[2] ?? 30);
  // Reads a minute the server allows per client: unlimited by default, so the hostile requests reach their handlers;
  // `node bench/hostile-load.ts 20 1200` measures with the companion's own default limit instead.
  const perMinute = Number(process.argv[3] ?? 1_000_000);
  const { writeExportOrg } = await import('./export-org.ts');
  const { importFolder } = await import('../server/src/crm/embedded/csv-io.ts');
  const dir = mkdtempSync(join(tmpdir(), 'stagecraft-hostile-'));
  try {
    const now = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
    await writeExportOrg(join(dir, 'export'), { deals: 10_000, activities: 50_000, reps: 100, contacts: 10_000, now });
    importFolder(join(dir, 'export'), join(dir, 'org.sqlite'), new Date(now));
    // A rate limit high enough that the hostile requests reach their handlers (the default 1,200 a minute would
    // answer most of them 429 — a protection too, but not the one measured here).
    const { url, child } = await serveOrg(dir, perMinute);
    const report = await hostileLoad(url, { seconds, clients: 8, serverPid: child.pid });
    child.kill('SIGTERM');
    mkdirSync(join(HERE, 'results'), { recursive: true });
    writeFileSync(join(HERE, 'results', `hostile${perMinute < 1_000_000 ? `-limit-${perMinute}` : ''}.json`), `${JSON.stringify({ measuredAt: new Date().toISOString(), org: { deals: 10_000, activities: 50_000 }, clients: 8, readsPerMinute: perMinute, ...report }, null, 2)}\n`);
    console.log(`health under hostile load (${seconds} s, 8 clients): ${report.health.answered}/${report.health.asked} answered, p50 ${report.health.p50Ms} ms, p99 ${report.health.p99Ms} ms, max ${report.health.maxMs} ms`);
    console.log(`hostile requests: ${report.hostile.sent} sent, by status ${JSON.stringify(report.hostile.byStatus)}, ${report.hostile.errors} failed outright; server peak RSS ${report.peakRssMb} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  agent.destroy();
}
