// Errors in the shapes Salesforce's User Interface API answers with, so Lightning Data Service's callers (and the
// preview's stand-ins, which pass the body through) read them unchanged: a failed record save is an "Error with
// Output" whose output holds Record Exceptions (general errors and errors per field); other failures are a list of
// { errorCode, message }.
import { AppError } from '../errors.ts';

/** UI API "Record Exception Error". */
export interface RecordExceptionError {
  constituentField: string | null;
  duplicateRecordError: null;
  errorCode: string;
  field: string | null;
  fieldLabel: string | null;
  message: string;
}

export class UiApiError extends AppError {
  readonly body: unknown;

  constructor(status: number, message: string, body: unknown) {
    super(status === 404 ? 'not_found' : status >= 500 ? 'internal' : 'bad_input', message, { status });
    this.body = body;
  }

  /** A refused create or update: errors without a field go to `errors`, the rest under their field. */
  static record(status: number, problems: RecordExceptionError[]): UiApiError {
    const errors = problems.filter((p) => !p.field);
    const fieldErrors: Record<string, RecordExceptionError[]> = {};
    for (const p of problems.filter((x) => x.field)) (fieldErrors[p.field!] ??= []).push(p);
    const message = 'An error occurred while trying to update the record. Please try again.';
    return new UiApiError(status, problems.map((p) => p.message).join('; ') || message, { enhancedErrorType: 'RecordError', message, output: { errors, fieldErrors } });
  }

  static notFound(id: string): UiApiError {
    const message = `The requested resource does not exist: ${id}`;
    return new UiApiError(404, message, [{ errorCode: 'NOT_FOUND', message }]);
  }
}
