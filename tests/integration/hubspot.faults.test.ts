// Under HubSpot's failures — rolling and search 429s, 5xx, a dropped connection, the daily limit — the end state equals
// the fault-free one, the portal's limits are never exceeded, and a daily-limit stop resumes where it stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCompanion, type Companion } from '../../server/src/composition.ts';
import { DEAL_PROPERTIES } from '../../server/src/crm/hubspot/fields.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { AS_OF, hubspotConfig, portalWith, sharedEvidence, tempDir, type Portal } from './hubspot.support.ts';

const ACCOUNTS = 2;
let clean: Map<string, string>;
const portals: Portal[] = [];
const companions: Companion[] = [];

/** Each deal's Stagecraft properties, keyed by the Salesforce id it was loaded from (ids are the portal's own). */
const endState = (p: Portal): Map<string, string> =>
  new Map([...p.loaded.deals].map(([sfId, id]) => [sfId, JSON.stringify(DEAL_PROPERTIES.filter((d) => d.name !== 'stagecraft_indicators_as_of').map((d) => p.emu.portal.get('deals', id)!.properties[d.name] ?? null))]));

const fresh = async (): Promise<{ portal: Portal; c: Companion }> => {
  const portal = await portalWith(sharedEvidence(ACCOUNTS));
  const c = composeCompanion(hubspotConfig(portal.emu, tempDir()), 'hubspot');
  portals.push(portal);
  companions.push(c);
  return { portal, c };
};

beforeAll(async () => {
  const { portal, c } = await fresh();
  expect((await syncOrg(c, { asOf: AS_OF })).kind).toBe('done');
  clean = endState(portal);
}, 120_000);

afterAll(async () => {
  for (const c of companions) await c.close();
  for (const p of portals) await p.emu.stop();
});

describe('HubSpot sync under faults', () => {
  it('When 429s (rolling and search), 5xx and a dropped connection are injected, then the end state equals the fault-free one within the limits', async () => {
    const { portal, c } = await fresh();
    const emu = portal.emu;
    emu.injectFault({ type: 'rateLimit', times: 2, path: '/crm/v3/objects/companies' });
    emu.injectFault({ type: 'searchLimit', times: 2, path: '/search' });
    emu.injectFault({ type: 'http502', times: 2, path: '/batch/read' });
    emu.injectFault({ type: 'http503', times: 1, path: '/crm/v4/associations' });
    emu.injectFault({ type: 'http500', times: 2, path: '/crm/v3/objects/deals/batch/update' });
    emu.injectFault({ type: 'timeout', times: 1, path: '/crm/v3/objects/calls', ms: 1500 });
    const outcome = await syncOrg(c, { asOf: AS_OF });
    expect(outcome.kind).toBe('done');
    if (outcome.kind === 'done') expect(outcome.summary.written?.failures).toEqual([]);
    expect(emu.faults.pending()).toBe(0);
    expect(endState(portal)).toEqual(clean);
    // Only the injected 429s: the client's pacing never ran into a real one.
    expect(emu.calls.filter((call) => call.status === 429 && !call.fault)).toEqual([]);
    expect(emu.limits.peakBurst).toBeLessThanOrEqual(emu.limits.burst);
    expect(emu.limits.peakSearchPerSecond).toBeLessThanOrEqual(emu.limits.searchPerSecond);
  }, 120_000);

  it('When the daily limit is hit during the write-back, then the run stops with a checkpoint and the next run resumes that asOf and completes it', async () => {
    const { portal, c } = await fresh();
    const emu = portal.emu;
    emu.injectFault({ type: 'dailyLimit', times: 1, path: '/crm/v3/objects/deals/batch/update' });
    const stopped = await syncOrg(c);
    expect(stopped.kind).toBe('stopped');
    if (stopped.kind === 'stopped') expect(stopped.message).toMatch(/daily/i);
    // The checkpoint: the run journal keeps the stopped run's asOf, so the rerun computes the same moment.
    const adapter = await c.adapter();
    const asOf = await adapter.resumableAsOf!();
    expect(asOf).not.toBeNull();
    const resumed = await syncOrg(c);
    expect(resumed.kind).toBe('done');
    if (resumed.kind === 'done') expect(resumed.summary.asOf).toBe(asOf);
    const again = await syncOrg(c, { asOf: asOf! });
    expect(again.kind === 'done' && again.summary.plan.records.filter((r) => r.object === 'Opportunity')).toEqual([]);
  }, 120_000);
});
