// Every kind of bad input the hardening probe tried, and more: CSV folders, playbooks, HTTP requests, configuration
// and command lines, and CRM responses. Each case asserts a clear one-line error (or a documented acceptance), that
// the previous state is kept, and that nothing crashed. Table-driven: a kind of bad input is one row.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';
import { composeCompanion, type Companion } from '../../server/src/composition.ts';
import { exportFolder, importFolder, ImportError } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { checkDataDir } from '../../server/src/data-dir.ts';
import { AppError } from '../../server/src/errors.ts';
import { main, parseAsOf } from '../../server/src/cli/main.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { playbookFile } from '../../server/src/playbook-store.ts';
import { readQuotaFile } from '../../server/src/quotas.ts';
import { changePlaybook } from '../../server/src/use-cases/playbook.ts';
import { DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { parseJsonText } from '../../shared/src/playbook/json-text.ts';
import { FIXTURE_DIR, suiteDir, tempDir } from '../support/org-files.ts';
import { rawRequest } from '../support/raw-http.ts';


/** A clear one-line error: something said, on one line, no stack frame, not the catch-all. */
export const expectOneLine = (message: string): void => {
  expect(message.trim().length).toBeGreaterThan(10);
  expect(message).not.toMatch(/\n/);
  expect(message).not.toMatch(/\bat .+:\d+:\d+/);
  expect(message).not.toMatch(/something went wrong on our side/);
  expect(message.length).toBeLessThan(600);
};


// ---------------------------------------------------------------------------------------------------------------
// CSV: a folder that replaces an org which already holds the fixture (36 deals). A refused import leaves it as it was.

const fixtureFolder = (): string => {
  const dir = tempDir();
  for (const name of readdirSync(FIXTURE_DIR)) copyFileSync(join(FIXTURE_DIR, name), join(dir, name));
  return dir;
};
const opp = (dir: string): string => join(dir, 'Opportunity.csv');
const readOpp = (dir: string): string => readFileSync(opp(dir), 'utf8');
const lines = (text: string): string[] => text.split(/\r?\n/);
/** Replaces one cell of Opportunity.csv's data row `row` (1 = the first deal), column by header name. */
const setCell = (dir: string, row: number, column: string, value: string): void => {
  const all = lines(readOpp(dir));
  const header = all[0]!.split(',');
  const cells = all[row]!.split(',');
  cells[header.indexOf(column)] = value;
  all[row] = cells.join(',');
  writeFileSync(opp(dir), all.join('\n'));
};

interface CsvCase {
  name: string;
  change: (dir: string) => void;
  /** Problems expected, each matched against its formatted line; or 'accepted' with a check of the new org. */
  expect: RegExp[] | { accepted: (store: OrgStore, summary: ReturnType<typeof importFolder>) => void };
  /** Import into an org folder given instead of the mutated copy (the folder itself is the bad input). */
  folder?: (dir: string) => string;
}

const utf16 = (text: string, bigEndian: boolean): Buffer => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  if (!bigEndian) return le;
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};

const CSV_CASES: CsvCase[] = [
  { name: 'an empty Opportunity.csv', change: (d) => writeFileSync(opp(d), ''), expect: [/Opportunity\.csv: the file is empty \(no header row\)/] },
  { name: 'Opportunity.csv missing', change: (d) => rmSync(opp(d)), expect: [/Opportunity\.csv: not found in the folder/] },
  { name: 'Opportunity.csv is a folder', change: (d) => { rmSync(opp(d)); mkdirSync(opp(d)); }, expect: [/Opportunity\.csv: is a folder \(or a device\), not a file/] },
  { name: 'only a BOM', change: (d) => writeFileSync(opp(d), '\uFEFF'), expect: [/Opportunity\.csv: the file is empty/] },
  { name: 'headers only (would empty the org)', change: (d) => { for (const f of readdirSync(d)) writeFileSync(join(d, f), `${lines(readFileSync(join(d, f), 'utf8'))[0]}\n`); }, expect: [/holds no opportunities: importing it would empty the org/] },
  { name: 'required column Id missing', change: (d) => writeFileSync(opp(d), readOpp(d).replace(/^Id,/, 'Ident,')), expect: [/Opportunity\.csv, line 1, column Id: required column Id is missing/] },
  { name: 'required column StageName missing', change: (d) => writeFileSync(opp(d), readOpp(d).replace(',StageName,', ',Stage,')), expect: [/column StageName: required column StageName is missing/] },
  { name: 'duplicate header', change: (d) => writeFileSync(opp(d), readOpp(d).replace(',Description,', ',Name,')), expect: [/Opportunity\.csv, line 1, column Name: column Name appears twice \(columns 3 and 4\)/] },
  { name: 'duplicate header, other case', change: (d) => writeFileSync(opp(d), readOpp(d).replace(',Description,', ',stagename,')), expect: [/column StageName: column StageName appears twice \(columns 4 and 5\)/] },
  { name: 'February 30th', change: (d) => setCell(d, 1, 'CloseDate', '02/30/24'), expect: [/Opportunity\.csv, line 2, column CloseDate: "02\/30\/24" is not a date/] },
  { name: 'month 13', change: (d) => setCell(d, 1, 'CloseDate', '13/01/24'), expect: [/line 2, column CloseDate: "13\/01\/24" is not a date/] },
  { name: 'words in a date', change: (d) => setCell(d, 2, 'CloseDate', 'next Tuesday'), expect: [/line 3, column CloseDate: "next Tuesday" is not a date/] },
  { name: 'ISO date rolled over', change: (d) => setCell(d, 1, 'CloseDate', '2026-02-29'), expect: [/"2026-02-29" is not a date/] },
  { name: 'hour 25', change: (d) => setCell(d, 1, 'CreatedDate', '02/23/26 25:00'), expect: [/column CreatedDate: "02\/23\/26 25:00" is not a date/] },
  { name: 'duplicate Id', change: (d) => { const l = lines(readOpp(d)); l[2] = `${l[1]!.split(',')[0]},${l[2]!.split(',').slice(1).join(',')}`; writeFileSync(opp(d), l.join('\n')); }, expect: [/line 3, column Id: duplicate Id 006bm00000LKJNNAA5 \(first on line 2\)/] },
  { name: 'reference to a missing account', change: (d) => setCell(d, 1, 'AccountId', '001bm00009ZZZZZAAA'), expect: [/line 2, column AccountId: refers to Account 001bm00009ZZZZZAAA, which is not in Account\.csv/] },
  { name: 'history of a deal not in the folder', change: (d) => writeFileSync(join(d, 'OpportunityHistory.csv'), readFileSync(join(d, 'OpportunityHistory.csv'), 'utf8').replace('006bm00000LKJNNAA5', '006bm00009ZZZZZAAA')), expect: [/OpportunityHistory\.csv, line 2, column OpportunityId: refers to Opportunity 006bm00009ZZZZZAAA/] },
  { name: 'unclosed quote', change: (d) => setCell(d, 3, 'Name', '"Unclosed name'), expect: [/Opportunity\.csv, line \d+: .*(Quote|quote)/] },
  { name: 'a row with an extra column', change: (d) => { const l = lines(readOpp(d)); l[4] += ',extra'; writeFileSync(opp(d), l.join('\n')); }, expect: [/Opportunity\.csv, line 5: Invalid Record Length/] },
  { name: 'a row with a column short', change: (d) => { const l = lines(readOpp(d)); l[4] = l[4]!.slice(0, l[4]!.lastIndexOf(',')); writeFileSync(opp(d), l.join('\n')); }, expect: [/Opportunity\.csv, line 5: Invalid Record Length/] },
  { name: 'a 0xFF byte on line 6', change: (d) => { const l = lines(readOpp(d)); const at = l[5]!.indexOf(',') + 1; writeFileSync(opp(d), Buffer.concat([Buffer.from(`${l.slice(0, 5).join('\n')}\n${l[5]!.slice(0, at)}`), Buffer.from([0xff]), Buffer.from(`${l[5]!.slice(at)}\n${l.slice(6).join('\n')}`)])); }, expect: [/Opportunity\.csv, line 6: is not valid UTF-8 here/] },
  { name: 'Latin-1 accent (invalid UTF-8) on line 3', change: (d) => { const l = lines(readOpp(d)); writeFileSync(opp(d), Buffer.concat([Buffer.from(`${l.slice(0, 2).join('\n')}\n`), Buffer.from(l[2]!.replace(/,([A-Z][a-z]+) /, ',$1é '), 'latin1'), Buffer.from(`\n${l.slice(3).join('\n')}`)])); }, expect: [/Opportunity\.csv, line 3: is not valid UTF-8 here/] },
  { name: 'UTF-16 without a byte-order mark', change: (d) => writeFileSync(opp(d), Buffer.from(readOpp(d), 'utf16le')), expect: [/Opportunity\.csv: holds NUL bytes: it looks like UTF-16 without a byte-order mark/] },
  { name: 'binary garbage', change: (d) => writeFileSync(opp(d), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0x00])), expect: [/Opportunity\.csv: holds NUL bytes/] },
  { name: 'Contacts.csv instead of Contact.csv', change: (d) => { copyFileSync(join(d, 'Contact.csv'), join(d, 'Contacts.csv')); rmSync(join(d, 'Contact.csv')); }, expect: [/Contacts\.csv: is not a file import reads: did you mean Contact\.csv\?/] },
  { name: 'opportunity.csv in lower case', change: (d) => { copyFileSync(opp(d), join(d, 'opportunity.csv')); rmSync(opp(d)); }, expect: [/opportunity\.csv: is not a file import reads: did you mean Opportunity\.csv\?/, /Opportunity\.csv: not found/] },
  { name: 'an amount that is not a number', change: (d) => setCell(d, 1, 'Amount', 'lots'), expect: [/line 2, column Amount: .*lots/] },
  { name: 'a checkbox that is neither', change: (d) => setCell(d, 1, 'IsClosed', 'maybe'), expect: [/line 2, column IsClosed: .*maybe/] },
  { name: 'a required cell empty', change: (d) => setCell(d, 1, 'StageName', ''), expect: [/line 2, column StageName: StageName is required and empty/] },
  { name: 'the folder is a file', change: () => undefined, folder: (d) => opp(d), expect: [/is a file, not a folder of CSV files/] },
  { name: 'the folder does not exist', change: () => undefined, folder: (d) => join(d, 'nope'), expect: [/folder not found/] },
  // Documented acceptances (README "Import and export").
  { name: 'UTF-8 with a byte-order mark', change: (d) => writeFileSync(opp(d), `\uFEFF${readOpp(d)}`), expect: { accepted: (s) => expect(s.count('Opportunity')).toBe(36) } },
  { name: 'UTF-16 LE with its byte-order mark', change: (d) => writeFileSync(opp(d), utf16(readOpp(d), false)), expect: { accepted: (s) => expect(s.get('Opportunity', '006bm00000LKJNNAA5')?.Name).toBe('Dickenson Mobile Generators') } },
  { name: 'UTF-16 BE with its byte-order mark', change: (d) => writeFileSync(opp(d), utf16(readOpp(d), true)), expect: { accepted: (s) => expect(s.count('Opportunity')).toBe(36) } },
  { name: 'semicolon-separated', change: (d) => writeFileSync(opp(d), lines(readOpp(d)).map((l) => l.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ';')).join('\n')), expect: { accepted: (s) => expect(s.get('Opportunity', '006bm00000LKJNNAA5')?.StageName).toBe('Qualification') } },
  { name: 'tab-separated', change: (d) => writeFileSync(opp(d), lines(readOpp(d)).map((l) => l.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, '\t')).join('\n')), expect: { accepted: (s) => expect(s.count('Opportunity')).toBe(36) } },
  { name: 'two-digit year 99', change: (d) => setCell(d, 1, 'CloseDate', '12/31/99'), expect: { accepted: (s) => expect(s.get('Opportunity', '006bm00000LKJNNAA5')?.CloseDate).toBe('1999-12-31') } },
  { name: 'two-digit year 68', change: (d) => setCell(d, 1, 'CloseDate', '12/31/68'), expect: { accepted: (s) => expect(s.get('Opportunity', '006bm00000LKJNNAA5')?.CloseDate).toBe('2068-12-31') } },
  { name: 'CRLF line endings', change: (d) => writeFileSync(opp(d), lines(readOpp(d)).join('\r\n')), expect: { accepted: (s) => expect(s.count('Opportunity')).toBe(36) } },
  { name: 'blank lines between rows', change: (d) => writeFileSync(opp(d), lines(readOpp(d)).join('\n\n')), expect: { accepted: (s) => expect(s.count('Opportunity')).toBe(36) } },
  { name: 'an unknown file (Lead.csv)', change: () => undefined, expect: { accepted: (_s, summary) => expect(summary.ignoredFiles).toEqual(['Lead.csv']) } },
  { name: 'header cells padded with spaces', change: (d) => writeFileSync(opp(d), readOpp(d).replace(/^Id,/, ' Id ,')), expect: { accepted: (s) => expect(s.count('Opportunity')).toBe(36) } },
  { name: 'a 15-character id', change: (d) => writeFileSync(opp(d), readOpp(d).replace('006bm00000LKJNNAA5', '006bm00000LKJNN').replaceAll('\n006bm00000LKJNNAA5', '\n006bm00000LKJNN')), expect: { accepted: (s) => expect(s.get('Opportunity', '006bm00000LKJNNAA5')).toBeDefined() } },
  { name: 'a formula in a name', change: (d) => setCell(d, 1, 'Name', "=cmd|' /C calc'!A0"), expect: { accepted: (s) => expect(s.get('Opportunity', '006bm00000LKJNNAA5')?.Name).toBe("=cmd|' /C calc'!A0") } },
  { name: 'a 100 KB description', change: (d) => setCell(d, 1, 'Description', 'x'.repeat(100_000)), expect: { accepted: (s) => expect(String(s.get('Opportunity', '006bm00000LKJNNAA5')?.Description)).toHaveLength(100_000) } },
];

describe('bad input: CSV folders', () => {
  let orgDir = '';
  let orgFile = '';
  beforeAll(() => {
    orgDir = suiteDir('bad-input-csv');
    orgFile = join(orgDir, 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date('2026-03-01T00:00:00Z'));
  });

  const seededAt = (): string | undefined => {
    const s = OrgStore.open(orgFile);
    try {
      return s.getMeta('seededAt');
    } finally {
      s.close();
    }
  };

  it.each(CSV_CASES.map((c) => [c.name, c] as const))('CSV: %s', (_name, c) => {
    const dir = fixtureFolder();
    c.change(dir);
    const folder = c.folder ? c.folder(dir) : dir;
    if (Array.isArray(c.expect)) {
      const before = seededAt();
      let error: unknown;
      try {
        importFolder(folder, orgFile, new Date());
      } catch (e) {
        error = e;
      }
      expect(error, 'the import must be refused').toBeInstanceOf(AppError);
      const problems = error instanceof ImportError ? error.problems.map((p) => `${p.file}${p.line ? `, line ${p.line}` : ''}${p.column ? `, column ${p.column}` : ''}: ${p.message}`) : [(error as Error).message];
      for (const line of problems) expectOneLine(line);
      for (const pattern of c.expect) expect(problems.join('\n')).toMatch(pattern);
      // The org is the one imported before, untouched.
      expect(seededAt()).toBe(before);
      const store = OrgStore.open(orgFile);
      expect(store.count('Opportunity')).toBe(36);
      store.close();
    } else {
      const target = join(tempDir(), 'org.sqlite');
      const summary = importFolder(folder, target, new Date());
      const store = OrgStore.open(target);
      try {
        c.expect.accepted(store, summary);
      } finally {
        store.close();
      }
    }
  });

  it('CSV: export neutralises every formula-looking text cell and leaves numbers alone', () => {
    const dir = fixtureFolder();
    const starts = ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tTabbed', '\rReturn'];
    starts.forEach((text, i) => setCell(dir, i + 1, 'NextStep', `"${text}"`));
    setCell(dir, 7, 'Amount', '-500');
    const target = join(tempDir(), 'org.sqlite');
    importFolder(dir, target, new Date());
    const store = OrgStore.open(target);
    const out = tempDir();
    exportFolder(store, out);
    store.close();
    const exported = readFileSync(join(out, 'Opportunity.csv'), 'utf8');
    for (const text of starts) expect(exported).toContain(`'${text}`);
    expect(exported).toMatch(/,-500,/);
  });

  it.each([
    ['a quarter in the wrong form', 'User,Quarter,Quota\nrep@x.example,Q4 2026,100\n', /^quotas\.csv, line 2, column Quarter: "Q4 2026" is not a quarter like 2026-Q4$/],
    ['a negative quota', 'User,Quarter,Quota\nrep@x.example,2026-Q4,-5\n', /^quotas\.csv, line 2, column Quota: "-5" is not a positive amount$/],
    ['a quota in words', 'User,Quarter,Quota\nrep@x.example,2026-Q4,lots\n', /^quotas\.csv, line 2, column Quota: "lots" is not a positive amount$/],
    ['no Quota column', 'User,Quarter\nrep@x.example,2026-Q4\n', /^quotas\.csv, line 1: required column Quota is missing$/],
    ['a ragged row', 'User,Quarter,Quota\nrep@x.example,2026-Q4\n', /^quotas\.csv, line 2: /],
  ])('CSV: quotas.csv with %s', (_name, text, pattern) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'quotas.csv'), text);
    let message = '';
    try {
      readQuotaFile(dir);
    } catch (e) {
      message = (e as Error).message;
      expect(e).toBeInstanceOf(AppError);
    }
    expectOneLine(message);
    expect(message).toMatch(pattern);
  });

  it('CSV: an export folder that is a file is one line', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    const store = OrgStore.open(orgFile);
    try {
      let message = '';
      try {
        exportFolder(store, file);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        message = (e as Error).message;
      }
      expectOneLine(message);
      expect(message).toMatch(/cannot be an export folder \((EEXIST|ENOTDIR)\)$/);
    } finally {
      store.close();
    }
  });

  it('CSV: quotas.csv separated by semicolons is read (documented)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'quotas.csv'), 'User;Quarter;Quota\nrep@x.example;2026-Q4;100\n');
    expect(readQuotaFile(dir)).toEqual([{ line: 2, user: 'rep@x.example', quarter: '2026-Q4', quota: 100 }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Playbooks: each candidate is refused (every error one line, with its path) and playbook.json stays as it was.

type Mutable = { version?: unknown; settings?: Record<string, unknown>; processes: Record<string, unknown>[] & { stages: Record<string, unknown>[] }[] };
const pb = (change: (p: Mutable) => void): unknown => {
  const p = structuredClone(DEFAULT_PLAYBOOK_INPUT) as unknown as Mutable;
  change(p);
  return p;
};
const milestone = (p: Mutable): Record<string, unknown> => (p.processes[0]!.stages[0]!.gate as { milestones: Record<string, unknown>[] }).milestones[0]!;
const rule = (r: unknown) => pb((p) => void (milestone(p).rule = r));
const deep = (n: number): unknown => {
  let r: unknown = { kind: 'nextStep' };
  for (let i = 0; i < n; i++) r = { kind: 'all', rules: [r] };
  return r;
};

const PLAYBOOK_CASES: [string, unknown, RegExp][] = [
  ['null', null, /expected object/i],
  ['an array', [], /expected object/i],
  ['a string', 'playbook', /expected object/i],
  ['a number', 42, /expected object/i],
  ['an empty object', {}, /version/],
  ['version 2', pb((p) => void (p.version = 2)), /^version: /],
  ['version "1"', pb((p) => void (p.version = '1')), /^version: /],
  ['no processes', pb((p) => void (p.processes = [] as unknown as Mutable['processes'])), /^processes: must define at least one sales process$/],
  ['processes not a list', pb((p) => void ((p as { processes: unknown }).processes = 'x')), /^processes: /],
  ['a process without a name', pb((p) => void (p.processes[0]!.name = ' ')), /^processes\[0\]\.name: must not be empty$/],
  ['two processes with one name', pb((p) => void p.processes.push(structuredClone(p.processes[0]!))), /duplicates process/],
  ['one stage', pb((p) => void (p.processes[0]!.stages = p.processes[0]!.stages.slice(0, 1))), /must have at least two stages/],
  ['no won stage', pb((p) => void p.processes[0]!.stages.forEach((s) => (s.won = false))), /must include a closed-won stage/],
  ['no open stage', pb((p) => void p.processes[0]!.stages.forEach((s) => { s.closed = true; s.gate = { milestones: [] }; })), /must include at least one open stage/],
  ['won but not closed', pb((p) => void (p.processes[0]!.stages.find((s) => s.won)!.closed = false)), /a won stage must also be closed/],
  ['a duplicate stage', pb((p) => void (p.processes[0]!.stages[1]!.name = p.processes[0]!.stages[0]!.name)), /duplicates stage/],
  ['a gate on a closed stage', pb((p) => void (p.processes[0]!.stages.find((s) => s.closed)!.gate = structuredClone(p.processes[0]!.stages[0]!.gate))), /a closed stage has no exit gate/],
  ['a milestone key in capitals', pb((p) => void (milestone(p).key = 'Bad Key')), /must be a stable lower_snake_case key/],
  ['a duplicate milestone key', pb((p) => { const g = p.processes[0]!.stages[0]!.gate as { milestones: unknown[] }; g.milestones.push(structuredClone(g.milestones[0])); }), /duplicates milestone/],
  ['a label over 80 characters', pb((p) => void (milestone(p).label = 'x'.repeat(81))), /must be at most 80 characters/],
  ['a negative weight', pb((p) => void (milestone(p).weight = -1)), /must be ≥ 0/],
  ['empty guidance', pb((p) => void (milestone(p).guidance = '')), /must tell the rep what to do/],
  ['an unknown rule kind', rule({ kind: 'vibes' }), /must be one of field, contactRoles/],
  ['a rule without a kind', rule({ window: 3 }), /must be one of field/],
  ['a field rule without a field', rule({ kind: 'field', op: 'present' }), /rule\.field: /],
  ['a field named __proto__', rule({ kind: 'field', field: '__proto__', op: 'present' }), /rule\.field: must be a field API name/],
  ['a field with a dot', rule({ kind: 'field', field: 'Account.Name', op: 'present' }), /must be a field API name/],
  ['a field with spaces', rule({ kind: 'field', field: 'Close Date', op: 'present' }), /must be a field API name/],
  ['an unknown op', rule({ kind: 'field', field: 'Amount', op: 'like' }), /rule\.op: /],
  ['equals without a value', rule({ kind: 'field', field: 'StageName', op: 'equals' }), /rule\.value: is required for op "equals"/],
  ['gte with words', rule({ kind: 'field', field: 'Amount', op: 'gte', value: 'big' }), /must be a number or a date for op "gte"/],
  ['in without values', rule({ kind: 'field', field: 'LeadSource', op: 'in' }), /rule\.values: is required for op "in"/],
  ['in with an empty list', rule({ kind: 'field', field: 'LeadSource', op: 'in', values: [] }), /must list at least one value/],
  ['changed on an untracked field', rule({ kind: 'field', field: 'NextStep', op: 'changed' }), /has no history/],
  ['a zero window', rule({ kind: 'executive', window: 0 }), /must be > 0/],
  ['a negative window', rule({ kind: 'stakeholders', atLeast: 2, window: -3 }), /must be > 0/],
  ['a fractional window', rule({ kind: 'executive', window: 1.5 }), /must be a whole number of days/],
  ['a window in words', rule({ kind: 'executive', window: 'thirty' }), /must be a number of days/],
  ['atLeast zero', rule({ kind: 'contactRoles', roles: ['Economic Buyer'], atLeast: 0 }), /must be ≥ 1/],
  ['no roles', rule({ kind: 'contactRoles', roles: [], atLeast: 1 }), /must list at least one role/],
  ['no activity types', rule({ kind: 'activity', types: [], atLeast: 1, window: 7 }), /must list at least one activity type/],
  ['an unknown activity type', rule({ kind: 'activity', types: ['fax'], atLeast: 1, window: 7 }), /rule\.types\[0\]: /],
  ['an all with no rules', rule({ kind: 'all', rules: [] }), /must combine at least one rule/],
  ['all/any nested 1,000 deep', rule(deep(1000)), /nests (all\/any rules )?deeper than/],
  ['all/any nested 9 deep', rule(deep(9)), /nests all\/any rules deeper than 8 levels/],
  ['a stall factor below 1', pb((p) => void (p.settings = { stallFactor: 0.5 })), /settings\.stallFactor: must be ≥ 1/],
  ['a stall percentile of 100', pb((p) => void (p.settings = { stallPercentile: 100 })), /settings\.stallPercentile: must be ≤ 99/],
  ['an unknown risk flag', pb((p) => void (p.settings = { riskFlags: { Too_Quiet: 'raise' } })), /settings\.riskFlags/],
  ['a risk flag setting in words', pb((p) => void (p.settings = { riskFlags: { Stalled: 'always' } })), /settings\.riskFlags\.Stalled: /],
  ['executiveFromStage naming no stage', pb((p) => void (p.processes[0]!.executiveFromStage = 'Nowhere')), /names stage "Nowhere", which this process does not have/],
  ['two default processes', pb((p) => { const copy = structuredClone(p.processes[0]!); copy.name = 'Other'; copy.default = true; p.processes[0]!.default = true; p.processes.push(copy); }), /only one process may be the default/],
  ['3.6 MB of guidance', pb((p) => void (milestone(p).guidance = 'x'.repeat(3_600_000))), /a playbook may have at most 262,144/],
  ['JSON nested 100 deep', pb((p) => { let v: unknown = 1; for (let i = 0; i < 100; i++) v = [v]; milestone(p).coachingQuestions = v; }), /nests deeper than 40 levels/],
];

const TEXT_CASES: [string, string, RegExp][] = [
  ['not JSON', '{ "version": 1, ', /is not valid JSON/],
  ['a trailing comma', '{ "version": 1, }', /is not valid JSON/],
  ['a duplicate key', '{ "version": 1, "version": 1, "processes": [] }', /^version: the key "version" appears twice in the same object$/],
  ['a duplicate key deep inside', JSON.stringify(DEFAULT_PLAYBOOK_INPUT).replace('"guidance":', '"guidance":"x","guidance":'), /gate\.milestones\[0\]\.guidance: the key "guidance" appears twice/],
  ['comments', '// my playbook\n{ "version": 1 }', /is not valid JSON/],
  ['single quotes', "{ 'version': 1 }", /is not valid JSON/],
];

describe('bad input: playbooks', () => {
  let dir = '';
  let c: Companion;
  let before = '';
  beforeAll(async () => {
    dir = suiteDir('bad-input-playbook');
    const orgFile = join(dir, 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date());
    c = composeCompanion({ dataDir: dir, orgFile });
    expect((await changePlaybook(c, DEFAULT_PLAYBOOK_INPUT, { save: true })).ok).toBe(true);
    before = readFileSync(playbookFile(dir), 'utf8');
  });
  afterAll(async () => {
    await c.close();
  });

  it.each(PLAYBOOK_CASES)('playbook: %s', async (_name, candidate, pattern) => {
    const result = await changePlaybook(c, candidate, { save: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const described = result.errors.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`);
    for (const line of described) expectOneLine(line);
    expect(described.join('\n')).toMatch(pattern);
    expect(readFileSync(playbookFile(dir), 'utf8')).toBe(before);
  });

  it.each(TEXT_CASES)('playbook text: %s', (_name, text, pattern) => {
    const parsed = parseJsonText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const line = `${parsed.path ? `${parsed.path}: ` : ''}${parsed.message}`;
    expectOneLine(line);
    expect(line).toMatch(pattern);
  });

  it('playbook: unknown keys are ignored and a BOM is not a character (documented acceptances)', async () => {
    const extra = pb((p) => void ((p as Record<string, unknown>).comment = 'for the admins'));
    expect((await changePlaybook(c, extra, { save: false })).ok).toBe(true);
    expect(parseJsonText(`\uFEFF${JSON.stringify(DEFAULT_PLAYBOOK_INPUT)}`).ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Configuration and the command line: one line naming the variable or option; nothing is started.

const CONFIG_CASES: [string, Record<string, string>, RegExp][] = [
  ['PORT in hex', { PORT: '0x50' }, /^configuration: PORT \("0x50"\) must be a port number/],
  ['PORT in exponent form', { PORT: '1e3' }, /^configuration: PORT \("1e3"\)/],
  ['PORT negative', { PORT: '-1' }, /^configuration: PORT \("-1"\)/],
  ['PORT too large', { PORT: '70000' }, /^configuration: PORT \("70000"\) must be a port number from 0 to 65535/],
  ['PORT in words', { PORT: 'eighty' }, /^configuration: PORT \("eighty"\)/],
  ['PORT padded', { PORT: ' 80' }, /^configuration: PORT \(" 80"\)/],
  ['PORT with a fraction', { PORT: '80.5' }, /^configuration: PORT \("80.5"\)/],
  ['HOST with a space', { HOST: 'a b' }, /^configuration: HOST \("a b"\) must be a host name or an IP address$/],
  ['HOST with a scheme', { HOST: 'http://localhost' }, /^configuration: HOST /],
  ['HOST 127.0.0.1.nip.io without a token', { HOST: '127.0.0.1.nip.io' }, /STAGECRAFT_API_TOKEN is required when HOST \(127\.0\.0\.1\.nip\.io\) is not a loopback address/],
  ['HOST 0.0.0.0 without a token', { HOST: '0.0.0.0' }, /STAGECRAFT_API_TOKEN is required/],
  ['a short API token', { STAGECRAFT_API_TOKEN: 'short' }, /^configuration: STAGECRAFT_API_TOKEN must be at least 16 characters$/],
  ['a data folder under /proc', { STAGECRAFT_DATA_DIR: '/proc/self' }, /STAGECRAFT_DATA_DIR \("\/proc\/self"\) must not be under \/proc, \/sys or \/dev/],
  ['a data folder under /sys', { STAGECRAFT_DATA_DIR: '/sys/kernel' }, /must not be under \/proc, \/sys or \/dev/],
  ['SF_API_VERSION malformed', { SF_API_VERSION: 'v62' }, /SF_API_VERSION \("v62"\) must look like 65\.0/],
  ['SF_NAMESPACE malformed', { SF_NAMESPACE: '1bad-ns' }, /SF_NAMESPACE/],
  ['SF_API_BUDGET_SHARE zero', { SF_API_BUDGET_SHARE: '0' }, /SF_API_BUDGET_SHARE \("0"\) must be a share between 0 and 1/],
  ['SF_API_BUDGET_SHARE above 1', { SF_API_BUDGET_SHARE: '2' }, /must be a share between 0 and 1/],
  ['SF_BULK_THRESHOLD negative', { SF_BULK_THRESHOLD: '-1' }, /SF_BULK_THRESHOLD/],
  ['SF_POLL_SECONDS too short', { SF_POLL_SECONDS: '5' }, /SF_POLL_SECONDS/],
  ['SF_INSTANCE_URL not a URL', { SF_INSTANCE_URL: 'my org' }, /SF_INSTANCE_URL/],
  ['DATABASE_URL not a URL', { DATABASE_URL: 'postgres' }, /DATABASE_URL/],
  ['HUBSPOT_BASE_URL not a URL', { HUBSPOT_BASE_URL: 'api.hubapi' }, /HUBSPOT_BASE_URL/],
];

const ARG_CASES: [string, string[], RegExp][] = [
  ['--as-of 1', ['sync', '--as-of', '1'], /^--as-of "1" is not an ISO date/],
  ['--as-of 2026-02-30', ['sync', '--as-of', '2026-02-30'], /^--as-of "2026-02-30" is not an ISO date/],
  ['--as-of in words', ['backtest', '--as-of', 'yesterday'], /^--as-of "yesterday" is not an ISO date/],
  ['--as-of hour 24', ['sync', '--as-of', '2026-02-01T24:00:00Z'], /^--as-of "2026-02-01T24:00:00Z" is not an ISO date/],
  ['--limit abc', ['sync', '--dry-run', '--limit', 'abc'], /^--limit "abc" is not a whole number/],
  ['--limit 0', ['sync', '--dry-run', '--limit', '0'], /^--limit "0" is not a whole number from 1/],
  ['--limit -5', ['sync', '--dry-run', '--limit=-5'], /^--limit "-5" is not a whole number/],
  ['--crm bogus', ['serve', '--crm', 'bogus'], /^--crm bogus is not one of embedded, salesforce, hubspot$/],
  ['an unknown command', ['frobnicate'], /^unknown command "frobnicate"/],
  ['an unknown option', ['sync', '--fast'], /Unknown option '--fast'/],
  ['import without a folder', ['import'], /^import needs a folder/],
  ['playbook with no action', ['playbook', 'check'], /^usage: stagecraft playbook/],
];

describe('bad input: configuration and the command line', () => {
  it.each(CONFIG_CASES)('configuration: %s', (_name, env, pattern) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expectOneLine((error as Error).message);
    expect((error as Error).message).toMatch(pattern);
  });

  it.each(ARG_CASES)('command line: %s', async (_name, argv, pattern) => {
    const error = await main(argv).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('bad_input');
    // Usage errors may add the usage text after their first line; the error itself is that first line.
    const first = (error as Error).message.split('\n')[0]!;
    expectOneLine(first);
    expect(first).toMatch(pattern);
  });

  it('configuration: a data folder that is a file, or inside a file, is one line of kind configuration', () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    for (const [dir, pattern] of [[file, /is a file, not a folder$/], [join(file, 'sub'), /cannot be read: ENOTDIR$/]] as const) {
      let error: unknown;
      try {
        checkDataDir(dir);
      } catch (e) {
        error = e;
      }
      expect((error as AppError).kind).toBe('configuration');
      expectOneLine((error as Error).message);
      expect((error as Error).message).toMatch(pattern);
    }
  });

  it('configuration: a store another process holds locked is a transient one-line error, not an internal one', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const file = join(tempDir(), 'busy.sqlite');
    const holder = new DatabaseSync(file);
    holder.exec('CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);');
    const other = new DatabaseSync(file);
    let error: unknown;
    try {
      other.exec('INSERT INTO t VALUES (2)');
    } catch (e) {
      error = e;
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      other.close();
    }
    const { asAppError } = await import('../../server/src/errors.ts');
    const e = asAppError(error);
    expect(e.kind).toBe('transient');
    expectOneLine(e.message);
  });

  it('configuration: the port in use and an address not of this machine are one line each', async () => {
    const dir = tempDir();
    const orgFile = join(dir, 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date());
    const store = OrgStore.open(orgFile);
    const first = await startServer({ store, dataDir: dir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', 0);
    const port = Number(new URL(first.url).port);
    const otherDir = tempDir();
    importFolder(FIXTURE_DIR, join(otherDir, 'org.sqlite'), new Date());
    const other = OrgStore.open(join(otherDir, 'org.sqlite'));
    try {
      const inUse = await startServer({ store: other, dataDir: otherDir, apiToken: null, crm: 'embedded', logger: silentLogger }, '127.0.0.1', port).then(() => null, (e: unknown) => e);
      expect((inUse as AppError).kind).toBe('conflict');
      expect((inUse as Error).message).toBe(`port ${port} on 127.0.0.1 is already in use: stop the other process or set PORT`);
      const foreign = await startServer({ store: other, dataDir: otherDir, apiToken: 'a-long-enough-token', crm: 'embedded', logger: silentLogger }, '192.0.2.1', 0).then(() => null, (e: unknown) => e);
      expectOneLine((foreign as Error).message);
      expect((foreign as Error).message).toBe('HOST 192.0.2.1 is not an address of this machine');
    } finally {
      await first.stop();
      store.close();
      other.close();
    }
    expect(parseAsOf('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// HTTP: hostile and malformed requests answer 4xx with { error: { name, message } } (or GraphQL's errors), change
// nothing, and the server keeps answering.

const send = rawRequest;

const J = { 'content-type': 'application/json' };
const OPP = '006bm00000LKJNNAA5';
const q = (query: string): string => JSON.stringify({ query });

const HTTP_CASES: [string, string, string, Record<string, string>, (string | Buffer)?, number?][] = [
  ['a foreign Host', 'GET', '/api/opportunities', { host: 'evil.example' }, undefined, 403],
  ['a rebinding Host on our port', 'GET', '/api/playbook', { host: 'attacker.example:3000' }, undefined, 403],
  ['a Host with a path in it', 'GET', '/api/users', { host: 'localhost/evil' }, undefined, 403],
  ['a cross-origin write', 'POST', '/api/sync', { ...J, origin: 'http://evil.example' }, '{}', 403],
  ['a null origin write', 'POST', '/api/sync', { ...J, origin: 'null' }, '{}', 403],
  ['a cross-site fetch', 'PUT', '/api/playbook', { ...J, 'sec-fetch-site': 'cross-site' }, '{}', 403],
  ['a text/plain write', 'POST', '/api/sync', { 'content-type': 'text/plain' }, '{}', 415],
  ['a form post', 'POST', '/api/attestations', { 'content-type': 'application/x-www-form-urlencoded' }, 'note=x', 415],
  ['a multipart post', 'POST', '/api/ui/records', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--', 415],
  ['a write with no content type', 'PATCH', `/api/ui/records/${OPP}`, {}, '{}', 415],
  ['malformed JSON', 'POST', '/api/attestations', J, '{', 400],
  ['a JSON array body', 'POST', '/api/attestations', J, '[]', 400],
  ['a JSON string body', 'POST', '/api/attestations', J, '"x"', 400],
  ['a body over 256 KB', 'POST', '/api/attestations', J, JSON.stringify({ note: 'x'.repeat(300_000) }), 413],
  ['an attestation without a note', 'POST', '/api/attestations', J, JSON.stringify({ opportunityId: OPP, milestoneKey: 'next_step_set' }), 400],
  ['an attestation with a blank note', 'POST', '/api/attestations', J, JSON.stringify({ opportunityId: OPP, milestoneKey: 'next_step_set', note: '   ' }), 400],
  ['an attestation with an extra field', 'POST', '/api/attestations', J, JSON.stringify({ opportunityId: OPP, milestoneKey: 'next_step_set', note: 'n', admin: true }), 400],
  ['an attestation for a deal that does not exist', 'POST', '/api/attestations', J, JSON.stringify({ opportunityId: '006000000000000AAA', milestoneKey: 'next_step_set', note: 'n' }), 400],
  ['an attestation with a bad milestone key', 'POST', '/api/attestations', J, JSON.stringify({ opportunityId: OPP, milestoneKey: '../../etc', note: 'n' }), 400],
  ['an attestation with __proto__', 'POST', '/api/attestations', J, '{"__proto__":{"admin":true},"opportunityId":"x"}', 400],
  ['a malformed record id', 'GET', '/api/opportunities/not-an-id', {}, undefined, 400],
  ['an unknown route', 'GET', '/api/nothing-here', {}, undefined, 404],
  ['path traversal', 'GET', '/api/../../etc/passwd', {}, undefined, 404],
  ['an encoded NUL', 'GET', '/api/opportunities/006bm00000LKJNNAA5%00', {}, undefined, 400],
  ['a method the route lacks', 'PUT', '/api/sync', J, '{}', 404],
  ['limit 0', 'GET', '/api/opportunities?limit=0', {}, undefined, 400],
  ['limit in words', 'GET', '/api/opportunities?limit=all', {}, undefined, 400],
  ['limit 100000', 'GET', '/api/opportunities?limit=100000', {}, undefined, 400],
  ['a negative offset', 'GET', '/api/users?offset=-1', {}, undefined, 400],
  ['a filter without an operation', 'GET', '/api/opportunities?filter=StageName', {}, undefined, 400],
  ['a filter with an unknown operation', 'GET', '/api/opportunities?filter=StageName:resembles:x', {}, undefined, 400],
  ['a filter on an unknown field', 'GET', '/api/opportunities?filter=Secret__c:equals:x', {}, undefined, 400],
  ['a boolean filter with SQL', 'GET', `/api/opportunities?filter=StageName:equals:x&booleanFilter=${encodeURIComponent('1; DROP TABLE x')}`, {}, undefined, 400],
  ['21 filters', 'GET', `/api/opportunities?${Array.from({ length: 21 }, () => 'filter=StageName:equals:x').join('&')}`, {}, undefined, 400],
  ['sortBy an unknown column', 'GET', '/api/opportunities?sortBy=Password', {}, undefined, 400],
  ['a scope that does not exist', 'GET', '/api/opportunities?scope=all_orgs', {}, undefined, 400],
  ['a sync as of a bad date', 'POST', '/api/sync', J, JSON.stringify({ asOf: '2026-02-30T00:00:00Z' }), 400],
  ['a sync with an unknown option', 'POST', '/api/sync', J, JSON.stringify({ full: true }), 400],
  ['a playbook dry run flag in words', 'PUT', '/api/playbook?dryRun=maybe', J, JSON.stringify(DEFAULT_PLAYBOOK_INPUT), 400],
  ['a playbook with a duplicate key', 'PUT', '/api/playbook', J, '{"version":1,"version":1}', 400],
  ['a playbook naming __proto__', 'PUT', '/api/playbook', J, JSON.stringify(rule({ kind: 'field', field: '__proto__', op: 'present' })), 400],
  ['a playbook nested 1,000 deep', 'PUT', '/api/playbook', J, JSON.stringify(rule(deep(1000))), 400],
  ['a batch of 201 records', 'GET', `/api/ui/records/batch/${Array.from({ length: 201 }, () => OPP).join(',')}`, {}, undefined, 400],
  ['a UI record update of a record that does not exist', 'PATCH', '/api/ui/records/006000000000000AAA', J, JSON.stringify({ fields: { Name: 'x' } }), 400],
  ['a delete of a deal', 'DELETE', `/api/ui/records/${OPP}`, {}, undefined, 400],
  ['a related list that does not exist', 'GET', `/api/ui/related-list-records/${OPP}/Secrets`, {}, undefined, 400],
  ['a GraphQL body without a query', 'POST', '/api/ui/graphql', J, '{}', 400],
  ['a GraphQL query over 20,000 characters', 'POST', '/api/ui/graphql', J, q(`query { uiapi { query { Stage_Gate__c { edges { node { Id ${' '.repeat(20_001)} } } } } } }`), 400],
];

const GRAPHQL_CASES: [string, string, RegExp][] = [
  ['a syntax error', 'query { uiapi {', /Syntax Error/],
  ['a mutation', 'mutation { deleteEverything }', /Only queries are supported/],
  ['an unknown object', 'query { uiapi { query { Secret__c { edges { node { Id } } } } } }', /the preview serves no Secret__c records/],
  ['an unknown field', 'query { uiapi { query { Stage_Gate__c { edges { node { Password__c { value } } } } } } }', /Field 'Password__c' is not defined on Stage_Gate__c/],
  ['an unknown operator', 'query { uiapi { query { Stage_Gate__c(where: { Name: { regex: ".*" } }) { edges { node { Id } } } } } }', /operator "regex" on Name is not supported/],
  ['first: 1000000', 'query { uiapi { query { Stage_Gate__c(first: 1000000) { edges { node { Id } } } } } }', /first must be a whole number from 1 to 2000/],
  ['relationships 12 deep', `query { uiapi { query { Gate_Milestone__c { edges { node { ${'Stage_Gate__r { Gate_Milestones__r { edges { node { '.repeat(12)} Id ${'} } } }'.repeat(12)} } } } } } }`, /nests deeper than 14 levels/],
  ['31 aliases', `query { uiapi { query { ${Array.from({ length: 31 }, (_, i) => `a${i}: Stage_Gate__c { edges { node { Id } } }`).join(' ')} } } }`, /more than 30 aliases/],
  ['1,100 fields', `query { uiapi { query { Stage_Gate__c { edges { node { ${'Id '.repeat(1100)} } } } } } }`, /more than 1000 fields/],
  ['5,000 tokens of nothing', `query { uiapi { query { Stage_Gate__c(where: { and: [${'{} '.repeat(3000)}] }) { edges { node { Id } } } } } }`, /Syntax Error|tokens/],
  ['a where nested 2,000 deep', `query { uiapi { query { Stage_Gate__c(where: ${'{ not: '.repeat(2000)}{ Id: { eq: "x" } }${' }'.repeat(2000)}) { edges { node { Id } } } } } }`, /nested too deeply|tokens/],
  ['an operation name that is not there', 'query a { uiapi { query { Stage_Gate__c { edges { node { Id } } } } } }', /Unknown operation named "b"/],
];

describe('bad input: HTTP requests', () => {
  let running: RunningServer;
  let store: OrgStore;
  let url: URL;
  let dir = '';
  beforeAll(async () => {
    dir = suiteDir('bad-input-http');
    importFolder(FIXTURE_DIR, join(dir, 'org.sqlite'), new Date());
    store = OrgStore.open(join(dir, 'org.sqlite'));
    running = await startServer({ store, dataDir: dir, apiToken: null, crm: 'embedded', logger: silentLogger, rateLimit: { reads: 100_000, writes: 100_000 } }, '127.0.0.1', 0);
    url = new URL(running.url);
  });
  afterAll(async () => {
    await running.stop();
    store.close();
  });

  const unchanged = async (): Promise<void> => {
    expect(store.count('Milestone_Attestation__c')).toBe(0);
    expect(store.get('Opportunity', OPP)?.Name).toBe('Dickenson Mobile Generators');
    expect((await send(url, 'GET', '/api/health')).status).toBe(200);
  };

  it.each(HTTP_CASES)('HTTP: %s', async (_name, method, path, headers, body, status) => {
    const res = await send(url, method, path, headers, body);
    expect(res.status).toBe(status);
    const parsed = JSON.parse(res.body) as { error?: { name: string; message: string }; message?: string } | { errorCode: string; message: string }[];
    const message = Array.isArray(parsed) ? parsed[0]!.message : parsed.error?.message ?? parsed.message ?? '';
    expectOneLine(message);
    await unchanged();
  });

  it.each(GRAPHQL_CASES)('HTTP GraphQL: %s', async (_name, query, pattern) => {
    const res = await send(url, 'POST', '/api/ui/graphql', J, JSON.stringify({ query, ...(query.startsWith('query a') ? { operationName: 'b' } : {}) }));
    expect(res.status).toBe(200);
    const parsed = JSON.parse(res.body) as { data: unknown; errors: { message: string }[] };
    expect(parsed.errors.length).toBeGreaterThan(0);
    expectOneLine(parsed.errors[0]!.message.replace(/\n/g, ' ').slice(0, 500));
    expect(parsed.errors.map((e) => e.message).join('\n')).toMatch(pattern);
    await unchanged();
  });

  it('HTTP: a playbook with a byte-order mark is accepted as a dry run (documented)', async () => {
    const res = await send(url, 'PUT', '/api/playbook?dryRun=true', J, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(DEFAULT_PLAYBOOK_INPUT))]));
    expect([200, 400]).toContain(res.status);
    if (res.status === 400) expectOneLine((JSON.parse(res.body) as { error: { message: string } }).error.message);
    await unchanged();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// CRM responses: what Salesforce (or the network to it) answers is turned into one line of the right kind.

describe('bad input: CRM responses', async () => {
  const { adapterFor, demoSlice, emulatorWith } = await import('./salesforce.support.ts');
  const { keyPair } = await import('../emulators/salesforce/helpers.ts');
  const { runSync } = await import('../../server/src/use-cases/sync.ts');
  const { DEFAULT_PLAYBOOK } = await import('../../shared/src/playbook/default-playbook.ts');
  type Emu = Awaited<ReturnType<typeof emulatorWith>>;
  let emu: Emu;
  beforeAll(async () => {
    emu = await emulatorWith(demoSlice(1));
  }, 60_000);
  afterAll(async () => {
    await emu.stop();
  });

  const failure = async (adapter: ReturnType<typeof adapterFor>): Promise<AppError> => {
    const error = await runSync({ adapter, playbook: DEFAULT_PLAYBOOK }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expectOneLine((error as Error).message);
    return error as AppError;
  };

  const CASES: [string, () => ReturnType<typeof adapterFor>, string, RegExp][] = [
    ['a refused port', () => adapterFor(emu, tempDir(), { auth: { kind: 'session', instanceUrl: 'http://127.0.0.1:1', accessToken: 'x' } }), 'transient', /ECONNREFUSED: cannot reach 127\.0\.0\.1:1/],
    ['a name that does not resolve', () => adapterFor(emu, tempDir(), { auth: { kind: 'session', instanceUrl: 'http://org.invalid', accessToken: 'x' } }), 'transient', /ENOTFOUND: cannot reach org\.invalid/],
    ['an invalid session', () => adapterFor(emu, tempDir(), { auth: { kind: 'session', instanceUrl: emu.url, accessToken: 'expired-token' } }), 'authentication', /INVALID_SESSION_ID/],
    ['an invalid refresh token', () => adapterFor(emu, tempDir(), { auth: { kind: 'refresh', loginUrl: emu.url, clientId: 'no-such-app', clientSecret: null, refreshToken: 'nope' } }), 'authentication', /refused the login/],
    ['a JWT for an unknown app', () => adapterFor(emu, tempDir(), { auth: { kind: 'jwt', loginUrl: emu.url, clientId: 'no-such-app', username: 'u@example.com', privateKey: keyPair().privateKey } }), 'authentication', /refused the login/],
    ['a private key that is not one', () => adapterFor(emu, tempDir(), { auth: { kind: 'jwt', loginUrl: emu.url, clientId: 'x', username: 'u@example.com', privateKey: 'not a key' } }), 'configuration', /SF_PRIVATE_KEY_FILE does not hold a usable RSA private key/],
    ['a login server that refuses connections', () => adapterFor(emu, tempDir(), { auth: { kind: 'refresh', loginUrl: 'http://127.0.0.1:1', clientId: 'x', clientSecret: null, refreshToken: 'y' } }), 'transient', /ECONNREFUSED: cannot reach 127\.0\.0\.1:1/],
  ];

  it.each(CASES)('CRM: %s', async (_name, adapter, kind, pattern) => {
    const error = await failure(adapter());
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(pattern);
  }, 30_000);

  /** An "instance" that answers every call with `answer(path)`: what a proxy, a wrong URL or a broken gateway does. */
  const fakeInstance = async (answer: (path: string) => { status: number; type: string; body: string }): Promise<{ url: string; close: () => void }> => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const a = answer(req.url ?? '');
      res.writeHead(a.status, { 'content-type': a.type });
      res.end(a.body);
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => server.close() };
  };
  const json = (body: string) => ({ status: 200, type: 'application/json', body });
  const SOBJECTS = JSON.stringify({ sobjects: ['Opportunity', 'OpportunityHistory', 'OpportunityContactRole', 'Task', 'Event', 'User', 'Account', 'Contact'].map((name) => ({ name, queryable: true })) });

  it.each([
    ['a proxy login page', () => ({ status: 200, type: 'text/html', body: '<html><form>Sign in to the proxy</form></html>' }), 'configuration', /UNEXPECTED_RESPONSE: .* with something that is not Salesforce's JSON/],
    ['a bad gateway page', () => ({ status: 502, type: 'text/html', body: '<html>\n<h1>502</h1>\n</html>' }), 'transient', /ERROR_HTTP_502/],
    ['a truncated JSON answer', () => json('{"sobjects": [{"na'), 'configuration', /UNEXPECTED_RESPONSE/],
    ['an empty object', () => json('{}'), 'configuration', /GET \/sobjects did not answer as Salesforce does/],
    ['null', () => json('null'), 'configuration', /GET \/sobjects did not answer as Salesforce does/],
    ['a describe without fields', (p: string) => json(p.endsWith('/sobjects') ? SOBJECTS : '{"fields": null}'), 'configuration', /describe did not answer as Salesforce does/],
  ] as const)('CRM: an instance answering %s', async (_name, answer, kind, pattern) => {
    const fake = await fakeInstance(answer);
    try {
      const error = await failure(adapterFor(emu, tempDir(), { auth: { kind: 'session', instanceUrl: fake.url, accessToken: 'x' } }));
      expect(error.kind).toBe(kind);
      expect(error.message).toMatch(pattern);
    } finally {
      fake.close();
    }
  }, 30_000);

  it.each([
    ['every query answering 500', { type: 'http500' as const, times: 100, path: '/query' }, 'transient'],
    ['every describe answering 503', { type: 'http503' as const, times: 100, path: '/describe' }, 'transient'],
    ['REQUEST_LIMIT_EXCEEDED on the first call', { type: 'requestLimitExceeded' as const, times: 1 }, 'budget'],
  ])('CRM: %s', async (_name, fault, kind) => {
    emu.faults.clear();
    emu.faults.inject(fault);
    try {
      const error = await failure(adapterFor(emu, tempDir()));
      expect(error.kind).toBe(kind);
    } finally {
      emu.faults.clear();
    }
  }, 60_000);
});

describe('bad input: HubSpot responses', async () => {
  const { hubspotAdapter, portalWith, sharedEvidence } = await import('./hubspot.support.ts');
  const { runSync } = await import('../../server/src/use-cases/sync.ts');
  const { DEFAULT_PLAYBOOK } = await import('../../shared/src/playbook/default-playbook.ts');
  type Portal = Awaited<ReturnType<typeof portalWith>>;
  let portal: Portal;
  beforeAll(async () => {
    portal = await portalWith(sharedEvidence(1));
  }, 60_000);
  afterAll(async () => {
    await portal.emu.stop();
  });

  const fast = { retry: { baseMs: 1, maxMs: 4, attempts: 2 }, sleep: () => Promise.resolve() };
  it.each([
    ['an unreachable portal', () => ({ basePath: 'http://127.0.0.1:1' }), 'transient', /unreachable.*ECONNREFUSED/],
    ['a name that does not resolve', () => ({ basePath: 'http://portal.invalid' }), 'transient', /unreachable.*ENOTFOUND/],
    ['a token HubSpot does not know', () => ({ accessToken: 'pat-na1-not-a-token' }), 'authentication', /./],
  ] as const)('CRM: HubSpot %s', async (_name, api, kind, pattern) => {
    const adapter = hubspotAdapter(portal.emu, tempDir(), { ...fast, ...api() });
    const error = await runSync({ adapter, playbook: DEFAULT_PLAYBOOK }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expectOneLine((error as Error).message);
    expect((error as AppError).kind).toBe(kind);
    expect((error as Error).message).toMatch(pattern);
  }, 60_000);
});

describe('bad input: coverage', () => {
  it('covers at least 120 kinds of bad input across CSV, playbooks, HTTP, configuration and CRM responses', () => {
    // The top-level tables alone; the inline cases (exports, quotas, locked stores, ports, CRM responses) add ~30.
    const tables = CSV_CASES.length + PLAYBOOK_CASES.length + TEXT_CASES.length + CONFIG_CASES.length + ARG_CASES.length + HTTP_CASES.length + GRAPHQL_CASES.length;
    expect(tables).toBeGreaterThanOrEqual(120);
  });
});
