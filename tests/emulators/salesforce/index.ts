// Public surface of the Salesforce REST API emulator (see README.md in this folder).
export { startSalesforceEmulator, SalesforceEmulator, type EmulatorOptions, type Call, type CallKind } from './server.ts';
export { defaultSchema, picklist, OPPORTUNITY_STAGES, type ObjectSchema, type FieldSchema } from './schema.ts';
export { Org, type SfRecord } from './org.ts';
export type { FaultSpec, FaultType } from './faults.ts';
export type { ConnectedApp } from './auth.ts';
export { to18, caseSafeSuffix } from './ids.ts';
export { ChangeDataCapture, changeEventChannel, type ChangeEventData, type ChangeEventHeader, type ChangeType, type StreamingOptions } from './streaming.ts';
