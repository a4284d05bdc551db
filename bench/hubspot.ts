// The HubSpot step of `npm run bench`: a slice of the demo org loaded into the HubSpot API emulator at a Professional
// portal's limits (190 requests per 10 s, 5 searches a second), then (1) the first full sync's wall time and API calls,
// and (2) webhook → written property latency over 100 events: each a meeting with a new contact logged on an open deal
// (a user's edit), delivered signed to `POST /webhooks/hubspot`, stored, recomputed by the inbox worker and written
// back — the deal and its owner's scorecard; the clock stops when the deal's stagecraft_stakeholders_engaged changes in
// the portal and the inbox has processed every event received (the owner's scorecard is written in the same recompute,
// after the deal). Events come one at a
// time, a second apart (a busy team's edit rate; the sustained rate a Professional portal's
// 190 calls per 10 s allows is about one recompute a second, see the README). Not a test: nothing asserts.
import { startHubSpotCompanion } from '../server/src/cli/serve-hubspot.ts';
import { composeCompanion } from '../server/src/composition.ts';
import { syncOrg } from '../server/src/use-cases/companion-sync.ts';
import { HUBSPOT_INBOX_SOURCE } from '../server/src/http/hubspot-webhooks.ts';
import { hubspotConfig, meetingWithNewExecutive, portalWith, sharedEvidence, SUBSCRIPTIONS, tempDir, WEBHOOK_SECRET } from '../tests/integration/hubspot.support.ts';

export interface HubSpotBenchResult {
  accounts: number;
  deals: number;
  fullSyncMs: number;
  fullSyncApiCalls: number;
  events: number;
  latencyMs: { p50: number; p95: number; max: number };
  peakBurst: number;
  burst: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const runHubSpotBench = async (accounts = 5, events = 100, gapMs = 1000): Promise<HubSpotBenchResult> => {
  const portal = await portalWith(sharedEvidence(accounts), { limits: { burst: 190, intervalMs: 10_000 } });
  const c = composeCompanion(hubspotConfig(portal.emu, tempDir()), 'hubspot');
  const started = performance.now();
  const first = await syncOrg(c);
  const fullSyncMs = Math.round(performance.now() - started);
  const fullSyncApiCalls = first.kind === 'done' ? first.summary.apiCalls?.total ?? 0 : 0;
  const running = await startHubSpotCompanion(c, { host: '127.0.0.1', port: 0, clientSecret: WEBHOOK_SECRET, pollSeconds: 3600, log: () => {} });
  portal.emu.configureWebhooks({ targetUrl: `${running.url}/webhooks/hubspot`, appId: 1, clientSecret: WEBHOOK_SECRET, subscriptions: SUBSCRIPTIONS, batchWindowMs: 10 });
  const open = [...portal.emu.portal.recordsOf('deals').values()].filter((d) => d.properties.hs_is_closed !== 'true' && portal.emu.portal.associationsOf('deals', d.id, 'companies').length);
  const latencies: number[] = [];
  for (let i = 0; i < events; i++) {
    const deal = open[i % open.length]!;
    const before = deal.properties.stagecraft_stakeholders_engaged;
    const received = (await c.inbox().counts(c.tenant(), HUBSPOT_INBOX_SOURCE)).received;
    const settled = async (): Promise<boolean> => {
      const counts = await c.inbox().counts(c.tenant(), HUBSPOT_INBOX_SOURCE);
      return counts.received > received && counts.processed === counts.received;
    };
    const at = performance.now();
    meetingWithNewExecutive(portal.emu, deal.id, String(portal.emu.portal.associationsOf('deals', deal.id, 'companies')[0]!.toObjectId));
    while (portal.emu.portal.get('deals', deal.id)!.properties.stagecraft_stakeholders_engaged === before || !(await settled())) {
      if (performance.now() - at > 30_000) throw new Error(`event ${i}: deal ${deal.id} not rewritten within 30 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - at);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const result: HubSpotBenchResult = {
    accounts, deals: portal.loaded.deals.size, fullSyncMs, fullSyncApiCalls, events,
    latencyMs: { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), max: Math.round(sorted.at(-1)!) },
    peakBurst: portal.emu.limits.peakBurst, burst: portal.emu.limits.burst,
  };
  await running.stop();
  await c.close();
  await portal.emu.stop();
  return result;
};
