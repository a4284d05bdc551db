// Salesforce's error shapes: REST errors are an array of {message, errorCode[, fields]} with an HTTP status;
// per-record save errors are {statusCode, message, fields}. One error type carries both to the HTTP layer.

export interface RestErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** A whole-request failure: the HTTP layer answers `status` with `[{message, errorCode}]`. */
export class SfError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[] | undefined;
  constructor(status: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }
  body(): RestErrorBody[] {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

export const notFound = (): SfError => new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const invalidSession = (): SfError => new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
export const requestLimitExceeded = (): SfError => new SfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');

/** A per-record save failure (collections, single-record writes, bulk rows). */
export class RecordError extends Error {
  readonly error: SaveError;
  constructor(statusCode: string, message: string, fields: string[] = []) {
    super(message);
    this.error = { statusCode, message, fields };
  }
}
