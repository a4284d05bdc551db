// Change Data Capture end to end against the emulator: a change made in the org (through the REST API, as a user's
// edit arrives) comes back as a change event, is turned into its deal, recomputed and written; gap and overflow events
// re-read their object; an object without CDC is polled; and `serve --crm salesforce` killed mid-stream and restarted
// loses no change and writes none twice (counted in the emulator's own change log); a streaming session Salesforce ends
// is reopened on a refreshed token and loses or repeats no event.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import type { SalesforceAdapter } from '../../server/src/crm/salesforce/adapter.ts';
import { CDC_OBJECTS } from '../../server/src/crm/salesforce/cdc.ts';
import { ChangeFeed } from '../../server/src/workers/change-feed.ts';
import { ChangeStreamFeed, serialQueue, type StreamBatch } from '../../server/src/workers/change-stream.ts';
import { composeCompanion, type Companion } from '../../server/src/composition.ts';
import { loadConfig } from '../../server/src/config.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { recomputeAffected } from '../../server/src/use-cases/recompute-affected.ts';
import type { ChangeEventData, SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { API_VERSION, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';

const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
const today = (): string => new Date().toISOString().slice(0, 10);

let emu: SalesforceEmulator | undefined;
let adapter: SalesforceAdapter | undefined;
let companion: Companion | undefined;
let feed: ChangeStreamFeed | undefined;
let poller: ChangeFeed | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await poller?.stop();
  await feed?.stop();
  await companion?.close();
  await emu?.stop();
  poller = feed = adapter = emu = companion = undefined;
});

const until = async (check: () => boolean, what: string | (() => string), ms = 30_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * An emulator seeded with a slice of the demo org, its clock caught up: seeding stamps each record at least a
 * millisecond after the last, so the org's clock runs seconds ahead of this machine's — a call logged "now" would be
 * created after the asOf of the sync that reads it, and not count yet. Real orgs and companions share NTP time.
 */
const seeded = async (accounts: number, options: Parameters<typeof emulatorWith>[1] = {}): Promise<SalesforceEmulator> => {
  const e = await emulatorWith(demoSlice(accounts), options);
  await catchUp(e);
  return e;
};
/** Waits until this machine's clock has passed the emulated org's (a write-back of many records moves it ahead too). */
const catchUp = async (e: SalesforceEmulator): Promise<void> => {
  const ahead = Date.parse(e.org.stamp());
  while (Date.now() <= ahead) await new Promise((r) => setTimeout(r, 20));
};

const connection = (e: SalesforceEmulator): Connection => new Connection({ instanceUrl: e.url, accessToken: e.accessToken, version: API_VERSION });
const stakeholders = (e: SalesforceEmulator, id: string): unknown => e.org.get('Opportunity', id)!.Stakeholders_Engaged__c;

/** Open deals of the slice, with their account (a new contact of that account can be engaged on them). */
const openDeals = (e: SalesforceEmulator, n: number): { id: string; accountId: string }[] =>
  e.org.all('Opportunity').filter((o) => !o.IsClosed && o.AccountId).slice(0, n).map((o) => ({ id: o.Id, accountId: String(o.AccountId) }));

/** A contact nobody has engaged yet: one completed call with them today engages one more stakeholder on the deal. */
const newContact = (e: SalesforceEmulator, accountId: string, n: number): string => e.org.insert('Contact', { LastName: `Stakeholder ${n}`, AccountId: accountId })[0]!;
const completedCall = (dealId: string, contactId: string): Record<string, unknown> => ({ Subject: 'Discovery call', Status: 'Completed', ActivityDate: today(), WhatId: dealId, WhoId: contactId, TaskSubtype: 'Call' });

/**
 * The in-process companion, wired as `serve --crm salesforce` wires it: a first sync, then the change stream feeding the
 * streamed recompute (its deals only), and the poller where asked — one sync at a time.
 */
const watch = async (e: SalesforceEmulator, options: { poll?: boolean; auth?: Record<string, string>; notices?: string[]; beforeStream?: () => void } = {}): Promise<{ batches: StreamBatch[]; started: Awaited<ReturnType<ChangeStreamFeed['start']>> }> => {
  const dir = tempDir();
  const auth = options.auth ?? { SF_INSTANCE_URL: e.url, SF_ACCESS_TOKEN: e.accessToken };
  companion = composeCompanion(loadConfig({ STAGECRAFT_DATA_DIR: dir, ...auth, SF_API_VERSION: API_VERSION }), 'salesforce');
  const c = companion;
  adapter = (await c.adapter()) as SalesforceAdapter;
  expect((await syncOrg(c)).kind).toBe('done');
  const serial = serialQueue();
  const batches: StreamBatch[] = [];
  feed = new ChangeStreamFeed({
    stream: adapter.changeStream((notice) => options.notices?.push(notice.message)), serial, batchMs: 20, onError: (error) => console.error(error),
    sync: async (batch) => {
      batches.push(batch);
      return (await recomputeAffected(c, batch)).kind === 'done';
    },
  });
  options.beforeStream?.();
  const started = await feed.start();
  if (options.poll) {
    poller = new ChangeFeed({ pollMs: 300, probeMs: 60_000, probe: async () => false, sync: () => serial(async () => void (await syncOrg(c, { incremental: true }))) });
    poller.start();
  }
  await catchUp(e); // the first sync's write-back moved the org's clock ahead
  return { batches, started };
};

describe('Change Data Capture', () => {
  it('When a task is created, updated, deleted and undeleted through the API, then each change event reaches its deal (by a query where the event does not name it) and shows in the written fields', async () => {
    emu = await seeded(2);
    emu.cdc.enable(...CDC_OBJECTS);
    const { batches, started } = await watch(emu);
    expect(started.streamed).toEqual([...CDC_OBJECTS]);
    const [deal] = openDeals(emu, 1);
    const before = stakeholders(emu, deal!.id) as number;
    const contact = newContact(emu, deal!.accountId, 1);
    const conn = connection(emu);

    const created = await conn.sobject('Task').create(completedCall(deal!.id, contact));
    await until(() => stakeholders(emu!, deal!.id) === before + 1, () => `CREATE: ${before} → ${String(stakeholders(emu!, deal!.id))} ${JSON.stringify(batches)} ${JSON.stringify(emu!.org.get('Opportunity', deal!.id))}`);
    // An update event carries only the changed fields (no WhatId): the deal comes from a query.
    await conn.sobject('Task').update({ Id: created.id!, Status: 'Not Started' });
    await until(() => stakeholders(emu!, deal!.id) === before, 'UPDATE');
    await conn.sobject('Task').update({ Id: created.id!, Status: 'Completed' });
    await until(() => stakeholders(emu!, deal!.id) === before + 1, 'UPDATE back');
    await conn.sobject('Task').destroy(created.id!);
    await until(() => stakeholders(emu!, deal!.id) === before, 'DELETE');
    emu.org.undelete('Task', created.id!);
    await until(() => stakeholders(emu!, deal!.id) === before + 1, 'UNDELETE');

    const taskTypes = emu.cdc.events.filter((e) => e.data.payload.ChangeEventHeader.entityName === 'Task').map((e) => e.data.payload.ChangeEventHeader.changeType);
    expect(taskTypes).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'DELETE', 'UNDELETE']);
    expect(batches.length).toBeGreaterThanOrEqual(5);
    expect(batches.every((b) => b.dealIds.length === 1 && b.dealIds[0] === deal!.id)).toBe(true);
    // The companion's own last write-back comes back as an Opportunity event and triggers nothing.
    // (Nothing was stored yet, so the stream started from every retained event: the first sync's echoes included.)
    await until(() => feed!.stats.events === emu!.cdc.events.length, 'the echo received');
    await feed!.flush();
    expect(feed!.stats.skipped).toBeGreaterThan(0);
    expect(batches).toHaveLength(5);
  }, 90_000);

  it('When a deal is created through the API, then its indicators are written; the positions stored are those the committed runs covered', async () => {
    emu = await seeded(2);
    emu.cdc.enable(...CDC_OBJECTS);
    await watch(emu);
    const account = emu.org.all('Account')[0]!;
    const made = await connection(emu).sobject('Opportunity').create({ Name: 'New deal', StageName: 'Prospecting', CloseDate: '2027-03-31', AccountId: account.Id, Amount: 40_000 });
    await until(() => emu!.org.get('Opportunity', made.id!)!.Gate_Status__c !== null, 'the new deal written');
    expect(emu.org.get('Opportunity', made.id!)!.Indicators_As_Of__c).not.toBeNull();
    // Every event is stored once handled: the creation by the run that covered it, the write-back's echo at once.
    await until(() => feed!.stats.events === emu!.cdc.events.length, 'every event received');
    await feed!.flush();
    const oppEvents = emu.cdc.events.filter((e) => e.channel === '/data/OpportunityChangeEvent').map((e) => e.data.event.replayId);
    expect((await adapter!.streamPositions()).get('/data/OpportunityChangeEvent')).toBe(Math.max(...oppEvents));
  }, 90_000);

  it('When a change made outside the application servers is announced by a gap event, or an overflow event, then the object is re-read whole and the change is written', async () => {
    emu = await seeded(2);
    emu.cdc.enable(...CDC_OBJECTS);
    const { batches } = await watch(emu);
    const [a, b] = openDeals(emu, 2);
    const conn = connection(emu);
    const taskA = (await conn.sobject('Task').create({ ...completedCall(a!.id, newContact(emu, a!.accountId, 1)), Status: 'Not Started' })).id!;
    const taskB = (await conn.sobject('Task').create({ ...completedCall(b!.id, newContact(emu, b!.accountId, 2)), Status: 'Not Started' })).id!;
    await until(() => batches.length >= 2 || batches.some((x) => x.dealIds.length === 2), 'the tasks recomputed');
    await feed!.flush();
    const beforeA = stakeholders(emu, a!.id) as number;
    const beforeB = stakeholders(emu, b!.id) as number;
    // Completed directly in the database: SystemModstamp does not move and no change event is published.
    const silently = (id: string): void => {
      const stamp = emu!.org.get('Task', id)!.SystemModstamp;
      emu!.cdc.withoutEvents(() => emu!.org.set('Task', id, { Status: 'Completed', SystemModstamp: stamp, LastModifiedDate: stamp }));
    };
    silently(taskA);
    emu.cdc.injectGap('Task', [taskA]);
    await until(() => stakeholders(emu!, a!.id) === beforeA + 1, 'the gap re-read');
    expect(feed!.stats.resyncs).toBe(1);
    silently(taskB);
    emu.cdc.injectOverflow('Task');
    await until(() => stakeholders(emu!, b!.id) === beforeB + 1, 'the overflow re-read');
    expect(feed!.stats.resyncs).toBe(2);
    expect(batches.at(-1)!.resynced).toEqual(['Task']);
  }, 90_000);

  it('When the stored replay id has left the retention window, then the channel resubscribes for new events and its object is re-read whole', async () => {
    emu = await seeded(2, { streaming: { retainEvents: 20 } });
    emu.cdc.enable(...CDC_OBJECTS);
    await watch(emu);
    const [a, b] = openDeals(emu, 2);
    const beforeA = stakeholders(emu, a!.id) as number;
    const beforeB = stakeholders(emu, b!.id) as number;
    const conn = connection(emu);
    await conn.sobject('Task').create(completedCall(a!.id, newContact(emu, a!.accountId, 1)));
    await until(() => stakeholders(emu!, a!.id) === beforeA + 1, 'the first change written');
    const lastTask = emu.cdc.events.filter((e) => e.channel === '/data/TaskChangeEvent').at(-1)!.data.event.replayId;
    let stored: number | undefined;
    for (let i = 0; i < 500 && stored !== lastTask; i++) {
      await new Promise((r) => setTimeout(r, 20));
      stored = (await adapter!.streamPositions()).get('/data/TaskChangeEvent');
    }
    expect(stored).toBe(lastTask);
    await feed!.stop();

    // While the companion is away: a call on another deal, then more changes than the org retains events for.
    await conn.sobject('Task').create(completedCall(b!.id, newContact(emu, b!.accountId, 2)));
    for (const o of emu.org.all('Opportunity').slice(0, 25)) emu.org.set('Opportunity', o.Id, { Description: 'edited while the companion was away' });
    expect(emu.cdc.events[0]!.data.event.replayId).toBeGreaterThan(stored! + 1);

    const batches: StreamBatch[] = [];
    const c = companion!;
    feed = new ChangeStreamFeed({ stream: adapter!.changeStream(), serial: serialQueue(), batchMs: 20, sync: async (batch) => { batches.push(batch); return (await recomputeAffected(c, batch)).kind === 'done'; } });
    const started = await feed.start();
    expect(started.streamed).toContain('Task');
    await until(() => batches.some((x) => x.resynced.includes('Task')), 'the Task re-read');
    await until(() => stakeholders(emu!, b!.id) === beforeB + 1, 'the call on deal b written');
  }, 90_000);

  it('When CDC is not enabled for Task, then its channel is reported unavailable and the poller picks its change up', async () => {
    emu = await seeded(2);
    emu.cdc.enable(...CDC_OBJECTS.filter((o) => o !== 'Task'));
    const { started, batches } = await watch(emu, { poll: true });
    expect(started.unavailable).toEqual([{ object: 'Task', reason: expect.stringContaining('The channel you requested to subscribe to does not exist {/data/TaskChangeEvent}') }]);
    const [deal] = openDeals(emu, 1);
    const before = stakeholders(emu, deal!.id) as number;
    await connection(emu).sobject('Task').create(completedCall(deal!.id, newContact(emu, deal!.accountId, 1)));
    await until(() => stakeholders(emu!, deal!.id) === before + 1, 'the poll');
    expect(batches.filter((b) => b.dealIds.includes(deal!.id))).toEqual([]);
    expect(poller!.stats.syncs).toBeGreaterThan(0);
  }, 90_000);
});

describe('serve --crm salesforce with Change Data Capture, killed mid-stream', () => {
  const serve = (e: SalesforceEmulator, dataDir: string, auth: Record<string, string> = { SF_INSTANCE_URL: e.url, SF_ACCESS_TOKEN: e.accessToken }): { child: ChildProcess; output: () => string } => {
    const child = spawn(process.execPath, [BIN, 'serve', '--crm', 'salesforce'], {
      env: { ...process.env, STAGECRAFT_DATA_DIR: dataDir, ...auth, SF_API_VERSION: API_VERSION, SF_POLL_SECONDS: '3600', SF_CDC: 'auto' },
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    return { child, output: () => output };
  };

  it('When the companion is SIGKILLed while changes stream in and then restarted, then every change is written exactly once', async () => {
    emu = await seeded(3);
    emu.cdc.enable(...CDC_OBJECTS);
    const dataDir = tempDir();
    const first = serve(emu, dataDir);
    await until(() => first.output().includes('Stagecraft is watching'), 'the first serve to start', 60_000);
    expect(first.output()).toContain(`Change Data Capture: streaming ${CDC_OBJECTS.join(', ')}`);
    await catchUp(emu);
    const baseline = emu.cdc.events.at(-1)?.data.event.replayId ?? 0;
    const deals = openDeals(emu, 8);
    expect(deals).toHaveLength(8);
    const before = new Map(deals.map((d) => [d.id, stakeholders(emu!, d.id) as number]));
    const conn = connection(emu);
    const change = async (i: number): Promise<void> => void (await conn.sobject('Task').create(completedCall(deals[i]!.id, newContact(emu!, deals[i]!.accountId, i))));
    const written = (): number => deals.filter((d) => stakeholders(emu!, d.id) === before.get(d.id)! + 1).length;

    for (let i = 0; i < 4; i++) await change(i);
    await until(() => written() >= 1, () => `a first change written\n${first.output()}`);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    for (let i = 4; i < 8; i++) await change(i); // while the companion is down
    await catchUp(emu);

    const second = serve(emu, dataDir);
    await until(() => written() === 8, () => `every change written (${written()} of 8)\n${first.output()}\n---\n${second.output()}`, 60_000);
    await until(() => second.output().includes('Stagecraft is watching'), 'the second serve to settle', 60_000);
    // The restarted companion was handed the changes again by the stream (replayed from the stored position), and
    // recomputed them: the deals were already written (by its start-up sync), so nothing is written twice.
    await until(() => /Change Data Capture: \d+ changes? → \d+ deals?\n(.*\n)*Sync \(salesforce, incremental\)/.test(second.output()), () => `the replayed changes recomputed\n${second.output()}`);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));

    // The emulator's change log: the companion's writes to these deals since the baseline, per deal — exactly one each.
    const writes = new Map<string, number>();
    for (const e of emu.cdc.events) {
      const h = (e.data as ChangeEventData).payload.ChangeEventHeader;
      if (e.data.event.replayId <= baseline || h.entityName !== 'Opportunity' || h.changeType !== 'UPDATE' || !h.changedFields.includes('Stakeholders_Engaged__c')) continue;
      for (const id of h.recordIds) writes.set(id, (writes.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(deals.map((d) => [d.id, writes.get(d.id) ?? 0]))).toEqual(Object.fromEntries(deals.map((d) => [d.id, 1])));
    expect(deals.every((d) => stakeholders(emu!, d.id) === before.get(d.id)! + 1)).toBe(true);
  }, 180_000);

  it('When Salesforce ends the streaming session mid-stream under the refresh-token flow, then a new session is opened on a refreshed token, the channels resubscribe from the last replay ids, and the changes made meanwhile are written once', async () => {
    emu = await seeded(2);
    emu.cdc.enable(...CDC_OBJECTS);
    emu.auth.registerApp({ clientId: 'stagecraft-cdc', clientSecret: 's3cret' });
    const username = String(emu.org.get('User', emu.org.integrationUserId)!.Username);
    const refreshToken = emu.auth.issueRefreshToken('stagecraft-cdc', username);
    const notices: string[] = [];
    // No poller: a change made after the session ended can only arrive through the reopened stream.
    const { batches, started } = await watch(emu, { notices, auth: { SF_LOGIN_URL: emu.url, SF_CLIENT_ID: 'stagecraft-cdc', SF_CLIENT_SECRET: 's3cret', SF_REFRESH_TOKEN: refreshToken } });
    expect(started.streamed).toEqual([...CDC_OBJECTS]);
    expect(emu.cdc.stats.handshakes).toBe(1);
    const [deal] = openDeals(emu, 1);
    const before = stakeholders(emu, deal!.id) as number;
    await connection(emu).sobject('Task').create(completedCall(deal!.id, newContact(emu, deal!.accountId, 1)));
    await until(() => stakeholders(emu!, deal!.id) === before + 1, 'the change before the session ended');
    // The companion at rest first (its write-back's own change events received and handled): otherwise a recompute
    // still in flight refreshes the token first and takes the failure meant for the stream's reopening.
    await until(() => feed!.stats.events === emu!.cdc.events.length, () => `the first change's events received (${feed!.stats.events} of ${emu!.cdc.events.length})`);
    await feed!.flush();

    // Every session expires (the companion's and the test user's): the held poll returns, the next connect is refused.
    // The token endpoint fails once: the first attempt to reopen fails and the next, after a backoff, succeeds.
    emu.faults.inject({ type: 'http503', method: 'POST', path: '/services/oauth2/token' });
    emu.expireSessions();
    await until(() => emu!.cdc.stats.authFailures > 0, 'the streaming session ended');
    const user = new Connection({ instanceUrl: emu.url, accessToken: emu.auth.issueAccessToken(), version: API_VERSION });
    await user.sobject('Task').create(completedCall(deal!.id, newContact(emu, deal!.accountId, 2)));
    await until(() => stakeholders(emu!, deal!.id) === before + 2, () => `the change made after the session ended (handshakes ${emu!.cdc.stats.handshakes}, refused ${emu!.cdc.stats.refusedHandshakes}; ${notices.join(' | ')})`);

    expect(emu.cdc.stats.handshakes).toBe(2); // a second session, on a refreshed token
    expect(emu.cdc.stats.refusedHandshakes).toBe(0); // never a handshake on the dead token
    expect(emu.callCounts().oauth).toBeGreaterThanOrEqual(3); // the first session, the refused refresh, the refresh
    expect(emu.cdc.clientCount).toBe(1);
    expect(notices.filter((n) => n.includes('reopening it'))).toHaveLength(1);
    expect(notices.filter((n) => n.includes('reopening the streaming session failed'))).toHaveLength(1);
    // Every event reached the companion exactly once across both sessions: resubscribed from the newest replay id
    // received, none delivered twice, none lost (the companion's own write-back included).
    await until(() => feed!.stats.events === emu!.cdc.events.length, () => `every event received (${feed!.stats.events} of ${emu!.cdc.events.length})`);
    await feed!.flush();
    expect(feed!.stats.events).toBe(emu.cdc.events.length);
    // The deal was written once per change: one write-back after the first change, one after the second.
    const written = emu.cdc.events.filter((e) => {
      const h = (e.data as ChangeEventData).payload.ChangeEventHeader;
      return h.entityName === 'Opportunity' && h.changeType === 'UPDATE' && h.recordIds.includes(deal!.id) && h.changedFields.includes('Stakeholders_Engaged__c');
    });
    expect(written.map((e) => (e.data as ChangeEventData).payload.Stakeholders_Engaged__c)).toEqual(expect.arrayContaining([before + 1, before + 2]));
    expect(written.filter((e) => (e.data as ChangeEventData).payload.Stakeholders_Engaged__c === before + 2)).toHaveLength(1);
    expect(batches.filter((b) => b.dealIds.includes(deal!.id)).length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('When Salesforce ends the streaming session of a fixed session token, then the companion says it cannot be refreshed and leaves its objects to polling, without retrying the dead token', async () => {
    emu = await seeded(1);
    emu.cdc.enable(...CDC_OBJECTS);
    const notices: string[] = [];
    await watch(emu, { notices });
    emu.expireSessions();
    await until(() => notices.length > 0, 'the notice');
    expect(notices).toEqual([expect.stringMatching(/ended the streaming session \(401::Authentication invalid\) and a session token cannot be refreshed; changes are picked up by polling until a restart/)]);
    expect(emu.cdc.stats).toMatchObject({ handshakes: 1, refusedHandshakes: 0, authFailures: 1 });
  }, 60_000);

  it('When `serve --crm salesforce` on a refresh token has its streaming session ended, then it says so, reopens it, and a change made afterwards is written through the stream', async () => {
    emu = await seeded(1);
    emu.cdc.enable(...CDC_OBJECTS);
    emu.auth.registerApp({ clientId: 'stagecraft-cdc', clientSecret: 's3cret' });
    const refreshToken = emu.auth.issueRefreshToken('stagecraft-cdc', String(emu.org.get('User', emu.org.integrationUserId)!.Username));
    // Polling once an hour: the change below can only arrive through the reopened stream.
    const run = serve(emu, tempDir(), { SF_LOGIN_URL: emu.url, SF_CLIENT_ID: 'stagecraft-cdc', SF_CLIENT_SECRET: 's3cret', SF_REFRESH_TOKEN: refreshToken });
    await until(() => run.output().includes('Stagecraft is watching'), () => `serve to start\n${run.output()}`, 60_000);
    await catchUp(emu);
    emu.expireSessions();
    await until(() => run.output().includes('reopening it'), () => `the notice\n${run.output()}`);
    await until(() => emu!.cdc.stats.handshakes === 2, () => `a second handshake\n${run.output()}`);
    const [deal] = openDeals(emu, 1);
    const before = stakeholders(emu, deal!.id) as number;
    const user = new Connection({ instanceUrl: emu.url, accessToken: emu.auth.issueAccessToken(), version: API_VERSION });
    await user.sobject('Task').create(completedCall(deal!.id, newContact(emu, deal!.accountId, 1)));
    await until(() => stakeholders(emu!, deal!.id) === before + 1, () => `the change written\n${run.output()}`);
    expect(run.output()).toContain('stagecraft: Change Data Capture: Salesforce ended the streaming session (401::Authentication invalid); reopening it');
    run.child.kill('SIGTERM');
    await new Promise((r) => run.child.once('exit', r));
  }, 120_000);

  it('When the session has expired by the time the stream starts, then the refused handshake leaves every object to polling at once and the reopened session subscribes them all', async () => {
    emu = await seeded(1);
    emu.cdc.enable(...CDC_OBJECTS);
    emu.auth.registerApp({ clientId: 'stagecraft-cdc', clientSecret: 's3cret' });
    const refreshToken = emu.auth.issueRefreshToken('stagecraft-cdc', String(emu.org.get('User', emu.org.integrationUserId)!.Username));
    const { started } = await watch(emu, { auth: { SF_LOGIN_URL: emu.url, SF_CLIENT_ID: 'stagecraft-cdc', SF_CLIENT_SECRET: 's3cret', SF_REFRESH_TOKEN: refreshToken }, beforeStream: () => emu!.expireSessions() });
    expect(started.streamed).toEqual([]);
    expect(started.unavailable.map((u) => u.object)).toEqual([...CDC_OBJECTS]);
    expect(started.unavailable[0]!.reason).toBe('the streaming session was refused (403::Handshake denied); reopening it');
    await until(() => emu!.cdc.stats.handshakes === 1 && emu!.cdc.stats.subscribes === CDC_OBJECTS.length, () => `the reopened session subscribed (${JSON.stringify(emu!.cdc.stats)})`);
    expect(emu.cdc.stats.refusedHandshakes).toBe(1);
    const [deal] = openDeals(emu, 1);
    const before = stakeholders(emu, deal!.id) as number;
    const user = new Connection({ instanceUrl: emu.url, accessToken: emu.auth.issueAccessToken(), version: API_VERSION });
    await user.sobject('Task').create(completedCall(deal!.id, newContact(emu, deal!.accountId, 1)));
    await until(() => stakeholders(emu!, deal!.id) === before + 1, 'the change written through the reopened stream');
  }, 60_000);
});
