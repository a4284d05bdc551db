import { describe, expect, it } from 'vitest';
import { NotOwnedFieldError, planWriteBack, type RecordValues } from '../../../shared/src/write-back/planner.ts';

const held = (id: string, values: Record<string, string | number | boolean | null>) => new Map([[`Opportunity:${id}`, values]]);
const opp = (id: string, values: RecordValues['values']): RecordValues => ({ object: 'Opportunity', id, values });

describe('write-back planner', () => {
  it('When every computed value equals the stored one, then nothing is planned', () => {
    const plan = planWriteBack([opp('A', { Stakeholders_Engaged__c: 2, Executive_Engaged__c: true })], held('A', { Stakeholders_Engaged__c: 2, Executive_Engaged__c: true }));
    expect(plan.records).toEqual([]);
    expect(plan.fieldsChanged).toBe(0);
  });

  it('When one value changed, then only that field is planned, with the as-of stamp riding along', () => {
    const plan = planWriteBack(
      [opp('A', { Stakeholders_Engaged__c: 3, Executive_Engaged__c: true, Indicators_As_Of__c: '2026-03-02T00:00:00.000Z' })],
      held('A', { Stakeholders_Engaged__c: 2, Executive_Engaged__c: true, Indicators_As_Of__c: '2026-03-01T00:00:00.000Z' }),
    );
    expect(plan.records[0]!.changes.map((c) => c.field)).toEqual(['Stakeholders_Engaged__c', 'Indicators_As_Of__c']);
    expect(plan.fieldsChanged).toBe(2);
  });

  it('When only the as-of stamp differs, then nothing is written', () => {
    const plan = planWriteBack([opp('A', { Days_In_Stage__c: 4, Indicators_As_Of__c: '2026-03-02T00:00:00.000Z' })], held('A', { Days_In_Stage__c: 4, Indicators_As_Of__c: '2026-03-01T00:00:00.000Z' }));
    expect(plan.records).toEqual([]);
  });

  it('When values differ only in representation, then they are equal (type-aware)', () => {
    const plan = planWriteBack(
      [opp('A', { Gate_Score__c: 66.666, Executive_Engaged__c: false, Deal_Risk_Flags__c: 'Stalled;Single_Threaded', Gate_Checklist__c: '{"b":1,"a":[1,2]}', Days_In_Stage__c: 3 })],
      held('A', { Gate_Score__c: 66.67, Executive_Engaged__c: null, Deal_Risk_Flags__c: 'Single_Threaded;Stalled', Gate_Checklist__c: '{"a":[1,2],"b":1}', Days_In_Stage__c: '3' as unknown as number }),
    );
    expect(plan.records).toEqual([]);
  });

  it('When a date-time differs below the second, then it is equal; at a second, it changes', () => {
    const same = planWriteBack([opp('A', { Indicators_As_Of__c: '2026-03-01T10:00:00.900Z', Days_In_Stage__c: 1 })], held('A', { Indicators_As_Of__c: '2026-03-01T10:00:00.000+0000', Days_In_Stage__c: 2 }));
    expect(same.records[0]!.changes.map((c) => c.field)).toEqual(['Days_In_Stage__c']);
  });

  it('When a number becomes 0 from empty, then that is a change (0 is a value, not a blank)', () => {
    const plan = planWriteBack([opp('A', { Stakeholders_Engaged__c: 0 })], new Map());
    expect(plan.records[0]!.changes).toEqual([{ field: 'Stakeholders_Engaged__c', from: null, to: 0 }]);
  });

  it('When a plan would write a field Stagecraft does not own, then it refuses', () => {
    expect(() => planWriteBack([opp('A', { StageName: 'Closed Won' })], new Map())).toThrow(NotOwnedFieldError);
    expect(() => planWriteBack([{ object: 'User', id: 'U', values: { Gate_Status__c: 'Met' } }], new Map())).toThrow(/User.Gate_Status__c/);
  });
});
