// The HubSpot API emulator's HTTP front: CRM objects v3 (list, read, batch read/create/update/archive, search),
// properties and groups, pipelines, associations v4, owners, teams, custom object schemas — behind a private-app Bearer
// token, per-portal rate limits with HubSpot's headers, fault injection, a request log, and webhooks for changes.
// `@hubspot/api-client` works against it unchanged with `basePath: emu.url`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { PropertyDefinition } from './documented-properties.ts';
import { peerProcess } from './peer-process.ts';
import { HsError, notFound, rateLimited, unauthorized, validation } from './errors.ts';
import { Faults, type FaultSpec } from './faults.ts';
import { OAuth } from './oauth.ts';
import { RateLimits, type LimitOptions } from './limits.ts';
import { Portal, type ChangeEvent, type HsRecord, type SourceType } from './portal.ts';
import { runSearch, type SearchRequest } from './search.ts';
import { Webhooks, type WebhookOptions } from './webhooks.ts';

export interface EmulatorOptions {
  portalId?: number;
  /** Burst per interval, interval, daily and search-per-second limits (defaults: 100 per 10 s, 250,000 a day, 5 searches a second). */
  limits?: LimitOptions;
  /** Whether the portal has custom objects (an Enterprise feature). Default false. */
  customObjects?: boolean;
  /** The portal's clock (record dates, history); the rate limiter uses real time. */
  now?: () => Date;
  webhooks?: WebhookOptions;
  port?: number;
  /** Record which local process made each call (`Call.process`; Linux /proc): for tests that run several workers. */
  identifyCallers?: boolean;
}

export interface Call {
  method: string;
  path: string;
  query: string;
  status: number;
  /** ms since the epoch, when the answer was sent. */
  at: number;
  kind: 'list' | 'read' | 'batch' | 'search' | 'write' | 'schema' | 'associations' | 'owners' | 'other';
  /** Batch calls: inputs in the body; list and search: the page size asked. */
  inputs?: number;
  limit?: number;
  /** 429s: which limit answered. */
  policy?: string;
  fault?: string;
  /** When the request arrived (ms since the epoch). */
  startedAt: number;
  /** The calling process's pid, with `identifyCallers` (null when it could not be told). */
  process?: number | null;
}

/** A user's edit in HubSpot's UI (or the admin route): what webhooks and incremental reads must pick up. */
export type UserChange =
  | { op: 'create'; objectType: string; properties: Record<string, string>; associations?: { toObjectType: string; toObjectId: string; label?: string }[] }
  | { op: 'update'; objectType: string; id: string; properties: Record<string, string> }
  | { op: 'archive'; objectType: string; id: string }
  | { op: 'associate'; fromObjectType: string; fromId: string; toObjectType: string; toId: string; label?: string }
  | { op: 'dissociate'; fromObjectType: string; fromId: string; toObjectType: string; toId: string };

interface Ctx {
  method: string;
  path: string;
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  call: Call;
}

interface Reply {
  status: number;
  json?: unknown;
}

const BATCH_LIMIT = 100;
const ASSOCIATION_BATCH_LIMIT = 1000;
const LIST_LIMIT = 100;
/** Reading property history lowers how many records one read may ask for. */
const HISTORY_LIMIT = 50;

export class HubSpotEmulator {
  readonly portal: Portal;
  readonly limits: RateLimits;
  readonly faults = new Faults();
  /** Public-app OAuth (authorization code and refresh token grants); its access tokens work like the private app's. */
  readonly oauth: OAuth;
  readonly calls: Call[] = [];
  /** The private app's token; more can be added (`tokens.add`), and removing one revokes it. */
  readonly tokens = new Set<string>();
  accessToken: string;
  url = '';
  webhooks: Webhooks | undefined;
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private readonly held = new Set<ServerResponse>();

  private readonly identifyCallers: boolean;
  /** Each connection's calling process, looked up once per connection (keep-alive carries many calls). */
  private readonly callers = new WeakMap<object, number | null>();

  private callerOf(req: IncomingMessage): number | null {
    const socket = req.socket;
    if (!this.callers.has(socket)) this.callers.set(socket, socket.remotePort ? peerProcess(socket.remotePort, (this.server.address() as AddressInfo).port) : null);
    return this.callers.get(socket) ?? null;
  }

  constructor(options: EmulatorOptions = {}) {
    this.identifyCallers = options.identifyCallers ?? false;
    this.portal = new Portal({ portalId: options.portalId, now: options.now, customObjectsAvailable: options.customObjects });
    this.limits = new RateLimits(options.limits);
    this.oauth = new OAuth(this.portal.portalId);
    this.accessToken = `pat-na1-${randomBytes(16).toString('hex')}`;
    this.tokens.add(this.accessToken);
    if (options.webhooks) this.configureWebhooks(options.webhooks);
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.webhooks?.stop();
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  configureWebhooks(options: WebhookOptions): Webhooks {
    this.webhooks?.stop();
    this.webhooks = new Webhooks(this.portal, options);
    this.portal.onChange = (e: ChangeEvent) => this.webhooks?.record(e);
    return this.webhooks;
  }

  injectFault(spec: FaultSpec): void {
    this.faults.inject(spec);
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Calls by kind (answered ones, any status) and how many were 429s. */
  callCounts(): Record<Call['kind'] | 'total' | 'rateLimited', number> {
    const counts = { list: 0, read: 0, batch: 0, search: 0, write: 0, schema: 0, associations: 0, owners: 0, other: 0, total: 0, rateLimited: 0 };
    for (const c of this.calls) {
      counts[c.kind]++;
      counts.total++;
      if (c.status === 429) counts.rateLimited++;
    }
    return counts;
  }

  /** A user's edits, made as if in HubSpot's UI (changeSource CRM_UI): they fire webhooks like any change. */
  applyChanges(changes: UserChange[]): { id?: string }[] {
    const source: SourceType = 'CRM_UI';
    return changes.map((c) => {
      switch (c.op) {
        case 'create': {
          const r = this.portal.create(c.objectType, c.properties, { source });
          for (const a of c.associations ?? []) this.associateByLabel(c.objectType, r.id, a.toObjectType, a.toObjectId, a.label, source);
          return { id: r.id };
        }
        case 'update':
          this.portal.update(c.objectType, c.id, c.properties, { source });
          return { id: c.id };
        case 'archive':
          this.portal.archive(c.objectType, c.id, { source });
          return { id: c.id };
        case 'associate':
          this.associateByLabel(c.fromObjectType, c.fromId, c.toObjectType, c.toId, c.label, source);
          return {};
        case 'dissociate':
          this.portal.dissociate(c.fromObjectType, c.fromId, c.toObjectType, c.toId, { source });
          return {};
      }
    });
  }

  /** Associates with the default (unlabeled) type, plus the USER_DEFINED label of that name when given (created if new). */
  associateByLabel(from: string, fromId: string, to: string, toId: string, label: string | undefined, source: SourceType = 'API'): void {
    const types = this.portal.typesBetween(from, to);
    const unlabeled = types.find((t) => t.label === null) ?? types[0];
    if (!unlabeled) throw validation(`${from} and ${to} cannot be associated`);
    const chosen = [{ category: unlabeled.category, typeId: unlabeled.typeId }];
    if (label) {
      const t = this.portal.createLabel(from, to, label);
      chosen.push({ category: t.category, typeId: t.typeId });
    }
    this.portal.associate(from, fromId, to, toId, chosen, { source });
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const call: Call = { method, path: url.pathname, query: url.search, status: 0, at: 0, kind: kindOf(method, url.pathname), startedAt: Date.now() };
    if (this.identifyCallers) call.process = this.callerOf(req);
    let reply: Reply;
    let headers: Record<string, string> = {};
    try {
      if (url.pathname.startsWith('/__emulator/')) {
        reply = this.admin(method, url, raw);
        res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=utf-8' });
        res.end(reply.json === undefined ? '' : JSON.stringify(reply.json));
        return;
      }
      const fault = this.faults.take(method, url.pathname);
      if (fault) {
        call.fault = fault.type;
        if (fault.type === 'timeout') {
          // Held unanswered, then dropped: the client sees its own timeout or a reset, never a response.
          this.held.add(res);
          await new Promise((r) => setTimeout(r, fault.ms ?? 30_000));
          this.held.delete(res);
          call.at = Date.now();
          this.calls.push(call);
          res.destroy();
          return;
        }
        if (fault.type === 'delay') await new Promise((r) => setTimeout(r, fault.ms ?? 1000));
        else throw faultError(fault.type);
      }
      if (/^\/oauth\/v[13]\/token\/?$/.test(url.pathname) && method === 'POST') {
        // Form-encoded body (v1 also took query parameters; both are read). Token calls are not portal API calls.
        const form = new URLSearchParams(url.search);
        for (const [k, v] of new URLSearchParams(raw)) form.set(k, v);
        reply = { status: 200, json: this.oauth.token(form) };
        res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' }).end(JSON.stringify(reply.json));
        return;
      }
      const info = /^\/oauth\/v1\/access-tokens\/(.+)$/.exec(url.pathname);
      if (info && method === 'GET') {
        reply = { status: 200, json: this.oauth.info(decodeURIComponent(info[1]!)) };
        res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8' }).end(JSON.stringify(reply.json));
        return;
      }
      const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!token) throw unauthorized();
      if (!this.tokens.has(token)) {
        const oauth = this.oauth.check(token);
        if (oauth.state === 'expired') throw new HsError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${oauth.agoSeconds} second(s) ago.`);
        if (oauth.state !== 'valid') throw unauthorized();
      }
      try {
        this.limits.admit(call.kind === 'search');
      } finally {
        headers = this.limits.headers();
      }
      let body: unknown = undefined;
      if (raw.length) {
        try {
          body = JSON.parse(raw);
        } catch (e) {
          throw validation(`Invalid input JSON on line 1: ${(e as Error).message}`);
        }
      }
      const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      reply = this.route({ method, path: url.pathname, segments, query: url.searchParams, body, call });
    } catch (e) {
      if (e instanceof HsError) {
        reply = { status: e.status, json: e.body() };
        if (e.status === 429) {
          call.policy = (e.extra.policyName as string | undefined) ?? undefined;
          // An injected 429 looks like a real one: the limit headers, with the limit it names spent.
          if (call.fault) headers = { ...this.limits.headers(), ...(call.policy === 'DAILY' ? { 'X-HubSpot-RateLimit-Daily-Remaining': '0' } : call.policy === 'TEN_SECONDLY_ROLLING' ? { 'X-HubSpot-RateLimit-Remaining': '0' } : {}) };
        }
      } else reply = { status: 500, json: { status: 'error', message: `internal error in the emulator: ${(e as Error).message}`, correlationId: 'emulator', category: 'INTERNAL_ERROR' } };
    }
    call.status = reply.status;
    call.at = Date.now();
    this.calls.push(call);
    if (reply.json === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
    } else {
      res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(reply.json));
    }
  }

  private route(ctx: Ctx): Reply {
    const s = ctx.segments;
    const m = ctx.method;
    if (s[0] === 'crm' && s[1] === 'v3' && s[2] === 'objects' && s[3]) return this.objects(ctx, s[3], s.slice(4));
    if (s[0] === 'crm' && s[1] === 'v3' && s[2] === 'properties' && s[3]) return this.propertiesRoute(ctx, s[3], s.slice(4));
    if (s[0] === 'crm' && s[1] === 'v3' && s[2] === 'pipelines' && s[3]) return this.pipelinesRoute(ctx, s[3], s.slice(4));
    if (s[0] === 'crm' && s[1] === 'v4' && s[2] === 'associations' && s[3] && s[4]) return this.associationsRoute(ctx, s[3], s[4], s.slice(5));
    if (s[0] === 'crm' && s[1] === 'v4' && s[2] === 'objects' && s[3] && s[4] && s[5] === 'associations') return this.recordAssociations(ctx, s[3], s[4], s.slice(6));
    if (s[0] === 'crm' && s[1] === 'v3' && s[2] === 'owners') return this.ownersRoute(ctx, s[3]);
    if ((s[0] === 'crm' && s[1] === 'v3' && s[2] === 'schemas') || (s[0] === 'crm-object-schemas' && s[1] === 'v3' && s[2] === 'schemas')) return this.schemasRoute(ctx, s[3]);
    if (s[0] === 'settings' && s[1] === 'v3' && s[2] === 'users') return this.usersRoute(ctx, s[3]);
    if (s[0] === 'account-info' && s[1] === 'v3' && s[2] === 'details' && m === 'GET') {
      return { status: 200, json: { portalId: this.portal.portalId, accountType: 'STANDARD', timeZone: 'Etc/UTC', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '+00:00', utcOffsetMilliseconds: 0, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' } };
    }
    if (s[0] === 'account-info' && s[1] === 'v3' && s[2] === 'api-usage' && m === 'GET') {
      return { status: 200, json: { results: [{ name: 'private-apps-api-calls-daily', usageLimit: this.limits.daily, currentUsage: this.limits.dailyUsed, collectedAt: new Date().toISOString(), fetchStatus: 'SUCCESS', resetsAt: nextMidnight() }] } };
    }
    throw new HsError(404, 'OBJECT_NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
  }

  // ---- objects ----

  private objects(ctx: Ctx, typeName: string, rest: string[]): Reply {
    const type = this.portal.type(typeName).name;
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    if (rest.length === 0 && ctx.method === 'GET') return this.list(ctx, type);
    if (rest.length === 0 && ctx.method === 'POST') {
      const r = this.createWithAssociations(type, body);
      return { status: 201, json: this.serialize(r, { properties: Object.keys((body.properties as object) ?? {}) }) };
    }
    if (rest[0] === 'search' && ctx.method === 'POST') return this.search(ctx, type);
    if (rest[0] === 'batch' && ctx.method === 'POST') return this.batch(ctx, type, rest[1] ?? '');
    if (rest.length === 1) {
      const id = rest[0]!;
      const record = this.findRecord(type, id, ctx.query.get('idProperty'), ctx.query.get('archived') === 'true');
      if (ctx.method === 'GET') {
        if (!record) throw notFound();
        return { status: 200, json: this.serialize(record, readOptions(ctx.query)) };
      }
      if (ctx.method === 'PATCH') {
        if (!record) throw notFound();
        const updated = this.portal.update(type, record.id, (body.properties as Record<string, unknown>) ?? {});
        return { status: 200, json: this.serialize(updated, { properties: Object.keys((body.properties as object) ?? {}) }) };
      }
      if (ctx.method === 'DELETE') {
        if (record) this.portal.archive(type, record.id);
        return { status: 204 };
      }
    }
    throw new HsError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`);
  }

  private findRecord(type: string, id: string, idProperty: string | null, archived = false): HsRecord | undefined {
    if (!idProperty || idProperty === 'hs_object_id') return this.portal.get(type, id, { archived });
    const def = this.portal.propertiesOf(type).get(idProperty);
    if (!def) throw validation(`Property ${idProperty} does not exist`);
    if (!def.hasUniqueValue && idProperty !== 'email') throw validation(`${idProperty} is not a unique property and cannot be used as idProperty`);
    for (const r of this.portal.recordsOf(type).values()) if (!r.archived && r.properties[idProperty] === id) return r;
    return undefined;
  }

  private createWithAssociations(type: string, body: Record<string, unknown>): HsRecord {
    const associations = (body.associations as { to: { id: string }; types: { associationCategory: string; associationTypeId: number }[] }[] | undefined) ?? [];
    // Check the association targets before creating, so a bad one creates nothing.
    const targets = associations.map((a) => {
      const types = a.types.map((t) => ({ category: t.associationCategory, typeId: t.associationTypeId }));
      const def = this.portal.associationTypes.find((d) => d.fromType === type && d.typeId === types[0]?.typeId && d.category === types[0]?.category);
      if (!def) throw validation(`association type ${types[0]?.typeId} (${types[0]?.category}) does not start at ${type}`);
      if (!this.portal.get(def.toType, String(a.to.id))) throw validation(`One or more associations are invalid: ${def.toType} ${a.to.id} does not exist`);
      return { toType: def.toType, toId: String(a.to.id), types };
    });
    const r = this.portal.create(type, (body.properties as Record<string, unknown>) ?? {});
    for (const t of targets) this.portal.associate(type, r.id, t.toType, t.toId, t.types);
    return r;
  }

  private list(ctx: Ctx, type: string): Reply {
    const opts = readOptions(ctx.query);
    const limit = Number(ctx.query.get('limit') ?? 10);
    ctx.call.limit = limit;
    const max = opts.history?.length ? HISTORY_LIMIT : LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > max) throw validation(`limit must be between 1 and ${max}${opts.history?.length ? ' when propertiesWithHistory is requested' : ''}, got ${ctx.query.get('limit')}`);
    const archived = ctx.query.get('archived') === 'true';
    const after = ctx.query.get('after');
    const all = this.portal.ordered(type);
    // The cursor is the id the next page starts at, so a record created meanwhile is never skipped.
    let i = after ? lowerBound(all, Number(after)) : 0;
    const page: HsRecord[] = [];
    for (; i < all.length && page.length < limit; i++) if (all[i]!.archived === archived) page.push(all[i]!);
    while (i < all.length && all[i]!.archived !== archived) i++;
    const next = i < all.length ? all[i]!.id : undefined;
    return { status: 200, json: { results: page.map((r) => this.serialize(r, opts)), ...(next ? { paging: { next: { after: next, link: `${this.url}${ctx.path}?after=${next}` } } } : {}) } };
  }

  private search(ctx: Ctx, type: string): Reply {
    const body = (ctx.body ?? {}) as SearchRequest;
    ctx.call.limit = body.limit ?? 10;
    const { total, page, next } = runSearch(this.portal, type, body);
    const props = body.properties?.length ? body.properties : undefined;
    return { status: 200, json: { total, results: page.map((r) => this.serialize(r, { properties: props })), ...(next !== null ? { paging: { next: { after: String(next), link: `${this.url}${ctx.path}?after=${next}` } } } : {}) } };
  }

  private batch(ctx: Ctx, type: string, action: string): Reply {
    const body = (ctx.body ?? {}) as { inputs?: Record<string, unknown>[]; properties?: string[]; propertiesWithHistory?: string[]; idProperty?: string };
    if (!Array.isArray(body.inputs)) throw validation('Invalid input JSON: "inputs" is required');
    const inputs = body.inputs;
    ctx.call.inputs = inputs.length;
    const cap = action === 'read' && body.propertiesWithHistory?.length ? HISTORY_LIMIT : BATCH_LIMIT;
    if (inputs.length > cap) throw validation(`Too many inputs: ${inputs.length}. Batch ${action} accepts at most ${cap} inputs${cap === HISTORY_LIMIT ? ' when propertiesWithHistory is requested' : ''}.`);
    const startedAt = new Date().toISOString();
    const singular = this.portal.type(type).singular;
    if (action === 'read') {
      const archived = ctx.query.get('archived') === 'true';
      const found: HsRecord[] = [];
      const missing: string[] = [];
      for (const i of inputs) {
        const r = this.findRecord(type, String(i.id), body.idProperty ?? null, archived);
        if (r) found.push(r);
        else missing.push(String(i.id));
      }
      const results = found.map((r) => this.serialize(r, { properties: body.properties?.length ? body.properties : undefined, history: body.propertiesWithHistory }));
      return this.batchReply(results, missing, singular, startedAt, 'get');
    }
    if (action === 'update') {
      const ids = inputs.map((i) => String(i.id));
      const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (dupes.length) throw validation(`Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`);
      const targets = inputs.map((i) => ({ record: this.findRecord(type, String(i.id), (i.idProperty as string | undefined) ?? null), input: i }));
      // Validate every input before writing any: a bad value fails the whole batch with 400, as HubSpot does.
      for (const t of targets) if (t.record) this.portal.normalise(type, (t.input.properties as Record<string, unknown>) ?? {}, t.record);
      const missing = targets.filter((t) => !t.record).map((t) => String(t.input.id));
      const results = targets.filter((t) => t.record).map((t) => this.serialize(this.portal.update(type, t.record!.id, (t.input.properties as Record<string, unknown>) ?? {}), { properties: Object.keys((t.input.properties as object) ?? {}) }));
      return this.batchReply(results, missing, singular, startedAt, 'update');
    }
    if (action === 'create') {
      for (const i of inputs) this.portal.normalise(type, (i.properties as Record<string, unknown>) ?? {}, undefined);
      const results = inputs.map((i) => this.serialize(this.createWithAssociations(type, i), { properties: Object.keys((i.properties as object) ?? {}) }));
      return { status: 201, json: { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() } };
    }
    if (action === 'upsert') {
      // Each input names a unique property (idProperty) and its value: the record holding it is updated, else one is created with it.
      const defs = this.portal.propertiesOf(type);
      for (const i of inputs) {
        const idProperty = String(i.idProperty ?? '');
        if (!defs.get(idProperty)?.hasUniqueValue) throw validation(`idProperty ${idProperty || '(missing)'} must be a property with unique values`);
        this.portal.normalise(type, (i.properties as Record<string, unknown>) ?? {}, undefined);
      }
      const results = inputs.map((i) => {
        const idProperty = String(i.idProperty);
        const existing = this.portal.findByUnique(type, idProperty, String(i.id));
        const values = { ...((i.properties as Record<string, unknown>) ?? {}), [idProperty]: String(i.id) };
        const r = existing ? this.portal.update(type, existing.id, values) : this.portal.create(type, values);
        return { ...this.serialize(r, { properties: Object.keys(values) }), new: !existing };
      });
      return { status: 200, json: { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() } };
    }
    if (action === 'archive') {
      for (const i of inputs) this.portal.archive(type, String(i.id));
      return { status: 204 };
    }
    throw new HsError(404, 'OBJECT_NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
  }

  private batchReply(results: unknown[], missing: string[], singular: string, startedAt: string, verb: string): Reply {
    const completedAt = new Date().toISOString();
    if (!missing.length) return { status: 200, json: { status: 'COMPLETE', results, startedAt, completedAt } };
    return {
      status: 207,
      json: {
        status: 'COMPLETE', results, numErrors: 1, startedAt, completedAt,
        errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not ${verb} some ${singular} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing } }],
      },
    };
  }

  /** A record on the wire: requested (or default) properties as strings (null when unset), plus hs_object_id and the created/modified dates. */
  serialize(record: HsRecord, opts: { properties?: string[]; history?: string[]; associations?: string[] }): Record<string, unknown> {
    const t = this.portal.type(record.type);
    const defs = this.portal.propertiesOf(record.type);
    const names = new Set(opts.properties?.length ? opts.properties : t.defaultProperties);
    for (const always of ['hs_object_id', t.createdProperty, t.modifiedProperty]) names.add(always);
    const properties: Record<string, string | null> = {};
    for (const n of names) if (defs.has(n)) properties[n] = record.properties[n] ?? null;
    const out: Record<string, unknown> = { id: record.id, properties, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: record.archived };
    if (record.archivedAt) out.archivedAt = record.archivedAt;
    if (opts.history?.length) {
      const history: Record<string, unknown> = {};
      for (const n of opts.history) if (defs.has(n)) history[n] = this.portal.historyOf(record, n);
      out.propertiesWithHistory = history;
    }
    if (opts.associations?.length) {
      const associations: Record<string, unknown> = {};
      for (const to of opts.associations) {
        let toType: string;
        try {
          toType = this.portal.type(to).name;
        } catch {
          continue;
        }
        const list = this.portal.associationsOf(record.type, record.id, toType);
        if (!list.length) continue;
        const toSingular = this.portal.type(toType).singular;
        associations[toType] = { results: list.flatMap((a) => a.types.map((ty) => ({ id: a.toObjectId, type: ty.label === null ? `${t.singular}_to_${toSingular}` : ty.category === 'HUBSPOT_DEFINED' ? `${t.singular}_to_${toSingular}_${ty.label.toLowerCase()}` : (ty.name ?? ty.label.toLowerCase()) }))) };
      }
      out.associations = associations;
    }
    return out;
  }

  // ---- properties ----

  private propertiesRoute(ctx: Ctx, typeName: string, rest: string[]): Reply {
    const type = this.portal.type(typeName).name;
    const defs = this.portal.propertiesOf(type);
    const groups = this.portal.groups.get(type)!;
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    ctx.call.kind = 'schema';
    if (rest[0] === 'groups') {
      if (ctx.method === 'GET' && !rest[1]) return { status: 200, json: { results: [...groups.values()] } };
      if (ctx.method === 'GET') {
        const g = groups.get(rest[1]!);
        if (!g) throw notFound(`Unable to find property group ${rest[1]}`);
        return { status: 200, json: g };
      }
      if (ctx.method === 'POST') {
        const name = String(body.name ?? '');
        if (!/^[a-z][a-z0-9_]*$/.test(name)) throw validation(`Invalid property group name: ${name}`);
        if (groups.has(name)) throw new HsError(409, 'CONFLICT', `A property group named ${name} already exists.`);
        const g = { name, label: String(body.label ?? name), displayOrder: Number(body.displayOrder ?? -1), archived: false };
        groups.set(name, g);
        return { status: 201, json: g };
      }
    }
    if (rest.length === 0 && ctx.method === 'GET') {
      const archived = ctx.query.get('archived') === 'true';
      return { status: 200, json: { results: [...defs.values()].filter((p) => p.archived === archived).map(wireProperty) } };
    }
    if (rest.length === 0 && ctx.method === 'POST') return { status: 201, json: wireProperty(this.createProperty(type, body)) };
    if (rest[0] === 'batch' && rest[1] === 'create' && ctx.method === 'POST') {
      const inputs = (body.inputs as Record<string, unknown>[]) ?? [];
      ctx.call.inputs = inputs.length;
      return { status: 201, json: { status: 'COMPLETE', results: inputs.map((i) => wireProperty(this.createProperty(type, i))), startedAt: new Date().toISOString(), completedAt: new Date().toISOString() } };
    }
    if (rest.length === 1) {
      const def = defs.get(rest[0]!);
      if (!def) throw notFound(`Unable to find property ${rest[0]} for object type ${type}`);
      if (ctx.method === 'GET') return { status: 200, json: wireProperty(def) };
      if (ctx.method === 'PATCH') {
        if (def.hubspotDefined && def.readOnlyValue) throw validation(`Property ${def.name} is read-only and cannot be modified`);
        const patch = propertyInput(body, def.groupName);
        if (patch.groupName && !groups.has(patch.groupName)) throw validation(`Property group ${patch.groupName} does not exist`);
        Object.assign(def, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), { updatedAt: new Date().toISOString() });
        return { status: 200, json: wireProperty(def) };
      }
      if (ctx.method === 'DELETE') {
        if (def.hubspotDefined) throw validation(`Property ${def.name} is a HubSpot default and cannot be archived`);
        def.archived = true;
        return { status: 204 };
      }
    }
    throw new HsError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`);
  }

  private createProperty(type: string, body: Record<string, unknown>): PropertyDefinition {
    const defs = this.portal.propertiesOf(type);
    const input = propertyInput(body, undefined);
    const name = String(body.name ?? '');
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw validation(`Invalid property name: "${name}" (lower-case letters, digits and underscores, starting with a letter)`);
    if (defs.has(name) && !defs.get(name)!.archived) throw new HsError(409, 'OBJECT_ALREADY_EXISTS', `Property already exists: ${name}`, { context: { name: [name] } });
    if (!input.type || !input.fieldType || !input.groupName || !input.label) throw validation(`Missing required fields: ${['label', 'type', 'fieldType', 'groupName'].filter((k) => !input[k as keyof typeof input]).join(', ')}`);
    if (!this.portal.groups.get(type)!.has(input.groupName)) throw validation(`Property group ${input.groupName} does not exist`);
    if (input.type === 'enumeration' && !(input.options?.length) && input.fieldType !== 'booleancheckbox') throw validation('Enumeration properties need options');
    if (input.type === 'bool' && !input.options?.length) input.options = [{ label: 'Yes', value: 'true', displayOrder: 0, hidden: false }, { label: 'No', value: 'false', displayOrder: 1, hidden: false }];
    return this.portal.addProperty(type, { ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)), name, type: input.type });
  }

  // ---- pipelines ----

  private pipelinesRoute(ctx: Ctx, typeName: string, rest: string[]): Reply {
    ctx.call.kind = 'schema';
    const type = this.portal.type(typeName).name;
    const pipelines = (this.portal.pipelines.get(type) ?? []).filter((p) => !p.archived);
    if (ctx.method !== 'GET') throw new HsError(405, 'METHOD_NOT_ALLOWED', 'The emulator serves pipelines read-only');
    if (!rest.length) return { status: 200, json: { results: pipelines } };
    const p = pipelines.find((x) => x.id === rest[0]);
    if (!p) throw notFound(`Unable to find pipeline ${rest[0]}`);
    if (rest[1] === 'stages') return { status: 200, json: { results: p.stages } };
    return { status: 200, json: p };
  }

  // ---- associations v4 ----

  private associationsRoute(ctx: Ctx, fromName: string, toName: string, rest: string[]): Reply {
    ctx.call.kind = 'associations';
    const from = this.portal.type(fromName).name;
    const to = this.portal.type(toName).name;
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    if (rest[0] === 'labels') {
      if (ctx.method === 'GET') return { status: 200, json: { results: this.portal.typesBetween(from, to).map((t) => ({ category: t.category, typeId: t.typeId, label: t.label })) } };
      if (ctx.method === 'POST') {
        const label = String(body.label ?? '');
        if (!label) throw validation('label is required');
        const t = this.portal.createLabel(from, to, label, body.name ? String(body.name) : undefined);
        return { status: 200, json: { results: [{ category: t.category, typeId: t.typeId, label: t.label }, ...(from !== to ? [{ category: t.category, typeId: t.inverseTypeId, label: t.label }] : [])] } };
      }
    }
    if (rest[0] === 'batch' && ctx.method === 'POST') {
      const inputs = (body.inputs as Record<string, unknown>[] | undefined) ?? [];
      ctx.call.inputs = inputs.length;
      if (inputs.length > ASSOCIATION_BATCH_LIMIT) throw validation(`Too many inputs: ${inputs.length}. Association batch endpoints accept at most ${ASSOCIATION_BATCH_LIMIT} inputs.`);
      const startedAt = new Date().toISOString();
      if (rest[1] === 'read') return this.associationBatchRead(from, to, inputs, startedAt);
      if (rest[1] === 'create' || rest[1] === 'archive' || (rest[1] === 'associate' && rest[2] === 'default') || (rest[1] === 'labels' && rest[2] === 'archive')) {
        for (const i of inputs) {
          const fromId = String((i.from as { id: string }).id);
          const toId = String((i.to as { id: string }).id);
          if (rest[1] === 'archive') this.portal.dissociate(from, fromId, to, toId);
          else if (rest[1] === 'labels') this.portal.dissociate(from, fromId, to, toId); // removing labels: emulated as removing the association
          else if (rest[1] === 'associate') this.associateByLabel(from, fromId, to, toId, undefined);
          else this.portal.associate(from, fromId, to, toId, ((i.types as { associationCategory: string; associationTypeId: number }[]) ?? []).map((t) => ({ category: t.associationCategory, typeId: t.associationTypeId })));
        }
        return rest[1] === 'archive' || rest[1] === 'labels' ? { status: 204 } : { status: 200, json: { status: 'COMPLETE', results: inputs.map((i) => ({ fromObjectTypeId: this.portal.type(from).objectTypeId, fromObjectId: Number((i.from as { id: string }).id), toObjectTypeId: this.portal.type(to).objectTypeId, toObjectId: Number((i.to as { id: string }).id), labels: [] })), startedAt, completedAt: new Date().toISOString() } };
      }
    }
    throw new HsError(404, 'OBJECT_NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
  }

  private associationBatchRead(from: string, to: string, inputs: Record<string, unknown>[], startedAt: string): Reply {
    const PAGE = 500;
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const i of inputs) {
      const id = String(i.id);
      const all = this.portal.get(from, id) ? this.portal.associationsOf(from, id, to) : [];
      if (!all.length) {
        missing.push(id);
        continue;
      }
      const start = i.after ? all.findIndex((a) => Number(a.toObjectId) > Number(i.after)) : 0;
      const page = start < 0 ? [] : all.slice(start, start + PAGE);
      const next = start >= 0 && start + PAGE < all.length ? page[page.length - 1]!.toObjectId : undefined;
      results.push({
        from: { id },
        to: page.map((a) => ({ toObjectId: Number(a.toObjectId), associationTypes: a.types.map((t) => ({ category: t.category, typeId: t.typeId, label: t.label })) })),
        ...(next ? { paging: { next: { after: next, link: null } } } : {}),
      });
    }
    const completedAt = new Date().toISOString();
    if (!missing.length) return { status: 200, json: { status: 'COMPLETE', results, startedAt, completedAt } };
    return {
      status: 207,
      json: {
        status: 'COMPLETE', results, numErrors: missing.length, startedAt, completedAt,
        errors: missing.map((id) => ({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', message: `No ${this.portal.type(to).singular} is associated with ${this.portal.type(from).singular} ${id}.`, context: { fromObjectId: [id] } })),
      },
    };
  }

  private recordAssociations(ctx: Ctx, fromName: string, fromId: string, rest: string[]): Reply {
    ctx.call.kind = 'associations';
    const from = this.portal.type(fromName).name;
    if (rest[0] === 'default' && rest[1] && rest[2] && ctx.method === 'PUT') {
      this.associateByLabel(from, fromId, rest[1], rest[2], undefined);
      return { status: 200, json: { status: 'COMPLETE', results: [], startedAt: new Date().toISOString(), completedAt: new Date().toISOString() } };
    }
    const to = rest[0] ? this.portal.type(rest[0]).name : undefined;
    if (!to) throw new HsError(404, 'OBJECT_NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
    if (ctx.method === 'GET' && !rest[1]) {
      if (!this.portal.get(from, fromId)) throw notFound();
      const limit = Number(ctx.query.get('limit') ?? 500);
      const after = ctx.query.get('after');
      const all = this.portal.associationsOf(from, fromId, to);
      const start = after ? all.findIndex((a) => Number(a.toObjectId) > Number(after)) : 0;
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const next = start >= 0 && start + limit < all.length ? page[page.length - 1]!.toObjectId : undefined;
      return { status: 200, json: { results: page.map((a) => ({ toObjectId: Number(a.toObjectId), associationTypes: a.types.map((t) => ({ category: t.category, typeId: t.typeId, label: t.label })) })), ...(next ? { paging: { next: { after: next } } } : {}) } };
    }
    if (rest[1] && ctx.method === 'PUT') {
      const types = ((ctx.body as { associationCategory: string; associationTypeId: number }[] | undefined) ?? []).map((t) => ({ category: t.associationCategory, typeId: t.associationTypeId }));
      this.portal.associate(from, fromId, to, rest[1], types);
      return { status: 201, json: { fromObjectTypeId: this.portal.type(from).objectTypeId, fromObjectId: Number(fromId), toObjectTypeId: this.portal.type(to).objectTypeId, toObjectId: Number(rest[1]), labels: types.map((t) => this.portal.associationType(t.category, t.typeId, from, to).label).filter(Boolean) } };
    }
    if (rest[1] && ctx.method === 'DELETE') {
      this.portal.dissociate(from, fromId, to, rest[1]);
      return { status: 204 };
    }
    throw new HsError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`);
  }

  // ---- owners, users, teams ----

  private ownersRoute(ctx: Ctx, id: string | undefined): Reply {
    ctx.call.kind = 'owners';
    const archived = ctx.query.get('archived') === 'true';
    const wire = (o: (typeof this.portal.owners)[number]): unknown => ({ ...o, ...(o.userId === null ? { userId: undefined } : {}), teams: this.portal.teamsOf(o) });
    if (id) {
      const byUser = ctx.query.get('idProperty') === 'userId';
      const o = this.portal.owners.find((x) => (byUser ? String(x.userIdIncludingInactive) : x.id) === id && x.archived === archived);
      if (!o) throw notFound(`Unable to find owner ${id}`);
      return { status: 200, json: wire(o) };
    }
    const limit = Number(ctx.query.get('limit') ?? 100);
    ctx.call.limit = limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw validation(`limit must be between 1 and 500, got ${ctx.query.get('limit')}`);
    const email = ctx.query.get('email');
    const all = this.portal.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email.toLowerCase()));
    const after = Number(ctx.query.get('after') ?? 0);
    const page = all.slice(after, after + limit);
    const next = after + limit < all.length ? String(after + limit) : undefined;
    return { status: 200, json: { results: page.map(wire), ...(next ? { paging: { next: { after: next, link: `${this.url}/crm/v3/owners/?after=${next}` } } } : {}) } };
  }

  private usersRoute(ctx: Ctx, rest: string | undefined): Reply {
    ctx.call.kind = 'owners';
    if (ctx.method !== 'GET') throw new HsError(405, 'METHOD_NOT_ALLOWED', 'The emulator serves users and teams read-only');
    if (rest === 'teams') return { status: 200, json: { results: this.portal.teams } };
    const users = this.portal.owners.filter((o) => o.userId !== null).map((o) => {
      const teams = this.portal.teamsOf(o);
      return { id: String(o.userId), email: o.email, firstName: o.firstName, lastName: o.lastName, roleIds: [], primaryTeamId: teams.find((t) => t.primary)?.id, secondaryTeamIds: teams.filter((t) => !t.primary).map((t) => t.id), superAdmin: false };
    });
    if (rest) {
      const u = users.find((x) => x.id === rest);
      if (!u) throw notFound(`Unable to find user ${rest}`);
      return { status: 200, json: u };
    }
    const limit = Number(ctx.query.get('limit') ?? 100);
    const after = Number(ctx.query.get('after') ?? 0);
    const next = after + limit < users.length ? String(after + limit) : undefined;
    return { status: 200, json: { results: users.slice(after, after + limit), ...(next ? { paging: { next: { after: next } } } : {}) } };
  }

  // ---- custom object schemas ----

  private schemasRoute(ctx: Ctx, id: string | undefined): Reply {
    ctx.call.kind = 'schema';
    const wire = (s: (typeof this.portal.schemas)[number]): unknown => ({
      ...s, associatedObjects: undefined, properties: [...this.portal.propertiesOf(s.objectTypeId).values()].map(wireProperty),
      associations: this.portal.associationTypes.filter((a) => a.fromType === s.objectTypeId).map((a) => ({ fromObjectTypeId: s.objectTypeId, toObjectTypeId: this.portal.type(a.toType).objectTypeId, name: `${s.name}_to_${this.portal.type(a.toType).singular}`, id: String(a.typeId) })),
    });
    if (ctx.method === 'GET' && !id) return { status: 200, json: { results: this.portal.schemas.filter((s) => !s.archived).map(wire) } };
    if (ctx.method === 'GET') {
      const s = this.portal.schemas.find((x) => x.objectTypeId === id || x.fullyQualifiedName === id || x.name === id);
      if (!s) throw notFound(`Unable to find object schema ${id}`);
      return { status: 200, json: wire(s) };
    }
    if (ctx.method === 'POST' && !id) {
      const body = (ctx.body ?? {}) as Parameters<Portal['createSchema']>[0];
      const associated = (body.associatedObjects ?? []).map((o) => this.portal.type(o === 'CONTACT' ? 'contacts' : o === 'COMPANY' ? 'companies' : o === 'DEAL' ? 'deals' : o).name);
      return { status: 201, json: wire(this.portal.createSchema({ ...body, associatedObjects: associated })) };
    }
    throw new HsError(405, 'METHOD_NOT_ALLOWED', `${ctx.method} is not allowed on ${ctx.path}`);
  }

  // ---- admin (not HubSpot; not authenticated, counted or logged) ----

  private admin(method: string, url: URL, raw: string): Reply {
    let body: Record<string, unknown> = {};
    try {
      if (raw) body = JSON.parse(raw) as Record<string, unknown>;
    } catch (e) {
      return { status: 400, json: { message: `admin body is not JSON: ${(e as Error).message}` } };
    }
    const path = url.pathname;
    try {
      if (path === '/__emulator/changes' && method === 'POST') return { status: 200, json: { results: this.applyChanges((body.changes as UserChange[]) ?? []) } };
      if (path === '/__emulator/log' && method === 'GET') return { status: 200, json: { calls: this.calls, counts: this.callCounts(), peakBurst: this.limits.peakBurst, peakSearchPerSecond: this.limits.peakSearchPerSecond, dailyUsed: this.limits.dailyUsed } };
      if (path === '/__emulator/log' && method === 'DELETE') {
        this.resetCalls();
        return { status: 204 };
      }
      if (path === '/__emulator/faults' && method === 'POST') {
        for (const f of (body.faults as FaultSpec[]) ?? [body as unknown as FaultSpec]) this.faults.inject(f);
        return { status: 200, json: { pending: this.faults.pending() } };
      }
      if (path === '/__emulator/webhooks' && method === 'POST') {
        this.configureWebhooks(body as unknown as WebhookOptions);
        return { status: 200, json: { ok: true } };
      }
      if (path === '/__emulator/webhooks' && method === 'GET') return { status: 200, json: { deliveries: this.webhooks?.deliveries ?? [], events: this.webhooks?.events ?? [] } };
    } catch (e) {
      if (e instanceof HsError) return { status: e.status, json: e.body() };
      throw e;
    }
    return { status: 404, json: { message: `no admin route ${method} ${path}` } };
  }
}

const faultError = (type: FaultSpec['type']): HsError => {
  switch (type) {
    case 'rateLimit': return rateLimited('TEN_SECONDLY_ROLLING');
    case 'dailyLimit': return rateLimited('DAILY');
    case 'searchLimit': return rateLimited('SECONDLY');
    case 'http500': return new HsError(500, 'INTERNAL_ERROR', 'internal error');
    case 'http502': return new HsError(502, 'BAD_GATEWAY', 'Bad Gateway');
    case 'http503': return new HsError(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable');
    default: return new HsError(504, 'GATEWAY_TIMEOUT', 'Gateway Timeout');
  }
};

const kindOf = (method: string, path: string): Call['kind'] => {
  if (/\/search$/.test(path)) return 'search';
  if (/^\/crm\/v3\/objects\/[^/]+\/batch\//.test(path)) return 'batch';
  if (/^\/crm\/v3\/objects\/[^/]+\/?$/.test(path)) return method === 'GET' ? 'list' : 'write';
  if (/^\/crm\/v3\/objects\/[^/]+\/[^/]+$/.test(path)) return method === 'GET' ? 'read' : 'write';
  return 'other';
};

/** `properties`, `propertiesWithHistory` and `associations` query parameters: comma lists, possibly repeated. */
const readOptions = (q: URLSearchParams): { properties?: string[]; history?: string[]; associations?: string[] } => {
  const list = (name: string): string[] | undefined => {
    const values = q.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    return values.length ? values : undefined;
  };
  return { properties: list('properties'), history: list('propertiesWithHistory'), associations: list('associations') };
};

const propertyInput = (body: Record<string, unknown>, groupName: string | undefined): Partial<PropertyDefinition> => ({
  label: body.label as string | undefined,
  type: body.type as PropertyDefinition['type'] | undefined,
  fieldType: body.fieldType as PropertyDefinition['fieldType'] | undefined,
  groupName: (body.groupName as string | undefined) ?? groupName,
  description: body.description as string | undefined,
  options: (body.options as { label: string; value: string; displayOrder?: number; hidden?: boolean; description?: string }[] | undefined)?.map((o, i) => ({ label: o.label, value: o.value, displayOrder: o.displayOrder ?? i, hidden: o.hidden ?? false, ...(o.description ? { description: o.description } : {}) })),
  hasUniqueValue: body.hasUniqueValue as boolean | undefined,
  hidden: body.hidden as boolean | undefined,
  formField: body.formField as boolean | undefined,
  displayOrder: body.displayOrder as number | undefined,
});

const wireProperty = (p: PropertyDefinition): Record<string, unknown> => ({
  name: p.name, label: p.label, type: p.type, fieldType: p.fieldType, description: p.description, groupName: p.groupName, options: p.options,
  displayOrder: p.displayOrder, calculated: p.calculated, externalOptions: false, hasUniqueValue: p.hasUniqueValue, hidden: p.hidden, hubspotDefined: p.hubspotDefined,
  formField: p.formField, archived: p.archived, createdAt: p.createdAt, updatedAt: p.updatedAt,
  modificationMetadata: { archivable: !p.hubspotDefined, readOnlyDefinition: p.hubspotDefined, readOnlyValue: p.readOnlyValue },
});

/** The index of the first record whose id is ≥ `id` (records in id order). */
const lowerBound = (records: readonly HsRecord[], id: number): number => {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Number(records[mid]!.id) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

const nextMidnight = (): string => {
  const d = new Date();
  d.setUTCHours(24, 0, 0, 0);
  return d.toISOString();
};

export const startHubSpotEmulator = async (options: EmulatorOptions = {}): Promise<HubSpotEmulator> => new HubSpotEmulator(options).start(options.port ?? 0);
