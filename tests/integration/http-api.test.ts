// The companion API's resources, security and operations, in-process on 127.0.0.1 port 0 over the fixture org.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

let running: RunningServer | null = null;
let store: OrgStore | null = null;
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const serve = async (options: { apiToken?: string | null; rateLimit?: { reads: number; writes: number } } = {}): Promise<string> => {
  const dir = tempDir();
  const file = join(dir, 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date());
  store = OrgStore.open(file);
  running = await startServer({ store, dataDir: dir, apiToken: options.apiToken ?? null, crm: 'embedded', logger: silentLogger, rateLimit: options.rateLimit }, '127.0.0.1', 0);
  return running.url;
};

const json = async (res: Response): Promise<any> => res.json();
const OPP = '006bm00000LKJNNAA5';

const syncAndWait = async (url: string): Promise<any> => {
  const started = await fetch(`${url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(started.status).toBe(202);
  for (;;) {
    const status = await json(await fetch(`${url}/api/sync`));
    if (status.state !== 'running') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('opportunities filtered like list views', () => {
  it('When filtered on an indicator and a standard field, then exactly the matching deals come back with the asked fields', async () => {
    const url = await serve();
    await syncAndWait(url);
    const all = store!.all('Opportunity');
    const expected = all.filter((o) => o.IsClosed === false && o.Executive_Engaged__c === false).map((o) => o.Id).sort();
    const body = await json(await fetch(`${url}/api/opportunities?filter=OPPORTUNITY.CLOSED:equals:0&filter=Executive_Engaged__c:equals:0&limit=500&fields=Name,StageName`));
    expect(body.total).toBe(expected.length);
    expect(body.records.map((r: { Id: string }) => r.Id).sort()).toEqual(expected);
    expect(Object.keys(body.records[0]).sort()).toEqual(['Id', 'Name', 'StageName']);
  });

  it('When a boolean filter combines terms with OR, then deals matching either come back', async () => {
    const url = await serve();
    const body = await json(await fetch(`${url}/api/opportunities?filter=StageName:equals:Qualification&filter=StageName:equals:Closed%20Won&booleanFilter=1%20OR%202&limit=500`));
    const expected = store!.all('Opportunity').filter((o) => o.StageName === 'Qualification' || o.StageName === 'Closed Won').length;
    expect(expected).toBeGreaterThan(0);
    expect(body.total).toBe(expected);
  });

  it('When the operation is unknown or the limit is out of range, then 400 names the failing query parameter', async () => {
    const url = await serve();
    const bad = await fetch(`${url}/api/opportunities?filter=Gate_Status__c:like:At_Risk`);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/^query\.filter: operation must be one of/);
    const limit = await fetch(`${url}/api/opportunities?limit=501`);
    expect(limit.status).toBe(400);
    expect((await json(limit)).error.message).toMatch(/^query\.limit: /);
  });

  it('When a filter names a field the object does not have, then 400 says which', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/opportunities?filter=Nope__c:equals:1`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('Nope__c');
  });

  it('When a list view is read, then its rows have exactly its columns and only deals its filters select', async () => {
    const url = await serve();
    await syncAndWait(url);
    const body = await json(await fetch(`${url}/api/list-views/Opportunity/Missing_Next_Step?limit=500`));
    const expected = store!.all('Opportunity').filter((o) => o.IsClosed === false && o.Next_Step_Set__c === false && o.Indicators_As_Of__c !== null).map((o) => o.Id).sort();
    expect(body.total).toBe(expected.length);
    expect(body.records.map((r: { Id: string }) => r.Id).sort()).toEqual(expected);
    expect(body.listView.columns.map((c: { apiName: string }) => c.apiName)).toEqual(['Name', 'Account.Name', 'Owner.Name', 'StageName', 'Amount', 'CloseDate', 'Next_Step_Set__c', 'Days_In_Stage__c', 'Next_Best_Action__c']);
  });

  it('When a list view of an object the embedded org does not hold is read, then 409 says so', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/list-views/Stage_Gate__c/All`);
    expect(res.status).toBe(409);
    expect((await fetch(`${url}/api/list-views/Opportunity/Nope`)).status).toBe(404);
  });
});

describe('one deal, attestations and sync', () => {
  it('When a deal is read after a sync, then its checklist is parsed and matches the stored JSON', async () => {
    const url = await serve();
    await syncAndWait(url);
    const body = await json(await fetch(`${url}/api/opportunities/${OPP}`));
    expect(body.checklist).toEqual(JSON.parse(String(store!.get('Opportunity', OPP)!.Gate_Checklist__c)));
    expect(body.checklist.v).toBe(1);
    expect(body.attestations).toEqual([]);
  });

  it('When an attestation is created, then 201 returns the stored record and the deal lists it', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ opportunityId: OPP, milestoneKey: 'decision_criteria_clarified', note: 'CFO named price, security and SSO on the 3 March call' }) });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({ Opportunity__c: OPP, Milestone_Key__c: 'decision_criteria_clarified' });
    expect(created.Id).toMatch(/^a0C/);
    const deal = await json(await fetch(`${url}/api/opportunities/${OPP}`));
    expect(deal.attestations.map((a: { Id: string }) => a.Id)).toEqual([created.Id]);
  });

  it('When an attestation has a blank note or an unknown deal, then 400 names the field and nothing is stored', async () => {
    const url = await serve();
    const post = (body: unknown) => fetch(`${url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const blank = await post({ opportunityId: OPP, milestoneKey: 'x', note: '   ' });
    expect(blank.status).toBe(400);
    expect((await json(blank)).error.message).toMatch(/^body\.note: /);
    const unknown = await post({ opportunityId: '006000000000000AAA', milestoneKey: 'x', note: 'n' });
    expect(unknown.status).toBe(400);
    const extra = await post({ opportunityId: OPP, milestoneKey: 'x', note: 'n', admin: true });
    expect(extra.status).toBe(400);
    expect(store!.count('Milestone_Attestation__c')).toBe(0);
  });

  it('When a sync is already running, then a second start does not start another and reports it running', async () => {
    const url = await serve();
    const first = running!.sync.start();
    const second = running!.sync.start();
    expect(first.started).toBe(true);
    expect(second).toMatchObject({ started: false, status: { state: 'running' } });
    await running!.sync.idle();
    const status = await json(await fetch(`${url}/api/sync`));
    expect(status.state).toBe('idle');
    expect(status.last.opportunities).toBeGreaterThan(0);
  });
});

describe('UI API shape for the preview', () => {
  it('When fields are asked, then values come as { value, displayValue }, relationships nested', async () => {
    const url = await serve();
    const body = await json(await fetch(`${url}/api/ui/records/${OPP}?fields=Opportunity.StageName,Opportunity.Account.Name&optionalFields=Opportunity.Nope__c`));
    expect(body).toMatchObject({ apiName: 'Opportunity', id: OPP, fields: { StageName: { value: 'Qualification' } } });
    const accountName = store!.get('Account', String(store!.get('Opportunity', OPP)!.AccountId))!.Name;
    expect(accountName).toBeTruthy();
    expect(body.fields.Account.value.fields.Name.value).toBe(accountName);
    expect(body.fields.Account.displayValue).toBe(accountName);
    expect(body.fields.Nope__c).toBeUndefined();
  });

  it('When a required field does not exist, then 400 names it', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/ui/records/${OPP}?fields=Opportunity.Nope__c`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain('Opportunity.Nope__c');
  });

  it('When createRecord posts an attestation, then it is stored and returned in UI API shape', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/ui/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiName: 'Milestone_Attestation__c', fields: { Opportunity__c: OPP, Milestone_Key__c: 'next_step_set', Note__c: 'Demo booked' } }) });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.apiName).toBe('Milestone_Attestation__c');
    expect(body.fields.Note__c.value).toBe('Demo booked');
    const other = await fetch(`${url}/api/ui/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiName: 'Opportunity', fields: {} }) });
    expect(other.status).toBe(400);
  });
});

describe('playbook', () => {
  it('When the playbook is read, then the default is in force', async () => {
    const url = await serve();
    const body = await json(await fetch(`${url}/api/playbook`));
    expect(body.source).toBe('default');
  });

  it('When a valid playbook is dry-run, then the effect comes back and nothing is saved', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/playbook?dryRun=true`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEFAULT_PLAYBOOK_INPUT) });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ ok: true, saved: false });
    expect(body.effect.length).toBeGreaterThan(0);
    expect((await json(await fetch(`${url}/api/playbook`))).source).toBe('default');
  });

  it('When a playbook is broken, then 400 lists every error with its path and the old one stays', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/playbook`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...DEFAULT_PLAYBOOK_INPUT, processes: 'nope' }) });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.ok).toBe(false);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.error.message).toContain('processes');
    expect((await json(await fetch(`${url}/api/playbook`))).source).toBe('default');
  });
});

describe('security and operations', () => {
  it('When a token is configured, then metrics need it too and a wrong one of the same length is refused', async () => {
    const url = await serve({ apiToken: 'a-token-of-twenty-chars' });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/api/users`, { headers: { authorization: 'Bearer a-token-of-twenty-charX' } })).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer a-token-of-twenty-chars' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('stagecraft_http_requests_total');
  });

  it('When a response is sent, then helmet headers and a strict script CSP are on it', async () => {
    const url = await serve();
    const res = await fetch(`${url}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('When the body is over the limit or not JSON, then 413 or 400 without a stack', async () => {
    const url = await serve();
    const big = await fetch(`${url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x'.repeat(300_000) }) });
    expect(big.status).toBe(413);
    const broken = await fetch(`${url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(await json(broken))).not.toMatch(/at .*\.ts/);
  });

  it('When a client goes over the write limit, then 429', async () => {
    const url = await serve({ rateLimit: { reads: 100, writes: 2 } });
    const post = () => fetch(`${url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect((await post()).status).toBe(400);
    expect((await post()).status).toBe(400);
    const third = await post();
    expect(third.status).toBe(429);
    expect((await json(third)).error.name).toBe('TooManyRequests');
  });

  it('When the server stops during a sync, then stop waits for the sync to finish', async () => {
    const url = await serve();
    await fetch(`${url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await running!.stop();
    expect(running!.sync.current().state).toBe('idle');
    expect(running!.sync.current().last?.asOf).toBeDefined();
    running = null;
  });
});
