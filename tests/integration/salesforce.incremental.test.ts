// Five consecutive incremental syncs against the emulator, with the org changing in between as real orgs do — records
// created, updated, deleted and undeleted, a user deactivated, a record committed behind the advanced cursor — each
// ending in the state a full sync computes, with no error (issue 11: every second sync used to fail on User.IsDeleted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesforceAdapter } from '../../server/src/crm/salesforce/adapter.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import type { OrgSnapshot } from '../../shared/src/model.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, AS_OF, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';

let emu: SalesforceEmulator;
let dir: string;
const adapters: SalesforceAdapter[] = [];
const fresh = (at: string): SalesforceAdapter => {
  const a = adapterFor(emu, at);
  adapters.push(a);
  return a;
};

const sortById = <T extends { id: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const canonical = (s: OrgSnapshot): Record<string, unknown> =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, sortById(v as { id: string }[])]));

/** The latest SystemModstamp of an object: where an incremental read's cursor stands after reading it. */
const cursorOf = (object: string): number => Math.max(...emu.org.all(object, { includeDeleted: true }).map((r) => Date.parse(String(r.SystemModstamp))));

beforeAll(async () => {
  emu = await emulatorWith(demoSlice(3));
  dir = tempDir();
  const first = await runSync({ adapter: fresh(dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
  expect(first.written?.failures ?? []).toEqual([]);
}, 400_000);

afterAll(async () => {
  for (const a of adapters) await a.close();
  await emu?.stop();
});

/** One incremental sync, then proof it left the org as a full sync would: same snapshot read, nothing left to write. */
const incrementalThenCompare = async (): Promise<SyncSummary> => {
  emu.resetCalls();
  const summary = await runSync({ adapter: fresh(dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
  expect(summary.written?.failures ?? []).toEqual([]);
  expect(emu.callCounts().describe).toBe(0); // incremental: no describe, no full re-read
  expect(emu.calls.filter((c) => c.status >= 400)).toEqual([]);

  const incrementalRead = await fresh(dir).read(AS_OF);
  const fullRead = await fresh(tempDir()).read(AS_OF);
  expect(canonical(incrementalRead.snapshot)).toEqual(canonical(fullRead.snapshot));
  const full = await runSync({ adapter: fresh(tempDir()), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, dryRun: true });
  expect(full.plan.records.map((r) => `${r.object}:${r.id}:${r.changes.map((c) => c.field).join(',')}`)).toEqual([]);
  return summary;
};

const openDealWithContact = (skip = 0): { deal: string; contact: string; owner: string } => {
  const deals = emu.org.all('Opportunity').filter((o) => !o.IsClosed);
  const withContacts = deals.filter((o) => emu.org.all('Contact').some((c) => c.AccountId === o.AccountId));
  const o = withContacts[skip]!;
  return { deal: o.Id, contact: emu.org.all('Contact').find((c) => c.AccountId === o.AccountId)!.Id, owner: String(o.OwnerId) };
};

describe('five consecutive incremental syncs against the emulator', () => {
  it('When records are created and updated between syncs, then the incremental sync ends where a full sync does', async () => {
    const { deal, contact } = openDealWithContact(0);
    emu.org.set('Contact', contact, { Title: 'Chief Financial Officer' });
    emu.org.set('Opportunity', deal, { NextStep: 'Send the business case' });
    emu.org.insert('Task', { Subject: 'Call', WhoId: contact, WhatId: deal, ActivityDate: '2026-11-21', Status: 'Completed', TaskSubtype: 'Call', CallDurationInSeconds: 600, CallDisposition: 'Connected', CreatedDate: '2026-11-21T10:00:00.000Z' });
    const summary = await incrementalThenCompare();
    expect(summary.plan.records.some((r) => r.object === 'Opportunity' && r.id === deal)).toBe(true);
    expect(emu.org.get('Opportunity', deal)!.Executive_Engaged__c).toBe(true);
  }, 60_000);

  it('When records are deleted between syncs, then they drop out as in a full sync', async () => {
    const { deal } = openDealWithContact(0);
    const task = emu.org.all('Task').find((t) => t.WhatId === deal && t.Subject === 'Call' && t.CallDisposition === 'Connected')!;
    emu.org.delete('Task', task.Id);
    const role = emu.org.all('OpportunityContactRole')[0];
    if (role) emu.org.delete('OpportunityContactRole', role.Id);
    const summary = await incrementalThenCompare();
    expect(summary.recordsRead.Task).toBeGreaterThanOrEqual(1);
    expect(emu.org.get('Opportunity', deal)!.Executive_Engaged__c).toBe(false);
  }, 60_000);

  it('When a deleted record is undeleted and a user deactivated, then both show as in a full sync', async () => {
    const { deal, owner } = openDealWithContact(0);
    const task = emu.org.all('Task', { includeDeleted: true }).find((t) => t.IsDeleted && t.WhatId === deal)!;
    emu.org.undelete('Task', task.Id);
    emu.org.set('User', owner, { IsActive: false });
    const summary = await incrementalThenCompare();
    expect(summary.recordsRead.User).toBeGreaterThanOrEqual(1);
    expect(emu.org.get('Opportunity', deal)!.Executive_Engaged__c).toBe(true);
  }, 60_000);

  it('When a record commits behind the advanced cursor, then the lookback window still reads it', async () => {
    const { deal, contact } = openDealWithContact(1);
    // Committed a minute before the newest Event the last sync read: a cursor-only read would miss it.
    const behind = new Date(cursorOf('Event') - 60_000).toISOString();
    emu.org.insert('Event', { Subject: 'Meeting', WhoId: contact, WhatId: deal, ActivityDateTime: '2026-11-20T15:00:00.000Z', DurationInMinutes: 60, CreatedDate: '2026-11-19T10:00:00.000Z', SystemModstamp: behind });
    const summary = await incrementalThenCompare();
    // The snapshot comparison above holds the meeting (a full read sees it); the incremental read did too.
    expect(summary.recordsRead.Event).toBeGreaterThanOrEqual(1);
    expect(Number(emu.org.get('Opportunity', deal)!.Stakeholders_Engaged__c)).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('When the user is reactivated, a deal created and another deleted, then the fifth incremental sync still ends where a full sync does', async () => {
    const { owner, deal } = openDealWithContact(0);
    emu.org.set('User', owner, { IsActive: true });
    const account = emu.org.get('Opportunity', deal)!.AccountId;
    emu.org.insert('Opportunity', { Name: 'New deal', StageName: 'Qualification', CloseDate: '2026-12-31', AccountId: account, OwnerId: owner, CreatedDate: '2026-11-10T09:00:00.000Z' });
    const other = openDealWithContact(2).deal;
    emu.org.delete('Opportunity', other);
    const summary = await incrementalThenCompare();
    expect(summary.plan.records.some((r) => r.object === 'Opportunity' && emu.org.get('Opportunity', r.id)?.Name === 'New deal')).toBe(true);
  }, 60_000);
});
