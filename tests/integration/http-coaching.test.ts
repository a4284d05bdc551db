// The coaching loop through the API the preview's stand-ins use: a manager creates a plan from a rep's diagnosis, sets
// a team goal, marks a deal inspected (UI API record writes, checked against the package metadata); the list views
// "Plans due for review" and "Deals not inspected in 30 days"; the inspected vs not analytics. In-process on port 0.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

let running: RunningServer | null = null;
let store: OrgStore | null = null;
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const REPS = ['005000000000101AAA', '005000000000102AAA', '005000000000103AAA'];
const MANAGER = '005000000000100AAA';
const TODAY = new Date().toISOString().slice(0, 10);
const daysFromToday = (n: number): string => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const serve = async (): Promise<string> => {
  const dataDir = tempDir();
  const file = join(dataDir, 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date());
  store = OrgStore.open(file);
  store.insert('User', [
    { Id: MANAGER, Name: 'Mara Manager', Title: 'Sales Manager', IsActive: true },
    ...REPS.map((Id, i) => ({ Id, Name: `Rep ${i + 1}`, Title: 'Account Executive', ManagerId: MANAGER, IsActive: true })),
  ]);
  store.all('Opportunity').forEach((o, i) => store!.update('Opportunity', String(o.Id), { OwnerId: REPS[i % REPS.length]!, CreatedById: REPS[i % REPS.length]! }));
  running = await startServer({ store, dataDir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
  return running.url;
};

const json = async (res: Response): Promise<any> => res.json();
const send = (url: string, method: string, body: unknown): Promise<Response> => fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const create = (url: string, apiName: string, fields: Record<string, unknown>): Promise<Response> => send(`${url}/api/ui/records`, 'POST', { apiName, fields });

describe('coaching records through the UI API', () => {
  it('When a manager creates a plan from a diagnosis, then it is stored active, listed on the rep, and a verdict typed by hand is refused', async () => {
    const url = await serve();
    const made = await create(url, 'Coaching_Plan__c', { Name: 'More conversations', Rep__c: REPS[0], Manager__c: MANAGER, Diagnosis__c: 'Will', Competency__c: 'discovery', Signal__c: 'meaningfulConversations', Actions__c: 'Two calling blocks a day', Target__c: 30, Start_Date__c: TODAY, Review_Date__c: daysFromToday(28) });
    expect(made.status).toBe(201);
    const plan = await json(made);
    expect(plan.fields.Status__c.value).toBe('Active');
    const list = await json(await fetch(`${url}/api/ui/related-list-records/${REPS[0]}/Coaching_Plans__r?fields=Coaching_Plan__c.Name,Coaching_Plan__c.Signal__c`));
    expect(list.records.map((r: any) => r.fields.Name.value)).toEqual(['More conversations']);

    const typed = await send(`${url}/api/ui/records/${plan.id}`, 'PATCH', { fields: { Verdict__c: 'Moved' } });
    expect(typed.status).toBe(400);
    expect((await json(typed)).output.fieldErrors.Verdict__c[0].message).toMatch(/measured by the Stagecraft companion/);
    const closing = await send(`${url}/api/ui/records/${plan.id}`, 'PATCH', { fields: { Status__c: 'Closed' } });
    expect((await json(closing)).output.fieldErrors.Outcome__c[0].message).toMatch(/say whether the plan worked/);
    const closed = await send(`${url}/api/ui/records/${plan.id}`, 'PATCH', { fields: { Status__c: 'Closed', Outcome__c: 'Worked' } });
    expect(closed.status).toBe(200);
    expect(store!.get('Coaching_Plan__c', plan.id)).toMatchObject({ Status__c: 'Closed', Outcome__c: 'Worked' });
  });

  it('When a plan or goal is bad input, then each field gets its own error and nothing is stored', async () => {
    const url = await serve();
    const bad = await create(url, 'Coaching_Plan__c', { Rep__c: '005000000000999AAA', Signal__c: 'dials', Start_Date__c: '31/12/2026', Target__c: 'lots' });
    expect(bad.status).toBe(400);
    const errors = (await json(bad)).output.fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(['Rep__c', 'Signal__c', 'Start_Date__c', 'Target__c']);
    const goal = await create(url, 'Team_Goal__c', { Manager__c: MANAGER, Signal__c: 'meaningfulConversations', Target_Per_Week__c: 8, Start_Date__c: TODAY, End_Date__c: daysFromToday(-1) });
    expect((await json(goal)).output.fieldErrors.End_Date__c[0].message).toMatch(/not be before the start date/);
    expect(store!.count('Coaching_Plan__c') + store!.count('Team_Goal__c')).toBe(0);
  });

  it('When a deal is marked inspected, then the inspection is dated now by the running user, and after a sync the deal leaves "Deals not inspected in 30 days"', async () => {
    const url = await serve();
    const views = await json(await fetch(`${url}/api/list-views`));
    expect(views.listViews.map((v: any) => `${v.object}.${v.name}`)).toEqual(expect.arrayContaining(['Opportunity.Not_Inspected_30_Days', 'Coaching_Plan__c.Plans_Due_For_Review']));
    const before = await json(await fetch(`${url}/api/list-views/Opportunity/Not_Inspected_30_Days?limit=500`));
    const open = store!.all('Opportunity').filter((o) => !o.IsClosed).length;
    expect(before.total).toBe(open);
    expect(before.records.map((r: any) => r.Id)).toContain(store!.all('Opportunity').find((o) => !o.IsClosed)!.Id);
    const deal = store!.all('Opportunity').find((o) => !o.IsClosed)!;
    const marked = await fetch(`${url}/api/ui/records`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-stagecraft-user': MANAGER }, body: JSON.stringify({ apiName: 'Deal_Inspection__c', fields: { Opportunity__c: deal.Id, Questions_Asked__c: 'Who signs?\nWhat happens if they do nothing?', Answer__c: 'The CFO signs.' } }) });
    expect(marked.status).toBe(201);
    const inspection = store!.all('Deal_Inspection__c')[0]!;
    expect(inspection).toMatchObject({ Opportunity__c: deal.Id, Inspected_By__c: MANAGER, Questions_Asked__c: 'Who signs?\nWhat happens if they do nothing?' });
    expect(Date.now() - Date.parse(String(inspection.Inspected_At__c))).toBeLessThan(60_000);
    const related = await json(await fetch(`${url}/api/ui/related-list-records/${String(deal.Id)}/Deal_Inspections__r?fields=Deal_Inspection__c.Answer__c`));
    expect(related.records.map((r: any) => r.fields.Answer__c.value)).toEqual(['The CFO signs.']);

    await send(`${url}/api/sync`, 'POST', {});
    await running!.sync.idle();
    expect(store!.get('Opportunity', String(deal.Id))!.Last_Inspected__c).toBe(TODAY);
    const after = await json(await fetch(`${url}/api/list-views/Opportunity/Not_Inspected_30_Days?limit=500`));
    expect(after.total).toBe(open - 1);
    expect(after.records.map((r: any) => r.Id)).not.toContain(deal.Id);

    const analytics = await json(await fetch(`${url}/api/analytics/inspection`));
    expect(analytics.coverage.team).toMatchObject({ openDeals: open, inspected: 1 });
    expect(analytics.winRates).toMatchObject({ windowDays: 365, inspected: { closed: 0 } });
  });

  it('When a plan\'s review date has come, then it is in "Plans due for review"; a closed one or a later one is not', async () => {
    const url = await serve();
    const plan = (name: string, review: string, status = 'Active') => create(url, 'Coaching_Plan__c', { Name: name, Rep__c: REPS[1], Signal__c: 'executiveConversations', Start_Date__c: daysFromToday(-30), Review_Date__c: review, Status__c: status, ...(status === 'Closed' ? { Outcome__c: 'Did_Not_Work' } : {}) });
    for (const r of await Promise.all([plan('Due today', TODAY), plan('Overdue', daysFromToday(-3)), plan('Later', daysFromToday(5)), plan('Closed', daysFromToday(-3), 'Closed')])) expect(r.status).toBe(201);
    const due = await json(await fetch(`${url}/api/list-views/Coaching_Plan__c/Plans_Due_For_Review`));
    expect(due.records.map((r: any) => r.Name).sort()).toEqual(['Due today', 'Overdue']);
  });
});
