// What keeps other pages and hostile requests from using or taking down the companion: Host allow-list, Origin and
// JSON on writes, loopback by address, the token compared over digests, bounded GraphQL, cached lists, syncs off the
// event loop. Raw node:http requests, so Host and Origin can be set as a browser (or an attacker) would.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { hostnameOf, sameToken } from '../../server/src/http/guards.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { likeMatches } from '../../server/src/http/ui-graphql.ts';
import { isLoopback, loadConfig } from '../../server/src/config.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';
import { rawRequest, type RawAnswer } from '../support/raw-http.ts';

let running: RunningServer | null = null;
let store: OrgStore | null = null;
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const serve = async (options: { apiToken?: string | null; host?: string } = {}): Promise<URL> => {
  const dir = tempDir();
  const file = join(dir, 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date());
  store = OrgStore.open(file);
  running = await startServer({ store, dataDir: dir, apiToken: options.apiToken ?? null, crm: 'embedded', logger: silentLogger }, options.host ?? '127.0.0.1', 0);
  return new URL(running.url);
};

const raw = rawRequest;

const JSON_TYPE = { 'content-type': 'application/json' };

describe('who may call the companion', () => {
  it('When the Host header names another site (DNS rebinding), then every route answers 403 and no org data', async () => {
    const url = await serve();
    for (const host of ['evil.example', `evil.example:${url.port}`, '127.0.0.1.nip.io', `127.0.0.1.nip.io:${url.port}`, 'localhost.evil.example']) {
      const res = await raw(url, 'GET', '/api/opportunities', { host });
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/^Host ".*" is not a name this companion answers to$/);
    }
    for (const host of [`127.0.0.1:${url.port}`, `localhost:${url.port}`, 'localhost', '127.0.0.2']) expect((await raw(url, 'GET', '/api/health', { host })).status, host).toBe(200);
  });

  it('When a page on another origin posts text/plain or a form, then no sync starts (403/415)', async () => {
    const url = await serve();
    const text = await raw(url, 'POST', '/api/sync', { 'content-type': 'text/plain' }, '{}');
    expect(text.status).toBe(415);
    expect(JSON.parse(text.body).error.message).toBe('a POST needs Content-Type: application/json (got text/plain)');
    const crossOrigin = await raw(url, 'POST', '/api/sync', { ...JSON_TYPE, origin: 'http://evil.example' }, '{}');
    expect(crossOrigin.status).toBe(403);
    const crossSite = await raw(url, 'POST', '/api/sync', { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' }, '{}');
    expect(crossSite.status).toBe(403);
    const form = await raw(url, 'PUT', '/api/playbook', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
    expect(form.status).toBe(415);
    const none = await raw(url, 'POST', '/api/attestations', {}, '');
    expect(none.status).toBe(415);
    expect(running!.sync.current().state).toBe('idle');
    // The companion's own page: same origin, JSON.
    const own = await raw(url, 'POST', '/api/sync', { ...JSON_TYPE, origin: url.origin, 'sec-fetch-site': 'same-origin' }, '{}');
    expect(own.status).toBe(202);
    await running!.sync.idle();
  });

  it('When the token is compared, then digests of equal length are compared (any length of guess is judged the same way)', async () => {
    expect(sameToken('s3cret-token-of-length', 's3cret-token-of-length')).toBe(true);
    expect(sameToken('s', 's3cret-token-of-length')).toBe(false);
    expect(sameToken('x'.repeat(10_000), 's3cret-token-of-length')).toBe(false);
    const url = await serve({ apiToken: 's3cret-token-of-length' });
    expect((await raw(url, 'GET', '/api/users', { authorization: `Bearer ${'x'.repeat(5000)}` })).status).toBe(401);
    expect((await raw(url, 'GET', '/api/users', { authorization: 'Bearer s3cret-token-of-length' })).status).toBe(200);
  });

  it('When HOST is a name that merely starts with 127., then it is not loopback and needs a token', () => {
    expect(isLoopback('127.0.0.1.nip.io')).toBe(false);
    expect(isLoopback('127.evil.example')).toBe(false);
    expect(isLoopback('127.0.0.5')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(() => loadConfig({ HOST: '127.0.0.1.nip.io' })).toThrow(/STAGECRAFT_API_TOKEN is required when HOST \(127.0.0.1.nip.io\)/);
  });

  it('When a Host header is malformed, then it is no name at all', () => {
    expect(hostnameOf('a b')).toBeNull();
    expect(hostnameOf('[::1]:80')).toBe('::1');
    expect(hostnameOf('LocalHost:3000')).toBe('localhost');
    expect(hostnameOf(undefined)).toBeNull();
  });
});

describe('requests that must not take the companion down', () => {
  it('When the like pattern has many %, then it is matched without a regular expression, in time', () => {
    expect(likeMatches('%disc%', 'Discovery call')).toBe(true);
    expect(likeMatches('d_sc%', 'Discovery')).toBe(true);
    expect(likeMatches('%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b', 'a'.repeat(5000))).toBe(false);
    expect(likeMatches('a.c', 'abc')).toBe(false);
    expect(likeMatches('(x)+', '(x)+')).toBe(true);
    expect(likeMatches('', '')).toBe(true);
    expect(likeMatches('%', '')).toBe(true);
  });

  const graphql = (url: URL, query: string): Promise<RawAnswer> => raw(url, 'POST', '/api/ui/graphql', JSON_TYPE, JSON.stringify({ query }));

  it('When a GraphQL query nests relationships deep, uses many aliases or many fields, then it is refused before it runs', async () => {
    const url = await serve();
    const deep = `query { uiapi { query { Gate_Milestone__c { edges { node { ${'Stage_Gate__r { Gate_Milestones__r { edges { node { '.repeat(12)} Id ${'} } } }'.repeat(12)} } } } } } }`;
    const deepRes = await graphql(url, deep);
    expect(deepRes.status).toBe(200);
    expect(JSON.parse(deepRes.body)).toEqual({ data: null, errors: [{ message: 'The query nests deeper than 14 levels.' }] });
    const aliases = `query { uiapi { query { ${Array.from({ length: 31 }, (_, i) => `a${i}: Stage_Gate__c { edges { node { Id } } }`).join(' ')} } } }`;
    expect(JSON.parse((await graphql(url, aliases)).body).errors[0].message).toBe('The query uses more than 30 aliases.');
    const wide = `query { uiapi { query { Stage_Gate__c { edges { node { ${Array.from({ length: 1100 }, () => 'Id').join(' ')} } } } } } }`;
    expect(JSON.parse((await graphql(url, wide)).body).errors[0].message).toBe('The query selects more than 1000 fields.');
    const nestedWhere = `query { uiapi { query { Stage_Gate__c(where: ${'{ not: '.repeat(2000)}{ Id: { eq: "x" } }${' }'.repeat(2000)}) { edges { node { Id } } } } } }`;
    const whereRes = await graphql(url, nestedWhere);
    expect(whereRes.status).toBe(200);
    expect(JSON.parse(whereRes.body).data).toBeNull();
    // The components' own query still works.
    const ok = JSON.parse((await graphql(url, 'query { uiapi { query { Stage_Gate__c(first: 200) { edges { node { Id Gate_Milestones__r(first: 100) { edges { node { Id Name { value } } } } } } } } } }')).body);
    expect(ok.errors).toEqual([]);
    expect(ok.data.uiapi.query.Stage_Gate__c.edges.length).toBeGreaterThan(0);
  });

  it('When a GraphQL like filter holds many %, then the answer comes back and is right', async () => {
    const url = await serve();
    const res = JSON.parse((await graphql(url, `query { uiapi { query { Stage_Gate__c(first: 200, where: { Stage_Name__c: { like: "${'%a'.repeat(40)}%zzzz" } }) { edges { node { Id } } } } } }`)).body);
    expect(res).toEqual({ data: { uiapi: { query: { Stage_Gate__c: { edges: [] } } } }, errors: [] });
  });

  it('When lists are read again with nothing changed, then the same rows are reused; a change is seen at once', async () => {
    const url = await serve();
    const before = store!.version();
    const first = JSON.parse((await raw(url, 'GET', '/api/opportunities?limit=5')).body);
    expect(store!.version()).toBe(before);
    expect(first.records).toHaveLength(5);
    store!.update('Opportunity', first.records[0].Id, { Name: 'Renamed by a test' });
    expect(store!.version()).not.toBe(before);
    const again = JSON.parse((await raw(url, 'GET', `/api/opportunities?limit=5&q=${encodeURIComponent('Renamed by a test')}`)).body);
    expect(again.records.map((r: { Id: string }) => r.Id)).toEqual([first.records[0].Id]);
    // The same URL as before: the cached answer belonged to the previous org version.
    const same = JSON.parse((await raw(url, 'GET', '/api/opportunities?limit=5')).body);
    expect(same.records[0].Name).toBe('Renamed by a test');
    const cached = JSON.parse((await raw(url, 'GET', '/api/opportunities?limit=5')).body);
    expect(cached).toEqual(same);
    // A client holding the page's ETag (a browser revalidating its cache) gets 304 until the org changes.
    const etag = (await fetch(`${url.origin}/api/opportunities?limit=5`)).headers.get('etag')!;
    expect((await raw(url, 'GET', '/api/opportunities?limit=5', { 'if-none-match': etag })).status).toBe(304);
    store!.update('Opportunity', first.records[0].Id, { Name: 'Renamed again' });
    expect((await raw(url, 'GET', '/api/opportunities?limit=5', { 'if-none-match': etag })).status).toBe(200);
  });

  it('When a sync started through the API runs, then "already running" and health answer while it does', async () => {
    const url = await serve();
    const started = await raw(url, 'POST', '/api/sync', JSON_TYPE, '{}');
    expect(started.status).toBe(202);
    const again = await raw(url, 'POST', '/api/sync', JSON_TYPE, '{}');
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body).state).toBe('running');
    expect((await raw(url, 'GET', '/api/health')).status).toBe(200);
    await running!.sync.idle();
    const status = JSON.parse((await raw(url, 'GET', '/api/sync')).body);
    expect(status).toMatchObject({ state: 'idle', error: null });
    expect(status.last.opportunities).toBeGreaterThan(0);
  });
});
