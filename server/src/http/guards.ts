// What keeps a page in the user's own browser from using the companion. A companion bound to loopback is reachable
// from every page the browser opens: DNS rebinding makes a hostile name resolve to 127.0.0.1 (so the Host header is
// checked against the names the companion answers to), and any page may POST to it (so writes must be JSON — which
// a cross-origin page cannot send without a CORS preflight the companion never grants — and come from no other
// origin). Loopback is judged by address, never by a string prefix: "127.0.0.1.nip.io" is a public name.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors.ts';
import { isLoopbackAddress, LOOPBACK_NAMES, unbracket } from '../loopback.ts';

const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** The hostname of a Host header (`example.com:3000`, `[::1]:3000`), lower-cased; null when it is not one. */
export const hostnameOf = (header: string | undefined): string | null => {
  if (!header) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/.exec(header.trim());
  return m ? unbracket(m[1]!.toLowerCase()) : null;
};

/**
 * The Host names a request may carry: loopback's, and the one the companion was configured with. Bound to every
 * interface (0.0.0.0) the companion cannot know its public names — it then requires a token (config.ts), which a
 * rebinding page does not have, and accepts any well-formed Host.
 */
export const hostAllowList = (configuredHost: string | null | undefined): ((hostname: string) => boolean) => {
  const configured = configuredHost ? unbracket(configuredHost.toLowerCase()) : null;
  if (configured && WILDCARD.has(configured)) return () => true;
  return (name) => LOOPBACK_NAMES.has(name) || isLoopbackAddress(name) || name === configured;
};

const forbidden = (message: string): AppError => new AppError('bad_input', message, { name: 'Forbidden', status: 403 });

export const hostGuard = (configuredHost: string | null | undefined) => {
  const allowed = hostAllowList(configuredHost);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const name = hostnameOf(req.headers.host);
    if (name === null || !allowed(name)) return next(forbidden(`Host "${String(req.headers.host ?? '').slice(0, 100)}" is not a name this companion answers to`));
    next();
  };
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Writes come from the companion's own pages or from no browser at all: an Origin (or a Sec-Fetch-Site of
 * cross-site/same-site) naming another origin is refused, and a body must be `application/json` — the one type a
 * cross-origin form or `text/plain` fetch cannot send without a preflight.
 */
export const writeGuard = (req: Request, _res: Response, next: NextFunction): void => {
  if (!WRITES.has(req.method)) return next();
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let same = false;
    try {
      const o = new URL(origin);
      same = (o.protocol === 'http:' || o.protocol === 'https:') && o.host.toLowerCase() === String(req.headers.host ?? '').toLowerCase();
    } catch {
      same = false;
    }
    if (!same) return next(forbidden(`a write from origin ${origin.slice(0, 100)} is refused: only the companion's own pages may change it`));
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return next(forbidden(`a ${site} write is refused: only the companion's own pages may change it`));
  const hasBody = req.method !== 'DELETE' || Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (hasBody && type !== 'application/json') {
    return next(new AppError('bad_input', `a ${req.method} needs Content-Type: application/json${type ? ` (got ${type.slice(0, 60)})` : ''}`, { name: 'UnsupportedMediaType', status: 415 }));
  }
  next();
};

/** Without a token, only this machine may call: a request from another address is refused whatever the bind. */
export const loopbackPeerGuard = (req: Request, _res: Response, next: NextFunction): void => {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return next(forbidden('only this machine may call a companion without an API token'));
  next();
};

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant time over equal-length digests: neither the token's content nor its length leaks through timing. */
export const sameToken = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));
