// `stagecraft sync --crm salesforce` against the emulator seeded with the full demo org: the same values as the
// embedded sync, nothing unchanged written, incremental reads, and API calls within their documented bounds.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { OBJECT_NAMES } from '../../server/src/crm/sobjects.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import type { SalesforceAdapter } from '../../server/src/crm/salesforce/adapter.ts';
import { READ_SPECS } from '../../server/src/crm/salesforce/objects.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import { normalise } from '../../shared/src/write-back/planner.ts';
import { OWNED_FIELDS, REP_SCORECARD_FIELDS } from '../../shared/src/fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { adapterFor, AS_OF, demoOrg, emulatorWith, ownedState, tempDir } from './salesforce.support.ts';

let emu: SalesforceEmulator;
let dir: string;
let first: SyncSummary;
let firstCalls: ReturnType<SalesforceEmulator['callCounts']>;
let readCalls: { object: string; calls: number }[];
let readObjects: { object: string; records: number }[];
const adapters: SalesforceAdapter[] = [];
const adapter = (): SalesforceAdapter => {
  const a = adapterFor(emu, dir);
  adapters.push(a);
  return a;
};

beforeAll(async () => {
  emu = await emulatorWith(demoOrg());
  dir = tempDir();
  readObjects = READ_SPECS.map((spec) => ({ object: spec.object, records: emu.org.all(spec.object).length }));
  emu.resetCalls();
  first = await runSync({ adapter: adapter(), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
  firstCalls = emu.callCounts();
  // Query calls per object: the first call names the object in its SOQL; queryMore pages follow it.
  readCalls = [];
  for (const call of emu.calls) {
    if (call.kind === 'query') readCalls.push({ object: '', calls: 1 });
    else if (call.kind === 'queryMore') readCalls.at(-1)!.calls++;
  }
}, 400_000);

afterAll(async () => {
  for (const a of adapters) await a.close();
  await emu?.stop();
});

describe('sync of the demo org through the Salesforce emulator', () => {
  it('When the demo org is synced through the API, then every owned value equals what the embedded sync writes', async () => {
    const store = OrgStore.create(join(tempDir(), 'org.sqlite'));
    for (const object of OBJECT_NAMES) store.insert(object, demoOrg()[object]);
    const embedded = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(first.indicatorsComputed.opportunities).toBe(embedded.indicatorsComputed.opportunities);
    expect(first.plan.records.length).toBe(embedded.plan.records.length);
    expect(first.written?.failures).toEqual([]);
    const remote = ownedState(emu);
    let compared = 0;
    for (const o of store.all('Opportunity')) {
      const held = remote.get(`Opportunity:${String(o.Id)}`)!;
      for (const field of OWNED_FIELDS.filter((f) => f.object === 'Opportunity')) {
        expect([String(o.Id), field.name, normalise(field, held[field.name] as never)]).toEqual([String(o.Id), field.name, normalise(field, o[field.name] ?? null)]);
        compared++;
      }
    }
    expect(compared).toBe(8800 * OWNED_FIELDS.filter((f) => f.object === 'Opportunity').length);
    // The reps' User fields and their scorecards (upserted by key) too.
    for (const u of store.all('User')) {
      const held = remote.get(`User:${String(u.Id)}`)!;
      for (const field of OWNED_FIELDS.filter((f) => f.object === 'User')) {
        expect([String(u.Id), field.name, normalise(field, held[field.name] as never)]).toEqual([String(u.Id), field.name, normalise(field, u[field.name] ?? null)]);
      }
    }
    const cards = new Map(emu.org.all('Rep_Scorecard__c').map((c) => [String(c.Scorecard_Key__c), c]));
    const local = store.all('Rep_Scorecard__c');
    expect(local.length).toBeGreaterThanOrEqual(30);
    expect(cards.size).toBe(local.length);
    for (const c of local) {
      const held = cards.get(String(c.Scorecard_Key__c))!;
      for (const field of Object.values(REP_SCORECARD_FIELDS)) {
        expect([c.Scorecard_Key__c, field.name, normalise(field, (held[field.name] ?? null) as never)]).toEqual([c.Scorecard_Key__c, field.name, normalise(field, c[field.name] ?? null)]);
      }
    }
    expect(embedded.plan.records.length).toBeGreaterThan(2000);
    store.close();
  }, 400_000);

  it('When the demo org is read in full, then each object costs at most ⌈records / 2,000⌉ query calls plus one describe per object', () => {
    // Every object read: ⌈records / 2,000⌉ pages, and one call for an empty one.
    const bound = readObjects.reduce((sum, o) => sum + Math.max(1, Math.ceil(o.records / 2000)), 0);
    expect(firstCalls.query + firstCalls.queryMore).toBeLessThanOrEqual(bound);
    // OpportunityFieldHistory is queried only for fields a rule names; the default playbook names none beyond the model's.
    expect(readCalls).toHaveLength(READ_SPECS.length - 1);
    expect(firstCalls.describe).toBe(READ_SPECS.length + 1); // describeGlobal + one per object
    // 2,089 changed deals exceed the Bulk threshold (2,000): one Bulk 2.0 job; the reps' User fields and their
    // scorecards are under it: one collection call each.
    const byObject = (o: string): number => first.plan.records.filter((r) => r.object === o).length;
    expect(byObject('Opportunity')).toBeGreaterThan(2000);
    const others = [...new Set(first.plan.records.map((r) => r.object))].filter((o) => o !== 'Opportunity');
    expect(others).toEqual(expect.arrayContaining(['User', 'Rep_Scorecard__c']));
    expect(firstCalls.collections).toBe(others.reduce((sum, o) => sum + Math.ceil(byObject(o) / 200), 0));
    expect(firstCalls.bulk).toBeGreaterThanOrEqual(4);
    expect(firstCalls.bulk).toBeLessThanOrEqual(10);
    expect(first.apiCalls?.total).toBe(firstCalls.total);
  });

  it('When it is synced a second time with nothing changed, then 0 records are written and only changes are read', async () => {
    emu.resetCalls();
    const second = await runSync({ adapter: adapter(), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(second.plan.records).toHaveLength(0);
    expect(second.written).toBeNull();
    const calls = emu.callCounts();
    expect(calls.collections + calls.bulk).toBe(0);
    expect(calls.describe).toBe(0);
    // Incremental: the deals the first sync wrote came back (their SystemModstamp moved), plus the few records inside
    // the 5-minute lookback behind each cursor — de-duplicated, so nothing is counted twice in the snapshot.
    const deals = first.plan.records.filter((r) => r.object === 'Opportunity').length;
    expect(second.recordsRead.Opportunity).toBeGreaterThanOrEqual(deals);
    expect(second.recordsRead.Opportunity).toBeLessThan(deals + 50);
    expect(second.recordsRead.Task).toBeLessThan(100);
    expect(calls.query).toBe(READ_SPECS.length - 1); // no OpportunityFieldHistory query: no rule names a tracked field
    expect(second.indicatorsComputed.opportunities).toBe(first.indicatorsComputed.opportunities);
  }, 60_000);

  it('When one deal\'s activity changes, then only that deal and rep scores are written, in one collection call per object', async () => {
    const deal = first.plan.records.find((r) => r.changes.some((c) => c.field === 'Stakeholders_Engaged__c' && c.to === 0))!;
    const account = emu.org.get('Opportunity', deal.id)!.AccountId as string;
    const contact = emu.org.all('Contact').find((c) => c.AccountId === account)!;
    // A VP call logged yesterday on that deal: one more stakeholder, an executive.
    emu.org.set('Contact', contact.Id, { Title: 'VP Sales' });
    emu.org.insert('Task', { Subject: 'Call', WhoId: contact.Id, WhatId: deal.id, ActivityDate: '2026-11-22', Status: 'Completed', TaskSubtype: 'Call', CreatedDate: '2026-11-22T10:00:00.000Z' });
    emu.resetCalls();
    const third = await runSync({ adapter: adapter(), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    // Of the deals, only that one; its rep's scores move, and with them peer-relative scores of the rep's peers.
    expect(third.plan.records.filter((r) => r.object === 'Opportunity').map((r) => r.id)).toEqual([deal.id]);
    const objects = new Set(third.plan.records.map((r) => r.object));
    expect([...objects].every((o) => ['Opportunity', 'User', 'Rep_Scorecard__c', 'Quarterly_Review__c'].includes(o))).toBe(true);
    const owner = String(emu.org.get('Opportunity', deal.id)!.OwnerId);
    expect(third.plan.records.some((r) => r.object === 'User' && r.id === owner)).toBe(true);
    // Same asOf as before: the stamp already holds it, so only indicators that depend on the new call travel.
    const fields = third.plan.records.find((r) => r.id === deal.id)!.changes.map((c) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['Executive_Engaged__c', 'Stakeholders_Engaged__c']));
    expect(fields).not.toContain('Days_In_Stage__c');
    expect(emu.org.get('Opportunity', deal.id)!.Stakeholders_Engaged__c).toBe(1);
    const calls = emu.callCounts();
    expect(calls.collections).toBe(objects.size);
    expect(third.written?.recordsWritten).toBe(third.plan.records.length);
  }, 60_000);
});
