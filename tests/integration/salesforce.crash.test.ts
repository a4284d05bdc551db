// Crash safety: `stagecraft sync --crm salesforce` killed with SIGKILL mid-write resumes from its journal — same asOf,
// open Bulk jobs settled first — and ends in exactly the state of an uninterrupted run, with nothing written twice.
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKFILL_WEEKS } from '../../server/src/use-cases/companion-sync.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, API_VERSION, AS_OF, demoSliceWithOpenDeals, emulatorWith, ownedState, tempDir } from './salesforce.support.ts';

const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
let reference: Map<string, Record<string, unknown>>;
let changed: number;
let changedDeals: number;

const env = (emu: SalesforceEmulator, dataDir: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ...process.env, STAGECRAFT_DATA_DIR: dataDir, SF_INSTANCE_URL: emu.url, SF_ACCESS_TOKEN: emu.accessToken, SF_API_VERSION: API_VERSION, ...extra,
}) as Record<string, string>;

/** Runs the CLI until the emulator has answered `fired` faults, then kills it with SIGKILL. */
const syncAndKill = (emu: SalesforceEmulator, dataDir: string, extra: Record<string, string> = {}): Promise<{ signal: string | null; output: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--crm', 'salesforce', '--as-of', AS_OF], { env: env(emu, dataDir, extra) });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setInterval(() => {
      if (emu.faults.fired.length > 0) child.kill('SIGKILL');
    }, 5);
    child.once('exit', (_code, signal) => {
      clearInterval(timer);
      if (signal !== 'SIGKILL') reject(new Error(`the sync was not killed mid-write:\n${output}`));
      else resolve({ signal, output });
    });
  });

/** The re-run, asynchronously: the emulator answers from this process, so it must not be blocked. */
const resume = (emu: SalesforceEmulator, dataDir: string, extra: Record<string, string> = {}, args: string[] = []): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'sync', '--crm', 'salesforce', ...args], { env: env(emu, dataDir, extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (status) => resolve({ status, stdout, stderr }));
  });

/** Records written = collection records plus Bulk rows: the plan sizes the summaries print. */
const planned = (stdout: string): number => Number(/fields changed: +[\d,]+ on ([\d,]+) records/.exec(stdout)?.[1]?.replace(/,/g, '') ?? NaN);

const stamped = (emu: SalesforceEmulator): number => emu.org.all('Opportunity').filter((o) => o.Indicators_As_Of__c !== null).length;

beforeAll(async () => {
  const emu = await emulatorWith(demoSliceWithOpenDeals(450));
  // The same backfill of past weekly scorecards as the command runs.
  const summary = await runSync({ adapter: adapterFor(emu, tempDir()), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: BACKFILL_WEEKS });
  changed = summary.plan.records.length;
  changedDeals = summary.plan.records.filter((r) => r.object === 'Opportunity').length;
  reference = ownedState(emu);
  await emu.stop();
}, 60_000);

describe('a sync killed with SIGKILL', () => {
  it('When killed while its second collection request is in flight, then the re-run (no --as-of) writes only the rest and ends in the uninterrupted state', async () => {
    expect(changedDeals).toBeGreaterThan(400); // at least three collection calls for the deals alone
    const emu = await emulatorWith(demoSliceWithOpenDeals(450));
    const dataDir = tempDir();
    let writes = 0;
    emu.faults.inject({ type: 'delay', ms: 1500, match: (req) => req.method === 'PATCH' && req.path.endsWith('/composite/sobjects') && ++writes === 2 });
    await syncAndKill(emu, dataDir);
    const done = stamped(emu);
    expect(done).toBeLessThan(changed);
    await new Promise((r) => setTimeout(r, 1600)); // the in-flight request still commits on the server, as it would
    const again = await resume(emu, dataDir);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`as of ${AS_OF}`);
    // Nothing written twice: the resumed run plans only the deals the killed run had not written.
    expect(planned(again.stdout)).toBe(changed - 400);
    expect(again.stdout).toMatch(/API calls: +\d+ \(.*query.*collections/);
    expect(ownedState(emu)).toEqual(reference);
    // And it is done: the same moment again writes nothing.
    const third = await resume(emu, dataDir, {}, ['--as-of', AS_OF]);
    expect(planned(third.stdout)).toBe(0);
    await emu.stop();
  }, 90_000);

  it('When killed while its Bulk job is processing, then the re-run waits for that job, writes nothing twice and ends in the uninterrupted state', async () => {
    const emu = await emulatorWith(demoSliceWithOpenDeals(450), { bulkProcessingDelayMs: 4000 });
    const dataDir = tempDir();
    // The first status poll of the job is where the kill lands: the job is uploaded and closed, not yet processed.
    emu.faults.inject({ type: 'delay', ms: 50, method: 'GET', path: /\/jobs\/ingest\/[^/]+$/ });
    await syncAndKill(emu, dataDir, { SF_BULK_THRESHOLD: '10' });
    expect(stamped(emu)).toBe(0);
    const jobsBefore = emu.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/jobs/ingest')).length;
    expect(jobsBefore).toBe(1); // killed while the first (Opportunity) job was processing
    const again = await resume(emu, dataDir, { SF_BULK_THRESHOLD: '10' });
    expect(again.status).toBe(0);
    expect(planned(again.stdout)).toBe(changed - changedDeals);
    // The Opportunity job was waited for, not created again; the reps' records the killed run never reached follow.
    const jobs = (emu.bulk.list() as { records: { object: string }[] }).records;
    expect(jobs.filter((j) => j.object === 'Opportunity')).toHaveLength(1);
    expect(ownedState(emu)).toEqual(reference);
    await emu.stop();
  }, 90_000);
});
