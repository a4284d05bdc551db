import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from './index.ts';
import { api, connect, seedOpportunities, soql } from './helpers.ts';

let emu: SalesforceEmulator;
beforeEach(async () => { emu = await startSalesforceEmulator(); });
afterEach(async () => { await emu.stop(); });

const patchCollection = (body: unknown): Promise<Response> => api(emu, '/composite/sobjects', { method: 'PATCH', body: JSON.stringify(body) });
const oppUpdate = (Id: string, fields: Record<string, unknown>) => ({ attributes: { type: 'Opportunity' }, Id, ...fields });

describe('sObject Collections update', () => {
  it('When jsforce updates 450 opportunities with allowRecursive, then 3 collection calls write all 450 and move SystemModstamp', async () => {
    const ids = seedOpportunities(emu, 450);
    const before = emu.org.get('Opportunity', ids[0]!)!.SystemModstamp as string;
    const conn = connect(emu);
    const results = await conn.sobject('Opportunity').update(ids.map((Id, i) => ({ Id, Gate_Score__c: i % 100, Gate_Status__c: 'In_Progress' })), { allowRecursive: true });
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.success)).toBe(true);
    expect(emu.callCounts()).toMatchObject({ collections: 3, total: 3 });
    expect(emu.org.get('Opportunity', ids[449]!)).toMatchObject({ Gate_Score__c: 49, Gate_Status__c: 'In_Progress' });
    expect((emu.org.get('Opportunity', ids[0]!)!.SystemModstamp as string) > before).toBe(true);
  });

  it('When 201 records are sent in one call, then 400 EXCEEDED_ID_LIMIT and nothing changes; 200 are accepted', async () => {
    const ids = seedOpportunities(emu, 201);
    const over = await patchCollection({ allOrNone: false, records: ids.map((id) => oppUpdate(id, { Gate_Score__c: 1 })) });
    expect(over.status).toBe(400);
    expect(await over.json()).toEqual([{ message: 'record limit reached. cannot submit more than 200 records into this call', errorCode: 'EXCEEDED_ID_LIMIT' }]);
    expect(emu.org.all('Opportunity').filter((o) => o.Gate_Score__c === 1)).toHaveLength(0);
    const at = await patchCollection({ records: ids.slice(0, 200).map((id) => oppUpdate(id, { Gate_Score__c: 1 })) });
    expect(at.status).toBe(200);
    expect(emu.org.all('Opportunity').filter((o) => o.Gate_Score__c === 1)).toHaveLength(200);
  });

  it('When a record sets a non-updateable field, then only that record fails with INVALID_FIELD_FOR_INSERT_UPDATE', async () => {
    const ids = seedOpportunities(emu, 2);
    const res = await patchCollection({ allOrNone: false, records: [oppUpdate(ids[0]!, { IsClosed: true }), oppUpdate(ids[1]!, { Gate_Score__c: 10 })] });
    const body = (await res.json()) as { id: string; success: boolean; errors: { statusCode: string; fields: string[]; message: string }[] }[];
    expect(body[0]).toMatchObject({ id: ids[0], success: false, errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsClosed'] }] });
    expect(body[0]!.errors[0]!.message).toMatch(/^Unable to create\/update fields: IsClosed\./);
    expect(body[1]).toEqual({ id: ids[1], success: true, errors: [] });
    expect(emu.org.get('Opportunity', ids[1]!)!.Gate_Score__c).toBe(10);
  });

  it('When allOrNone is true and one record fails, then nothing is written and the others report ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    const ids = seedOpportunities(emu, 2);
    const res = await patchCollection({ allOrNone: true, records: [oppUpdate(ids[0]!, { Gate_Score__c: 5 }), oppUpdate(ids[1]!, { Gate_Status__c: 'Bogus' })] });
    const body = (await res.json()) as { success: boolean; errors: { statusCode: string }[] }[];
    expect(body[0]!.errors[0]!.statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(body[1]!.errors[0]!.statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(emu.org.get('Opportunity', ids[0]!)!.Gate_Score__c).toBeNull();
  });

  it('When field values break type, length or id rules, then each record gets the matching status code', async () => {
    const [id] = seedOpportunities(emu, 1);
    const res = await patchCollection({ records: [
      oppUpdate(id!, { Gate_Score__c: 'lots' }),
      oppUpdate(id!, { Next_Best_Action__c: 'x'.repeat(256) }),
      oppUpdate('006Ws0000000ZZZZZZ', { Gate_Score__c: 1 }),
      oppUpdate('not-an-id', { Gate_Score__c: 1 }),
      oppUpdate(id!, { Nope__c: 1 }),
    ] });
    const codes = ((await res.json()) as { errors: { statusCode: string }[] }[]).map((r) => r.errors[0]?.statusCode);
    expect(codes).toEqual(['INVALID_TYPE_ON_FIELD_IN_RECORD', 'STRING_TOO_LONG', 'INVALID_CROSS_REFERENCE_KEY', 'MALFORMED_ID', 'INVALID_FIELD']);
  });

  it('When StageName changes through the API, then an OpportunityHistory row is written and IsClosed follows the stage', async () => {
    const [id] = seedOpportunities(emu, 1);
    await api(emu, `/sobjects/Opportunity/${id}`, { method: 'PATCH', body: JSON.stringify({ StageName: 'Closed Won' }) });
    expect(emu.org.get('Opportunity', id!)).toMatchObject({ IsClosed: true, IsWon: true });
    const hist = (await (await soql(emu, `SELECT StageName FROM OpportunityHistory WHERE OpportunityId = '${id}'`)).json()) as { records: { StageName: string }[] };
    expect(hist.records.map((r) => r.StageName)).toEqual(['Closed Won']);
    await api(emu, `/sobjects/Opportunity/${id}`, { method: 'PATCH', body: JSON.stringify({ Gate_Score__c: 3 }) });
    expect(emu.org.all('OpportunityHistory')).toHaveLength(1);
  });
});

describe('create and upsert', () => {
  const gate = (key: string, order: number) => ({ attributes: { type: 'Stage_Gate__c' }, Name: `Standard: ${key}`, Gate_Key__c: `Standard:${key}`, Stage_Order__c: order });

  it('When the same stage gates are upserted twice by Gate_Key__c, then the first call creates and the second updates, with no duplicates', async () => {
    const records = [gate('Qualification', 1), gate('Needs Analysis', 2), gate('Proposal/Price Quote', 3)];
    const first = (await (await api(emu, '/composite/sobjects/Stage_Gate__c/Gate_Key__c', { method: 'PATCH', body: JSON.stringify({ allOrNone: false, records }) })).json()) as { id: string; created: boolean; success: boolean }[];
    expect(first.map((r) => [r.success, r.created])).toEqual([[true, true], [true, true], [true, true]]);
    expect(first.every((r) => /^a0A[0-9A-Za-z]{15}$/.test(r.id))).toBe(true);
    const conn = connect(emu);
    const second = await conn.sobject('Stage_Gate__c').upsert(records.map(({ attributes: _a, ...r }) => ({ ...r, Stage_Order__c: r.Stage_Order__c * 10 })), 'Gate_Key__c');
    expect(second.map((r) => [r.success, r.created, r.id])).toEqual(first.map((r) => [true, false, r.id]));
    expect(emu.org.all('Stage_Gate__c')).toHaveLength(3);
    expect(emu.org.all('Stage_Gate__c').map((g) => g.Stage_Order__c).sort()).toEqual([10, 20, 30]);
  });

  it('When one upsert request repeats an external id or names a field that is not an External ID, then DUPLICATE_EXTERNAL_ID / 400 INVALID_FIELD', async () => {
    const dup = (await (await api(emu, '/composite/sobjects/Stage_Gate__c/Gate_Key__c', { method: 'PATCH', body: JSON.stringify({ records: [gate('A', 1), gate('A', 2)] }) })).json()) as { success: boolean; errors: { statusCode: string }[] }[];
    expect(dup[0]!.success).toBe(true);
    expect(dup[1]!.errors[0]!.statusCode).toBe('DUPLICATE_EXTERNAL_ID');
    const badField = await api(emu, '/composite/sobjects/Stage_Gate__c/Stage_Name__c', { method: 'PATCH', body: JSON.stringify({ records: [gate('B', 1)] }) });
    expect(badField.status).toBe(400);
    expect(((await badField.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_FIELD');
  });

  it('When records are created through collections and single POST, then ids carry the key prefix and required fields are enforced', async () => {
    const res = (await (await api(emu, '/composite/sobjects', { method: 'POST', body: JSON.stringify({ records: [
      { attributes: { type: 'Account' }, Name: 'Acme' },
      { attributes: { type: 'Account' } },
    ] }) })).json()) as { id?: string; success: boolean; errors: { statusCode: string; fields: string[] }[] }[];
    expect(res[0]!.id).toMatch(/^001[0-9A-Za-z]{15}$/);
    expect(res[1]).toEqual({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] });
    const single = await api(emu, '/sobjects/Contact', { method: 'POST', body: JSON.stringify({ LastName: 'Ruiz', AccountId: res[0]!.id }) });
    expect(single.status).toBe(201);
    const created = (await single.json()) as { id: string };
    expect(created).toEqual({ id: expect.stringMatching(/^003/), success: true, errors: [] });
    const rec = (await (await api(emu, `/sobjects/Contact/${created.id}`)).json()) as Record<string, unknown>;
    expect(rec).toMatchObject({ LastName: 'Ruiz', AccountId: res[0]!.id, IsDeleted: false, attributes: { type: 'Contact' } });
    expect(rec.CreatedDate).toMatch(/\+0000$/);
    const bad = await api(emu, '/sobjects/Contact', { method: 'POST', body: JSON.stringify({ FirstName: 'No last name' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([{ message: 'Required fields are missing: [LastName]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }]);
  });

  it('When a single record is upserted by external id in the URL, then 201 created then 200 updated', async () => {
    const put = (order: number) => api(emu, '/sobjects/Stage_Gate__c/Gate_Key__c/Standard:Closed', { method: 'PATCH', body: JSON.stringify({ Name: 'Standard: Closed', Stage_Order__c: order }) });
    const a = await put(1);
    expect(a.status).toBe(201);
    expect(await a.json()).toMatchObject({ success: true, created: true });
    const b = await put(2);
    expect(b.status).toBe(200);
    expect(await b.json()).toMatchObject({ success: true, created: false });
    expect(emu.org.all('Stage_Gate__c').map((g) => g.Stage_Order__c)).toEqual([2]);
  });

  it('When a single PATCH names an unknown record, then 404 NOT_FOUND', async () => {
    const res = await api(emu, '/sobjects/Opportunity/006Ws0000000ZZZZZZ', { method: 'PATCH', body: '{}' });
    expect(res.status).toBe(404);
  });
});
