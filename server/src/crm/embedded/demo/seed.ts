// Seeds the embedded org from the demo data set. Runs once, on the first `npm start`; later starts reuse the org.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toCsv } from '../../../csv.ts';
import { OBJECT_NAMES } from '../../sobjects.ts';
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
  // Generated quotas sit beside the org, where an admin would put real ones (see README "Attainment in context").
  writeFileSync(join(dirname(file), 'quotas.csv'), toCsv(['User', 'Quarter', 'Quota'], summary.quotas.map((q) => [q.user, q.quarter, q.quota])));
  return summary;
};
