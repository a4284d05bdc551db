// One error type for the companion. `status` is the HTTP status a route answers with; `catastrophic` means the process
// cannot go on safely (a broken store), as opposed to a bad request or a bad input file.

export class AppError extends Error {
  readonly status: number;
  readonly catastrophic: boolean;
  /** Where the problem is, for the user: a config variable, a file and line, a request path. */
  readonly details?: unknown;

  constructor(name: string, message: string, options: { status?: number; catastrophic?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = name;
    this.status = options.status ?? 500;
    this.catastrophic = options.catastrophic ?? false;
    this.details = options.details;
  }
}

export const notFound = (what: string): AppError => new AppError('NotFound', `${what} not found`, { status: 404 });
