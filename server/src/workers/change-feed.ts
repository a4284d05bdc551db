// The change feed where Change Data Capture is not used: an incremental sync every poll interval, and between polls a
// one-call probe for "recalculate now" requests (a Milestone_Attestation__c created from the record page), which
// triggers an incremental sync at once. Runs never overlap; an incremental sync writes only the deals and reps whose
// values changed, so a poll with nothing new costs its queries and writes nothing.
export interface ChangeFeedOptions {
  /** One incremental read → compute → write-back. */
  sync: () => Promise<void>;
  /** Whether a recalculation was requested since the last sync (one API call). */
  probe: () => Promise<boolean>;
  pollMs: number;
  probeMs: number;
  onError?: (error: unknown) => void;
}

export class ChangeFeed {
  private readonly options: ChangeFeedOptions;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  /** Syncs run so far, and how many a probe triggered. */
  readonly stats = { syncs: 0, triggered: 0, probes: 0 };

  constructor(options: ChangeFeedOptions) {
    this.options = options;
  }

  start(): void {
    this.timers.push(setInterval(() => void this.runSync(false), this.options.pollMs));
    this.timers.push(setInterval(() => void this.runProbe(), this.options.probeMs));
  }

  /** Runs a sync unless one is already running (then that one covers the request). */
  runSync(triggered: boolean): Promise<void> {
    if (this.running || this.stopped) return this.running ?? Promise.resolve();
    this.running = (async () => {
      try {
        this.stats.syncs++;
        if (triggered) this.stats.triggered++;
        await this.options.sync();
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async runProbe(): Promise<void> {
    if (this.running || this.stopped) return;
    try {
      this.stats.probes++;
      if (await this.options.probe()) await this.runSync(true);
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running;
  }
}
