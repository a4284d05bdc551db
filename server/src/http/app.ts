// The companion's HTTP API. Routes are thin: validate with zod, call one function, answer JSON. Errors go to the one
// handler at the end, which never sends a stack trace.
import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, notFound } from '../errors.ts';
import type { OrgStore } from '../crm/embedded/store.ts';

export interface AppDeps {
  store: OrgStore;
  apiToken: string | null;
  crm: string;
}

const RecordId = z.object({ id: z.string().regex(/^[a-zA-Z0-9]{15,18}$/, 'must be a 15- or 18-character record id') });

const parse = <T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new AppError('BadRequest', `${where}.${issue.path.join('.')}: ${issue.message}`, { status: 400 });
  }
  return result.data;
};

const sameToken = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const createApp = ({ store, apiToken, crm }: AppDeps): express.Express => {
  const app = express();
  app.disable('x-powered-by');
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

  // Everything but health needs the token when one is configured (always, off loopback).
  app.use('/api', (req, _res, next) => {
    if (!apiToken) return next();
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!sameToken(token, apiToken)) return next(new AppError('Unauthorized', 'a valid bearer token is required', { status: 401 }));
    next();
  });

  app.get('/api/opportunities/:id', (req, res) => {
    const { id } = parse(RecordId, req.params, 'params');
    const record = store.get('Opportunity', id);
    if (!record) throw notFound(`Opportunity ${id}`);
    res.json(record);
  });

  app.get('/api/users/:id', (req, res) => {
    const { id } = parse(RecordId, req.params, 'params');
    const record = store.get('User', id);
    if (!record) throw notFound(`User ${id}`);
    res.json(record);
  });

  app.use('/api', (req, _res, next) => next(notFound(`${req.method} ${req.originalUrl}`)));

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = error instanceof AppError ? error : bodyError(error) ?? new AppError('InternalError', 'something went wrong on our side', { status: 500, cause: error });
    if (e.status >= 500) console.error(JSON.stringify({ level: 'error', name: e.name, message: e.message, cause: String((e.cause as Error | undefined)?.stack ?? e.cause ?? '') }));
    res.status(e.status).json({ error: { name: e.name, message: e.message } });
  });

  return app;
};

/** express.json's own errors (malformed JSON, body too large) become 4xx AppErrors. */
const bodyError = (error: unknown): AppError | null => {
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') return new AppError('BadRequest', 'the request body is not valid JSON', { status: 400 });
  if (e?.type === 'entity.too.large') return new AppError('PayloadTooLarge', 'the request body is too large', { status: 413 });
  return null;
};
