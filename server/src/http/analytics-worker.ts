// Runs the org analytics in a worker thread: reading the whole embedded org and scoring it takes seconds, and the
// companion must keep answering requests meanwhile. Opens its own connection to the org file (SQLite allows readers
// beside the server's connection).
import { parentPort, workerData } from 'node:worker_threads';
import { dirname } from 'node:path';
import { composeCompanion } from '../composition.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { computeAnalytics } from './analytics-compute.ts';

const { file, playbook, asOf } = workerData as { file: string; playbook: Playbook; asOf: string };
const companion = composeCompanion({ dataDir: dirname(file), orgFile: file });
try {
  const read = await (await companion.adapter()).read(asOf);
  parentPort!.postMessage({ ok: true, analytics: computeAnalytics(read.snapshot, playbook, asOf) });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
} finally {
  await companion.close();
}
