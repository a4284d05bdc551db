// The companion's HTTP API and the preview's static files. Routes are thin: validate with zod, call one use-case
// function, answer JSON. Errors go to the one handler at the end, which never sends a stack trace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { z } from 'zod';
import type { OrgStore } from '../crm/embedded/store.ts';
import { AppError, asAppError, notFound } from '../errors.ts';
import { composeCompanion, type Companion, type CompanionConfig } from '../composition.ts';
import { lastSync } from '../use-cases/companion-sync.ts';
import { attest } from '../use-cases/attest.ts';
import { readObjects, type ObjectDef } from '../metadata/force-app.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { OPERATIONS } from './list-filter.ts';
import { listUsers, listViewSummaries, opportunityDetail, repScorecard, userDetail } from './org-views.ts';
import { SyncJob } from './sync-job.ts';
import { ResponseCache } from './response-cache.ts';
import { hostGuard, loopbackPeerGuard, sameToken, writeGuard } from './guards.ts';
import { AnalyticsService, milestoneStatsOf } from './analytics.ts';
import type { OrgAnalytics } from './analytics-compute.ts';
import { GATE_OBJECTS, GateConfig, gateObjectOfId, type GateObject, type MilestoneStats } from './gate-config.ts';
import { getUiRecord, relatedListRecords } from './ui-api.ts';
import { UiApiError } from './ui-errors.ts';
import { executeUiGraphql, type GraphqlSource } from './ui-graphql.ts';
import { createUiRecord, uiShapeOf, updateUiRecord } from './ui-records.ts';
import { readPlaybook, replacePlaybook } from './playbook.ts';
import { parse } from './validate.ts';
import { parseJsonText } from '../../../shared/src/playbook/json-text.ts';
import { hubspotWebhookRouter, type HubSpotWebhookDeps } from './hubspot-webhooks.ts';
import { hubspotFetchGuard, unlessHubSpot, type HubSpotFetchDeps } from './hubspot-fetch.ts';
import { listViewPage, narrowOpportunities, SCOPES, teamOfManager } from './record-lists.ts';

export interface AppDeps {
  store: OrgStore;
  /** The companion's parts (composed from `store` and `dataDir` when absent). */
  companion?: Companion;
  /** Where a sync worker finds the companion's files (null: syncs run on the server's thread). */
  syncConfig?: CompanionConfig | null;
  /** The companion's data folder: the playbook lives there (playbook.json). */
  dataDir: string;
  apiToken: string | null;
  /** The HOST the companion was configured with: a Host header may name it or loopback (guards.ts). */
  host?: string | null;
  crm: string;
  logger?: Logger;
  /** The built preview (index.html and bundles); absent = API only. */
  previewDir?: string | null;
  /** The package source the list views come from. */
  forceAppDir?: string;
  /** Compute the org analytics in the background at start and after each sync (the CLI's serve does; tests need not). */
  warmAnalytics?: boolean;
  /** Requests per minute per client on /api (reads) and for writes; tests lower them. */
  rateLimit?: { reads: number; writes: number };
  now?: () => Date;
  /** HubSpot webhooks (POST /webhooks/hubspot) into this inbox, when the companion serves a portal. */
  hubspotWebhooks?: HubSpotWebhookDeps;
  /** HubSpot app cards' `hubspot.fetch()` requests, verified by their v3 signature (hubspot-fetch.ts). */
  hubspotFetch?: HubSpotFetchDeps;
}

export interface App {
  app: express.Express;
  sync: SyncJob;
  metrics: Metrics;
  analytics: AnalyticsService;
}

const RecordId = z.string().regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a 15- or 18-character record id');
const IdParams = z.object({ id: RecordId });
const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
const FilterTerm = z
  .string()
  .regex(/^[A-Za-z0-9_.]+:[A-Za-z]+(?::.*)?$/, 'must read field:operation[:value], e.g. Gate_Status__c:equals:At_Risk')
  .transform((s) => {
    const [field, operation, ...rest] = s.split(':');
    return { field: field!, operation: operation!, ...(rest.length ? { value: rest.join(':') } : {}) };
  })
  .refine((f) => (OPERATIONS as readonly string[]).includes(f.operation), { message: `operation must be one of ${OPERATIONS.join(', ')}` });
// Scope, search and sort, as list views and record pickers narrow what they show.
const NarrowQuery = {
  q: z.string().trim().max(200).optional(),
  scope: z.enum(SCOPES).optional(),
  userId: RecordId.optional(),
  sortBy: z.string().regex(/^[A-Za-z0-9_.]{1,120}$/, 'must be a field API name').optional(),
  sortDir: z.enum(['asc', 'desc']).optional(),
};
const OpportunityQuery = z.object({
  ...PageQuery,
  ...NarrowQuery,
  filter: z.union([FilterTerm, z.array(FilterTerm).max(20)]).optional().transform((f) => (f === undefined ? [] : Array.isArray(f) ? f : [f])),
  booleanFilter: z.string().max(200).regex(/^[\d\s()ANDORNOTandornot]+$/, 'may hold only filter numbers, AND, OR, NOT and parentheses').optional(),
  fields: z.string().max(2000).optional().transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined)),
});
const FieldList = z.string().max(4000).optional().transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []));
const UiRecordQuery = z.object({ fields: FieldList, optionalFields: FieldList });
const MilestoneKey = z.string().trim().regex(/^[a-z0-9_]{1,80}$/, 'must be a milestone key (lower case, digits, underscores; up to 80)');
const Note = z.string().trim().min(1, 'must not be blank: the note is the evidence a manager reads').max(4000);
const AttestationBody = z.object({ opportunityId: RecordId, milestoneKey: MilestoneKey, note: Note }).strict();
const RecordInputBody = z.object({ apiName: z.string().max(80).optional(), fields: z.record(z.string(), z.unknown()) });
const GraphqlBody = z.object({ query: z.string().min(1).max(20_000), variables: z.record(z.string(), z.unknown()).nullish(), operationName: z.string().max(200).nullish() });
const ListViewParams = z.object({ object: z.string().regex(/^[A-Za-z0-9_]{1,80}$/, 'must be an object API name'), name: z.string().regex(/^[A-Za-z0-9_]{1,80}$/, 'must be a list view API name') });
const RelatedParams = z.object({ parentId: RecordId, relatedListId: z.string().regex(/^[A-Za-z0-9_]{1,80}$/, 'must be a relationship name') });
const RelatedQuery = z.object({ fields: FieldList, sortBy: FieldList, pageSize: z.coerce.number().int().min(1).max(200).default(50) });
const SyncBody = z.object({ asOf: z.iso.datetime({ offset: true }).optional() }).strict();

export const DEFAULT_FORCE_APP = join(import.meta.dirname, '..', '..', '..', 'force-app');

export const createApp = (deps: AppDeps): App => {
  const { store, apiToken, crm } = deps;
  const logger = deps.logger ?? createLogger();
  const metrics = createMetrics();
  const now = deps.now ?? (() => new Date());
  const companion = deps.companion ?? composeCompanion({ dataDir: deps.dataDir, orgFile: store.file }, 'embedded', { store });
  const analytics = new AnalyticsService(store, companion, logger, now());
  // An API-started sync runs in a worker thread, so the server answers while it computes (a companion handed in
  // whole — tests with their own parts — runs it here unless it says where its files are).
  const syncConfig = deps.syncConfig !== undefined ? deps.syncConfig : deps.companion ? null : { dataDir: deps.dataDir, orgFile: store.file };
  const sync = new SyncJob(companion, logger, metrics, () => deps.warmAnalytics && analytics.warm(), syncConfig);
  if (deps.warmAnalytics) analytics.warm();
  let objects: ObjectDef[] | null = null;
  const packageObjects = (): ObjectDef[] => (objects ??= readObjects(deps.forceAppDir ?? DEFAULT_FORCE_APP));
  // The gate records carry the backtest's win rates (Win_Rate_Met__c, Lift__c …) once the analytics are computed.
  let stats: { from: OrgAnalytics; map: Map<string, MilestoneStats> } | null = null;
  const statsOf = (a: OrgAnalytics): Map<string, MilestoneStats> => (stats?.from === a ? stats.map : (stats = { from: a, map: milestoneStatsOf(a) }).map);
  const gates = new GateConfig(deps.dataDir, packageObjects, () => stats?.map);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // LWC's synthetic shadow injects component styles as <style> elements.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );

  // One JSON line and one metric per request, labelled with the route pattern, not the raw path.
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.path.startsWith('/api') ? 'unmatched' : 'static';
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.duration.observe({ method: req.method, route }, seconds);
      if (route !== 'static') logger.log(res.statusCode >= 500 ? 'error' : 'info', 'request', { method: req.method, route, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000) });
    });
    next();
  });

  const limits = deps.rateLimit ?? { reads: 1200, writes: 60 };
  const limited = (limit: number) =>
    rateLimit({ windowMs: 60_000, limit, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req, _res, next) => next(new AppError('budget', `more than ${limit} requests a minute; try again shortly`, { name: 'TooManyRequests' })) });
  const readLimit = limited(limits.reads);
  const writeLimit = limited(limits.writes);
  // Health is exempt: it is a few counts, and a client spending the budget must not make the companion look down.
  app.use('/api', (req, res, next) => (req.path === '/health' ? next() : req.method === 'GET' ? readLimit(req, res, next) : writeLimit(req, res, next)));

  // The HubSpot webhook receiver comes before the loopback and host guards: HubSpot calls it from outside, and its
  // v3 signature over the raw body (checked before the JSON parser) is what authenticates it.
  if (deps.hubspotWebhooks) app.use(hubspotWebhookRouter(deps.hubspotWebhooks));

  // Before anything reads the org: who may ask at all (guards.ts says why each check exists).
  if (deps.hubspotFetch) app.use('/api', hubspotFetchGuard(deps.hubspotFetch));
  app.use(unlessHubSpot(hostGuard(deps.host ?? '127.0.0.1')));
  if (!apiToken) app.use(unlessHubSpot(loopbackPeerGuard));
  app.use('/api', writeGuard);

  // The playbook's text is kept as sent: its duplicate keys (which JSON.parse drops silently) are an error to name.
  app.use(express.json({ limit: '256kb', verify: (req, _res, buf) => {
    if ((req as Request).url?.startsWith('/api/playbook')) (req as Request & { rawBody?: Buffer }).rawBody = buf;
  } }));

  app.get('/api/health', async (_req, res) => {
    res.json({
      status: 'ok',
      crm,
      org: { opportunities: store.count('Opportunity'), users: store.count('User'), source: store.getMeta('source') ?? null },
      lastSync: await lastSync(companion),
    });
  });

  // Everything but health needs the token when one is configured (always, off loopback); metrics too.
  const requireToken = (req: Request, _res: Response, next: NextFunction): void => {
    if (!apiToken) return next();
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!sameToken(token, apiToken)) return next(new AppError('authentication', 'a valid bearer token is required', { name: 'Unauthorized' }));
    next();
  };
  app.use('/api', unlessHubSpot(requireToken));

  app.get('/metrics', requireToken, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // List pages are cached per org version and URL (response-cache.ts): a repeated page costs a lookup.
  const lists = new ResponseCache();
  const cachedList = (req: Request, res: Response, build: () => unknown): void => {
    const { body, etag } = lists.answer(`${store.version()}|${req.originalUrl}`, build);
    res.type('application/json').set('ETag', etag).send(body);
  };

  app.get('/api/opportunities', (req, res) => {
    const q = parse(OpportunityQuery, req.query, 'query');
    const opportunity = packageObjects().find((o) => o.apiName === 'Opportunity')!;
    cachedList(req, res, () => narrowOpportunities(store, opportunity, q.filter, q.booleanFilter, q, q, q.fields));
  });

  app.get('/api/opportunities/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(opportunityDetail(store, id));
  });

  app.get('/api/list-views', (_req, res) => {
    res.json({ listViews: listViewSummaries(packageObjects()) });
  });

  app.get('/api/list-views/:object/:name', (req, res) => {
    const { object, name } = parse(ListViewParams, req.params, 'params');
    const q = parse(z.object({ ...PageQuery, ...NarrowQuery }), req.query, 'query');
    cachedList(req, res, () => listViewPage(store, packageObjects(), object, name, q, q));
  });

  app.get('/api/users', (req, res) => {
    const page = parse(z.object(PageQuery), req.query, 'query');
    cachedList(req, res, () => listUsers(store, page));
  });

  app.get('/api/users/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(userDetail(store, id));
  });

  app.get('/api/users/:id/team', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(teamOfManager(store, id));
  });

  app.get('/api/users/:id/scorecard', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(repScorecard(store, id));
  });

  app.post('/api/attestations', (req, res) => {
    const body = parse(AttestationBody, req.body ?? {}, 'body');
    res.status(201).json(attest(store, body, now()));
  });

  app.get('/api/sync', (_req, res) => {
    res.json(sync.current());
  });

  app.post('/api/sync', (req, res) => {
    const body = parse(SyncBody, req.body ?? {}, 'body');
    const { started, status } = sync.start(body.asOf);
    res.status(started ? 202 : 409).json(status);
  });

  app.get('/api/playbook', (_req, res) => {
    res.json(readPlaybook(companion));
  });

  // Replace the playbook: validated (every error, with its path), then either only its effect on open deals
  // (?dryRun=true) or saved and in force from the next sync.
  app.put('/api/playbook', async (req, res) => {
    const { dryRun } = parse(z.object({ dryRun: z.enum(['true', 'false']).default('false') }), req.query, 'query');
    const raw = (req as Request & { rawBody?: Buffer }).rawBody;
    const text = raw ? parseJsonText(raw.toString('utf8')) : ({ ok: true, value: req.body } as const);
    if (!text.ok) {
      res.status(400).json({ ok: false, saved: false, errors: [{ path: text.path, message: text.message }], error: { name: 'InvalidPlaybook', message: `${text.path || '(playbook)'}: ${text.message}` } });
      return;
    }
    const result = await replacePlaybook(companion, text.value, dryRun === 'true', now());
    res.status(result.ok ? 200 : 400).json(result.ok ? result : { ...result, error: { name: 'InvalidPlaybook', message: result.errors.map((e) => `${e.path || '(playbook)'}: ${e.message}`).join('; ') } });
  });

  // The UI API subset the preview's lightning/* stand-ins call.
  // GET /ui-api/records/batch/{ids}: several records at once (getRecords); a missing one is a 404 entry, not a failure.
  app.get('/api/ui/records/batch/:ids', (req, res) => {
    const ids = parse(z.object({ ids: z.string().transform((s) => s.split(',')).pipe(z.array(RecordId).min(1).max(200)) }), req.params, 'params').ids;
    const q = parse(UiRecordQuery, req.query, 'query');
    res.json({ results: ids.map((id) => {
      try {
        return { statusCode: 200, result: getUiRecord(store, id, [], [...q.fields, ...q.optionalFields]) };
      } catch (error) {
        return { statusCode: 404, result: [{ errorCode: 'NOT_FOUND', message: error instanceof Error ? error.message : String(error) }] };
      }
    }) });
  });

  app.get('/api/ui/records/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    const q = parse(UiRecordQuery, req.query, 'query');
    const gateObject = gateObjectOfId(id);
    if (gateObject) {
      const record = gates.current()[gateObject].find((r) => r.Id === id);
      if (!record) throw UiApiError.notFound(id);
      res.json(uiShapeOf(gateObject, record));
      return;
    }
    res.json(getUiRecord(store, id, q.fields, q.optionalFields));
  });

  app.post('/api/ui/records', (req, res) => {
    const body = parse(RecordInputBody, req.body ?? {}, 'body');
    // The running user, as Salesforce stamps CreatedById: the preview says who is viewing (x-stagecraft-user).
    const user = RecordId.safeParse(req.get('x-stagecraft-user'));
    res.status(201).json(createUiRecord(store, gates, packageObjects(), body, now(), user.success ? user.data : null));
  });

  app.patch('/api/ui/records/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    const body = parse(RecordInputBody, req.body ?? {}, 'body');
    res.json(updateUiRecord(store, gates, packageObjects(), id, body));
  });

  app.delete('/api/ui/records/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    if (!gateObjectOfId(id)) throw UiApiError.record(400, [{ constituentField: null, duplicateRecordError: null, errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', field: null, fieldLabel: null, message: `${id}: only gate milestones can be deleted here` }]);
    gates.remove(id);
    res.status(204).end();
  });

  app.get('/api/ui/related-list-records/:parentId/:relatedListId', (req, res) => {
    const { parentId, relatedListId } = parse(RelatedParams, req.params, 'params');
    const q = parse(RelatedQuery, req.query, 'query');
    res.json(relatedListRecords(store, parentId, relatedListId, q.fields, q.pageSize, q.sortBy));
  });

  // The UI API GraphQL subset lightning/graphql sends: the gate configuration objects, derived from the playbook.
  app.post('/api/ui/graphql', async (req, res) => {
    const body = parse(GraphqlBody, req.body ?? {}, 'body');
    // Without statistics the designer still works: the records just carry no win rates.
    await analytics.get().then(statsOf, (error: unknown) => logger.log('error', 'analytics failed', { error: String(error) }));
    res.json(executeUiGraphql(body.query, body.variables ?? {}, gateGraphqlSource(gates, packageObjects()), body.operationName ?? undefined));
  });

  // Org analytics (as of the last sync): stage conversion, milestone backtest, ramp cohorts, competency × rep heat map.
  app.get('/api/analytics/conversion', async (_req, res) => {
    res.json((await analytics.get()).conversion);
  });
  app.get('/api/analytics/backtest', async (_req, res) => {
    res.json((await analytics.get()).backtest);
  });
  app.get('/api/analytics/ramp', async (_req, res) => {
    res.json((await analytics.get()).ramp);
  });
  app.get('/api/analytics/heatmap', async (_req, res) => {
    res.json((await analytics.get()).heatmap);
  });
  app.get('/api/analytics/flags', async (_req, res) => {
    res.json((await analytics.get()).flags);
  });
  app.get('/api/analytics/win', async (_req, res) => {
    res.json((await analytics.get()).win);
  });
  app.get('/api/analytics/inspection', async (_req, res) => {
    res.json((await analytics.get()).inspection);
  });

  app.use('/api', (req, _res, next) => next(notFound(`${req.method} ${req.originalUrl}`)));

  if (deps.previewDir && existsSync(deps.previewDir)) {
    app.use(express.static(deps.previewDir, { index: 'index.html', maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('cache-control', 'no-cache') }));
    // Client-side routes (/opportunity/006…) get the shell.
    app.get(/^\/(?!api\/|metrics$|assets\/).*/, (_req, res) => res.sendFile(join(deps.previewDir!, 'index.html')));
  }

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof UiApiError) {
      res.status(error.status).json(error.body);
      return;
    }
    const e = error instanceof AppError ? error : (bodyError(error) ?? asAppError(error));
    if (e.status >= 500) logger.log('error', 'unhandled', { name: e.name, message: e.message, cause: String((e.cause as Error | undefined)?.stack ?? e.cause ?? '') });
    res.status(e.status).json({ error: { name: e.name, message: e.message } });
  });

  return { app, sync, metrics, analytics };
};

/** express.json's own errors (malformed JSON, body too large) become 4xx AppErrors. */
const bodyError = (error: unknown): AppError | null => {
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('bad_input', 'the request body is not valid JSON', { name: 'BadRequest' });
  if (e?.type === 'entity.too.large') return new AppError('bad_input', 'the request body is too large', { name: 'PayloadTooLarge', status: 413 });
  return null;
};

/** The gate objects as a GraphQL source: records from the playbook, fields and relationships from the package metadata. */
const gateGraphqlSource = (gates: GateConfig, objects: readonly ObjectDef[]): GraphqlSource => {
  const current = gates.current();
  const isGate = (o: string): o is GateObject => (GATE_OBJECTS as readonly string[]).includes(o);
  const defs = (o: string) => objects.find((x) => x.apiName === o)?.fields ?? [];
  return {
    records: (o) => (isGate(o) ? current[o] : undefined),
    fields: (o) => (isGate(o) ? gates.fieldNames(o) : new Set()),
    parent: (o, relationship) => {
      const field = defs(o).find((f) => f.referenceTo && f.apiName.endsWith('__c') && `${f.apiName.slice(0, -3)}__r` === relationship);
      return field && isGate(field.referenceTo!) ? { field: field.apiName, target: field.referenceTo! } : undefined;
    },
    child: (o, relationship) => {
      for (const child of GATE_OBJECTS) {
        const field = defs(child).find((f) => f.referenceTo === o && `${f.relationshipName}__r` === relationship);
        if (field) return { child, via: field.apiName };
      }
      return undefined;
    },
    displayValue: (o, field, value) => {
      const def = defs(o).find((f) => f.apiName === field);
      if (value === null || value === undefined || !def?.values) return null;
      return String(value).split(';').map((v) => def.values!.find((x) => x.apiName === v)?.label ?? v).join(';');
    },
  };
};
