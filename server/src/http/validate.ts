// Validation at the HTTP boundary: a zod schema or a 400 that names the failing path ("query.limit: …").
import type { z } from 'zod';
import { AppError } from '../errors.ts';

export const parse = <T extends z.ZodType>(schema: T, value: unknown, where: 'params' | 'query' | 'body'): z.infer<T> => {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = [where, ...issue.path.map(String)].join('.');
    throw new AppError('bad_input', `${path}: ${issue.message}`, { name: 'BadRequest', details: { path } });
  }
  return result.data;
};

/** The one bad-request error (server/src/errors.ts), for the routes that import it from here. */
export { badRequest } from '../errors.ts';
