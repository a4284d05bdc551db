// `stagecraft import <dir>` and `stagecraft export <dir>`: the embedded org to and from a folder of Salesforce-export
// CSVs (Data Loader / Data Export column names). An import is all or nothing: every problem is reported with its file,
// line and column, and the existing org is replaced only when the whole folder loaded cleanly.
import { AppError } from '../../errors.ts';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CsvError, readCsvRows, toCsv } from '../../csv.ts';
import { to18 } from '../sf-id.ts';
import { OBJECTS, OBJECT_NAMES, fileOf, type SfField, type SfObjectName } from '../sobjects.ts';
import { OrgStore, type SfRecord, type SfValue } from './store.ts';

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
  /** Users referenced by records but absent because the folder had no User.csv. */
  placeholderUsers: number;
}

// Data Loader writes `02/23/26`, `02/23/26 08:55 PM`, `2/3/2024 14:05`; Data Export and the APIs write ISO-8601.
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

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
    const year = yy!.length === 2 ? 2000 + Number(yy) : Number(yy);
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

/** One cell to a stored value, or a problem message. */
const convert = (field: SfField, raw: string): { value: SfValue } | { problem: string } => {
  const text = raw.trim();
  if (text === '') return { value: field.type === 'boolean' ? false : null };
  switch (field.type) {
    case 'id':
    case 'reference':
      return /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(text) ? { value: to18(text) } : { problem: `"${text}" is not a Salesforce id (15 or 18 letters and digits)` };
    case 'date':
    case 'datetime': {
      const iso = parseSalesforceDate(text, field.type);
      return iso ? { value: iso } : { problem: `"${text}" is not a date (expected ISO 2024-02-03${field.type === 'datetime' ? ' or 2024-02-03T10:00:00Z' : ''}, or MM/DD/YY)` };
    }
    case 'double':
    case 'int': {
      const n = Number(text.replace(/,/g, ''));
      if (!Number.isFinite(n)) return { problem: `"${text}" is not a number` };
      return field.type === 'int' && !Number.isInteger(n) ? { problem: `"${text}" is not a whole number` } : { value: n };
    }
    case 'boolean': {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return { value: true };
      if (FALSE.has(t)) return { value: false };
      return { problem: `"${text}" is not TRUE or FALSE` };
    }
    default:
      return { value: raw };
  }
};

/** At most this many problems are kept with their place; the rest are counted. */
const MAX_PROBLEMS = 1000;

class Problems {
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
const loadFile = (dir: string, object: SfObjectName, store: OrgStore, problems: Problems, ignored: ImportSummary['ignoredColumns']): Map<string, number> | null => {
  const file = fileOf(object);
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  const fields = OBJECTS[object];
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
        const missing = fields.filter((f) => f.required && !header.some((h) => h.toLowerCase() === f.name.toLowerCase()));
        for (const f of missing) problems.add({ file, line: 1, column: f.name, message: `required column ${f.name} is missing` });
        usable = missing.length === 0;
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
          if ('problem' in result) {
            problems.add({ file, line, column: column.header, message: result.problem });
            (failed ??= new Set()).add(column.field.name);
            clean = false;
          } else record[column.field.name] = result.value;
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

/** References to records the folder does not hold, found in SQL once every file is loaded. */
const checkReferences = (store: OrgStore, loaded: Map<SfObjectName, Map<string, number>>, problems: Problems, referencedUsers: Set<string>): void => {
  for (const [object, lines] of loaded) {
    for (const field of OBJECTS[object].filter((f) => f.referenceTo)) {
      const target = field.referenceTo!;
      if (target === 'User' && !loaded.has('User')) {
        for (const ref of store.distinctValues(object, field.name)) referencedUsers.add(ref);
        continue;
      }
      const has = loaded.has(target);
      for (const { id, ref } of store.danglingReferences(object, field.name, has ? target : null, MAX_PROBLEMS)) {
        problems.add({
          file: fileOf(object), line: lines.get(id) ?? null, column: field.name,
          message: has ? `refers to ${target} ${ref}, which is not in ${fileOf(target)}` : `refers to ${target} ${ref}, but the folder has no ${fileOf(target)}`,
        });
      }
    }
  }
};

/** Loads a folder into a store (a new, empty one), or throws ImportError with every problem found. */
const loadFolder = (dir: string, store: OrgStore): ImportSummary => {
  if (!existsSync(dir)) throw new ImportError([{ file: dir, line: null, column: null, message: 'folder not found' }]);
  const problems = new Problems();
  const ignoredColumns: ImportSummary['ignoredColumns'] = [];
  const loaded = new Map<SfObjectName, Map<string, number>>();
  for (const object of OBJECT_NAMES) {
    const lines = loadFile(dir, object, store, problems, ignoredColumns);
    if (lines) loaded.set(object, lines);
  }
  if (!loaded.has('Opportunity') && !problems.list.some((p) => p.file === 'Opportunity.csv')) {
    problems.add({ file: 'Opportunity.csv', line: null, column: null, message: 'not found in the folder: an import needs at least Opportunity.csv' });
  }
  const referencedUsers = new Set<string>();
  if (!problems.count) checkReferences(store, loaded, problems, referencedUsers);
  if (problems.count) throw new ImportError(problems.list, problems.more);
  // Exports often leave out User: owners become named placeholders rather than failing the whole import.
  if (!loaded.has('User')) store.insert('User', [...referencedUsers].sort().map((id) => ({ Id: id, Name: `User ${id}`, IsActive: true })));
  const counts = Object.fromEntries(OBJECT_NAMES.map((o) => [o, store.count(o)]).filter(([, n]) => n));
  return { counts, ignoredColumns, placeholderUsers: loaded.has('User') ? 0 : referencedUsers.size };
};

/** Validates a folder of CSVs without touching any org (loaded into a scratch store in memory). */
export const readImportFolder = (dir: string): { summary: ImportSummary } => {
  const store = OrgStore.create(':memory:');
  try {
    return { summary: store.transaction(() => loadFolder(dir, store)) };
  } finally {
    store.close();
  }
};

/** Imports a folder into the org file, replacing it only when the whole folder is valid. */
export const importFolder = (dir: string, orgFile: string, importedAt: Date): ImportSummary => {
  let summary: ImportSummary | null = null;
  OrgStore.replace(orgFile, (store) => {
    summary = loadFolder(dir, store);
    store.setMeta('source', `import:${dir}`);
    store.setMeta('seededAt', importedAt.toISOString());
  });
  return summary!;
};

const cell = (field: SfField, value: SfValue): string => {
  if (value === null || value === undefined) return '';
  if (field.type === 'boolean') return value ? 'true' : 'false';
  return String(value);
};

/**
 * Writes every object of the org, with every field Stagecraft wrote, as Data Export-style CSVs (ISO dates): streamed
 * from the store a row at a time and written in blocks, so an export of any size holds one block. Each file is
 * written beside its final name and renamed when complete.
 */
export const exportFolder = (store: OrgStore, dir: string): Record<SfObjectName, number> => {
  mkdirSync(dir, { recursive: true });
  const counts = {} as Record<SfObjectName, number>;
  for (const object of OBJECT_NAMES) {
    const fields = OBJECTS[object];
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
