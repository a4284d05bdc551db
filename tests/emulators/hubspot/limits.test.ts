// Rate limits and faults: HubSpot's X-HubSpot-RateLimit-* headers, the three 429 bodies (TEN_SECONDLY_ROLLING, DAILY,
// the search endpoints' secondly limit), injected 429 / 5xx / timeouts, and the request log tests assert on.
import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from './index.ts';
import { api, hubspot, seedDeals } from './helpers.ts';

let emu: HubSpotEmulator;
afterEach(async () => {
  await emu.stop();
});

describe('rate limits', () => {
  it('reports the burst and daily limits in headers and answers 429 TEN_SECONDLY_ROLLING past the burst', async () => {
    emu = await startHubSpotEmulator({ limits: { burst: 5, intervalMs: 60_000, daily: 1000 } });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await api(emu, '/crm/v3/objects/deals?limit=1');
      statuses.push(last.status);
      if (i === 0) {
        expect(last.headers.get('x-hubspot-ratelimit-max')).toBe('5');
        expect(last.headers.get('x-hubspot-ratelimit-remaining')).toBe('4');
        expect(last.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');
        expect(last.headers.get('x-hubspot-ratelimit-daily')).toBe('1000');
        expect(last.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('999');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await last!.json()).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING', message: 'You have reached your ten_secondly_rolling limit.' });
    expect(last!.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    // A refused call does not count: the portal never went past its limit.
    expect(emu.limits.peakBurst).toBe(5);
    expect(emu.limits.dailyUsed).toBe(5);
    expect(emu.callCounts().rateLimited).toBe(1);
    expect(emu.calls.at(-1)).toMatchObject({ status: 429, policy: 'TEN_SECONDLY_ROLLING' });
  });

  it('answers 429 DAILY once the day is spent', async () => {
    emu = await startHubSpotEmulator({ limits: { daily: 2 } });
    await api(emu, '/crm/v3/objects/deals');
    await api(emu, '/crm/v3/objects/deals');
    const res = await api(emu, '/crm/v3/objects/deals');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
  });

  it('limits search to 5 requests a second with the secondly-limit body, which the official client retries', async () => {
    // A frozen limiter clock: all six land in the same second however slow the machine is.
    emu = await startHubSpotEmulator({ limits: { burst: 1000, clock: () => 1_000_000 } });
    seedDeals(emu, 3);
    const results = await Promise.all(Array.from({ length: 6 }, () => api(emu, '/crm/v3/objects/deals/search', { method: 'POST', body: JSON.stringify({ limit: 1 }) })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(await refused.json()).toMatchObject({ policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    expect(emu.limits.peakSearchPerSecond).toBe(5);
    // @hubspot/api-client recognises that body and retries after a second.
    emu.limits.reset();
    emu.injectFault({ type: 'searchLimit', path: '/search' });
    const client = hubspot(emu, { numberOfApiCallRetries: 2 });
    const page = await client.crm.deals.searchApi.doSearch({ filterGroups: [], sorts: [], properties: [], limit: 10 });
    expect(page.total).toBe(3);
    expect(emu.faults.fired).toHaveLength(1);
  });
});

describe('faults', () => {
  it('fails the next N matching calls with 5xx before any write; the client retries 5xx', async () => {
    emu = await startHubSpotEmulator();
    const [id] = seedDeals(emu, 1);
    emu.injectFault({ type: 'http502', times: 2, method: 'POST', path: '/batch/update' });
    const once = await api(emu, '/crm/v3/objects/deals/batch/update', { method: 'POST', body: JSON.stringify({ inputs: [{ id, properties: { amount: '1' } }] }) });
    expect(once.status).toBe(502);
    expect(emu.portal.get('deals', id!)!.properties.amount).toBe('1000');
    const client = hubspot(emu, { numberOfApiCallRetries: 3 });
    await client.crm.deals.batchApi.update({ inputs: [{ id: id!, properties: { amount: '2' } }] });
    expect(emu.portal.get('deals', id!)!.properties.amount).toBe('2');
    expect(emu.calls.filter((c) => c.path.endsWith('/batch/update')).map((c) => c.status)).toEqual([502, 502, 200]);
  });

  it('holds a call unanswered past the client timeout (timeout fault) and answers rateLimit / 500 / 503 faults', async () => {
    emu = await startHubSpotEmulator();
    emu.injectFault({ type: 'timeout', ms: 2_000, path: '/crm/v3/owners' });
    await expect(api(emu, '/crm/v3/owners', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    for (const [type, status] of [['rateLimit', 429], ['http500', 500], ['http503', 503]] as const) {
      emu.injectFault({ type, path: '/crm/v3/pipelines' });
      const res = await api(emu, '/crm/v3/pipelines/deals');
      expect(res.status).toBe(status);
      if (status === 429) expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    }
    expect((await api(emu, '/crm/v3/pipelines/deals')).status).toBe(200);
    expect(emu.faults.pending()).toBe(0);
  });

  it('takes faults and reads the log over the admin routes (for a separate process)', async () => {
    emu = await startHubSpotEmulator();
    await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ faults: [{ type: 'http503', times: 1, path: '/crm/v3/objects/deals' }] }) });
    expect((await api(emu, '/crm/v3/objects/deals')).status).toBe(503);
    const log = (await (await fetch(`${emu.url}/__emulator/log`)).json()) as { calls: { status: number; fault?: string }[]; peakBurst: number };
    expect(log.calls).toEqual([expect.objectContaining({ status: 503, fault: 'http503' })]);
  });
});
