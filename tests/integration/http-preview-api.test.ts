// The API the preview's stand-ins use beyond plain records: UI API GraphQL over the gate configuration (derived from
// the playbook in force), gate milestone edits that become playbook edits, quarterly reviews, the rep's related
// lists, and the org analytics. In-process on 127.0.0.1 port 0 over the fixture org.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { gateKey } from '../../server/src/crm/gate-records.ts';
import { gateIdOf, milestoneIdOf } from '../../server/src/http/gate-config.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { playbookFile } from '../../server/src/playbook-store.ts';
import { milestoneBacktest, stageConversion } from '../../shared/src/engine/analytics.ts';
import { flagBacktest } from '../../shared/src/engine/flag-backtest.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

let running: RunningServer | null = null;
let store: OrgStore | null = null;
let dataDir = '';
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const serve = async (): Promise<string> => {
  dataDir = tempDir();
  const file = join(dataDir, 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date());
  store = OrgStore.open(file);
  addReps(store);
  running = await startServer({ store, dataDir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
  return running.url;
};

/** The fixture export has no User.csv: give its deals three reps under one manager, so reps can be scored. */
const REPS = ['005000000000101AAA', '005000000000102AAA', '005000000000103AAA'];
const MANAGER = '005000000000100AAA';
const addReps = (org: OrgStore): void => {
  org.insert('User', [
    { Id: MANAGER, Name: 'Mara Manager', Title: 'Sales Manager', IsActive: true },
    ...REPS.map((Id, i) => ({ Id, Name: `Rep ${i + 1}`, Title: 'Account Executive', ManagerId: MANAGER, IsActive: true })),
  ]);
  org.all('Opportunity').forEach((o, i) => org.update('Opportunity', String(o.Id), { OwnerId: REPS[i % REPS.length]!, CreatedById: REPS[i % REPS.length]! }));
};

const json = async (res: Response): Promise<any> => res.json();
const send = (url: string, method: string, body: unknown): Promise<Response> => fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const graphql = async (url: string, query: string): Promise<any> => json(await send(`${url}/api/ui/graphql`, 'POST', { query }));

const GATES_QUERY = `query stageGates { uiapi { query {
  Stage_Gate__c(first: 200, orderBy: { Sales_Process__c: { order: ASC }, Stage_Order__c: { order: ASC } }) { edges { node {
    Id Name { value } Stage_Name__c { value } Stage_Order__c { value }
    Gate_Milestones__r(first: 100, orderBy: { Sort_Order__c: { order: ASC } }) { edges { node { Id Milestone_Key__c { value } Name { value } Rule_Kind__c { value displayValue } Rule_Window_Days__c { value } Required__c { value } } } }
  } } } } } }`;

const standard = DEFAULT_PLAYBOOK.processes.find((p) => p.name === 'Standard')!;
const needsAnalysis = standard.stages.find((s) => s.gate.milestones.some((m) => m.rule.kind === 'stakeholders'))!;
const windowed = needsAnalysis.gate.milestones.find((m) => m.rule.kind === 'stakeholders')!;
const windowedId = milestoneIdOf(gateKey('Standard', needsAnalysis.name), windowed.key);

describe('UI API GraphQL over the gate configuration', () => {
  it('When the designer asks for every gate with its milestones, then they come from the playbook in force, in stage and sort order, with stable ids', async () => {
    const url = await serve();
    const body = await graphql(url, GATES_QUERY);
    expect(body.errors).toEqual([]);
    const gates = body.data.uiapi.query.Stage_Gate__c.edges.map((e: any) => e.node);
    expect(gates.map((g: any) => g.Stage_Name__c.value)).toEqual(standard.stages.map((s) => s.name));
    expect(gates.map((g: any) => g.Id)).toEqual(standard.stages.map((s) => gateIdOf(gateKey('Standard', s.name))));
    const gate = gates.find((g: any) => g.Stage_Name__c.value === needsAnalysis.name);
    const milestones = gate.Gate_Milestones__r.edges.map((e: any) => e.node);
    expect(milestones.map((m: any) => m.Milestone_Key__c.value)).toEqual(needsAnalysis.gate.milestones.map((m) => m.key));
    const node = milestones.find((m: any) => m.Id === windowedId);
    expect(node.Rule_Window_Days__c.value).toBe((windowed.rule as { window: number }).window);
    expect(node.Rule_Kind__c).toEqual({ value: 'Stakeholders_Engaged', displayValue: expect.any(String) });
    // The same ids on a second read: the designer's edits address records by them.
    expect((await graphql(url, GATES_QUERY)).data).toEqual(body.data);
  });

  it('When a query filters, orders with nulls last and follows a parent relationship, then the answer honours each', async () => {
    const url = await serve();
    const body = await graphql(url, `query { uiapi { query { Gate_Milestone__c(first: 3, where: { Required__c: { eq: false } }, orderBy: { Name: { order: DESC } }) {
      edges { node { Name { value } Required__c { value } Stage_Gate__r { Stage_Name__c { value } } } } totalCount } } } }`);
    const optional = standard.stages.flatMap((s) => s.gate.milestones.filter((m) => !m.required).map((m) => ({ label: m.label, stage: s.name })));
    expect(body.data.uiapi.query.Gate_Milestone__c.totalCount).toBe(optional.length);
    const nodes = body.data.uiapi.query.Gate_Milestone__c.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.Name.value)).toEqual(optional.map((o) => o.label).sort((a, b) => b.localeCompare(a)).slice(0, 3));
    expect(nodes.every((n: any) => n.Required__c.value === false)).toBe(true);
    for (const n of nodes) expect(n.Stage_Gate__r.Stage_Name__c.value).toBe(optional.find((o) => o.label === n.Name.value)!.stage);
  });

  it('When a query names a field or object the preview does not have, then GraphQL errors name it', async () => {
    const url = await serve();
    const unknownField = await graphql(url, 'query { uiapi { query { Stage_Gate__c { edges { node { Nope__c { value } } } } } } }');
    expect(unknownField.errors[0].message).toContain("Field 'Nope__c' is not defined on Stage_Gate__c");
    const unknownObject = await graphql(url, 'query { uiapi { query { Account { edges { node { Id } } } } } }');
    expect(unknownObject.errors[0].message).toContain('Account');
    const broken = await graphql(url, 'query { uiapi { ');
    expect(broken.data).toBeNull();
    expect(broken.errors[0].message).toMatch(/Syntax Error/);
  });
});

describe('gate milestone edits become playbook edits', () => {
  it('When a milestone is renamed, then the playbook in force changes in that milestone only and the next read shows it', async () => {
    const url = await serve();
    const res = await send(`${url}/api/ui/records/${windowedId}`, 'PATCH', { fields: { Name: 'Two or more people engaged' } });
    expect(res.status).toBe(200);
    expect((await json(res)).fields.Name.value).toBe('Two or more people engaged');
    const { playbook, source } = await json(await fetch(`${url}/api/playbook`));
    expect(source).toBe('file');
    const expected = structuredClone(DEFAULT_PLAYBOOK);
    expected.processes[0]!.stages.find((s) => s.name === needsAnalysis.name)!.gate.milestones.find((m) => m.key === windowed.key)!.label = 'Two or more people engaged';
    expect(playbook).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('When an edit breaks the rule (window 0), then 400 in the UI API record-error shape names the field and the playbook path, and nothing is saved', async () => {
    const url = await serve();
    const res = await send(`${url}/api/ui/records/${windowedId}`, 'PATCH', { fields: { Rule_Window_Days__c: 0 } });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.enhancedErrorType).toBe('RecordError');
    const stageIndex = standard.stages.indexOf(needsAnalysis);
    const milestoneIndex = needsAnalysis.gate.milestones.indexOf(windowed);
    expect(body.output.fieldErrors.Rule_Window_Days__c[0]).toMatchObject({
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      field: 'Rule_Window_Days__c',
      message: `processes[0].stages[${stageIndex}].gate.milestones[${milestoneIndex}].rule.window: must be > 0`,
    });
    expect(existsSync(playbookFile(dataDir))).toBe(false);
    expect((await json(await fetch(`${url}/api/playbook`))).source).toBe('default');
  });

  it('When a written-back or unknown field is sent, then it is refused before anything applies', async () => {
    const url = await serve();
    const body = await json(await send(`${url}/api/ui/records/${windowedId}`, 'PATCH', { fields: { Lift__c: 9, Nope__c: 1, Milestone_Key__c: 'other' } }));
    expect(Object.keys(body.output.fieldErrors).sort()).toEqual(['Lift__c', 'Milestone_Key__c', 'Nope__c']);
    expect(body.output.fieldErrors.Lift__c[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(existsSync(playbookFile(dataDir))).toBe(false);
  });

  it('When a milestone is added to a gate, then it is saved at the end of the gate; a second with the same key is a duplicate', async () => {
    const url = await serve();
    const gateId = gateIdOf(gateKey('Standard', needsAnalysis.name));
    const fields = { Stage_Gate__c: gateId, Milestone_Key__c: 'pricing_discussed', Name: 'Pricing discussed', Rule_Kind__c: 'Attested', Required__c: false, Weight__c: 1, Guidance__c: 'Walk the buyer through pricing.', Attestable__c: true };
    const res = await send(`${url}/api/ui/records`, 'POST', { apiName: 'Gate_Milestone__c', fields });
    expect(res.status).toBe(201);
    expect((await json(res)).id).toBe(milestoneIdOf(gateKey('Standard', needsAnalysis.name), 'pricing_discussed'));
    const { playbook } = await json(await fetch(`${url}/api/playbook`));
    const milestones = playbook.processes[0].stages.find((s: any) => s.name === needsAnalysis.name).gate.milestones;
    expect(milestones.at(-1)).toMatchObject({ key: 'pricing_discussed', label: 'Pricing discussed', required: false, attestable: true, rule: { kind: 'attested' } });
    expect(milestones).toHaveLength(needsAnalysis.gate.milestones.length + 1);
    const again = await send(`${url}/api/ui/records`, 'POST', { apiName: 'Gate_Milestone__c', fields });
    expect(again.status).toBe(400);
    expect((await json(again)).output.fieldErrors.Milestone_Key__c[0].errorCode).toBe('DUPLICATE_VALUE');
  });
});

describe('quarterly reviews and the rep related lists', () => {
  it('When a review is created and then edited, then the rep related list shows it with the saved text; the companion-owned actuals are refused', async () => {
    const url = await serve();
    const rep = store!.all('User').find((u) => store!.all('Opportunity').some((o) => o.OwnerId === u.Id))!;
    const created = await send(`${url}/api/ui/records`, 'POST', { apiName: 'Quarterly_Review__c', fields: { Name: `${String(rep.Name)} — 2026-Q4`, Review_Key__c: `${String(rep.Id)}:2026-Q4`, Rep__c: rep.Id, Quarter__c: '2026-Q4', Status__c: 'Draft', What_Worked__c: 'Discovery calls' } });
    expect(created.status).toBe(201);
    const id = (await json(created)).id;
    const updated = await send(`${url}/api/ui/records/${id}`, 'PATCH', { fields: { Lessons_Learned__c: 'Book the exec early', Status__c: 'Submitted' } });
    expect(updated.status).toBe(200);
    const list = await json(await fetch(`${url}/api/ui/related-list-records/${String(rep.Id)}/Quarterly_Reviews__r?fields=Quarterly_Review__c.Quarter__c,Quarterly_Review__c.Status__c,Quarterly_Review__c.What_Worked__c,Quarterly_Review__c.Lessons_Learned__c`));
    expect(list.count).toBe(1);
    expect(list.records[0].fields).toMatchObject({ Quarter__c: { value: '2026-Q4' }, Status__c: { value: 'Submitted' }, What_Worked__c: { value: 'Discovery calls' }, Lessons_Learned__c: { value: 'Book the exec early' } });
    const owned = await json(await send(`${url}/api/ui/records/${id}`, 'PATCH', { fields: { Measured_Actuals__c: '[]' } }));
    expect(owned.output.fieldErrors.Measured_Actuals__c[0].errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const badStatus = await json(await send(`${url}/api/ui/records/${id}`, 'PATCH', { fields: { Status__c: 'Approved' } }));
    expect(badStatus.output.fieldErrors.Status__c[0].errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const duplicate = await send(`${url}/api/ui/records`, 'POST', { apiName: 'Quarterly_Review__c', fields: { Review_Key__c: `${String(rep.Id)}:2026-Q4`, Rep__c: rep.Id, Quarter__c: '2026-Q4' } });
    expect(duplicate.status).toBe(400);
    expect((await json(duplicate)).output.fieldErrors.Review_Key__c[0].errorCode).toBe('DUPLICATE_VALUE');
  });

  it('When the scorecards related list is sorted by period start descending, then the latest period comes first', async () => {
    const url = await serve();
    await send(`${url}/api/sync`, 'POST', {});
    await running!.sync.idle();
    const cards = store!.all('Rep_Scorecard__c');
    expect(cards.length).toBeGreaterThan(0);
    const rep = String(cards[0]!.Rep__c);
    const own = cards.filter((c) => c.Rep__c === rep).map((c) => String(c.Period_Start__c)).sort().reverse();
    const list = await json(await fetch(`${url}/api/ui/related-list-records/${rep}/Rep_Scorecards__r?fields=Rep_Scorecard__c.Period_Start__c,Rep_Scorecard__c.Score_Breakdown__c&sortBy=-Rep_Scorecard__c.Period_Start__c&pageSize=2`));
    expect(list.count).toBe(own.length);
    expect(list.records.map((r: any) => r.fields.Period_Start__c.value)).toEqual(own.slice(0, 2));
    const bad = await fetch(`${url}/api/ui/related-list-records/${rep}/Rep_Scorecards__r?sortBy=-Rep_Scorecard__c.Nope__c`);
    expect(bad.status).toBe(400);
  });
});

describe('org analytics', () => {
  it('When conversion and backtest are asked, then they equal the engine over the same org as of the same moment', async () => {
    const url = await serve();
    const conversion = await json(await fetch(`${url}/api/analytics/conversion`));
    const backtest = await json(await fetch(`${url}/api/analytics/backtest`));
    const read = await new EmbeddedAdapter(store!).read(conversion.asOf);
    expect(conversion.processes).toEqual(JSON.parse(JSON.stringify(stageConversion(read.snapshot, DEFAULT_PLAYBOOK, conversion.asOf))));
    expect(backtest).toEqual(JSON.parse(JSON.stringify(milestoneBacktest(read.snapshot, DEFAULT_PLAYBOOK, conversion.asOf))));
    const flags = await json(await fetch(`${url}/api/analytics/flags`));
    expect(flags).toEqual(JSON.parse(JSON.stringify(flagBacktest(read.snapshot, DEFAULT_PLAYBOOK, conversion.asOf))));
    expect(flags.flags.map((f: any) => f.flag)).toEqual(['Single_Threaded', 'No_Executive', 'Stalled', 'No_Next_Step', 'Gate_Skipped', 'Close_Date_Slipped', 'No_Recent_Activity']);
  });

  it('When the heat map is asked, then every scored rep appears once with a 0–100 score per competency', async () => {
    const url = await serve();
    const heatmap = await json(await fetch(`${url}/api/analytics/heatmap`));
    expect(heatmap.competencies.map((c: any) => c.key)).toEqual(['pipeline', 'accountCoverage', 'discovery', 'stakeholderEngagement', 'executiveAccess', 'growth']);
    const reps = heatmap.teams.flatMap((t: any) => t.reps);
    expect(reps.length).toBeGreaterThan(0);
    expect(new Set(reps.map((r: any) => r.repId)).size).toBe(reps.length);
    for (const r of reps) for (const c of heatmap.competencies) expect(r.scores[c.key]).toBeGreaterThanOrEqual(0), expect(r.scores[c.key]).toBeLessThanOrEqual(100);
  });

  it('When a sync has stored scorecards, then the heat map shows exactly the current scorecards and the User fields, as of that sync', async () => {
    const url = await serve();
    const asOf = '2026-02-16T12:00:00.000Z';
    expect((await send(`${url}/api/sync`, 'POST', { asOf })).status).toBe(202);
    await running!.sync.idle();
    const heatmap = await json(await fetch(`${url}/api/analytics/heatmap`));
    expect(heatmap).toMatchObject({ source: 'scorecards', asOf });
    const reps = heatmap.teams.flatMap((t: any) => t.reps);
    const current = store!.all('Rep_Scorecard__c').filter((r) => r.Is_Current__c === true);
    expect(reps.map((r: any) => r.repId).sort()).toEqual(current.map((r) => String(r.Rep__c)).sort());
    const fields = { pipeline: 'Pipeline_Score__c', accountCoverage: 'Account_Coverage_Score__c', discovery: 'Discovery_Score__c', stakeholderEngagement: 'Stakeholder_Engagement_Score__c', executiveAccess: 'Executive_Access_Score__c', growth: 'Growth_Score__c' };
    for (const rep of reps) {
      const card = current.find((r) => r.Rep__c === rep.repId)!;
      const user = store!.get('User', rep.repId)!;
      for (const [key, field] of Object.entries(fields)) {
        expect(rep.scores[key]).toBe(card[field]);
        expect(rep.scores[key]).toBe(user[field]);
      }
      expect([rep.composite, rep.diagnosis]).toEqual([card.Behaviour_Score__c, card.Coaching_Diagnosis__c]);
      expect([rep.composite, rep.diagnosis]).toEqual([user.Behaviour_Score__c, user.Coaching_Diagnosis__c]);
    }
  });
});
