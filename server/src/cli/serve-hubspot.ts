// `stagecraft serve --crm hubspot`: the companion for a HubSpot portal — the webhook receiver (POST /webhooks/hubspot)
// writing to the inbox, the inbox worker recomputing only the deals the events touch, and a poll that catches what
// webhooks do not cover (an incremental search by hs_lastmodifieddate). Events a crash left in the inbox are drained
// first, at start.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Companion } from '../composition.ts';
import { AppError, badRequest } from '../errors.ts';
import { hubspotWebhookRouter, HUBSPOT_INBOX_SOURCE } from '../http/hubspot-webhooks.ts';
import { hubspotFetchGuard } from '../http/hubspot-fetch.ts';
import { hubspotDealGate, hubspotRepCard } from '../use-cases/deal-gate.ts';
import { hubspotAttest, hubspotRecalculate, hubspotRecalculatePortal } from '../use-cases/hubspot-attest.ts';
import { syncOrg } from '../use-cases/companion-sync.ts';
import { heldBacktest } from '../use-cases/backtest.ts';
import { readPlaybook, replacePlaybook } from '../http/playbook.ts';
import { acceptPushedEvents } from '../use-cases/webhook-inbox.ts';
import { ChangeFeed } from '../workers/change-feed.ts';
import { serialQueue } from '../workers/change-stream.ts';
import { InboxWorker } from '../workers/hubspot-inbox.ts';

export interface HubSpotCompanionOptions {
  host: string;
  port: number;
  clientSecret: string | null;
  webhookUrl?: string | null;
  pollSeconds: number;
  log?: (line: string) => void;
}

export interface RunningHubSpotCompanion {
  url: string;
  worker: InboxWorker;
  stop(): Promise<void>;
}

export const startHubSpotCompanion = async (c: Companion, options: HubSpotCompanionOptions): Promise<RunningHubSpotCompanion> => {
  if (!options.clientSecret) throw new AppError('configuration', 'HUBSPOT_CLIENT_SECRET is required to verify webhook signatures');
  const log = options.log ?? ((line: string) => console.log(line));
  // One writer at a time: the inbox's passes, the poll's syncs and the card's actions each begin and commit a run of
  // the connector, so they queue behind each other (as `serve --crm salesforce` queues its stream and poll).
  const serial = serialQueue();
  const worker = new InboxWorker(c, HUBSPOT_INBOX_SOURCE, (error) => log(`stagecraft: webhook recompute failed (the events stay in the inbox): ${(error as Error).message}`), serial);
  // The settings page's analytics: computed once per full sync and playbook (see heldBacktest).
  const analytics = heldBacktest(c);
  const app = express();
  app.disable('x-powered-by');
  app.get('/api/health', async (_req, res) => void res.json({ status: 'ok', crm: 'hubspot', inbox: await c.inbox().counts(c.tenant(), HUBSPOT_INBOX_SOURCE) }));
  app.use(hubspotWebhookRouter({
    clientSecret: options.clientSecret, publicUrl: options.webhookUrl,
    accept: (events, at) => acceptPushedEvents(c, HUBSPOT_INBOX_SOURCE, events, at),
    onStored: () => void worker.wake(),
  }));
  // The deal app card (hubspot.fetch(), signed by HubSpot with the same client secret): only signed requests are
  // answered — this server faces the internet — and the deal is HubSpot's numeric id, mapped here.
  app.use('/api', hubspotFetchGuard({ clientSecret: options.clientSecret, publicUrl: options.webhookUrl ? new URL(options.webhookUrl).origin : null, required: true }));
  // HubSpot's record and user ids are digits: anything else is refused (400) before a call reaches the portal.
  const isHubSpotId = (value: unknown): value is string => typeof value === 'string' && /^\d{1,20}$/.test(value);
  const hubspotId = (value: unknown, field: string, what: string): string => {
    if (isHubSpotId(value)) return value;
    throw badRequest(`${field}: must be a HubSpot ${what} id (digits)`);
  };
  app.get('/api/opportunities/:dealId', (req, res, next) => {
    Promise.resolve().then(() => hubspotDealGate(c, hubspotId(req.params.dealId, 'dealId', 'deal'))).then((view) => res.json(view), next);
  });
  // The rep scorecard card: HubSpot's user id (the viewing user) mapped to their owner and team.
  app.get('/api/users/:userId/scorecard', (req, res, next) => {
    Promise.resolve().then(() => hubspotRepCard(c, hubspotId(req.params.userId, 'userId', 'user'))).then((view) => res.json(view.scorecard), next);
  });
  app.get('/api/users/:userId/team', (req, res, next) => {
    Promise.resolve().then(() => hubspotRepCard(c, hubspotId(req.params.userId, 'userId', 'user'))).then((view) => res.json(view.team), next);
  });
  // The card's actions: an attestation (kept by the companion, HubSpot has no object for it) and "Recalculate now",
  // each recomputing the deal at once and answering its new checklist. Who attests is the viewing HubSpot user
  // (hubspot.fetch() adds userId to the signed URL).
  const dealIdOf = (value: unknown): string => hubspotId(value, 'opportunityId', 'deal');
  app.post('/api/attestations', (req, res, next) => {
    Promise.resolve().then(() => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (typeof body.milestoneKey !== 'string' || !body.milestoneKey) throw badRequest('milestoneKey: required');
      if (typeof body.note !== 'string') throw badRequest('note: required: the note is the evidence a manager reads');
      const who = isHubSpotId(req.query.userId) ? req.query.userId : null;
      const attestation = { dealId: dealIdOf(body.opportunityId), milestoneKey: body.milestoneKey, note: body.note, userId: who };
      return serial(() => hubspotAttest(c, attestation));
    }).then((view) => {
      analytics.invalidate();
      res.status(201).json(view);
    }, next);
  });
  app.post('/api/sync', (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    Promise.resolve().then((): Promise<unknown> => {
      const dealId = body.opportunityId === undefined ? null : dealIdOf(body.opportunityId);
      return serial((): Promise<unknown> => (dealId === null ? hubspotRecalculatePortal(c) : hubspotRecalculate(c, dealId)));
    }).then((view) => res.json(view), next);
  });
  // The settings page: the gate designer (the playbook in force; a changed one checked against today's open deals,
  // then saved) and the analytics that say which milestones predict wins here — the routes and shapes the
  // Salesforce preview's designer uses. HubSpot shows an app's settings page only to users who may manage the app.
  app.get('/api/playbook', (_req, res) => void res.json(readPlaybook(c)));
  app.put('/api/playbook', (req, res, next) => {
    const dryRun = req.query.dryRun ?? 'false';
    if (dryRun !== 'true' && dryRun !== 'false') return void res.status(400).json({ error: { name: 'BadRequest', message: 'dryRun: must be true or false' } });
    serial(() => replacePlaybook(c, req.body, dryRun === 'true', new Date())).then((result) => {
      if (result.ok && result.saved) analytics.invalidate();
      res.status(result.ok ? 200 : 400).json(result.ok ? result : { ...result, error: { name: 'InvalidPlaybook', message: result.errors.map((e) => `${e.path || '(playbook)'}: ${e.message}`).join('; ') } });
    }, next);
  });
  app.get('/api/analytics/conversion', (_req, res, next) => void analytics.get().then((r) => res.json({ asOf: r.asOf, processes: r.conversion }), next));
  app.get('/api/analytics/backtest', (_req, res, next) => void analytics.get().then((r) => res.json(r.backtest), next));
  app.get('/api/analytics/flags', (_req, res, next) => void analytics.get().then((r) => res.json(r.flags), next));
  app.use('/api', (req, res) => void res.status(404).json({ error: { name: 'NotFound', message: `${req.method} /api${req.path} is not served for a HubSpot portal` } }));
  app.use('/api', (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = error instanceof AppError ? error : null;
    res.status(e?.status ?? 500).json({ error: { name: e?.name ?? 'InternalError', message: e?.message ?? 'the deal could not be read' } });
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  // Whatever a crash left between the acknowledgement and the write-back.
  void worker.wake();
  const feed = new ChangeFeed({
    pollMs: options.pollSeconds * 1000, probeMs: options.pollSeconds * 1000, probe: async () => false,
    sync: async () => {
      const outcome = await serial(() => syncOrg(c, { incremental: true }));
      if (outcome.kind === 'stopped') log(`Sync (hubspot) stopped: ${outcome.message}. The next poll resumes it.`);
    },
    onError: (error) => log(`stagecraft: sync failed: ${(error as Error).message}`),
  });
  feed.start();
  return {
    url: `http://${options.host}:${port}`, worker,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feed.stop();
      await worker.stop();
    },
  };
};
