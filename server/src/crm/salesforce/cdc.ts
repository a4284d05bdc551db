// Salesforce Change Data Capture through the Streaming API: jsforce's CometD (Faye) client, one long-polling
// connection subscribed to each watched object's channel (/data/OpportunityChangeEvent, …) from the replay id the last
// committed run stored. Chosen over the Pub/Sub API because it needs no gRPC stack nor Avro schemas (jsforce, already
// the connector's client, ships it), the events are JSON, and the volumes a companion sees (a sales team's edits) are
// far below what CometD delivers; the event shape and replay semantics are the same.
import type { ChangeStream, StreamEvent } from '../port.ts';
import { ownedField } from '../../../../shared/src/fields.ts';
import type { Connection } from 'jsforce';
import type { SalesforceApi } from './api.ts';
import type { Names } from './objects.ts';

/**
 * The objects watched: the deal and what hangs off it, and the package's objects a person edits (attestations, gate
 * configuration, quarterly objectives). Rep_Scorecard__c is written by the companion only: nothing to watch.
 */
export const CDC_OBJECTS = ['Opportunity', 'OpportunityContactRole', 'Task', 'Event', 'Contact', 'Milestone_Attestation__c', 'Stage_Gate__c', 'Gate_Milestone__c', 'Quarterly_Review__c'] as const;

/** The channel of an entity: /data/OpportunityChangeEvent, /data/ns__Milestone_Attestation__ChangeEvent. */
export const channelOf = (entity: string): string => `/data/${entity.endsWith('__c') ? entity.slice(0, -1) : entity}ChangeEvent`;

const SYSTEM_FIELDS = new Set(['LastModifiedDate', 'LastModifiedById', 'SystemModstamp']);
const CHANGE: Record<string, StreamEvent['change']> = {
  CREATE: 'create', UPDATE: 'update', DELETE: 'delete', UNDELETE: 'undelete', GAP_CREATE: 'gap', GAP_UPDATE: 'gap', GAP_DELETE: 'gap', GAP_UNDELETE: 'gap', GAP_OVERFLOW: 'overflow',
};
/** Where an object's record names its deal. */
const DEAL_FIELD: Record<string, string> = { Opportunity: 'Id', OpportunityContactRole: 'OpportunityId', Task: 'WhatId', Event: 'WhatId', Milestone_Attestation__c: 'Opportunity__c' };
const OPPORTUNITY_PREFIX = '006';

interface EventMessage {
  payload: { ChangeEventHeader: { entityName: string; changeType: string; recordIds?: string[]; changedFields?: string[]; commitTimestamp?: number } } & Record<string, unknown>;
  event: { replayId: number };
}

interface BayeuxMessage {
  channel: string;
  subscription?: string;
  successful?: boolean;
  advice?: { reconnect?: string };
  error?: string;
  ext?: Record<string, unknown>;
  data?: EventMessage;
}

type Positions = Map<string, number>;

/** A subscribe Salesforce never answers (the streaming endpoint unreachable) leaves the object to the poller. */
const SUBSCRIBE_TIMEOUT_MS = 20_000;
const withTimeout = <T>(work: PromiseLike<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from the Streaming API in ${ms / 1000} s`)), ms);
    work.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String((e as { message?: string })?.message ?? e))); });
  });

export interface ChangeStreamOptions {
  api: SalesforceApi;
  names: Names;
  /** The positions the last committed run stored, by channel. */
  loadPositions: () => Promise<Positions>;
  /** Stores positions now (events that needed no recompute). */
  savePositions: (positions: Positions) => Promise<void>;
  /** Positions the next committed run stores with its mirror and cursors. */
  coverPositions: (positions: Positions) => void;
  resync: (objects: readonly string[]) => void;
  onError?: (error: Error) => void;
  /** Backoff between attempts to reopen an ended session (tests replace them). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const positionsOf = (events: readonly StreamEvent[]): Positions => {
  const out: Positions = new Map();
  for (const e of events) if (e.position && e.position.replayId > (out.get(e.position.channel) ?? -Infinity)) out.set(e.position.channel, e.position.replayId);
  return out;
};

type StreamingClient = { subscribe(channel: string, cb: (m: EventMessage) => void): PromiseLike<unknown>; disconnect(): void };

/** The streaming session a client was on ended (`reconnect: none`): Faye then never handshakes again on that client. */
class SessionEnded extends Error {}

/** Reopening an ended session: full-jitter backoff, a random wait up to base·2^attempt, capped. */
const REOPEN_BASE_MS = 1_000;
const REOPEN_MAX_MS = 60_000;

export class SalesforceChangeStream implements ChangeStream {
  private readonly options: ChangeStreamOptions;
  private client: StreamingClient | null = null;
  /** The newest replay id received per channel: a resubscription after the server forgot the client resumes there. */
  private readonly received: Positions = new Map();
  /** The channels subscribed, with their listeners: a reopened session subscribes them again. */
  private readonly subscribed: { object: string; channel: string; listener: (m: EventMessage) => void }[] = [];
  private reopening: Promise<void> | null = null;
  private stopped = false;

  constructor(options: ChangeStreamOptions) {
    this.options = options;
  }

  /**
   * A Faye client on the connection's current access token. jsforce copies the token into the client's Authorization
   * header once, at creation, and Faye stops for good on `reconnect: none` (handshake and connect return without
   * sending anything, so pending subscribes never settle): a session Salesforce ended needs a new client on a
   * refreshed token — retrying the old client, or a new one on the old connection, hangs.
   */
  private open(conn: Connection): { client: StreamingClient; ended: Promise<never> } {
    const received = this.received;
    let end!: (error: Error) => void;
    const ended = new Promise<never>((_, reject) => { end = reject; });
    ended.catch(() => undefined); // observed by whoever races it; never an unhandled rejection
    let client: StreamingClient;
    const extension = {
      // The replay extension, for every channel at once: ext.replay = {channel: id} on each subscribe. A channel with no
      // stored position asks for every retained event (-2), not only new ones (-1): events received by a process
      // killed before it committed them are then delivered again, although no position was ever stored for them.
      outgoing: (message: BayeuxMessage, callback: (m: BayeuxMessage) => void): void => {
        if (message.channel === '/meta/subscribe' && message.subscription) message.ext = { ...message.ext, replay: { [message.subscription]: received.get(message.subscription) ?? -2 } };
        callback(message);
      },
      incoming: (message: BayeuxMessage, callback: (m: BayeuxMessage) => void): void => {
        if ((message.channel === '/meta/handshake' || message.channel === '/meta/connect') && message.advice?.reconnect === 'none') {
          const reason = message.error ?? 'authentication';
          end(new SessionEnded(reason));
          this.sessionEnded(client, reason);
        }
        callback(message);
      },
    };
    client = conn.streaming.createClient([extension]) as unknown as StreamingClient;
    return { client, ended };
  }

  async start(onEvents: (events: StreamEvent[]) => void): Promise<{ streamed: string[]; unavailable: { object: string; reason: string }[] }> {
    const { api, names } = this.options;
    const stored = await this.options.loadPositions();
    for (const [channel, id] of stored) this.received.set(channel, id);
    const received = this.received;
    const { client, ended } = this.open(await api.connection());
    this.client = client;
    const streamed: string[] = [];
    const unavailable: { object: string; reason: string }[] = [];
    for (const object of CDC_OBJECTS) {
      const channel = channelOf(names.object(object));
      const listener = (m: EventMessage): void => {
        if (m.event?.replayId !== undefined) received.set(channel, m.event.replayId);
        onEvents([this.toEvent(object, channel, m)]);
      };
      try {
        await Promise.race([withTimeout(client.subscribe(channel, listener), SUBSCRIBE_TIMEOUT_MS), ended]);
        streamed.push(object);
        this.subscribed.push({ object, channel, listener });
      } catch (error) {
        const message = String((error as Error).message ?? error);
        if (error instanceof SessionEnded) {
          // Salesforce refused the session itself (its token expired since it was issued): no channel can answer on
          // this client. The object is polled; with a flow that can refresh, the reopened session subscribes it.
          if (api.canReauthenticate) this.subscribed.push({ object, channel, listener });
          unavailable.push({ object, reason: `the streaming session was refused (${message})${api.canReauthenticate ? '; reopening it' : ''}` });
          continue;
        }
        if (/replayId/i.test(message) && received.has(channel)) {
          // The stored position left the retention window (72 hours): what happened since is re-read whole.
          received.delete(channel);
          try {
            await client.subscribe(channel, listener);
            streamed.push(object);
            this.subscribed.push({ object, channel, listener });
            onEvents([{ object, change: 'overflow', recordIds: [], fields: {}, changedFields: [], ownWrite: false, committedAt: null, position: null }]);
            continue;
          } catch (again) {
            unavailable.push({ object, reason: String((again as Error).message ?? again) });
            continue;
          }
        }
        unavailable.push({ object, reason: message });
      }
    }
    return { streamed, unavailable };
  }

  /** Salesforce ended the session of `client` (an expired or revoked token): reopen it, once, unless stopped. */
  private sessionEnded(client: StreamingClient, reason: string): void {
    if (this.stopped || client !== this.client || this.reopening) return;
    this.client = null;
    this.reopening = this.reopen(reason).finally(() => { this.reopening = null; });
  }

  /**
   * A new session on a refreshed token, each channel resubscribed from the newest replay id received (events after it
   * are delivered again, the stored positions still guard a restart), with jittered backoff between attempts. Polling
   * covers every object meanwhile, as it does without CDC.
   */
  private async reopen(reason: string): Promise<void> {
    const { api, onError } = this.options;
    const random = this.options.random ?? Math.random;
    // An unref'd wait: a stopped companion does not stay up for a backoff.
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
    if (!api.canReauthenticate) {
      onError?.(new Error(`Change Data Capture: Salesforce ended the streaming session (${reason}) and a session token cannot be refreshed; changes are picked up by polling until a restart`));
      return;
    }
    onError?.(new Error(`Change Data Capture: Salesforce ended the streaming session (${reason}); reopening it, changes are picked up by polling meanwhile`));
    for (let attempt = 0; !this.stopped; attempt++) {
      await sleep(Math.round(random() * Math.min(REOPEN_MAX_MS, REOPEN_BASE_MS * 2 ** attempt)));
      if (this.stopped) return;
      let client: StreamingClient | null = null;
      try {
        const conn = await api.refreshed();
        if (!conn) return;
        const opened = this.open(conn);
        client = opened.client;
        this.client = client;
        for (const s of this.subscribed) {
          try {
            await Promise.race([withTimeout(client.subscribe(s.channel, s.listener), SUBSCRIBE_TIMEOUT_MS), opened.ended]);
          } catch (error) {
            if (error instanceof SessionEnded || /no answer/.test(String((error as Error).message))) throw error;
            // Salesforce refused this channel now (CDC deselected since): the poller keeps it.
            onError?.(new Error(`Change Data Capture: ${s.object} not resubscribed (${String((error as Error).message ?? error)}); it is polled`));
          }
        }
        if (this.stopped) client.disconnect();
        return;
      } catch (error) {
        // A client that timed out may still be alive: it is closed, not left polling beside the next one.
        client?.disconnect();
        if (this.client === client) this.client = null;
        onError?.(new Error(`Change Data Capture: reopening the streaming session failed (${String((error as Error).message ?? error)}); trying again`));
      }
    }
  }

  private toEvent(object: string, channel: string, m: EventMessage): StreamEvent {
    const header = m.payload.ChangeEventHeader;
    const change = CHANGE[header.changeType] ?? 'gap';
    const changedFields = (header.changedFields ?? []).map((f) => this.options.names.unfield(f));
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m.payload)) if (k !== 'ChangeEventHeader') fields[this.options.names.unfield(k)] = v;
    // An update that touched only fields the companion owns is its own write-back coming back.
    const ownWrite = change === 'update' && changedFields.length > 0 && changedFields.every((f) => SYSTEM_FIELDS.has(f) || ownedField(object, f) !== undefined);
    const committedAt = typeof header.commitTimestamp === 'number' ? new Date(header.commitTimestamp).toISOString() : null;
    return { object, change, recordIds: header.recordIds ?? [], fields, changedFields, ownWrite, committedAt, position: { channel, replayId: m.event.replayId } };
  }

  async affected(events: readonly StreamEvent[]): Promise<{ dealIds: string[]; recompute: boolean }> {
    const deals = new Set<string>();
    let recompute = false;
    const lookups = new Map<string, Set<string>>(); // object → record ids whose deal the event does not name
    for (const e of events) {
      if (e.ownWrite) continue;
      if (e.change === 'gap' || e.change === 'overflow') {
        recompute = true;
        continue;
      }
      const field = DEAL_FIELD[e.object];
      if (e.object === 'Opportunity') {
        for (const id of e.recordIds) deals.add(id);
        recompute = true;
      } else if (field && typeof e.fields[field] === 'string') {
        if ((e.fields[field] as string).startsWith(OPPORTUNITY_PREFIX)) deals.add(e.fields[field] as string);
      } else if (field || e.object === 'Contact') {
        const set = lookups.get(e.object) ?? new Set<string>();
        for (const id of e.recordIds) set.add(id);
        lookups.set(e.object, set);
      } else {
        // Gate configuration and quarterly objectives: the playbook or a review changed, not one deal.
        recompute = true;
      }
    }
    for (const [object, ids] of lookups) for (const id of await this.dealsOf(object, [...ids])) deals.add(id);
    return { dealIds: [...deals].sort(), recompute: recompute || deals.size > 0 };
  }

  /** The deals records of an object belong to: one query (queryAll, so deleted rows still name theirs). */
  private async dealsOf(object: string, ids: string[]): Promise<string[]> {
    const { api, names } = this.options;
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      const list = ids.slice(i, i + 200).map((id) => `'${id.replace(/[^A-Za-z0-9]/g, '')}'`).join(', ');
      const soql = object === 'Contact'
        ? `SELECT OpportunityId FROM OpportunityContactRole WHERE ContactId IN (${list})`
        : `SELECT ${names.field(object, DEAL_FIELD[object]!)} FROM ${names.object(object)} WHERE Id IN (${list})`;
      // GET /queryAll?q=SELECT … WHERE Id IN (…)
      const page = (await api.get('query', `/queryAll?q=${encodeURIComponent(soql)}`)) as { records: Record<string, unknown>[] };
      for (const r of page.records) {
        const id = r[object === 'Contact' ? 'OpportunityId' : names.field(object, DEAL_FIELD[object]!)];
        if (typeof id === 'string' && id.startsWith(OPPORTUNITY_PREFIX)) out.push(id);
      }
    }
    return out;
  }

  cover(events: readonly StreamEvent[]): void {
    this.options.coverPositions(positionsOf(events));
  }

  async commitPositions(events: readonly StreamEvent[]): Promise<void> {
    const positions = positionsOf(events);
    if (positions.size) await this.options.savePositions(positions);
  }

  resync(objects: readonly string[]): void {
    this.options.resync(objects);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.client?.disconnect();
    this.client = null;
  }
}
