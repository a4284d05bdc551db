// The package's own objects and every field agreed in package-objects.md exist, with the agreed types and sizes.
import { describe, expect, it } from 'vitest';
import { objectNamed, readObjects } from '../../server/src/metadata/force-app.ts';
import { FORCE_APP, PACKAGE_OBJECTS, PACKAGE_OBJECT_FIELDS } from './expected.ts';

const objects = readObjects(FORCE_APP);

describe('package objects', () => {
  it.each(Object.entries(PACKAGE_OBJECTS))('When %s is read, then it is deployed with its label, sharing model and Name field', (apiName, want) => {
    const object = objectNamed(objects, apiName);
    expect(object.custom).toBe(true);
    expect(object.label).toBe(want.label);
    expect(object.deploymentStatus).toBe('Deployed');
    expect(object.sharingModel).toBe(want.sharingModel);
    expect(object.description?.length ?? 0).toBeGreaterThan(40);
    const name = object.fields.find((f) => f.isNameField);
    expect(name?.type).toBe(want.nameType);
  });

  it('When the attestation Name is read, then it is the ATT- auto number', () => {
    const name = objectNamed(objects, 'Milestone_Attestation__c').fields.find((f) => f.isNameField);
    expect(name).toMatchObject({ apiName: 'Name', type: 'AutoNumber', displayFormat: 'ATT-{000000}' });
  });

  it.each(PACKAGE_OBJECT_FIELDS.map((f) => [`${f.object}.${f.name}`, f]))('When %s is looked up, then it exists as agreed', (_n, want) => {
    const field = objectNamed(objects, want.object).fields.find((f) => f.apiName === want.name);
    expect(field, `${want.object}.${want.name} missing`).toBeDefined();
    expect(field!.type).toBe(want.type);
    if (want.length !== undefined) expect(field!.length).toBe(want.length);
    if (want.precision !== undefined) expect([field!.precision, field!.scale]).toEqual([want.precision, want.scale]);
    if (want.values) expect(field!.values?.map((v) => v.apiName)).toEqual(want.values);
    if (want.values) expect(field!.restricted).toBe(true);
    expect(field!.externalId).toBe(want.externalId ?? false);
    expect(field!.unique).toBe(want.unique ?? false);
    expect(field!.required).toBe(want.required ?? false);
    if (want.referenceTo) expect([field!.referenceTo, field!.relationshipName]).toEqual([want.referenceTo, want.relationshipName]);
    expect(Boolean(field!.formula)).toBe(want.formula ?? false);
    expect(field!.label.length).toBeLessThanOrEqual(40);
    expect(field!.inlineHelpText?.length ?? 0).toBeGreaterThan(5);
    expect(field!.description?.length ?? 0).toBeGreaterThan(5);
  });

  it('When the package objects are read, then they hold no field the agreement does not name', () => {
    const agreed = new Set(PACKAGE_OBJECT_FIELDS.map((f) => `${f.object}.${f.name}`));
    const extra = objects
      .filter((o) => o.apiName in PACKAGE_OBJECTS)
      .flatMap((o) => o.fields.filter((f) => !f.isNameField).map((f) => `${o.apiName}.${f.apiName}`))
      .filter((n) => !agreed.has(n));
    expect(extra).toEqual([]);
  });

  it('When the peer comparison formula is read, then it compares the score with the peer median', () => {
    const formula = objectNamed(objects, 'Rep_Scorecard__c').fields.find((f) => f.apiName === 'Below_Peers_Executive_Access__c')?.formula;
    expect(formula?.replace(/\s+/g, ' ')).toBe('Executive_Access_Score__c < Executive_Access_Peer_Median__c');
  });

  it('When the defaults are read, then a new gate is active with a stall factor of 2 and a new review is a draft', () => {
    const gate = objectNamed(objects, 'Stage_Gate__c').fields;
    expect(gate.find((f) => f.apiName === 'Active__c')?.defaultValue).toBe('true');
    expect(gate.find((f) => f.apiName === 'Stall_Factor__c')?.defaultValue).toBe('2');
    const status = objectNamed(objects, 'Quarterly_Review__c').fields.find((f) => f.apiName === 'Status__c');
    expect(status?.values?.filter((v) => v.isDefault).map((v) => v.apiName)).toEqual(['Draft']);
  });
});
