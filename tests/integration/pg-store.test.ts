// The PostgreSQL repositories behave as the SQLite ones do (same calls, same answers), one tenant's state never leaks
// into another's, and the tenants' credentials and shared API budget hold up under concurrent workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../server/src/store/pg.ts';
import { PgConnectorState, PgTenantState } from '../../server/src/store/pg-state.ts';
import { PgTenants } from '../../server/src/store/tenants.ts';
import { CompanionStore, type ConnectorStateRepository } from '../../server/src/store/companion-store.ts';
import { parseSecretKeys, seal, unseal } from '../../server/src/secrets.ts';
import { createTestDatabase, postgresAnswers, requirePostgres, skipNotice } from '../support/postgres.ts';
import { tempDir } from './salesforce.support.ts';
import { join } from 'node:path';

const available = await postgresAnswers();
if (!available) console.warn(`\n!!! ${skipNotice('the PostgreSQL store suite')}\n`);

// Only declared when it must fail: with PostgreSQL up it would count as one more skipped test.
if (!available && requirePostgres) describe('PostgreSQL is required (STAGECRAFT_REQUIRE_POSTGRES=1)', () => {
  it('When STAGECRAFT_REQUIRE_POSTGRES=1, then PostgreSQL answers', () => {
    expect.fail(skipNotice('the PostgreSQL store suite'));
  });
});

describe.skipIf(!available)('PostgreSQL repositories', () => {
  let db: PgDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    db = new PgDatabase(created.url);
    await db.migrated();
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  /** The same script against a repository: what SQLite answers is what PostgreSQL must answer. */
  const script = async (repo: ConnectorStateRepository, tenant: string): Promise<unknown[]> => {
    const out: unknown[] = [];
    await repo.applyChanges(tenant, 'Opportunity', [{ Id: 'b', Name: 'B' }, { Id: 'a', Name: 'A' }, { Id: 'c', Name: 'C' }], []);
    await repo.applyChanges(tenant, 'Opportunity', [{ Id: 'a', Name: 'A2' }], ['c']);
    out.push(await repo.mirrored(tenant, 'Opportunity'));
    await repo.setCursor(tenant, 'Opportunity', '2026-01-01T00:00:00.000Z');
    await repo.setCursor(tenant, 'Opportunity', '2026-01-02T00:00:00.000Z');
    out.push([...(await repo.cursors(tenant))]);
    await repo.setValue(tenant, 'plans', '[1]');
    out.push(await repo.getValue(tenant, 'plans'), await repo.getValue(tenant, 'absent'));
    const first = await repo.startRun(tenant, '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z');
    await repo.recordJob(first, '750A', 'Opportunity', 'Open');
    out.push((await repo.openJobs()).map((j) => [j.jobId, j.state]));
    await repo.finishRun(first, 'stopped', '2026-01-01T02:00:00.000Z', 'budget');
    const unfinished = await repo.unfinishedRun(tenant);
    out.push([unfinished?.status, unfinished?.asOf, unfinished?.note]);
    await repo.resumeRun(first);
    const second = await repo.startRun(tenant, '2026-01-03T00:00:00.000Z', '2026-01-03T01:00:00.000Z');
    out.push([(await repo.run(first))?.note, (await repo.unfinishedRun(tenant))?.id === second]);
    // A transaction that throws leaves nothing behind.
    await expect(repo.transaction(async () => {
      await repo.applyChanges(tenant, 'Opportunity', [{ Id: 'z', Name: 'Z' }], []);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    out.push((await repo.mirrored(tenant, 'Opportunity')).map((r) => r.Id));
    await repo.resetMirror(tenant);
    out.push(await repo.mirrored(tenant, 'Opportunity'), (await repo.cursors(tenant)).size);
    return out;
  };

  it('When the same calls are made on the SQLite and the PostgreSQL connector state, then they answer the same', async () => {
    const sqlite = new CompanionStore(join(tempDir(), 'companion.sqlite'));
    const expected = await script(sqlite, 'org-1');
    await sqlite.close();
    expect(await script(new PgConnectorState(db, 'org-1'), 'org-1')).toEqual(expected);
    expect(expected[0]).toEqual([{ Id: 'b', Name: 'B' }, { Id: 'a', Name: 'A2' }]);
  });

  it('When two tenants keep state, then each sees only its own, open Bulk jobs included', async () => {
    const a = new PgConnectorState(db, 'org-a');
    const b = new PgConnectorState(db, 'org-b');
    await a.applyChanges('org-a', 'Account', [{ Id: '1', Name: 'A' }], []);
    await b.recordJob(await b.startRun('org-b', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'), '750B', 'Opportunity', 'InProgress');
    expect(await b.mirrored('org-b', 'Account')).toEqual([]);
    expect(await a.openJobs()).toEqual([]);
    expect((await b.openJobs()).map((j) => j.jobId)).toEqual(['750B']);
    const state = new PgTenantState(db);
    await state.setChangeCursor('org-a', 'c1');
    expect(await state.changeCursor('org-a')).toBe('c1');
    expect(await state.changeCursor('org-b')).toBeNull();
    await state.setLastSync('org-b', { at: 'x', asOf: 'y', mode: 'full', fieldsChanged: 1, recordsChanged: 1 });
    expect((await state.lastSync('org-b'))?.fieldsChanged).toBe(1);
  });

  it('When credentials are sealed, then they decrypt only under their key and their tenant, and an old key still opens them', () => {
    const [oldKey] = parseSecretKeys('11'.repeat(32));
    const keys = parseSecretKeys(`${'22'.repeat(32)},${'11'.repeat(32)}`);
    const sealedOld = seal([oldKey!], '{"accessToken":"t"}', 'org-1');
    expect(sealedOld.data).not.toContain('accessToken');
    expect(unseal(keys, sealedOld, 'org-1')).toBe('{"accessToken":"t"}');
    expect(() => unseal(keys, sealedOld, 'org-2')).toThrow(/do not decrypt/);
    expect(() => unseal(parseSecretKeys('33'.repeat(32)), sealedOld, 'org-1')).toThrow(/does not hold/);
    expect(seal(keys, 'x', 'org-1').keyId).toBe(keys[0]!.id);
    expect(() => parseSecretKeys('too short')).toThrow(/32 bytes/);
  });

  it('When many workers take calls from one tenant budget at once, then exactly the budget is granted', async () => {
    const tenants = new PgTenants(db);
    const keys = parseSecretKeys('44'.repeat(32));
    expect(await tenants.add({ id: 'budgeted', crm: 'salesforce', name: 'B', credentials: seal(keys, '{}', 'budgeted'), dailyApiBudget: 50, syncEverySeconds: 300 })).toBe(true);
    expect(await tenants.add({ id: 'budgeted', crm: 'salesforce', name: 'B', credentials: seal(keys, '{}', 'budgeted'), dailyApiBudget: 50, syncEverySeconds: 300 })).toBe(false);
    const results = await Promise.all(Array.from({ length: 80 }, () => tenants.takeBudget('budgeted', 50)));
    expect(results.filter((r) => r.ok).length).toBe(50);
    expect(await tenants.budgetUsed('budgeted')).toBe(50);
  });
});
