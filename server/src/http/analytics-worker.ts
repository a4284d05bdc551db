// Runs the org analytics in a worker thread: reading the whole embedded org and scoring it takes seconds, and the
// companion must keep answering requests meanwhile. Opens its own connection to the org file (SQLite allows readers
// beside the server's connection).
import { parentPort, workerData } from 'node:worker_threads';
import { dirname } from 'node:path';
import { composeCompanion } from '../composition.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { computeAnalytics } from './analytics-compute.ts';
import type { OrgStore } from '../crm/embedded/store.ts';

/** Each deal's stored Win_Probability__c, as the last sync wrote it. */
const winProbabilities = (org: OrgStore): Map<string, number | null> =>
  new Map(org.all('Opportunity').map((o) => [String(o.Id), typeof o.Win_Probability__c === 'number' ? o.Win_Probability__c : null]));

const { file, playbook, asOf } = workerData as { file: string; playbook: Playbook; asOf: string };
const companion = composeCompanion({ dataDir: dirname(file), orgFile: file });
try {
  const read = await (await companion.adapter()).read(asOf);
  // The heat map shows the scorecards the last sync stored: the same numbers as the User fields and list views.
  const store = companion.org();
  parentPort!.postMessage({ ok: true, analytics: computeAnalytics(read.snapshot, playbook, asOf, store.all('Rep_Scorecard__c'), winProbabilities(store), read.coaching?.inspections ?? []) });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
} finally {
  await companion.close();
}
