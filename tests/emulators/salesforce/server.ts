// The Salesforce REST API emulator's HTTP front: OAuth token endpoint, versions, describe, query/queryMore/queryAll,
// sObject rows and Collections, Bulk API 2.0 ingest — with API-usage accounting (Sforce-Limit-Info) and fault injection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Auth, OAuthError, type Session } from './auth.ts';
import { BulkIngest } from './bulk.ts';
import { RecordError, SfError, invalidSession, notFound, requestLimitExceeded } from './errors.ts';
import { Faults, type FaultSpec, type RecordFault } from './faults.ts';
import { to18 } from './ids.ts';
import { Org, describeObject, sfDateTime, type ObjectDef } from './org.ts';
import { defaultSchema, type ObjectSchema } from './schema.ts';
import { SoqlEngine } from './soql.ts';
import { ChangeDataCapture, type StreamingOptions } from './streaming.ts';
import { collection, single, type WriteScope } from './writes.ts';

export type CallKind = 'query' | 'queryMore' | 'describe' | 'collections' | 'bulk' | 'other' | 'oauth' | 'versions' | 'streaming';

export interface Call {
  method: string;
  path: string;
  kind: CallKind;
  status: number;
  /** Whether the call counted against the daily API allocation. */
  counted: boolean;
  /** The calling client named by `Sforce-Call-Options: client=…`, when the caller sends one. */
  client?: string;
  /** When the request arrived and when it was answered (ms since the epoch): who was calling the org when. */
  startedAt: number;
  endedAt: number;
  /** sObject Collections writes: the records the call sent, by id (or `field=value` for an upsert key). */
  written?: string[];
}

export interface EmulatorOptions {
  /** Object schemas; default: defaultSchema(). */
  schema?: ObjectSchema[];
  /** Lowest and highest API version served (default 50.0 and 68.0, Winter '27). */
  minApiVersion?: number;
  maxApiVersion?: number;
  /** Daily API request allocation (default 100000) and usage already spent today (default 0). */
  dailyApiLimit?: number;
  apiUsage?: number;
  /** Default query batch size (Salesforce: 2000). */
  queryBatchSize?: number;
  /** Bulk API 2.0: delay before an UploadComplete job is processed (default 50 ms); upload size cap (default 150 MB). */
  bulkProcessingDelayMs?: number;
  bulkMaxUploadBytes?: number;
  /** The org's clock (CreatedDate, SystemModstamp, date literals, JWT exp). */
  now?: () => Date;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Change Data Capture over CometD (connect hold time, events retained, client expiry). */
  streaming?: StreamingOptions;
}

interface Cursor {
  rows: Record<string, unknown>[];
  batch: number;
  endpoint: 'query' | 'queryAll';
}

interface Ctx {
  method: string;
  path: string;
  version: string;
  rest: string[]; // path segments after /services/data/vXX.X/
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  session: Session | undefined;
  recordFaults: RecordFault[];
}

interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
}

/** The records a Collections write names: ids, or `field=value` of an upsert's external id. */
const writtenKeys = (path: string, body: Buffer): string[] => {
  const extField = /\/composite\/sobjects\/[^/]+\/([^/]+)$/.exec(path)?.[1];
  try {
    const records = (JSON.parse(body.toString('utf8')) as { records?: Record<string, unknown>[] }).records ?? [];
    return records.map((r) => (extField ? `${extField}=${String(r[extField])}` : String(r.id ?? r.Id ?? '')));
  } catch {
    return [];
  }
};

const RELEASES = ['Winter', 'Spring', 'Summer'];
const releaseLabel = (v: number): string => `${RELEASES[(v - 50) % 3]} '${21 + Math.floor((v - 50) / 3)}`;

export class SalesforceEmulator {
  readonly org: Org;
  readonly auth: Auth;
  readonly faults = new Faults();
  readonly bulk: BulkIngest;
  /** Change Data Capture: `enable(objects)`, the retained `events`, gap/overflow injection, the CometD endpoint. */
  readonly cdc: ChangeDataCapture;
  readonly calls: Call[] = [];
  url = '';
  /** A session for the integration user, ready for tests that do not exercise OAuth. */
  accessToken = '';
  apiUsage: number;
  dailyApiLimit: number;
  private readonly minVersion: number;
  private readonly maxVersion: number;
  private readonly batchSize: number;
  private readonly cursors = new Map<string, Cursor>();
  private readonly server = createServer((req, res) => void this.handle(req, res));

  constructor(options: EmulatorOptions = {}) {
    this.org = new Org(options.schema ?? defaultSchema(), options.now);
    this.auth = new Auth(this.org);
    this.cdc = new ChangeDataCapture(this.org, options.streaming);
    this.bulk = new BulkIngest(this.org, { processingDelayMs: options.bulkProcessingDelayMs ?? 50, maxUploadBytes: options.bulkMaxUploadBytes ?? 150 * 1024 * 1024 });
    this.minVersion = options.minApiVersion ?? 50;
    this.maxVersion = options.maxApiVersion ?? 68;
    this.dailyApiLimit = options.dailyApiLimit ?? 100_000;
    this.apiUsage = options.apiUsage ?? 0;
    this.batchSize = options.queryBatchSize ?? 2000;
    // Salesforce keeps idle connections open far longer than Node's 5 s default. With the default, a client that
    // pauses (a sync computing for 5 s on a busy machine) reuses a socket the emulator just closed: ECONNRESET, a retry,
    // and a call the client counts that never arrived — API-budget assertions then fail by one under load.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.auth.baseUrl = this.url;
    this.accessToken = this.auth.issueAccessToken();
    return this;
  }

  /**
   * Admin switch: every access token expires (a session timeout, or an admin's "revoke all sessions") and held
   * streaming polls return, so each streaming client's next /meta/connect is answered `401::Authentication invalid`.
   * Refresh tokens stay valid.
   */
  expireSessions(): void {
    this.auth.expireAccessToken();
    this.cdc.wakeClients();
  }

  async stop(): Promise<void> {
    this.bulk.stop();
    this.cdc.stop();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Calls per kind, for API-budget assertions. */
  callCounts(): Record<CallKind | 'total', number> {
    const counts = { query: 0, queryMore: 0, describe: 0, collections: 0, bulk: 0, other: 0, oauth: 0, versions: 0, streaming: 0, total: 0 };
    for (const c of this.calls) { counts[c.kind]++; if (c.counted) counts.total++; }
    return counts;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  injectFault(spec: FaultSpec): void {
    this.faults.inject(spec);
  }

  private limitHeader(): string {
    return `api-usage=${this.apiUsage}/${this.dailyApiLimit}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const client = /(?:^|,)\s*client=([^,]+)/.exec(String(req.headers['sforce-call-options'] ?? ''))?.[1]?.trim();
    const call: Call = { method, path: url.pathname, kind: 'other', status: 0, counted: false, startedAt: Date.now(), endedAt: 0, ...(client ? { client } : {}) };
    if (method !== 'GET' && url.pathname.includes('/composite/sobjects')) call.written = writtenKeys(url.pathname, body);
    let reply: Reply;
    try {
      reply = await this.dispatch(method, url, req.headers, body, call);
    } catch (e) {
      if (e instanceof SfError) reply = { status: e.status, json: e.body() };
      else if (e instanceof OAuthError) reply = { status: e.status, json: { error: e.error, error_description: e.message } };
      else reply = { status: 500, json: [{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred in the emulator: ${(e as Error).message}` }] };
    }
    call.status = reply.status;
    call.endedAt = Date.now();
    this.calls.push(call);
    const headers: Record<string, string> = { 'Sforce-Limit-Info': this.limitHeader() };
    if (reply.status === 401 && call.kind !== 'oauth') headers['WWW-Authenticate'] = 'Token';
    if (reply.json !== undefined) {
      res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(reply.status, { ...headers, ...(reply.text !== undefined ? { 'Content-Type': reply.contentType ?? 'text/csv' } : {}) });
      res.end(reply.text ?? '');
    }
  }

  private async dispatch(method: string, url: URL, headers: IncomingMessage['headers'], body: Buffer, call: Call): Promise<Reply> {
    const path = url.pathname;
    if (path === '/services/oauth2/token') {
      call.kind = 'oauth';
      await this.applyRequestFaults(this.faults.take({ method, path }));
      if (method !== 'POST') throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST`);
      if (!String(headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) throw new OAuthError('invalid_request', 'content-type must be application/x-www-form-urlencoded');
      return { status: 200, json: this.auth.token(new URLSearchParams(body.toString('utf8'))) };
    }
    const cometd = /^\/cometd\/(\d+\.\d)\/?$/.exec(path);
    if (cometd) {
      // Streaming API calls do not count against the daily REST allocation (they have their own limits).
      call.kind = 'streaming';
      const v = Number(cometd[1]);
      if (v < this.minVersion || v > this.maxVersion) throw new SfError(400, 'INVALID_VERSION', `Unsupported API version. URI format: '/cometd/${this.maxVersion}.0'`);
      if (method !== 'POST') throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are POST`);
      let messages: unknown;
      try {
        messages = JSON.parse(body.toString('utf8'));
      } catch {
        throw new SfError(400, 'JSON_PARSER_ERROR', 'The Bayeux message is not JSON');
      }
      const list = (Array.isArray(messages) ? messages : [messages]) as Parameters<ChangeDataCapture['handle']>[0];
      return { status: 200, json: await this.cdc.handle(list, this.auth.session(headers.authorization) !== undefined) };
    }
    if (path === '/services/data' || path === '/services/data/') {
      call.kind = 'versions';
      const versions = [];
      for (let v = this.minVersion; v <= this.maxVersion; v++) versions.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
      return { status: 200, json: versions };
    }
    const m = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(path);
    if (!m) throw notFound();
    const version = m[1]!;
    const v = Number(version);
    if (v < this.minVersion) {
      throw new SfError(410, 'UNSUPPORTED_API_VERSION', `API version ${version} is retired and unavailable; this org serves ${this.minVersion}.0 to ${this.maxVersion}.0`);
    }
    if (v > this.maxVersion || !Number.isInteger(v)) throw notFound();
    const rest = (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
    call.kind = kindOf(method, rest);
    const session = this.auth.session(headers.authorization);
    if (!session) throw invalidSession();
    if (this.apiUsage >= this.dailyApiLimit) throw requestLimitExceeded();
    this.apiUsage++;
    call.counted = true;
    const recordFaults = await this.applyRequestFaults(this.faults.take({ method, path }));
    const ctx: Ctx = { method, path, version, rest, url, headers, body, session, recordFaults };
    // One request, one transaction: its change events share a transaction key and name the REST API as their origin.
    this.cdc.beginTransaction(`com/salesforce/api/rest/${version}`);
    try {
      return this.route(ctx);
    } finally {
      this.cdc.endTransaction();
    }
  }

  /** Answers request faults (throwing their error) before any handler runs; returns the record faults for the write. */
  private async applyRequestFaults(taken: FaultSpec[]): Promise<RecordFault[]> {
    const delay = taken.find((f) => f.type === 'delay');
    if (delay) await new Promise((r) => setTimeout(r, delay.ms ?? 1000));
    for (const f of taken) {
      switch (f.type) {
        case 'http503': throw new SfError(503, 'SERVER_UNAVAILABLE', 'Server Unavailable');
        case 'http500': throw new SfError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)');
        case 'unableToLockRow': throw new SfError(400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record or 1 records');
        case 'requestLimitExceeded': throw requestLimitExceeded();
        case 'invalidSession': throw invalidSession();
        default: break;
      }
    }
    return taken
      .filter((f): f is FaultSpec & { type: RecordFault['type'] } => f.type === 'partialFailure' || f.type === 'unableToLockRowRecords')
      .map((f) => ({ type: f.type, ids: f.ids ? new Set(f.ids.flatMap((id) => [id, to18(id) ?? id])) : undefined, message: f.message }));
  }

  private json(ctx: Ctx): unknown {
    if (!ctx.body.length) return undefined;
    try {
      return JSON.parse(ctx.body.toString('utf8'));
    } catch (e) {
      throw new SfError(400, 'JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`);
    }
  }

  private scope(ctx: Ctx): WriteScope {
    return { org: this.org, ctx: { userId: ctx.session!.userId, automation: true }, recordFaults: ctx.recordFaults };
  }

  private object(name: string): ObjectDef {
    const def = this.org.object(name);
    if (!def) throw notFound();
    return def;
  }

  private route(ctx: Ctx): Reply {
    const [head, ...tail] = ctx.rest;
    const method = ctx.method;
    const allow = (...methods: string[]): void => {
      if (!methods.includes(method)) throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${methods.join(',')}`);
    };
    const base = `/services/data/v${ctx.version}`;
    switch (head) {
      case undefined:
        allow('GET');
        return { status: 200, json: { sobjects: `${base}/sobjects`, query: `${base}/query`, queryAll: `${base}/queryAll`, composite: `${base}/composite`, jobs: `${base}/jobs`, limits: `${base}/limits` } };
      case 'limits':
        allow('GET');
        return { status: 200, json: { DailyApiRequests: { Max: this.dailyApiLimit, Remaining: Math.max(0, this.dailyApiLimit - this.apiUsage) } } };
      case 'query': case 'queryAll':
        allow('GET');
        return this.query(ctx, head, tail[0]);
      case 'sobjects':
        return this.sobjects(ctx, tail, allow);
      case 'composite':
        if (tail[0] !== 'sobjects') throw notFound();
        return this.composite(ctx, tail.slice(1), allow);
      case 'jobs':
        if (tail[0] !== 'ingest') throw notFound();
        return this.jobs(ctx, tail.slice(1), allow);
      default:
        throw notFound();
    }
  }

  private query(ctx: Ctx, endpoint: 'query' | 'queryAll', locator: string | undefined): Reply {
    if (locator) {
      const lm = /^(.+)-(\d+)$/.exec(locator);
      const cursor = lm ? this.cursors.get(lm[1]!) : undefined;
      const pos = lm ? Number(lm[2]) : NaN;
      if (!cursor || !(pos >= 0 && pos <= cursor.rows.length)) throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      return { status: 200, json: this.page(ctx, lm![1]!, cursor, pos) };
    }
    const q = ctx.url.searchParams.get('q');
    if (!q) throw new SfError(400, 'MALFORMED_QUERY', 'A query string (q) is required');
    const out = new SoqlEngine(this.org, q, ctx.version).run(endpoint === 'queryAll');
    const opt = /batchSize\s*=\s*(\d+)/i.exec(String(ctx.headers['sforce-query-options'] ?? ''));
    const batch = opt ? Math.min(2000, Math.max(200, Number(opt[1]))) : this.batchSize;
    if (out.records.length <= batch) return { status: 200, json: { totalSize: out.totalSize, done: true, records: out.records } };
    const id = this.org.ids.make('01g');
    const cursor: Cursor = { rows: out.records, batch, endpoint };
    this.cursors.set(id, cursor);
    return { status: 200, json: this.page(ctx, id, cursor, 0) };
  }

  private page(ctx: Ctx, id: string, cursor: Cursor, pos: number): Record<string, unknown> {
    const records = cursor.rows.slice(pos, pos + cursor.batch);
    const next = pos + records.length;
    const done = next >= cursor.rows.length;
    if (done) this.cursors.delete(id);
    return {
      totalSize: cursor.rows.length, done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${ctx.version}/${cursor.endpoint}/${id}-${next}` }),
      records,
    };
  }

  private sobjects(ctx: Ctx, tail: string[], allow: (...m: string[]) => void): Reply {
    const base = `/services/data/v${ctx.version}/sobjects`;
    if (tail.length === 0) {
      allow('GET');
      return {
        status: 200,
        json: {
          encoding: 'UTF-8', maxBatchSize: 200,
          sobjects: [...this.org.objects.values()].map((d) => ({
            name: d.name, label: d.label, labelPlural: `${d.label}s`, keyPrefix: d.keyPrefix, custom: d.custom, createable: d.createable,
            updateable: d.updateable, deletable: d.deletable, queryable: true, retrieveable: true,
            urls: { sobject: `${base}/${d.name}`, describe: `${base}/${d.name}/describe`, rowTemplate: `${base}/${d.name}/{ID}` },
          })),
        },
      };
    }
    const def = this.object(tail[0]!);
    if (tail.length === 1) {
      allow('GET', 'POST');
      if (ctx.method === 'GET') return { status: 200, json: { objectDescribe: describeObject(def, ctx.version), recentItems: [] } };
      const r = single(this.scope(ctx), 'insert', def, this.json(ctx));
      return { status: 201, json: { id: r.id, success: true, errors: [] } };
    }
    if (tail.length === 2 && tail[1] === 'describe') {
      allow('GET');
      return { status: 200, json: describeObject(def, ctx.version) };
    }
    if (tail.length === 2) {
      allow('GET', 'PATCH', 'DELETE');
      const id = to18(tail[1]!);
      const rec = id && this.org.objectForId(id) === def ? this.org.get(def.name, id) : undefined;
      if (!rec || rec.IsDeleted) throw notFound();
      if (ctx.method === 'GET') {
        const only = ctx.url.searchParams.get('fields')?.split(',').map((f) => f.trim().toLowerCase());
        const out: Record<string, unknown> = { attributes: { type: def.name, url: `${base}/${def.name}/${rec.Id}` } };
        for (const f of def.fields.values()) {
          if (only && !only.includes(f.name.toLowerCase())) continue;
          const v = rec[f.name];
          out[f.name] = f.type === 'datetime' && typeof v === 'string' ? sfDateTime(v) : v ?? null;
        }
        return { status: 200, json: out };
      }
      if (ctx.method === 'DELETE') {
        try {
          this.org.delete(def.name, rec.Id);
        } catch (e) {
          if (e instanceof RecordError) throw new SfError(400, e.error.statusCode, e.error.message);
          throw e;
        }
        return { status: 204 };
      }
      const body = this.json(ctx);
      single(this.scope(ctx), 'update', def, { ...(body as Record<string, unknown>), Id: rec.Id });
      return { status: 204 };
    }
    if (tail.length === 3) {
      allow('PATCH');
      const field = def.fields.get(tail[1]!.toLowerCase());
      if (!field || (!field.externalId && field.name !== 'Id')) throw new SfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${tail[1]}`);
      const body = (this.json(ctx) ?? {}) as Record<string, unknown>;
      const r = single(this.scope(ctx), 'upsert', def, { ...body, [field.name]: tail[2] }, field.name);
      return { status: r.created ? 201 : 200, json: { id: r.id, success: true, errors: [], created: r.created } };
    }
    throw notFound();
  }

  private composite(ctx: Ctx, tail: string[], allow: (...m: string[]) => void): Reply {
    const scope = this.scope(ctx);
    if (tail.length === 0) {
      allow('POST', 'PATCH');
      return { status: 200, json: collection(scope, ctx.method === 'POST' ? 'insert' : 'update', this.json(ctx)) };
    }
    if (tail.length === 2) {
      allow('PATCH');
      return { status: 200, json: collection(scope, 'upsert', this.json(ctx), { object: tail[0]!, field: tail[1]! }) };
    }
    throw notFound();
  }

  private jobs(ctx: Ctx, tail: string[], allow: (...m: string[]) => void): Reply {
    const [id, sub] = tail;
    if (!id) {
      allow('GET', 'POST');
      if (ctx.method === 'GET') return { status: 200, json: this.bulk.list() };
      return { status: 200, json: this.bulk.create(this.json(ctx), ctx.version, ctx.session!.userId) };
    }
    if (!sub) {
      allow('GET', 'PATCH', 'DELETE');
      if (ctx.method === 'GET') return { status: 200, json: this.bulk.get(id) };
      if (ctx.method === 'DELETE') { this.bulk.delete(id); return { status: 204 }; }
      return { status: 200, json: this.bulk.setState(id, this.json(ctx), ctx.recordFaults) };
    }
    if (sub === 'batches') {
      allow('PUT');
      this.bulk.upload(id, ctx.body);
      return { status: 201 };
    }
    if (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords') {
      allow('GET');
      return { status: 200, text: this.bulk.results(id, sub), contentType: 'text/csv' };
    }
    throw notFound();
  }
}

const kindOf = (method: string, rest: string[]): CallKind => {
  const [head, a, b] = rest;
  if (head === 'query' || head === 'queryAll') return a ? 'queryMore' : 'query';
  if (head === 'sobjects' && method === 'GET' && (!a || b === 'describe')) return 'describe';
  if (head === 'composite' && a === 'sobjects') return 'collections';
  if (head === 'jobs') return 'bulk';
  return 'other';
};

/** Starts an emulator on 127.0.0.1 (port 0 unless given) and returns it; `stop()` closes it. */
export const startSalesforceEmulator = async (options: EmulatorOptions = {}): Promise<SalesforceEmulator> =>
  new SalesforceEmulator(options).start(options.port ?? 0);
