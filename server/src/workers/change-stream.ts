// The change feed where the CRM pushes changes (Salesforce Change Data Capture): events that arrive together are
// batched, turned into the deals they touch, and fed to one incremental recompute; the stream's position (replay id)
// is stored only by the run that covered them, after it committed — so a kill or a disconnect replays, never skips, and
// a replayed event finds its deal already written (the planner writes only changed values: nothing is applied twice).
// Gap and overflow events re-read their object whole. Objects the CRM does not stream stay with the poller.
import type { ChangeStream, StreamEvent } from '../crm/port.ts';

export interface StreamBatch {
  events: number;
  dealIds: string[];
  /** Objects re-read whole (gap and overflow events). */
  resynced: string[];
  /** The latest commit time the events carry (the CRM's clock). */
  latestAt: string | null;
}

export interface ChangeStreamFeedOptions {
  stream: ChangeStream;
  /** One incremental read → compute → write-back; true when it committed (false: stopped, retry later). */
  sync: (batch: StreamBatch) => Promise<boolean>;
  /** Runs work after any running sync (the poller's included), never alongside. */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  /** How long to wait for more events after the first of a batch (events of one save arrive together). */
  batchMs?: number;
  /** Wait before retrying a batch whose recompute failed. */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/** One queue for every sync of a process: the poller's and the stream's never overlap. */
export const serialQueue = (): (<T>(work: () => Promise<T>) => Promise<T>) => {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
};

export class ChangeStreamFeed {
  private readonly options: Required<Omit<ChangeStreamFeedOptions, 'onError'>> & Pick<ChangeStreamFeedOptions, 'onError'>;
  private pending: StreamEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private stopped = false;
  /** Events received, batches recomputed, batches that needed no recompute, objects re-read whole. */
  readonly stats = { events: 0, batches: 0, skipped: 0, resyncs: 0, failures: 0 };

  constructor(options: ChangeStreamFeedOptions) {
    this.options = { batchMs: 100, retryMs: 5000, ...options };
  }

  /** Subscribes; returns what is streamed and what must be polled. */
  start(): ReturnType<ChangeStream['start']> {
    return this.options.stream.start((events) => this.receive(events));
  }

  private receive(events: StreamEvent[]): void {
    if (this.stopped) return;
    this.stats.events += events.length;
    this.pending.push(...events);
    this.schedule(this.options.batchMs);
  }

  private schedule(ms: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  /** Processes what has arrived (tests and the bench may call it to not wait for the timer). */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.options.serial(() => this.process()).finally(() => {
      this.flushing = null;
      if (this.pending.length) this.schedule(this.options.batchMs);
    });
    return this.flushing;
  }

  private async process(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0 || this.stopped) return;
    const { stream } = this.options;
    try {
      const resynced = [...new Set(batch.filter((e) => e.change === 'gap' || e.change === 'overflow').map((e) => e.object))];
      const { dealIds, recompute } = await stream.affected(batch);
      if (!recompute) {
        // The companion's own write-backs, a contact on no deal: nothing to compute, the position moves on.
        await stream.commitPositions(batch);
        this.stats.skipped++;
        return;
      }
      if (resynced.length) {
        stream.resync(resynced);
        this.stats.resyncs += resynced.length;
      }
      // The run's read starts after these events arrived, so it sees their changes: its commit stores their positions.
      stream.cover(batch);
      const latestAt = batch.reduce<string | null>((latest, e) => (e.committedAt && (!latest || e.committedAt > latest) ? e.committedAt : latest), null);
      if (!(await this.options.sync({ events: batch.length, dealIds, resynced, latestAt }))) throw new Error('the recompute stopped before committing');
      this.stats.batches++;
    } catch (error) {
      // Nothing is lost: the events go back to the front of the queue and are retried.
      this.stats.failures++;
      this.pending.unshift(...batch);
      this.options.onError?.(error);
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.schedule(this.options.retryMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    await this.options.stream.stop();
  }
}
