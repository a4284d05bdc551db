// `npm run bench [-- S M L]`: the path a user runs, timed. For each size it writes a Salesforce-export folder
// (bench/export-org.ts: sizes and rates only, nothing tuned to the rules), then runs the `stagecraft` command as a
// child process for each step — import, the first full sync (with its six-week scorecard backfill), a second full
// sync with nothing changed, an incremental sync after 100 deals changed, and export — and records each step's wall
// time and peak RSS (the child's VmHWM, read from /proc while it runs). Not a test: nothing asserts; figures go to
// bench/results/<size>.json and a table on stdout. Default sizes: S and M; L (1 M deals, 20 M activities) on request.
// `hubspot` (or `hubspot:<accounts>`) runs the HubSpot step (bench/hubspot.ts): full sync time and webhook → written
// property latency through the emulator; it runs after the default sizes, or alone when named.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { writeExportOrg, type ExportOrgOptions } from './export-org.ts';
import { runHubSpotBench } from './hubspot.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const RESULTS = join(HERE, 'results');
// The export's "now" is today (00:00 UTC): syncs run as of the real now, so the org's recent activity is recent.
const NOW = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;

const SIZES: Record<string, Omit<ExportOrgOptions, 'now'>> = {
  S: { deals: 10_000, activities: 200_000, reps: 100, contacts: 20_000 },
  M: { deals: 100_000, activities: 2_000_000, reps: 1_000, contacts: 200_000 },
  L: { deals: 1_000_000, activities: 20_000_000, reps: 2_000, contacts: 1_000_000 },
};

interface Step {
  step: string;
  ms: number;
  /** CPU time of the process (user + system, all its threads): less sensitive than wall time to a busy machine. */
  cpuMs: number;
  peakRssMb: number;
  exitCode: number | null;
  /** The command's own summary line(s), for the record (fields changed, records read). */
  output: string;
}

/** Runs one `stagecraft` command, sampling the child's peak RSS (VmHWM) every 50 ms until it exits. */
const timed = (step: string, args: string[], env: NodeJS.ProcessEnv): Promise<Step> =>
  new Promise((resolve) => {
    const started = performance.now();
    // The same heap limit as `npm run stagecraft` and the installed command (bin/stagecraft.js's first line).
    const child = spawn(process.execPath, ['--max-old-space-size=6144', join(ROOT, 'bin', 'stagecraft.js'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let peakKb = 0;
    let cpuTicks = 0;
    const sample = (): void => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
        // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (after the command name).
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuTicks = Math.max(cpuTicks, Number(fields[11]) + Number(fields[12]));
      } catch {
        // Gone already: the last sample stands.
      }
    };
    const timer = setInterval(sample, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Math.round(performance.now() - started);
      const lines = output.split('\n').filter((l) => /records read|fields changed|written|Imported|Exported|took|Changed since|problem|stagecraft:/.test(l));
      resolve({ step, ms, cpuMs: cpuTicks * 10, peakRssMb: Math.round(peakKb / 1024), exitCode: code, output: lines.join('\n') });
    });
  });

/** What a CRM user would do to 100 open deals between two syncs: log a call on each, and edit a next step. */
const changeDeals = (orgFile: string, count: number): void => {
  const db = new DatabaseSync(orgFile);
  const deals = db.prepare('SELECT "Id", "OwnerId" FROM "Opportunity" WHERE "IsClosed" = 0 ORDER BY "Id" LIMIT ?').all(count) as { Id: string; OwnerId: string }[];
  const today = new Date().toISOString();
  const insert = db.prepare('INSERT INTO "Task" ("Id", "Subject", "WhatId", "OwnerId", "ActivityDate", "Status", "IsClosed", "TaskSubtype", "CallDurationInSeconds", "CreatedDate") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)');
  const update = db.prepare('UPDATE "Opportunity" SET "NextStep" = ? WHERE "Id" = ?');
  db.exec('BEGIN');
  deals.forEach((d, i) => {
    insert.run(`00Tbench${String(Date.now() % 1e6).padStart(6, '0')}${String(i).padStart(4, '0')}`.slice(0, 18), 'Call', d.Id, d.OwnerId, today.slice(0, 10), 'Completed', 'Call', 300, today);
    update.run(`Follow-up call booked (${i})`, d.Id);
  });
  db.exec('COMMIT');
  db.close();
};

const runSize = async (size: string): Promise<Record<string, unknown>> => {
  const spec = SIZES[size]!;
  const orgDir = join(RESULTS, 'orgs', size);
  const marker = join(orgDir, 'spec.json');
  const wanted = JSON.stringify({ ...spec, now: NOW });
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== wanted) {
    rmSync(orgDir, { recursive: true, force: true });
    const started = performance.now();
    const counts = await writeExportOrg(orgDir, { ...spec, now: NOW });
    writeFileSync(marker, wanted);
    console.log(`${size}: wrote ${Object.entries(counts).map(([o, n]) => `${n.toLocaleString('en-US')} ${o}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
  }
  const dataDir = join(os.tmpdir(), `stagecraft-bench-${size}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const env = { STAGECRAFT_DATA_DIR: dataDir };
  const steps: Step[] = [];
  const step = async (name: string, args: string[]): Promise<void> => {
    const result = await timed(name, args, env);
    steps.push(result);
    console.log(`${size} ${name.padEnd(30)} ${String(result.ms).padStart(8)} ms wall ${String(result.cpuMs).padStart(8)} ms CPU  peak ${String(result.peakRssMb).padStart(6)} MB  exit ${result.exitCode}`);
  };
  const loadAverage = os.loadavg()[0];
  console.log(`${size}: load average ${loadAverage.toFixed(1)} on ${os.cpus().length} cores when the steps began`);
  await step('import', ['import', orgDir]);
  await step('first full sync (+ backfill)', ['sync']);
  await step('second full sync', ['sync']);
  changeDeals(join(dataDir, 'org.sqlite'), 100);
  await step('incremental, 100 deals changed', ['sync', '--incremental']);
  await step('export', ['export', join(dataDir, 'export')]);
  rmSync(dataDir, { recursive: true, force: true });
  return { size, spec, loadAverage, cpus: os.cpus().length, node: process.version, steps };
};

// `npm run bench -- cdc [accounts]`: Change Data Capture latency against the Salesforce emulator (bench/cdc.ts).
if (process.argv[2]?.toLowerCase() === 'cdc') {
  const { runCdcBench } = await import('./cdc.ts');
  await runCdcBench(Number(process.argv[3]) || undefined);
  process.exit(0);
}
const args = process.argv.slice(2);
const sizes = args.map((s) => s.toUpperCase()).filter((s) => s in SIZES);
const hubspot = args.find((a) => /^hubspot(:\d+)?$/i.test(a));
mkdirSync(RESULTS, { recursive: true });
for (const size of sizes.length || hubspot ? sizes : ['S', 'M']) {
  const result = await runSize(size);
  writeFileSync(join(RESULTS, `${size}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
if (hubspot || !sizes.length) {
  const accounts = Number(hubspot?.split(':')[1] ?? 5);
  const result = await runHubSpotBench(accounts);
  console.log(`hubspot: ${result.deals} deals (${accounts} accounts) — full sync ${result.fullSyncMs} ms, ${result.fullSyncApiCalls} API calls; webhook → written p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms over ${result.events} events; peak burst ${result.peakBurst}/${result.burst}`);
  writeFileSync(join(RESULTS, 'hubspot.json'), `${JSON.stringify({ ...result, node: process.version, loadAverage: os.loadavg()[0] }, null, 2)}\n`);
}

// The scale-out: tenants synced per minute with 1 and 3 workers (bench/scale.ts), and the webhook-to-written latency
// under 200 events/s across portals (bench/webhooks.ts); `-- noscale` leaves both out.
if (!process.argv.slice(2).some((a) => a.toLowerCase() === 'noscale')) {
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [join(HERE, 'scale.ts')], { stdio: 'inherit', cwd: ROOT });
  spawnSync(process.execPath, [join(HERE, 'webhooks.ts')], { stdio: 'inherit', cwd: ROOT });
}
