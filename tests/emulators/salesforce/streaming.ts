// Change Data Capture over the Streaming API, written from Salesforce's Change Data Capture Developer Guide and the
// Streaming API Developer Guide: a CometD (Bayeux 1.0) endpoint at /cometd/<version> with long polling only
// (handshake, connect, subscribe, unsubscribe, disconnect), the replay extension (-1 new events only, -2 every
// retained event, N the events after N; an id outside the retained window is refused), and change events published
// on /data/ChangeEvents and per-object channels (/data/OpportunityChangeEvent, /data/Milestone_Attestation__ChangeEvent)
// for the entities an admin selected (Setup → Change Data Capture). Not selected → the channel does not exist.
import { randomBytes } from 'node:crypto';
import type { ObjectDef, Org, OrgChange } from './org.ts';

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE' | 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' | 'GAP_OVERFLOW';

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: ChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
  diffFields: string[];
  nulledFields: string[];
}

/** The `data` of a change event message on a /data channel (Streaming API JSON form). */
export interface ChangeEventData {
  schema: string;
  payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
  event: { replayId: number };
}

interface Message {
  channel: string;
  clientId?: string;
  id?: string;
  subscription?: string;
  connectionType?: string;
  ext?: Record<string, unknown>;
  data?: unknown;
  [key: string]: unknown;
}

interface Client {
  id: string;
  subscriptions: Set<string>;
  queue: Message[];
  /** The held /meta/connect, answered when a message arrives or the timeout passes. */
  waiting: (() => void) | null;
  lastSeen: number;
}

/** Objects Change Data Capture does not support (history and relation objects). */
const UNSUPPORTED = new Set(['opportunityhistory', 'opportunityfieldhistory', 'taskrelation', 'eventrelation']);
const SYSTEM_FIELDS = new Set(['Id', 'IsDeleted', 'SystemModstamp', 'CreatedDate', 'CreatedById', 'LastModifiedById']);
const ALL_CHANGES = '/data/ChangeEvents';

/** The channel of an entity: /data/OpportunityChangeEvent, /data/Milestone_Attestation__ChangeEvent. */
export const changeEventChannel = (entity: string): string => `/data/${entity.endsWith('__c') ? entity.slice(0, -1) : entity}ChangeEvent`;

export interface StreamingOptions {
  /** How long a /meta/connect is held without messages (Salesforce advises 110 s; tests use less). */
  connectTimeoutMs?: number;
  /** Events kept for replay (Salesforce keeps 72 hours; here a count). */
  retainEvents?: number;
  /** A client that has not polled for this long is forgotten (Salesforce: about 40 s). */
  clientTimeoutMs?: number;
}

export class ChangeDataCapture {
  private readonly org: Org;
  private readonly enabled = new Set<string>(); // lower-case object names
  /** The retained events, oldest first. */
  readonly events: { channel: string; data: ChangeEventData }[] = [];
  private nextReplayId = 1;
  private commitNumber = 1_000_000;
  private readonly clients = new Map<string, Client>();
  private transaction: { key: string; seq: number; origin: string } | null = null;
  private silent = false;
  readonly options: Required<StreamingOptions>;
  /** Handshakes, connects and subscribes answered, for tests that check reconnection. */
  readonly stats = { handshakes: 0, connects: 0, subscribes: 0, failedSubscribes: 0, refusedHandshakes: 0, authFailures: 0 };

  constructor(org: Org, options: StreamingOptions = {}) {
    this.org = org;
    this.options = { connectTimeoutMs: options.connectTimeoutMs ?? 25_000, retainEvents: options.retainEvents ?? 50_000, clientTimeoutMs: options.clientTimeoutMs ?? 40_000 };
    org.changeListeners.add((change) => this.onChange(change));
  }

  /** Setup → Change Data Capture: select entities (object API names). */
  enable(...objects: string[]): void {
    for (const name of objects) {
      const def = this.org.object(name);
      if (!def) throw new Error(`No object ${name} in the emulated org`);
      if (UNSUPPORTED.has(def.name.toLowerCase())) throw new Error(`${def.name} does not support Change Data Capture`);
      this.enabled.add(def.name.toLowerCase());
    }
  }

  disable(...objects: string[]): void {
    for (const name of objects) this.enabled.delete(name.toLowerCase());
  }

  isEnabled(object: string): boolean {
    return this.enabled.has(object.toLowerCase());
  }

  /** The API request being served: its writes share a transaction key and carry the API as their change origin. */
  beginTransaction(origin: string): void {
    this.transaction = { key: randomBytes(16).toString('hex'), seq: 0, origin };
  }

  endTransaction(): void {
    if (this.transaction && this.transaction.seq > 0) this.commitNumber++;
    this.transaction = null;
  }

  /** A gap event (changes Salesforce could not describe: the header names the records, no field values). */
  injectGap(object: string, recordIds: string[], changeType: 'GAP_CREATE' | 'GAP_UPDATE' | 'GAP_DELETE' | 'GAP_UNDELETE' = 'GAP_UPDATE'): number {
    return this.publish(this.requireDef(object), changeType, recordIds, {}, [], this.org.integrationUserId);
  }

  /** An overflow event: a transaction changed more records of this entity than events are generated for. */
  injectOverflow(object: string): number {
    return this.publish(this.requireDef(object), 'GAP_OVERFLOW', [], {}, [], this.org.integrationUserId);
  }

  /**
   * Runs `work` as a change applied directly in the database, outside the application servers (the documented cause of
   * gap events): it publishes no change event. Tests then inject the gap event themselves.
   */
  withoutEvents<T>(work: () => T): T {
    this.silent = true;
    try {
      return work();
    } finally {
      this.silent = false;
    }
  }

  /** Forgets every client (a server-side session loss): their next poll is told to handshake again. */
  dropClients(): void {
    for (const c of this.clients.values()) c.waiting?.();
    this.clients.clear();
  }

  /** Answers every held /meta/connect now (empty): each client's next connect presents its token again. */
  wakeClients(): void {
    for (const c of this.clients.values()) {
      const wake = c.waiting;
      c.waiting = null;
      wake?.();
    }
  }

  get clientCount(): number {
    return this.clients.size;
  }

  stop(): void {
    for (const c of this.clients.values()) c.waiting?.();
    this.clients.clear();
  }

  private requireDef(object: string): ObjectDef {
    const def = this.org.object(object);
    if (!def || !this.isEnabled(def.name)) throw new Error(`Change Data Capture is not enabled for ${object}`);
    return def;
  }

  private onChange(change: OrgChange): void {
    const { def, record } = change;
    if (this.silent || !this.enabled.has(def.name.toLowerCase())) return;
    const fields: Record<string, unknown> = {};
    let changed: string[] = [];
    const value = (name: string): unknown => record[name] ?? null;
    if (change.changeType === 'CREATE' || change.changeType === 'UNDELETE') {
      // Creation carries every non-null field; changedFields is empty for operations other than update.
      for (const f of def.fields.values()) if (!SYSTEM_FIELDS.has(f.name) && record[f.name] !== null && record[f.name] !== undefined) fields[f.name] = value(f.name);
      fields.CreatedDate = value('CreatedDate');
      fields.CreatedById = value('CreatedById');
    } else if (change.changeType === 'UPDATE') {
      const before = change.before ?? {};
      changed = [...def.fields.values()].map((f) => f.name).filter((n) => !SYSTEM_FIELDS.has(n) && n !== 'LastModifiedDate' && before[n] !== record[n]);
      for (const n of changed) fields[n] = value(n);
      // LastModifiedDate is always among the changed fields of an update.
      if (def.fields.has('lastmodifieddate')) {
        changed.push('LastModifiedDate');
        fields.LastModifiedDate = value('LastModifiedDate');
      }
    }
    // The commit's time is the record's own stamp (SystemModstamp), as on a real org.
    const stamp = Date.parse(String(record.SystemModstamp ?? record.LastModifiedDate ?? record.CreatedDate ?? ''));
    this.publish(def, change.changeType, [record.Id], fields, changed, change.userId, Number.isNaN(stamp) ? undefined : stamp);
  }

  private publish(def: ObjectDef, changeType: ChangeType, recordIds: string[], fields: Record<string, unknown>, changedFields: string[], commitUser: string, committedAt?: number): number {
    const tx = this.transaction;
    const replayId = this.nextReplayId++;
    const header: ChangeEventHeader = {
      entityName: def.name,
      recordIds,
      changeType,
      changeOrigin: tx?.origin ?? '',
      transactionKey: tx?.key ?? randomBytes(16).toString('hex'),
      sequenceNumber: tx ? ++tx.seq : 1,
      commitTimestamp: committedAt ?? this.org.now().getTime(),
      commitNumber: tx ? this.commitNumber : this.commitNumber++,
      commitUser,
      changedFields,
      diffFields: [],
      nulledFields: changedFields.filter((n) => fields[n] === null),
    };
    const data: ChangeEventData = { schema: `stagecraft-emulator-${def.name}`, payload: { ChangeEventHeader: header, ...fields }, event: { replayId } };
    const event = { channel: changeEventChannel(def.name), data };
    this.events.push(event);
    if (this.events.length > this.options.retainEvents) this.events.splice(0, this.events.length - this.options.retainEvents);
    for (const client of this.clients.values()) {
      for (const channel of [event.channel, ALL_CHANGES]) if (client.subscriptions.has(channel)) this.deliver(client, { channel, data });
    }
    return replayId;
  }

  private deliver(client: Client, message: Message): void {
    client.queue.push(message);
    const wake = client.waiting;
    client.waiting = null;
    wake?.();
  }

  /** Whether a channel exists for this org now: /data/ChangeEvents always; an entity's channel only when it is selected. */
  private channelExists(channel: string): boolean {
    if (channel === ALL_CHANGES) return true;
    return [...this.enabled].some((name) => changeEventChannel(this.org.object(name)!.name).toLowerCase() === channel.toLowerCase());
  }

  private channelCase(channel: string): string {
    if (channel === ALL_CHANGES) return channel;
    return [...this.enabled].map((n) => changeEventChannel(this.org.object(n)!.name)).find((c) => c.toLowerCase() === channel.toLowerCase()) ?? channel;
  }

  /** One POST to /cometd/<version>: a batch of Bayeux messages in, their replies (and any deliveries) out. */
  async handle(messages: Message[], authenticated: boolean): Promise<Message[]> {
    this.expireClients();
    const replies: Message[] = [];
    // As CometD servers do, a /meta/connect batched with other messages is answered at once, not held: the replies
    // to a subscribe sent alongside it would otherwise wait for the long poll.
    const hold = messages.length === 1;
    for (const m of messages) replies.push(...(await this.handleOne(m, authenticated, hold)));
    return replies;
  }

  private expireClients(): void {
    const now = Date.now();
    for (const [id, c] of this.clients) if (!c.waiting && now - c.lastSeen > this.options.clientTimeoutMs) this.clients.delete(id);
  }

  private async handleOne(m: Message, authenticated: boolean, hold: boolean): Promise<Message[]> {
    const base = { channel: m.channel, ...(m.id !== undefined ? { id: m.id } : {}) };
    if (m.channel === '/meta/handshake') {
      if (!authenticated) {
        this.stats.refusedHandshakes++;
        return [{ ...base, successful: false, error: '403::Handshake denied', ext: { sfdc: { failureReason: '401::Authentication invalid' }, replay: true }, advice: { reconnect: 'none' } }];
      }
      const types = (m.supportedConnectionTypes as string[] | undefined) ?? ['long-polling'];
      if (!types.includes('long-polling')) return [{ ...base, successful: false, error: `400::Invalid connection type ${types.join(',')}` }];
      this.stats.handshakes++;
      const id = randomBytes(12).toString('base64url');
      this.clients.set(id, { id, subscriptions: new Set(), queue: [], waiting: null, lastSeen: Date.now() });
      return [{
        ...base, version: '1.0', minimumVersion: '1.0', clientId: id, supportedConnectionTypes: ['long-polling'], successful: true,
        advice: { interval: 0, timeout: this.options.connectTimeoutMs, reconnect: 'retry' }, ext: { replay: true, 'payload.format': true },
      }];
    }
    const client = m.clientId ? this.clients.get(m.clientId) : undefined;
    if (!client) {
      return [{ ...base, ...(m.clientId ? { clientId: m.clientId } : {}), successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } }];
    }
    client.lastSeen = Date.now();
    if (!authenticated) {
      this.stats.authFailures++;
      this.clients.delete(client.id);
      return [{ ...base, clientId: client.id, successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } }];
    }
    switch (m.channel) {
      case '/meta/connect': {
        if (m.connectionType !== 'long-polling') return [{ ...base, clientId: client.id, successful: false, error: `400::Invalid connection type ${String(m.connectionType)}` }];
        this.stats.connects++;
        if (hold && client.queue.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => { client.waiting = null; resolve(); }, this.options.connectTimeoutMs);
            client.waiting = () => { clearTimeout(timer); resolve(); };
          });
        }
        client.lastSeen = Date.now();
        if (!this.clients.has(client.id)) return [{ ...base, clientId: client.id, successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } }];
        const out = client.queue.splice(0);
        return [...out, { ...base, clientId: client.id, successful: true, advice: { reconnect: 'retry', interval: 0, timeout: this.options.connectTimeoutMs } }];
      }
      case '/meta/subscribe': {
        const channel = String(m.subscription ?? '');
        const fail = (error: string): Message[] => {
          this.stats.failedSubscribes++;
          return [{ ...base, clientId: client.id, subscription: channel, successful: false, error }];
        };
        if (!channel) return fail('400::Channel name not specified');
        if (!channel.startsWith('/')) return fail("400::Channel subscriptions must start with a leading '/'");
        if (!this.channelExists(channel)) return fail(`400::The channel you requested to subscribe to does not exist {${channel}}`);
        const name = this.channelCase(channel);
        const asked = m.ext?.replay as Record<string, number> | undefined;
        const replay = asked?.[channel] ?? asked?.[name] ?? -1;
        const mine = this.events.filter((e) => name === ALL_CHANGES || e.channel === name);
        let backlog: typeof mine;
        if (replay === -1) backlog = [];
        else if (replay === -2) backlog = mine;
        else {
          // A stored id is valid while the event after it is still retained (or nothing newer exists yet).
          const oldest = this.events[0]?.data.event.replayId ?? this.nextReplayId;
          if (!Number.isInteger(replay) || replay < oldest - 1 || replay >= this.nextReplayId) {
            return fail(`400::The replayId {${replay}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`);
          }
          backlog = mine.filter((e) => e.data.event.replayId > replay);
        }
        this.stats.subscribes++;
        client.subscriptions.add(name);
        for (const e of backlog) this.deliver(client, { channel: name, data: e.data });
        return [{ ...base, clientId: client.id, subscription: channel, successful: true }];
      }
      case '/meta/unsubscribe':
        client.subscriptions.delete(this.channelCase(String(m.subscription ?? '')));
        return [{ ...base, clientId: client.id, subscription: m.subscription, successful: true }];
      case '/meta/disconnect':
        this.clients.delete(client.id);
        client.waiting?.();
        return [{ ...base, clientId: client.id, successful: true }];
      default:
        return [{ ...base, clientId: client.id, successful: false, error: `403::Publishing is not supported on ${m.channel}` }];
    }
  }
}
