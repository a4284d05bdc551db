// The default stage gates as package data: generated from the default playbook, loadable with `sf data tree import`,
// naming only fields the package has, and reading back into the very same playbook.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gateDataTree } from '../../server/src/crm/gate-data-tree.ts';
import { gateRecordsToPlaybook, playbookToGateRecords, ruleToFields, fieldsToRule } from '../../server/src/crm/gate-records.ts';
import { objectNamed, readObjects } from '../../server/src/metadata/force-app.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import type { Rule } from '../../shared/src/playbook/schema.ts';

const FORCE_APP = new URL('../../force-app', import.meta.url).pathname;
const committed = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../data/gates/${file}`, import.meta.url), 'utf8'));

describe('default gate data', () => {
  it('When the data plan is regenerated from the default playbook, then it equals the committed files (run scripts/gate-data.ts after changing the playbook)', () => {
    for (const [file, content] of Object.entries(gateDataTree(DEFAULT_PLAYBOOK))) expect(committed(file), file).toEqual(content);
  });

  it('When the records are checked against force-app, then every field exists on its object and every milestone resolves to a gate', () => {
    const objects = readObjects(FORCE_APP);
    for (const object of ['Stage_Gate__c', 'Gate_Milestone__c'] as const) {
      const fields = new Set(objectNamed(objects, object).fields.map((f) => f.apiName));
      const records = (committed(`${object}.json`) as { records: Record<string, unknown>[] }).records;
      for (const record of records) for (const name of Object.keys(record).filter((k) => k !== 'attributes')) expect(fields.has(name), `${object}.${name}`).toBe(true);
    }
    const refs = new Set((committed('Stage_Gate__c.json') as { records: { attributes: { referenceId: string } }[] }).records.map((r) => `@${r.attributes.referenceId}`));
    for (const m of (committed('Gate_Milestone__c.json') as { records: { Stage_Gate__c: string }[] }).records) expect(refs.has(m.Stage_Gate__c)).toBe(true);
  });

  it('When the Rule_Kind__c values are compared with the picklist in metadata, then every kind used is a valid value', () => {
    const picklist = objectNamed(readObjects(FORCE_APP), 'Gate_Milestone__c').fields.find((f) => f.apiName === 'Rule_Kind__c')!.values!.map((v) => v.apiName);
    for (const m of playbookToGateRecords(DEFAULT_PLAYBOOK).Gate_Milestone__c) expect(picklist).toContain(m.Rule_Kind__c);
  });
});

describe('gate records ⇄ playbook', () => {
  it('When the default playbook is written as records and read back, then it is the same playbook', () => {
    const records = playbookToGateRecords(DEFAULT_PLAYBOOK);
    const back = gateRecordsToPlaybook(records, DEFAULT_PLAYBOOK);
    expect(back.problems).toEqual([]);
    expect(back.playbook).toEqual(DEFAULT_PLAYBOOK);
  });

  it.each<Rule>([
    { kind: 'field', field: 'Amount', op: 'gte', value: 5000 },
    { kind: 'field', field: 'LeadSource', op: 'in', values: ['Web', 'Partner'] },
    { kind: 'activity', types: ['call', 'meeting'], atLeast: 2, window: 14 },
    { kind: 'meaningfulConversation', atLeast: 1, window: 30, minCallSeconds: 300 },
    { kind: 'any', rules: [{ kind: 'attested' }, { kind: 'executive', window: 30 }] },
  ])('When the rule %j is stored as plain fields and read back, then it is unchanged', (rule) => {
    expect(fieldsToRule(ruleToFields(rule))).toEqual(rule);
  });

  it('When one milestone record is broken, then it is reported against its Id and the rest of the playbook still applies', () => {
    const records = playbookToGateRecords(DEFAULT_PLAYBOOK);
    const broken = records.Gate_Milestone__c.find((m) => m.Milestone_Key__c === 'executive_engaged')!;
    broken.Id = 'a0B000000000001AAA';
    broken.Rule_Window_Days__c = 0;
    const back = gateRecordsToPlaybook(records, DEFAULT_PLAYBOOK);
    expect(back.problems).toEqual([{ object: 'Gate_Milestone__c', id: 'a0B000000000001AAA', message: 'rule.window: must be > 0' }]);
    const stage = back.playbook!.processes[0]!.stages.find((s) => s.name === 'Value Proposition')!;
    expect(stage.gate.milestones.map((m) => m.key)).toEqual(['outcomes_aligned']);
  });
});
