// HubSpot's error body: {status: 'error', message, correlationId, category[, subCategory, context, errors]} (the
// "Error handling" reference; fields vary by API and a client must treat each as optional). One error type carries it.
import { randomUUID } from 'node:crypto';

export interface ErrorDetail {
  message: string;
  code?: string;
  in?: string;
  context?: Record<string, string[]>;
  subCategory?: string;
}

export class HsError extends Error {
  readonly status: number;
  readonly category: string;
  readonly extra: Record<string, unknown>;
  constructor(status: number, category: string, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.category = category;
    this.extra = extra;
  }
  body(): Record<string, unknown> {
    return { status: 'error', message: this.message, correlationId: randomUUID(), category: this.category, ...this.extra };
  }
}

export const validation = (message: string, extra: Record<string, unknown> = {}): HsError => new HsError(400, 'VALIDATION_ERROR', message, extra);
export const notFound = (message = 'resource not found', extra: Record<string, unknown> = {}): HsError => new HsError(404, 'OBJECT_NOT_FOUND', message, extra);

/** One failed property of a write, in the shape HubSpot embeds (as JSON text) in "Property values were not valid". */
export interface PropertyValidation {
  isValid: false;
  message: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_OPTION' | 'INVALID_INTEGER' | 'INVALID_DATE' | 'INVALID_DATETIME' | 'INVALID_BOOLEAN' | 'READ_ONLY_VALUE' | 'INVALID_LONG' | 'INVALID_OWNER_ID';
  name: string;
  localizedErrorMessage: string;
}

export const propertyError = (error: PropertyValidation['error'], name: string, message: string): PropertyValidation => ({ isValid: false, message, error, name, localizedErrorMessage: message });

export const invalidProperties = (failures: PropertyValidation[]): HsError =>
  validation(`Property values were not valid: ${JSON.stringify(failures)}`, {
    errors: failures.map((f) => ({ message: f.message, code: f.error, context: { propertyName: [f.name] } })),
  });

// The three 429 bodies (API usage guidelines): policyName says which limit was hit. The search endpoints' own limit
// answers with the secondly-limit message (which @hubspot/api-client's retry recognises by that exact text).
export const rateLimited = (policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'): HsError =>
  new HsError(429, 'RATE_LIMITS', policy === 'DAILY' ? 'You have reached your daily limit.' : policy === 'SECONDLY' ? 'You have reached your secondly limit.' : 'You have reached your ten_secondly_rolling limit.', {
    errorType: 'RATE_LIMIT', policyName: policy, requestId: randomUUID(),
  });

/** No token, or one this portal never issued (or revoked): HubSpot answers both with this 401. */
export const unauthorized = (): HsError =>
  new HsError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview');
