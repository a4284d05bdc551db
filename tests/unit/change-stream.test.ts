// The change-stream feed's own rules, with a scripted stream: events arriving together are one recompute; the
// companion's own write-backs recompute nothing but move the position; a failed recompute stores no position and is
// retried with the same events; gap and overflow events ask for their object to be re-read whole.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeStream, StreamEvent } from '../../server/src/crm/port.ts';
import { ChangeStreamFeed, serialQueue, type StreamBatch } from '../../server/src/workers/change-stream.ts';

let replay = 0;
const event = (object: string, change: StreamEvent['change'], recordIds: string[], extra: Partial<StreamEvent> = {}): StreamEvent => ({
  object, change, recordIds, fields: {}, changedFields: [], ownWrite: false, committedAt: null,
  position: { channel: `/data/${object}ChangeEvent`, replayId: ++replay }, ...extra,
});

/** A stream whose events the test pushes; it records what the feed asked of it. */
const scripted = () => {
  let push: (events: StreamEvent[]) => void = () => undefined;
  const log = { covered: [] as number[][], committed: [] as number[][], resynced: [] as string[][], stopped: false };
  const stream: ChangeStream = {
    start: async (onEvents) => {
      push = onEvents;
      return { streamed: ['Opportunity', 'Task'], unavailable: [] };
    },
    affected: async (events) => {
      const deals = events.filter((e) => !e.ownWrite && e.object === 'Opportunity').flatMap((e) => e.recordIds);
      return { dealIds: [...new Set(deals)].sort(), recompute: deals.length > 0 || events.some((e) => e.change === 'gap' || e.change === 'overflow') };
    },
    cover: (events) => void log.covered.push(events.map((e) => e.position!.replayId)),
    commitPositions: async (events) => void log.committed.push(events.map((e) => e.position!.replayId)),
    resync: (objects) => void log.resynced.push([...objects]),
    stop: async () => void (log.stopped = true),
  };
  return { stream, log, push: (...events: StreamEvent[]) => push(events) };
};

let feed: ChangeStreamFeed | undefined;
afterEach(async () => {
  await feed?.stop();
  feed = undefined;
});

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('timed out');
};

describe('the change-stream feed', () => {
  it('When events arrive together, then they are one recompute of their deals, covered by that run', async () => {
    const { stream, log, push } = scripted();
    const batches: StreamBatch[] = [];
    feed = new ChangeStreamFeed({ stream, serial: serialQueue(), batchMs: 30, sync: async (b) => { batches.push(b); return true; } });
    await feed.start();
    push(event('Opportunity', 'update', ['006B']));
    push(event('Opportunity', 'create', ['006A']), event('Opportunity', 'update', ['006B']));
    await until(() => batches.length === 1);
    expect(batches[0]).toMatchObject({ events: 3, dealIds: ['006A', '006B'], resynced: [] });
    expect(log.covered).toHaveLength(1);
    expect(log.committed).toEqual([]);
  });

  it("When only the companion's own write-backs come back, then nothing is recomputed and their positions are stored at once", async () => {
    const { stream, log, push } = scripted();
    let syncs = 0;
    feed = new ChangeStreamFeed({ stream, serial: serialQueue(), batchMs: 10, sync: async () => ++syncs > 0 });
    await feed.start();
    push(event('Opportunity', 'update', ['006A'], { ownWrite: true }));
    await until(() => log.committed.length === 1);
    expect(syncs).toBe(0);
    expect(feed.stats.skipped).toBe(1);
  });

  it('When the recompute fails, then no position is stored and the same events are retried until it commits', async () => {
    const { stream, log, push } = scripted();
    const attempts: StreamBatch[] = [];
    const errors: unknown[] = [];
    feed = new ChangeStreamFeed({
      stream, serial: serialQueue(), batchMs: 10, retryMs: 20, onError: (e) => errors.push(e),
      sync: async (b) => {
        attempts.push(b);
        if (attempts.length === 1) throw new Error('Salesforce unavailable');
        return attempts.length > 2; // the second run stops (budget) without committing
      },
    });
    await feed.start();
    push(event('Opportunity', 'update', ['006A']));
    await until(() => attempts.length === 3);
    expect(attempts.map((a) => a.dealIds)).toEqual([['006A'], ['006A'], ['006A']]);
    expect(errors).toHaveLength(2);
    expect(feed.stats).toMatchObject({ failures: 2, batches: 1 });
    expect(log.committed).toEqual([]);
  });

  it('When a gap or an overflow event arrives, then its object is re-read whole in the recompute', async () => {
    const { stream, log, push } = scripted();
    const batches: StreamBatch[] = [];
    feed = new ChangeStreamFeed({ stream, serial: serialQueue(), batchMs: 10, sync: async (b) => { batches.push(b); return true; } });
    await feed.start();
    push(event('Task', 'gap', ['00TA']), event('Task', 'overflow', []));
    await until(() => batches.length === 1);
    expect(log.resynced).toEqual([['Task']]);
    expect(batches[0]!.resynced).toEqual(['Task']);
  });

  it('When the poller and the stream both sync, then their runs never overlap', async () => {
    const serial = serialQueue();
    let running = 0;
    let overlapped = false;
    const work = async (): Promise<void> => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 10));
      running--;
    };
    await Promise.all([serial(work), serial(work), serial(async () => { throw new Error('a failed run does not block the next'); }).catch(() => undefined), serial(work)]);
    expect(overlapped).toBe(false);
  });
});
