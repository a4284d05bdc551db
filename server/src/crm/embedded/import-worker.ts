// An import's worker thread: loads one large CSV file (the folder's largest, usually Task.csv) into a scratch org
// while the main thread loads the others — the same loadFile, the same checks — then records what it found in the
// scratch org and raises the shared flag the main thread waits on (see importFolder in csv-io.ts).
import { workerData } from 'node:worker_threads';
import type { SfObjectName } from '../sobjects.ts';
import { loadFile, Problems, type ImportSummary, type WorkerResult } from './csv-io.ts';
import { OrgStore, type ExtraFields } from './store.ts';

const { dir, object, scratch, extras, flag } = workerData as { dir: string; object: SfObjectName; scratch: string; extras: ExtraFields; flag: Int32Array };

let result: WorkerResult = { problems: [], more: 0, ignored: [], loaded: false };
let store: OrgStore | null = null;
try {
  store = OrgStore.create(scratch, extras);
  const problems = new Problems();
  const ignored: ImportSummary['ignoredColumns'] = [];
  const s = store;
  s.transaction(() => {
    const lines = loadFile(dir, object, s, problems, ignored);
    // The lines ids were read from, for the main thread's reference checks (only when the rows are usable).
    if (lines && !problems.count) s.saveImportLines(lines);
    result = { problems: problems.list, more: problems.more, ignored, loaded: lines !== null };
  });
} catch (error) {
  result = { ...result, loaded: false, error: error instanceof Error ? error.message : String(error) };
} finally {
  try {
    store?.setMeta('importResult', JSON.stringify(result));
    store?.close();
  } catch {
    // The main thread reads a missing result as "the loader stopped".
  }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
