// The inbox worker: a second entry point over the same use case — drains the webhook inbox into the incremental
// recompute. Passes never overlap; a wake-up while one runs schedules one more. Whatever a crash interrupts stays
// pending and is drained at the next start.
import type { Companion } from '../composition.ts';
import { drainInbox } from '../use-cases/webhook-inbox.ts';

export class InboxWorker {
  private readonly c: Companion;
  private readonly source: string;
  private readonly onError: (error: unknown) => void;
  private readonly serial: <T>(work: () => Promise<T>) => Promise<T>;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  readonly stats = { passes: 0, events: 0, deals: 0, recordsChanged: 0 };

  /** `serial`: the queue the companion's other writers (the poll, the card's actions) go through, so none overlaps a pass. */
  constructor(c: Companion, source: string, onError: (error: unknown) => void = () => {}, serial: <T>(work: () => Promise<T>) => Promise<T> = (work) => work()) {
    this.c = c;
    this.source = source;
    this.onError = onError;
    this.serial = serial;
  }

  /** Starts a pass (or asks the running one for another); resolves when the inbox is drained. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          this.stats.passes++;
          const d = await this.serial(() => drainInbox(this.c, this.source, { shouldStop: () => this.stopped }));
          this.stats.events += d.events;
          this.stats.deals += d.deals;
          this.stats.recordsChanged += d.recordsChanged;
        } while (this.again && !this.stopped);
      } catch (error) {
        this.onError(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
