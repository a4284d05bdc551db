// A bounded hostile load over loopback (bench/hostile-load.ts): while clients send deep and alias-flooded GraphQL,
// %-heavy LIKE patterns, large list reads and malformed bodies, health keeps answering and the server's memory stays
// under 500 MB. Latency is a figure, not an assertion: `node bench/hostile-load.ts` measures and reports it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeExportOrg } from '../../bench/export-org.ts';
import { hostileLoad, serveOrg } from '../../bench/hostile-load.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'stagecraft-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile load', () => {
  it('When hostile GraphQL and list requests run for 20 s, then every health check answers 200, nothing answers 5xx, and memory stays under 500 MB', async () => {
    const now = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
    await writeExportOrg(join(dir, 'export'), { deals: 1_500, activities: 7_500, reps: 30, contacts: 1_500, now });
    importFolder(join(dir, 'export'), join(dir, 'org.sqlite'), new Date(now));
    // A rate limit high enough for the hostile requests to reach their handlers: the bounds under test are theirs.
    const { url, child } = await serveOrg(dir, 1_000_000);
    try {
      const report = await hostileLoad(url, { seconds: 20, clients: 6, serverPid: child.pid });
      console.log(`hostile load: health p50 ${report.health.p50Ms} ms, p99 ${report.health.p99Ms} ms over ${report.health.asked} checks; ${report.hostile.sent} hostile requests ${JSON.stringify(report.hostile.byStatus)}; peak RSS ${report.peakRssMb} MB`);
      expect(report.health.asked).toBeGreaterThan(10);
      expect(report.health.failed).toBe(0);
      expect(report.health.answered).toBe(report.health.asked);
      expect(report.hostile.errors).toBe(0);
      expect(Object.keys(report.hostile.byStatus).filter((s) => Number(s) >= 500)).toEqual([]);
      // The deep, alias-flooded and 200 KB requests were refused, not run.
      expect(report.hostile.byStatus['400']).toBeGreaterThan(0);
      expect(report.peakRssMb).not.toBeNull();
      expect(report.peakRssMb!).toBeLessThan(500);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
