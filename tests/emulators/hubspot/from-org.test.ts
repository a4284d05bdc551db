// The loader: an embedded (Salesforce-shaped) org becomes a portal with the same business facts, deal by deal.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SfObjectName } from '../../../server/src/crm/sobjects.ts';
import type { SfRecord } from '../../../server/src/crm/salesforce-shape.ts';
import { OrgStore } from '../../../server/src/crm/embedded/store.ts';
import { seedDemoOrg } from '../../../server/src/crm/embedded/demo/seed.ts';
import { tempDir } from '../../support/org-files.ts';
import { CALL_OUTCOMES, loadOrgIntoPortal, startHubSpotEmulator, type HubSpotEmulator } from './index.ts';
import { hubspot } from './helpers.ts';

let emu: HubSpotEmulator;
beforeEach(async () => {
  emu = await startHubSpotEmulator({ limits: { burst: 100_000, searchPerSecond: 100_000 } });
});
afterEach(async () => {
  await emu.stop();
});

const records: Partial<Record<SfObjectName, SfRecord[]>> = {
  User: [
    { Id: '005A', Name: 'Mia Manager', FirstName: 'Mia', LastName: 'Manager', Email: 'mia@example.com', IsActive: true, CreatedDate: '2024-01-01T00:00:00.000Z' },
    { Id: '005B', Name: 'Rex Rep', FirstName: 'Rex', LastName: 'Rep', Email: 'rex@example.com', ManagerId: '005A', IsActive: true },
    { Id: '005C', Name: 'Old Rep', FirstName: 'Old', LastName: 'Rep', Email: 'old@example.com', ManagerId: '005A', IsActive: false },
  ],
  Account: [{ Id: '001A', Name: 'Acme', Industry: 'Manufacturing', OwnerId: '005B', AnnualRevenue: 5_000_000, CreatedDate: '2025-01-01T00:00:00.000Z' }],
  Contact: [
    { Id: '003A', AccountId: '001A', FirstName: 'Ada', LastName: 'Ng', Title: 'VP Operations', Email: 'ada@acme.test' },
    { Id: '003B', AccountId: '001A', FirstName: 'Bo', LastName: 'Li', Title: 'IT Manager' },
  ],
  Opportunity: [{ Id: '006A', Name: 'Acme – Pro', AccountId: '001A', OwnerId: '005B', CreatedById: '005A', Sales_Process__c: 'Standard', StageName: 'Proposal/Price Quote', Amount: 120000, Probability: 50, CloseDate: '2026-06-30', CreatedDate: '2026-01-05T10:00:00.000Z', NextStep: 'Send proposal', IsClosed: false, IsWon: false }],
  OpportunityHistory: [
    { Id: '008A', OpportunityId: '006A', StageName: 'Qualification', CreatedDate: '2026-01-05T10:00:00.000Z', Amount: 90000, CloseDate: '2026-05-31' },
    { Id: '008B', OpportunityId: '006A', StageName: 'Qualification', CreatedDate: '2026-01-20T10:00:00.000Z', Amount: 100000, CloseDate: '2026-06-30' },
    { Id: '008C', OpportunityId: '006A', StageName: 'Needs Analysis', CreatedDate: '2026-02-01T10:00:00.000Z' },
    { Id: '008D', OpportunityId: '006A', StageName: 'Proposal/Price Quote', CreatedDate: '2026-03-01T10:00:00.000Z' },
  ],
  OpportunityContactRole: [
    { Id: '00KA', OpportunityId: '006A', ContactId: '003A', Role: 'Economic Buyer', IsPrimary: true },
    { Id: '00KB', OpportunityId: '006A', ContactId: '003B', Role: 'Technical Buyer', IsPrimary: false },
  ],
  Task: [
    { Id: '00TA', Subject: 'Call', WhoId: '003A', WhatId: '006A', AccountId: '001A', OwnerId: '005B', ActivityDate: '2026-03-10', Status: 'Completed', IsClosed: true, TaskSubtype: 'Call', Type: 'Call', CallDurationInSeconds: 420, CallDisposition: 'Connected - Follow Up', CallType: 'Outbound' },
    { Id: '00TB', Subject: 'Email', WhoId: '003B', WhatId: '006A', OwnerId: '005B', ActivityDate: '2026-03-11', Status: 'Completed', IsClosed: true, TaskSubtype: 'Email', Type: 'Email' },
    { Id: '00TC', Subject: 'Follow up', WhoId: '003A', WhatId: '006A', OwnerId: '005B', ActivityDate: '2026-04-10', Status: 'Not Started', IsClosed: false, TaskSubtype: 'Task', Type: 'Other' },
  ],
  Event: [
    { Id: '00UA', Subject: 'Demo', WhoId: '003A', WhatId: '006A', OwnerId: '005B', ActivityDateTime: '2026-03-15T14:00:00.000Z', DurationInMinutes: 60 },
    { Id: '00UB', Subject: 'Review', WhoId: '003B', WhatId: '006A', OwnerId: '005B', ActivityDateTime: '2026-04-15T14:00:00.000Z', DurationInMinutes: 30 },
  ],
};
const source = { all: (o: SfObjectName): SfRecord[] => records[o] ?? [] };

describe('loadOrgIntoPortal', () => {
  it('maps users, accounts, contacts, a deal with its stage history, roles and activities', async () => {
    const loaded = loadOrgIntoPortal(emu, source, { asOf: '2026-03-31T12:00:00.000Z' });
    const client = hubspot(emu);
    // Owners and the manager's team.
    const owners = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100);
    expect(owners.results.map((o) => o.email)).toEqual(['mia@example.com', 'rex@example.com']);
    expect(owners.results[1]!.teams).toEqual([expect.objectContaining({ name: 'Mia Manager team', primary: true })]);
    expect((await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, true)).results.map((o) => o.email)).toEqual(['old@example.com']);
    // The deal, its pipeline stage by label, its history and stage dates.
    const dealId = loaded.deals.get('006A')!;
    expect(loaded.salesforceIds.get(dealId)).toBe('006A');
    const deal = await client.crm.deals.basicApi.getById(dealId, ['dealname', 'amount', 'dealstage', 'closedate', 'hs_next_step', 'hubspot_owner_id', 'hs_created_by_user_id', 'createdate', `hs_v2_date_entered_${loaded.stageIds.get('Needs Analysis')}`], ['dealstage', 'amount', 'closedate']);
    expect(deal.properties).toMatchObject({ dealname: 'Acme – Pro', amount: '120000', dealstage: loaded.stageIds.get('Proposal/Price Quote'), closedate: '2026-06-30T00:00:00.000Z', hs_next_step: 'Send proposal', hubspot_owner_id: loaded.owners.get('005B'), hs_created_by_user_id: String(loaded.users.get('005A')), createdate: '2026-01-05T10:00:00.000Z' });
    expect(deal.properties[`hs_v2_date_entered_${loaded.stageIds.get('Needs Analysis')}`]).toBe('2026-02-01T10:00:00.000Z');
    // Repeated stage rows collapse to stage entries.
    expect(deal.propertiesWithHistory!.dealstage!.map((h) => [h.value, h.timestamp.toISOString()])).toEqual([
      [loaded.stageIds.get('Proposal/Price Quote'), '2026-03-01T10:00:00.000Z'], [loaded.stageIds.get('Needs Analysis'), '2026-02-01T10:00:00.000Z'], [loaded.stageIds.get('Qualification'), '2026-01-05T10:00:00.000Z'],
    ]);
    // Amount and close date changes from the same history rows.
    expect(deal.propertiesWithHistory!.amount!.map((h) => h.value)).toEqual(['120000', '100000', '90000']);
    expect(deal.propertiesWithHistory!.closedate!.map((h) => [h.value, h.timestamp.toISOString()])).toEqual([['2026-06-30T00:00:00.000Z', '2026-01-20T10:00:00.000Z'], ['2026-05-31T00:00:00.000Z', '2026-01-05T10:00:00.000Z']]);
    const pipeline = (await client.crm.pipelines.pipelinesApi.getAll('deals')).results[0]!;
    expect(pipeline.label).toBe('Standard');
    expect(pipeline.stages.map((s) => s.label)).toEqual(['Qualification', 'Needs Analysis', 'Proposal/Price Quote']);
    // Contact roles as labels.
    const roles = await client.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: dealId }] });
    expect(roles.results[0]!.to.map((t) => [String(t.toObjectId), t.associationTypes.find((a) => a.category === 'USER_DEFINED')?.label])).toEqual([[loaded.contacts.get('003A'), 'Economic Buyer'], [loaded.contacts.get('003B'), 'Technical Buyer']]);
    const contact = await client.crm.contacts.basicApi.getById(loaded.contacts.get('003A')!, ['jobtitle']);
    expect(contact.properties.jobtitle).toBe('VP Operations');
    // Activities: a call, an email, an open task, a held and a future meeting — each on the deal and its contact.
    expect(loaded.engagements.get('00TA')!.objectType).toBe('calls');
    const call = await client.crm.objects.calls.basicApi.getById(loaded.engagements.get('00TA')!.id, ['hs_call_duration', 'hs_call_disposition', 'hs_timestamp']);
    expect(call.properties).toMatchObject({ hs_call_duration: '420000', hs_call_disposition: CALL_OUTCOMES.connected, hs_timestamp: '2026-03-10T00:00:00.000Z' });
    expect(loaded.engagements.get('00TB')!.objectType).toBe('emails');
    const task = await client.crm.objects.tasks.basicApi.getById(loaded.engagements.get('00TC')!.id, ['hs_task_status', 'hs_timestamp']);
    expect(task.properties).toMatchObject({ hs_task_status: 'NOT_STARTED', hs_timestamp: '2026-04-10T00:00:00.000Z' });
    const meetings = await client.crm.objects.meetings.batchApi.read({ inputs: ['00UA', '00UB'].map((id) => ({ id: loaded.engagements.get(id)!.id })), properties: ['hs_meeting_outcome', 'hs_meeting_start_time', 'hs_meeting_end_time'], propertiesWithHistory: [] });
    expect(meetings.results.map((m) => m.properties.hs_meeting_outcome)).toEqual(['COMPLETED', 'SCHEDULED']);
    const onDeal = await client.crm.associations.v4.batchApi.getPage('deals', 'calls', { inputs: [{ id: dealId }] });
    expect(onDeal.results[0]!.to.map((t) => String(t.toObjectId))).toEqual([loaded.engagements.get('00TA')!.id]);
    const callContacts = await client.crm.associations.v4.batchApi.getPage('calls', 'contacts', { inputs: [{ id: loaded.engagements.get('00TA')!.id }] });
    expect(String(callContacts.results[0]!.to[0]!.toObjectId)).toBe(loaded.contacts.get('003A'));
  });

  it('loads the demo org: one deal per opportunity, every engagement kept, ids mapped both ways', () => {
    const file = join(tempDir('hs-demo'), 'org.db');
    seedDemoOrg(file, new Date('2026-03-31T12:00:00.000Z'));
    const store = OrgStore.open(file);
    try {
      const loaded = loadOrgIntoPortal(emu, store, { asOf: '2026-03-31T12:00:00.000Z' });
      expect(loaded.deals.size).toBe(store.count('Opportunity'));
      expect(emu.portal.recordsOf('deals').size).toBe(store.count('Opportunity'));
      expect(loaded.engagements.size).toBe(store.count('Task') + store.count('Event'));
      expect(loaded.contacts.size).toBe(store.count('Contact'));
      for (const [sf, hs] of loaded.deals) expect(loaded.salesforceIds.get(hs)).toBe(sf);
      const closedWon = emu.portal.stageOf(loaded.stageIds.get('Closed Won')!)!.stage;
      expect(closedWon.metadata).toEqual({ isClosed: 'true', probability: '1' });
    } finally {
      store.close();
    }
  });
});
