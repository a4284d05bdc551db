// Public surface of the HubSpot API emulator (see README.md in this folder).
export { startHubSpotEmulator, HubSpotEmulator, type EmulatorOptions, type Call, type UserChange } from './server.ts';
export { Portal, type HsRecord, type Pipeline, type Stage, type Owner, type Team, type ChangeEvent, type HistoryEntry } from './portal.ts';
export { STANDARD_OBJECT_TYPES, CALL_OUTCOMES, type PropertyDefinition, type ObjectTypeDef } from './documented-properties.ts';
export { SEARCH_LIMITS } from './search.ts';
export { signatureV3, type WebhookEvent, type WebhookOptions, type WebhookSubscription, type Delivery } from './webhooks.ts';
export type { FaultSpec, FaultType } from './faults.ts';
export { loadOrgIntoPortal, type LoadedOrg } from './from-org.ts';
export type { OAuthApp } from './oauth.ts';
export type { LimitOptions } from './limits.ts';
