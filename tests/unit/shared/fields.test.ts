import { describe, expect, it } from 'vitest';
import { apiName, OWNED_FIELDS, ownedField } from '../../../shared/src/fields.ts';

describe('the owned field map', () => {
  it('When a field is owned, then the write guard finds it by object and API name', () => {
    expect(ownedField('Opportunity', 'Gate_Status__c')?.type).toBe('picklist');
    expect(ownedField('User', 'Coaching_Diagnosis__c')?.values).toContain('Skill');
  });

  it('When a field is not owned (a standard field, or an owned name on the wrong object), then the guard refuses it', () => {
    expect(ownedField('Opportunity', 'StageName')).toBeUndefined();
    expect(ownedField('User', 'Gate_Status__c')).toBeUndefined();
  });

  it('When a namespace is set, then it prefixes every API name in one place', () => {
    expect(apiName('Gate_Status__c', 'stgc')).toBe('stgc__Gate_Status__c');
    expect(apiName('Gate_Status__c', '')).toBe('Gate_Status__c');
  });

  it('When the contract is read, then it has the 14 Opportunity (Win_Probability__c and Last_Inspected__c included) and 10 User fields of ARCHITECTURE.md §4', () => {
    expect(OWNED_FIELDS.filter((f) => f.object === 'Opportunity')).toHaveLength(14);
    expect(OWNED_FIELDS.filter((f) => f.object === 'User')).toHaveLength(10);
  });
});
