// Seeds the embedded org from the demo data set. Runs once, on the first `npm start`; later starts reuse the org.
import { fileURLToPath } from 'node:url';
import { OBJECT_NAMES } from '../objects.ts';
import { OrgStore } from '../store.ts';
import { generateDemoOrg, type DemoSummary } from './generate.ts';
import { readMaven } from './maven.ts';

export const DEMO_DATA_DIR = fileURLToPath(new URL('../../../../../data/demo/', import.meta.url));

export const seedDemoOrg = (file: string, today: Date, onProgress?: (done: number, total: number) => void): DemoSummary => {
  const { org, summary } = generateDemoOrg(readMaven(DEMO_DATA_DIR), today);
  const total = Object.values(org).reduce((s, records) => s + records.length, 0);
  let done = 0;
  OrgStore.replace(file, (store) => {
    for (const object of OBJECT_NAMES) {
      done += store.insert(object, org[object]);
      onProgress?.(done, total);
    }
    store.setMeta('source', 'demo');
    store.setMeta('seededAt', today.toISOString());
    store.setMeta('dateOffsetDays', String(summary.offsetDays));
  });
  return summary;
};
