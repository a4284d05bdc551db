import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from './index.ts';
import { api, connect, seedOpportunities, soql } from './helpers.ts';

let emu: SalesforceEmulator;
afterEach(async () => { await emu.stop(); });

const update = (ids: string[], score: number): Promise<Response> =>
  api(emu, '/composite/sobjects', { method: 'PATCH', body: JSON.stringify({ allOrNone: false, records: ids.map((Id) => ({ attributes: { type: 'Opportunity' }, Id, Gate_Score__c: score })) }) });
const scores = (ids: string[]): unknown[] => ids.map((id) => emu.org.get('Opportunity', id)!.Gate_Score__c);

describe('API usage and Sforce-Limit-Info', () => {
  beforeEach(async () => { emu = await startSalesforceEmulator({ dailyApiLimit: 5, apiUsage: 2 }); });

  it('When calls are made, then each response carries api-usage=N/M that jsforce parses, and the allocation runs out with 403', async () => {
    const first = await soql(emu, 'SELECT Id FROM Account');
    expect(first.headers.get('sforce-limit-info')).toBe('api-usage=3/5');
    const conn = connect(emu);
    await conn.query('SELECT Id FROM Account');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 4, limit: 5 });
    expect((await soql(emu, 'SELECT Id FROM Account')).status).toBe(200);
    const over = await soql(emu, 'SELECT Id FROM Account');
    expect(over.status).toBe(403);
    expect(await over.json()).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    expect(over.headers.get('sforce-limit-info')).toBe('api-usage=5/5');
  });

  it('When the token endpoint is called, then it does not count against the allocation', async () => {
    await fetch(`${emu.url}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
    expect(emu.apiUsage).toBe(2);
  });
});

describe('fault injection', () => {
  beforeEach(async () => { emu = await startSalesforceEmulator(); });

  it.each([
    ['http503', 503, 'SERVER_UNAVAILABLE'],
    ['http500', 500, 'UNKNOWN_EXCEPTION'],
    ['unableToLockRow', 400, 'UNABLE_TO_LOCK_ROW'],
    ['requestLimitExceeded', 403, 'REQUEST_LIMIT_EXCEEDED'],
    ['invalidSession', 401, 'INVALID_SESSION_ID'],
  ] as const)('When a %s fault is armed for the next collection call, then it answers %i %s, writes nothing, and the call after succeeds', async (type, status, code) => {
    const ids = seedOpportunities(emu, 3);
    emu.faults.inject({ type, method: 'PATCH', path: '/composite/sobjects' });
    const failed = await update(ids, 7);
    expect(failed.status).toBe(status);
    expect(((await failed.json()) as { errorCode: string }[])[0]!.errorCode).toBe(code);
    expect(scores(ids)).toEqual([null, null, null]);
    const ok = await update(ids, 7);
    expect(ok.status).toBe(200);
    expect(scores(ids)).toEqual([7, 7, 7]);
  });

  it('When a fault is armed for 2 calls on a path, then other paths pass and exactly 2 matching calls fail', async () => {
    seedOpportunities(emu, 1);
    emu.faults.inject({ type: 'http503', times: 2, path: /\/query$/ });
    expect((await api(emu, '/sobjects/Opportunity/describe')).status).toBe(200);
    expect((await soql(emu, 'SELECT Id FROM Opportunity')).status).toBe(503);
    expect((await soql(emu, 'SELECT Id FROM Opportunity')).status).toBe(503);
    expect((await soql(emu, 'SELECT Id FROM Opportunity')).status).toBe(200);
    expect(emu.faults.pending()).toBe(0);
    expect(emu.faults.fired.map((f) => f.type)).toEqual(['http503', 'http503']);
  });

  it('When a partial failure names two ids, then those fail with FIELD_CUSTOM_VALIDATION_EXCEPTION and the others commit', async () => {
    const ids = seedOpportunities(emu, 4);
    emu.faults.inject({ type: 'partialFailure', ids: [ids[1]!, ids[3]!], message: 'Close date cannot move back' });
    const body = (await (await update(ids, 9)).json()) as { id: string; success: boolean; errors: { statusCode: string; message: string }[] }[];
    expect(body.map((r) => r.success)).toEqual([true, false, true, false]);
    expect(body[1]!.errors[0]).toEqual({ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Close date cannot move back', fields: [] });
    expect(scores(ids)).toEqual([9, null, 9, null]);
  });

  it('When per-record UNABLE_TO_LOCK_ROW hits a jsforce update, then the result reports it per record, not as a throw', async () => {
    const ids = seedOpportunities(emu, 3);
    emu.faults.inject({ type: 'unableToLockRowRecords', ids: [ids[0]!] });
    const results = await connect(emu).sobject('Opportunity').update(ids.map((Id) => ({ Id, Gate_Score__c: 1 })), { allowRecursive: true });
    expect(results[0]).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'UNABLE_TO_LOCK_ROW' })] });
    expect(results.slice(1).every((r) => r.success)).toBe(true);
    expect(scores(ids)).toEqual([null, 1, 1]);
  });

  it('When a partial failure is armed for a bulk job, then the named rows land in failedResults', async () => {
    await emu.stop();
    emu = await startSalesforceEmulator({ bulkProcessingDelayMs: 10 });
    const ids = seedOpportunities(emu, 3);
    emu.faults.inject({ type: 'partialFailure', ids: [ids[2]!], path: '/jobs/ingest/', method: 'PATCH' });
    const res = await connect(emu).bulk2.loadAndWaitForResults({ object: 'Opportunity', operation: 'update', input: ids.map((Id) => ({ Id, Gate_Score__c: 4 })), pollInterval: 10, pollTimeout: 5000 });
    expect(res.failedResults.map((r) => r.sf__Id)).toEqual([ids[2]]);
    expect(scores(ids)).toEqual([4, 4, null]);
  });

  it('When a delay fault is armed, then the call is answered after at least that many ms', async () => {
    emu.faults.inject({ type: 'delay', ms: 150 });
    const t0 = Date.now();
    expect((await soql(emu, 'SELECT Id FROM Account')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('When jsforce meets one 503 on a query, then its own HTTP retry repeats the call and the query succeeds', async () => {
    emu.faults.inject({ type: 'http503' });
    const res = await connect(emu).query('SELECT Id FROM Account');
    expect(res.totalSize).toBe(0);
    expect(emu.calls.filter((c) => c.kind === 'query').map((c) => c.status)).toEqual([503, 200]);
  });
});
