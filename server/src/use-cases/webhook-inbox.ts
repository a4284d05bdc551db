// The two halves of a pushed change: accepting a delivery (stored durably, de-duplicated by event id, before the sender
// is answered) and draining the inbox (the deals the events touch recomputed and written, then the events marked
// processed). A crash between the two leaves the events pending: the next drain applies them, once.
import type { Companion } from '../composition.ts';
import { AppError } from '../errors.ts';
import { recomputeAffected } from './recompute-affected.ts';
import type { Awaitable } from '../store/webhook-inbox.ts';

export interface InboxDrain {
  events: number;
  deals: number;
  recordsChanged: number;
}

/** Stores a delivery's events; returns how many were new. */
export const acceptPushedEvents = (c: Companion, source: string, events: readonly { eventId: string; event: unknown }[], receivedAt = new Date()): Awaitable<number> =>
  c.inbox().add(c.tenant(), source, events, receivedAt.toISOString());

/** Recomputes what the pending events touch, a batch at a time, until the inbox is empty. */
export const drainInbox = async (c: Companion, source: string, options: { batch?: number; shouldStop?: () => boolean } = {}): Promise<InboxDrain> => {
  const adapter = await c.adapter();
  if (!adapter.dealsOfChanges) throw new AppError('configuration', `the ${adapter.name} connector does not take pushed changes`);
  const inbox = c.inbox();
  const tenant = c.tenant();
  const drained: InboxDrain = { events: 0, deals: 0, recordsChanged: 0 };
  for (;;) {
    const pending = await inbox.pending(tenant, source, options.batch ?? 500);
    if (!pending.length || options.shouldStop?.()) return drained;
    const { dealIds: deals, latestAt } = await adapter.dealsOfChanges(pending.map((p) => p.event));
    if (deals.length) {
      const outcome = await recomputeAffected(c, { dealIds: deals, latestAt });
      if (outcome.kind === 'stopped') throw new AppError('budget', outcome.message);
      drained.recordsChanged += outcome.summary.plan.records.length;
    }
    // Only after the write-back: a crash before this line leaves the events to the next drain.
    await inbox.markProcessed(tenant, source, pending.map((p) => p.eventId), new Date().toISOString());
    drained.events += pending.length;
    drained.deals += deals.length;
  }
};
