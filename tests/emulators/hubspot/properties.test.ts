// Properties API (groups, create with 409 on a duplicate, enumeration options validated on write) and custom object
// schemas (available only when the portal has custom objects).
import { afterEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from './index.ts';
import { api, hubspot, seedDeals } from './helpers.ts';

let emu: HubSpotEmulator;
afterEach(async () => {
  await emu.stop();
});

describe('properties', () => {
  it('creates a group and enumeration, checkbox and boolean properties; a second create is 409; writes are validated against the options', async () => {
    emu = await startHubSpotEmulator();
    const client = hubspot(emu);
    await client.crm.properties.groupsApi.create('deals', { name: 'stagecraft', label: 'Stagecraft', displayOrder: -1 });
    const status = { name: 'stagecraft_gate_status', label: 'Gate status', type: 'enumeration', fieldType: 'select', groupName: 'stagecraft', options: ['Met', 'In_Progress', 'At_Risk', 'Skipped'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })) };
    await client.crm.properties.coreApi.create('deals', status as never);
    await client.crm.properties.coreApi.create('deals', { name: 'stagecraft_deal_risk_flags', label: 'Risk flags', type: 'enumeration', fieldType: 'checkbox', groupName: 'stagecraft', options: ['Stalled', 'No_Executive'].map((v, i) => ({ label: v, value: v, displayOrder: i, hidden: false })) } as never);
    await client.crm.properties.coreApi.create('deals', { name: 'stagecraft_executive_engaged', label: 'Executive engaged', type: 'bool', fieldType: 'booleancheckbox', groupName: 'stagecraft' } as never);
    await expect(client.crm.properties.coreApi.create('deals', status as never)).rejects.toMatchObject({ code: 409 });
    const all = await client.crm.properties.coreApi.getAll('deals');
    expect(all.results.filter((p) => p.groupName === 'stagecraft').map((p) => p.name).sort()).toEqual(['stagecraft_deal_risk_flags', 'stagecraft_executive_engaged', 'stagecraft_gate_status']);
    const [deal] = seedDeals(emu, 1);
    await client.crm.deals.basicApi.update(deal!, { properties: { stagecraft_gate_status: 'At_Risk', stagecraft_deal_risk_flags: 'Stalled;No_Executive', stagecraft_executive_engaged: 'false' } });
    const bad = await api(emu, `/crm/v3/objects/deals/${deal}`, { method: 'PATCH', body: JSON.stringify({ properties: { stagecraft_gate_status: 'Unknown' } }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('INVALID_OPTION');
    const badFlag = await api(emu, `/crm/v3/objects/deals/${deal}`, { method: 'PATCH', body: JSON.stringify({ properties: { stagecraft_deal_risk_flags: 'Stalled;Gone' } }) });
    expect(badFlag.status).toBe(400);
    const badBool = await api(emu, `/crm/v3/objects/deals/${deal}`, { method: 'PATCH', body: JSON.stringify({ properties: { stagecraft_executive_engaged: 'yes' } }) });
    expect(badBool.status).toBe(400);
    const got = await client.crm.deals.basicApi.getById(deal!, ['stagecraft_gate_status', 'stagecraft_deal_risk_flags', 'stagecraft_executive_engaged']);
    expect(got.properties).toMatchObject({ stagecraft_gate_status: 'At_Risk', stagecraft_deal_risk_flags: 'Stalled;No_Executive', stagecraft_executive_engaged: 'false' });
    // An unknown group is refused.
    const noGroup = await api(emu, '/crm/v3/properties/deals', { method: 'POST', body: JSON.stringify({ ...status, name: 'x_y', groupName: 'nope' }) });
    expect(noGroup.status).toBe(400);
  });
});

describe('custom object schemas', () => {
  const schema = { name: 'scorecard', labels: { singular: 'Scorecard', plural: 'Scorecards' }, primaryDisplayProperty: 'scorecard_key', requiredProperties: ['scorecard_key'], properties: [{ name: 'scorecard_key', label: 'Key', type: 'string', fieldType: 'text', hasUniqueValue: true }, { name: 'behaviour_score', label: 'Behaviour score', type: 'number', fieldType: 'number' }], associatedObjects: ['CONTACT'] };

  it('lists none and refuses to create without custom objects (not an Enterprise portal)', async () => {
    emu = await startHubSpotEmulator();
    expect((await hubspot(emu).crm.schemas.coreApi.getAll()).results).toEqual([]);
    const res = await api(emu, '/crm/v3/schemas', { method: 'POST', body: JSON.stringify(schema) });
    expect(res.status).toBe(403);
  });

  it('creates a schema, then records of it by object type id or fully qualified name', async () => {
    emu = await startHubSpotEmulator({ customObjects: true });
    const created = (await (await api(emu, '/crm/v3/schemas', { method: 'POST', body: JSON.stringify(schema) })).json()) as { objectTypeId: string; fullyQualifiedName: string };
    expect(created.objectTypeId).toMatch(/^2-\d+$/);
    expect(created.fullyQualifiedName).toBe(`p${emu.portal.portalId}_scorecard`);
    expect((await api(emu, '/crm/v3/schemas', { method: 'POST', body: JSON.stringify(schema) })).status).toBe(409);
    const client = hubspot(emu);
    const listed = await client.crm.schemas.coreApi.getAll();
    expect(listed.results.map((s) => s.name)).toEqual(['scorecard']);
    const rec = await client.crm.objects.basicApi.create(created.objectTypeId, { properties: { scorecard_key: 'rep-1:2026-Q1', behaviour_score: '71' }, associations: [] });
    const read = await client.crm.objects.basicApi.getById(created.fullyQualifiedName, rec.id, ['scorecard_key', 'behaviour_score']);
    expect(read.properties).toMatchObject({ scorecard_key: 'rep-1:2026-Q1', behaviour_score: '71' });
  });
});

describe('batch upsert by a unique property', () => {
  it('creates records the first time and updates them after, keyed by the unique value; a duplicate value is 409', async () => {
    emu = await startHubSpotEmulator({ customObjects: true });
    const created = (await (await api(emu, '/crm/v3/schemas', { method: 'POST', body: JSON.stringify({ name: 'scorecard', labels: { singular: 'Scorecard', plural: 'Scorecards' }, properties: [{ name: 'scorecard_key', label: 'Key', type: 'string', fieldType: 'text', hasUniqueValue: true }, { name: 'behaviour_score', label: 'Score', type: 'number', fieldType: 'number' }] }) })).json()) as { objectTypeId: string };
    const client = hubspot(emu);
    const first = await client.crm.objects.batchApi.upsert(created.objectTypeId, { inputs: [{ idProperty: 'scorecard_key', id: 'rep-1:Q1', properties: { behaviour_score: '70' } }, { idProperty: 'scorecard_key', id: 'rep-2:Q1', properties: { behaviour_score: '55' } }] });
    expect(first.results.map((r) => r._new)).toEqual([true, true]);
    const second = await client.crm.objects.batchApi.upsert(created.objectTypeId, { inputs: [{ idProperty: 'scorecard_key', id: 'rep-1:Q1', properties: { behaviour_score: '72' } }] });
    expect(second.results.map((r) => [r._new, r.properties.behaviour_score])).toEqual([[false, '72']]);
    expect(emu.portal.recordsOf(created.objectTypeId).size).toBe(2);
    const dup = await api(emu, `/crm/v3/objects/${created.objectTypeId}`, { method: 'POST', body: JSON.stringify({ properties: { scorecard_key: 'rep-2:Q1' } }) });
    expect(dup.status).toBe(409);
    const notUnique = await api(emu, `/crm/v3/objects/${created.objectTypeId}/batch/upsert`, { method: 'POST', body: JSON.stringify({ inputs: [{ idProperty: 'behaviour_score', id: '1', properties: {} }] }) });
    expect(notUnique.status).toBe(400);
  });
});
