// Every field of the owned-field contract (shared/src/fields.ts) exists in the package with a compatible type,
// and only the integration user's permission set may edit it.
import { describe, expect, it } from 'vitest';
import { OWNED_FIELDS, type OwnedField } from '../../shared/src/fields.ts';
import { objectNamed, readObjects, readPermissionSets, type FieldDef } from '../../server/src/metadata/force-app.ts';
import { FORCE_APP, PEOPLE_PERMISSION_SETS } from './expected.ts';

const objects = readObjects(FORCE_APP);
const permissionSets = readPermissionSets(FORCE_APP);

const METADATA_TYPE: Record<OwnedField['type'], string> = {
  number: 'Number',
  percent: 'Percent',
  checkbox: 'Checkbox',
  datetime: 'DateTime',
  picklist: 'Picklist',
  multipicklist: 'MultiselectPicklist',
  text: 'Text',
  json: 'LongTextArea',
  date: 'Date',
  reference: 'Lookup',
};

/** Why the metadata field cannot hold what the companion writes into it, or undefined when it can. */
export const incompatibility = (owned: OwnedField, field: FieldDef): string | undefined => {
  if (field.type !== METADATA_TYPE[owned.type]) return `type ${field.type}, expected ${METADATA_TYPE[owned.type]}`;
  if (owned.values) {
    const values = (field.values ?? []).map((v) => v.apiName);
    if (JSON.stringify(values) !== JSON.stringify(owned.values)) return `values ${values.join(';')}, expected ${owned.values.join(';')}`;
    if (!field.restricted) return 'picklist is not restricted';
  }
  if (owned.length !== undefined && (field.length ?? 0) < owned.length) return `length ${field.length}, needs ${owned.length}`;
  if (owned.type === 'number' && field.scale !== 0) return `scale ${field.scale}, counts and scores are whole numbers`;
  if (field.formula) return 'a formula field cannot be written';
  return undefined;
};

describe('owned fields in metadata', () => {
  it.each(OWNED_FIELDS.map((f) => [`${f.object}.${f.name}`, f]))('When %s is looked up in force-app, then it exists with a compatible type', (_n, owned) => {
    const field = objectNamed(objects, owned.object).fields.find((f) => f.apiName === owned.name);
    expect(field, `${owned.object}.${owned.name} missing`).toBeDefined();
    expect(incompatibility(owned, field!)).toBeUndefined();
    expect(field!.label.length).toBeLessThanOrEqual(40);
    expect(field!.inlineHelpText?.length ?? 0).toBeGreaterThan(20);
    expect(field!.inlineHelpText!.length).toBeLessThanOrEqual(510);
    expect(field!.description?.length ?? 0).toBeGreaterThan(20);
  });

  it('When Opportunity and User are read, then they carry exactly the owned fields and no others', () => {
    for (const object of ['Opportunity', 'User'] as const) {
      const inMetadata = objectNamed(objects, object).fields.map((f) => f.apiName).sort();
      expect(inMetadata).toEqual(OWNED_FIELDS.filter((f) => f.object === object).map((f) => f.name).sort());
    }
  });

  it('When the compatibility check meets a mismatch, then it names it', () => {
    const base: FieldDef = { apiName: 'X__c', type: 'Picklist', label: 'X', required: false, externalId: false, unique: false, isNameField: false, restricted: true, values: [{ apiName: 'Met', label: 'Met', isDefault: false }] };
    const owned: OwnedField = { object: 'Opportunity', name: 'X__c', type: 'picklist', values: ['Met', 'At_Risk'] };
    expect(incompatibility(owned, base)).toMatch(/values Met, expected Met;At_Risk/);
    expect(incompatibility({ ...owned, type: 'text', values: undefined, length: 255 }, { ...base, type: 'Text', length: 80 })).toMatch(/length 80, needs 255/);
    expect(incompatibility({ ...owned, type: 'text', values: undefined, length: 255 }, { ...base, type: 'Text', length: 255 })).toBeUndefined();
    expect(incompatibility({ ...owned, type: 'number', values: undefined }, { ...base, type: 'Number', scale: 2 })).toMatch(/scale 2/);
    expect(incompatibility({ ...owned, values: ['Met'] }, { ...base, restricted: false })).toMatch(/not restricted/);
  });

  it.each(OWNED_FIELDS.map((f) => [`${f.object}.${f.name}`]))('When %s is checked in the permission sets, then only Stagecraft_Integration edits it', (name) => {
    const perm = (set: string) => permissionSets.find((p) => p.name === set)?.fieldPermissions.find((p) => p.field === name);
    expect(perm('Stagecraft_Integration')).toEqual({ field: name, readable: true, editable: true });
    for (const set of PEOPLE_PERMISSION_SETS) expect(perm(set), set).toEqual({ field: name, readable: true, editable: false });
  });
});
