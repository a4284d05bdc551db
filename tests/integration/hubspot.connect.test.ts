// Connecting a portal: OAuth (code exchange, refresh ahead of expiry, tokens encrypted at rest), the idempotent
// provisioning of the `stagecraft` property group, paging past the search API's 10,000-result cap, and the CLI.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.ts';
import { HubSpotApi } from '../../server/src/crm/hubspot/api.ts';
import { DEAL_PROPERTIES, PROPERTY_GROUP } from '../../server/src/crm/hubspot/fields.ts';
import { HubSpotOAuth } from '../../server/src/crm/hubspot/oauth.ts';
import { readPipelines, searchDeals } from '../../server/src/crm/hubspot/reader.ts';
import { provisionDealProperties } from '../../server/src/crm/hubspot/writer.ts';
import { parseSecretKeys } from '../../server/src/secrets.ts';
import { CompanionStore } from '../../server/src/store/companion-store.ts';
import { startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';
import { seedDeals } from '../emulators/hubspot/helpers.ts';
import { AS_OF, portalWith, sharedEvidence, tempDir, TEST_LIMITS } from './hubspot.support.ts';

const KEYS = parseSecretKeys('11'.repeat(32));
const OTHER_KEYS = parseSecretKeys('22'.repeat(32));
const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
let emu: HubSpotEmulator;
const api = (): HubSpotApi => new HubSpotApi({ accessToken: emu.accessToken, basePath: emu.url, limits: TEST_LIMITS });

beforeAll(async () => {
  emu = await startHubSpotEmulator({ limits: TEST_LIMITS });
});
afterAll(async () => {
  await emu?.stop();
});

const cli = (args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });

describe('OAuth for a public app', () => {
  it('When the install code is exchanged, then calls work, the tokens are stored encrypted, and an expiring token is refreshed first', async () => {
    const app = emu.oauth.registerApp({ redirectUri: 'http://127.0.0.1:3000/oauth/hubspot/callback' });
    const store = new CompanionStore(join(tempDir(), 'companion.sqlite'));
    let now = Date.now();
    const oauth = new HubSpotOAuth({ basePath: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, store, tenant: 'hubspot', keys: KEYS, now: () => now });
    await oauth.exchangeCode(emu.oauth.authorize(app.clientId), app.redirectUri);
    const client = new HubSpotApi({ accessToken: oauth.accessToken, onUnauthorized: oauth.invalidate, basePath: emu.url, limits: TEST_LIMITS });
    expect((await readPipelines(client)).size).toBeGreaterThan(0);
    const first = await oauth.accessToken();
    const sealed = (await store.getValue('hubspot', 'hubspotOAuth'))!;
    expect(sealed).not.toContain(first);
    expect(sealed).not.toContain('refresh');
    // 26 minutes later (the token lives 30): refreshed before use, and the new token works.
    now += 26 * 60_000;
    const second = await oauth.accessToken();
    expect(second).not.toBe(first);
    emu.oauth.expire(first);
    expect((await readPipelines(client)).size).toBeGreaterThan(0);
    // Refused before its time (401 EXPIRED_AUTHENTICATION): refreshed once and the call retried.
    emu.oauth.expire(second);
    emu.resetCalls();
    expect((await readPipelines(client)).size).toBeGreaterThan(0);
    expect(emu.calls.map((c) => c.status)).toEqual([401, 200]);
    // A companion restarted with the same key reads the stored tokens; another key cannot.
    const third = await oauth.accessToken();
    expect(third).not.toBe(second);
    const again = new HubSpotOAuth({ basePath: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, store, tenant: 'hubspot', keys: KEYS, now: () => now });
    expect(await again.accessToken()).toBe(third);
    const wrong = new HubSpotOAuth({ basePath: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, store, tenant: 'hubspot', keys: OTHER_KEYS, now: () => now });
    await expect(wrong.accessToken()).rejects.toThrow(/STAGECRAFT_SECRET_KEY does not hold/);
    await store.close();
  });

  it('When the code is bad, then one clear authentication error', async () => {
    const app = emu.oauth.registerApp({ redirectUri: 'http://127.0.0.1:3000/cb' });
    const store = new CompanionStore(join(tempDir(), 'companion.sqlite'));
    const oauth = new HubSpotOAuth({ basePath: emu.url, clientId: app.clientId, clientSecret: app.clientSecret, store, tenant: 'hubspot', keys: KEYS });
    await expect(oauth.exchangeCode('not-a-code', app.redirectUri)).rejects.toMatchObject({ kind: 'authentication', message: expect.stringMatching(/BAD_AUTH_CODE/) });
    await store.close();
  });
});

describe('the stagecraft property group', () => {
  it('When provisioned twice, then the group and its 13 properties exist once, with the Salesforce value sets, and the second pass creates nothing', async () => {
    const first = await provisionDealProperties(api());
    expect(first.created).toHaveLength(DEAL_PROPERTIES.length);
    emu.resetCalls();
    const second = await provisionDealProperties(api());
    expect(second).toEqual({ created: [], updated: [] });
    expect(emu.calls.every((c) => c.method === 'GET')).toBe(true);
    const defs = emu.portal.propertiesOf('deals');
    expect(defs.get('stagecraft_gate_status')).toMatchObject({ groupName: PROPERTY_GROUP.name, type: 'enumeration' });
    expect(defs.get('stagecraft_gate_status')!.options!.map((o) => o.value)).toEqual(['Met', 'In_Progress', 'At_Risk', 'Skipped']);
    expect(defs.get('stagecraft_deal_risk_flags')).toMatchObject({ type: 'enumeration', fieldType: 'checkbox' });
    expect(defs.get('stagecraft_executive_engaged')).toMatchObject({ type: 'bool', fieldType: 'booleancheckbox' });
    expect(defs.get('stagecraft_indicators_as_of')).toMatchObject({ type: 'datetime' });
  });
});

describe('deals past the 10,000-result search cap', () => {
  it('When the portal holds 10,050 deals, then every one is read, 200 a page, without a page past 10,000', async () => {
    const ids = seedDeals(emu, 10_050);
    emu.resetCalls();
    const deals = await searchDeals(api(), ['dealname']);
    const all = [...emu.portal.recordsOf('deals').values()].filter((d) => !d.archived);
    expect(all.length).toBeGreaterThanOrEqual(ids.length);
    expect(deals).toHaveLength(all.length);
    expect(new Set(deals.map((d) => d.id))).toEqual(new Set(all.map((d) => d.id)));
    const searches = emu.calls.filter((c) => c.kind === 'search');
    expect(searches.every((s) => s.limit === 200 && s.status === 200)).toBe(true);
    // Page 50 of the first query ends at 10,000: the second query starts after the last id read.
    expect(searches.length).toBe(Math.ceil(deals.length / 200));
    expect(searches.filter((s) => s.status !== 200)).toEqual([]);
    expect(emu.limits.peakSearchPerSecond).toBeLessThanOrEqual(5);
  }, 60_000);
});

describe('stagecraft sync --crm hubspot', () => {
  it('When run against a portal, then it prints the summary; a second run changes nothing', async () => {
    const portal = await portalWith(sharedEvidence(1));
    const env = { STAGECRAFT_DATA_DIR: tempDir(), HUBSPOT_ACCESS_TOKEN: portal.emu.accessToken, HUBSPOT_BASE_URL: portal.emu.url };
    const first = await cli(['sync', '--crm', 'hubspot', '--as-of', AS_OF], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Sync \(hubspot\)/);
    const second = await cli(['sync', '--crm', 'hubspot', '--as-of', AS_OF], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/fields changed: +0/);
    await portal.emu.stop();
  }, 60_000);

  it('When a HubSpot variable is malformed, then start-up stops with one line naming it', () => {
    expect(() => loadConfig({ HUBSPOT_BURST_LIMIT: 'lots' })).toThrow(/^configuration: HUBSPOT_BURST_LIMIT/);
    expect(() => loadConfig({ HUBSPOT_WEBHOOK_URL: 'not a url' })).toThrow(/^configuration: HUBSPOT_WEBHOOK_URL/);
    expect(loadConfig({ HUBSPOT_BURST_LIMIT: '190' }).hubspot.burstLimit).toBe(190);
  });

  it('When no credentials are configured, then one line names what to set', async () => {
    const res = await cli(['sync', '--crm', 'hubspot'], { STAGECRAFT_DATA_DIR: tempDir(), HUBSPOT_ACCESS_TOKEN: '' });
    expect(res.status).toBe(4);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/HUBSPOT_ACCESS_TOKEN/);
  });
});
