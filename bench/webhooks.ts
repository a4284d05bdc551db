// `node bench/webhooks.ts [portals] [seconds]` (and `npm run bench`, after the throughput rounds): the scale-out's
// webhook-to-written latency under 200 events per second across tenants. HubSpot portals (emulated, each a slice of
// the demo org, fully synced first) are tenants of one deployment; `stagecraft serve` receives signed deliveries for
// all of them; 3 `stagecraft worker` processes drain the inboxes. For the given seconds the bench sends 200
// deal-change events a second spread over the portals, and twice a second a probe: a real change (a meeting with a
// new executive on a deal that had none) and its event — timed from the delivery's acknowledgement until the deal's
// Executive Engaged property reads true in the portal. Not a test: figures to bench/results/webhooks.json and stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../server/src/config.ts';
import { composeScaleOut } from '../server/src/composition.ts';
import { addTenant, requestSync } from '../server/src/use-cases/tenants.ts';
import { signV3 } from '../server/src/webhooks/hubspot-signature.ts';
import { AS_OF, meetingWithNewExecutive, portalWith, sharedEvidence, TEST_LIMITS, WEBHOOK_SECRET, type Portal } from '../tests/integration/hubspot.support.ts';
import { startPrivateCluster } from '../tests/support/postgres.ts';
import { startWorkerProcess, tenantsWithRun, until } from '../tests/support/scale.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'stagecraft.js');
const numbers = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const PORTALS = numbers[0] ?? 8;
const SECONDS = numbers[1] ?? 10;
const RATE = 200;
const KEY = 'e5'.repeat(32);

const cluster = await startPrivateCluster();
if (!cluster) {
  console.log('webhook bench: no PostgreSQL server binaries (Debian package postgresql) — skipped');
  process.exit(0);
}
const cleanup: (() => Promise<void> | void)[] = [() => cluster.stop()];
try {
  const env = { DATABASE_URL: cluster.url, STAGECRAFT_SECRET_KEY: KEY };
  const scale = composeScaleOut(loadConfig(env));
  cleanup.unshift(() => scale.close());
  const org = sharedEvidence(2);
  const portals: { id: string; portal: Portal; open: string[]; probes: string[] }[] = [];
  for (let i = 0; i < PORTALS; i++) {
    const portal = await portalWith(org, { portalId: 1000 + i });
    cleanup.unshift(() => portal.emu.stop());
    const id = `portal-${i + 1}`;
    await addTenant(scale, { id, crm: 'hubspot', credentials: { accessToken: portal.emu.accessToken, baseUrl: portal.emu.url, portalId: 1000 + i, limits: TEST_LIMITS }, syncEverySeconds: 86_400 });
    portals.push({ id, portal, open: [], probes: [] });
  }
  const workers = Array.from({ length: 3 }, () => startWorkerProcess(env));
  cleanup.unshift(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
  });
  await until(() => workers.every((w) => w.output().includes('worker started')));
  await requestSync(scale, 'all', { asOf: AS_OF });
  await until(async () => (await tenantsWithRun(cluster.url, 'done')).size === PORTALS, 200);
  for (const p of portals) {
    const deals = [...p.portal.emu.portal.recordsOf('deals').values()].filter((d) => d.properties.hs_is_closed !== 'true');
    p.open = deals.map((d) => d.id);
    p.probes = deals.filter((d) => d.properties.stagecraft_executive_engaged !== 'true' && p.portal.emu.portal.associationsOf('deals', d.id, 'companies').length).map((d) => d.id);
  }

  const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env, PORT: '0', STAGECRAFT_API_TOKEN: 'bench-admin-token-0000', HUBSPOT_CLIENT_SECRET: WEBHOOK_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.unshift(() => void server.kill('SIGTERM'));
  let out = '';
  server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await until(() => /on (http:\S+)/.test(out));
  const uri = `${/on (http:\S+)/.exec(out)![1]!}/webhooks/hubspot`;

  let eventSeq = 0;
  const deliver = async (events: object[]): Promise<number> => {
    const body = JSON.stringify(events);
    const timestamp = String(Date.now());
    const res = await fetch(uri, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': signV3(WEBHOOK_SECRET, 'POST', uri, body, timestamp) } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`delivery answered ${res.status}`);
    return Date.now();
  };
  const change = (portalId: number, dealId: string): object => ({ eventId: `${++eventSeq}`, subscriptionType: 'deal.propertyChange', objectId: dealId, portalId, occurredAt: Date.now(), propertyName: 'hs_next_step' });

  const latencies: number[] = [];
  const waits: Promise<void>[] = [];
  let sent = 0;
  const started = Date.now();
  const tickMs = 100;
  for (let tick = 0; tick < (SECONDS * 1000) / tickMs; tick++) {
    const due = started + tick * tickMs;
    if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
    const batches = new Map<number, object[]>();
    for (let k = 0; k < (RATE * tickMs) / 1000; k++) {
      const p = portals[(tick * 20 + k) % PORTALS]!;
      const portalId = p.portal.emu.portal.portalId;
      batches.set(portalId, [...(batches.get(portalId) ?? []), change(portalId, p.open[(tick + k) % p.open.length]!)]);
    }
    // A probe twice a second: a real change on a deal, then its event among the load.
    let probe: { p: (typeof portals)[number]; dealId: string } | null = null;
    if (tick % 5 === 0) {
      const p = portals[(tick / 5) % PORTALS]!;
      const dealId = p.probes.shift();
      if (dealId) {
        meetingWithNewExecutive(p.portal.emu, dealId, String(p.portal.emu.portal.associationsOf('deals', dealId, 'companies')[0]!.toObjectId));
        batches.get(p.portal.emu.portal.portalId)!.push(change(p.portal.emu.portal.portalId, dealId));
        probe = { p, dealId };
      }
    }
    const acked = await Promise.all([...batches.values()].map(async (events) => {
      sent += events.length;
      return deliver(events);
    }));
    if (probe) {
      const { p, dealId } = probe;
      const at = Math.max(...acked);
      waits.push(until(() => p.portal.emu.portal.get('deals', dealId)!.properties.stagecraft_executive_engaged === 'true', 10).then(() => void latencies.push(Date.now() - at)));
    }
  }
  const sendSeconds = (Date.now() - started) / 1000;
  await Promise.all(waits);
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const inbox = (await client.query('SELECT COUNT(*) AS n, COUNT(processed_at) AS done FROM webhook_inbox')).rows[0] as { n: string; done: string };
  await client.end();
  latencies.sort((a, b) => a - b);
  const pct = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const result = { at: new Date().toISOString(), cpus: os.cpus().length, loadAverage: os.loadavg(), portals: PORTALS, eventsSent: sent, sendSeconds: Math.round(sendSeconds * 10) / 10, eventsPerSecond: Math.round(sent / sendSeconds), inboxEvents: Number(inbox.n), processed: Number(inbox.done), probes: latencies.length, latencyMs: { p50: pct(0.5), p95: pct(0.95), max: latencies.at(-1) } };
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'webhooks.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`webhooks: ${sent} events in ${result.sendSeconds} s (${result.eventsPerSecond}/s) over ${PORTALS} portals, 3 workers; webhook-to-written for ${latencies.length} probes: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, max ${result.latencyMs.max} ms`);
} finally {
  for (const step of cleanup) await step();
}
