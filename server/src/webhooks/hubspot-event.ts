// The shape of a HubSpot webhook delivery (Webhooks API): a JSON array of at most 100 events, each with its event id
// (HubSpot's retries keep it), the subscription type and the object; association events name both ends.
import { z } from 'zod';

const Id = z.union([z.number(), z.string()]).transform(String);

export const HubSpotWebhookEvent = z.looseObject({
  eventId: Id,
  subscriptionType: z.string().min(1),
  objectId: Id,
  portalId: z.union([z.number(), z.string()]).optional(),
  occurredAt: z.number().optional(),
  propertyName: z.string().optional(),
  objectTypeId: z.string().optional(),
  fromObjectId: Id.optional(),
  toObjectId: Id.optional(),
  fromObjectTypeId: z.string().optional(),
  toObjectTypeId: z.string().optional(),
  associationType: z.string().optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof HubSpotWebhookEvent>;
export const HubSpotWebhookBatch = z.array(HubSpotWebhookEvent).min(1).max(100);
