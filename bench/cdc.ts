// `npm run bench -- cdc [accounts]` (or `node bench/cdc.ts [accounts]`): Change Data Capture latency, the path a user runs. The Salesforce emulator (in
// this process) holds a slice of the demo org with CDC enabled; `stagecraft serve --crm salesforce` runs as a child
// process; a user's edit is made through the REST API (a completed call with a new contact, logged on an open deal)
// and timed until the companion's write-back of that deal lands in the org (Stakeholders_Engaged__c moves). 100 such
// changes one after another, then 100 at once. Not a test: nothing asserts; figures go to bench/results/cdc.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from 'jsforce';
import { CDC_OBJECTS } from '../server/src/crm/salesforce/cdc.ts';
import type { SalesforceEmulator } from '../tests/emulators/salesforce/index.ts';
import { API_VERSION, demoOrg, demoSlice, emulatorWith, tempDir } from '../tests/integration/salesforce.support.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHANGES = 100;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const summary = (ms: number[]): Record<string, number> => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s.at(-1)!, mean: Math.round(s.reduce((a, b) => a + b, 0) / s.length) };
};

/** The emulated org's clock runs ahead after bulk seeding and big write-backs (each stamp ≥ the last + 1 ms). */
const catchUp = async (emu: SalesforceEmulator): Promise<void> => {
  const ahead = Date.parse(emu.org.stamp());
  while (Date.now() <= ahead) await new Promise((r) => setTimeout(r, 20));
};

/** `accounts`: the leading accounts of the demo org and everything hanging off them (default: the whole demo org). */
export const runCdcBench = async (accounts?: number): Promise<Record<string, unknown>> => {
  const emu = await emulatorWith(demoSlice(accounts ?? demoOrg().Account.length));
  emu.cdc.enable(...CDC_OBJECTS);
  await catchUp(emu);
  const deals = emu.org.all('Opportunity').filter((o) => !o.IsClosed && o.AccountId).slice(0, CHANGES);
  const child = spawn(process.execPath, [join(HERE, '..', 'bin', 'stagecraft.js'), 'serve', '--crm', 'salesforce'], {
    env: { ...process.env, STAGECRAFT_DATA_DIR: tempDir(), SF_INSTANCE_URL: emu.url, SF_ACCESS_TOKEN: emu.accessToken, SF_API_VERSION: API_VERSION, SF_POLL_SECONDS: '3600', SF_CDC: 'auto' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const startedAt = performance.now();
  while (!output.includes('Stagecraft is watching')) {
    if (child.exitCode !== null) throw new Error(`serve exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const startupMs = Math.round(performance.now() - startedAt);
  await catchUp(emu);

  // The moment each deal's write-back lands, from the org's own save path.
  const landed = new Map<string, number>();
  emu.org.changeListeners.add((c) => {
    if (c.def.name === 'Opportunity' && c.changeType === 'UPDATE' && c.before?.Stakeholders_Engaged__c !== c.record.Stakeholders_Engaged__c) landed.set(c.record.Id, performance.now());
  });
  const conn = new Connection({ instanceUrl: emu.url, accessToken: emu.accessToken, version: API_VERSION });
  let n = 0;
  const change = async (deal: (typeof deals)[number]): Promise<number> => {
    const contact = emu.org.insert('Contact', { LastName: `Bench ${++n}`, AccountId: deal.AccountId })[0]!;
    landed.delete(deal.Id);
    const t0 = performance.now();
    await conn.sobject('Task').create({ Subject: 'Call', Status: 'Completed', ActivityDate: new Date().toISOString().slice(0, 10), WhatId: deal.Id, WhoId: contact, TaskSubtype: 'Call' });
    return t0;
  };
  const wait = async (ids: string[]): Promise<void> => {
    const end = Date.now() + 120_000;
    while (ids.some((id) => !landed.has(id))) {
      if (Date.now() > end) throw new Error(`not written within 120 s:\n${output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };

  const sequential: number[] = [];
  for (const deal of deals) {
    const t0 = await change(deal);
    await wait([deal.Id]);
    sequential.push(Math.round(landed.get(deal.Id)! - t0));
  }
  await catchUp(emu);
  const before = (output.match(/Change Data Capture: \d+ changes?/g) ?? []).length;
  const starts = new Map<string, number>();
  for (const deal of deals) starts.set(deal.Id, await change(deal));
  await wait(deals.map((d) => d.Id));
  const burst = deals.map((d) => Math.round(landed.get(d.Id)! - starts.get(d.Id)!));
  const batches = (output.match(/Change Data Capture: \d+ changes?/g) ?? []).length - before;

  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await emu.stop();
  const result = {
    what: 'change (REST create of a completed call on an open deal) → the companion\'s write-back of that deal applied in the org',
    org: { opportunities: emu.org.all('Opportunity').length, openDeals: deals.length, tasks: emu.org.all('Task').length },
    startupMs, sequential: summary(sequential), burstOf100: summary(burst), burstSyncs: batches,
    loadAverage: os.loadavg()[0], cpus: os.cpus().length, node: process.version,
  };
  console.log(`cdc: ${result.org.opportunities} opportunities, ${result.org.tasks} tasks (${deals.length} open deals changed), serve start ${startupMs} ms`);
  console.log(`cdc: 100 changes one at a time: p50 ${result.sequential.p50} ms, p95 ${result.sequential.p95} ms, max ${result.sequential.max} ms`);
  console.log(`cdc: 100 changes at once:       p50 ${result.burstOf100.p50} ms, p95 ${result.burstOf100.p95} ms, max ${result.burstOf100.max} ms (in ${batches} syncs)`);
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'cdc.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runCdcBench(Number(process.argv[2]) || undefined);
