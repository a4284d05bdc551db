// HubSpot app cards call the companion through `hubspot.fetch()`; HubSpot signs each request (v3) with the app's client
// secret. The companion answers a signed request that verifies — without the bearer token a script would need — and
// refuses a tampered or stale one even when it also carries a valid token.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { signV3 } from '../../server/src/webhooks/hubspot-signature.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const SECRET = 'hubspot-client-secret-for-tests';
const PUBLIC_URL = 'https://stagecraft.example.com';
const TOKEN = 'a-bearer-token-for-scripts-000000';
const OPP = '006bm00000LKJNNAA5';
const json = async (res: Response): Promise<any> => res.json();

let running: RunningServer | null = null;
let store: OrgStore | null = null;
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const serve = async (required = false): Promise<string> => {
  const dir = tempDir();
  const file = join(dir, 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date());
  store = OrgStore.open(file);
  running = await startServer({ store, dataDir: dir, apiToken: TOKEN, crm: 'embedded', logger: silentLogger, hubspotFetch: { clientSecret: SECRET, publicUrl: PUBLIC_URL, required } }, '127.0.0.1', 0);
  return running.url;
};

/** The headers HubSpot adds to a card's request, signed over the public URL the app's permitted URLs name. */
const signed = (method: string, path: string, body = '', at = Date.now(), secret = SECRET): Record<string, string> => ({
  'x-hubspot-request-timestamp': String(at),
  'x-hubspot-signature-v3': signV3(secret, method, `${PUBLIC_URL}${path}`, body, String(at)),
  ...(body ? { 'content-type': 'application/json' } : {}),
});

describe('hubspot.fetch() requests from the app cards', () => {
  it('When a card reads a deal with a valid signature, then the companion answers without the bearer token', async () => {
    const url = await serve();
    const path = `/api/opportunities/${OPP}`;
    const res = await fetch(`${url}${path}`, { headers: signed('GET', path) });
    expect(res.status).toBe(200);
    expect((await json(res)).Id).toBe(OPP);
    // The same read unsigned and without the token is still refused: the signature is what let the card in.
    expect((await fetch(`${url}${path}`)).status).toBe(401);
  });

  it('When a signed attestation carries a note, then the route receives the body the signature covered', async () => {
    const url = await serve();
    const body = JSON.stringify({ opportunityId: OPP, milestoneKey: 'economic_buyer', note: 'Met the CFO on Tuesday' });
    const res = await fetch(`${url}/api/attestations`, { method: 'POST', headers: signed('POST', '/api/attestations', body), body });
    expect(res.status).toBe(201);
    expect(JSON.stringify(await json(res))).toContain('Met the CFO on Tuesday');
  });

  it('When the body was tampered with after signing, then the request is refused even with a valid token', async () => {
    const url = await serve();
    const headers = signed('POST', '/api/sync', '{}');
    const res = await fetch(`${url}/api/sync`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TOKEN}` }, body: '{"asOf":"2020-01-01"}' });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toMatch(/signature does not match/);
  });

  it('When the signature was made with another secret or for another path, then it is refused', async () => {
    const url = await serve();
    const wrongSecret = await fetch(`${url}/api/opportunities/${OPP}`, { headers: signed('GET', `/api/opportunities/${OPP}`, '', Date.now(), 'not-the-secret') });
    expect(wrongSecret.status).toBe(401);
    const otherPath = await fetch(`${url}/api/users`, { headers: signed('GET', `/api/opportunities/${OPP}`) });
    expect(otherPath.status).toBe(401);
  });

  it('When the timestamp is more than five minutes old, then the replay is refused', async () => {
    const url = await serve();
    const path = `/api/opportunities/${OPP}`;
    const res = await fetch(`${url}${path}`, { headers: signed('GET', path, '', Date.now() - 6 * 60_000) });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toMatch(/older than 5 minutes/);
  });

  it('When the companion is configured for HubSpot only, then an unsigned request is refused even with the token', async () => {
    const url = await serve(true);
    const res = await fetch(`${url}/api/users`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toMatch(/X-HubSpot-Signature-v3 is missing/);
    const path = '/api/users';
    expect((await fetch(`${url}${path}`, { headers: signed('GET', path) })).status).toBe(200);
  });
});
