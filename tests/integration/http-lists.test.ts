// The lists the pages browse, in-process over the seeded demo org: deals by owner scope, search and sort; list views of
// every object the embedded org holds (scorecards included) with their own scope; a manager's team; who attested;
// gate milestones removed through the UI API route; several records at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { seedDemoOrg } from '../../server/src/crm/embedded/demo/seed.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { loadPlaybook } from '../../server/src/playbook-store.ts';

let store: OrgStore;
let running: RunningServer;
let url = '';
let dir = '';

beforeAll(async () => {
  // One org for the whole file (seeding and a sync take seconds): its own folder, removed after the last test.
  dir = mkdtempSync(join(tmpdir(), 'stagecraft-lists-'));
  const file = join(dir, 'org.sqlite');
  seedDemoOrg(file, new Date());
  store = OrgStore.open(file);
  await runSync({ adapter: new EmbeddedAdapter(store), playbook: loadPlaybook(dir).playbook });
  running = await startServer({ store, dataDir: dir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
  url = running.url;
}, 400_000);

afterAll(async () => {
  await running?.stop();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string): Promise<any> => {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

/** A manager with direct reports, and one of those reps who owns open deals. */
const people = (): { manager: string; team: string[]; rep: string } => {
  const users = store.all('User');
  const manager = users.find((u) => users.some((r) => r.ManagerId === u.Id))!;
  const team = users.filter((u) => u.ManagerId === manager.Id).map((u) => String(u.Id));
  const open = store.all('Opportunity').filter((o) => o.IsClosed === false);
  const rep = team.find((id) => open.some((o) => o.OwnerId === id))!;
  return { manager: String(manager.Id), team, rep };
};

describe('deals by owner scope, search and sort', () => {
  it('When a rep asks for "mine", then exactly their open deals come back; "team" adds their teammates and nobody else', async () => {
    const { manager, team, rep } = people();
    const open = store.all('Opportunity').filter((o) => o.IsClosed === false);
    const mine = await get(`/api/opportunities?filter=IsClosed:equals:0&scope=mine&userId=${rep}&limit=500&fields=Name`);
    expect(mine.status).toBe(200);
    expect(mine.body.records.map((r: any) => r.Id).sort()).toEqual(open.filter((o) => o.OwnerId === rep).map((o) => o.Id).sort());
    const teams = await get(`/api/opportunities?filter=IsClosed:equals:0&scope=team&userId=${manager}&limit=1`);
    expect(teams.body.total).toBe(open.filter((o) => team.includes(String(o.OwnerId)) || o.OwnerId === manager).length);
    expect(teams.body.total).toBeGreaterThan(mine.body.total);
  });

  it('When searching, then every word must appear in the name, account or owner, in any case', async () => {
    const deal = store.all('Opportunity').find((o) => o.IsClosed === false)!;
    const owner = String(store.get('User', String(deal.OwnerId))!.Name);
    const found = await get(`/api/opportunities?filter=IsClosed:equals:0&q=${encodeURIComponent(`${String(deal.Name).toUpperCase()} ${owner.split(' ')[0]}`)}&limit=500&fields=Name,Owner.Name`);
    expect(found.body.records.map((r: any) => r.Id)).toContain(deal.Id);
    for (const r of found.body.records) expect(`${r.Name} ${r['Owner.Name']}`.toLowerCase()).toContain(owner.split(' ')[0]!.toLowerCase());
    const none = await get('/api/opportunities?q=zzqqxx-no-such-deal');
    expect(none.body.total).toBe(0);
  });

  it('When sorted by amount, descending, then amounts fall and blanks come last; an unknown sort column is a 400 naming it', async () => {
    const sorted = await get('/api/opportunities?filter=IsClosed:equals:0&sortBy=Amount&sortDir=desc&limit=500&fields=Amount');
    const amounts = sorted.body.records.map((r: any) => r.Amount);
    const firstBlank = amounts.findIndex((a: unknown) => a === null);
    const numbers = firstBlank < 0 ? amounts : amounts.slice(0, firstBlank);
    expect(numbers).toEqual([...numbers].sort((a: number, b: number) => b - a));
    if (firstBlank >= 0) expect(amounts.slice(firstBlank).every((a: unknown) => a === null)).toBe(true);
    const bad = await get('/api/opportunities?sortBy=Nope__c');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Nope__c');
    expect((await get('/api/opportunities?scope=everyone')).status).toBe(400);
  });
});

describe('list views of every stored object', () => {
  it('When the scorecard list views are read, then they answer 200 with current scorecards, no longer 409', async () => {
    const views = await get('/api/list-views');
    const scorecardViews = views.body.listViews.filter((v: any) => v.object === 'Rep_Scorecard__c');
    expect(scorecardViews.length).toBeGreaterThan(0);
    for (const v of scorecardViews) expect(v.available).toBe(true);
    const all = await get('/api/list-views/Rep_Scorecard__c/All?limit=500');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(store.count('Rep_Scorecard__c'));
    const rep = all.body.records[0];
    expect(rep['Rep__r.Name']).toBe(store.get('User', rep.Rep__c)!.Name);
  });

  it("When a manager opens \"My Team's Current Scorecards\", then the view's own Team scope applies: their reps' current cards only", async () => {
    const { manager, team } = people();
    const page = await get(`/api/list-views/Rep_Scorecard__c/Current_Period_My_Team?userId=${manager}&limit=500`);
    expect(page.body.scope).toBe('team');
    const expected = store.all('Rep_Scorecard__c').filter((c) => c.Is_Current__c === true && c.Manager__c === manager);
    expect(page.body.total).toBe(expected.length);
    for (const r of page.body.records) expect(team).toContain(r.Rep__c);
    const everyone = await get(`/api/list-views/Rep_Scorecard__c/Current_Period_My_Team?userId=${manager}&scope=everything&limit=1`);
    expect(everyone.body.total).toBeGreaterThan(page.body.total);
  });

  it('When a list view is sorted and paged, then pages follow the sort and filters come with their labels for the page to word them', async () => {
    const first = await get('/api/list-views/Opportunity/Missing_Next_Step?sortBy=Amount&sortDir=desc&limit=5');
    const second = await get('/api/list-views/Opportunity/Missing_Next_Step?sortBy=Amount&sortDir=desc&limit=5&offset=5');
    expect(first.body.sortBy).toBe('Amount');
    const amounts = [...first.body.records, ...second.body.records].map((r: any): number | null => r.Amount).filter((a): a is number => a !== null);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(first.body.listView.filterFields.map((f: any) => f.label)).toContain('Closed');
    expect((await get('/api/list-views/Opportunity/Missing_Next_Step?sortBy=Probability')).status).toBe(400);
  });

  it('When gate records are asked for as a list view, then 409 says they live in the playbook', async () => {
    const res = await get('/api/list-views/Stage_Gate__c/All');
    expect(res.status).toBe(409);
  });
});

describe("a manager's team", () => {
  it('When a manager is read with /team, then each direct report comes with current scores, change since last week, diagnosis and focus', async () => {
    const { manager, team } = people();
    const res = await get(`/api/users/${manager}/team`);
    expect(res.status).toBe(200);
    expect(res.body.members.map((m: any) => m.Id).sort()).toEqual([...team].sort());
    const scored = res.body.members.find((m: any) => m.scorecardId);
    const card = store.get('Rep_Scorecard__c', scored.scorecardId)!;
    expect(scored.scores.Behaviour_Score__c).toBe(card.Behaviour_Score__c);
    expect(scored.diagnosis).toBe(card.Coaching_Diagnosis__c);
    expect((await get('/api/users/005000000000zzzAAA/team')).status).toBe(404);
  });

  it("When the manager's Team_Scorecards related list is read, then it holds their reps' scorecards with the rep's name", async () => {
    const { manager, team } = people();
    const res = await get(`/api/ui/related-list-records/${manager}/Team_Scorecards__r?fields=Rep_Scorecard__c.Rep__r.Name,Rep_Scorecard__c.Rep__c&pageSize=200`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBeGreaterThan(0);
    for (const r of res.body.records) expect(team).toContain(r.fields.Rep__c.value);
    expect(res.body.records[0].fields.Rep__r.displayValue).toBe(store.get('User', res.body.records[0].fields.Rep__c.value)!.Name);
  });
});

describe('who did it, and records at once', () => {
  it('When the preview says who is acting, then the attestation records them as its author', async () => {
    const { rep } = people();
    const deal = store.all('Opportunity').find((o) => o.OwnerId === rep && o.IsClosed === false)!;
    const res = await fetch(`${url}/api/ui/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-stagecraft-user': rep },
      body: JSON.stringify({ apiName: 'Milestone_Attestation__c', fields: { Opportunity__c: deal.Id, Milestone_Key__c: 'close_plan_agreed', Note__c: 'Agreed the close plan with the CFO.' } }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as any;
    expect(store.get('Milestone_Attestation__c', created.id)!.CreatedById).toBe(rep);
  });

  it('When several records are read at once, then each comes back, and a missing one is a 404 entry rather than a failure', async () => {
    const deals = store.all('Opportunity').slice(0, 2).map((o) => String(o.Id));
    const res = await get(`/api/ui/records/batch/${[...deals, '006000000000zzzAAA'].join(',')}?optionalFields=Opportunity.Name`);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.statusCode)).toEqual([200, 200, 404]);
    expect(res.body.results[0].result.fields.Name.value).toBe(store.get('Opportunity', deals[0]!)!.Name);
  });

  it('When a gate milestone is deleted, then the playbook in force no longer has it; other records cannot be deleted', async () => {
    const gates = await fetch(`${url}/api/ui/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query { uiapi { query { Gate_Milestone__c(first: 200) { edges { node { Id Name { value } Milestone_Key__c { value } } } } } } }' }),
    });
    const nodes = ((await gates.json()) as any).data.uiapi.query.Gate_Milestone__c.edges.map((e: any) => e.node);
    const optional = loadPlaybook(dir).playbook.processes[0]!.stages.flatMap((s) => s.gate?.milestones ?? []).find((m) => !m.required) ?? loadPlaybook(dir).playbook.processes[0]!.stages.flatMap((s) => s.gate?.milestones ?? [])[0]!;
    const node = nodes.find((n: any) => n.Milestone_Key__c.value === optional.key);
    const res = await fetch(`${url}/api/ui/records/${node.Id}`, { method: 'DELETE' });
    expect([res.status, res.status === 204 ? null : await res.text()]).toEqual([204, null]);
    const keys = loadPlaybook(dir).playbook.processes.flatMap((p) => p.stages).flatMap((s) => s.gate?.milestones ?? []).map((m) => `${m.key}`);
    expect(keys.filter((k) => k === optional.key).length).toBeLessThan(nodes.filter((n: any) => n.Milestone_Key__c.value === optional.key).length);
    const deal = store.all('Opportunity')[0]!;
    expect((await fetch(`${url}/api/ui/records/${deal.Id}`, { method: 'DELETE' })).status).toBe(400);
  });
});
