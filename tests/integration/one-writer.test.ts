// One writer per org: `import` while the server runs is refused (its 201s are never lost to a replaced file), parallel
// syncs do not corrupt or lose each other's writes, an import that would empty the org needs --force, and none of it
// ends in a stack trace. Real processes through the real command line.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { holdOrg } from '../../server/src/org-lock.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
const OPP = '006bm00000LKJNNAA5';
const STACK = /\n\s+at /;

let running: RunningServer | null = null;
let store: OrgStore | null = null;
afterEach(async () => {
  await running?.stop();
  store?.close();
  running = null;
  store = null;
});

const cli = (dir: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, STAGECRAFT_DATA_DIR: dir }, encoding: 'utf8' });

const cliAsync = (dir: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, STAGECRAFT_DATA_DIR: dir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

describe('one writer per org', () => {
  it('When `import` runs while the server serves the org, then it is refused in one line and every write the server answered 201 to is kept', async () => {
    const dir = tempDir();
    const orgFile = join(dir, 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date());
    store = OrgStore.open(orgFile);
    running = await startServer({ store, dataDir: dir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
    const attest = (note: string) => fetch(`${running!.url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ opportunityId: OPP, milestoneKey: 'decision_criteria_clarified', note }) });
    expect((await attest('before the import')).status).toBe(201);
    const imported = cli(dir, 'import', FIXTURE_DIR);
    expect(imported.status).toBe(7);
    expect(imported.stderr).toMatch(/^stagecraft: a running `stagecraft serve` \(process \d+\) is using this org; stop it before importing or seeding\n$/);
    const seeded = cli(dir, 'seed', '--force');
    expect(seeded.status).toBe(7);
    expect((await attest('after the refused import')).status).toBe(201);
    await running.stop();
    running = null;
    store.close();
    store = null;
    const reopened = OrgStore.open(orgFile);
    try {
      expect(reopened.all('Milestone_Attestation__c').map((a) => a.Note__c).sort()).toEqual(['after the refused import', 'before the import']);
    } finally {
      reopened.close();
    }
    // With the server stopped, the import goes ahead.
    expect(cli(dir, 'import', FIXTURE_DIR).status).toBe(0);
  });

  it('When three syncs start at once, then each either completes or says in one line that another is running; none loses a write', async () => {
    const dir = tempDir();
    importFolder(FIXTURE_DIR, join(dir, 'org.sqlite'), new Date());
    const results = await Promise.all([1, 2, 3].map(() => cliAsync(dir, 'sync', '--as-of', '2026-03-01')));
    for (const r of results) {
      expect([0, 7]).toContain(r.status);
      expect(r.stderr).not.toMatch(STACK);
      if (r.status === 7) expect(r.stderr).toMatch(/^stagecraft: a sync \(process \d+\) is using this org; try again when it is done\n$/);
    }
    expect(results.filter((r) => r.status === 0).length).toBeGreaterThanOrEqual(1);
    // Whatever ran, the org holds a complete result: one more sync as of the same moment has nothing left to change.
    const again = cli(dir, 'sync', '--as-of', '2026-03-01', '--dry-run');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/fields changed: +0 on 0 records/);
  }, 120_000);

  it('When a sync holds the org, then the API answers 409 at once and starts none; a stale lock of a dead process is taken over', async () => {
    const dir = tempDir();
    const orgFile = join(dir, 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date());
    store = OrgStore.open(orgFile);
    running = await startServer({ store, dataDir: dir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
    // A CLI sync of another process, simulated by its lock file naming a live process that is not this one.
    writeFileSync(join(dir, '.sync.lock'), String(process.ppid));
    const res = await fetch(`${running.url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/^a sync \(process \d+\) is using this org; try again when it is done$/);
    // Its process died (kill -9): the lock is stale and the next sync proceeds.
    writeFileSync(join(dir, '.sync.lock'), '999999999');
    expect((await fetch(`${running.url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(202);
    await running.sync.idle();
    expect(running.sync.current()).toMatchObject({ state: 'idle', error: null });
    expect(() => holdOrg(dir, 'replace')).toThrow(/a running `stagecraft serve`/);
  });

  it('When the folder\'s files hold only headers, then import refuses to empty the org unless --force', () => {
    const dir = tempDir();
    expect(cli(dir, 'import', FIXTURE_DIR).status).toBe(0);
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'Opportunity.csv'), 'Id,Name,StageName,CloseDate,CreatedDate,IsClosed,IsWon\n');
    const refused = cli(dir, 'import', empty);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^stagecraft: .*Opportunity\.csv holds no opportunities: importing it would empty the org in .*\. Run again with --force to do that\n$/);
    const kept = OrgStore.open(join(dir, 'org.sqlite'));
    expect(kept.count('Opportunity')).toBe(36);
    kept.close();
    const forced = cli(dir, 'import', empty, '--force');
    expect(forced.status).toBe(0);
    const emptied = OrgStore.open(join(dir, 'org.sqlite'));
    expect(emptied.count('Opportunity')).toBe(0);
    emptied.close();
  });
});
