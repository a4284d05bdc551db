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
