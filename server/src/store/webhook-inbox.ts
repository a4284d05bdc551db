// The webhook inbox repository: events are written durably (SQLite WAL, synchronous FULL) before the receiver
// acknowledges them, de-duplicated by event id (HubSpot retries with the same ids), and marked processed only after the
// recompute they trigger has written its results — so a crash anywhere between the acknowledgement and the write-back
// loses nothing, and a redelivered or replayed event is not applied twice.
import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './sqlite.ts';
import { openCompanionDb } from './companion-store.ts';

export interface InboxEvent {
  eventId: string;
  event: unknown;
}

/** SQLite answers at once; PostgreSQL (the scale-out's inbox, store/pg-state.ts) with a promise: callers await either. */
export type Awaitable<T> = T | Promise<T>;

export interface InboxRepository {
  add(tenant: string, source: string, events: readonly InboxEvent[], receivedAt: string): Awaitable<number>;
  pending(tenant: string, source: string, limit?: number): Awaitable<InboxEvent[]>;
  markProcessed(tenant: string, source: string, eventIds: readonly string[], at: string): Awaitable<void>;
  counts(tenant: string, source: string): Awaitable<{ received: number; processed: number }>;
}

export class WebhookInbox implements InboxRepository {
  private readonly db: DatabaseSync;

  constructor(file: string) {
    this.db = openCompanionDb(file);
  }

  /** Stores the events not seen before; returns how many were new. */
  add(tenant: string, source: string, events: readonly InboxEvent[], receivedAt: string): number {
    const insert = this.db.prepare('INSERT OR IGNORE INTO webhook_inbox (tenant, source, event_id, received_at, event) VALUES (?, ?, ?, ?, ?)');
    return inTransaction(this.db, () => events.reduce((n, e) => n + Number(insert.run(tenant, source, e.eventId, receivedAt, JSON.stringify(e.event)).changes), 0), 'BEGIN IMMEDIATE');
  }

  /** The oldest unprocessed events. */
  pending(tenant: string, source: string, limit = 1000): InboxEvent[] {
    const rows = this.db.prepare('SELECT event_id, event FROM webhook_inbox WHERE tenant = ? AND source = ? AND processed_at IS NULL ORDER BY rowid LIMIT ?').all(tenant, source, limit) as { event_id: string; event: string }[];
    return rows.map((r) => ({ eventId: r.event_id, event: JSON.parse(r.event) as unknown }));
  }

  markProcessed(tenant: string, source: string, eventIds: readonly string[], at: string): void {
    const update = this.db.prepare('UPDATE webhook_inbox SET processed_at = ? WHERE tenant = ? AND source = ? AND event_id = ?');
    inTransaction(this.db, () => {
      for (const id of eventIds) update.run(at, tenant, source, id);
    }, 'BEGIN IMMEDIATE');
  }

  /** Events received, and those processed (for tests and health). */
  counts(tenant: string, source: string): { received: number; processed: number } {
    const row = this.db.prepare('SELECT COUNT(*) AS received, COUNT(processed_at) AS processed FROM webhook_inbox WHERE tenant = ? AND source = ?').get(tenant, source) as { received: number; processed: number };
    return { received: Number(row.received), processed: Number(row.processed) };
  }

  close(): void {
    this.db.close();
  }
}
