// Field rules on any Opportunity field: standard ones the model does not map (Type) and custom ones come from
// customFields; a tracked field is judged as it was at the moment, from field history (just before, at, just after a
// change); and the playbook helpers name the fields a CRM read must add and the ones it lacks.
import { describe, expect, it } from 'vitest';
import { milestoneVerdicts } from '../../../shared/src/engine/gates.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { dealRecords } from '../../../shared/src/engine/rules.ts';
import { extraRuleFields, missingFieldProblems } from '../../../shared/src/playbook/fields.ts';
import type { Stage } from '../../../shared/src/playbook/schema.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { qualificationPlaybook } from '../../support/qualification-org.ts';
import { buildDeal, buildSnapshot, daysBefore } from '../../support/builders.ts';

const stage = (rule: object): Stage => ({ name: 'Qualification', closed: false, won: false, gate: { milestones: [{ key: 'm', label: 'M', required: true, weight: 1, rule, guidance: 'g', coachingQuestions: [], attestable: false }] } }) as Stage;

const metAt = (snapshot: ReturnType<typeof buildSnapshot>, rule: object, at: string): boolean => {
  const index = buildOrgIndex(snapshot);
  const deal = dealRecords(snapshot.opportunities[0]!, index);
  return milestoneVerdicts(stage(rule), deal, index, DEFAULT_PLAYBOOK.settings, Date.parse(at), Date.parse(daysBefore(90)))[0]!.met;
};

describe('field rules on any Opportunity field', () => {
  it('When a rule names Type or a custom field, then the value comes from the deal\'s customFields', () => {
    const snapshot = buildSnapshot({ opportunities: [buildDeal({ customFields: { Type: 'New Business', Budget_Confirmed__c: true, Seats__c: 120 } })] });
    expect(metAt(snapshot, { kind: 'field', field: 'Type', op: 'equals', value: 'New Business' }, daysBefore(0))).toBe(true);
    expect(metAt(snapshot, { kind: 'field', field: 'Budget_Confirmed__c', op: 'equals', value: true }, daysBefore(0))).toBe(true);
    expect(metAt(snapshot, { kind: 'field', field: 'Seats__c', op: 'gte', value: 120 }, daysBefore(0))).toBe(true);
    expect(metAt(snapshot, { kind: 'field', field: 'Seats__c', op: 'gte', value: 121 }, daysBefore(0))).toBe(false);
  });

  it('When field history tracks the field, then the value is the one in force at the moment: before, at and after a change', () => {
    const deal = buildDeal({ customFields: { Budget_Confirmed__c: true } });
    const changedAt = daysBefore(10);
    const snapshot = buildSnapshot({ opportunities: [deal], fieldHistory: [{ id: '017000000000001', opportunityId: deal.id, field: 'Budget_Confirmed__c', oldValue: 'false', newValue: 'true', createdDate: changedAt }] });
    const rule = { kind: 'field', field: 'Budget_Confirmed__c', op: 'equals', value: true };
    expect(metAt(snapshot, rule, new Date(Date.parse(changedAt) - 1).toISOString())).toBe(false);
    expect(metAt(snapshot, rule, changedAt)).toBe(true);
    expect(metAt(snapshot, rule, daysBefore(0))).toBe(true);
  });

  it('When the playbook names fields, then the read adds those beyond the model and names those the org lacks', () => {
    const playbook = qualificationPlaybook({ extraField: 'MEDDICC_Champion__c' });
    expect(extraRuleFields(playbook)).toEqual(['Budget_Confirmed__c', 'Decision_Process_Mapped__c', 'MEDDICC_Champion__c', 'Type']);
    expect(extraRuleFields(DEFAULT_PLAYBOOK)).toEqual([]);
    const problems = missingFieldProblems(playbook, ['budget_confirmed__c', 'Decision_Process_Mapped__c', 'Type']);
    expect(problems.map((p) => [p.field, p.milestoneKey, p.stage])).toEqual([['MEDDICC_Champion__c', 'champion', 'Qualification']]);
  });
});
