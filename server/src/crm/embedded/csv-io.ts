// `stagecraft import <dir>` and `stagecraft export <dir>`: the embedded org to and from a folder of Salesforce-export
// CSVs (Data Loader / Data Export column names). An import is all or nothing: every problem is reported with its file,
// line and column, and the existing org is replaced only when the whole folder loaded cleanly.
import { AppError } from '../../errors.ts';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { CsvError, readCsvRows, toCsv } from '../../csv.ts';
import { to18 } from '../sf-id.ts';
import { OBJECTS, OBJECT_NAMES, OPPORTUNITY_STANDARD_FIELDS, fileOf, type SfField, type SfObjectName } from '../sobjects.ts';
import { OrgStore, type ExtraFields, type SfRecord, type SfValue } from './store.ts';

export interface ImportProblem {
  file: string;
  /** 1-based line in the file (the header is line 1); null for a whole-file problem. */
  line: number | null;
  column: string | null;
  message: string;
}

export class ImportError extends AppError {
  readonly problems: ImportProblem[];
  constructor(problems: ImportProblem[], more = 0) {
    const shown = problems.slice(0, 20).map(formatProblem);
    const total = problems.length + more;
    super('bad_input', `import failed with ${total} problem${total === 1 ? '' : 's'}; the existing org is unchanged:\n  ${shown.join('\n  ')}${total > 20 ? `\n  … and ${total - 20} more` : ''}`);
    this.problems = problems;
  }
}

export const formatProblem = (p: ImportProblem): string => `${p.file}${p.line ? `, line ${p.line}` : ''}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;

export interface ImportSummary {
  counts: Partial<Record<SfObjectName, number>>;
  /** Columns in the files that no Stagecraft object field has (kept out, not an error). */
  ignoredColumns: { file: string; columns: string[] }[];
  /** CSV files in the folder that are no object import reads (Lead.csv): listed, not loaded. */
  ignoredFiles?: string[];
  /** Users referenced by records but absent because the folder had no User.csv. */
  placeholderUsers: number;
  /** Opportunity columns kept beyond Stagecraft's own (custom `__c` fields and other standard fields), with their type. */
  keptFields: { name: string; type: SfField['type'] }[];
}

// Data Loader writes `02/23/26`, `02/23/26 08:55 PM`, `2/3/2024 14:05`; Data Export and the APIs write ISO-8601.
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Two-digit years (`12/31/99`), by the POSIX rule (strptime's %y, Excel's and Data Loader's reading): 69–99 are
 * 1969–1999, 00–68 are 2000–2068. Fixed, not relative to the clock, so an import reads the same every day.
 */
export const twoDigitYear = (yy: number): number => (yy >= 69 ? 1900 + yy : 2000 + yy);

const validDay = (y: number, m: number, d: number): boolean => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

/** A date or date-time cell as ISO (`2026-02-23` / `2026-02-23T20:55:00.000Z`), or null when it is not one. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CANONICAL_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const parseSalesforceDate = (text: string, type: 'date' | 'datetime'): string | null => {
  // Data Export's own forms first, checked without building a Date: most cells of a large export are these.
  if (text.length === 10 && ISO_DATE.test(text)) {
    const y = Number(text.slice(0, 4));
    const m = Number(text.slice(5, 7));
    const d = Number(text.slice(8, 10));
    if (m < 1 || m > 12 || d < 1 || d > DAYS_IN_MONTH[m - 1]! || (m === 2 && d === 29 && !validDay(y, m, d))) return null;
    return type === 'date' ? text : `${text}T00:00:00.000Z`;
  }
  if (text.length === 24 && CANONICAL_INSTANT.test(text)) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return null;
    const iso = new Date(ms).toISOString();
    // A date that rolled over (Feb 30) comes back different.
    if (iso !== text) return null;
    return type === 'date' ? text.slice(0, 10) : text;
  }
  const us = US_DATE.exec(text);
  if (us) {
    const [, mm, dd, yy, hh, mi, ss, ampm] = us;
    const year = yy!.length === 2 ? twoDigitYear(Number(yy)) : Number(yy);
    if (!validDay(year, Number(mm), Number(dd))) return null;
    let hour = Number(hh ?? 0);
    if (ampm) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
    }
    if (hour > 23 || Number(mi ?? 0) > 59 || Number(ss ?? 0) > 59) return null;
    const ms = Date.UTC(year, Number(mm) - 1, Number(dd), hour, Number(mi ?? 0), Number(ss ?? 0));
    return type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
  }
  if (ISO_DATE.test(text)) {
    const [y, m, d] = text.split('-').map(Number);
    if (!validDay(y!, m!, d!)) return null;
    return type === 'date' ? text : `${text}T00:00:00.000Z`;
  }
  if (ISO_INSTANT.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2') + (/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? '' : 'Z'));
    if (Number.isNaN(ms)) return null;
    return type === 'date' ? new Date(ms).toISOString().slice(0, 10) : new Date(ms).toISOString();
  }
  return null;
};

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n', '']);

/** A cell that cannot be stored, with the reason. */
class CellProblem {
  readonly problem: string;
  constructor(problem: string) {
    this.problem = problem;
  }
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** One cell to a stored value, or the problem with it (no wrapper object per cell: an import converts millions). */
const convert = (field: SfField, raw: string): SfValue | CellProblem => {
  const text = raw.trim();
  if (text === '') return field.type === 'boolean' ? false : null;
  switch (field.type) {
    case 'id':
    case 'reference':
      return ID_SHAPE.test(text) ? to18(text) : new CellProblem(`"${text}" is not a Salesforce id (15 or 18 letters and digits)`);
    case 'date':
    case 'datetime': {
      const iso = parseSalesforceDate(text, field.type);
      return iso ?? new CellProblem(`"${text}" is not a date (expected ISO 2024-02-03${field.type === 'datetime' ? ' or 2024-02-03T10:00:00Z' : ''}, or MM/DD/YY)`);
    }
    case 'double':
    case 'int': {
      const n = Number(text.includes(',') ? text.replace(/,/g, '') : text);
      if (!Number.isFinite(n)) return new CellProblem(`"${text}" is not a number`);
      return field.type === 'int' && !Number.isInteger(n) ? new CellProblem(`"${text}" is not a whole number`) : n;
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      return new CellProblem(`"${text}" is not TRUE or FALSE`);
    }
    default:
      return raw;
  }
};

/**
 * A custom field's type from its cells (a CSV has no describe): checkboxes, then numbers, then dates, else text — so a
 * rule can compare `gte` on a number or a date, and `equals true` on a checkbox. Judged cell by cell as the file
 * streams past: each candidate type stays in the running while every filled cell fits it.
 */
class TypeGuess {
  private filled = 0;
  private boolean = true;
  private number = true;
  private date = true;
  private datetime = true;
  see(raw: string): void {
    const c = raw.trim();
    if (c === '') return;
    this.filled++;
    if (this.boolean && !/^(true|false)$/i.test(c)) this.boolean = false;
    if (this.number && !(Number.isFinite(Number(c.replace(/,/g, ''))) && /\d/.test(c))) this.number = false;
    if (this.date && !((/^\d{4}-\d{2}-\d{2}$/.test(c) || /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(c)) && parseSalesforceDate(c, 'date'))) this.date = false;
    if (this.datetime && !parseSalesforceDate(c, 'datetime')) this.datetime = false;
  }
  type(): SfField['type'] {
    if (this.filled === 0) return 'string';
    if (this.boolean) return 'boolean';
    if (this.number) return 'double';
    if (this.date) return 'date';
    return this.datetime ? 'datetime' : 'string';
  }
}

/**
 * The Opportunity columns a playbook rule may use beyond Stagecraft's own — a documented standard field, or any custom
 * (`__c`) field — found in a first pass over Opportunity.csv, so the new org is created with their columns.
 */
const opportunityExtras = (dir: string): SfField[] => {
  const path = join(dir, fileOf('Opportunity'));
  if (!existsSync(path)) return [];
  const fixed = new Set(OPPORTUNITY_FIELDS_FIXED.map((n) => n.toLowerCase()));
  const candidates: { index: number; name: string; standard: SfField | null; guess: TypeGuess }[] = [];
  try {
    readCsvRows(
      path,
      'Opportunity.csv',
      (header) => {
        header.forEach((h, index) => {
          if (fixed.has(h.toLowerCase())) return;
          const standard = OPPORTUNITY_STANDARD_FIELDS.find((f) => f.name.toLowerCase() === h.toLowerCase()) ?? null;
          if (standard || /^[A-Za-z][A-Za-z0-9_]*__c$/.test(h)) candidates.push({ index, name: standard?.name ?? h, standard, guess: new TypeGuess() });
        });
      },
      (row) => {
        for (const c of candidates) if (!c.standard) c.guess.see(row[c.index] ?? '');
      },
    );
  } catch (error) {
    // The loading pass reports the file's problems with their lines.
    if (error instanceof CsvError) return [];
    throw error;
  }
  return candidates.map((c) => c.standard ?? { name: c.name, type: c.guess.type() });
};

/** At most this many problems are kept with their place; the rest are counted. */
const MAX_PROBLEMS = 1000;

export class Problems {
  readonly list: ImportProblem[] = [];
  more = 0;
  add(problem: ImportProblem): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(problem);
    else this.more++;
  }
  get count(): number {
    return this.list.length + this.more;
  }
}

// Salesforce's own derived fields, for exports that left them out.
const deriveOpportunity = (r: SfRecord): void => {
  const stage = String(r.StageName ?? '');
  if (r.IsClosed === undefined || r.IsClosed === null) r.IsClosed = /^closed/i.test(stage);
  if (r.IsWon === undefined || r.IsWon === null) r.IsWon = /^closed won$/i.test(stage);
};

/**
 * Streams one object's file into the store: each row is converted and checked as it is read, and inserted when it is
 * clean, so memory holds a block of the file and the ids seen (for duplicates and the lines references point from).
 */
export const loadFile = (dir: string, object: SfObjectName, store: OrgStore, problems: Problems, ignored: ImportSummary['ignoredColumns']): Map<string, number> | null => {
  const file = fileOf(object);
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  // The store's fields: the fixed ones and, for Opportunity, the columns kept for playbook rules.
  const fields = store.fieldsOf(object);
  const known = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const required = fields.filter((f) => f.required);
  const lines = new Map<string, number>();
  let columns: ({ field: SfField; header: string } | null)[] = [];
  let usable = true;
  const insert = store.inserter(object);
  try {
    readCsvRows(
      path,
      file,
      (header) => {
        // A column named twice: which one holds the data is a guess nobody should make silently.
        const seen = new Map<string, number>();
        header.forEach((h, i) => {
          const first = seen.get(h.toLowerCase());
          if (first !== undefined) problems.add({ file, line: 1, column: h, message: `column ${h} appears twice (columns ${first + 1} and ${i + 1})` });
          else seen.set(h.toLowerCase(), i);
        });
        if (seen.size < header.length) usable = false;
        const missing = fields.filter((f) => f.required && !header.some((h) => h.toLowerCase() === f.name.toLowerCase()));
        for (const f of missing) problems.add({ file, line: 1, column: f.name, message: `required column ${f.name} is missing` });
        usable &&= missing.length === 0;
        const extra = header.filter((h) => !known.has(h.toLowerCase()));
        if (extra.length) ignored.push({ file, columns: extra });
        columns = header.map((h) => (known.has(h.toLowerCase()) ? { field: known.get(h.toLowerCase())!, header: h } : null));
      },
      (values, line) => {
        if (!usable) return;
        const record: SfRecord = {};
        let clean = true;
        let failed: Set<string> | null = null;
        for (let i = 0; i < columns.length; i++) {
          const column = columns[i];
          if (!column) continue;
          const result = convert(column.field, values[i] ?? '');
          if (result instanceof CellProblem) {
            problems.add({ file, line, column: column.header, message: result.problem });
            (failed ??= new Set()).add(column.field.name);
            clean = false;
          } else record[column.field.name] = result;
        }
        for (const f of required) {
          if ((record[f.name] === null || record[f.name] === undefined) && !failed?.has(f.name)) {
            problems.add({ file, line, column: f.name, message: `${f.name} is required and empty` });
            clean = false;
          }
        }
        const id = record.Id as string | null | undefined;
        if (id) {
          const first = lines.get(id);
          if (first !== undefined) {
            problems.add({ file, line, column: 'Id', message: `duplicate Id ${id} (first on line ${first})` });
            clean = false;
          } else lines.set(id, line);
        }
        // Once anything is wrong the import fails: rows are still checked (every problem is reported), not stored.
        if (!clean || problems.count) return;
        if (object === 'Opportunity') deriveOpportunity(record);
        insert(record);
      },
    );
  } catch (error) {
    if (error instanceof CsvError) {
      problems.add({ file, line: error.line, column: null, message: error.message.replace(`${file}${error.line ? `, line ${error.line}` : ''}: `, '') });
      return null;
    }
    throw error;
  }
  return usable ? lines : null;
};

const OPPORTUNITY_FIELDS_FIXED = OBJECTS.Opportunity.map((f) => f.name);

/** The new org's extra columns: Opportunity's kept ones. */
const extrasOf = (dir: string): ExtraFields => {
  const kept = existsSync(dir) ? opportunityExtras(dir) : [];
  return kept.length ? { Opportunity: kept } : {};
};

/** Where each loaded object's ids were read from: a map for the files this thread read, a lookup for a worker's. */
type LineOf = (id: string) => number | null;

/** References to records the folder does not hold, found in SQL once every file is loaded. */
const checkReferences = (store: OrgStore, loaded: Map<SfObjectName, LineOf>, problems: Problems, referencedUsers: Set<string>): void => {
  for (const [object, lineOf] of loaded) {
    for (const field of store.fieldsOf(object).filter((f) => f.referenceTo)) {
      const target = field.referenceTo!;
      if (target === 'User' && !loaded.has('User')) {
        for (const ref of store.distinctValues(object, field.name)) referencedUsers.add(ref);
        continue;
      }
      const has = loaded.has(target);
      for (const { id, ref } of store.danglingReferences(object, field.name, has ? target : null, MAX_PROBLEMS)) {
        problems.add({
          file: fileOf(object), line: lineOf(id), column: field.name,
          message: has ? `refers to ${target} ${ref}, which is not in ${fileOf(target)}` : `refers to ${target} ${ref}, but the folder has no ${fileOf(target)}`,
        });
      }
    }
  }
};

const byMap = (lines: Map<string, number>): LineOf => (id) => lines.get(id) ?? null;

/** Every file of the folder but `skip` (loaded elsewhere), into the store. */
/**
 * CSV files of the folder that import does not read. A near miss of a file it does read (Contacts.csv, contact.csv)
 * when that file is absent is a problem — the data the admin meant would silently be left out —; others are listed.
 */
const unknownFiles = (dir: string, problems: Problems): string[] => {
  const known = new Map(OBJECT_NAMES.map((o) => [fileOf(o).toLowerCase(), fileOf(o)]));
  const present = new Set(readdirSync(dir));
  const ignored: string[] = [];
  for (const name of [...present].sort()) {
    if (!/\.(csv|tsv|txt)$/i.test(name) || [...known.values()].includes(name)) continue;
    const base = name.toLowerCase().replace(/\.(csv|tsv|txt)$/, '');
    const meant = known.get(`${base}.csv`) ?? known.get(`${base.replace(/(ies|s)$/, (m) => (m === 'ies' ? 'y' : ''))}.csv`);
    if (meant && !present.has(meant)) problems.add({ file: name, line: null, column: null, message: `is not a file import reads: did you mean ${meant}? (file names are Salesforce object API names, e.g. ${meant})` });
    else ignored.push(name);
  }
  return ignored;
};

const loadFiles = (dir: string, store: OrgStore, problems: Problems, ignored: ImportSummary['ignoredColumns'], skip: SfObjectName | null = null): Map<SfObjectName, LineOf> => {
  if (!existsSync(dir)) throw new ImportError([{ file: dir, line: null, column: null, message: 'folder not found' }]);
  if (!statSync(dir).isDirectory()) throw new ImportError([{ file: dir, line: null, column: null, message: 'is a file, not a folder of CSV files' }]);
  const loaded = new Map<SfObjectName, LineOf>();
  ignoredFilesOf.set(store, unknownFiles(dir, problems));
  for (const object of OBJECT_NAMES) {
    if (object === skip) continue;
    const lines = loadFile(dir, object, store, problems, ignored);
    if (lines) loaded.set(object, byMap(lines));
  }
  return loaded;
};

/** The unknown files loadFiles found, for the summary finishFolder builds (both run on the same store). */
const ignoredFilesOf = new WeakMap<OrgStore, string[]>();

/** Once every file is in: references checked, placeholder users added, the summary counted; or every problem thrown. */
const finishFolder = (store: OrgStore, loaded: Map<SfObjectName, LineOf>, problems: Problems, ignoredColumns: ImportSummary['ignoredColumns']): ImportSummary => {
  if (!loaded.has('Opportunity') && !problems.list.some((p) => p.file === 'Opportunity.csv')) {
    problems.add({ file: 'Opportunity.csv', line: null, column: null, message: 'not found in the folder: an import needs at least Opportunity.csv' });
  }
  const referencedUsers = new Set<string>();
  if (!problems.count) checkReferences(store, loaded, problems, referencedUsers);
  if (problems.count) throw new ImportError(problems.list, problems.more);
  // Exports often leave out User: owners become named placeholders rather than failing the whole import.
  if (!loaded.has('User')) store.insert('User', [...referencedUsers].sort().map((id) => ({ Id: id, Name: `User ${id}`, IsActive: true })));
  const counts = Object.fromEntries(OBJECT_NAMES.map((o) => [o, store.count(o)]).filter(([, n]) => n));
  const keptFields = (store.extraFields().Opportunity ?? []).map((f) => ({ name: f.name, type: f.type }));
  return { counts, ignoredColumns, ignoredFiles: ignoredFilesOf.get(store) ?? [], placeholderUsers: loaded.has('User') ? 0 : referencedUsers.size, keptFields };
};

/** Validates a folder of CSVs without touching any org (loaded into a scratch store in memory). */
export const readImportFolder = (dir: string): { summary: ImportSummary } => {
  const store = OrgStore.create(':memory:', extrasOf(dir));
  try {
    const problems = new Problems();
    const ignored: ImportSummary['ignoredColumns'] = [];
    return { summary: store.transaction(() => finishFolder(store, loadFiles(dir, store, problems, ignored), problems, ignored)) };
  } finally {
    store.close();
  }
};

/** A file this large loads in a worker thread while this thread loads the rest: two cores, two files at once. */
const WORKER_MIN_BYTES = 16 << 20;

/** What a worker thread reports back through the scratch org it loaded. */
export interface WorkerResult {
  problems: ImportProblem[];
  more: number;
  ignored: ImportSummary['ignoredColumns'];
  loaded: boolean;
  error?: string;
}

/** The folder's largest file, when it is worth a thread of its own. */
const workerFile = (dir: string, minBytes: number): SfObjectName | null => {
  let best: { object: SfObjectName; size: number } | null = null;
  for (const object of ['Task', 'Event', 'OpportunityHistory'] as const) {
    const path = join(dir, fileOf(object));
    const size = existsSync(path) ? statSync(path).size : 0;
    if (size > 0 && size >= minBytes && (!best || size > best.size)) best = { object, size };
  }
  return best?.object ?? null;
};

/**
 * Imports a folder into the org file, replacing it only when the whole folder is valid. The largest file loads in a
 * worker thread into a scratch org while this thread loads the others; its rows are then copied in by SQLite, and
 * every reference is checked across both. Everything stays synchronous for the caller: this thread waits for the
 * worker on a shared flag, never on the event loop.
 */
export const importFolder = (dir: string, orgFile: string, importedAt: Date, options: { workerMinBytes?: number; allowEmpty?: boolean } = {}): ImportSummary => {
  const extras = extrasOf(dir);
  const offload = existsSync(dir) ? workerFile(dir, options.workerMinBytes ?? WORKER_MIN_BYTES) : null;
  const scratch = `${orgFile}.part`;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  for (const suffix of ['', '-wal', '-shm']) rmSync(scratch + suffix, { force: true });
  const worker = offload ? new Worker(new URL('./import-worker.ts', import.meta.url), { workerData: { dir, object: offload, scratch, extras, flag } }) : null;
  const problems = new Problems();
  const ignored: ImportSummary['ignoredColumns'] = [];
  let loaded = new Map<SfObjectName, LineOf>();
  let summary: ImportSummary | null = null;
  try {
    OrgStore.replace(
      orgFile,
      (store) => {
        loaded = loadFiles(dir, store, problems, ignored, offload);
        store.setMeta('source', `import:${dir}`);
        store.setMeta('seededAt', importedAt.toISOString());
      },
      extras,
      (store) => {
        if (offload) {
          // Wait for the worker (it sets the flag when done, whatever happened), then read what it reported.
          if (Atomics.wait(flag, 0, 0, 600_000) === 'timed-out') throw new ImportError([{ file: fileOf(offload), line: null, column: null, message: 'the file took more than 10 minutes to load' }]);
          const result = JSON.parse(OrgStore.readMeta(scratch, 'importResult') ?? '{"loaded":false,"problems":[],"more":0,"ignored":[],"error":"the loader stopped"}') as WorkerResult;
          if (result.error) throw new Error(`${fileOf(offload)}: ${result.error}`);
          for (const p of result.problems) problems.add(p);
          problems.more += result.more;
          ignored.push(...result.ignored);
          if (result.loaded && !problems.count) {
            store.attachScratch(scratch, offload);
            loaded.set(offload, (id) => store.scratchLine(id));
          }
        }
        try {
          summary = finishFolder(store, loaded, problems, ignored);
        } finally {
          if (loaded.has(offload!)) store.detachScratch();
        }
        // Header-only files would replace an org with an empty one: that takes an explicit --force.
        if (!options.allowEmpty && store.count('Opportunity') === 0 && existsSync(orgFile)) {
          throw new AppError('bad_input', `${join(dir, 'Opportunity.csv')} holds no opportunities: importing it would empty the org in ${orgFile}. Run again with --force to do that`, { name: 'WouldEmptyOrg' });
        }
      },
    );
  } finally {
    void worker?.terminate();
    for (const suffix of ['', '-wal', '-shm']) rmSync(scratch + suffix, { force: true });
  }
  return summary!;
};

/** Field types whose cells are free text: only these can carry a formula a spreadsheet would run. */
const TEXT_TYPES = new Set<SfField['type']>(['string', 'textarea', 'picklist', 'multipicklist']);

/**
 * A text cell a spreadsheet would read as a formula (=, +, -, @, or a leading tab or carriage return — OWASP's CSV
 * injection list) is written with a leading apostrophe, which spreadsheets show as text. Numbers and dates are never
 * touched (a negative amount stays -5). Limit: an export re-imported keeps the apostrophe in those cells.
 */
export const neutraliseFormula = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

const cell = (field: SfField, value: SfValue): string => {
  if (value === null || value === undefined) return '';
  if (field.type === 'boolean') return value ? 'true' : 'false';
  return TEXT_TYPES.has(field.type) ? neutraliseFormula(String(value)) : String(value);
};

/**
 * Writes every object of the org, with every field Stagecraft wrote, as Data Export-style CSVs (ISO dates): streamed
 * from the store a row at a time and written in blocks, so an export of any size holds one block. Each file is
 * written beside its final name and renamed when complete.
 */
export const exportFolder = (store: OrgStore, dir: string): Record<SfObjectName, number> => {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    throw new AppError('bad_input', `${dir} cannot be an export folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const counts = {} as Record<SfObjectName, number>;
  for (const object of OBJECT_NAMES) {
    const fields = store.fieldsOf(object);
    const path = join(dir, fileOf(object));
    const fd = openSync(`${path}.partial`, 'w');
    try {
      let block: string[][] = [];
      let n = 0;
      const flush = (header: boolean): void => {
        writeSync(fd, toCsv(header ? fields.map((f) => f.name) : null, block));
        block = [];
      };
      flush(true);
      for (const r of store.iterate(object)) {
        block.push(fields.map((f) => cell(f, r[f.name] ?? null)));
        if (++n % 5000 === 0) flush(false);
      }
      if (block.length) flush(false);
      counts[object] = n;
    } finally {
      closeSync(fd);
    }
    renameSync(`${path}.partial`, path);
  }
  return counts;
};
