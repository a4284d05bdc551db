// Associations v4, pipelines, owners and teams through @hubspot/api-client.
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

describe('associations v4', () => {
  it('batch reads deal→contact associations with category, typeId and the role labels', async () => {
    const [deal, other] = seedDeals(emu, 2);
    const c1 = emu.portal.create('contacts', { firstname: 'Ada', lastname: 'Lovelace', jobtitle: 'CFO' }).id;
    const c2 = emu.portal.create('contacts', { firstname: 'Alan', lastname: 'Turing' }).id;
    emu.associateByLabel('deals', deal!, 'contacts', c1, 'Decision Maker');
    emu.associateByLabel('deals', deal!, 'contacts', c2, undefined);
    const client = hubspot(emu);
    const res = await client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: deal! }, { id: other! }] });
    expect(res.results).toHaveLength(1);
    const to = res.results[0]!.to;
    expect(to.map((t) => String(t.toObjectId))).toEqual([c1, c2]);
    expect(to[0]!.associationTypes).toEqual(expect.arrayContaining([{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }, expect.objectContaining({ category: 'USER_DEFINED', label: 'Decision Maker' })]));
    // The deal without contacts is reported, not silently dropped.
    expect('errors' in res && res.errors?.[0]?.context).toEqual({ fromObjectId: [other] });
    // The inverse direction exists too, with HubSpot's contact→deal type id.
    const back = await client.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: [{ id: c1 }] });
    expect(back.results[0]!.to[0]!.associationTypes).toEqual(expect.arrayContaining([{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }]));
    const labels = await client.crm.associations.v4.schema.definitionsApi.getAll('deals', 'contacts');
    expect(labels.results.map((l) => l.label)).toEqual(expect.arrayContaining([null, 'Decision Maker']));
    const many = await api(emu, '/crm/v4/associations/deals/contacts/batch/read', { method: 'POST', body: JSON.stringify({ inputs: Array.from({ length: 1001 }, () => ({ id: deal })) }) });
    expect(many.status).toBe(400);
  });

  it('reads associations with the v3 object (associations=contacts)', async () => {
    const [deal] = seedDeals(emu, 1);
    const contact = emu.portal.create('contacts', { lastname: 'Hopper' }).id;
    emu.associateByLabel('deals', deal!, 'contacts', contact, 'Champion');
    const got = await hubspot(emu).crm.deals.basicApi.getById(deal!, ['dealname'], undefined, ['contacts']);
    expect(got.associations?.contacts?.results.map((r) => [r.id, r.type])).toEqual([[contact, 'deal_to_contact'], [contact, 'champion']]);
  });
});

describe('pipelines, owners, teams', () => {
  it('serves deal pipelines with stage metadata as strings', async () => {
    const res = await hubspot(emu).crm.pipelines.pipelinesApi.getAll('deals');
    const stages = res.results[0]!.stages;
    expect(stages.find((s) => s.id === 'closedwon')).toMatchObject({ label: 'Closed Won', metadata: { isClosed: 'true', probability: '1' } });
    expect(stages.map((s) => s.displayOrder)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('pages owners with their teams; archived owners only on request; teams from the settings API', async () => {
    const owners = Array.from({ length: 7 }, (_, i) => emu.portal.addOwner({ email: `rep${i}@example.com`, firstName: 'Rep', lastName: String(i), archived: i === 6 }));
    emu.portal.addTeam('West', [owners[1]!.userIdIncludingInactive, owners[2]!.userIdIncludingInactive], [owners[0]!.userIdIncludingInactive]);
    const client = hubspot(emu);
    const page1 = await client.crm.owners.ownersApi.getPage(undefined, undefined, 4);
    const page2 = await client.crm.owners.ownersApi.getPage(undefined, page1.paging!.next!.after, 4);
    expect(page1.results).toHaveLength(4);
    expect(page2.results).toHaveLength(2);
    expect(page2.paging).toBeUndefined();
    expect(page1.results[1]!.teams).toEqual([expect.objectContaining({ name: 'West', primary: true })]);
    expect(page1.results[0]!.teams).toEqual([expect.objectContaining({ name: 'West', primary: false })]);
    const archived = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, true);
    expect(archived.results.map((o) => o.archived)).toEqual([true]);
    const teams = (await (await api(emu, '/settings/v3/users/teams')).json()) as { results: { name: string; userIds: string[]; secondaryUserIds: string[] }[] };
    expect(teams.results[0]).toMatchObject({ name: 'West', userIds: [String(owners[1]!.userIdIncludingInactive), String(owners[2]!.userIdIncludingInactive)], secondaryUserIds: [String(owners[0]!.userIdIncludingInactive)] });
  });
});
