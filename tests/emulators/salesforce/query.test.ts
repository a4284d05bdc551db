import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from './index.ts';
import { API_VERSION, api, connect, seedOpportunities, soql } from './helpers.ts';

let emu: SalesforceEmulator;
beforeEach(async () => { emu = await startSalesforceEmulator({ now: () => new Date('2026-03-15T12:00:00Z') }); });
afterEach(async () => { await emu.stop(); });

describe('query paging', () => {
  it('When 4,500 records are queried with fetch, then pages of 2,000, 2,000 and 500 follow nextRecordsUrl to done', async () => {
    seedOpportunities(emu, 4500);
    const sizes: number[] = [];
    let body = (await (await soql(emu, 'SELECT Id, Name FROM Opportunity ORDER BY Name')).json()) as { totalSize: number; done: boolean; nextRecordsUrl?: string; records: { Name: string; attributes: { type: string; url: string } }[] };
    const names: string[] = [];
    for (;;) {
      expect(body.totalSize).toBe(4500);
      sizes.push(body.records.length);
      names.push(...body.records.map((r) => r.Name));
      if (body.done) break;
      expect(body.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${API_VERSION.replace('.', '\\.')}/query/01g[0-9A-Za-z]{15}-\\d+$`));
      body = (await (await fetch(`${emu.url}${body.nextRecordsUrl}`, { headers: { Authorization: `Bearer ${emu.accessToken}` } })).json()) as typeof body;
    }
    expect(sizes).toEqual([2000, 2000, 500]);
    expect(names[0]).toBe('Deal 00000');
    expect(names[4499]).toBe('Deal 04499');
    expect(new Set(names).size).toBe(4500);
    expect(emu.callCounts()).toMatchObject({ query: 1, queryMore: 2 });
  });

  it('When jsforce queries 4,500 records with query + queryMore, then it reads them in three calls', async () => {
    seedOpportunities(emu, 4500);
    const conn = connect(emu);
    let res = await conn.query<{ Id: string }>('SELECT Id FROM Opportunity');
    const ids = [...res.records.map((r) => r.Id)];
    while (!res.done) {
      res = await conn.queryMore<{ Id: string }>(res.nextRecordsUrl!);
      ids.push(...res.records.map((r) => r.Id));
    }
    expect(ids).toHaveLength(4500);
    expect(ids.every((id) => /^006[0-9A-Za-z]{15}$/.test(id))).toBe(true);
    expect(emu.callCounts()).toMatchObject({ query: 1, queryMore: 2, total: 3 });
  });

  it('When jsforce autoFetches with maxFetch, then every record arrives', async () => {
    seedOpportunities(emu, 4500);
    const conn = connect(emu);
    const result = await conn.query<{ Id: string }>('SELECT Id FROM Opportunity').run({ autoFetch: true, maxFetch: 10_000 });
    expect(result.totalSize).toBe(4500);
    expect(result.records).toHaveLength(4500);
    expect(emu.callCounts()).toMatchObject({ query: 1, queryMore: 2 });
  });

  it('When Sforce-Query-Options asks batchSize=500, then pages hold 500; below 200 it is raised to 200', async () => {
    seedOpportunities(emu, 1000);
    const a = (await (await soql(emu, 'SELECT Id FROM Opportunity', { headers: { 'Sforce-Query-Options': 'batchSize=500' } })).json()) as { records: unknown[]; done: boolean };
    expect(a.records).toHaveLength(500);
    expect(a.done).toBe(false);
    const b = (await (await soql(emu, 'SELECT Id FROM Opportunity', { headers: { 'Sforce-Query-Options': 'batchSize=50' } })).json()) as { records: unknown[] };
    expect(b.records).toHaveLength(200);
  });

  it('When exactly 2,000 records match, then one page comes back done with no nextRecordsUrl', async () => {
    seedOpportunities(emu, 2000);
    const body = (await (await soql(emu, 'SELECT Id FROM Opportunity')).json()) as Record<string, unknown>;
    expect(body.done).toBe(true);
    expect(body.nextRecordsUrl).toBeUndefined();
  });

  it('When a query locator is unknown, then 400 INVALID_QUERY_LOCATOR', async () => {
    const res = await api(emu, '/query/01gWs0000000099AAA-2000');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });
});

describe('SOQL', () => {
  const seed = (): { acct: string; opps: string[]; contacts: string[] } => {
    const [acct] = emu.org.insert('Account', { Name: 'Acme' });
    const opps = emu.org.insert('Opportunity', [
      { Name: 'Alpha', StageName: 'Qualification', CloseDate: '2026-03-20', Amount: 100, AccountId: acct },
      { Name: 'Beta', StageName: 'Closed Won', CloseDate: '2026-01-10', Amount: 500, AccountId: acct },
      { Name: 'gamma', StageName: 'Closed Lost', CloseDate: '2025-12-01', Amount: null },
    ]);
    const contacts = emu.org.insert('Contact', [{ LastName: 'Ruiz', AccountId: acct }, { LastName: 'Okafor', AccountId: acct }]);
    emu.org.insert('OpportunityContactRole', [
      { OpportunityId: opps[0], ContactId: contacts[0], Role: 'Economic Buyer', IsPrimary: true },
      { OpportunityId: opps[0], ContactId: contacts[1], Role: 'Influencer' },
    ]);
    return { acct: acct!, opps, contacts };
  };
  const names = async (q: string): Promise<string[]> => {
    const res = await soql(emu, q);
    expect(res.status).toBe(200);
    return ((await res.json()) as { records: { Name: string }[] }).records.map((r) => r.Name);
  };

  it('When a parent relationship field and a child subquery are selected, then records nest them as Salesforce does', async () => {
    const { opps, contacts } = seed();
    const res = await soql(emu, "SELECT Id, Name, Account.Name, Owner.Name, (SELECT ContactId, Role FROM OpportunityContactRoles ORDER BY Role) FROM Opportunity WHERE Name IN ('Alpha','gamma') ORDER BY Name");
    const body = (await res.json()) as { totalSize: number; records: Record<string, unknown>[] };
    expect(body.totalSize).toBe(2);
    const [alpha, gamma] = body.records;
    expect(alpha).toMatchObject({
      attributes: { type: 'Opportunity', url: `/services/data/v${API_VERSION}/sobjects/Opportunity/${opps[0]}` },
      Id: opps[0], Name: 'Alpha',
      Account: { attributes: { type: 'Account' }, Name: 'Acme' },
      Owner: { attributes: { type: 'User' }, Name: null },
      OpportunityContactRoles: { totalSize: 2, done: true, records: [
        { attributes: { type: 'OpportunityContactRole' }, ContactId: contacts[0], Role: 'Economic Buyer' },
        { attributes: { type: 'OpportunityContactRole' }, ContactId: contacts[1], Role: 'Influencer' },
      ] },
    });
    expect(gamma!.Account).toBeNull();
    expect(gamma!.OpportunityContactRoles).toBeNull();
  });

  it('When WHERE combines AND, OR, NOT, comparisons, IN, LIKE and null, then only matching records return', async () => {
    seed();
    expect(await names("SELECT Name FROM Opportunity WHERE Amount >= 100 AND Amount < 500 ORDER BY Name")).toEqual(['Alpha']);
    expect(await names("SELECT Name FROM Opportunity WHERE (StageName = 'Closed Won' OR Amount = null) ORDER BY Name")).toEqual(['Beta', 'gamma']);
    expect(await names("SELECT Name FROM Opportunity WHERE NOT (StageName LIKE 'Closed%') ORDER BY Name")).toEqual(['Alpha']);
    expect(await names("SELECT Name FROM Opportunity WHERE Name != 'alpha' ORDER BY Name DESC")).toEqual(['gamma', 'Beta']);
    expect(await names("SELECT Name FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost')")).toEqual(['Alpha']);
    expect(await names("SELECT Name FROM Opportunity WHERE Amount != null AND IsClosed = true")).toEqual(['Beta']);
    expect(await names("SELECT Name FROM Opportunity WHERE Account.Name = 'ACME' ORDER BY Amount DESC NULLS LAST LIMIT 1")).toEqual(['Beta']);
    expect(await names("SELECT Name FROM Opportunity ORDER BY Amount ASC")).toEqual(['gamma', 'Alpha', 'Beta']);
  });

  it('When AND and OR are mixed without parentheses, then MALFORMED_QUERY', async () => {
    seed();
    const res = await soql(emu, "SELECT Id FROM Opportunity WHERE Amount > 1 AND Amount < 5 OR Name = 'x'");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe('MALFORMED_QUERY');
  });

  it('When filtering on date and datetime literals, then ranges follow the org clock (2026-03-15)', async () => {
    seed();
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate > 2026-01-10 ORDER BY Name')).toEqual(['Alpha']);
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate >= 2026-01-10 ORDER BY Name')).toEqual(['Alpha', 'Beta']);
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:5')).toEqual(['Alpha']);
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate = THIS_YEAR ORDER BY Name')).toEqual(['Alpha', 'Beta']);
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate < THIS_YEAR')).toEqual(['gamma']);
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:64')).toEqual(['Beta']);
    expect(await names('SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:63')).toEqual([]);
  });

  it('When a datetime field is compared with a date or a quoted string, then INVALID_FIELD names the expected type', async () => {
    const res = await soql(emu, 'SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01');
    expect(res.status).toBe(400);
    const [err] = (await res.json()) as { errorCode: string; message: string }[];
    expect(err!.errorCode).toBe('INVALID_FIELD');
    expect(err!.message).toContain("value of filter criterion for field 'SystemModstamp' must be of type dateTime and should not be enclosed in quotes");
    const quoted = await soql(emu, "SELECT Id FROM Opportunity WHERE Amount = '5'");
    expect(((await quoted.json()) as { message: string }[])[0]!.message).toContain('must be of type double');
  });

  it('When records change after a cursor, then WHERE SystemModstamp > cursor returns only the changed ones', async () => {
    const ids = seedOpportunities(emu, 5);
    const first = (await (await soql(emu, 'SELECT Id, SystemModstamp FROM Opportunity ORDER BY SystemModstamp DESC LIMIT 1')).json()) as { records: { SystemModstamp: string }[] };
    const cursor = first.records[0]!.SystemModstamp;
    expect(cursor).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    await api(emu, `/sobjects/Opportunity/${ids[2]}`, { method: 'PATCH', body: JSON.stringify({ Gate_Score__c: 40 }) });
    const changed = (await (await soql(emu, `SELECT Id FROM Opportunity WHERE SystemModstamp > ${cursor}`)).json()) as { records: { Id: string }[] };
    expect(changed.records.map((r) => r.Id)).toEqual([ids[2]]);
    const all = (await (await soql(emu, 'SELECT Id FROM Opportunity WHERE SystemModstamp > 2024-01-01T00:00:00Z')).json()) as { totalSize: number };
    expect(all.totalSize).toBe(5);
  });

  it('When COUNT() is selected, then totalSize is the count and records is empty; COUNT(Id) returns an AggregateResult', async () => {
    seed();
    expect(await (await soql(emu, "SELECT COUNT() FROM Opportunity WHERE IsClosed = true")).json()).toEqual({ totalSize: 2, done: true, records: [] });
    const agg = (await (await soql(emu, 'SELECT COUNT(Id) n FROM Contact')).json()) as { records: Record<string, unknown>[] };
    expect(agg.records).toEqual([{ attributes: { type: 'AggregateResult' }, n: 2 }]);
  });

  it('When a record is deleted, then query skips it and queryAll returns it with IsDeleted = true', async () => {
    const ids = seedOpportunities(emu, 2);
    expect((await api(emu, `/sobjects/Opportunity/${ids[0]}`, { method: 'DELETE' })).status).toBe(204);
    const q = (await (await soql(emu, 'SELECT Id FROM Opportunity')).json()) as { totalSize: number };
    expect(q.totalSize).toBe(1);
    const all = (await (await api(emu, `/queryAll?q=${encodeURIComponent('SELECT Id, IsDeleted FROM Opportunity WHERE IsDeleted = true')}`)).json()) as { records: { Id: string; IsDeleted: boolean }[] };
    expect(all.records).toEqual([expect.objectContaining({ Id: ids[0], IsDeleted: true })]);
  });

  it('When an object or field is unknown or the SOQL is malformed, then 400 INVALID_TYPE / INVALID_FIELD / MALFORMED_QUERY with Salesforce wording', async () => {
    const badType = await soql(emu, 'SELECT Id FROM Opportunityy');
    expect(badType.status).toBe(400);
    const [t] = (await badType.json()) as { errorCode: string; message: string }[];
    expect(t).toMatchObject({ errorCode: 'INVALID_TYPE' });
    expect(t!.message).toContain("sObject type 'Opportunityy' is not supported.");
    const badField = await soql(emu, 'SELECT Id, Stage FROM Opportunity');
    const [f] = (await badField.json()) as { errorCode: string; message: string }[];
    expect(f).toMatchObject({ errorCode: 'INVALID_FIELD' });
    expect(f!.message).toContain("No such column 'Stage' on entity 'Opportunity'.");
    expect(f!.message).toContain('ERROR at Row:1:Column:12');
    const badRel = await soql(emu, 'SELECT Id, (SELECT Id FROM Roles) FROM Opportunity');
    expect(((await badRel.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_TYPE');
    const malformed = await soql(emu, 'SELECT FROM Opportunity WHERE');
    expect(((await malformed.json()) as { errorCode: string }[])[0]!.errorCode).toBe('MALFORMED_QUERY');
  });

  it('When the Task What relationship points at an Opportunity, then polymorphic What.Name resolves', async () => {
    const [opp] = seedOpportunities(emu, 1);
    emu.org.insert('Task', { Subject: 'Call', WhatId: opp, ActivityDate: '2026-03-01', Status: 'Completed' });
    const body = (await (await soql(emu, 'SELECT Subject, What.Name, IsClosed FROM Task')).json()) as { records: Record<string, unknown>[] };
    expect(body.records[0]).toMatchObject({ Subject: 'Call', IsClosed: true, What: { attributes: { type: 'Opportunity' }, Name: 'Deal 00000' } });
  });
});

describe('describe and versions', () => {
  it('When /services/data/ is read, then versions from 50.0 to 68.0 are listed with release labels', async () => {
    const versions = (await (await fetch(`${emu.url}/services/data/`)).json()) as { version: string; label: string; url: string }[];
    expect(versions[0]).toEqual({ label: "Winter '21", url: '/services/data/v50.0', version: '50.0' });
    expect(versions.find((v) => v.version === '62.0')?.label).toBe("Winter '25");
    expect(versions.at(-1)?.version).toBe('68.0');
  });

  it('When a version below 50.0 or above the newest is used, then 410 GONE or 404 NOT_FOUND', async () => {
    const old = await fetch(`${emu.url}/services/data/v49.0/sobjects`, { headers: { Authorization: `Bearer ${emu.accessToken}` } });
    expect(old.status).toBe(410);
    const future = await fetch(`${emu.url}/services/data/v99.0/sobjects`, { headers: { Authorization: `Bearer ${emu.accessToken}` } });
    expect(future.status).toBe(404);
    expect(await future.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const ok = await fetch(`${emu.url}/services/data/v50.0/sobjects`, { headers: { Authorization: `Bearer ${emu.accessToken}` } });
    expect(ok.status).toBe(200);
  });

  it('When Opportunity is described, then owned fields, picklists, references and child relationships are there', async () => {
    const conn = connect(emu);
    const d = await conn.sobject('Opportunity').describe();
    const field = (n: string) => d.fields.find((f) => f.name === n)!;
    expect(d.keyPrefix).toBe('006');
    expect(field('Gate_Status__c')).toMatchObject({ type: 'picklist', updateable: true, custom: true });
    expect((field('Gate_Status__c').picklistValues ?? []).map((p) => p.value)).toEqual(['Met', 'In_Progress', 'At_Risk', 'Skipped']);
    expect(field('AccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' });
    expect(field('IsClosed')).toMatchObject({ updateable: false, createable: false });
    expect(d.childRelationships.map((c) => c.relationshipName)).toEqual(expect.arrayContaining(['OpportunityContactRoles', 'OpportunityHistories', 'Tasks', 'Events', 'Milestone_Attestations__r']));
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(expect.arrayContaining(['Stage_Gate__c', 'Gate_Milestone__c', 'Rep_Scorecard__c', 'TaskRelation', 'EventRelation']));
    const sg = await conn.sobject('Stage_Gate__c').describe();
    expect(sg.fields.find((f) => f.name === 'Gate_Key__c')).toMatchObject({ externalId: true, unique: true, type: 'string', length: 160 });
    expect(emu.callCounts().describe).toBe(3);
    expect((await api(emu, '/sobjects/Nope__c/describe')).status).toBe(404);
  });
});
