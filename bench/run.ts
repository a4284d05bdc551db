// `npm run bench [S|M|L|all]`: generates a seeded org per size and times the full indicator computation and one
// deal's incremental recompute. Each size runs in its own child process with a heap limit, watched from here, so a
// size that does not fit is stopped and reported instead of taking the machine down. Not a test: nothing asserts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import type { Activity, Contact, Opportunity, OrgSnapshot } from '../shared/src/model.ts';
import { computeDeal, computeOrgIndicators, engineContext, isTracked, type DealIndicators } from '../shared/src/engine/opportunity.ts';
import { dealRecords } from '../shared/src/engine/rules.ts';
import { scoreReps } from '../shared/src/engine/reps.ts';
import { milestoneBacktest, rampReport, stageConversion } from '../shared/src/engine/analytics.ts';
import { DEFAULT_PLAYBOOK } from '../shared/src/playbook/default-playbook.ts';
import { buildOrgIndex, type OrgIndex } from '../shared/src/engine/org-index.ts';
import { generateOrg, type GenerateOrgOptions } from '../shared/src/synthetic/org-generator.ts';
import { Rng } from '../shared/src/synthetic/random.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const MB = 1024 * 1024;

interface SizeSpec {
  deals: number;
  activities: number;
  reps: number;
  /** --max-old-space-size for the child, MB. */
  heapMb: number;
}
const SIZES: Record<string, SizeSpec> = {
  S: { deals: 10_000, activities: 200_000, reps: 100, heapMb: 2048 },
  M: { deals: 100_000, activities: 2_000_000, reps: 1_000, heapMb: 4096 },
  L: { deals: 1_000_000, activities: 10_000_000, reps: 2_000, heapMb: 12_288 },
};
const TARGETS = { M: { fullMs: 2000, rssMb: 1536 }, incrementalMedianMs: 5 };
const SEED = 'stagecraft-bench-v1';
const AS_OF = '2026-03-02T12:00:00.000Z';
const SAMPLES = 1000;
/** Stop a child when the machine's available memory falls under this, whatever the child's own limit. */
const MACHINE_FLOOR_MB = 400;

// ── Child: one size, in this process. ────────────────────────────────────────────────────────────────────────────

interface Percentiles { medianMs: number; p95Ms: number; maxMs: number }

interface SizeResult {
  size: string;
  ok: true;
  counts: Record<string, number>;
  generate: { ms: number; peakRssMb: number; retainedRssMb: number; retainedHeapMb: number };
  full: { coldMs: number; coldGc: { minor: number; major: number }; warmMs: number; warmRuns: number[]; indexMs: number; computeMs: number; trackedDeals: number; dealsPerSec: number; activitiesPerSec: number; recordsPerSec: number; peakRssMb: number; indexHeapMb: number };
  incremental: { samples: number; fromIndex: Percentiles; oneDealChanged: Percentiles; mismatches: number };
  /** Rep scorecards (peer groups, diagnosis) and org analytics over the same snapshot and index. */
  reps: { count: number; scoringMs: number; analyticsMs: number };
  /** Peak RSS of the whole child (generation included), from process.resourceUsage().maxRSS. */
  processPeakRssMb: number;
  peakResettable: boolean;
  /** 1-minute load average when the size started: other work on the machine slows every figure. */
  loadAverage: number;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const rssMb = (): number => process.memoryUsage().rss / MB;
const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;
let processPeakMb = 0;

/** Restarts the kernel's peak-RSS counter (Linux: clear_refs 5) so each phase's peak is its own. */
const resetPeak = (): boolean => {
  processPeakMb = Math.max(processPeakMb, maxRssMb());
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};

const percentiles = (samples: number[]): Percentiles => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const round = (ms: number): number => Math.round(ms * 1000) / 1000;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1)!) };
};

// Progress goes to stdout; the parent forwards every line but the result.
const log = (message: string): void => {
  process.stdout.write(`  ${message}\n`);
};

/** The records a store would read for one deal: the deal, its history, roles, activities and their contacts. */
const dealSlice = (opportunity: Opportunity, index: OrgIndex, extra: Activity | null): OrgSnapshot => {
  const activities = (index.activitiesByOpportunity.get(opportunity.id) ?? []).map((a) => a.activity);
  if (extra) activities.push(extra);
  const contactRoles = index.rolesByOpportunity.get(opportunity.id) ?? [];
  const contactIds = new Set<string>();
  for (const a of activities) for (const id of a.contactIds) contactIds.add(id);
  for (const role of contactRoles) contactIds.add(role.contactId);
  const contacts = [...contactIds].map((id) => index.contactsById.get(id)).filter((c): c is Contact => Boolean(c));
  const owner = opportunity.ownerId ? index.usersById.get(opportunity.ownerId) : undefined;
  return {
    users: owner ? [owner] : [],
    accounts: [],
    contacts,
    opportunities: [opportunity],
    stageHistory: (index.historyByOpportunity.get(opportunity.id) ?? []).map((h) => h.entry),
    contactRoles,
    activities,
    attestations: index.attestationsByOpportunity.get(opportunity.id) ?? [],
  };
};

/** Replaces one deal's slice of the org index with one built from its own records (what a change event triggers). */
const mergeSlice = (index: OrgIndex, dealId: string, slice: OrgIndex): void => {
  index.activitiesByOpportunity.set(dealId, slice.activitiesByOpportunity.get(dealId) ?? []);
  index.historyByOpportunity.set(dealId, slice.historyByOpportunity.get(dealId) ?? []);
  index.rolesByOpportunity.set(dealId, slice.rolesByOpportunity.get(dealId) ?? []);
  index.attestationsByOpportunity.set(dealId, slice.attestationsByOpportunity.get(dealId) ?? []);
  for (const [id, contact] of slice.contactsById) {
    index.contactsById.set(id, contact);
    if (slice.executiveContactIds.has(id)) index.executiveContactIds.add(id);
    else index.executiveContactIds.delete(id);
  }
};

// Garbage collections by kind, counted from the runtime's gc entries. Their durations are not summed: an incremental
// major collection's entry spans the marking that runs alongside the program, so the sum overstates the pause.
const gcCounts = { minor: 0, major: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gcCounts.major++;
    else if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) gcCounts.minor++;
  }
}).observe({ entryTypes: ['gc'] });
/** Lets queued gc entries reach the observer. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const WARM_RUNS = 3;

const runSize = async (size: string): Promise<SizeResult> => {
  const loadAverage = Math.round(os.loadavg()[0]! * 100) / 100;
  const spec = SIZES[size]!;
  const options: GenerateOrgOptions = { deals: spec.deals, activities: spec.activities, reps: spec.reps, seed: SEED, asOf: AS_OF };
  const asOfMs = Date.parse(AS_OF);

  gc();
  const peakResettable = resetPeak();
  let t = performance.now();
  const snapshot = generateOrg(options);
  const generateMs = performance.now() - t;
  const generatePeak = maxRssMb();
  gc();
  const generate = { ms: Math.round(generateMs), peakRssMb: Math.round(generatePeak), retainedRssMb: Math.round(rssMb()), retainedHeapMb: Math.round(process.memoryUsage().heapUsed / MB) };
  const counts = Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, (v as unknown[]).length]));
  const records = Object.values(counts).reduce((s, n) => s + n, 0);
  log(`generated ${spec.deals.toLocaleString('en')} deals, ${spec.activities.toLocaleString('en')} activities in ${generate.ms} ms (retained RSS ${generate.retainedRssMb} MB)`);

  // The full computation as a sync runs it: one call, index included, cold.
  resetPeak();
  await settle();
  const gcBefore = { ...gcCounts };
  t = performance.now();
  let results: DealIndicators[] = computeOrgIndicators(snapshot, DEFAULT_PLAYBOOK, AS_OF).deals;
  const coldMs = performance.now() - t;
  const fullPeak = maxRssMb();
  await settle();
  const coldGc = { minor: gcCounts.minor - gcBefore.minor, major: gcCounts.major - gcBefore.major };
  const trackedDeals = results.length;
  results = [];
  // Warm runs, each split into the index build and computing every tracked deal from it; the fastest is reported,
  // since on a shared machine the slower ones measure the neighbours.
  let best = { indexMs: Infinity, computeMs: Infinity };
  const warmRuns: number[] = [];
  let index: OrgIndex | null = null;
  let full: DealIndicators[] = [];
  let indexHeapMb = 0;
  for (let run = 0; run < WARM_RUNS; run++) {
    index = null;
    full = [];
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    t = performance.now();
    index = buildOrgIndex(snapshot);
    const indexMs = performance.now() - t;
    t = performance.now();
    full = computeOrgIndicators(snapshot, DEFAULT_PLAYBOOK, AS_OF, index).deals;
    const computeMs = performance.now() - t;
    warmRuns.push(Math.round(indexMs + computeMs));
    if (indexMs + computeMs < best.indexMs + best.computeMs) best = { indexMs, computeMs };
    if (run === 0) {
      full = [];
      gc();
      indexHeapMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / MB);
      full = computeOrgIndicators(snapshot, DEFAULT_PLAYBOOK, AS_OF, index).deals;
    }
  }
  const { indexMs, computeMs } = best;
  const warmMs = indexMs + computeMs;
  log(`full computation: cold ${Math.round(coldMs)} ms (${coldGc.minor} minor, ${coldGc.major} major collections), warm best of ${WARM_RUNS} ${Math.round(warmMs)} ms (index ${Math.round(indexMs)} + compute ${Math.round(computeMs)}), ${trackedDeals.toLocaleString('en')} open deals, peak RSS ${Math.round(fullPeak)} MB, index heap ${indexHeapMb} MB`);

  // Rep scoring and org analytics on top of the deal indicators, as a sync and the analytics API run them.
  t = performance.now();
  const cards = scoreReps({ snapshot, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, deals: full, index: index! });
  const scoringMs = performance.now() - t;
  t = performance.now();
  stageConversion(snapshot, DEFAULT_PLAYBOOK, AS_OF, index!);
  milestoneBacktest(snapshot, DEFAULT_PLAYBOOK, AS_OF, index!);
  rampReport(snapshot, DEFAULT_PLAYBOOK, AS_OF, index!);
  const analyticsMs = performance.now() - t;
  log(`reps: ${cards.length} scorecards in ${Math.round(scoringMs)} ms; analytics (conversion, backtest, ramp) ${Math.round(analyticsMs)} ms`);

  // Incremental: 1,000 random open deals, each recomputed alone from the built index, then as "this deal changed".
  const byId = new Map(full.map((d) => [d.opportunityId, d]));
  const tracked = snapshot.opportunities.filter((o) => isTracked(o, asOfMs));
  const r = new Rng(12345);
  const sample = Array.from({ length: Math.min(SAMPLES, tracked.length) }, () => tracked[r.int(0, tracked.length - 1)]!);
  const ctx = engineContext(snapshot, DEFAULT_PLAYBOOK, AS_OF, index!);
  const fromIndex: number[] = [];
  let mismatches = 0;
  for (const opportunity of sample) {
    t = performance.now();
    const d = computeDeal(dealRecords(opportunity, ctx.index), ctx);
    fromIndex.push(performance.now() - t);
    if (JSON.stringify(d) !== JSON.stringify(byId.get(opportunity.id))) mismatches++;
  }
  const changed: number[] = [];
  let serial = 0;
  for (const opportunity of sample) {
    // The change: a connected call logged today with someone already on the deal.
    const someone = index!.rolesByOpportunity.get(opportunity.id)?.[0]?.contactId ?? index!.activitiesByOpportunity.get(opportunity.id)?.find((a) => a.activity.contactIds.length)?.activity.contactIds[0];
    const call: Activity = { id: `00Tbench${++serial}`, kind: 'call', date: AS_OF.slice(0, 10), ownerId: opportunity.ownerId, opportunityId: opportunity.id, accountId: opportunity.accountId, contactIds: someone ? [someone] : [], subject: 'Bench call', callDurationSeconds: 300, callConnected: true, status: 'done' };
    const records = dealSlice(opportunity, index!, call);
    t = performance.now();
    const slice = buildOrgIndex(records);
    mergeSlice(index!, opportunity.id, slice);
    computeDeal(dealRecords(opportunity, ctx.index), ctx);
    changed.push(performance.now() - t);
  }
  log(`incremental: ${sample.length} deals, from index median ${percentiles(fromIndex).medianMs} ms, one deal changed median ${percentiles(changed).medianMs} ms`);

  // Rates from the fastest warm run: the cold run also pays for compilation and is the one most disturbed by neighbours.
  const seconds = warmMs / 1000;
  return {
    size,
    ok: true,
    counts,
    generate,
    full: {
      coldMs: Math.round(coldMs), coldGc, warmMs: Math.round(warmMs), warmRuns, indexMs: Math.round(indexMs), computeMs: Math.round(computeMs), trackedDeals,
      dealsPerSec: Math.round(spec.deals / seconds), activitiesPerSec: Math.round(spec.activities / seconds), recordsPerSec: Math.round(records / seconds),
      peakRssMb: Math.round(fullPeak), indexHeapMb,
    },
    reps: { count: cards.length, scoringMs: Math.round(scoringMs), analyticsMs: Math.round(analyticsMs) },
    incremental: { samples: sample.length, fromIndex: percentiles(fromIndex), oneDealChanged: percentiles(changed), mismatches },
    processPeakRssMb: Math.round(Math.max(processPeakMb, maxRssMb())),
    peakResettable,
    loadAverage,
  };
};

// ── Parent: one child per size, watched. ─────────────────────────────────────────────────────────────────────────

interface SizeFailure {
  size: string;
  ok: false;
  reason: string;
  /** Highest RSS the watcher saw, MB. */
  seenPeakRssMb: number;
  estimateRssMb?: number;
}

const meminfoMb = (field: string): number | null => {
  try {
    const m = readFileSync('/proc/meminfo', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};
const availableMb = (): number => meminfoMb('MemAvailable') ?? os.freemem() / MB;

const childRssMb = (pid: number): number => {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

const runChild = (size: string): Promise<SizeResult | SizeFailure> =>
  new Promise((resolve) => {
    const spec = SIZES[size]!;
    // BENCH_NODE_FLAGS adds V8 flags to the children (e.g. --max-semi-space-size=64) to try a runtime setting.
    const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
    // The last --max-old-space-size wins in V8, so a flag in BENCH_NODE_FLAGS overrides the size's own.
    const heapMb = Number(extra.findLast((f) => f.startsWith('--max-old-space-size='))?.split('=')[1] ?? spec.heapMb);
    const child = spawn(process.execPath, ['--expose-gc', `--max-old-space-size=${spec.heapMb}`, ...extra, fileURLToPath(import.meta.url), '--child', size], { stdio: ['ignore', 'pipe', 'pipe'] });
    // V8's out-of-memory report is a page of native stack: keep its one telling line.
    let fatal = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-20_000);
      fatal ||= err.split('\n').find((l) => l.startsWith('FATAL ERROR')) ?? '';
    });
    let out = '';
    let printed = 0;
    let seen = 0;
    let stopped: string | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const complete = out.lastIndexOf('\n') + 1;
      for (const line of out.slice(printed, complete).split('\n')) if (line && !line.startsWith('RESULT ')) console.log(line);
      printed = complete;
    });
    const watch = setInterval(() => {
      seen = Math.max(seen, childRssMb(child.pid!));
      const available = availableMb();
      if (!stopped && available < MACHINE_FLOOR_MB) {
        stopped = `stopped: the machine had ${Math.round(available)} MB available (floor ${MACHINE_FLOOR_MB} MB) with the child at ${Math.round(seen)} MB RSS`;
        child.kill('SIGKILL');
      }
    }, 100);
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as SizeResult);
      else {
        if (!fatal && err.trim()) process.stderr.write(err);
        const why = fatal ? `${fatal.replace('FATAL ERROR: ', '')} (heap limit ${heapMb} MB)` : `heap limit ${heapMb} MB: out of memory is the usual cause`;
        resolve({ size, ok: false, reason: stopped ?? `child exited with ${signal ?? `code ${code}`}: ${why}`, seenPeakRssMb: Math.round(seen) });
      }
    });
  });

const fmt = (n: number): string => n.toLocaleString('en');

const printTable = (results: (SizeResult | SizeFailure)[]): void => {
  const rows: string[][] = [['size', 'deals', 'activities', 'generate', 'full (cold)', 'full (warm)', 'deals/s (warm)', 'activities/s (warm)', 'peak RSS', 'incr. median / p95', 'changed median / p95', 'reps + analytics']];
  for (const r of results) {
    if (!r.ok) {
      rows.push([r.size, fmt(SIZES[r.size]!.deals), fmt(SIZES[r.size]!.activities), `did not fit: ${r.reason}${r.estimateRssMb ? ` (estimated ${fmt(r.estimateRssMb)} MB)` : ''}; highest RSS seen ${fmt(r.seenPeakRssMb)} MB`]);
      continue;
    }
    rows.push([
      r.size, fmt(r.counts.opportunities!), fmt(r.counts.activities!), `${fmt(r.generate.ms)} ms`, `${fmt(r.full.coldMs)} ms`, `${fmt(r.full.warmMs)} ms`,
      fmt(r.full.dealsPerSec), fmt(r.full.activitiesPerSec), `${fmt(r.full.peakRssMb)} MB`,
      `${r.incremental.fromIndex.medianMs} / ${r.incremental.fromIndex.p95Ms} ms`, `${r.incremental.oneDealChanged.medianMs} / ${r.incremental.oneDealChanged.p95Ms} ms`,
      `${fmt(r.reps.count)} reps: ${fmt(r.reps.scoringMs)} + ${fmt(r.reps.analyticsMs)} ms`,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.filter((row) => row.length > 4).map((row) => (row[c] ?? '').length)));
  for (const row of rows) console.log(row.length > 4 ? row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ') : row.join('  '));
};

/** RSS a size would need, scaled by total records from the largest size that ran. */
const estimateMb = (size: string, done: SizeResult[]): number | undefined => {
  const base = done.at(-1);
  if (!base) return undefined;
  const spec = SIZES[size]!;
  const baseSpec = SIZES[base.size]!;
  // Activities dominate; deals carry history, roles and contacts (about 10 records each here).
  const weight = (s: SizeSpec): number => s.activities + 10 * s.deals;
  return Math.round((base.processPeakRssMb * weight(spec)) / weight(baseSpec));
};

const main = async (): Promise<void> => {
  const arg = (process.argv[2] ?? 'default').toUpperCase();
  const force = process.argv.includes('--force');
  const sizes = arg === 'ALL' ? ['S', 'M', 'L'] : arg === 'DEFAULT' ? ['S', 'M'] : arg.split(',');
  for (const s of sizes) if (!SIZES[s]) throw new Error(`unknown size ${s}: use S, M, L or all`);
  const machine = { nodeFlags: process.env.BENCH_NODE_FLAGS ?? '', loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemMb: Math.round(os.totalmem() / MB), node: process.version, platform: `${os.platform()} ${os.release()}` };
  console.log(`Stagecraft benchmark — ${machine.cpus} cores (${machine.cpuModel}), ${fmt(machine.totalMemMb)} MB RAM, Node ${machine.node}, load average ${machine.loadAverageAtStart}; seed ${SEED}, asOf ${AS_OF}`);
  const results: (SizeResult | SizeFailure)[] = [];
  for (const size of sizes) {
    const spec = SIZES[size]!;
    const estimate = estimateMb(size, results.filter((r): r is SizeResult => r.ok));
    const available = availableMb();
    console.log(`\n▶ ${size}: ${fmt(spec.deals)} deals, ${fmt(spec.activities)} activities (heap limit ${fmt(spec.heapMb)} MB, ${fmt(Math.round(available))} MB available${estimate ? `, estimated need ${fmt(estimate)} MB` : ''})`);
    if (estimate && estimate > available - MACHINE_FLOOR_MB && !force) {
      results.push({ size, ok: false, reason: `skipped: needs about ${fmt(estimate)} MB, ${fmt(Math.round(available))} MB available (--force to try anyway)`, seenPeakRssMb: 0, estimateRssMb: estimate });
      console.log(`  ${(results.at(-1) as SizeFailure).reason}`);
      continue;
    }
    const result = await runChild(size);
    if (!result.ok) result.estimateRssMb = estimate;
    results.push(result);
  }

  console.log('');
  printTable(results);
  const m = results.find((r): r is SizeResult => r.ok && r.size === 'M');
  if (m) {
    const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
    console.log(`\nTargets (M): full ≤ ${TARGETS.M.fullMs} ms: ${fmt(m.full.coldMs)} ms ${verdict(m.full.coldMs <= TARGETS.M.fullMs)}; peak RSS ≤ ${TARGETS.M.rssMb} MB: ${fmt(m.full.peakRssMb)} MB ${verdict(m.full.peakRssMb <= TARGETS.M.rssMb)}; incremental median ≤ ${TARGETS.incrementalMedianMs} ms: ${m.incremental.oneDealChanged.medianMs} ms ${verdict(m.incremental.oneDealChanged.medianMs <= TARGETS.incrementalMedianMs)}`);
  }
  for (const r of results) if (r.ok && r.incremental.mismatches) console.log(`! ${r.size}: ${r.incremental.mismatches} incremental results differ from the full computation`);
  console.log('\nPeak RSS is the process during the cold full computation (snapshot, index and results resident); generation is measured apart.');
  console.log('Full (warm) is the fastest of three runs; rates use it. Timings move with the load average on a shared machine.');

  if (!existsSync(RESULTS)) mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), machine, seed: SEED, asOf: AS_OF, targets: TARGETS, results }, null, 2)}\n`);
  console.log(`Wrote ${join('bench', 'results', 'latest.json')}`);
};

if (process.argv[2] === '--child') {
  const result = await runSize(process.argv[3]!);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
} else {
  await main();
}
