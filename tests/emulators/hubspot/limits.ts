// Per-portal API limits (API usage guidelines): a burst limit per rolling 10 seconds (100 to 190 by subscription,
// 250 with the capacity pack), a daily limit (250,000 to 1,000,000), and the search endpoints' own limit of 5 requests
// per second. Every counted response carries the X-HubSpot-RateLimit-* headers; a request over a limit is answered 429
// and does not count.
import { rateLimited } from './errors.ts';

export interface LimitOptions {
  /** Requests per burst interval (default 100, Free/Starter private apps; Professional/Enterprise 190). */
  burst?: number;
  /** The rolling interval, ms (default 10,000). Tests may shorten it; the headers report what is used. */
  intervalMs?: number;
  /** Requests per day (default 250,000). */
  daily?: number;
  /** Search requests per second (default 5). */
  searchPerSecond?: number;
  /** The limiter's clock in ms (default Date.now): a test can freeze it so windows never roll mid-test. */
  clock?: () => number;
}

export class RateLimits {
  burst: number;
  intervalMs: number;
  daily: number;
  searchPerSecond: number;
  dailyUsed = 0;
  private recent: number[] = [];
  private recentSearches: number[] = [];
  /** The most requests any rolling interval (and any rolling second of search) has held: what tests assert on. */
  peakBurst = 0;
  peakSearchPerSecond = 0;
  readonly clock: () => number;

  constructor(options: LimitOptions = {}) {
    this.burst = options.burst ?? 100;
    this.intervalMs = options.intervalMs ?? 10_000;
    this.daily = options.daily ?? 250_000;
    this.searchPerSecond = options.searchPerSecond ?? 5;
    this.clock = options.clock ?? Date.now;
  }

  /** Admits one request or throws the 429 HubSpot sends; search requests count against both their own limit and the burst. */
  admit(search: boolean): void {
    const now = this.clock();
    this.recent = this.recent.filter((t) => t > now - this.intervalMs);
    this.recentSearches = this.recentSearches.filter((t) => t > now - 1000);
    if (this.dailyUsed >= this.daily) throw rateLimited('DAILY');
    if (this.recent.length >= this.burst) throw rateLimited('TEN_SECONDLY_ROLLING');
    if (search && this.recentSearches.length >= this.searchPerSecond) throw rateLimited('SECONDLY');
    this.recent.push(now);
    this.dailyUsed++;
    this.peakBurst = Math.max(this.peakBurst, this.recent.length);
    if (search) {
      this.recentSearches.push(now);
      this.peakSearchPerSecond = Math.max(this.peakSearchPerSecond, this.recentSearches.length);
    }
  }

  headers(): Record<string, string> {
    const now = this.clock();
    const inWindow = this.recent.filter((t) => t > now - this.intervalMs).length;
    return {
      'X-HubSpot-RateLimit-Max': String(this.burst),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.burst - inWindow)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.intervalMs),
      'X-HubSpot-RateLimit-Daily': String(this.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, this.daily - this.dailyUsed)),
    };
  }

  reset(): void {
    this.recent = [];
    this.recentSearches = [];
    this.dailyUsed = 0;
    this.peakBurst = 0;
    this.peakSearchPerSecond = 0;
  }
}
