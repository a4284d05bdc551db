// The components meet the rest of the package at names: custom labels, and the field API names they import.
// These checks read the component sources, so a renamed field or a missing label fails here, not in an org.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPPORTUNITY_FIELDS, USER_FIELDS } from '../../../shared/src/fields.ts';

const root = join(import.meta.dirname, '../../..');
const lwcDir = join(root, 'force-app/main/default/lwc');
const objectsDir = join(root, 'force-app/main/default/objects');
const labelsFile = join(root, 'force-app/main/default/labels/CustomLabels.labels-meta.xml');

const sources = readdirSync(lwcDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.js') && !f.includes('__tests__'))
  .map((f) => ({ file: f, text: readFileSync(join(lwcDir, f), 'utf8') }));

const matches = (pattern: RegExp): { file: string; name: string }[] =>
  sources.flatMap(({ file, text }) => [...text.matchAll(pattern)].map((m) => ({ file, name: m[1]! })));

const labelXml = readFileSync(labelsFile, 'utf8');
const labels = new Map(
  [...labelXml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)].map(([, body]) => [
    /<fullName>([^<]+)<\/fullName>/.exec(body!)?.[1] ?? '',
    /<value>([\s\S]*?)<\/value>/.exec(body!)?.[1] ?? '',
  ]),
);
const importedLabels = matches(/@salesforce\/label\/c\.(\w+)/g);
const schemaImports = matches(/@salesforce\/schema\/([\w.]+)/g).map((m) => m.name);

describe('component custom labels', () => {
  it('When a component imports a custom label, then CustomLabels defines it', () => {
    const missing = importedLabels.filter((l) => !labels.has(l.name)).map((l) => `${l.file}: ${l.name}`);
    expect(missing).toEqual([]);
    expect(importedLabels.length).toBeGreaterThan(100);
  });

  it('When CustomLabels defines a Stagecraft label, then some component uses it', () => {
    const used = new Set(importedLabels.map((l) => l.name));
    expect([...labels.keys()].filter((name) => !used.has(name))).toEqual([]);
  });

  it('When a label is defined, then its name is Stagecraft_ prefixed and its value fits the platform limit', () => {
    for (const [name, value] of labels) {
      expect(name).toMatch(/^Stagecraft_\w{1,70}$/);
      expect(value.length).toBeGreaterThan(0);
      expect(value.length).toBeLessThanOrEqual(1000);
    }
  });
});

describe('component field imports', () => {
  it('When a component imports a custom Opportunity or User field, then it is an owned field of fields.ts', () => {
    const owned = new Set([
      ...Object.values(OPPORTUNITY_FIELDS).map((f) => `Opportunity.${f.name}`),
      ...Object.values(USER_FIELDS).map((f) => `User.${f.name}`),
    ]);
    const custom = schemaImports.filter((s) => /^(Opportunity|User)\.\w+__c$/.test(s));
    expect(custom.length).toBeGreaterThan(10);
    expect(custom.filter((s) => !owned.has(s))).toEqual([]);
  });

  it.skipIf(!existsSync(objectsDir))('When a component imports a package object field, then the object defines it', () => {
    const packageFields = schemaImports.filter((s) => /^\w+__c\.\w+__c$/.test(s));
    const missing = packageFields.filter((s) => {
      const [object, field] = s.split('.');
      return !existsSync(join(objectsDir, object!, 'fields', `${field}.field-meta.xml`));
    });
    expect(missing).toEqual([]);
  });
});
