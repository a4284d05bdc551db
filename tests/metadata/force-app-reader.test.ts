// The force-app reader on small hand-made packages: what it returns, and how it fails on a folder that is not a package.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { objectNamed, readObjects, readPermissionSets, resolveListViewColumn } from '../../server/src/metadata/force-app.ts';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const dirs: string[] = [];
const pkg = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), 'force-app-'));
  dirs.push(root);
  mkdirSync(join(root, 'main', 'default'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, 'main', 'default', path, '..'), { recursive: true });
    writeFileSync(join(root, 'main', 'default', path), `<?xml version="1.0" encoding="UTF-8"?>\n${content}`);
  }
  return root;
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('force-app reader', () => {
  it('When a custom object has one field, one picklist value and one filter, then single elements still come back as lists', () => {
    const root = pkg({
      'objects/Thing__c/Thing__c.object-meta.xml': `<CustomObject ${NS}><label>Thing</label><nameField><label>Thing Name</label><type>Text</type></nameField><sharingModel>Private</sharingModel></CustomObject>`,
      'objects/Thing__c/fields/Kind__c.field-meta.xml': `<CustomField ${NS}><fullName>Kind__c</fullName><label>Kind</label><type>Picklist</type><valueSet><restricted>true</restricted><valueSetDefinition><value><fullName>A_B</fullName><default>true</default><label>A B</label></value></valueSetDefinition></valueSet></CustomField>`,
      'objects/Thing__c/listViews/Only_A.listView-meta.xml': `<ListView ${NS}><fullName>Only_A</fullName><columns>NAME</columns><filterScope>Mine</filterScope><filters><field>Kind__c</field><operation>equals</operation><value>A_B</value></filters><label>Only A</label></ListView>`,
    });
    const thing = objectNamed(readObjects(root), 'Thing__c');
    expect(thing).toMatchObject({ custom: true, label: 'Thing', sharingModel: 'Private' });
    expect(thing.fields.map((f) => [f.apiName, f.type, f.isNameField])).toEqual([['Name', 'Text', true], ['Kind__c', 'Picklist', false]]);
    expect(thing.fields[1]!.values).toEqual([{ apiName: 'A_B', label: 'A B', isDefault: true }]);
    expect(thing.listViews).toEqual([{ name: 'Only_A', label: 'Only A', filterScope: 'Mine', columns: ['NAME'], filters: [{ field: 'Kind__c', operation: 'equals', value: 'A_B' }] }]);
    expect(resolveListViewColumn(thing, 'NAME')).toEqual({ apiName: 'Name', label: 'Name', type: 'Text' });
    expect(resolveListViewColumn(thing, 'Kind__c')).toEqual({ apiName: 'Kind__c', label: 'Kind', type: 'Picklist', values: ['A_B'] });
    expect(resolveListViewColumn(thing, 'OPPORTUNITY.STAGE_NAME')).toBeUndefined();
  });

  it('When a standard object carries only fields, then it is read as not custom and standard tokens resolve to API names', () => {
    const root = pkg({ 'objects/Opportunity/fields/Score__c.field-meta.xml': `<CustomField ${NS}><fullName>Score__c</fullName><label>Score</label><precision>3</precision><scale>0</scale><type>Number</type></CustomField>` });
    const opp = objectNamed(readObjects(root), 'Opportunity');
    expect(opp.custom).toBe(false);
    expect(opp.fields[0]).toMatchObject({ apiName: 'Score__c', precision: 3, scale: 0, required: false });
    expect(resolveListViewColumn(opp, 'OPPORTUNITY.STAGE_NAME')?.apiName).toBe('StageName');
    expect(resolveListViewColumn(opp, 'NAME')).toBeUndefined();
  });

  it('When a filter has no value, then it reads as a blank comparison', () => {
    const root = pkg({ 'objects/Account/listViews/Has_Error.listView-meta.xml': `<ListView ${NS}><fullName>Has_Error</fullName><columns>ACCOUNT.NAME</columns><filterScope>Everything</filterScope><filters><field>Error__c</field><operation>notEqual</operation></filters><label>Has error</label></ListView>` });
    expect(objectNamed(readObjects(root), 'Account').listViews[0]!.filters).toEqual([{ field: 'Error__c', operation: 'notEqual' }]);
  });

  it('When a permission set has one field permission, then it comes back as a list with booleans', () => {
    const root = pkg({ 'permissionsets/P.permissionset-meta.xml': `<PermissionSet ${NS}><fieldPermissions><editable>false</editable><field>Opportunity.Score__c</field><readable>true</readable></fieldPermissions><label>P</label></PermissionSet>` });
    expect(readPermissionSets(root)).toEqual([{ name: 'P', label: 'P', description: undefined, fieldPermissions: [{ field: 'Opportunity.Score__c', readable: true, editable: false }], objectPermissions: [], tabSettings: [], applicationVisibilities: [] }]);
  });

  it('When a field file names another field, then reading fails naming the file', () => {
    const root = pkg({ 'objects/Opportunity/fields/A__c.field-meta.xml': `<CustomField ${NS}><fullName>B__c</fullName><label>B</label><type>Text</type></CustomField>` });
    expect(() => readObjects(root)).toThrow(/A__c\.field-meta\.xml: fullName B__c does not match/);
  });

  it('When a file has the wrong root element or no type, then reading fails with the reason', () => {
    const wrongRoot = pkg({ 'objects/Opportunity/fields/A__c.field-meta.xml': `<ListView ${NS}><fullName>A__c</fullName></ListView>` });
    expect(() => readObjects(wrongRoot)).toThrow(/expected a <CustomField> root element/);
    const noType = pkg({ 'objects/Opportunity/fields/A__c.field-meta.xml': `<CustomField ${NS}><fullName>A__c</fullName><label>A</label></CustomField>` });
    expect(() => readObjects(noType)).toThrow(/A__c: a field without type/);
  });

  it('When the folder is not a source-format package, then reading fails saying so', () => {
    const root = mkdtempSync(join(tmpdir(), 'not-force-app-'));
    dirs.push(root);
    expect(() => readObjects(root)).toThrow(/not a source-format package/);
    expect(() => readPermissionSets(join(root, 'missing'))).toThrow(/not a source-format package/);
    expect(() => objectNamed([], 'Opportunity')).toThrow(/no object Opportunity/);
  });
});
