// The companion's HTTP API, in-process on 127.0.0.1 port 0.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

let running: RunningServer | null = null;
let store: OrgStore | null = null;
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const serve = async (apiToken: string | null = null): Promise<string> => {
  const file = join(tempDir(), 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date());
  store = OrgStore.open(file);
  running = await startServer({ store, dataDir: tempDir(), apiToken, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
  return running.url;
};

describe('companion HTTP API', () => {
  it('When health is asked, then it answers ok with the org size', async () => {
    const url = await serve();
    const body = await (await fetch(`${url}/api/health`)).json();
    expect(body).toMatchObject({ status: 'ok', crm: 'embedded', org: { opportunities: 36 } });
  });

  it('When an opportunity is read, then its fields come back, Stagecraft fields included', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/opportunities/006bm00000LKJNNAA5`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Id: '006bm00000LKJNNAA5', StageName: 'Qualification', Stakeholders_Engaged__c: null });
  });

  it('When the record does not exist, then 404 with a clear message and no stack', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/users/005000000000000AAA`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { name: 'NotFound', message: 'User 005000000000000AAA not found' } });
  });

  it('When the id is malformed, then 400 names the failing parameter', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/opportunities/not-an-id`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^params\.id: /);
  });

  it('When a token is configured, then API calls without it get 401 and with it succeed; health stays open', async () => {
    const url = await serve('s3cret-token-of-length');
    expect((await fetch(`${url}/api/opportunities/006bm00000LKJNNAA5`)).status).toBe(401);
    expect((await fetch(`${url}/api/opportunities/006bm00000LKJNNAA5`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/api/opportunities/006bm00000LKJNNAA5`, { headers: { authorization: 'Bearer s3cret-token-of-length' } })).status).toBe(200);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });
});
