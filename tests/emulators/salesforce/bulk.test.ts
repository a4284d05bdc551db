import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from './index.ts';
import { api, connect, seedOpportunities } from './helpers.ts';

let emu: SalesforceEmulator;
beforeEach(async () => { emu = await startSalesforceEmulator({ bulkProcessingDelayMs: 40 }); });
afterEach(async () => { await emu.stop(); });

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

describe('Bulk API 2.0 ingest', () => {
  it('When jsforce loadAndWaitForResults updates 300 opportunities with one bad row, then 299 succeed and the bad row is in failedResults', async () => {
    const ids = seedOpportunities(emu, 300);
    const conn = connect(emu);
    const input = ids.map((Id, i) => ({ Id, Gate_Score__c: i === 7 ? 'not a number' : i % 100, Next_Best_Action__c: i === 0 ? 'Book the "exec" call, then send a recap' : null }));
    const res = await conn.bulk2.loadAndWaitForResults({ object: 'Opportunity', operation: 'update', input, pollInterval: 20, pollTimeout: 10_000 });
    expect(res.successfulResults).toHaveLength(299);
    expect(res.failedResults).toHaveLength(1);
    expect(res.failedResults[0]).toMatchObject({ sf__Id: ids[7], Id: ids[7] });
    expect(String(res.failedResults[0]!.sf__Error)).toMatch(/^INVALID_TYPE_ON_FIELD_IN_RECORD:/);
    expect(res.successfulResults[0]).toMatchObject({ sf__Id: ids[0], sf__Created: 'false' });
    expect(emu.org.get('Opportunity', ids[0]!)!.Next_Best_Action__c).toBe('Book the "exec" call, then send a recap');
    expect(emu.org.get('Opportunity', ids[299]!)!.Gate_Score__c).toBe(99);
    expect(emu.callCounts().collections).toBe(0);
    expect(emu.callCounts().bulk).toBeGreaterThanOrEqual(5);
  });

  it('When a job is driven by fetch, then it moves Open → UploadComplete → JobComplete and results are CSV with sf__ columns', async () => {
    const created = await json<{ id: string; state: string; contentUrl: string }>(await api(emu, '/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Stage_Gate__c', operation: 'upsert', externalIdFieldName: 'Gate_Key__c', contentType: 'CSV', lineEnding: 'CRLF' }) }));
    expect(created.state).toBe('Open');
    expect(created.id).toMatch(/^750/);
    const csv = 'Name,Gate_Key__c,Stage_Order__c\r\nStandard: A,Standard:A,1\r\n"Standard: B, quoted",Standard:B,2\r\nStandard: C,,3\r\n';
    const put = await fetch(`${emu.url}/services/data/v62.0/jobs/ingest/${created.id}/batches`, { method: 'PUT', headers: { Authorization: `Bearer ${emu.accessToken}`, 'Content-Type': 'text/csv' }, body: csv });
    expect(put.status).toBe(201);
    const closed = await json<{ state: string }>(await api(emu, `/jobs/ingest/${created.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) }));
    expect(closed.state).toBe('UploadComplete');
    const early = await api(emu, `/jobs/ingest/${created.id}/successfulResults`);
    expect(early.status).toBe(409);
    let info: { state: string; numberRecordsProcessed: number; numberRecordsFailed: number } = { state: '', numberRecordsProcessed: 0, numberRecordsFailed: 0 };
    for (let i = 0; i < 50 && info.state !== 'JobComplete'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      info = await json(await api(emu, `/jobs/ingest/${created.id}`));
    }
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
    const ok = await (await api(emu, `/jobs/ingest/${created.id}/successfulResults`)).text();
    const lines = ok.split('\r\n');
    expect(lines[0]).toBe('sf__Id,sf__Created,Name,Gate_Key__c,Stage_Order__c');
    expect(lines[1]).toMatch(/^a0A[0-9A-Za-z]{15},true,Standard: A,Standard:A,1$/);
    expect(lines[2]).toContain('"Standard: B, quoted"');
    const failed = await (await api(emu, `/jobs/ingest/${created.id}/failedResults`)).text();
    expect(failed.split('\r\n')[1]).toMatch(/^,MISSING_ARGUMENT:Gate_Key__c not specified:Gate_Key__c --,Standard: C,,3$/);
    expect(emu.org.all('Stage_Gate__c')).toHaveLength(2);
  });

  it('When a CSV names an unknown column, then the job ends Failed with the field named and nothing written', async () => {
    const [id] = seedOpportunities(emu, 1);
    const job = await json<{ id: string }>(await api(emu, '/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Opportunity', operation: 'update' }) }));
    await fetch(`${emu.url}/services/data/v62.0/jobs/ingest/${job.id}/batches`, { method: 'PUT', headers: { Authorization: `Bearer ${emu.accessToken}`, 'Content-Type': 'text/csv' }, body: `Id,Gate_Scor__c\n${id},5\n` });
    await api(emu, `/jobs/ingest/${job.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'UploadComplete' }) });
    await new Promise((r) => setTimeout(r, 120));
    const info = await json<{ state: string; errorMessage: string }>(await api(emu, `/jobs/ingest/${job.id}`));
    expect(info).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Gate_Scor__c' });
  });

  it('When an upload exceeds the size cap or the job is no longer Open, then the upload is refused', async () => {
    emu.bulk.options.maxUploadBytes = 4096;
    const job = await json<{ id: string }>(await api(emu, '/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Opportunity', operation: 'update' }) }));
    const upload = (body: string) => fetch(`${emu.url}/services/data/v62.0/jobs/ingest/${job.id}/batches`, { method: 'PUT', headers: { Authorization: `Bearer ${emu.accessToken}`, 'Content-Type': 'text/csv' }, body });
    expect((await upload('Id\n' + 'x'.repeat(4094))).status).toBe(400);
    expect((await upload('Id\n' + 'x'.repeat(4093))).status).toBe(201);
    await api(emu, `/jobs/ingest/${job.id}`, { method: 'PATCH', body: JSON.stringify({ state: 'Aborted' }) });
    expect((await upload('Id\n')).status).toBe(409);
  });

  it('When a job names an unknown object or an upsert lacks an external id field, then 400', async () => {
    expect((await api(emu, '/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Nope__c', operation: 'insert' }) })).status).toBe(400);
    expect((await api(emu, '/jobs/ingest', { method: 'POST', body: JSON.stringify({ object: 'Stage_Gate__c', operation: 'upsert', externalIdFieldName: 'Name' }) })).status).toBe(400);
  });
});
