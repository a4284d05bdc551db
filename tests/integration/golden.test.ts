// The golden test of the sync path: the streamed, scoped read (only the activities the computation needs) and the
// incremental recompute must write exactly what a whole-org read writes — every owned field of every deal, user,
// weekly scorecard and quarterly review, checklists included — on the demo org and on a generated Salesforce export.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeExportOrg } from '../../bench/export-org.ts';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { seedDemoOrg } from '../../server/src/crm/embedded/demo/seed.ts';
import { OBJECTS, type SfObjectName } from '../../server/src/crm/sobjects.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import type { CrmAdapter } from '../../server/src/crm/port.ts';
import { composeCompanion } from '../../server/src/composition.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { OWNED_FIELDS, REP_SCORECARD_FIELDS } from '../../shared/src/fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { isoWeek } from '../../shared/src/engine/scorecard-fields.ts';
import { tempDir } from '../support/org-files.ts';

const AS_OF = '2026-03-02T12:00:00.000Z';

/** The reference: every record of the org read, the way the sync read before it was scoped. */
const wholeOrg = (store: OrgStore): CrmAdapter => {
  const inner = new EmbeddedAdapter(store);
  return { name: 'embedded', read: (readAt, onProgress) => inner.read(readAt, onProgress), write: (plan) => inner.write(plan), close: () => inner.close() };
};

/** Every value Stagecraft owns in an org, keyed by record (scorecards by their key: their ids are made on insert). */
const ownedState = (store: OrgStore): Map<string, unknown> => {
  const state = new Map<string, unknown>();
  const fieldsOf = (object: SfObjectName): string[] => OBJECTS[object].map((f) => f.name).filter((name) => OWNED_FIELDS.some((o) => o.object === object && o.name === name));
  for (const object of ['Opportunity', 'User'] as const) {
    for (const r of store.all(object)) for (const f of fieldsOf(object)) state.set(`${object}:${String(r.Id)}:${f}`, r[f] ?? null);
  }
  for (const r of store.all('Rep_Scorecard__c')) for (const f of Object.values(REP_SCORECARD_FIELDS)) state.set(`Rep_Scorecard__c:${String(r.Scorecard_Key__c)}:${f.name}`, r[f.name] ?? null);
  for (const r of store.all('Quarterly_Review__c')) state.set(`Quarterly_Review__c:${String(r.Id)}:Measured_Actuals__c`, r.Measured_Actuals__c ?? null);
  return state;
};

const expectSameState = (actual: OrgStore, expected: OrgStore): number => {
  const a = ownedState(actual);
  const e = ownedState(expected);
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  const differing = [...e].filter(([key, value]) => a.get(key) !== value).map(([key]) => key);
  expect(differing.slice(0, 5)).toEqual([]);
  return a.size;
};

/** Two copies of one org: the one the product syncs, and the reference. */
const twins = (file: string): { product: OrgStore; reference: OrgStore } => {
  const copy = file.replace(/\.sqlite$/, '-reference.sqlite');
  copyFileSync(file, copy);
  return { product: OrgStore.open(file), reference: OrgStore.open(copy) };
};

describe('the golden test: scoped and incremental syncs write what a whole-org read writes', () => {
  let generatedFile: string;
  beforeAll(async () => {
    // Made here, not with tempDir (which empties after each test): every test below starts from this org.
    const dir = mkdtempSync(join(tmpdir(), 'golden-export-'));
    // A generated Salesforce export whose knobs are sizes and rates, nothing tuned to the rules under test.
    await writeExportOrg(dir, { deals: 1500, activities: 30_000, reps: 24, contacts: 3000, now: AS_OF, seed: 11 });
    generatedFile = join(dir, 'org.sqlite');
    importFolder(dir, generatedFile, new Date(AS_OF));
  }, 400_000);

  it('When the demo org is synced, then every owned value equals the whole-org reference, checklists and scorecards included', async () => {
    const file = join(tempDir('golden-demo'), 'org.sqlite');
    seedDemoOrg(file, new Date(AS_OF));
    const { product, reference } = twins(file);
    const ours = await runSync({ adapter: new EmbeddedAdapter(product), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 6 });
    const theirs = await runSync({ adapter: wholeOrg(reference), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 6 });
    expect(ours.plan.fieldsChanged).toBe(theirs.plan.fieldsChanged);
    expect(ours.dataQuality).toEqual(theirs.dataQuality);
    expect(expectSameState(product, reference)).toBeGreaterThan(30_000);
    product.close();
    reference.close();
  }, 240_000);

  it('When a generated export is synced, then every owned value equals the whole-org reference', async () => {
    const file = join(tempDir('golden-generated'), 'org.sqlite');
    copyFileSync(generatedFile, file);
    const { product, reference } = twins(file);
    const ours = await runSync({ adapter: new EmbeddedAdapter(product), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 6 });
    await runSync({ adapter: wholeOrg(reference), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 6 });
    expect(ours.indicatorsComputed.opportunities).toBeGreaterThan(200);
    expectSameState(product, reference);
    product.close();
    reference.close();
  }, 240_000);

  it('When deals change between syncs, then the incremental recompute writes what a full sync writes, and only for them', async () => {
    const dir = tempDir('golden-incremental');
    const file = join(dir, 'org.sqlite');
    copyFileSync(generatedFile, file);
    const companion = composeCompanion({ dataDir: dir, orgFile: file });
    const first = await syncOrg(companion, { asOf: AS_OF });
    expect(first.kind).toBe('done');
    // What a user does in the CRM: a call logged on one deal, a next step on another, a contact's new title, a deal
    // moved to the next stage with its history row.
    const org = companion.org();
    const open = org.all('Opportunity').filter((o) => o.IsClosed === false).slice(0, 3);
    org.insert('Task', [{ Id: '00T0000000GOLD1AAA', WhatId: String(open[0]!.Id), OwnerId: String(open[0]!.OwnerId), WhoId: null, ActivityDate: '2026-03-02', Status: 'Completed', IsClosed: true, TaskSubtype: 'Call', CallDurationInSeconds: 400, Subject: 'Call', CreatedDate: '2026-03-02T09:00:00.000Z' }]);
    org.update('Opportunity', String(open[1]!.Id), { NextStep: 'Security review with IT', StageName: 'Needs Analysis' });
    org.insert('OpportunityHistory', [{ Id: '0080000000GOLD1AAA', OpportunityId: String(open[1]!.Id), StageName: 'Needs Analysis', CreatedDate: '2026-03-02T10:00:00.000Z' }]);
    const role = org.all('OpportunityContactRole').find((r) => r.OpportunityId === open[2]!.Id);
    if (role) org.update('Contact', String(role.ContactId), { Title: 'Chief Financial Officer' });
    const copy = join(dir, 'reference.sqlite');
    org.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    copyFileSync(file, copy);

    const incremental = await syncOrg(companion, { asOf: AS_OF, incremental: true });
    expect(incremental.kind === 'done' && incremental.summary.mode).toBe('incremental');
    const recomputed = incremental.kind === 'done' ? incremental.changes!.dealIds : [];
    for (const deal of open) expect(recomputed).toContain(String(deal.Id));

    const reference = OrgStore.open(copy);
    // Org-level facts (raised flags, the win model) are learned on full syncs and reused in between: the reference
    // full sync is given the same ones — a changed contact title may move the model a little, by design, until the next
    // full sync relearns it.
    const facts = (await companion.state.facts(companion.tenant()))!;
    await runSync({ adapter: wholeOrg(reference), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 6, closedDealFacts: { raisedFlags: new Set(facts.raisedFlags), winModel: facts.winModel! } });
    // Every deal's fields now equal a full sync's. (The owners' scorecards are compared in the next test: a new contact
    // title moves other reps' executive signals too, which only a full sync rescores.)
    const deals = (s: OrgStore): Map<string, unknown> => new Map([...ownedState(s)].filter(([k]) => k.startsWith('Opportunity:')));
    const ours = deals(org);
    const theirs = deals(reference);
    expect([...theirs].filter(([k, v]) => ours.get(k) !== v).map(([k]) => k)).toEqual([]);
    // A second incremental sync with nothing changed reads nothing and writes nothing.
    const again = await syncOrg(companion, { asOf: AS_OF, incremental: true });
    expect(again.kind === 'done' && [again.changes?.dealIds.length, again.summary.plan.fieldsChanged]).toEqual([0, 0]);
    // What every sync has read is pruned from the change log: it does not grow with each edit forever.
    expect(org.changesSince(0)).toEqual([]);
    reference.close();
    await companion.close();
  }, 240_000);

  it('When one call is logged on one deal, then that deal and its owner\'s scorecard equal a full sync\'s, and nothing else is written', async () => {
    const dir = tempDir('golden-rep');
    const file = join(dir, 'org.sqlite');
    copyFileSync(generatedFile, file);
    const companion = composeCompanion({ dataDir: dir, orgFile: file });
    expect((await syncOrg(companion, { asOf: AS_OF })).kind).toBe('done');
    const org = companion.org();
    const deal = org.all('Opportunity').find((o) => o.IsClosed === false && o.OwnerId)!;
    const owner = String(deal.OwnerId);
    const before = ownedState(org);
    org.insert('Task', [{ Id: '00T0000000GOLD2AAA', WhatId: String(deal.Id), OwnerId: owner, WhoId: null, ActivityDate: '2026-03-02', Status: 'Completed', IsClosed: true, TaskSubtype: 'Call', CallDurationInSeconds: 900, Subject: 'Call', CreatedDate: '2026-03-02T09:00:00.000Z' }]);
    const copy = join(dir, 'reference.sqlite');
    org.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    copyFileSync(file, copy);

    const incremental = await syncOrg(companion, { asOf: AS_OF, incremental: true });
    if (incremental.kind !== 'done') throw new Error('not done');
    expect(incremental.changes!.dealIds).toEqual([String(deal.Id)]);
    expect(incremental.summary.indicatorsComputed).toMatchObject({ opportunities: 1, reps: 1 });
    // Written: that deal, its owner's User fields, this period's scorecard (and the owner's review): nothing else.
    const after = ownedState(org);
    const touched = new Set([...after].filter(([k, v]) => before.get(k) !== v).map(([k]) => k.slice(0, k.lastIndexOf(':'))));
    const scorecardRecord = `Rep_Scorecard__c:${owner}:${isoWeek(Date.parse(AS_OF)).period}`;
    expect([...touched].every((k) => k === `Opportunity:${String(deal.Id)}` || k === `User:${owner}` || k.startsWith(`Rep_Scorecard__c:${owner}:`) || k.startsWith('Quarterly_Review__c:'))).toBe(true);
    expect(touched).toContain(scorecardRecord);

    // The reference: a full sync of the same org with the same learned facts. The deal, the owner's User fields and
    // the owner's current scorecard are the same, value for value (other reps' scorecards move against the rep's new
    // value in a full sync: they are rescored at the next one).
    const reference = OrgStore.open(copy);
    const facts = (await companion.state.facts(companion.tenant()))!;
    await runSync({ adapter: wholeOrg(reference), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 6, closedDealFacts: { raisedFlags: new Set(facts.raisedFlags), winModel: facts.winModel! } });
    const theirs = ownedState(reference);
    const compared = [...theirs].filter(([k]) => k.startsWith(`Opportunity:${String(deal.Id)}:`) || k.startsWith(`User:${owner}:`) || k.startsWith(`${scorecardRecord}:`));
    expect(compared.length).toBeGreaterThan(30);
    expect(compared.filter(([k, v]) => after.get(k) !== v).map(([k]) => k)).toEqual([]);
    reference.close();
    await companion.close();
  }, 240_000);
});
