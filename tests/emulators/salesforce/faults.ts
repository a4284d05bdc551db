// Programmable faults: the next N matching calls fail the way Salesforce fails. Request faults answer before any
// write happens; record faults (partial failures, per-record lock errors) fail the named records and let the rest commit.

export type FaultType =
  | 'http503'
  | 'http500'
  | 'unableToLockRow' // whole-request error
  | 'unableToLockRowRecords' // per record inside a collection / bulk result
  | 'requestLimitExceeded'
  | 'invalidSession'
  | 'partialFailure' // FIELD_CUSTOM_VALIDATION_EXCEPTION on the given ids
  | 'delay';

export interface FaultRequest {
  method: string;
  path: string;
}

export interface FaultSpec {
  type: FaultType;
  /** How many matching calls this fault answers. Default 1. */
  times?: number;
  method?: string;
  /** Matched against the request path (no query string): a substring or a RegExp. */
  path?: string | RegExp;
  match?: (req: FaultRequest) => boolean;
  /** Record faults: the record ids (update/upsert ids, or for inserts the 0-based row indexes as strings) to fail. Default: every record. */
  ids?: string[];
  /** delay: milliseconds before the call is answered normally. */
  ms?: number;
  /** partialFailure: the validation rule's message. */
  message?: string;
}

export interface RecordFault {
  type: 'unableToLockRowRecords' | 'partialFailure';
  ids: Set<string> | undefined;
  message: string | undefined;
}

interface ArmedFault extends FaultSpec {
  remaining: number;
}

export class Faults {
  private queue: ArmedFault[] = [];
  /** Every fault answered so far, for assertions. */
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

  /** Takes every armed fault this call matches (at most one of each type), in the order injected. */
  take(req: FaultRequest): FaultSpec[] {
    const taken: FaultSpec[] = [];
    for (const f of this.queue) {
      if (f.remaining <= 0 || taken.some((t) => t.type === f.type)) continue;
      if (!matches(f, req)) continue;
      f.remaining--;
      taken.push(f);
      this.fired.push({ type: f.type, method: req.method, path: req.path });
    }
    this.queue = this.queue.filter((f) => f.remaining > 0);
    return taken;
  }
}

const matches = (f: FaultSpec, req: FaultRequest): boolean => {
  if (f.method && f.method.toUpperCase() !== req.method.toUpperCase()) return false;
  if (f.path !== undefined && !(typeof f.path === 'string' ? req.path.includes(f.path) : f.path.test(req.path))) return false;
  if (f.match && !f.match(req)) return false;
  // Without an explicit path, faults target the data API, not the OAuth token endpoint.
  if (f.path === undefined && !f.match && !req.path.startsWith('/services/data/')) return false;
  return true;
};
