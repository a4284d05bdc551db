// `stagecraft import <dir>` and `stagecraft export <dir>`: the embedded org to and from a folder of Salesforce-export
// CSVs (Data Loader / Data Export column names). An import is all or nothing: every problem is reported with its file,
// line and column, and the existing org is replaced only when the whole folder loaded cleanly.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvError, parseCsv, toCsv } from '../../csv.ts';
import { to18 } from '../sf-id.ts';
import { OBJECTS, OBJECT_NAMES, OPPORTUNITY_STANDARD_FIELDS, fileOf, type SfField, type SfObjectName } from './objects.ts';
import { OrgStore, type ExtraFields, type SfRecord, type SfValue } from './store.ts';

export interface ImportProblem {
  file: string;
  /** 1-based line in the file (the header is line 1); null for a whole-file problem. */
  line: number | null;
  column: string | null;
  message: string;
}

export class ImportError extends Error {
  readonly problems: ImportProblem[];
  constructor(problems: ImportProblem[]) {
    const shown = problems.slice(0, 20).map(formatProblem);
    super(`import failed with ${problems.length} problem${problems.length === 1 ? '' : 's'}; the existing org is unchanged:\n  ${shown.join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
    this.name = 'ImportError';
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
  /** Opportunity columns kept beyond Stagecraft's own (custom `__c` fields and other standard fields), with their type. */
  keptFields: { name: string; type: SfField['type'] }[];
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
export const parseSalesforceDate = (text: string, type: 'date' | 'datetime'): string | null => {
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

interface LoadedFile {
  object: SfObjectName;
  rows: { line: number; record: SfRecord }[];
  /** Columns kept beyond the object's fixed fields. */
  extra: SfField[];
}

/**
 * A custom field's type from its cells (a CSV has no describe): checkboxes, then numbers, then dates, else text —
 * so a rule can compare `gte` on a number or a date, and `equals true` on a checkbox.
 */
const inferType = (cells: readonly string[]): SfField['type'] => {
  const filled = cells.map((c) => c.trim()).filter((c) => c !== '');
  if (filled.length === 0) return 'string';
  if (filled.every((c) => /^(true|false)$/i.test(c))) return 'boolean';
  if (filled.every((c) => Number.isFinite(Number(c.replace(/,/g, ''))) && /\d/.test(c))) return 'double';
  if (filled.every((c) => /^\d{4}-\d{2}-\d{2}$/.test(c) || /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(c)) && filled.every((c) => parseSalesforceDate(c, 'date'))) return 'date';
  if (filled.every((c) => parseSalesforceDate(c, 'datetime'))) return 'datetime';
  return 'string';
};

/** An Opportunity column a playbook rule may use: a documented standard field, or any custom (`__c`) field. */
const keptOpportunityColumn = (header: string, cells: readonly string[]): SfField | null => {
  const standard = OPPORTUNITY_STANDARD_FIELDS.find((f) => f.name.toLowerCase() === header.toLowerCase());
  if (standard) return standard;
  return /^[A-Za-z][A-Za-z0-9_]*__c$/.test(header) ? { name: header, type: inferType(cells) } : null;
};

const readFile = (dir: string, object: SfObjectName, problems: ImportProblem[], ignored: ImportSummary['ignoredColumns']): LoadedFile | null => {
  const file = fileOf(object);
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(readFileSync(path, 'utf8'), file);
  } catch (error) {
    if (error instanceof CsvError) problems.push({ file, line: error.line, column: null, message: error.message.replace(`${file}${error.line ? `, line ${error.line}` : ''}: `, '') });
    else throw error;
    return null;
  }
  const fields = OBJECTS[object];
  const known = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  const missing = fields.filter((f) => f.required && !parsed.header.some((h) => h.toLowerCase() === f.name.toLowerCase()));
  for (const f of missing) problems.push({ file, line: 1, column: f.name, message: `required column ${f.name} is missing` });
  if (missing.length) return null;
  // Opportunity keeps every column a playbook rule can use; other objects' unknown columns are listed and left out.
  const kept: SfField[] = [];
  if (object === 'Opportunity') {
    for (const h of parsed.header) {
      if (known.has(h.toLowerCase())) continue;
      const field = keptOpportunityColumn(h, parsed.rows.map((r) => r.values[h] ?? ''));
      if (field) {
        kept.push(field);
        known.set(h.toLowerCase(), field);
      }
    }
  }
  const extra = parsed.header.filter((h) => !known.has(h.toLowerCase()));
  if (extra.length) ignored.push({ file, columns: extra });

  const columns = parsed.header.map((h) => known.get(h.toLowerCase())).map((f, i) => (f ? { field: f, header: parsed.header[i]! } : null));
  const rows = parsed.rows.map(({ line, values }) => {
    const record: SfRecord = {};
    for (const column of columns) {
      if (!column) continue;
      const result = convert(column.field, values[column.header] ?? '');
      if ('problem' in result) problems.push({ file, line, column: column.header, message: result.problem });
      else record[column.field.name] = result.value;
    }
    for (const f of fields) {
      if (f.required && (record[f.name] === null || record[f.name] === undefined) && !problems.some((p) => p.line === line && p.file === file && p.column === f.name)) {
        problems.push({ file, line, column: f.name, message: `${f.name} is required and empty` });
      }
    }
    return { line, record };
  });
  return { object, rows, extra: kept };
};

// Salesforce's own derived fields, for exports that left them out.
const deriveOpportunity = (r: SfRecord): void => {
  const stage = String(r.StageName ?? '');
  if (r.IsClosed === undefined || r.IsClosed === null) r.IsClosed = /^closed/i.test(stage);
  if (r.IsWon === undefined || r.IsWon === null) r.IsWon = /^closed won$/i.test(stage);
};

/** Validates a folder of CSVs and returns the records to load, or throws ImportError with every problem found. */
export const readImportFolder = (dir: string): { records: Record<SfObjectName, SfRecord[]>; summary: ImportSummary; extras: ExtraFields } => {
  if (!existsSync(dir)) throw new ImportError([{ file: dir, line: null, column: null, message: 'folder not found' }]);
  const problems: ImportProblem[] = [];
  const ignoredColumns: ImportSummary['ignoredColumns'] = [];
  const files = new Map<SfObjectName, LoadedFile>();
  for (const object of OBJECT_NAMES) {
    const loaded = readFile(dir, object, problems, ignoredColumns);
    if (loaded) files.set(object, loaded);
  }
  if (!files.has('Opportunity') && !problems.some((p) => p.file === 'Opportunity.csv')) {
    problems.push({ file: 'Opportunity.csv', line: null, column: null, message: 'not found in the folder: an import needs at least Opportunity.csv' });
  }

  // Duplicate ids, then references that point at nothing that was imported.
  const idsOf = new Map<SfObjectName, Set<string>>();
  for (const [object, loaded] of files) {
    const seen = new Map<string, number>();
    for (const { line, record } of loaded.rows) {
      const id = record.Id as string | null;
      if (!id) continue;
      const first = seen.get(id);
      if (first !== undefined) problems.push({ file: fileOf(object), line, column: 'Id', message: `duplicate Id ${id} (first on line ${first})` });
      else seen.set(id, line);
    }
    idsOf.set(object, new Set(seen.keys()));
  }
  let placeholderUsers = 0;
  const referencedUsers = new Set<string>();
  for (const [object, loaded] of files) {
    for (const field of OBJECTS[object].filter((f) => f.referenceTo)) {
      const targets = idsOf.get(field.referenceTo!);
      for (const { line, record } of loaded.rows) {
        const ref = record[field.name];
        if (typeof ref !== 'string') continue;
        if (field.referenceTo === 'User' && !files.has('User')) {
          referencedUsers.add(ref);
          continue;
        }
        if (!targets) {
          problems.push({ file: fileOf(object), line, column: field.name, message: `refers to ${field.referenceTo} ${ref}, but the folder has no ${fileOf(field.referenceTo!)}` });
        } else if (!targets.has(ref)) {
          problems.push({ file: fileOf(object), line, column: field.name, message: `refers to ${field.referenceTo} ${ref}, which is not in ${fileOf(field.referenceTo!)}` });
        }
      }
    }
  }
  if (problems.length) throw new ImportError(problems);

  const records = Object.fromEntries(OBJECT_NAMES.map((o) => [o, files.get(o)?.rows.map((r) => r.record) ?? []])) as Record<SfObjectName, SfRecord[]>;
  records.Opportunity.forEach(deriveOpportunity);
  // Exports often leave out User: owners become named placeholders rather than failing the whole import.
  if (!files.has('User')) {
    for (const id of [...referencedUsers].sort()) records.User.push({ Id: id, Name: `User ${id}`, IsActive: true });
    placeholderUsers = referencedUsers.size;
  }
  const counts = Object.fromEntries(OBJECT_NAMES.filter((o) => records[o].length).map((o) => [o, records[o].length]));
  const keptFields = files.get('Opportunity')?.extra ?? [];
  return { records, summary: { counts, ignoredColumns, placeholderUsers, keptFields: keptFields.map((f) => ({ name: f.name, type: f.type })) }, extras: keptFields.length ? { Opportunity: keptFields } : {} };
};

/** Imports a folder into the org file, replacing it only when the whole folder is valid. */
export const importFolder = (dir: string, orgFile: string, importedAt: Date): ImportSummary => {
  const { records, summary, extras } = readImportFolder(dir);
  OrgStore.replace(orgFile, (store) => {
    for (const object of OBJECT_NAMES) store.insert(object, records[object]);
    store.setMeta('source', `import:${dir}`);
    store.setMeta('seededAt', importedAt.toISOString());
  }, extras);
  return summary;
};

const cell = (field: SfField, value: SfValue): string => {
  if (value === null || value === undefined) return '';
  if (field.type === 'boolean') return value ? 'true' : 'false';
  return String(value);
};

/** Writes every object of the org, with every field Stagecraft wrote, as Data Export-style CSVs (ISO dates). */
export const exportFolder = (store: OrgStore, dir: string): Record<SfObjectName, number> => {
  mkdirSync(dir, { recursive: true });
  const counts = {} as Record<SfObjectName, number>;
  for (const object of OBJECT_NAMES) {
    const fields = store.fieldsOf(object);
    const records = store.all(object);
    writeFileSync(join(dir, fileOf(object)), toCsv(fields.map((f) => f.name), records.map((r) => fields.map((f) => cell(f, r[f.name] ?? null)))));
    counts[object] = records.length;
  }
  return counts;
};
