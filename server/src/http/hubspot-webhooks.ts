// POST /webhooks/hubspot: HubSpot's webhook deliveries. The raw body is verified (v3 signature, ≤ 5 minutes old) before
// it is parsed, the events are written to the inbox (de-duplicated by event id) and only then answered 200 — well
// within HubSpot's 5-second limit, since the recompute runs afterwards in the inbox worker.
import express, { type NextFunction, type Request, type Response } from 'express';
import { HubSpotWebhookBatch } from '../webhooks/hubspot-event.ts';
import { verifySignedRequest } from '../webhooks/hubspot-signature.ts';

export const HUBSPOT_WEBHOOK_PATH = '/webhooks/hubspot';
export const HUBSPOT_INBOX_SOURCE = 'hubspot';
/** HubSpot sends at most 100 events a request; a few kilobytes each is generous. */
export const DEFAULT_WEBHOOK_MAX_BYTES = 512 * 1024;

export interface HubSpotWebhookDeps {
  clientSecret: string;
  /** Stores the events durably (the accept use case); returns how many were new. */
  accept: (events: { eventId: string; event: unknown }[], receivedAt: Date) => number | Promise<number>;
  /** The URL HubSpot is configured to call (the signature covers it); default: this request's own URL. */
  publicUrl?: string | null;
  maxBytes?: number;
  now?: () => number;
  /** Called after new events are stored (wakes the worker). */
  onStored?: (added: number) => void;
}

const refuse = (res: Response, status: number, message: string): void => {
  res.status(status).json({ error: { name: status === 401 ? 'Unauthorized' : status === 413 ? 'PayloadTooLarge' : 'BadRequest', message } });
};

export const hubspotWebhookRouter = (deps: HubSpotWebhookDeps): express.Router => {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  router.post(HUBSPOT_WEBHOOK_PATH, express.raw({ type: () => true, limit: deps.maxBytes ?? DEFAULT_WEBHOOK_MAX_BYTES }), async (req: Request, res: Response) => {
    const uri = deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
    const verdict = verifySignedRequest(req, deps.clientSecret, uri, now());
    const body = verdict.body;
    if (!verdict.ok) return refuse(res, 401, `webhook signature refused: ${verdict.reason}`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return refuse(res, 400, 'the webhook body is not JSON');
    }
    const batch = HubSpotWebhookBatch.safeParse(json);
    if (!batch.success) return refuse(res, 400, `the webhook body is not a batch of HubSpot events: ${batch.error.issues[0]?.path.join('.') ?? ''} ${batch.error.issues[0]?.message ?? ''}`.trim());
    // Durable before the 200: a crash after this line loses nothing; a redelivery adds nothing.
    const added = await deps.accept(batch.data.map((e) => ({ eventId: e.eventId, event: e })), new Date(now()));
    res.status(200).json({ received: batch.data.length, new: added });
    if (added > 0) deps.onStored?.(added);
  });
  router.use(HUBSPOT_WEBHOOK_PATH, (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = error as { type?: string };
    if (e?.type === 'entity.too.large') return refuse(res, 413, 'the webhook body is over the size limit');
    next(error);
  });
  return router;
};
