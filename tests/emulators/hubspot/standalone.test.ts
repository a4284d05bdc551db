// The emulator as its own process (what multi-process tests start): prints its URL and token, serves the API, takes
// user edits over the admin route, stops on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrgStore } from '../../../server/src/crm/embedded/store.ts';
import { tempDir } from '../../support/org-files.ts';

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

const start = async (args: string[] = []): Promise<{ url: string; accessToken: string; portalId: number }> => {
  child = spawn(process.execPath, [fileURLToPath(new URL('./standalone.ts', import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HUBSPOT_EMULATOR_BURST: '50' } });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 60_000);
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]!);
      }
    });
    child!.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return JSON.parse(line) as { url: string; accessToken: string; portalId: number };
};

describe('standalone emulator', () => {
  it('prints {url, accessToken, portalId}, serves deals with the configured limit, takes changes, stops on SIGTERM', async () => {
    const { url, accessToken, portalId } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portalId).toBeGreaterThan(0);
    const res = await fetch(`${url}/crm/v3/objects/deals?properties=dealname`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('50');
    const body = (await res.json()) as { results: { id: string; properties: { dealname: string } }[] };
    expect(body.results.map((d) => d.properties.dealname)).toEqual(['Emulated Deal']);
    const change = await fetch(`${url}/__emulator/changes`, { method: 'POST', body: JSON.stringify({ changes: [{ op: 'update', objectType: 'deals', id: body.results[0]!.id, properties: { dealname: 'Renamed' } }] }) });
    expect(change.status).toBe(200);
    const again = (await (await fetch(`${url}/crm/v3/objects/deals/${body.results[0]!.id}?properties=dealname`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as { properties: { dealname: string } };
    expect(again.properties.dealname).toBe('Renamed');
    child!.kill('SIGTERM');
    const [code] = (await once(child!, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('loads an embedded org file given with --org', async () => {
    const file = join(tempDir('hs-standalone'), 'org.db');
    OrgStore.replace(file, (store) => {
      store.insert('User', [{ Id: '005000000000001AAA', Name: 'Rex Rep', FirstName: 'Rex', LastName: 'Rep', Email: 'rex@example.com', IsActive: true }]);
      store.insert('Account', [{ Id: '001000000000001AAA', Name: 'Acme', OwnerId: '005000000000001AAA' }]);
      store.insert('Opportunity', [{ Id: '006000000000001AAA', Name: 'Acme – Pro', AccountId: '001000000000001AAA', OwnerId: '005000000000001AAA', StageName: 'Qualification', CloseDate: '2026-06-30', CreatedDate: '2026-01-05T10:00:00.000Z', IsClosed: false, IsWon: false }]);
    });
    const { url, accessToken } = await start(['--org', file]);
    const auth = { headers: { Authorization: `Bearer ${accessToken}` } };
    const deals = (await (await fetch(`${url}/crm/v3/objects/deals?properties=dealname,hubspot_owner_id`, auth)).json()) as { results: { properties: { dealname: string; hubspot_owner_id: string } }[] };
    expect(deals.results.map((d) => d.properties.dealname)).toEqual(['Acme – Pro']);
    const owners = (await (await fetch(`${url}/crm/v3/owners`, auth)).json()) as { results: { id: string; email: string }[] };
    expect(owners.results.map((o) => o.email)).toEqual(['rex@example.com']);
    expect(deals.results[0]!.properties.hubspot_owner_id).toBe(owners.results[0]!.id);
  });
});
