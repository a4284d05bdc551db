// The four permission sets: people read what the companion writes but never edit it; the integration user is its single writer.
import { describe, expect, it } from 'vitest';
import { OWNED_FIELDS } from '../../shared/src/fields.ts';
import { readObjects, readPermissionSets, type PermissionSetDef } from '../../server/src/metadata/force-app.ts';
import { COMPANION_WRITTEN_FIELDS, FORCE_APP, PEOPLE_PERMISSION_SETS, PERMISSION_SETS, TABS } from './expected.ts';

const objects = readObjects(FORCE_APP);
const sets = readPermissionSets(FORCE_APP);
const set = (name: string): PermissionSetDef => {
  const found = sets.find((s) => s.name === name);
  if (!found) throw new Error(`no permission set ${name}`);
  return found;
};
const fieldPerm = (setName: string, field: string) => set(setName).fieldPermissions.find((p) => p.field === field);
const objectPerm = (setName: string, object: string) => set(setName).objectPermissions.find((p) => p.object === object);
const fields = objects.flatMap((o) => o.fields.filter((f) => !f.isNameField).map((f) => ({ object: o.apiName, name: `${o.apiName}.${f.apiName}`, field: f })));
const grantable = fields.filter((f) => !f.field.formula && !f.field.required);
const written = new Set([...OWNED_FIELDS.map((f) => `${f.object}.${f.name}`), ...COMPANION_WRITTEN_FIELDS]);

describe('permission sets', () => {
  it('When the permission sets are read, then there are the four, each labelled and described', () => {
    expect(sets.map((s) => s.name)).toEqual([...PERMISSION_SETS]);
    for (const s of sets) {
      expect(s.label).toMatch(/^Stagecraft /);
      expect(s.description?.length ?? 0).toBeGreaterThan(40);
    }
  });

  it.each([...PERMISSION_SETS])('When %s is read, then it grants no field permission Salesforce would reject and names only fields that exist', (name) => {
    const known = new Map(fields.map((f) => [f.name, f.field]));
    for (const p of set(name).fieldPermissions) {
      const field = known.get(p.field);
      expect(field, `${name}: ${p.field} does not exist`).toBeDefined();
      expect(field!.formula, `${name}: ${p.field} is a formula`).toBeUndefined();
      expect(field!.required, `${name}: ${p.field} is required`).toBe(false);
      if (p.editable) expect(p.readable).toBe(true);
    }
    expect(new Set(set(name).fieldPermissions.map((p) => p.field)).size).toBe(set(name).fieldPermissions.length);
  });

  it.each([...PERMISSION_SETS])('When %s is read, then it can read every field a person or the companion may need', (name) => {
    const granted = new Set(set(name).fieldPermissions.filter((p) => p.readable).map((p) => p.field));
    expect(grantable.map((f) => f.name).filter((n) => !granted.has(n))).toEqual([]);
  });

  it('When every companion-written field is checked, then the integration set edits it and no person set does', () => {
    // 24 owned (Win_Probability__c, Last_Inspected__c included) + 19 scorecard fields (all but the formula) + 8 milestone statistics
    // + 2 configuration/actuals fields + 6 measured on coaching plans + 4 on team goals.
    expect(written.size).toBe(24 + 19 + 8 + 1 + 1 + 6 + 4);
    for (const name of written) {
      expect(fieldPerm('Stagecraft_Integration', name), name).toEqual({ field: name, readable: true, editable: true });
      for (const s of PEOPLE_PERMISSION_SETS) expect(fieldPerm(s, name)?.editable, `${s} ${name}`).toBe(false);
    }
  });

  it('When a field people maintain is checked, then the integration set cannot edit it', () => {
    const edited = set('Stagecraft_Integration').fieldPermissions.filter((p) => p.editable && !written.has(p.field)).map((p) => p.field);
    expect(edited).toEqual([]);
  });

  it('When object access is read, then each role gets what its job needs and no more', () => {
    expect(objectPerm('Stagecraft_Rep', 'Milestone_Attestation__c')).toMatchObject({ allowRead: true, allowCreate: true, allowEdit: false, allowDelete: false });
    expect(objectPerm('Stagecraft_Rep', 'Quarterly_Review__c')).toMatchObject({ allowRead: true, allowEdit: true, modifyAllRecords: false, viewAllRecords: false });
    expect(objectPerm('Stagecraft_Rep', 'Stage_Gate__c')).toMatchObject({ allowRead: true, allowEdit: false });
    expect(objectPerm('Stagecraft_Manager', 'Quarterly_Review__c')).toMatchObject({ allowRead: true, allowEdit: true });
    expect(objectPerm('Stagecraft_Manager', 'Rep_Scorecard__c')).toMatchObject({ allowRead: true, allowCreate: false, allowEdit: false });
    for (const object of ['Stage_Gate__c', 'Gate_Milestone__c']) {
      expect(objectPerm('Stagecraft_Admin', object)).toEqual({ object, allowRead: true, allowCreate: true, allowEdit: true, allowDelete: true, viewAllRecords: true, modifyAllRecords: true });
    }
    expect(objectPerm('Stagecraft_Integration', 'Rep_Scorecard__c')).toMatchObject({ allowRead: true, allowCreate: true, allowEdit: true, modifyAllRecords: true });
    const scorecardWriters = sets.filter((s) => s.objectPermissions.some((p) => p.object === 'Rep_Scorecard__c' && (p.allowCreate || p.allowEdit))).map((s) => s.name);
    expect(scorecardWriters).toEqual(['Stagecraft_Integration']);
  });

  it.each([...PERMISSION_SETS])('When %s object access is read, then it respects the platform dependencies', (name) => {
    for (const p of set(name).objectPermissions) {
      if (p.allowCreate || p.allowEdit || p.viewAllRecords) expect(p.allowRead, `${name} ${p.object}`).toBe(true);
      if (p.allowDelete) expect(p.allowEdit, `${name} ${p.object}`).toBe(true);
      if (p.modifyAllRecords) expect([p.allowDelete, p.viewAllRecords], `${name} ${p.object}`).toEqual([true, true]);
    }
  });

  it('When the rep edits a quarterly review, then the reflection fields are editable but manager notes and measured actuals are not', () => {
    for (const f of ['Objectives__c', 'What_Worked__c', 'What_Did_Not_Work__c', 'Lessons_Learned__c', 'Next_Quarter_Plan__c', 'Status__c']) {
      expect(fieldPerm('Stagecraft_Rep', `Quarterly_Review__c.${f}`)?.editable, f).toBe(true);
    }
    expect(fieldPerm('Stagecraft_Rep', 'Quarterly_Review__c.Manager_Notes__c')?.editable).toBe(false);
    expect(fieldPerm('Stagecraft_Manager', 'Quarterly_Review__c.Manager_Notes__c')?.editable).toBe(true);
    expect(fieldPerm('Stagecraft_Rep', 'Milestone_Attestation__c.Note__c')?.editable).toBe(true);
  });

  it('When the coaching objects are read, then managers create plans, goals and inspections, reps read them, and only the companion writes what is measured', () => {
    for (const object of ['Coaching_Plan__c', 'Team_Goal__c', 'Deal_Inspection__c']) {
      expect(objectPerm('Stagecraft_Manager', object), object).toMatchObject({ allowRead: true, allowCreate: true, allowDelete: false });
      expect(objectPerm('Stagecraft_Rep', object), object).toMatchObject({ allowRead: true, allowCreate: false, allowEdit: false });
    }
    expect(fieldPerm('Stagecraft_Manager', 'Coaching_Plan__c.Actions__c')?.editable).toBe(true);
    expect(fieldPerm('Stagecraft_Manager', 'Coaching_Plan__c.Verdict__c')?.editable).toBe(false);
    expect(fieldPerm('Stagecraft_Rep', 'Deal_Inspection__c.Answer__c')?.editable).toBe(false);
    expect(fieldPerm('Stagecraft_Integration', 'Deal_Inspection__c.Answer__c')?.editable).toBe(false);
    const inspectionWriters = sets.filter((s) => s.objectPermissions.some((p) => p.object === 'Deal_Inspection__c' && (p.allowCreate || p.allowEdit))).map((s) => s.name);
    expect(inspectionWriters).toEqual(['Stagecraft_Admin', 'Stagecraft_Manager']);
  });

  it('When tabs and apps are granted, then they exist, and admins see every tab and the app', () => {
    for (const s of sets) {
      for (const t of s.tabSettings) expect(TABS as readonly string[]).toContain(t.tab);
      for (const a of s.applicationVisibilities) expect(a.application).toBe('Stagecraft');
    }
    expect(set('Stagecraft_Admin').tabSettings.map((t) => t.tab).sort()).toEqual([...TABS].sort());
    for (const s of PEOPLE_PERMISSION_SETS) expect(set(s).applicationVisibilities).toEqual([{ application: 'Stagecraft', visible: true }]);
    expect(set('Stagecraft_Integration').applicationVisibilities).toEqual([]);
  });
});
