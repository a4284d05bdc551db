// Webhook delivery as the Webhooks API documents it: events matching the app's subscriptions are POSTed to the target
// URL in batches (a JSON array, at most 100 events per request), each request signed with the v3 signature
// (X-HubSpot-Signature-v3 = base64 HMAC-SHA256 over method + URI + body + timestamp with the app's client secret,
// X-HubSpot-Request-Timestamp in ms) and the v1 one (X-HubSpot-Signature = hex SHA-256 of secret + body). A request that
// fails (connection refused, no answer within the timeout, any 4xx or 5xx) is retried up to 10 times with growing
// delays; a retried event keeps its eventId and carries the next attemptNumber. Real delays spread over 24 hours; here
// they are compressed (configurable) so tests finish.
import { createHash, createHmac } from 'node:crypto';
import type { AssociationType } from './association-types.ts';
import type { ChangeEvent, Portal } from './portal.ts';

export interface WebhookSubscription {
  /** Legacy: `deal.creation`, `deal.propertyChange`, `deal.deletion`, `deal.associationChange` (also contact., company.).
   *  Generic (any object, engagements included): `object.creation`, `object.propertyChange`, `object.deletion`, `object.associationChange` with objectTypeId. */
  subscriptionType: string;
  /** Required for propertyChange subscriptions: one subscription per property, as HubSpot requires. */
  propertyName?: string;
  /** Generic subscriptions: the object type id (0-48 calls, 0-47 meetings, 0-49 emails, 0-46 notes, 0-27 tasks, 0-3 deals …). */
  objectTypeId?: string;
  active?: boolean;
}

export interface WebhookOptions {
  targetUrl: string;
  appId: number;
  clientSecret: string;
  subscriptions: WebhookSubscription[];
  /** Events per request (HubSpot: up to 100). */
  batchSize?: number;
  /** How long events gather before a batch is sent (default 25 ms). */
  batchWindowMs?: number;
  /** The app's maxConcurrentRequests setting (default 10). */
  maxConcurrentRequests?: number;
  /** A response slower than this counts as a failure (HubSpot: 5 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (HubSpot: 10). */
  maxRetries?: number;
  /** Delay before retry n (1-based); default 50 ms · 2^(n-1), HubSpot's 24-hour spread compressed. */
  retryDelayMs?: (retry: number) => number;
  /** The clock for X-HubSpot-Request-Timestamp (default Date.now): a test can make HubSpot's requests look stale. */
  now?: () => number;
}

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId: number;
  changeSource: string;
  changeFlag?: 'CREATED' | 'DELETED';
  propertyName?: string;
  propertyValue?: string;
  objectTypeId?: string;
  associationType?: string;
  associationCategory?: string;
  associationTypeId?: number;
  fromObjectId?: number;
  toObjectId?: number;
  fromObjectTypeId?: string;
  toObjectTypeId?: string;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

export interface Delivery {
  attempt: number;
  events: number;
  eventIds: number[];
  status: number | null;
  error?: string;
  at: number;
}

/** Object types with legacy subscriptions (`deal.*`); legacy association events only fire between these. */
const LEGACY = new Map([['contacts', 'contact'], ['companies', 'company'], ['deals', 'deal']]);
const LEGACY_ASSOCIATION_TARGETS = new Set(['contacts', 'companies', 'deals', 'tickets', 'line_items', 'products']);

const CHANGE_SOURCE: Record<string, string> = { API: 'INTEGRATION', INTEGRATION: 'INTEGRATION', CRM_UI: 'CRM_UI', IMPORT: 'IMPORT', CALCULATED: 'CALCULATED' };

export const signatureV3 = (secret: string, method: string, uri: string, body: string, timestamp: string): string =>
  createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');

export class Webhooks {
  readonly options: Required<Omit<WebhookOptions, 'retryDelayMs' | 'now'>> & { retryDelayMs: (retry: number) => number; now: () => number };
  readonly deliveries: Delivery[] = [];
  /** Every event generated (first attempts), for assertions. */
  readonly events: WebhookEvent[] = [];
  private readonly subscriptionIds: number[];
  private queue: WebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private pendingRetries = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly waiting: (() => void)[] = [];
  private nextEventId = 1_000_000_001;
  private stopped = false;
  private readonly portal: Portal;

  constructor(portal: Portal, options: WebhookOptions) {
    this.portal = portal;
    this.options = {
      batchSize: 100, batchWindowMs: 25, maxConcurrentRequests: 10, timeoutMs: 5000, maxRetries: 10,
      ...options,
      retryDelayMs: options.retryDelayMs ?? ((n) => 50 * 2 ** (n - 1)),
      now: options.now ?? Date.now,
    };
    this.subscriptionIds = options.subscriptions.map((_, i) => 4_000_001 + i);
  }

  /** Turns a portal change into the events of every matching subscription. */
  record(change: ChangeEvent): void {
    if (this.stopped) return;
    const type = this.portal.type(change.type);
    this.options.subscriptions.forEach((sub, i) => {
      if (sub.active === false) return;
      const [scope, action] = sub.subscriptionType.split('.') as [string, string];
      const legacy = scope !== 'object';
      if (legacy ? LEGACY.get(type.name) !== scope : sub.objectTypeId !== type.objectTypeId) return;
      if (action !== change.kind) return;
      const base = (): WebhookEvent => ({
        eventId: this.nextEventId++, subscriptionId: this.subscriptionIds[i]!, portalId: this.portal.portalId, appId: this.options.appId,
        occurredAt: change.occurredAt, subscriptionType: sub.subscriptionType, attemptNumber: 0, objectId: Number(change.objectId),
        changeSource: CHANGE_SOURCE[change.source] ?? change.source, ...(legacy ? {} : { objectTypeId: type.objectTypeId }),
      });
      if (change.kind === 'propertyChange') {
        if (sub.propertyName !== change.propertyName) return;
        this.push({ ...base(), propertyName: change.propertyName, propertyValue: change.propertyValue });
      } else if (change.kind === 'associationChange') {
        const to = this.portal.type(change.toType);
        if (legacy && !LEGACY_ASSOCIATION_TARGETS.has(to.name)) return;
        const def: AssociationType | undefined = this.portal.associationTypes.find((a) => a.typeId === change.typeId && a.category === change.category && a.fromType === type.name && a.toType === to.name);
        this.push({
          ...base(), associationType: `${type.singular}_TO_${to.singular}`.toUpperCase(), associationCategory: change.category, associationTypeId: change.typeId,
          fromObjectId: Number(change.objectId), toObjectId: Number(change.toObjectId), associationRemoved: change.removed, isPrimaryAssociation: def?.label === 'Primary',
          ...(legacy ? {} : { fromObjectTypeId: type.objectTypeId, toObjectTypeId: to.objectTypeId }),
        });
      } else {
        this.push({ ...base(), changeFlag: change.kind === 'creation' ? 'CREATED' : 'DELETED' });
      }
    });
  }

  private push(event: WebhookEvent): void {
    this.events.push(event);
    this.queue.push(event);
    this.timer ??= setTimeout(() => { this.timer = undefined; this.pump(); }, this.options.batchWindowMs);
  }

  private pump(): void {
    while (this.queue.length && this.inFlight < this.options.maxConcurrentRequests && !this.stopped) {
      const batch = this.queue.splice(0, this.options.batchSize);
      void this.send(batch, 0);
    }
    this.settle();
  }

  private async send(batch: WebhookEvent[], retry: number): Promise<void> {
    this.inFlight++;
    const events = batch.map((e) => ({ ...e, attemptNumber: retry }));
    const body = JSON.stringify(events);
    const timestamp = String(this.options.now());
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon-executor (emulated)',
      'X-HubSpot-Request-Timestamp': timestamp,
      'X-HubSpot-Signature-v3': signatureV3(this.options.clientSecret, 'POST', this.options.targetUrl, body, timestamp),
      'X-HubSpot-Signature': createHash('sha256').update(this.options.clientSecret + body, 'utf8').digest('hex'),
      'X-HubSpot-Signature-Version': 'v1',
      'X-HubSpot-Timeout-Millis': String(this.options.timeoutMs),
    };
    const delivery: Delivery = { attempt: retry, events: events.length, eventIds: events.map((e) => e.eventId), status: null, at: Date.now() };
    try {
      const res = await fetch(this.options.targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
      delivery.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 400) delivery.error = `HTTP ${res.status}`;
    } catch (e) {
      delivery.error = (e as Error).name === 'TimeoutError' ? 'timeout' : `connection failed: ${(e as Error).message}`;
    }
    this.deliveries.push(delivery);
    this.inFlight--;
    if (delivery.error && retry < this.options.maxRetries && !this.stopped) {
      this.pendingRetries++;
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.pendingRetries--;
        void this.send(batch, retry + 1);
      }, this.options.retryDelayMs(retry + 1));
      this.retryTimers.add(timer);
    }
    this.pump();
  }

  private settle(): void {
    if (this.queue.length || this.inFlight || this.pendingRetries || this.timer) return;
    for (const w of this.waiting.splice(0)) w();
  }

  /** Resolves once nothing is queued, in flight or waiting to be retried; rejects after `timeoutMs` (tests must not hang). */
  idle(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`webhooks not idle after ${timeoutMs} ms (${this.queue.length} queued, ${this.inFlight} in flight, ${this.pendingRetries} retries pending)`)), timeoutMs);
      this.waiting.push(() => { clearTimeout(t); resolve(); });
      this.settle();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.pendingRetries = 0;
    this.settle();
  }
}
