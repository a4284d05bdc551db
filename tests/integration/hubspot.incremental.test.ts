// The live path: HubSpot's webhooks (signed, from the emulated portal) → the inbox → the worker's incremental recompute.
// One meeting added to one deal rewrites that deal only; the catch-up search by hs_lastmodifieddate finds what no
// webhook announced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotCompanion, type RunningHubSpotCompanion } from '../../server/src/cli/serve-hubspot.ts';
import { composeCompanion, type Companion } from '../../server/src/composition.ts';
import { DEAL_PROPERTIES } from '../../server/src/crm/hubspot/fields.ts';
import { HUBSPOT_INBOX_SOURCE } from '../../server/src/http/hubspot-webhooks.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { hubspotConfig, meetingWithNewExecutive, portalWith, sharedEvidence, SUBSCRIPTIONS, tempDir, WEBHOOK_SECRET, type Portal } from './hubspot.support.ts';

let portal: Portal;
let c: Companion;
let running: RunningHubSpotCompanion;

/** Every deal's Stagecraft properties, by deal id. */
const owned = (): Map<string, string> => new Map([...portal.emu.portal.recordsOf('deals').values()].map((d) => [d.id, JSON.stringify(DEAL_PROPERTIES.map((p) => d.properties[p.name] ?? null))]));
const openDealWithCompany = (skip = 0): { dealId: string; companyId: string } => {
  const open = [...portal.emu.portal.recordsOf('deals').values()].filter((d) => d.properties.hs_is_closed !== 'true' && portal.emu.portal.associationsOf('deals', d.id, 'companies').length);
  const deal = open[skip]!;
  return { dealId: deal.id, companyId: String(portal.emu.portal.associationsOf('deals', deal.id, 'companies')[0]!.toObjectId) };
};
const drained = async (): Promise<void> => {
  await portal.emu.webhooks!.idle();
  await running.worker.wake();
};

beforeAll(async () => {
  portal = await portalWith(sharedEvidence(3));
  c = composeCompanion(hubspotConfig(portal.emu, tempDir()), 'hubspot');
  const first = await syncOrg(c);
  expect(first.kind).toBe('done');
  running = await startHubSpotCompanion(c, { host: '127.0.0.1', port: 0, clientSecret: WEBHOOK_SECRET, pollSeconds: 3600, log: () => {} });
  portal.emu.configureWebhooks({ targetUrl: `${running.url}/webhooks/hubspot`, appId: 1, clientSecret: WEBHOOK_SECRET, subscriptions: SUBSCRIPTIONS });
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await c?.close();
  await portal?.emu.stop();
});

describe('webhooks into the incremental recompute', () => {
  it('When a meeting with a new executive is added to one deal, then that deal alone is rewritten, in one batch call', async () => {
    const { dealId, companyId } = openDealWithCompany();
    const before = owned();
    expect(JSON.parse(before.get(dealId)!)[DEAL_PROPERTIES.findIndex((p) => p.name === 'stagecraft_executive_engaged')]).not.toBe('true');
    portal.emu.resetCalls();
    meetingWithNewExecutive(portal.emu, dealId, companyId);
    await drained();
    const after = owned();
    const changed = [...after].filter(([id, v]) => before.get(id) !== v).map(([id]) => id);
    expect(changed).toEqual([dealId]);
    expect(portal.emu.portal.get('deals', dealId)!.properties.stagecraft_executive_engaged).toBe('true');
    const updates = portal.emu.calls.filter((call) => call.path === '/crm/v3/objects/deals/batch/update');
    expect(updates.map((u) => u.inputs)).toEqual([1]);
    // Every delivery acknowledged, every event processed.
    expect(portal.emu.webhooks!.deliveries.every((d) => d.status === 200)).toBe(true);
    const counts = await c.inbox().counts(c.tenant(), HUBSPOT_INBOX_SOURCE);
    expect(counts.processed).toBe(counts.received);
  });

  it('When HubSpot redelivers the same events, then nothing is recomputed again', async () => {
    const counts = await c.inbox().counts(c.tenant(), HUBSPOT_INBOX_SOURCE);
    portal.emu.resetCalls();
    const replay = portal.emu.webhooks!.events.slice(-3).map((e) => ({ eventId: String(e.eventId), event: e }));
    expect(await c.inbox().add(c.tenant(), HUBSPOT_INBOX_SOURCE, replay, new Date().toISOString())).toBe(0);
    await running.worker.wake();
    expect(await c.inbox().counts(c.tenant(), HUBSPOT_INBOX_SOURCE)).toEqual(counts);
    expect(portal.emu.calls).toEqual([]);
  });

  it('When a change reaches no webhook (webhooks off), then the incremental sync by hs_lastmodifieddate recomputes that deal only', async () => {
    portal.emu.webhooks!.stop();
    const { dealId, companyId } = openDealWithCompany(1);
    const before = owned();
    portal.emu.resetCalls();
    meetingWithNewExecutive(portal.emu, dealId, companyId);
    const outcome = await syncOrg(c, { incremental: true });
    expect(outcome.kind).toBe('done');
    if (outcome.kind !== 'done') return;
    expect(outcome.summary.mode).toBe('incremental');
    expect(outcome.changes?.dealIds).toContain(dealId);
    const changed = [...owned()].filter(([id, v]) => before.get(id) !== v).map(([id]) => id);
    expect(changed).toEqual([dealId]);
    for (const s of portal.emu.calls.filter((call) => call.kind === 'search')) expect(s.limit).toBe(200);
  });
});
