// Three correctness bugs the hardening probe found, each pinned by a test that failed before its fix.
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeCompanion } from '../../server/src/composition.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { parseCsv, toCsv } from '../../server/src/csv.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer } from '../../server/src/http/server.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { computeOrgIndicators } from '../../shared/src/engine/opportunity.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { AS_OF, buildDeal, buildHistory, buildSnapshot, daysBefore } from '../support/builders.ts';
import { adapterFor, demoSlice, emulatorWith } from './salesforce.support.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const running: SalesforceEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.stop();
});

describe('a failed Salesforce login does not pin the next sync to its moment', () => {
  it('When the first attempt is refused before anything is read, then the next sync runs as of its own moment', async () => {
    const emu = await emulatorWith(demoSlice(1));
    running.push(emu);
    const dir = tempDir();
    const failedAt = new Date('2026-11-23T08:00:00.000Z');
    const laterAt = new Date('2026-11-23T09:30:00.000Z');
    // Every call of the first attempt is refused: the session is invalid and there is nothing to refresh it with.
    emu.faults.inject({ type: 'invalidSession', times: 1_000 });
    const failed = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, now: () => failedAt }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    emu.faults.clear();
    const summary = await runSync({ adapter: adapterFor(emu, dir), playbook: DEFAULT_PLAYBOOK, now: () => laterAt });
    expect(summary.asOf).toBe(laterAt.toISOString());
  }, 60_000);
});

describe('a StageName that disagrees with the deal\'s own history', () => {
  it('When the CRM says Proposal and the last history row says Qualification, then the CRM\'s stage is current and the disagreement is reported', () => {
    const deal = buildDeal({ stage: 'Proposal/Price Quote', createdDate: daysBefore(40) });
    const snapshot = buildSnapshot({ opportunities: [deal], stageHistory: [buildHistory(deal.id, 'Prospecting', daysBefore(40)), buildHistory(deal.id, 'Qualification', daysBefore(20))] });
    const { deals, dataQuality } = computeOrgIndicators(snapshot, DEFAULT_PLAYBOOK, AS_OF);
    expect(deals[0]!.stage).toBe('Proposal/Price Quote');
    expect([...dataQuality.keys()].join('\n')).toMatch(/StageName disagrees with (its|their) stage history/);
  });

  it('When history after asOf explains the difference, then the stage at asOf is history\'s and nothing is reported', () => {
    const deal = buildDeal({ stage: 'Proposal/Price Quote', createdDate: daysBefore(40) });
    const snapshot = buildSnapshot({ opportunities: [deal], stageHistory: [buildHistory(deal.id, 'Qualification', daysBefore(20)), buildHistory(deal.id, 'Proposal/Price Quote', daysBefore(-2))] });
    const { deals, dataQuality } = computeOrgIndicators(snapshot, DEFAULT_PLAYBOOK, AS_OF);
    expect(deals[0]!.stage).toBe('Qualification');
    expect([...dataQuality.keys()].join('\n')).not.toMatch(/disagrees with/);
  });
});

describe('"Sync now" and the CLI sync agree on attainment (quotas.csv)', () => {
  /** The fixture org with two reps who own its deals, and their quotas for the current quarter. */
  const repOrg = (): { dir: string; orgFile: string } => {
    const source = tempDir();
    for (const name of readdirSync(FIXTURE_DIR)) copyFileSync(join(FIXTURE_DIR, name), join(source, name));
    const { header, rows } = parseCsv(readFileSync(join(FIXTURE_DIR, 'Opportunity.csv'), 'utf8'), 'Opportunity.csv');
    const reps = ['005000000000001AAA', '005000000000002AAA'];
    writeFileSync(join(source, 'Opportunity.csv'), toCsv([...header, 'OwnerId'], rows.map((r, i) => [...header.map((h) => r.values[h] ?? ''), reps[i % 2]])));
    writeFileSync(join(source, 'User.csv'), toCsv(['Id', 'Name', 'Email', 'IsActive'], reps.map((id, i) => [id, `Rep ${i + 1}`, `rep${i + 1}@example.com`, 'true'])));
    const dir = tempDir();
    const orgFile = join(dir, 'org.sqlite');
    importFolder(source, orgFile, new Date());
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    writeFileSync(join(dir, 'quotas.csv'), `User,Quarter,Quota\nrep1@example.com,${quarter},100000\nRep 2,${quarter},50000\n`);
    return { dir, orgFile };
  };
  const attainments = (orgFile: string): unknown[] => {
    const store = OrgStore.open(orgFile);
    try {
      return store.all('Rep_Scorecard__c').filter((r) => r.Is_Current__c === true).map((r) => (JSON.parse(String(r.Score_Breakdown__c)) as { attainment: unknown }).attainment);
    } finally {
      store.close();
    }
  };

  it('When quotas.csv is present, then a sync started through the API writes the same attainment as the CLI sync, never empty', async () => {
    const { dir, orgFile } = repOrg();
    const c = composeCompanion({ dataDir: dir, orgFile });
    await syncOrg(c, {});
    await c.close();
    const fromCli = attainments(orgFile);
    expect(fromCli).toHaveLength(2);
    expect(fromCli.every((a) => a !== null)).toBe(true);
    const store = OrgStore.open(orgFile);
    const server = await startServer({ store, dataDir: dir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
    try {
      // A full sync as of a later moment (the API's "Sync now" with asOf), then an incremental one: attainment stays.
      for (const body of [{ asOf: new Date().toISOString() }, {}]) {
        const res = await fetch(`${server.url}/api/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(202);
        await server.sync.idle();
        expect(server.sync.current()).toMatchObject({ state: 'idle', error: null });
        expect(attainments(orgFile)).toEqual(fromCli);
      }
    } finally {
      await server.stop();
      store.close();
    }
  }, 60_000);
});
