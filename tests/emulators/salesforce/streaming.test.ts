// Change Data Capture over CometD, exercised with jsforce's own Streaming client (Faye, long polling) and with raw
// Bayeux messages where the client would hide what the server answered.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from 'faye';
import { startSalesforceEmulator, type ChangeEventData, type SalesforceEmulator } from './index.ts';
import { API_VERSION, api, connect, seedOpportunities } from './helpers.ts';

let emu: SalesforceEmulator;
let clients: Client[] = [];
beforeEach(async () => { emu = await startSalesforceEmulator({ streaming: { connectTimeoutMs: 2000 } }); });
afterEach(async () => {
  // Faye's typings omit disconnect(): it sends /meta/disconnect and stops polling.
  for (const c of clients) (c as unknown as { disconnect(): void }).disconnect();
  clients = [];
  await emu.stop();
});

/** A Faye client with a replay extension asking for `replay` on every channel it subscribes to. */
const streamingClient = (replay: Record<string, number> = {}): Client => {
  const ext = {
    outgoing: (message: { channel: string; subscription?: string; ext?: Record<string, unknown> }, callback: (m: unknown) => void) => {
      if (message.channel === '/meta/subscribe' && message.subscription && replay[message.subscription] !== undefined) {
        message.ext = { ...message.ext, replay: { [message.subscription]: replay[message.subscription] } };
      }
      callback(message);
    },
  };
  const client = connect(emu).streaming.createClient([ext]);
  clients.push(client);
  return client;
};

const collect = async (client: Client, channel: string): Promise<ChangeEventData[]> => {
  const got: ChangeEventData[] = [];
  await client.subscribe(channel, (data: ChangeEventData) => void got.push(data));
  return got;
};

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** Raw Bayeux: one POST to /cometd/<version>. */
const bayeux = async (messages: unknown[], token = emu.accessToken): Promise<Record<string, unknown>[]> => {
  const res = await fetch(`${emu.url}/cometd/${API_VERSION}`, { method: 'POST', headers: { Authorization: `OAuth ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(messages) });
  return (await res.json()) as Record<string, unknown>[];
};

describe('Change Data Capture channels', () => {
  it('When a REST write updates an opportunity, then its channel delivers an UPDATE with the documented header, only the changed fields, and a replay id', async () => {
    emu.cdc.enable('Opportunity');
    const [id] = seedOpportunities(emu, 1);
    const client = streamingClient();
    const events = await collect(client, '/data/OpportunityChangeEvent');
    const res = await api(emu, `/sobjects/Opportunity/${id}`, { method: 'PATCH', body: JSON.stringify({ StageName: 'Prospecting', Amount: 1234 }) });
    expect(res.status).toBe(204);
    await until(() => events.length === 1);
    const { payload, event } = events[0]!;
    expect(event.replayId).toBeGreaterThan(0);
    expect(payload.ChangeEventHeader).toMatchObject({
      entityName: 'Opportunity', changeType: 'UPDATE', recordIds: [id], changeOrigin: `com/salesforce/api/rest/${API_VERSION}`, sequenceNumber: 1, commitUser: emu.org.integrationUserId,
    });
    expect(payload.ChangeEventHeader.changedFields.sort()).toEqual(['Amount', 'LastModifiedDate', 'StageName']);
    expect(payload.ChangeEventHeader.transactionKey).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof payload.ChangeEventHeader.commitTimestamp).toBe('number');
    expect(payload).toMatchObject({ StageName: 'Prospecting', Amount: 1234 });
    expect(payload).not.toHaveProperty('Name');
  });

  it('When records are created, deleted and undeleted, then CREATE (all set fields), DELETE and UNDELETE arrive in order, also on /data/ChangeEvents', async () => {
    emu.cdc.enable('Task', 'Opportunity');
    const perObject = await collect(streamingClient(), '/data/TaskChangeEvent');
    const all = await collect(streamingClient(), '/data/ChangeEvents');
    const [task] = emu.org.insert('Task', { Subject: 'Call', Status: 'Not Started' });
    emu.org.delete('Task', task!);
    emu.org.undelete('Task', task!);
    seedOpportunities(emu, 1);
    await until(() => perObject.length === 3 && all.length === 4);
    expect(perObject.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual(['CREATE', 'DELETE', 'UNDELETE']);
    expect(perObject[0]!.payload).toMatchObject({ Subject: 'Call', Status: 'Not Started' });
    expect(perObject[0]!.payload.ChangeEventHeader.changedFields).toEqual([]);
    expect(all.map((e) => e.payload.ChangeEventHeader.entityName)).toEqual(['Task', 'Task', 'Task', 'Opportunity']);
    const ids = all.map((e) => e.event.replayId);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('When one collection call updates three records, then their events share a transaction key with sequence numbers 1..3 and one commit number', async () => {
    emu.cdc.enable('Opportunity');
    const ids = seedOpportunities(emu, 3);
    const events = await collect(streamingClient(), '/data/OpportunityChangeEvent');
    await connect(emu).sobject('Opportunity').update(ids.map((Id) => ({ Id, Amount: 5 })));
    await until(() => events.length === 3);
    const headers = events.map((e) => e.payload.ChangeEventHeader);
    expect(new Set(headers.map((h) => h.transactionKey)).size).toBe(1);
    expect(headers.map((h) => h.sequenceNumber)).toEqual([1, 2, 3]);
    expect(new Set(headers.map((h) => h.commitNumber)).size).toBe(1);
  });

  it('When CDC is not enabled for an object, then subscribing to its channel fails as Salesforce answers, and its changes publish nothing', async () => {
    emu.cdc.enable('Opportunity');
    const client = streamingClient();
    await expect(client.subscribe('/data/TaskChangeEvent', () => undefined)).rejects.toMatchObject({ message: expect.stringContaining('The channel you requested to subscribe to does not exist {/data/TaskChangeEvent}') });
    emu.org.insert('Task', { Subject: 'Call', Status: 'Not Started' });
    expect(emu.cdc.events).toHaveLength(0);
    expect(() => emu.cdc.enable('OpportunityHistory')).toThrow(/does not support Change Data Capture/);
  });

  it('When a client subscribes with -2, a stored replay id, or -1, then it gets every retained event, the events after that id, or only new ones', async () => {
    emu.cdc.enable('Opportunity');
    const ids = seedOpportunities(emu, 3);
    const firstId = emu.cdc.events[0]!.data.event.replayId;
    const channel = '/data/OpportunityChangeEvent';
    const everything = await collect(streamingClient({ [channel]: -2 }), channel);
    const after = await collect(streamingClient({ [channel]: firstId }), channel);
    const fresh = await collect(streamingClient({ [channel]: -1 }), channel);
    await until(() => everything.length === 3 && after.length === 2);
    expect(after.map((e) => e.payload.ChangeEventHeader.recordIds[0])).toEqual(ids.slice(1));
    expect(fresh).toHaveLength(0);
    emu.org.set('Opportunity', ids[0]!, { Amount: 1 });
    await until(() => fresh.length === 1 && everything.length === 4);
  });

  it('When a replay id fell out of the retention window, then the subscribe is refused with the documented message', async () => {
    await emu.stop();
    emu = await startSalesforceEmulator({ streaming: { connectTimeoutMs: 2000, retainEvents: 2 } });
    emu.cdc.enable('Opportunity');
    seedOpportunities(emu, 5); // replay ids 1..5, only 4 and 5 kept
    const [hs] = await bayeux([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    const clientId = hs!.clientId;
    const sub = (replay: number) => bayeux([{ channel: '/meta/subscribe', clientId, subscription: '/data/OpportunityChangeEvent', ext: { replay: { '/data/OpportunityChangeEvent': replay } } }]);
    const [refused] = await sub(1);
    expect(refused).toMatchObject({ successful: false, error: '400::The replayId {1} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.' });
    const [accepted] = await sub(3);
    expect(accepted).toMatchObject({ successful: true });
    const replies = await bayeux([{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]);
    expect(replies.filter((r) => r.channel === '/data/OpportunityChangeEvent').map((r) => (r.data as ChangeEventData).event.replayId)).toEqual([4, 5]);
  });

  it('When gap and overflow events are injected, then they carry GAP_* / GAP_OVERFLOW headers without field values', async () => {
    emu.cdc.enable('Contact');
    const [contact] = emu.org.insert('Contact', { LastName: 'Gap' });
    const events = await collect(streamingClient(), '/data/ContactChangeEvent');
    emu.cdc.injectGap('Contact', [contact!]);
    emu.cdc.injectOverflow('Contact');
    await until(() => events.length === 2);
    expect(events.map((e) => e.payload.ChangeEventHeader.changeType)).toEqual(['GAP_UPDATE', 'GAP_OVERFLOW']);
    expect(events[0]!.payload.ChangeEventHeader.recordIds).toEqual([contact]);
    expect(Object.keys(events[0]!.payload)).toEqual(['ChangeEventHeader']);
  });

  it('When the session is invalid, the client is unknown, or the clients are dropped, then the answers tell the client to stop or to handshake again', async () => {
    const [denied] = await bayeux([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }], 'bogus');
    expect(denied).toMatchObject({ successful: false, error: '403::Handshake denied', advice: { reconnect: 'none' }, ext: { sfdc: { failureReason: '401::Authentication invalid' } } });
    const [unknown] = await bayeux([{ channel: '/meta/connect', clientId: 'nope', connectionType: 'long-polling' }]);
    expect(unknown).toMatchObject({ successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake' } });
    // A Faye client re-handshakes and re-subscribes on its own after the server forgot it.
    emu.cdc.enable('Opportunity');
    const events = await collect(streamingClient(), '/data/OpportunityChangeEvent');
    emu.cdc.dropClients();
    await until(() => emu.cdc.stats.handshakes >= 2 && emu.cdc.clientCount === 1 && emu.cdc.stats.subscribes >= 2);
    seedOpportunities(emu, 1);
    await until(() => events.length === 1);
    expect(emu.callCounts().streaming).toBeGreaterThan(0);
    expect(emu.callCounts().total).toBe(0); // streaming calls do not count against the REST allocation
  });

  it('When every session is expired while a connect is held, then the held poll returns, the next connect is refused for good, a handshake on the old token is denied, and a new token handshakes', async () => {
    const [hs] = await bayeux([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    const clientId = String(hs!.clientId);
    const held = bayeux([{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]);
    await until(() => emu.cdc.stats.connects === 1);
    emu.expireSessions();
    expect((await held).at(-1)).toMatchObject({ channel: '/meta/connect', successful: true });
    const [refused] = await bayeux([{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]);
    expect(refused).toMatchObject({ successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } });
    const [denied] = await bayeux([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }]);
    expect(denied).toMatchObject({ successful: false, error: '403::Handshake denied', advice: { reconnect: 'none' } });
    expect(emu.cdc.stats).toMatchObject({ handshakes: 1, authFailures: 1, refusedHandshakes: 1 });
    const [again] = await bayeux([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'] }], emu.auth.issueAccessToken());
    expect(again).toMatchObject({ successful: true });
    expect(emu.cdc.stats.handshakes).toBe(2);
  });
});
