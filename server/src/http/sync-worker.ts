// Runs one API-started sync in a worker thread: reading, computing and writing back the org takes seconds of CPU,
// and the companion must keep answering meanwhile — health, lists, and "a sync is already running" (409) above all.
// The worker composes its own companion from the same configuration (its own connections to the same files; SQLite's
// locking and busy timeout order its writes with the server's) and sends back only what the status needs.
import { parentPort, workerData } from 'node:worker_threads';
import { composeCompanion, type CompanionConfig, type CrmKind } from '../composition.ts';
import { asAppError } from '../errors.ts';
import { syncOrg } from '../use-cases/companion-sync.ts';

export interface SyncWorkerInput {
  config: CompanionConfig;
  crm: CrmKind;
  asOf?: string;
  incremental: boolean;
}

export type SyncWorkerResult =
  | { ok: true; kind: 'done'; asOf: string; fieldsChanged: number; recordsChanged: number; opportunities: number; durationMs: number }
  | { ok: true; kind: 'stopped'; message: string }
  | { ok: false; error: string; detail: string };

const { config, crm, asOf, incremental } = workerData as SyncWorkerInput;
const companion = composeCompanion(config, crm);
let result: SyncWorkerResult;
try {
  const outcome = await syncOrg(companion, { asOf, incremental });
  result = outcome.kind === 'stopped'
    ? { ok: true, kind: 'stopped', message: outcome.message }
    : { ok: true, kind: 'done', asOf: outcome.summary.asOf, fieldsChanged: outcome.summary.plan.fieldsChanged, recordsChanged: outcome.summary.plan.records.length, opportunities: outcome.summary.indicatorsComputed.opportunities, durationMs: outcome.summary.durationMs };
} catch (error) {
  const e = asAppError(error);
  result = { ok: false, error: e.message, detail: String((error as Error)?.stack ?? error) };
} finally {
  await companion.close();
}
parentPort!.postMessage(result!);
