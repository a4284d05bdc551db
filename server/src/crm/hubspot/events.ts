// HubSpot webhook events (Webhooks API, legacy and generic subscriptions) → the deals whose indicators they can change.
// Deal events name the deal; a contact's or an engagement's event reaches its deals through associations v4. Events
// about Stagecraft's own properties (our write-back echoing) touch nothing.
import { HubSpotWebhookEvent } from '../../webhooks/hubspot-event.ts';
import type { HubSpotApi } from './api.ts';
import { readAssociations } from './reader.ts';

/** Object type ids of the objects whose changes can move a deal's indicators. */
const TYPE_OF_ID: Record<string, string> = { '0-3': 'deals', '0-1': 'contacts', '0-2': 'companies', '0-48': 'calls', '0-47': 'meetings', '0-49': 'emails', '0-46': 'notes', '0-27': 'tasks' };

const objectTypeOf = (e: HubSpotWebhookEvent): string | null => {
  const [scope] = e.subscriptionType.split('.');
  if (scope === 'deal') return 'deals';
  if (scope === 'contact') return 'contacts';
  if (scope === 'company') return null; // a company's own fields feed no deal indicator
  return e.objectTypeId ? TYPE_OF_ID[e.objectTypeId] ?? null : null;
};

/** The deals the events touch (associations looked up for contacts and engagements). */
export const dealsOfEvents = async (api: HubSpotApi, raw: readonly unknown[]): Promise<{ dealIds: string[]; latestAt: string | null }> => {
  const events = raw.flatMap((e) => {
    const parsed = HubSpotWebhookEvent.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
  const deals = new Set<string>();
  const byType = new Map<string, Set<string>>();
  const via = (type: string, id: string): void => {
    const set = byType.get(type) ?? new Set();
    set.add(id);
    byType.set(type, set);
  };
  for (const e of events) {
    if (e.propertyName?.startsWith('stagecraft_')) continue;
    const type = objectTypeOf(e);
    if (!type) continue;
    if (type === 'deals') deals.add(e.objectId);
    else via(type, e.objectId);
    // An association change names both ends: a deal on either end is affected.
    if (e.subscriptionType.endsWith('associationChange')) {
      const other = e.toObjectTypeId ? TYPE_OF_ID[e.toObjectTypeId] : e.associationType?.toUpperCase().includes('TO_DEAL') ? 'deals' : undefined;
      if (other === 'deals' && e.toObjectId) deals.add(e.toObjectId);
    }
  }
  for (const [type, ids] of byType) for (const list of (await readAssociations(api, type, 'deals', [...ids])).values()) for (const a of list) deals.add(a.id);
  const latest = Math.max(0, ...events.map((e) => e.occurredAt ?? 0));
  return { dealIds: [...deals], latestAt: latest ? new Date(latest).toISOString() : null };
};
