// A scale-out tenant's HubSpot portal, as `stagecraft tenant add --crm hubspot` takes it (a JSON object) and as it is
// stored, sealed: the portal's private-app token, its API base (HubSpot's by default), its burst limit (100 or 190
// calls per 10 s by tier), and the stage mapping a single-portal companion keeps in hubspot-mapping.json.
import { z } from 'zod';

/** `{stages: {<stage id or label>: <playbook stage>}, processes: {<pipeline id or label>: <sales process>}}`. */
export const StageMappingSchema = z.object({ stages: z.record(z.string(), z.string().min(1)).optional(), processes: z.record(z.string(), z.string().min(1)).optional() }).strict();

export const HubSpotCredentials = z.object({
  accessToken: z.string().trim().min(1),
  /** The portal (hub) id its webhook events carry: routes them to this tenant. */
  portalId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).optional(),
  baseUrl: z.url().optional(),
  limits: z.object({ burst: z.number().int().min(1).optional(), intervalMs: z.number().int().min(100).optional() }).strict().optional(),
  mapping: StageMappingSchema.optional(),
}).strict();
export type HubSpotCredentials = z.infer<typeof HubSpotCredentials>;
