// One error model for the companion. Every error a user can cause or meet is an AppError with a *kind*; the kind
// decides, once each, the CLI's exit code and the HTTP status (the error's own status may refine it: 404 vs 400).
// Workers decide retry-or-stop from it: only `transient` is worth retrying as it is.

export type ErrorKind =
  /** The request, file or command line is wrong: fix it and run again. */
  | 'bad_input'
  /** The thing named does not exist. */
  | 'not_found'
  /** Something else holds the org (a running sync, another writer): try again when it is done. */
  | 'conflict'
  /** The configuration (environment, playbook, CRM setup) is wrong or incomplete. */
  | 'configuration'
  /** The CRM refused the credentials. */
  | 'authentication'
  /** An API budget or rate limit is reached: stop cleanly, resume later. */
  | 'budget'
  /** A passing fault (network, 5xx, a locked row): the same call may work later. */
  | 'transient'
  /** A bug or a broken store: nothing the user can fix by changing input. */
  | 'internal';

const HTTP_STATUS: Record<ErrorKind, number> = {
  bad_input: 400,
  not_found: 404,
  conflict: 409,
  configuration: 500,
  authentication: 401,
  budget: 429,
  transient: 503,
  internal: 500,
};

/** Exit codes of the `stagecraft` command, by kind (README: "Exit codes"). */
export const EXIT_CODE: Record<ErrorKind, number> = {
  internal: 1,
  bad_input: 2,
  not_found: 2,
  budget: 3,
  configuration: 4,
  authentication: 5,
  transient: 6,
  conflict: 7,
};

export class AppError extends Error {
  readonly kind: ErrorKind;
  /** The HTTP status a route answers with: the kind's, unless the error names a more precise one. */
  readonly status: number;
  /** Where the problem is, for the user: a config variable, a file and line, a request path. */
  readonly details?: unknown;

  constructor(kind: ErrorKind, message: string, options: { name?: string; status?: number; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.name = options.name ?? new.target.name;
    this.status = options.status ?? HTTP_STATUS[kind];
    this.details = options.details;
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`, { name: 'NotFound' });
export const badRequest = (message: string, details?: unknown): AppError => new AppError('bad_input', message, { name: 'BadRequest', details });

/** SQLite's "database is locked" (SQLITE_BUSY, SQLITE_LOCKED): another writer held the file past the busy timeout. */
const isBusy = (error: unknown): boolean => {
  const e = error as { code?: string; errcode?: number; message?: string } | null;
  return !!e && ((e.code === 'ERR_SQLITE_ERROR' && (e.errcode === 5 || e.errcode === 6)) || /database is locked/.test(e.message ?? ''));
};

/** Any thrown value as an AppError: known ones keep their kind, a busy store is transient, anything else internal. */
export const asAppError = (error: unknown): AppError => {
  if (error instanceof AppError) return error;
  if (isBusy(error)) return new AppError('transient', 'the org is busy: another process is writing to it; try again in a moment', { name: 'Busy', cause: error });
  return new AppError('internal', 'something went wrong on our side', { name: 'InternalError', cause: error });
};
