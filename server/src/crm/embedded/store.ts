// The embedded org's storage: one SQLite file (node:sqlite — no server, no native build) with a table per sObject.
// Values are stored as Salesforce would return them: ISO strings for dates, numbers, 0/1 for checkboxes.
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { OBJECTS, OBJECT_NAMES, type SfField, type SfObjectName } from './objects.ts';
import { inTransaction } from '../../store/sqlite.ts';

export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

const COLUMN_TYPE: Record<SfField['type'], string> = {
  id: 'TEXT PRIMARY KEY',
  string: 'TEXT',
  textarea: 'TEXT',
  reference: 'TEXT',
  date: 'TEXT',
  datetime: 'TEXT',
  double: 'REAL',
  int: 'INTEGER',
  boolean: 'INTEGER',
  picklist: 'TEXT',
  multipicklist: 'TEXT',
};

const toColumn = (field: SfField, value: SfValue | undefined): SQLInputValue => {
  if (value === undefined || value === null || value === '') return field.type === 'boolean' ? 0 : null;
  if (field.type === 'boolean') return value === true || value === 'true' || value === 1 ? 1 : 0;
  return typeof value === 'boolean' ? String(value) : value;
};

const fromColumn = (field: SfField, value: unknown): SfValue => {
  if (field.type === 'boolean') return value === 1 || value === 1n;
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  return value as SfValue;
};

export class OrgStore {
  readonly file: string;
  readonly db: DatabaseSync;

  private constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.db = db;
  }

  /** Opens an existing org file. */
  static open(file: string): OrgStore {
    if (!existsSync(file)) throw new Error(`no embedded org at ${file}`);
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    // A field the package gained since this file was made (Win_Probability__c): add its column, empty.
    for (const object of OBJECT_NAMES) {
      const have = new Set((db.prepare(`PRAGMA table_info(${quote(object)})`).all() as { name: string }[]).map((c) => c.name));
      if (!have.size) continue;
      for (const field of OBJECTS[object]) if (!have.has(field.name)) db.exec(`ALTER TABLE ${quote(object)} ADD COLUMN ${quote(field.name)} ${COLUMN_TYPE[field.type]}`);
    }
    return new OrgStore(file, db);
  }

  /** Creates an empty org file, replacing any half-written one at that path. */
  static create(file: string): OrgStore {
    mkdirSync(dirname(file), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    db.exec('CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)');
    for (const object of OBJECT_NAMES) {
      const columns = OBJECTS[object].map((field) => `${quote(field.name)} ${COLUMN_TYPE[field.type]}`);
      db.exec(`CREATE TABLE ${quote(object)} (${columns.join(', ')})`);
    }
    db.exec('CREATE INDEX history_by_opp ON "OpportunityHistory" ("OpportunityId")');
    db.exec('CREATE INDEX task_by_what ON "Task" ("WhatId")');
    db.exec('CREATE INDEX event_by_what ON "Event" ("WhatId")');
    db.exec('CREATE UNIQUE INDEX scorecard_by_key ON "Rep_Scorecard__c" ("Scorecard_Key__c")');
    return new OrgStore(file, db);
  }

  /** Builds a new org in `file + '.new'`, then swaps it in: a failed build leaves the existing org untouched. */
  static replace(file: string, build: (store: OrgStore) => void): void {
    const staging = `${file}.new`;
    const store = OrgStore.create(staging);
    try {
      store.transaction(() => build(store));
      store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch (error) {
      store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(staging + suffix, { force: true });
      throw error;
    }
    store.close();
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    renameSync(staging, file);
    for (const suffix of ['-wal', '-shm']) rmSync(staging + suffix, { force: true });
  }

  transaction<T>(work: () => T): T {
    return inTransaction(this.db, work);
  }

  insert(object: SfObjectName, records: Iterable<SfRecord>): number {
    const fields = OBJECTS[object];
    const statement = this.db.prepare(`INSERT INTO ${quote(object)} (${fields.map((x) => quote(x.name)).join(', ')}) VALUES (${fields.map(() => '?').join(', ')})`);
    let count = 0;
    for (const record of records) {
      statement.run(...fields.map((field) => toColumn(field, record[field.name])));
      count++;
    }
    return count;
  }

  all(object: SfObjectName): SfRecord[] {
    // Rows come back as plain objects already; only checkboxes need turning from 0/1 into booleans. Converting in
    // place keeps a read of a few hundred thousand records from allocating them twice.
    const booleans = OBJECTS[object].filter((f) => f.type === 'boolean').map((f) => f.name);
    const rows = this.db.prepare(`SELECT * FROM ${quote(object)} ORDER BY rowid`).all() as SfRecord[];
    for (const row of rows) for (const name of booleans) row[name] = row[name] === 1;
    return rows;
  }

  get(object: SfObjectName, id: string): SfRecord | undefined {
    const fields = OBJECTS[object];
    const row = this.db.prepare(`SELECT * FROM ${quote(object)} WHERE "Id" = ?`).get(id) as Record<string, unknown> | undefined;
    return row && Object.fromEntries(fields.map((field) => [field.name, fromColumn(field, row[field.name])]));
  }

  /** The first record whose field equals the value (an external id lookup). */
  findBy(object: SfObjectName, field: string, value: string): SfRecord | undefined {
    const fields = OBJECTS[object];
    if (!fields.some((f) => f.name === field)) throw new Error(`${object} has no field ${field}`);
    const row = this.db.prepare(`SELECT * FROM ${quote(object)} WHERE ${quote(field)} = ? LIMIT 1`).get(value) as Record<string, unknown> | undefined;
    return row && Object.fromEntries(fields.map((f) => [f.name, fromColumn(f, row[f.name])]));
  }

  count(object: SfObjectName): number {
    const row = this.db.prepare(`SELECT COUNT(*) AS n FROM ${quote(object)}`).get() as { n: number };
    return Number(row.n);
  }

  /** Updates named fields of one record; returns false when the record does not exist. */
  update(object: SfObjectName, id: string, values: SfRecord): boolean {
    const fields = OBJECTS[object];
    const names = Object.keys(values);
    const byName = new Map(fields.map((x) => [x.name, x]));
    for (const name of names) if (!byName.has(name)) throw new Error(`${object} has no field ${name}`);
    const sql = `UPDATE ${quote(object)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE "Id" = ?`;
    const result = this.db.prepare(sql).run(...names.map((n) => toColumn(byName.get(n)!, values[n])), id);
    return Number(result.changes) > 0;
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
