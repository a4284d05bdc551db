// Lightning pages, tabs and the app reference each other and the components by the agreed names; the project files pin the API version.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForceIgnore } from '@salesforce/source-deploy-retrieve';
import { readMetadataFile } from '../../server/src/metadata/force-app.ts';
import { FLEXIPAGES, FORCE_APP, REPO_ROOT, TABS } from './expected.ts';

const DEFAULT = join(FORCE_APP, 'main', 'default');

/** Every componentName in a FlexiPage, in document order. */
const componentsOf = (page: string): string[] => [...readFileSync(join(DEFAULT, 'flexipages', `${page}.flexipage-meta.xml`), 'utf8').matchAll(/<componentName>([^<]+)<\/componentName>/g)].map((m) => m[1]!);

describe('pages, tabs and app', () => {
  it.each(Object.entries(FLEXIPAGES))('When %s is read, then it is the agreed page type with the agreed components', (page, want) => {
    const node = readMetadataFile(join(DEFAULT, 'flexipages', `${page}.flexipage-meta.xml`), 'FlexiPage');
    expect(node['type']).toBe(want.type);
    if (want.type === 'RecordPage') expect(node['sobjectType']).toBe((want as { sobjectType: string }).sobjectType);
    else expect(node['sobjectType']).toBeUndefined();
    const components = componentsOf(page);
    for (const c of want.components) expect(components).toContain(c);
    const ids = [...readFileSync(join(DEFAULT, 'flexipages', `${page}.flexipage-meta.xml`), 'utf8').matchAll(/<identifier>([^<]+)<\/identifier>/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('When the rep scorecard page is read, then it is an app page, because User has no Lightning record page', () => {
    expect(componentsOf('Stagecraft_Rep_Scorecards')).toEqual(['c:teamScorecards', 'c:coachingTeam', 'c:behaviourScorecard', 'c:coachingPlans', 'c:quarterlyReview']);
  });

  it.each([...TABS])('When tab %s is read, then it points at an object or page that exists', (tab) => {
    const node = readMetadataFile(join(DEFAULT, 'tabs', `${tab}.tab-meta.xml`), 'CustomTab');
    if (tab.endsWith('__c')) {
      expect(node['customObject']).toBe('true');
      expect(existsSync(join(DEFAULT, 'objects', tab, `${tab}.object-meta.xml`))).toBe(true);
    } else {
      expect(Object.keys(FLEXIPAGES)).toContain(node['flexiPage']);
    }
    expect(String(node['motif'])).toMatch(/^Custom\d+: \S/);
  });

  it('When the Stagecraft app is read, then its tabs exist and Opportunities open on the Stagecraft record page', () => {
    const app = readFileSync(join(DEFAULT, 'applications', 'Stagecraft.app-meta.xml'), 'utf8');
    const tabs = [...app.matchAll(/<tabs>([^<]+)<\/tabs>/g)].map((m) => m[1]!);
    expect(tabs.filter((t) => !t.startsWith('standard-')).sort()).toEqual([...TABS].sort());
    const node = readMetadataFile(join(DEFAULT, 'applications', 'Stagecraft.app-meta.xml'), 'CustomApplication');
    expect(node['actionOverrides']).toMatchObject({ actionName: 'View', content: 'Stagecraft_Opportunity_Record_Page', type: 'Flexipage', pageOrSobjectType: 'Opportunity' });
    expect(node['uiType']).toBe('Lightning');
  });

  it('When sfdx-project.json is read, then it packages force-app as Stagecraft on API 65.0', () => {
    const project = JSON.parse(readFileSync(join(REPO_ROOT, 'sfdx-project.json'), 'utf8')) as { sourceApiVersion: string; packageDirectories: Record<string, unknown>[] };
    expect(project.sourceApiVersion).toBe('65.0');
    expect(project.packageDirectories).toHaveLength(1);
    expect(project.packageDirectories[0]).toMatchObject({ path: 'force-app', default: true, package: 'Stagecraft', versionNumber: '0.1.0.NEXT' });
    expect(String(project.packageDirectories[0]!['versionName']).length).toBeGreaterThan(0);
    const scratch = JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'project-scratch-def.json'), 'utf8')) as { edition: string };
    expect(scratch.edition).toBe('Developer');
  });

  it('When .forceignore is applied, then tests and tooling files stay out of deploys and metadata does not', () => {
    const ignore = new ForceIgnore(join(REPO_ROOT, '.forceignore'));
    const lwc = join(DEFAULT, 'lwc', 'stageGateMilestones');
    for (const path of [join(lwc, '__tests__', 'stageGateMilestones.test.js'), join(lwc, '__tests__', 'data', 'record.json'), join(DEFAULT, 'lwc', 'types.ts'), join(DEFAULT, 'lwc', 'tsconfig.json'), join(DEFAULT, 'lwc', 'jsconfig.json'), join(DEFAULT, 'lwc', '.eslintrc')]) {
      expect(ignore.denies(path), path).toBe(true);
    }
    for (const path of [join(lwc, 'stageGateMilestones.js'), join(DEFAULT, 'objects', 'Stage_Gate__c', 'Stage_Gate__c.object-meta.xml')]) {
      expect(ignore.accepts(path), path).toBe(true);
    }
  });
});
