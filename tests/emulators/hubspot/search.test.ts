// CRM search through @hubspot/api-client: operators, sorting, `limit` ≤ 200, `after` paging, the 10,000-result cap
// and paging past it by hs_object_id, filter-group limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/deals/index.js';
import { startHubSpotEmulator, type HubSpotEmulator } from './index.ts';
import { api, hubspot, seedDeals } from './helpers.ts';

let emu: HubSpotEmulator;
beforeEach(async () => {
  // Generous limits: these tests are about search semantics, not throttling.
  emu = await startHubSpotEmulator({ limits: { burst: 10_000, searchPerSecond: 10_000 } });
});
afterEach(async () => {
  await emu.stop();
});

const search = (body: unknown): Promise<Response> => api(emu, '/crm/v3/objects/deals/search', { method: 'POST', body: JSON.stringify(body) });

describe('CRM search', () => {
  it('filters with EQ, NEQ, GT, GTE, LT, LTE, IN, HAS_PROPERTY, NOT_HAS_PROPERTY; groups OR-ed, filters AND-ed', async () => {
    seedDeals(emu, 10, (i) => ({ amount: String(i * 10), ...(i % 2 ? { hs_next_step: `step ${i}` } : {}), dealstage: i < 5 ? 'appointmentscheduled' : 'closedwon' }));
    const client = hubspot(emu);
    const count = async (filters: { propertyName: string; operator: FilterOperatorEnum; value?: string; values?: string[] }[][]): Promise<number> =>
      (await client.crm.deals.searchApi.doSearch({ filterGroups: filters.map((f) => ({ filters: f })), limit: 100, properties: ['amount'], sorts: [] })).total;
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.Gt, value: '40' }]])).toBe(5);
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.Gte, value: '40' }]])).toBe(6);
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.Lt, value: '20' }]])).toBe(2);
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.Lte, value: '20' }]])).toBe(3);
    expect(await count([[{ propertyName: 'dealstage', operator: FilterOperatorEnum.Eq, value: 'closedwon' }]])).toBe(5);
    expect(await count([[{ propertyName: 'dealstage', operator: FilterOperatorEnum.Neq, value: 'closedwon' }]])).toBe(5);
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.In, values: ['0', '90'] }]])).toBe(2);
    expect(await count([[{ propertyName: 'hs_next_step', operator: FilterOperatorEnum.HasProperty }]])).toBe(5);
    expect(await count([[{ propertyName: 'hs_next_step', operator: FilterOperatorEnum.NotHasProperty }]])).toBe(5);
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.Gt, value: '40' }, { propertyName: 'hs_next_step', operator: FilterOperatorEnum.HasProperty }]])).toBe(3);
    expect(await count([[{ propertyName: 'amount', operator: FilterOperatorEnum.Eq, value: '0' }], [{ propertyName: 'amount', operator: FilterOperatorEnum.Eq, value: '90' }]])).toBe(2);
  });

  it('filters date-times by epoch milliseconds and sorts descending', async () => {
    const ids = seedDeals(emu, 3, (i) => ({ closedate: `2026-0${i + 1}-15T00:00:00Z` }));
    const res = await search({ filterGroups: [{ filters: [{ propertyName: 'closedate', operator: 'GTE', value: String(Date.UTC(2026, 1, 1)) }] }], sorts: [{ propertyName: 'closedate', direction: 'DESCENDING' }], properties: ['closedate'], limit: 10 });
    const body = (await res.json()) as { total: number; results: { id: string; properties: Record<string, string> }[] };
    expect(body.results.map((r) => r.id)).toEqual([ids[2], ids[1]]);
  });

  it('pages with after (limit ≤ 200) and refuses to go past 10,000 results; paging by hs_object_id reaches the rest', async () => {
    seedDeals(emu, 10_250);
    const client = hubspot(emu);
    const first = await client.crm.deals.searchApi.doSearch({ filterGroups: [], sorts: ['hs_object_id'], properties: ['dealname'], limit: 200 });
    expect(first.total).toBe(10_250);
    expect(first.results).toHaveLength(200);
    expect(first.paging?.next?.after).toBe('200');
    const over = await search({ limit: 201 });
    expect(over.status).toBe(400);
    const last = await search({ limit: 200, after: '9800', sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] });
    const lastBody = (await last.json()) as { results: { id: string }[]; paging?: { next?: { after: string } } };
    expect(lastBody.results).toHaveLength(200);
    expect(lastBody.paging?.next?.after).toBe('10000');
    const past = await search({ limit: 200, after: '10000' });
    expect(past.status).toBe(400);
    expect(await past.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    // The documented way past the cap: a new query from the last id seen.
    const lastId = lastBody.results[lastBody.results.length - 1]!.id;
    const rest = (await (await search({ limit: 200, filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: lastId }] }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }] })).json()) as { total: number };
    expect(rest.total).toBe(250);
  });

  it('refuses more than 5 filter groups, more than 10 filters in a group, unknown properties and operators', async () => {
    seedDeals(emu, 1);
    const f = { propertyName: 'amount', operator: 'GT', value: '0' };
    expect((await search({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [f] })) })).status).toBe(400);
    expect((await search({ filterGroups: [{ filters: Array.from({ length: 11 }, () => f) }] })).status).toBe(400);
    expect((await search({ filterGroups: [{ filters: [{ ...f, propertyName: 'nope' }] }] })).status).toBe(400);
    expect((await search({ filterGroups: [{ filters: [{ ...f, operator: 'LIKE' }] }] })).status).toBe(400);
    expect((await search({ filterGroups: Array.from({ length: 5 }, () => ({ filters: [f, f] })) })).status).toBe(200);
  });

  it('finds records associated with a given record through the associations.{type} pseudo-property', async () => {
    const [deal, other] = seedDeals(emu, 2);
    const call = emu.portal.create('calls', { hs_timestamp: '2026-03-01T00:00:00Z' }).id;
    emu.portal.create('calls', { hs_timestamp: '2026-03-02T00:00:00Z' });
    emu.associateByLabel('calls', call, 'deals', deal!, undefined);
    const res = (await (await api(emu, '/crm/v3/objects/calls/search', { method: 'POST', body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: deal }] }] }) })).json()) as { total: number; results: { id: string }[] };
    expect(res.results.map((r) => r.id)).toEqual([call]);
    const none = (await (await api(emu, '/crm/v3/objects/calls/search', { method: 'POST', body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: other }] }] }) })).json()) as { total: number };
    expect(none.total).toBe(0);
  });
});
