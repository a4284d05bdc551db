// The scale-out through its real interface: `stagecraft tenant …` against PostgreSQL, a `stagecraft worker` process
// syncing a tenant on the Salesforce emulator to the same CRM state one process leaves, failures by kind (bad input
// loses nothing, a refused credential goes to the dead-letter queue and the tenant's history), key rotation, and
// SIGTERM draining the worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../server/src/config.ts';
import { composeScaleOut } from '../../server/src/composition.ts';
import { enqueueDue } from '../../server/src/workers/scale-worker.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { BACKFILL_WEEKS } from '../../server/src/use-cases/companion-sync.ts';
import { DEFAULT_PLAYBOOK, DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { hubspotAdapter, meetingWithNewExecutive, portalWith, sharedEvidence, SUBSCRIPTIONS, TEST_LIMITS, WEBHOOK_SECRET, type Portal } from './hubspot.support.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { AS_OF, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';
import { createTestDatabase, postgresAnswers, requirePostgres, skipNotice } from '../support/postgres.ts';
import { cli, crmState, stateDiff, singleProcessResult, startWorkerProcess, tenantsWithRun, until, type WorkerProcess } from '../support/scale.ts';

const available = await postgresAnswers();
if (!available) console.warn(`\n!!! ${skipNotice('the scale-out tenant suite')}\n`);
if (!available && requirePostgres) describe('PostgreSQL is required (STAGECRAFT_REQUIRE_POSTGRES=1)', () => {
  it('When STAGECRAFT_REQUIRE_POSTGRES=1, then PostgreSQL answers', () => expect.fail(skipNotice('the scale-out tenant suite')));
});

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'stagecraft.js');
const KEY_1 = 'a1'.repeat(32);
const KEY_2 = 'b2'.repeat(32);

describe.skipIf(!available)('stagecraft tenant and worker', () => {
  let url: string;
  let drop: () => Promise<void>;
  let emu: SalesforceEmulator;
  let emu2: SalesforceEmulator;
  let portal: Portal;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    emu = await emulatorWith(demoSlice(2));
    emu2 = await emulatorWith(demoSlice(2));
    portal = await portalWith(sharedEvidence(2));
    dir = tempDir();
    env = { DATABASE_URL: url, STAGECRAFT_SECRET_KEY: KEY_1, STAGECRAFT_DATA_DIR: dir };
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ instanceUrl: emu.url, accessToken: emu.accessToken }));
    writeFileSync(join(dir, 'refused.json'), JSON.stringify({ instanceUrl: emu.url, accessToken: 'not-a-session' }));
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await emu?.stop();
    await emu2?.stop();
    await portal?.emu.stop();
    await drop?.();
  });

  it('When a tenant is added with bad input, then one line says what is wrong and nothing is stored', () => {
    const bad = cli(['tenant', 'add', 'org-1', '--crm', 'salesforce', '--credentials', '-'], env, '{"instanceUrl":"not a url","accessToken":"x"}');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/Salesforce credentials: instanceUrl/);
    expect(cli(['tenant', 'add', 'Org 1', '--crm', 'salesforce', '--credentials', join(dir, 'good.json')], env).stderr).toMatch(/tenant id "Org 1" must be/);
    expect(cli(['tenant', 'add', 'org-1', '--crm', 'pipedrive', '--credentials', join(dir, 'good.json')], env).stderr).toMatch(/--crm pipedrive is not one of/);
    expect(cli(['tenant', 'add', 'org-1', '--crm', 'salesforce', '--credentials', join(dir, 'good.json')], { ...env, STAGECRAFT_SECRET_KEY: 'short' }).stderr).toMatch(/STAGECRAFT_SECRET_KEY must be 32 bytes/);
    expect(cli(['tenant', 'list'], env).stdout).toMatch(/No tenants yet/);
    // Without the database or the key, the scale-out commands stop at once with one line naming what is missing.
    expect(cli(['worker'], { ...env, DATABASE_URL: '' })).toMatchObject({ status: 4, stderr: 'stagecraft: configuration: DATABASE_URL is required for the scale-out (worker, tenant commands)\n' });
    expect(cli(['tenant', 'list'], { ...env, STAGECRAFT_SECRET_KEY: '' }).stderr).toMatch(/^stagecraft: configuration: STAGECRAFT_SECRET_KEY is required with DATABASE_URL/);
  });

  it('When tenants are added, listed, paused and resumed, then the list shows it and the credentials are stored encrypted', async () => {
    expect(cli(['tenant', 'add', 'org-1', '--crm', 'salesforce', '--credentials', join(dir, 'good.json'), '--name', 'Org One'], env)).toMatchObject({ status: 0 });
    expect(cli(['tenant', 'add', 'org-1', '--crm', 'salesforce', '--credentials', join(dir, 'good.json')], env)).toMatchObject({ status: 7 });
    expect(cli(['tenant', 'add', 'org-refused', '--crm', 'salesforce', '--credentials', join(dir, 'refused.json')], env).status).toBe(0);
    expect(cli(['tenant', 'pause', 'org-1'], env).status).toBe(0);
    expect(cli(['tenant', 'list'], env).stdout).toMatch(/org-1 {2}salesforce {2}PAUSED/);
    expect(cli(['tenant', 'sync', 'org-1'], env).stderr).toMatch(/org-1 is paused/);
    expect(cli(['tenant', 'resume', 'org-1'], env).status).toBe(0);
    expect(cli(['tenant', 'pause', 'org-9'], env)).toMatchObject({ status: 2, stderr: 'stagecraft: tenant org-9 not found\n' });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT credentials FROM tenant');
    await client.end();
    expect(rows.length).toBe(2);
    for (const r of rows) expect(String(r.credentials)).not.toContain(emu.url);
  });

  it('When the key is rotated, then every tenant is re-encrypted under the new key and an old-key-only process cannot read them', () => {
    const rotated = cli(['tenant', 'rotate'], { ...env, STAGECRAFT_SECRET_KEY: `${KEY_2},${KEY_1}` });
    expect(rotated.stdout).toMatch(/Re-encrypted 2 tenants under key/);
    expect(cli(['tenant', 'rotate'], { ...env, STAGECRAFT_SECRET_KEY: `${KEY_2},${KEY_1}` }).stdout).toMatch(/Re-encrypted 0 tenants.*2 already were/);
    expect(cli(['tenant', 'rotate'], { ...env, STAGECRAFT_SECRET_KEY: KEY_1 })).toMatchObject({ status: 4, stderr: expect.stringMatching(/encrypted under key \w+, which STAGECRAFT_SECRET_KEY does not hold/) });
    env.STAGECRAFT_SECRET_KEY = KEY_2;
    const listed = JSON.parse(cli(['tenant', 'list', '--json'], env).stdout) as { keyId: string }[];
    expect(new Set(listed.map((t) => t.keyId)).size).toBe(1);
  });

  it('When `stagecraft serve` runs with DATABASE_URL, then the same tenant admin is on the API behind the admin token', async () => {
    const token = 'admin-token-0123456789';
    const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env, PORT: '0', STAGECRAFT_API_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => /on (http:\S+)/.test(out) || server.exitCode !== null);
      const base = /on (http:\S+)/.exec(out)?.[1];
      expect(base, out).toBeDefined();
      const call = (method: string, path: string, body?: unknown, auth = token) =>
        fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      expect((await call('GET', '/api/admin/tenants', undefined, 'wrong-token-000000000')).status).toBe(401);
      const listed = (await (await call('GET', '/api/admin/tenants')).json()) as { id: string }[];
      expect(listed.map((t) => t.id)).toEqual(['org-1', 'org-refused']);
      const bad = await call('POST', '/api/admin/tenants', { id: 'org-api', crm: 'salesforce', credentials: { instanceUrl: emu.url } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/Salesforce credentials/);
      expect((await call('POST', '/api/admin/tenants', { id: 'org-api', crm: 'salesforce', credentials: { instanceUrl: emu.url, accessToken: emu.accessToken } })).status).toBe(201);
      expect((await call('POST', '/api/admin/tenants/org-api/pause')).status).toBe(204);
      expect(((await (await call('GET', '/api/admin/tenants/org-api')).json()) as { paused: boolean }).paused).toBe(true);
      expect((await call('POST', '/api/admin/tenants/org-api/sync', {})).status).toBe(409);
      expect((await call('POST', '/api/admin/tenants/org-nope/resume')).status).toBe(404);
      expect(await (await call('GET', '/api/admin/tenants/org-api/runs')).json()).toEqual([]);
      expect(cli(['tenant', 'list'], env).stdout).toMatch(/org-api {2}salesforce {2}PAUSED/);
      // A tenant's playbook: refused when invalid (nothing changes), kept when valid, the same by CLI and API.
      writeFileSync(join(dir, 'bad-playbook.json'), JSON.stringify({ stages: 'none' }));
      const refused = cli(['tenant', 'playbook', 'org-api', join(dir, 'bad-playbook.json')], env);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/is not a valid playbook/);
      expect(((await (await call('GET', '/api/admin/tenants/org-api/playbook')).json()) as { playbook: unknown }).playbook).toBeNull();
      const stricter = { ...DEFAULT_PLAYBOOK_INPUT, settings: { ...DEFAULT_PLAYBOOK_INPUT.settings, multiThreadedAt: 3 } };
      expect((await call('PUT', '/api/admin/tenants/org-api/playbook', { stages: 'none' })).status).toBe(400);
      expect((await call('PUT', '/api/admin/tenants/org-api/playbook', stricter)).status).toBe(204);
      expect((JSON.parse(cli(['tenant', 'playbook', 'org-api'], env).stdout) as typeof stricter).settings.multiThreadedAt).toBe(3);
    } finally {
      server.kill('SIGTERM');
    }
  }, 60_000);

  it('When a worker takes the tenants\' syncs, then the org and the HubSpot portal end as one process leaves them, the refused one is dead-lettered with why, the budgeted one stops at its budget', async () => {
    const expected = await singleProcessResult(demoSlice(2), AS_OF);
    writeFileSync(join(dir, 'budget.json'), JSON.stringify({ instanceUrl: emu2.url, accessToken: emu2.accessToken }));
    expect(cli(['tenant', 'add', 'org-budget', '--crm', 'salesforce', '--credentials', join(dir, 'budget.json'), '--daily-budget', '10'], env).status).toBe(0);
    writeFileSync(join(dir, 'portal.json'), JSON.stringify({ accessToken: portal.emu.accessToken, baseUrl: portal.emu.url, portalId: portal.emu.portal.portalId, limits: TEST_LIMITS }));
    expect(cli(['tenant', 'add', 'portal-1', '--crm', 'hubspot', '--credentials', join(dir, 'portal.json')], env).status).toBe(0);
    expect(cli(['tenant', 'sync', 'org-1', 'org-refused', 'org-budget', 'portal-1', '--as-of', AS_OF], env).stdout).toMatch(/org-1: sync queued/);
    const worker = startWorkerProcess(env);
    workers.push(worker);
    await until(async () => (await tenantsWithRun(url, 'done')).has('org-1') && (await tenantsWithRun(url, 'failed')).has('org-refused') && (await tenantsWithRun(url, 'stopped')).has('org-budget') && (await tenantsWithRun(url, 'done')).has('portal-1'));
    // The HubSpot portal too ends as one process syncing it alone leaves it.
    const reference = await portalWith(sharedEvidence(2));
    const alone = hubspotAdapter(reference.emu, tempDir());
    await runSync({ adapter: alone, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: BACKFILL_WEEKS });
    await alone.close();
    const dealsOf = (p: Portal): Record<string, string | null>[] => [...p.loaded.deals].map(([id, hsId]) => {
      const props = p.emu.portal.get('deals', hsId)!.properties;
      return { id, ...Object.fromEntries(Object.entries(props).filter(([k]) => k.startsWith('stagecraft_'))) };
    });
    const written = dealsOf(portal);
    expect(written.filter((d) => d.stagecraft_gate_status).length).toBeGreaterThan(10);
    expect(written).toEqual(dealsOf(reference));
    await reference.emu.stop();
    expect(stateDiff(crmState(emu), expected).slice(0, 10)).toEqual([]);
    const runs = cli(['tenant', 'runs', 'org-refused'], env).stdout;
    expect(runs).toMatch(/failed .*authentication: INVALID_SESSION_ID/);
    expect(cli(['tenant', 'list'], env).stdout).toMatch(/org-refused .*last failure .*authentication/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await until(async () => (await client.query("SELECT 1 FROM pgboss.job WHERE name = 'stagecraft-dead' AND data->>'tenant' = 'org-refused'")).rowCount === 1);
    await client.end();
    // One failed run, not six: a refused credential is not retried.
    expect(runs.trim().split('\n')).toHaveLength(1);
    // The budgeted tenant stopped at its 10 calls (counted in PostgreSQL, for all workers), its run journalled to resume,
    // and its next sync waits for the next UTC day.
    expect(cli(['tenant', 'runs', 'org-budget'], env).stdout).toMatch(/stopped .*budget: tenant org-budget has used its daily budget of 10 API calls/);
    expect(emu2.callCounts().total).toBe(10);
    const pgc = new pg.Client({ connectionString: url });
    await pgc.connect();
    expect((await pgc.query("SELECT used FROM tenant_budget WHERE tenant = 'org-budget'")).rows[0].used).toBe(10);
    expect((await pgc.query("SELECT status FROM run WHERE tenant = 'org-budget'")).rows.map((r) => r.status)).toEqual(['stopped']);
    const next = await pgc.query("SELECT start_after FROM pgboss.job WHERE name = 'stagecraft-sync' AND data->>'tenant' = 'org-budget' AND state = 'created'");
    await pgc.end();
    expect(next.rowCount).toBe(1);
    expect(new Date(next.rows[0].start_after).getUTCDate()).not.toBe(new Date().getUTCDate());
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/drained/);
  }, 180_000);

  it('When a portal\'s webhook reaches `serve`, then a worker drains that tenant\'s inbox in PostgreSQL and rewrites the deal it touches', async () => {
    const token = 'admin-token-0123456789';
    const server = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, ...env, PORT: '0', STAGECRAFT_API_TOKEN: token, HUBSPOT_CLIENT_SECRET: WEBHOOK_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = startWorkerProcess(env);
    workers.push(worker);
    const client = new pg.Client({ connectionString: url });
    try {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => /on (http:\S+)/.test(out) || server.exitCode !== null);
      const base = /on (http:\S+)/.exec(out)![1]!;
      portal.emu.configureWebhooks({ targetUrl: `${base}/webhooks/hubspot`, appId: 1, clientSecret: WEBHOOK_SECRET, subscriptions: SUBSCRIPTIONS });
      const open = [...portal.emu.portal.recordsOf('deals').values()].filter((d) => d.properties.hs_is_closed !== 'true' && d.properties.stagecraft_executive_engaged !== 'true' && portal.emu.portal.associationsOf('deals', d.id, 'companies').length);
      const deal = open[0]!;
      meetingWithNewExecutive(portal.emu, deal.id, String(portal.emu.portal.associationsOf('deals', deal.id, 'companies')[0]!.toObjectId));
      await portal.emu.webhooks!.idle();
      expect(portal.emu.webhooks!.deliveries.every((d) => d.status === 200)).toBe(true);
      await client.connect();
      await until(async () => (await client.query("SELECT COUNT(*) FILTER (WHERE processed_at IS NULL) AS pending, COUNT(*) AS n FROM webhook_inbox WHERE tenant = 'portal-1'")).rows.every((r) => Number(r.n) > 0 && Number(r.pending) === 0));
      expect(portal.emu.portal.get('deals', deal.id)!.properties.stagecraft_executive_engaged).toBe('true');
      expect(cli(['tenant', 'runs', 'portal-1'], env).stdout).toMatch(/inbox +done .*inbox: \d+ events, 1 deals/);
    } finally {
      server.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      await worker.exited;
      await client.end().catch(() => {});
    }
  }, 120_000);

  it('When a worker gets SIGTERM in the middle of a sync, then it finishes that sync before it exits', async () => {
    const slow = await emulatorWith(demoSlice(2));
    // Each call a little slower, so the sync is still running when the signal comes.
    slow.faults.inject({ type: 'delay', ms: 80, times: 100_000 });
    try {
      writeFileSync(join(dir, 'slow.json'), JSON.stringify({ instanceUrl: slow.url, accessToken: slow.accessToken }));
      expect(cli(['tenant', 'add', 'org-slow', '--crm', 'salesforce', '--credentials', join(dir, 'slow.json')], env).status).toBe(0);
      const worker = startWorkerProcess(env);
      workers.push(worker);
      await until(() => worker.output().includes('worker started'));
      expect(cli(['tenant', 'sync', 'org-slow', '--as-of', AS_OF], env).stdout).toMatch(/org-slow: sync queued/);
      await until(() => slow.calls.length >= 5);
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toMatch(/draining[\s\S]*tenant org-slow: full sync done[\s\S]*drained/);
      expect(cli(['tenant', 'runs', 'org-slow'], env).stdout).toMatch(/full +done/);
    } finally {
      await slow.stop();
    }
  }, 120_000);

  it('When the scheduler ticks, then each unpaused tenant whose interval has passed gets one sync waiting, once', async () => {
    const s = composeScaleOut(loadConfig(env));
    try {
      const queue = await s.queue();
      expect(await enqueueDue(s, queue)).toBe(0);
      // An hour on: org-1, org-refused, portal-1 and org-slow are due; org-budget already has its next-day sync waiting;
      // org-api is paused.
      const later = new Date(Date.now() + 3_600_000);
      expect(await enqueueDue(s, queue, later)).toBe(4);
      expect(await enqueueDue(s, queue, later)).toBe(0);
    } finally {
      await s.close();
    }
  });
});
