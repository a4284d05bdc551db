// `stagecraft sync` on the embedded org: values written, nothing unchanged written, dry runs write nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const AS_OF = '2026-03-01T00:00:00.000Z';

const fixtureOrg = (): OrgStore => {
  const file = join(tempDir(), 'org.sqlite');
  importFolder(FIXTURE_DIR, file, new Date(AS_OF));
  const store = OrgStore.open(file);
  // Activity on one deal, so engagement is not all zero: a VP met 3 days ago, and a follow-up task next week.
  store.insert('Event', [{ Id: '00U000000000001AAA', WhoId: '003bm00000zaptiAAA', WhatId: '006bm00000LKJNNAA5', ActivityDateTime: '2026-02-26T15:00:00.000Z', Subject: 'Discovery' }]);
  store.insert('Task', [{ Id: '00T000000000001AAA', WhoId: '003bm00000zapthAAA', WhatId: '006bm00000LKJNNAA5', ActivityDate: '2026-03-04', Status: 'Not Started', IsClosed: false, Subject: 'Follow up' }]);
  store.update('Opportunity', '006bm00000LKJNNAA5', { NextStep: 'Pricing call with the CFO' });
  return store;
};

describe('sync on the embedded org', () => {
  it('When the org is synced, then the four indicators and the as-of stamp are written to open deals', async () => {
    const store = fixtureOrg();
    const summary = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(summary.indicatorsComputed.opportunities).toBe(16);
    expect(summary.written?.recordsWritten).toBe(16);
    expect(store.get('Opportunity', '006bm00000LKJNNAA5')).toMatchObject({
      Stakeholders_Engaged__c: 1,
      Executive_Engaged__c: true, // Sean Forbes, CFO
      Next_Step_Set__c: true,
      Days_In_Stage__c: 6, // CreatedDate 2026-02-23, history row 2026-02-23 20:55 → 6 calendar days to 2026-03-01
      Indicators_As_Of__c: AS_OF,
    });
    store.close();
  });

  it('When the org is synced a second time with nothing changed, then 0 fields are written', async () => {
    const store = fixtureOrg();
    await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    const second = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(second.plan.fieldsChanged).toBe(0);
    expect(second.written).toBeNull();
    store.close();
  });

  it('When a day passes, then only Days_In_Stage__c and its stamp change', async () => {
    const store = fixtureOrg();
    await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    const next = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: '2026-03-02T00:00:00.000Z', dryRun: true });
    const fields = new Set(next.plan.records.flatMap((r) => r.changes.map((c) => c.field)));
    // Days in stage moves with the calendar, and the checklist's evidence says how long ago things happened.
    expect([...fields].every((f) => ['Days_In_Stage__c', 'Indicators_As_Of__c', 'Gate_Checklist__c', 'Next_Best_Action__c', 'Deal_Risk_Flags__c', 'Gate_Status__c'].includes(f))).toBe(true);
    expect(fields.has('Days_In_Stage__c')).toBe(true);
    expect(fields.has('Stakeholders_Engaged__c')).toBe(false);
    store.close();
  });

  it('When it is a dry run, then the plan is returned and nothing is written', async () => {
    const store = fixtureOrg();
    const summary = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, dryRun: true });
    expect(summary.plan.fieldsChanged).toBeGreaterThan(0);
    expect(summary.written).toBeNull();
    expect(store.all('Opportunity').every((o) => o.Indicators_As_Of__c === null)).toBe(true);
    store.close();
  });
});
