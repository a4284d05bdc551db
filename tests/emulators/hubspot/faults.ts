// Programmable faults, like the Salesforce emulator's: the next N matching calls fail the way HubSpot fails (429 with
// each policy's body, 5xx, a connection held open past the client's timeout, or a slow answer). A faulted call is
// answered before any handler runs, so it writes nothing.

export type FaultType = 'rateLimit' | 'dailyLimit' | 'searchLimit' | 'http500' | 'http502' | 'http503' | 'http504' | 'timeout' | 'delay';

export interface FaultSpec {
  type: FaultType;
  /** How many matching calls this fault answers. Default 1. */
  times?: number;
  method?: string;
  /** Matched against the request path (no query string): a substring or a RegExp. Default: every /crm and /settings call. */
  path?: string | RegExp;
  /** delay: ms before answering normally; timeout: ms the connection is held before it is dropped unanswered (default 30,000). */
  ms?: number;
}

interface Armed extends FaultSpec {
  remaining: number;
}

export class Faults {
  private queue: Armed[] = [];
  readonly fired: { type: FaultType; method: string; path: string }[] = [];

  inject(spec: FaultSpec): this {
    this.queue.push({ ...spec, remaining: spec.times ?? 1 });
    return this;
  }

  clear(): void {
    this.queue = [];
  }

  pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  /** The first armed fault this call matches, consumed. */
  take(method: string, path: string): FaultSpec | undefined {
    const f = this.queue.find((q) => q.remaining > 0 && matches(q, method, path));
    if (!f) return undefined;
    f.remaining--;
    this.queue = this.queue.filter((q) => q.remaining > 0);
    this.fired.push({ type: f.type, method, path });
    return f;
  }
}

const matches = (f: FaultSpec, method: string, path: string): boolean => {
  if (f.method && f.method.toUpperCase() !== method.toUpperCase()) return false;
  if (f.path === undefined) return !path.startsWith('/__emulator');
  return typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path);
};
