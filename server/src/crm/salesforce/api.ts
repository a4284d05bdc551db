// The Salesforce REST client of the connector: one jsforce Connection, authenticated by a session token, the JWT
// bearer flow or a refresh token, with our own retry policy, API-call counting and the daily-budget guard.
// jsforce's own retries are switched off per request (it retries GET/PUT 5xx by itself, which would hide calls from
// the budget and double the backoff); INVALID_SESSION_ID is handled here too, once per request. Tokens are never logged.
import { AppError, type ErrorKind } from '../../errors.ts';
import { createSign } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';

export type SalesforceAuth =
  | { kind: 'session'; instanceUrl: string; accessToken: string }
  | { kind: 'jwt'; loginUrl: string; clientId: string; username: string; privateKey: string }
  | { kind: 'refresh'; loginUrl: string; clientId: string; clientSecret: string | null; refreshToken: string };

export type CallKind = 'describe' | 'query' | 'queryMore' | 'collections' | 'bulk' | 'other';

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export interface ApiOptions {
  auth: SalesforceAuth;
  apiVersion: string;
  /** Stop before this share of the daily API allocation is used (default 0.8). */
  budgetShare?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Awaited before every call (retries included): the scale-out takes the call from the tenant's budget shared by all
   * workers, and checks this worker still holds the tenant — a throw stops the run before the call is made.
   */
  beforeCall?: (kind: CallKind) => Promise<void>;
  /** Sent as `Sforce-Call-Options: client=<value>`, Salesforce's header naming the calling client (in its logs). */
  client?: string;
}

/** A whole-request failure Salesforce answered (after retries, where retrying made sense). */
export class SalesforceApiError extends AppError {
  readonly errorCode: string;
  constructor(errorCode: string, message: string) {
    // One line, whatever Salesforce, a proxy or jsforce put in the message (HTML pages, advice over several lines).
    super(kindOfSalesforceError(errorCode), `${errorCode}: ${message.replace(/\s+/g, ' ').trim().slice(0, 300)}`);
    this.errorCode = errorCode;
  }
}

/** Codes of a connection that never reached Salesforce: a refused port, a name that does not resolve, a timeout. */
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/** The network code of an error or of its causes (fetch wraps them: TypeError "fetch failed" → cause.code). */
const networkCode = (error: unknown): string | null => {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && NETWORK.has(e.code)) return e.code;
  }
  return null;
};

/**
 * A failure to obtain a session, as one line of the right kind: the network (transient), the login refused
 * (authentication), or a private key that cannot sign (configuration).
 */
export const connectError = (error: unknown, where: string): AppError => {
  if (error instanceof AppError) return error;
  const network = networkCode(error);
  if (network) return new SalesforceApiError(network, `cannot reach ${where} (${network})`);
  const e = error as { name?: string; errorCode?: string; message?: string };
  const code = e.errorCode ?? (e.name && /^(invalid_|unsupported_|inactive_)/.test(e.name) ? e.name : undefined);
  if (code) return new SalesforceApiError(code, `${where} refused the login: ${e.message ?? code}`);
  if (/DECODER|PEM|private key|asn1|bad decrypt|unsupported/i.test(e.message ?? '')) return new AppError('configuration', 'SF_PRIVATE_KEY_FILE does not hold a usable RSA private key (PEM)', { cause: error });
  return new AppError('authentication', `${where} refused the login: ${e.message ?? String(error)}`, { cause: error });
};

/** Salesforce's error codes by what a caller can do about them. */
const kindOfSalesforceError = (code: string): ErrorKind => {
  if (NETWORK.has(code)) return 'transient';
  if (code === 'INVALID_SESSION_ID' || code === 'invalid_grant' || code === 'invalid_client' || code === 'invalid_client_id' || code === 'ERROR_HTTP_401') return 'authentication';
  if (code === 'REQUEST_LIMIT_EXCEEDED') return 'budget';
  if (isRetriable(code)) return 'transient';
  if (code === 'INVALID_FIELD' || code === 'INVALID_TYPE' || code === 'NOT_FOUND' || code === 'INSUFFICIENT_ACCESS' || code === 'UNEXPECTED_RESPONSE') return 'configuration';
  return 'internal';
};

/** The daily allocation is (nearly) spent: the run stops cleanly and the next one resumes from its checkpoint. */
export class BudgetStop extends AppError {
  readonly reason: 'threshold' | 'REQUEST_LIMIT_EXCEEDED';
  constructor(reason: BudgetStop['reason'], message: string) {
    super('budget', message);
    this.reason = reason;
  }
}

const RETRIABLE = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'REQUEST_RUNNING_TOO_LONG']);
export const isRetriable = (code: string): boolean => RETRIABLE.has(code) || /^ERROR_HTTP_5\d\d$/.test(code) || code === 'ECONNRESET';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** A JWT bearer assertion (RS256), valid for three minutes, for the connected app's client id and the user. */
export const jwtAssertion = (auth: Extract<SalesforceAuth, { kind: 'jwt' }>, now = Date.now()): string => {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = { iss: auth.clientId, sub: auth.username, aud: new URL(auth.loginUrl).origin, exp: Math.floor(now / 1000) + 180 };
  const input = `${enc({ alg: 'RS256' })}.${enc(claims)}`;
  const sign = createSign('RSA-SHA256');
  sign.update(input);
  return `${input}.${sign.sign(auth.privateKey).toString('base64url')}`;
};

export class SalesforceApi {
  readonly apiVersion: string;
  readonly counts: Record<CallKind | 'total' | 'oauth', number> = { describe: 0, query: 0, queryMore: 0, collections: 0, bulk: 0, other: 0, total: 0, oauth: 0 };
  /** From the latest Sforce-Limit-Info header. */
  usage: { used: number; limit: number } | null = null;
  private readonly auth: SalesforceAuth;
  private readonly budgetShare: number;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private conn: Connection | null = null;
  private readonly beforeCall?: (kind: CallKind) => Promise<void>;
  private readonly callOptions: Record<string, string>;

  constructor(options: ApiOptions) {
    this.beforeCall = options.beforeCall;
    this.callOptions = options.client ? { 'Sforce-Call-Options': `client=${options.client}` } : {};
    this.auth = options.auth;
    this.apiVersion = options.apiVersion;
    this.budgetShare = options.budgetShare ?? 0.8;
    this.retry = { attempts: 6, baseMs: 500, maxMs: 30_000, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Obtains a session (token endpoint calls do not count against the allocation). */
  async connect(): Promise<void> {
    if (this.auth.kind === 'session') {
      // jsforce gets no OAuth2 client settings, so it never refreshes on its own: INVALID_SESSION_ID is ours to handle.
      this.conn = new Connection({ instanceUrl: this.auth.instanceUrl, accessToken: this.auth.accessToken, version: this.apiVersion });
      return;
    }
    const oauth2 = new OAuth2({ loginUrl: this.auth.loginUrl, clientId: this.auth.clientId, ...(this.auth.kind === 'refresh' && this.auth.clientSecret ? { clientSecret: this.auth.clientSecret } : {}) });
    this.counts.oauth++;
    // POST /services/oauth2/token
    let token: { instance_url: string; access_token: string };
    try {
      token = this.auth.kind === 'jwt'
        ? await oauth2.requestToken({ grant_type: JWT_GRANT, assertion: jwtAssertion(this.auth) })
        : await oauth2.refreshToken(this.auth.refreshToken);
    } catch (error) {
      throw connectError(error, new URL(this.auth.loginUrl).host);
    }
    this.conn = new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token, version: this.apiVersion });
  }

  /** The authenticated jsforce connection (the Streaming API client is built on it). */
  async connection(): Promise<Connection> {
    if (!this.conn) await this.connect();
    return this.conn!;
  }

  /**
   * A new session (the refresh-token or JWT flow again) for a client that holds the old token — the Streaming API's,
   * after Salesforce ended its session. Null for a session token: there is nothing to refresh it with.
   */
  async refreshed(): Promise<Connection | null> {
    if (!this.canReauthenticate) return null;
    await this.connect();
    return this.conn!;
  }

  /** Whether a new session can be obtained (the JWT or refresh-token flow), not only a fixed session token. */
  get canReauthenticate(): boolean {
    return this.auth.kind !== 'session';
  }

  /** Throws BudgetStop when the next call would cross the configured share of the daily allocation. */
  checkBudget(reserve = 1): void {
    if (!this.usage || this.usage.limit <= 0) return;
    if (this.usage.used + reserve > this.budgetShare * this.usage.limit) {
      throw new BudgetStop('threshold', `API budget: ${this.usage.used} of ${this.usage.limit} daily calls used; stopping before ${Math.round(this.budgetShare * 100)} %`);
    }
  }

  private readLimit(): void {
    const info = this.conn?.limitInfo?.apiUsage;
    if (info) this.usage = { used: info.used, limit: info.limit };
  }

  /** Jittered exponential backoff ("full jitter"): a random wait up to base·2^attempt, capped. */
  backoffMs(attempt: number): number {
    return Math.round(this.random() * Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** attempt));
  }

  /**
   * One REST call (relative to the version root, or a full /services/… path), retried on lock errors and 5xx with
   * jittered backoff; INVALID_SESSION_ID re-authenticates once; REQUEST_LIMIT_EXCEEDED stops the run.
   */
  async request<T>(kind: CallKind, req: { method: string; path: string; body?: string; headers?: Record<string, string>; text?: boolean }): Promise<T> {
    if (!this.conn) await this.connect();
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      this.checkBudget();
      await this.beforeCall?.(kind);
      this.counts[kind]++;
      this.counts.total++;
      let result: T;
      try {
        const url = req.path.startsWith('/services/') ? req.path : `/services/data/v${this.apiVersion}${req.path}`;
        result = await this.conn!.request<T>({ method: req.method as 'GET', url, body: req.body, headers: { ...this.callOptions, ...req.headers } }, { retry: { maxRetries: 0 }, ...(req.text ? { responseType: 'text/plain' } : {}) });
        this.readLimit();
      } catch (error) {
        this.readLimit();
        const e = error as { errorCode?: string; name?: string; message?: string; code?: string };
        const network = networkCode(error);
        const code = network ?? e.errorCode ?? e.code ?? e.name ?? 'ERROR';
        const message = network ? `cannot reach ${this.conn?.instanceUrl ? new URL(this.conn.instanceUrl).host : 'Salesforce'}` : (e.message ?? String(error));
        if (code === 'REQUEST_LIMIT_EXCEEDED') throw new BudgetStop('REQUEST_LIMIT_EXCEEDED', `API budget: Salesforce answered REQUEST_LIMIT_EXCEEDED (${message})`);
        if (code === 'INVALID_SESSION_ID' && this.canReauthenticate && !reauthenticated) {
          reauthenticated = true;
          await this.connect();
          continue;
        }
        if (isRetriable(code) && attempt + 1 < this.retry.attempts) {
          await this.sleep(this.backoffMs(attempt));
          continue;
        }
        throw new SalesforceApiError(code, message);
      }
      // A JSON call answered with text (a proxy's login page, a truncated body) is not Salesforce answering.
      if (!req.text && typeof result === 'string' && result !== '') {
        throw new SalesforceApiError('UNEXPECTED_RESPONSE', `${new URL(this.conn!.instanceUrl).host} answered ${req.method} ${req.path.split('?')[0]} with something that is not Salesforce's JSON ("${result.replace(/\s+/g, ' ').slice(0, 40)}…"): is SF_INSTANCE_URL the org's My Domain?`);
      }
      return result;
    }
  }

  get(kind: CallKind, path: string, headers?: Record<string, string>): Promise<unknown> {
    return this.request(kind, { method: 'GET', path, headers });
  }

  json<T>(kind: CallKind, method: string, path: string, body: unknown): Promise<T> {
    return this.request<T>(kind, { method, path, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  }
}
