// Every XML file of the package is well-formed, and the elements Salesforce parses strictly come in schema order.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { FORCE_APP, REPO_ROOT } from './expected.ts';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

const xmlFiles = [...walk(FORCE_APP), ...walk(join(REPO_ROOT, 'config'))].filter((p) => p.endsWith('.xml'));

/** Child element names of the root, in document order. */
const childOrder = (xml: string): string[] => {
  const doc = new XMLParser({ preserveOrder: true, ignoreAttributes: true }).parse(xml) as Record<string, unknown>[];
  const root = doc.find((n) => !Object.keys(n).includes('?xml'))!;
  const children = Object.values(root)[0] as Record<string, unknown>[];
  return children.map((c) => Object.keys(c)[0]!);
};

// Metadata API deploys reject these types when their elements are out of WSDL order, which for them is code-point
// order after fullName, capitals first: filterScope before filters ("Element ... invalid at this location in type ListView").
const ORDERED = ['.field-meta.xml', '.listView-meta.xml', '.permissionset-meta.xml', '.object-meta.xml', '.tab-meta.xml'];

describe('package XML', () => {
  it('When the package is scanned, then it has XML files to check', () => {
    expect(xmlFiles.length).toBeGreaterThan(100);
  });

  it.each(xmlFiles.map((p) => [relative(REPO_ROOT, p), p]))('When %s is parsed, then it is well-formed XML in the metadata namespace', (_name, path) => {
    const xml = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    if (path.endsWith('-meta.xml')) expect(xml).toContain('xmlns="http://soap.sforce.com/2006/04/metadata"');
  });

  it.each(xmlFiles.filter((p) => ORDERED.some((s) => p.endsWith(s))).map((p) => [relative(REPO_ROOT, p), p]))(
    'When %s is read, then its top-level elements are in schema order',
    (_name, path) => {
      const order = childOrder(readFileSync(path, 'utf8'));
      const rest = order[0] === 'fullName' ? order.slice(1) : order;
      expect(rest).toEqual([...rest].sort());
    },
  );

  it('When the order check meets elements out of order, then it sees them', () => {
    const order = childOrder('<?xml version="1.0"?><CustomField><fullName>A__c</fullName><type>Text</type><label>A</label></CustomField>');
    expect(order).toEqual(['fullName', 'type', 'label']);
    expect(order.slice(1)).not.toEqual([...order.slice(1)].sort());
  });

  it('When a malformed file is validated, then the validator reports it', () => {
    expect(XMLValidator.validate('<CustomField><label>x</CustomField>')).not.toBe(true);
  });
});
