// The scale-out's HTTP front (`stagecraft serve` with DATABASE_URL): the tenant admin API behind the admin token
// (STAGECRAFT_API_TOKEN, required — without it every admin route answers 401), and a health check. Syncs run on the
// workers, never here: this process only reads and enqueues, so it can run alone, on its own machines.
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import type { ScaleOut } from '../composition.ts';
import { AppError, notFound } from '../errors.ts';
import { acceptPortalEvents, addTenant, getTenant, setTenantPlaybook, tenantPlaybook, listTenants, replaceCredentials, requestSync, rotateKeys, setPaused, tenantRuns } from '../use-cases/tenants.ts';
import { createLogger, type Logger } from './log.ts';
import { hubspotWebhookRouter, HUBSPOT_INBOX_SOURCE } from './hubspot-webhooks.ts';
import { parse } from './validate.ts';

const TenantBody = z.object({
  id: z.string(),
  crm: z.string(),
  name: z.string().optional(),
  credentials: z.record(z.string(), z.unknown()),
  dailyApiBudget: z.number().int().positive().nullable().optional(),
  syncEverySeconds: z.number().int().min(60).optional(),
}).strict();
const SyncBody = z.object({ mode: z.enum(['full', 'incremental']).optional(), asOf: z.iso.datetime().optional() }).strict();
const RunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export interface AdminDeps {
  scale: ScaleOut;
  apiToken: string | null;
  /** The HubSpot app's webhook receiver (its client secret signs deliveries), for every portal tenant at once. */
  hubspot?: { clientSecret: string | null; publicUrl?: string | null };
  logger?: Logger;
}

export const createAdminApp = (deps: AdminDeps): express.Express => {
  const { scale, apiToken } = deps;
  const logger = deps.logger ?? createLogger();
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  // Before the JSON parser: the signature covers the raw body.
  if (deps.hubspot?.clientSecret) {
    app.use(hubspotWebhookRouter({
      clientSecret: deps.hubspot.clientSecret, publicUrl: deps.hubspot.publicUrl,
      accept: async (events, at) => {
        const { added, unrouted } = await acceptPortalEvents(scale, HUBSPOT_INBOX_SOURCE, events, at);
        if (unrouted) logger.log('warn', 'webhook events for no tenant', { unrouted });
        return added;
      },
    }));
  }
  app.use(express.json({ limit: '64kb' }));

  app.get('/api/health', async (_req, res) => {
    await scale.db.query('SELECT 1');
    res.json({ status: 'ok', mode: 'scale-out' });
  });

  app.use('/api/admin', (req: Request, _res: Response, next: NextFunction) => {
    if (!apiToken) return next(new AppError('authentication', 'the admin API needs STAGECRAFT_API_TOKEN set on the server', { name: 'Unauthorized' }));
    const header = req.get('authorization') ?? '';
    if (!sameToken(header.startsWith('Bearer ') ? header.slice(7) : '', apiToken)) return next(new AppError('authentication', 'a valid bearer token is required', { name: 'Unauthorized' }));
    next();
  });

  app.get('/api/admin/tenants', async (_req, res) => res.json(await listTenants(scale)));
  app.post('/api/admin/tenants', async (req, res) => res.status(201).json(await addTenant(scale, parse(TenantBody, req.body, 'body'))));
  app.get('/api/admin/tenants/:id', async (req, res) => res.json((await getTenant(scale, String(req.params.id))) ?? (() => { throw notFound(`tenant ${String(req.params.id)}`); })()));
  app.put('/api/admin/tenants/:id/credentials', async (req, res) => {
    await replaceCredentials(scale, String(req.params.id), req.body);
    res.status(204).end();
  });
  app.post('/api/admin/tenants/:id/pause', async (req, res) => {
    await setPaused(scale, String(req.params.id), true);
    res.status(204).end();
  });
  app.post('/api/admin/tenants/:id/resume', async (req, res) => {
    await setPaused(scale, String(req.params.id), false);
    res.status(204).end();
  });
  app.get('/api/admin/tenants/:id/runs', async (req, res) => res.json(await tenantRuns(scale, String(req.params.id), parse(RunsQuery, req.query, 'query').limit)));
  app.post('/api/admin/tenants/:id/sync', async (req, res) => {
    const body = parse(SyncBody, req.body ?? {}, 'body');
    const [queued] = await requestSync(scale, [String(req.params.id)], body);
    res.status(202).json(queued);
  });
  app.get('/api/admin/tenants/:id/playbook', async (req, res) => res.json({ playbook: (await tenantPlaybook(scale, String(req.params.id))) ?? null }));
  app.put('/api/admin/tenants/:id/playbook', async (req, res) => {
    const result = await setTenantPlaybook(scale, String(req.params.id), req.body);
    if (!result.ok) throw new AppError('bad_input', `not a valid playbook: ${result.errors.map((e) => `${e.path || '(playbook)'}: ${e.message}`).join('; ')}`, { name: 'BadRequest' });
    res.status(204).end();
  });
  app.post('/api/admin/rotate', async (_req, res) => res.json(await rotateKeys(scale)));

  app.use('/api', (req, _res, next) => next(notFound(`${req.method} ${req.originalUrl}`)));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const body = error as { type?: string };
    const e = error instanceof AppError ? error : body?.type === 'entity.parse.failed' ? new AppError('bad_input', 'the request body is not valid JSON', { name: 'BadRequest' }) : new AppError('internal', 'something went wrong on our side', { name: 'InternalError', cause: error });
    if (e.status >= 500) logger.log('error', 'unhandled', { name: e.name, message: e.message, cause: String((e.cause as Error | undefined)?.message ?? '') });
    res.status(e.status).json({ error: { name: e.name, message: e.message } });
  });
  return app;
};

export const startAdminServer = (deps: AdminDeps, host: string, port: number): Promise<{ url: string; stop(): Promise<void> }> =>
  new Promise((resolve, reject) => {
    const server: Server = createAdminApp(deps).listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        stop: async () => {
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          await closed;
        },
      });
    });
  });
