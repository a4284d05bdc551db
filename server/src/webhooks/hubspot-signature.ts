// HubSpot's v3 request signature (request validation guide): base64 HMAC-SHA256, keyed with the app's client secret,
// over method + full URI + raw body + the X-HubSpot-Request-Timestamp header. A request older than five minutes is
// refused (a replayed capture), and the comparison is constant-time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export const signV3 = (secret: string, method: string, uri: string, body: string, timestamp: string): string =>
  createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');

export const verifyV3 = (input: { secret: string; method: string; uri: string; body: string; timestamp: string | undefined; signature: string | undefined; nowMs: number }): SignatureVerdict => {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp' };
  const at = Number(input.timestamp);
  if (!Number.isFinite(at)) return { ok: false, reason: 'X-HubSpot-Request-Timestamp is not a number' };
  if (input.nowMs - at > MAX_SIGNATURE_AGE_MS) return { ok: false, reason: 'the request is older than 5 minutes' };
  // URI-decoded characters HubSpot leaves encoded are compared as sent: the URI is the one the app configured.
  const expected = Buffer.from(signV3(input.secret, input.method, input.uri, input.body, input.timestamp));
  const given = Buffer.from(input.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'the signature does not match' };
  return { ok: true };
};

/** A request as the verifier needs it (express's Request has this shape): the raw body, read by express.raw(). */
export interface SignedRequest {
  method: string;
  body: unknown;
  get(header: string): string | undefined;
}

/** Verifies HubSpot's v3 signature over a request whose raw body was read, signed for `uri`; answers the body too. */
export const verifySignedRequest = (req: SignedRequest, secret: string, uri: string, nowMs: number): SignatureVerdict & { body: string } => {
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  return { ...verifyV3({ secret, method: req.method, uri, body, timestamp: req.get('x-hubspot-request-timestamp'), signature: req.get('x-hubspot-signature-v3'), nowMs }), body };
};
