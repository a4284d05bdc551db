// CRM objects v3 through @hubspot/api-client: list paging, reads with history and associations, batch read/update
// limits and error bodies, property validation, strings on the wire.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from './index.ts';
import { api, hubspot, seedDeals } from './helpers.ts';

let emu: HubSpotEmulator;
beforeEach(async () => {
  emu = await startHubSpotEmulator();
});
afterEach(async () => {
  await emu.stop();
});

describe('CRM objects v3', () => {
  it('lists deals a page at a time (limit ≤ 100, after cursor) with property values as strings', async () => {
    seedDeals(emu, 230);
    const client = hubspot(emu);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.deals.basicApi.getPage(100, after, ['dealname', 'amount']);
      pages++;
      for (const d of page.results) seen.push(d.id);
      expect(typeof page.results[0]!.properties.amount).toBe('string');
      after = page.paging?.next?.after;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(230);
    const calls = emu.calls.filter((c) => c.kind === 'list');
    expect(calls.map((c) => c.limit)).toEqual([100, 100, 100]);
    const over = await api(emu, '/crm/v3/objects/deals?limit=101');
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });

  it('keeps hs_object_id, createdate and hs_lastmodifieddate, and the dealstage history with the stage date properties', async () => {
    const [id] = seedDeals(emu, 1);
    const client = hubspot(emu);
    await client.crm.deals.basicApi.update(id!, { properties: { dealstage: 'qualifiedtobuy' } });
    await client.crm.deals.basicApi.update(id!, { properties: { dealstage: 'closedwon' } });
    const deal = await client.crm.deals.basicApi.getById(id!, ['dealstage', 'hs_v2_date_entered_qualifiedtobuy', 'hs_v2_date_exited_qualifiedtobuy', 'hs_is_closed_won'], ['dealstage']);
    expect(deal.properties.hs_object_id).toBe(id);
    expect(deal.properties.createdate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(deal.properties.hs_is_closed_won).toBe('true');
    const history = deal.propertiesWithHistory!.dealstage!;
    expect(history.map((h) => h.value)).toEqual(['closedwon', 'qualifiedtobuy', 'appointmentscheduled']);
    expect(history[0]!.sourceType).toBe('API');
    expect(Date.parse(deal.properties.hs_v2_date_exited_qualifiedtobuy!)).toBeGreaterThan(Date.parse(deal.properties.hs_v2_date_entered_qualifiedtobuy!));
    expect(Date.parse(deal.properties.hs_lastmodifieddate!)).toBeGreaterThanOrEqual(history[0]!.timestamp.getTime());
  });

  it('batch read takes ≤ 100 inputs, reports missing ids with 207 and HubSpot\'s error entry', async () => {
    const ids = seedDeals(emu, 120);
    const client = hubspot(emu);
    const read = await client.crm.deals.batchApi.read({ inputs: [...ids.slice(0, 99), '999'].map((id) => ({ id })), properties: ['dealname'], propertiesWithHistory: [] });
    expect(read.results).toHaveLength(99);
    expect('errors' in read && read.errors?.[0]).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['999'] } });
    await expect(client.crm.deals.batchApi.read({ inputs: ids.slice(0, 101).map((id) => ({ id })), properties: [], propertiesWithHistory: [] })).rejects.toMatchObject({ code: 400 });
    expect(emu.calls.filter((c) => c.kind === 'batch').map((c) => c.inputs)).toEqual([100, 101]);
  });

  it('batch update writes ≤ 100, rejects the whole batch on an unknown property or option (PROPERTY_DOESNT_EXIST, INVALID_OPTION)', async () => {
    const ids = seedDeals(emu, 3);
    const client = hubspot(emu);
    const ok = await client.crm.deals.batchApi.update({ inputs: ids.map((id) => ({ id, properties: { amount: '42' } })) });
    expect(ok.results.map((r) => r.properties.amount)).toEqual(['42', '42', '42']);
    const bad = await api(emu, '/crm/v3/objects/deals/batch/update', { method: 'POST', body: JSON.stringify({ inputs: [{ id: ids[0], properties: { amount: '7' } }, { id: ids[1], properties: { no_such: 'x' } }] }) });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { status: string; message: string; category: string; correlationId: string };
    expect(body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(body.message).toContain('Property values were not valid');
    expect(body.message).toContain('PROPERTY_DOESNT_EXIST');
    expect(body.correlationId).toMatch(/[0-9a-f-]{36}/);
    expect(emu.portal.get('deals', ids[0]!)!.properties.amount).toBe('42');
    const stage = await api(emu, '/crm/v3/objects/deals/batch/update', { method: 'POST', body: JSON.stringify({ inputs: [{ id: ids[0], properties: { dealstage: 'Closed Won' } }] }) });
    expect(((await stage.json()) as { message: string }).message).toContain('INVALID_OPTION');
    const many = await api(emu, '/crm/v3/objects/deals/batch/update', { method: 'POST', body: JSON.stringify({ inputs: Array.from({ length: 101 }, () => ({ id: ids[0], properties: {} })) }) });
    expect(many.status).toBe(400);
    const readOnly = await api(emu, `/crm/v3/objects/deals/${ids[0]}`, { method: 'PATCH', body: JSON.stringify({ properties: { hs_object_id: '1' } }) });
    expect(((await readOnly.json()) as { message: string }).message).toContain('READ_ONLY_VALUE');
  });

  it('normalises values: numbers, datetimes from epoch ms, booleans; an empty string clears', async () => {
    const [id] = seedDeals(emu, 1);
    const client = hubspot(emu);
    await client.crm.deals.basicApi.update(id!, { properties: { amount: '1500.50', closedate: String(Date.UTC(2026, 5, 30)), hs_next_step: 'Call' } });
    await client.crm.deals.basicApi.update(id!, { properties: { hs_next_step: '' } });
    const deal = await client.crm.deals.basicApi.getById(id!, ['amount', 'closedate', 'hs_next_step']);
    expect(deal.properties).toMatchObject({ amount: '1500.5', closedate: '2026-06-30T00:00:00.000Z', hs_next_step: null });
  });

  it('answers 401 without the private app token', async () => {
    const res = await api(emu, '/crm/v3/objects/deals', { token: 'pat-na1-wrong' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });

  it('rolls contacts and activities added to a deal up into its properties, moving hs_lastmodifieddate', async () => {
    const [deal] = seedDeals(emu, 1);
    const before = emu.portal.get('deals', deal!)!.properties.hs_lastmodifieddate!;
    const contact = emu.portal.create('contacts', { lastname: 'Ng' }).id;
    emu.associateByLabel('deals', deal!, 'contacts', contact, 'Champion');
    const call = emu.portal.create('calls', { hs_timestamp: '2026-03-05T10:00:00.000Z' }).id;
    emu.associateByLabel('calls', call, 'deals', deal!, undefined);
    const got = await hubspot(emu).crm.deals.basicApi.getById(deal!, ['num_associated_contacts', 'notes_last_updated']);
    expect(got.properties).toMatchObject({ num_associated_contacts: '1', notes_last_updated: '2026-03-05T10:00:00.000Z' });
    expect(Date.parse(got.properties.hs_lastmodifieddate!)).toBeGreaterThan(Date.parse(before));
    // An incremental search by modified date finds the deal.
    const found = (await (await api(emu, '/crm/v3/objects/deals/search', { method: 'POST', body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GT', value: String(Date.parse(before)) }] }] }) })).json()) as { total: number };
    expect(found.total).toBe(1);
  });

  it('requires a deal\'s name and stage, and an engagement\'s hs_timestamp, on creation', async () => {
    const deal = await api(emu, '/crm/v3/objects/deals', { method: 'POST', body: JSON.stringify({ properties: { dealname: 'No stage' } }) });
    expect(deal.status).toBe(400);
    expect(((await deal.json()) as { message: string }).message).toContain('dealstage');
    const call = await api(emu, '/crm/v3/objects/calls', { method: 'POST', body: JSON.stringify({ properties: { hs_call_title: 'x' } }) });
    expect(call.status).toBe(400);
    const ok = await hubspot(emu).crm.objects.calls.basicApi.create({ properties: { hs_timestamp: '2026-03-01T10:00:00Z', hs_call_title: 'x' }, associations: [] });
    expect(ok.properties.hs_createdate).toMatch(/^\d{4}-/);
  });
});

