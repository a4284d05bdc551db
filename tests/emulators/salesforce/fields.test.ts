// The emulator knows each standard object's documented fields and nothing else: a field an object does not have is
// refused in SELECT, WHERE and writes with Salesforce's error shape (issue 11: User has no IsDeleted).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENTED_FIELDS } from './documented-fields.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from './index.ts';
import { api } from './helpers.ts';

let emu: SalesforceEmulator;
beforeEach(async () => { emu = await startSalesforceEmulator({ now: () => new Date('2026-03-15T12:00:00Z') }); });
afterEach(async () => { await emu.stop(); });

const query = async (endpoint: 'query' | 'queryAll', q: string): Promise<{ status: number; body: unknown }> => {
  const res = await api(emu, `/${endpoint}?q=${encodeURIComponent(q)}`);
  return { status: res.status, body: await res.json() };
};

const describeFields = async (object: string): Promise<string[]> =>
  ((await (await api(emu, `/sobjects/${object}/describe`)).json()) as { fields: { name: string }[] }).fields.map((f) => f.name);

describe('documented fields', () => {
  it('When User is queried with IsDeleted (queryAll, as an incremental read would), then 400 INVALID_FIELD names the column and the entity', async () => {
    const res = await query('queryAll', 'SELECT Id, Name, IsActive, SystemModstamp, IsDeleted FROM User WHERE SystemModstamp >= 2026-01-01T00:00:00Z');
    expect(res.status).toBe(400);
    const [error] = res.body as { message: string; errorCode: string }[];
    expect(error!.errorCode).toBe('INVALID_FIELD');
    expect(error!.message).toContain("No such column 'IsDeleted' on entity 'User'");
    // Without it, the same read works: deactivation is IsActive.
    const ok = await query('queryAll', 'SELECT Id, Name, IsActive, SystemModstamp FROM User WHERE SystemModstamp >= 2026-01-01T00:00:00Z');
    expect(ok.status).toBe(200);
  });

  it('When a field the object does not have is in WHERE, then 400 INVALID_FIELD; one it has passes', async () => {
    const bad = await query('query', "SELECT Id FROM Opportunity WHERE Budget_Confirmed__c = 'Yes'");
    expect(bad.status).toBe(400);
    expect((bad.body as { errorCode: string; message: string }[])[0]).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("No such column 'Budget_Confirmed__c' on entity 'Opportunity'") });
    expect((await query('query', "SELECT Id FROM Opportunity WHERE ForecastCategoryName = 'Pipeline' AND TotalOpportunityQuantity = null")).status).toBe(200);
  });

  it('When a write names a field the object does not have, then the record fails with INVALID_FIELD and nothing is written', async () => {
    const [id] = emu.org.insert('Opportunity', { Name: 'Deal', StageName: 'Qualification', CloseDate: '2026-06-30' });
    const res = await api(emu, `/sobjects/Opportunity/${id}`, { method: 'PATCH', body: JSON.stringify({ NextStep: 'Call', Budget_Confirmed__c: 'Yes' }) });
    expect(res.status).toBe(400);
    expect((await res.json()) as unknown[]).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD', message: "No such column 'Budget_Confirmed__c' on sobject of type Opportunity" })]);
    expect(emu.org.get('Opportunity', id!)!.NextStep).toBeNull();
    // Once the admin creates the field, the same write succeeds.
    emu.org.addField('Opportunity', { name: 'Budget_Confirmed__c', type: 'string' });
    expect((await api(emu, `/sobjects/Opportunity/${id}`, { method: 'PATCH', body: JSON.stringify({ Budget_Confirmed__c: 'Yes' }) })).status).toBe(204);
  });

  it('When each standard object is described, then it has its documented fields and its own system fields, and only those', async () => {
    for (const [object, documented] of Object.entries(DOCUMENTED_FIELDS)) {
      const names = new Set(await describeFields(object));
      for (const [name] of documented) expect([object, name, names.has(name)]).toEqual([object, name, true]);
      const custom = [...names].filter((n) => n.endsWith('__c'));
      const system = ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp'];
      const other = [...names].filter((n) => !n.endsWith('__c') && !system.includes(n) && !documented.some(([d]) => d === n));
      expect([object, other]).toEqual([object, []]);
      expect(custom.every((n) => object === 'Opportunity' || object === 'User')).toBe(true);
    }
    const user = new Set(await describeFields('User'));
    expect(user.has('IsDeleted')).toBe(false);
    expect(user.has('IsActive')).toBe(true);
    const fieldHistory = new Set(await describeFields('OpportunityFieldHistory'));
    expect([fieldHistory.has('SystemModstamp'), fieldHistory.has('CreatedDate'), fieldHistory.has('IsDeleted')]).toEqual([false, true, true]);
    const history = new Set(await describeFields('OpportunityHistory'));
    expect([history.has('LastModifiedDate'), history.has('SystemModstamp')]).toEqual([false, true]);
  });

  it('When a user is deleted through the API, then it is refused: users are deactivated', async () => {
    const [id] = emu.org.insert('User', { LastName: 'Rep', Username: 'rep@example.com' });
    const res = await api(emu, `/sobjects/User/${id}`, { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_OPERATION');
    expect((await api(emu, `/sobjects/User/${id}`, { method: 'PATCH', body: JSON.stringify({ IsActive: false }) })).status).toBe(204);
    expect(emu.org.get('User', id!)!.IsActive).toBe(false);
  });

  it('When a tracked Opportunity field changes through the API, then an OpportunityFieldHistory row records old and new value', async () => {
    emu.org.addField('Opportunity', { name: 'Budget_Confirmed__c', type: 'string' });
    emu.org.trackedOpportunityFields.add('Budget_Confirmed__c');
    const [id] = emu.org.insert('Opportunity', { Name: 'Deal', StageName: 'Qualification', CloseDate: '2026-06-30' });
    await api(emu, `/sobjects/Opportunity/${id}`, { method: 'PATCH', body: JSON.stringify({ Budget_Confirmed__c: 'Yes', NextStep: 'Call' }) });
    const rows = emu.org.all('OpportunityFieldHistory');
    expect(rows).toEqual([expect.objectContaining({ OpportunityId: id, Field: 'Budget_Confirmed__c', OldValue: null, NewValue: 'Yes' })]);
    const res = await query('query', `SELECT Id, Field, OldValue, NewValue, CreatedDate FROM OpportunityFieldHistory WHERE OpportunityId = '${id}'`);
    expect(res.status).toBe(200);
  });
});
