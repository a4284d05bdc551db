// The package converts offline to Metadata API format with Salesforce's own library, with the components expected.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComponentSet, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { XMLParser } from 'fast-xml-parser';
import { OWNED_FIELDS } from '../../shared/src/fields.ts';
import { FLEXIPAGES, FORCE_APP, LIST_VIEWS, PACKAGE_OBJECTS, PACKAGE_OBJECT_FIELDS, PERMISSION_SETS, TABS } from './expected.ts';

const API_VERSION = '65.0';
let outDir: string;
let members: Map<string, string[]>;

beforeAll(async () => {
  const set = ComponentSet.fromSource(FORCE_APP);
  // Without an explicit version the library asks an org for one and stalls offline.
  set.sourceApiVersion = API_VERSION;
  set.apiVersion = API_VERSION;
  outDir = mkdtempSync(join(tmpdir(), 'stagecraft-mdapi-'));
  await new MetadataConverter().convert(set, 'metadata', { type: 'directory', outputDirectory: outDir, genUniqueDir: false });
  const manifest = new XMLParser({ isArray: (name) => name === 'types' || name === 'members' }).parse(readFileSync(join(outDir, 'package.xml'), 'utf8')) as {
    Package: { types: { name: string; members: string[] }[]; version: number | string };
  };
  members = new Map(manifest.Package.types.map((t) => [t.name, t.members.map(String)]));
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('metadata conversion', () => {
  it('When force-app converts to metadata format, then the manifest carries the pinned API version', () => {
    const manifest = readFileSync(join(outDir, 'package.xml'), 'utf8');
    expect(manifest).toContain(`<version>${API_VERSION}</version>`);
  });

  it('When force-app converts, then every owned field and every package object field is a CustomField member and nothing else is', () => {
    const expected = [...OWNED_FIELDS.map((f) => `${f.object}.${f.name}`), ...PACKAGE_OBJECT_FIELDS.map((f) => `${f.object}.${f.name}`)].sort();
    expect(members.get('CustomField')?.slice().sort()).toEqual(expected);
    // 24 owned (Last_Inspected__c included) + 71 + 17 coaching plan + 9 team goal + 5 deal inspection fields.
    expect(expected).toHaveLength(24 + 71 + 17 + 9 + 5);
  });

  it('When force-app converts, then the five package objects are CustomObjects and Opportunity and User are not redeployed', () => {
    expect(members.get('CustomObject')?.slice().sort()).toEqual(Object.keys(PACKAGE_OBJECTS).sort());
    expect(members.get('CustomObject')).not.toContain('Opportunity');
    expect(members.get('CustomObject')).not.toContain('User');
  });

  it('When force-app converts, then list views, permission sets, pages, tabs and the app are all there', () => {
    const listViews = Object.entries(LIST_VIEWS).flatMap(([object, names]) => names.map((n) => `${object}.${n}`)).sort();
    expect(members.get('ListView')?.slice().sort()).toEqual(listViews);
    expect(members.get('PermissionSet')?.slice().sort()).toEqual([...PERMISSION_SETS].sort());
    expect(members.get('FlexiPage')?.slice().sort()).toEqual(Object.keys(FLEXIPAGES).sort());
    expect(members.get('CustomTab')?.slice().sort()).toEqual([...TABS].sort());
    expect(members.get('CustomApplication')).toEqual(['Stagecraft']);
  });

  it('When force-app converts, then the only types are the expected ones (plus the components and labels built elsewhere)', () => {
    const mine = ['CustomApplication', 'CustomField', 'CustomObject', 'CustomTab', 'FlexiPage', 'ListView', 'PermissionSet'];
    const others = [...members.keys()].filter((t) => !mine.includes(t));
    expect(others.filter((t) => t !== 'LightningComponentBundle' && t !== 'CustomLabels' && t !== 'CustomLabel')).toEqual([]);
    expect(existsSync(join(outDir, 'objects', 'Opportunity.object'))).toBe(true);
  });
});
