// The HubSpot API client of the connector: one `@hubspot/api-client` Client per process, paced to the portal's
// documented limits, with our own retry policy, API-call counting and the daily-limit stop.
// Pacing: HubSpot counts a burst per *rolling* interval (and searches per second). The client's limiter (Bottleneck)
// can space calls evenly (minTime) or refill a reservoir per fixed window; even spacing makes a 25-call recompute take
// 25 × 58 ms even on an idle portal, and a fixed window lets twice the burst into one rolling interval at its edge. So
// the client's limiter only caps concurrency here, and a sliding window below admits a call while fewer than the
// budget went out in the last interval — bursts when the portal is idle, never over the limit.
// Retries: the client's RetryDecorator is switched off (`numberOfApiCallRetries: 0`): it retries 5xx after a fixed
// 200 ms × attempt (no jitter, so parallel callers retry in step), logs every retry to stderr and hides retried calls
// from the count the summary reports.
import { Client } from '@hubspot/api-client';
import { AppError } from '../../errors.ts';

export type CallKind = 'search' | 'list' | 'batchRead' | 'batchUpdate' | 'associations' | 'owners' | 'pipelines' | 'properties' | 'schemas' | 'objects' | 'other';

/** A portal's documented limits (API usage guidelines): Free/Starter 100 per 10 s; Professional/Enterprise 190. */
export interface PortalLimits {
  burst: number;
  intervalMs: number;
  /** Searches per second (all search endpoints together). */
  searchPerSecond: number;
}

export const DEFAULT_LIMITS: PortalLimits = { burst: 100, intervalMs: 10_000, searchPerSecond: 5 };

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export interface HubSpotApiOptions {
  accessToken: string | (() => Promise<string>);
  /** OAuth: the token was refused (revoked, or expired early): the next `accessToken()` must refresh. */
  onUnauthorized?: () => void;
  basePath?: string;
  limits?: Partial<PortalLimits>;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /**
   * Awaited before every call (retries included): the scale-out takes the call from the tenant's budget shared by all
   * workers and checks this worker still holds the tenant — a throw stops the run before the call is made.
   */
  beforeCall?: () => Promise<void>;
}

/** The daily limit is reached (a `DAILY` 429): the run stops with a checkpoint and resumes later. */
export class HubSpotBudgetStop extends AppError {
  constructor(message: string) {
    super('budget', message);
  }
}

/** A whole-call failure HubSpot answered (after retries, where retrying made sense). */
export class HubSpotApiError extends AppError {
  /** The status HubSpot answered (the error's own `status` is the one a route of ours would answer). */
  readonly hubspotStatus: number;
  readonly category: string;
  constructor(status: number, category: string, message: string) {
    super(status === 401 || status === 403 ? 'authentication' : status >= 500 || status === 429 ? 'transient' : status === 404 ? 'not_found' : 'internal', `HubSpot ${status} ${category}: ${message}`);
    this.hubspotStatus = status;
    this.category = category;
  }
}

interface ApiExceptionLike {
  code?: number;
  body?: { category?: string; message?: string; policyName?: string; errorType?: string } | string;
  headers?: Record<string, string>;
}

const bodyOf = (e: ApiExceptionLike): { category?: string; message?: string; policyName?: string } => {
  if (typeof e.body === 'string') {
    try {
      return JSON.parse(e.body) as { category?: string; message?: string; policyName?: string };
    } catch {
      return { message: e.body };
    }
  }
  return e.body ?? {};
};

/** Admits at most `max` calls in any rolling `intervalMs` (the start times of the last `max` calls are kept). */
export class SlidingWindow {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly max: number;
  private readonly intervalMs: number;
  constructor(max: number, intervalMs: number) {
    this.max = Math.max(1, max);
    this.intervalMs = intervalMs;
  }
  /** Resolves when this call may start; callers are admitted in order. */
  slot(): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        while (this.starts.length && this.starts[0]! <= now - this.intervalMs) this.starts.shift();
        if (this.starts.length < this.max) {
          this.starts.push(now);
          return;
        }
        await new Promise((r) => setTimeout(r, this.starts[0]! + this.intervalMs - now + 1));
      }
    });
    this.queue = turn;
    return turn;
  }
}

export class HubSpotApi {
  readonly client: Client;
  readonly counts: Record<string, number> = { total: 0 };
  readonly limits: PortalLimits;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly burst: SlidingWindow;
  private readonly search: SlidingWindow;
  private readonly token: HubSpotApiOptions['accessToken'];
  private readonly onUnauthorized: (() => void) | undefined;
  private currentToken: string | null = null;
  private readonly beforeCall?: () => Promise<void>;

  constructor(options: HubSpotApiOptions) {
    this.beforeCall = options.beforeCall;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.retry = { attempts: 5, baseMs: 250, maxMs: 15_000, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
    this.token = options.accessToken;
    this.onUnauthorized = options.onUnauthorized;
    // 10 % under the burst (the portal's other integrations share it; our start is not HubSpot's arrival), and searches
    // one under their per-second limit, over a slightly longer second.
    this.burst = new SlidingWindow(Math.floor(this.limits.burst * 0.9), this.limits.intervalMs);
    this.search = new SlidingWindow(Math.max(1, this.limits.searchPerSecond - 1), 1100);
    this.client = new Client({
      accessToken: typeof options.accessToken === 'string' ? options.accessToken : undefined,
      basePath: options.basePath,
      numberOfApiCallRetries: 0,
      limiterOptions: { maxConcurrent: 6, minTime: 0, id: 'stagecraft-hubspot-portal' },
    });
    if (typeof options.accessToken === 'string') this.currentToken = options.accessToken;
  }

  /** Backoff before attempt `attempt + 1`: exponential with full jitter, capped. */
  backoffMs(attempt: number): number {
    return Math.round(this.random() * Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1)));
  }

  /** Runs one API call: counted, retried on 5xx / network errors / rolling 429s, stopped on the daily limit. */
  async call<T>(kind: CallKind, run: (client: Client) => Promise<T>): Promise<T> {
    if (typeof this.token === 'function') {
      const token = await this.token();
      if (token !== this.currentToken) this.client.setAccessToken((this.currentToken = token));
    }
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      await this.beforeCall?.();
      if (kind === 'search') await this.search.slot();
      await this.burst.slot();
      this.counts[kind] = (this.counts[kind] ?? 0) + 1;
      this.counts.total = (this.counts.total ?? 0) + 1;
      try {
        return await run(this.client);
      } catch (error) {
        const e = error as ApiExceptionLike & { message?: string };
        const status = typeof e.code === 'number' ? e.code : 0;
        const body = bodyOf(e);
        if (status === 429) {
          if (body.policyName === 'DAILY') throw new HubSpotBudgetStop(`HubSpot daily API limit reached: ${body.message ?? 'DAILY'} — stopped, resume tomorrow`);
          if (attempt >= this.retry.attempts + 2) throw new HubSpotApiError(429, body.policyName ?? 'RATE_LIMIT', body.message ?? 'rate limited');
          // TEN_SECONDLY_ROLLING: wait out the interval the portal names; SECONDLY (search): a second.
          const interval = Number(e.headers?.['x-hubspot-ratelimit-interval-milliseconds']) || (body.policyName === 'TEN_SECONDLY_ROLLING' ? this.limits.intervalMs : 1000);
          await this.sleep(Math.round(interval * (0.5 + this.random() * 0.5)));
          continue;
        }
        // An OAuth token refused before its time (EXPIRED_AUTHENTICATION, a revoked install): refresh once, retry.
        if (status === 401 && typeof this.token === 'function' && this.onUnauthorized && !refreshed) {
          refreshed = true;
          this.onUnauthorized();
          this.client.setAccessToken((this.currentToken = await this.token()));
          continue;
        }
        const transient = status >= 500 || status === 0;
        if (!transient || attempt >= this.retry.attempts) {
          if (status === 0) throw new AppError('transient', `HubSpot unreachable: ${e.message ?? String(error)}`);
          throw new HubSpotApiError(status, body.category ?? 'ERROR', body.message ?? e.message ?? 'request failed');
        }
        await this.sleep(this.backoffMs(attempt));
      }
    }
  }
}
