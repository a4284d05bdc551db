// The companion's HTTP API and the preview's static files. Routes are thin: validate with zod, call one use-case
// function, answer JSON. Errors go to the one handler at the end, which never sends a stack trace.
import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { z } from 'zod';
import type { OrgStore } from '../crm/embedded/store.ts';
import { AppError, notFound } from '../errors.ts';
import { readObjects, type ObjectDef } from '../metadata/force-app.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { OPERATIONS } from './list-filter.ts';
import { createAttestation, listUsers, listViewRecords, listViewSummaries, opportunityDetail, queryOpportunities, repScorecard, userDetail } from './org-views.ts';
import { SyncJob } from './sync-job.ts';
import { getUiRecord, relatedListRecords, uiRecordOf } from './ui-api.ts';
import { readPlaybook, replacePlaybook } from './playbook.ts';
import { parse } from './validate.ts';

export interface AppDeps {
  store: OrgStore;
  /** The companion's data folder: the playbook lives there (playbook.json). */
  dataDir: string;
  apiToken: string | null;
  crm: string;
  logger?: Logger;
  /** The built preview (index.html and bundles); absent = API only. */
  previewDir?: string | null;
  /** The package source the list views come from. */
  forceAppDir?: string;
  /** Requests per minute per client on /api (reads) and for writes; tests lower them. */
  rateLimit?: { reads: number; writes: number };
  now?: () => Date;
}

export interface App {
  app: express.Express;
  sync: SyncJob;
  metrics: Metrics;
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
const OpportunityQuery = z.object({
  ...PageQuery,
  filter: z.union([FilterTerm, z.array(FilterTerm).max(20)]).optional().transform((f) => (f === undefined ? [] : Array.isArray(f) ? f : [f])),
  booleanFilter: z.string().max(200).regex(/^[\d\s()ANDORNOTandornot]+$/, 'may hold only filter numbers, AND, OR, NOT and parentheses').optional(),
  fields: z.string().max(2000).optional().transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined)),
});
const FieldList = z.string().max(4000).optional().transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []));
const UiRecordQuery = z.object({ fields: FieldList, optionalFields: FieldList });
const MilestoneKey = z.string().trim().regex(/^[a-z0-9_]{1,80}$/, 'must be a milestone key (lower case, digits, underscores; up to 80)');
const Note = z.string().trim().min(1, 'must not be blank: the note is the evidence a manager reads').max(4000);
const AttestationBody = z.object({ opportunityId: RecordId, milestoneKey: MilestoneKey, note: Note }).strict();
const CreateRecordBody = z.object({
  apiName: z.literal('Milestone_Attestation__c', { message: 'only Milestone_Attestation__c records can be created in the embedded org' }),
  fields: z.object({ Opportunity__c: RecordId, Milestone_Key__c: MilestoneKey, Note__c: Note }).strict(),
});
const ListViewParams = z.object({ object: z.string().regex(/^[A-Za-z0-9_]{1,80}$/, 'must be an object API name'), name: z.string().regex(/^[A-Za-z0-9_]{1,80}$/, 'must be a list view API name') });
const RelatedParams = z.object({ parentId: RecordId, relatedListId: z.string().regex(/^[A-Za-z0-9_]{1,80}$/, 'must be a relationship name') });
const RelatedQuery = z.object({ fields: FieldList, pageSize: z.coerce.number().int().min(1).max(200).default(50) });
const SyncBody = z.object({ asOf: z.iso.datetime({ offset: true }).optional() }).strict();

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const DEFAULT_FORCE_APP = join(import.meta.dirname, '..', '..', '..', 'force-app');

export const createApp = (deps: AppDeps): App => {
  const { store, apiToken, crm } = deps;
  const logger = deps.logger ?? createLogger();
  const metrics = createMetrics();
  const sync = new SyncJob(store, deps.dataDir, logger, metrics);
  const now = deps.now ?? (() => new Date());
  let objects: ObjectDef[] | null = null;
  const packageObjects = (): ObjectDef[] => (objects ??= readObjects(deps.forceAppDir ?? DEFAULT_FORCE_APP));

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
    rateLimit({ windowMs: 60_000, limit, standardHeaders: 'draft-8', legacyHeaders: false, handler: (_req, _res, next) => next(new AppError('TooManyRequests', `more than ${limit} requests a minute; try again shortly`, { status: 429 })) });
  const readLimit = limited(limits.reads);
  const writeLimit = limited(limits.writes);
  app.use('/api', (req, res, next) => (req.method === 'GET' ? readLimit(req, res, next) : writeLimit(req, res, next)));

  app.use(express.json({ limit: '256kb' }));

  app.get('/api/health', (_req, res) => {
    const lastSync = store.getMeta('lastSync');
    res.json({
      status: 'ok',
      crm,
      org: { opportunities: store.count('Opportunity'), users: store.count('User'), source: store.getMeta('source') ?? null },
      lastSync: lastSync ? JSON.parse(lastSync) : null,
    });
  });

  // Everything but health needs the token when one is configured (always, off loopback); metrics too.
  const requireToken = (req: Request, _res: Response, next: NextFunction): void => {
    if (!apiToken) return next();
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!sameToken(token, apiToken)) return next(new AppError('Unauthorized', 'a valid bearer token is required', { status: 401 }));
    next();
  };
  app.use('/api', requireToken);

  app.get('/metrics', requireToken, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/api/opportunities', (req, res) => {
    const q = parse(OpportunityQuery, req.query, 'query');
    const opportunity = packageObjects().find((o) => o.apiName === 'Opportunity')!;
    res.json(queryOpportunities(store, opportunity, q.filter, q.booleanFilter, q, q.fields));
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
    const page = parse(z.object(PageQuery), req.query, 'query');
    res.json(listViewRecords(store, packageObjects(), object, name, page));
  });

  app.get('/api/users', (req, res) => {
    res.json(listUsers(store, parse(z.object(PageQuery), req.query, 'query')));
  });

  app.get('/api/users/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(userDetail(store, id));
  });

  app.get('/api/users/:id/scorecard', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    res.json(repScorecard(store, id));
  });

  app.post('/api/attestations', (req, res) => {
    const body = parse(AttestationBody, req.body ?? {}, 'body');
    res.status(201).json(createAttestation(store, body, now()));
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
    res.json(readPlaybook(deps.dataDir));
  });

  // Replace the playbook: validated (every error, with its path), then either only its effect on open deals
  // (?dryRun=true) or saved and in force from the next sync.
  app.put('/api/playbook', async (req, res) => {
    const { dryRun } = parse(z.object({ dryRun: z.enum(['true', 'false']).default('false') }), req.query, 'query');
    const result = await replacePlaybook(store, deps.dataDir, req.body, dryRun === 'true', now());
    res.status(result.ok ? 200 : 400).json(result.ok ? result : { ...result, error: { name: 'InvalidPlaybook', message: result.errors.map((e) => `${e.path || '(playbook)'}: ${e.message}`).join('; ') } });
  });

  // The UI API subset the preview's lightning/* stand-ins call.
  app.get('/api/ui/records/:id', (req, res) => {
    const { id } = parse(IdParams, req.params, 'params');
    const q = parse(UiRecordQuery, req.query, 'query');
    res.json(getUiRecord(store, id, q.fields, q.optionalFields));
  });

  app.post('/api/ui/records', (req, res) => {
    const body = parse(CreateRecordBody, req.body ?? {}, 'body');
    const record = createAttestation(store, { opportunityId: body.fields.Opportunity__c, milestoneKey: body.fields.Milestone_Key__c, note: body.fields.Note__c }, now());
    res.status(201).json(uiRecordOf(store, 'Milestone_Attestation__c', record));
  });

  app.get('/api/ui/related-list-records/:parentId/:relatedListId', (req, res) => {
    const { parentId, relatedListId } = parse(RelatedParams, req.params, 'params');
    const q = parse(RelatedQuery, req.query, 'query');
    res.json(relatedListRecords(store, parentId, relatedListId, q.fields, q.pageSize));
  });

  app.use('/api', (req, _res, next) => next(notFound(`${req.method} ${req.originalUrl}`)));

  if (deps.previewDir && existsSync(deps.previewDir)) {
    app.use(express.static(deps.previewDir, { index: 'index.html', maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('cache-control', 'no-cache') }));
    // Client-side routes (/opportunity/006…) get the shell.
    app.get(/^\/(?!api\/|metrics$|assets\/).*/, (_req, res) => res.sendFile(join(deps.previewDir!, 'index.html')));
  }

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = error instanceof AppError ? error : (bodyError(error) ?? new AppError('InternalError', 'something went wrong on our side', { status: 500, cause: error }));
    if (e.status >= 500) logger.log('error', 'unhandled', { name: e.name, message: e.message, cause: String((e.cause as Error | undefined)?.stack ?? e.cause ?? '') });
    res.status(e.status).json({ error: { name: e.name, message: e.message } });
  });

  return { app, sync, metrics };
};

/** express.json's own errors (malformed JSON, body too large) become 4xx AppErrors. */
const bodyError = (error: unknown): AppError | null => {
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('BadRequest', 'the request body is not valid JSON', { status: 400 });
  if (e?.type === 'entity.too.large') return new AppError('PayloadTooLarge', 'the request body is too large', { status: 413 });
  return null;
};
