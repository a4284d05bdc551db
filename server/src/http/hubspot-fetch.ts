// Requests from HubSpot app cards: `hubspot.fetch()` runs on HubSpot's servers, which sign each request with the app's
// client secret (X-HubSpot-Signature-v3 over method + URL + body + X-HubSpot-Request-Timestamp — the same scheme as
// webhook deliveries, so the same verifier). A signed request that verifies is HubSpot speaking for a user of the
// installed app: it is let past the loopback, host and token guards, which exist for browsers and scripts, not for it.
// A request that carries HubSpot's signature but does not verify is refused outright — never passed on to the token
// check, so a tampered or replayed card request cannot fall back to another way in.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { verifySignedRequest } from '../webhooks/hubspot-signature.ts';

export interface HubSpotFetchDeps {
  /** The HubSpot app's client secret (HUBSPOT_CLIENT_SECRET). */
  clientSecret: string;
  /** The companion's URL as the app's permitted URLs name it (the signature covers it); default: this request's URL. */
  publicUrl?: string | null;
  /** Only HubSpot may call /api (a companion serving a portal, reachable from outside): unsigned requests are refused. */
  required?: boolean;
  now?: () => number;
}

const VERIFIED = 'hubspotVerified';
const SIGNATURE = 'x-hubspot-signature-v3';

export const isHubSpotVerified = (res: Response): boolean => res.locals[VERIFIED] === true;

/** Runs `guard` for everyone but a verified HubSpot card request. */
export const unlessHubSpot = (guard: RequestHandler): RequestHandler => (req, res, next) => (isHubSpotVerified(res) ? next() : guard(req, res, next));

const refuse = (res: Response, message: string): void => {
  res.status(401).json({ error: { name: 'Unauthorized', message } });
};

/** Mount on /api before the guards and the JSON parser: the signature is over the raw body. */
export const hubspotFetchGuard = (deps: HubSpotFetchDeps): RequestHandler => {
  const now = deps.now ?? Date.now;
  const raw = express.raw({ type: () => true, limit: '256kb' });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.get(SIGNATURE)) {
      if (deps.required && req.path !== '/health') return refuse(res, 'only signed HubSpot requests are answered here: X-HubSpot-Signature-v3 is missing');
      return next();
    }
    raw(req, res, (error?: unknown) => {
      if (error) return next(error);
      const uri = deps.publicUrl ? `${deps.publicUrl.replace(/\/$/, '')}${req.originalUrl}` : `${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
      const verdict = verifySignedRequest(req, deps.clientSecret, uri, now());
      const body = verdict.body;
      if (!verdict.ok) return refuse(res, `HubSpot request signature refused: ${verdict.reason}`);
      // The body is read: hand the route its JSON, and tell express.json it has nothing left to do.
      try {
        req.body = body ? JSON.parse(body) : {};
      } catch {
        res.status(400).json({ error: { name: 'BadRequest', message: 'the request body is not JSON' } });
        return;
      }
      (req as Request & { _body?: boolean })._body = true;
      res.locals[VERIFIED] = true;
      next();
    });
  };
};
