// `stagecraft import` / `export`: the Salesforce-export fixture, every error path, and the all-or-nothing swap.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFolder, ImportError, importFolder, parseSalesforceDate, readImportFolder, type ImportProblem } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const copyFixture = (): string => {
  const dir = tempDir('import');
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  return dir;
};
const edit = (dir: string, file: string, change: (text: string) => string): void => writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')));
const problemsOf = (dir: string) => {
  try {
    readImportFolder(dir);
  } catch (error) {
    if (error instanceof ImportError) return error.problems;
    throw error;
  }
  throw new Error('expected the import to fail');
};

describe('importing a Salesforce export', () => {
  it('When the fixture folder is imported, then every record lands with ISO dates and derived flags', () => {
    const orgFile = join(tempDir(), 'org.sqlite');
    const summary = importFolder(FIXTURE_DIR, orgFile, new Date('2026-03-01T00:00:00Z'));
    expect(summary.counts).toEqual({ Account: 18, Contact: 25, Opportunity: 36, OpportunityHistory: 48 });
    const store = OrgStore.open(orgFile);
    const deal = store.get('Opportunity', '006bm00000LKJNNAA5')!;
    expect(deal).toMatchObject({ Name: 'Dickenson Mobile Generators', StageName: 'Qualification', CloseDate: '2024-02-03', CreatedDate: '2026-02-23T00:00:00.000Z', IsClosed: false });
    const history = store.all('OpportunityHistory').find((h) => h.Id === '008bm00000UoqOjAAJ')!;
    expect(history.CreatedDate).toBe('2026-02-23T20:55:00.000Z');
    store.close();
  });

  it('When columns are not Stagecraft fields, then they are reported as ignored, not failed', () => {
    const { summary } = readImportFolder(FIXTURE_DIR);
    expect(summary.ignoredColumns.find((c) => c.file === 'Opportunity.csv')!.columns).toContain('Opportunity Lifecycle (Days)');
  });

  it('When a required column is missing, then the problem names the file and column', () => {
    const dir = copyFixture();
    edit(dir, 'Opportunity.csv', (t) => t.replace(/^Id,AccountId,Name,/, 'Id,AccountId,Title,'));
    expect(problemsOf(dir)).toContainEqual({ file: 'Opportunity.csv', line: 1, column: 'Name', message: 'required column Name is missing' });
  });

  it('When a date is malformed, then the problem names file, line and column', () => {
    const dir = copyFixture();
    edit(dir, 'Opportunity.csv', (t) => t.split('\n').map((line, i) => (i === 2 ? line.replace('02/03/24', '13/45/24') : line)).join('\n'));
    const [problem] = problemsOf(dir);
    expect(problem).toMatchObject({ file: 'Opportunity.csv', line: 3, column: 'CloseDate' });
    expect(problem!.message).toContain('13/45/24');
  });

  it('When an Id appears twice, then the duplicate is reported with where the first one was', () => {
    const dir = copyFixture();
    edit(dir, 'Account.csv', (t) => {
      const lines = t.trimEnd().split('\n');
      return [...lines, lines[1]].join('\n') + '\n';
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'Account.csv', line: 20, column: 'Id' });
    expect(problems[0]!.message).toMatch(/duplicate Id 001bm00001ZL8U9AAL \(first on line 2\)/);
  });

  it('When a record refers to a parent that is not in the folder, then the dangling reference is reported', () => {
    const dir = copyFixture();
    edit(dir, 'OpportunityHistory.csv', (t) => t.replace('008bm00000UoqOjAAJ,006bm00000LKJNNAA5', '008bm00000UoqOjAAJ,006bm00000ZZZZZAA5'));
    expect(problemsOf(dir)).toContainEqual(expect.objectContaining({ file: 'OpportunityHistory.csv', line: 2, column: 'OpportunityId', message: expect.stringContaining('006bm00000ZZZZZAA5') }));
  });

  it('When a quote is never closed, then the CSV problem names the file', () => {
    const dir = copyFixture();
    edit(dir, 'Contact.csv', (t) => t.replace('"SVP, Procurement"', '"SVP, Procurement'));
    expect(problemsOf(dir)[0]).toMatchObject({ file: 'Contact.csv' });
  });

  it('When the folder has no Opportunity.csv, then the import says what it needs', () => {
    const dir = tempDir();
    expect(problemsOf(dir)[0]!.message).toMatch(/at least Opportunity.csv/);
  });

  it('When an import fails, then the existing org is left exactly as it was', () => {
    const orgFile = join(tempDir(), 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date());
    const bad = copyFixture();
    edit(bad, 'Opportunity.csv', (t) => t.replace('Dickenson Mobile Generators', 'Changed').replace('02/03/24', 'yesterday'));
    expect(() => importFolder(bad, orgFile, new Date())).toThrow(ImportError);
    const store = OrgStore.open(orgFile);
    expect(store.count('Opportunity')).toBe(36);
    expect(store.get('Opportunity', '006bm00000LKJNNAA5')!.Name).toBe('Dickenson Mobile Generators');
    store.close();
  });

  it('When an org is exported and imported again, then every record and Stagecraft field survives the round trip', () => {
    const first = join(tempDir(), 'org.sqlite');
    importFolder(FIXTURE_DIR, first, new Date());
    const store = OrgStore.open(first);
    store.update('Opportunity', '006bm00000LKJNNAA5', { Stakeholders_Engaged__c: 3, Executive_Engaged__c: true, Indicators_As_Of__c: '2026-03-01T00:00:00.000Z' });
    const out = tempDir('export');
    exportFolder(store, out);
    const before = store.all('Opportunity');
    store.close();
    const second = join(tempDir(), 'org.sqlite');
    importFolder(out, second, new Date());
    const again = OrgStore.open(second);
    expect(again.all('Opportunity')).toEqual(before);
    expect(again.get('Opportunity', '006bm00000LKJNNAA5')).toMatchObject({ Stakeholders_Engaged__c: 3, Executive_Engaged__c: true });
    again.close();
  });
});

describe('Salesforce date cells', () => {
  it.each([
    ['02/23/26', 'date', '2026-02-23'],
    ['02/23/26 08:55 PM', 'datetime', '2026-02-23T20:55:00.000Z'],
    ['12/01/2024 12:05 AM', 'datetime', '2024-12-01T00:05:00.000Z'],
    ['2024-02-03', 'date', '2024-02-03'],
    ['2024-02-03T10:00:00.000+0000', 'datetime', '2024-02-03T10:00:00.000Z'],
    ['2024-02-03T10:00:00Z', 'datetime', '2024-02-03T10:00:00.000Z'],
  ] as const)('When a cell reads %s, then it is %s %s', (text, type, expected) => {
    expect(parseSalesforceDate(text, type)).toBe(expected);
  });

  it.each(['02/30/26', '13/01/26', '2024-02-30', 'yesterday', '02/23/26 13:00 PM'])('When a cell reads %s, then it is not a date', (text) => {
    expect(parseSalesforceDate(text, 'datetime')).toBeNull();
  });
});

describe('import with the largest file loaded in a worker thread', () => {
  const importBoth = (dir: string) => {
    const serialFile = join(tempDir('serial'), 'org.sqlite');
    const parallelFile = join(tempDir('parallel'), 'org.sqlite');
    const serial = importFolder(dir, serialFile, new Date('2026-03-01T00:00:00Z'), { workerMinBytes: Number.MAX_SAFE_INTEGER });
    const parallel = importFolder(dir, parallelFile, new Date('2026-03-01T00:00:00Z'), { workerMinBytes: 1 });
    return { serial, parallel, serialFile, parallelFile };
  };

  it('When the largest file loads in a worker, then the org holds exactly what a single-thread import loads', () => {
    const { serial, parallel, serialFile, parallelFile } = importBoth(FIXTURE_DIR);
    expect(parallel).toEqual(serial);
    const a = OrgStore.open(serialFile);
    const b = OrgStore.open(parallelFile);
    for (const object of ['User', 'Account', 'Contact', 'Opportunity', 'OpportunityHistory', 'OpportunityContactRole'] as const) expect(b.all(object)).toEqual(a.all(object));
    a.close();
    b.close();
  });

  it('When the worker’s file has a dangling reference or a duplicate, then each is reported with its line and the existing org is kept', () => {
    const dir = copyFixture();
    edit(dir, 'OpportunityHistory.csv', (t) => {
      const lines = t.replace('008bm00000UoqOjAAJ,006bm00000LKJNNAA5', '008bm00000UoqOjAAJ,006bm00000ZZZZZAA5').trimEnd().split('\n');
      return [...lines, lines[2]].join('\n') + '\n';
    });
    const orgFile = join(tempDir('kept'), 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date());
    let problems: ImportProblem[] = [];
    try {
      importFolder(dir, orgFile, new Date(), { workerMinBytes: 1 });
    } catch (error) {
      problems = (error as ImportError).problems;
    }
    const last = readFileSync(join(dir, 'OpportunityHistory.csv'), 'utf8').trimEnd().split('\n').length;
    expect(problems).toContainEqual(expect.objectContaining({ file: 'OpportunityHistory.csv', line: last, column: 'Id', message: expect.stringMatching(/duplicate Id .* \(first on line 3\)/) }));
    // The duplicate stops the load before references are checked; fixed, the dangling reference is reported with its line.
    edit(dir, 'OpportunityHistory.csv', (t) => t.trimEnd().split('\n').slice(0, -1).join('\n') + '\n');
    try {
      importFolder(dir, orgFile, new Date(), { workerMinBytes: 1 });
    } catch (error) {
      problems = (error as ImportError).problems;
    }
    expect(problems).toContainEqual(expect.objectContaining({ file: 'OpportunityHistory.csv', line: 2, column: 'OpportunityId', message: expect.stringContaining('006bm00000ZZZZZAA5') }));
    const kept = OrgStore.open(orgFile);
    expect(kept.count('Opportunity')).toBeGreaterThan(0);
    kept.close();
  });
});

describe('the embedded org file', () => {
  it('When an org is created, with or without extra columns, then every object is keyed by its Id', () => {
    for (const extras of [{}, { Opportunity: [{ name: 'Budget_Confirmed__c', type: 'boolean' as const }] }]) {
      const store = OrgStore.create(join(tempDir('keys'), 'org.sqlite'), extras);
      for (const object of ['Opportunity', 'Task', 'OpportunityHistory', 'User'] as const) {
        store.insert(object, [{ Id: '006000000000001AAA', Name: 'A', StageName: 'Prospecting', CloseDate: '2026-01-01', CreatedDate: '2026-01-01T00:00:00.000Z', OpportunityId: '006000000000001AAA' }]);
        expect(() => store.insert(object, [{ Id: '006000000000001AAA', Name: 'B', StageName: 'Prospecting', CloseDate: '2026-01-01', CreatedDate: '2026-01-01T00:00:00.000Z', OpportunityId: '006000000000001AAA' }])).toThrow(/UNIQUE|PRIMARY/);
      }
      store.close();
    }
  });
});
