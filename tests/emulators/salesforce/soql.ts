// SOQL over the emulated org: parsed by @jetstreamapp/soql-parser-js, then checked against the describe schema
// (INVALID_TYPE / INVALID_FIELD / MALFORMED_QUERY as Salesforce words them) and evaluated record by record.
import { parseQuery, type Query, type Subquery, type WhereClause, type FieldType, type OrderByClause } from '@jetstreamapp/soql-parser-js';
import { SfError } from './errors.ts';
import { to18 } from './ids.ts';
import { sfDateTime, type FieldDef, type ObjectDef, type Org, type SfRecord } from './org.ts';

type Json = Record<string, unknown>;

export interface QueryOutput {
  totalSize: number;
  records: Json[];
}

/** A resolved field path: relationship hops, then the field on the last object. */
interface Path {
  hops: FieldDef[]; // reference fields followed
  field: FieldDef; // the field read at the end (for polymorphic hops, as found on the first matching object)
  segments: string[]; // as written, for per-record resolution of polymorphic hops
}

const positionError = (soql: string, token: string, code: string, message: string): SfError => {
  const idx = Math.max(0, soql.toLowerCase().indexOf(token.toLowerCase()));
  return new SfError(400, code, `\n${soql}\n${' '.repeat(idx)}^\nERROR at Row:1:Column:${idx + 1}\n${message}`);
};

export class SoqlEngine {
  private readonly org: Org;
  private readonly version: string;
  private readonly soql: string;

  constructor(org: Org, soql: string, version: string) {
    this.org = org;
    this.soql = soql;
    this.version = version;
  }

  run(includeDeleted: boolean): QueryOutput {
    let q: Query;
    try {
      q = parseQuery(this.soql);
    } catch (e) {
      const first = String((e as Error).message).split('\n')[0] ?? 'unexpected token';
      throw new SfError(400, 'MALFORMED_QUERY', `\n${this.soql}\n^\nERROR at Row:1:Column:1\n${first}`);
    }
    if (!q.sObject) throw new SfError(400, 'MALFORMED_QUERY', 'unexpected token: FROM');
    if (q.groupBy || q.having) throw new SfError(400, 'MALFORMED_QUERY', 'The Salesforce emulator does not implement GROUP BY / HAVING');
    const def = this.org.object(q.sObject);
    if (!def) {
      throw positionError(this.soql, q.sObject, 'INVALID_TYPE',
        `sObject type '${q.sObject}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
    const fields = q.fields ?? [];
    const countOnly = fields.length === 1 && fields[0]!.type === 'FieldFunctionExpression' && fields[0]!.functionName?.toUpperCase() === 'COUNT' && fields[0]!.parameters.length === 0;
    const aggregates = fields.filter((f) => f.type === 'FieldFunctionExpression');
    if (aggregates.length && !countOnly && aggregates.length !== fields.length) {
      throw new SfError(400, 'MALFORMED_QUERY', 'Field must be grouped or aggregated');
    }
    const rows = this.select(def, q, includeDeleted, undefined);
    if (countOnly) return { totalSize: rows.length, records: [] };
    if (aggregates.length) {
      const rec: Json = { attributes: { type: 'AggregateResult' } };
      aggregates.forEach((a, i) => {
        if (a.type !== 'FieldFunctionExpression') return;
        const fn = a.functionName.toUpperCase();
        if (fn !== 'COUNT' && fn !== 'COUNT_DISTINCT') throw new SfError(400, 'MALFORMED_QUERY', `The Salesforce emulator does not implement ${fn}()`);
        const param = a.parameters[0];
        const path = typeof param === 'string' ? this.path(def, param.split('.')) : undefined;
        const values = rows.map((r) => (path ? this.read(def, r, path) : r.Id)).filter((v) => v !== null && v !== undefined);
        rec[a.alias ?? `expr${i}`] = fn === 'COUNT' ? values.length : new Set(values.map(String)).size;
      });
      return { totalSize: 1, records: [rec] };
    }
    const project = this.projector(def, fields, includeDeleted);
    return { totalSize: rows.length, records: rows.map(project) };
  }

  /** Filter, sort, offset and limit one object's records (top level or a child subquery's, restricted by `scope`). */
  private select(def: ObjectDef, q: Query | Subquery, includeDeleted: boolean, scope: SfRecord[] | undefined): SfRecord[] {
    const where = q.where ? this.compileWhere(def, q.where) : () => true;
    let rows = (scope ?? this.org.all(def.name, { includeDeleted })).filter(where);
    const orderBy = q.orderBy ? (Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy]) : [];
    if (orderBy.length) rows = this.sort(def, rows, orderBy);
    if (q.offset) {
      if (q.offset > 2000) throw new SfError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is 2000`);
      rows = rows.slice(q.offset);
    }
    if (q.limit !== undefined) rows = rows.slice(0, q.limit);
    return rows;
  }

  private path(def: ObjectDef, segments: string[]): Path {
    const hops: FieldDef[] = [];
    let objects: ObjectDef[] = [def];
    // `Opportunity.Name` inside FROM Opportunity may be prefixed with the object name itself.
    if (segments.length > 1 && segments[0]!.toLowerCase() === def.name.toLowerCase()) segments = segments.slice(1);
    for (let i = 0; i < segments.length - 1; i++) {
      const seg = segments[i]!;
      const hop = objects.map((o) => [...o.fields.values()].find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === seg.toLowerCase())).find(Boolean);
      if (!hop) {
        throw positionError(this.soql, segments.join('.'), 'INVALID_FIELD',
          `Didn't understand relationship '${seg}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
      }
      hops.push(hop);
      objects = hop.referenceTo.map((t) => this.org.object(t)).filter((o): o is ObjectDef => !!o);
    }
    const last = segments[segments.length - 1]!;
    const field = objects.map((o) => o.fields.get(last.toLowerCase())).find(Boolean);
    if (!field) {
      throw positionError(this.soql, segments.join('.'), 'INVALID_FIELD',
        `No such column '${last}' on entity '${objects[0]?.name ?? def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
    return { hops, field, segments };
  }

  /** Follows a path on one record; null when a lookup on the way is empty. */
  private read(_def: ObjectDef, rec: SfRecord, path: Path): unknown {
    let cur: SfRecord | undefined = rec;
    for (const hop of path.hops) {
      const id: unknown = cur?.[hop.name];
      cur = typeof id === 'string' ? this.org.findById(id)?.record : undefined;
      if (!cur) return null;
    }
    const target = path.hops.length ? this.org.findById(cur.Id)?.def : _def;
    const f = target?.fields.get(path.field.name.toLowerCase());
    return f ? cur[f.name] ?? null : null;
  }

  private projector(def: ObjectDef, fields: FieldType[], includeDeleted: boolean): (r: SfRecord) => Json {
    const plans: ((r: SfRecord, out: Json) => void)[] = [];
    for (const f of fields) {
      if (f.type === 'Field') {
        const field = this.path(def, [f.field]).field;
        plans.push((r, out) => { out[field.name] = outValue(field, r[field.name]); });
      } else if (f.type === 'FieldRelationship') {
        const path = this.path(def, [...f.relationships, f.field]);
        plans.push((r, out) => this.projectRelationship(r, path, out));
      } else if (f.type === 'FieldSubquery') {
        const rel = def.childRelationships.get(f.subquery.relationshipName.toLowerCase());
        if (!rel) {
          throw positionError(this.soql, f.subquery.relationshipName, 'INVALID_TYPE',
            `Didn't understand relationship '${f.subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`);
        }
        const child = this.org.object(rel.childSObject)!;
        const childProject = this.projector(child, f.subquery.fields ?? [], includeDeleted);
        const all = this.org.all(child.name, { includeDeleted });
        // Index children by parent id once per query, not once per parent.
        const byParent = new Map<string, SfRecord[]>();
        for (const c of all) {
          const p = c[rel.field];
          if (typeof p === 'string') byParent.set(p, [...(byParent.get(p) ?? []), c]);
        }
        plans.push((r, out) => {
          const rows = this.select(child, f.subquery, includeDeleted, byParent.get(r.Id) ?? []);
          out[rel.relationshipName] = rows.length ? { totalSize: rows.length, done: true, records: rows.map(childProject) } : null;
        });
      } else {
        throw new SfError(400, 'MALFORMED_QUERY', `The Salesforce emulator does not implement ${f.type} in SELECT`);
      }
    }
    return (r) => {
      const out: Json = { attributes: this.attributes(def.name, r.Id) };
      for (const p of plans) p(r, out);
      return out;
    };
  }

  private projectRelationship(rec: SfRecord, path: Path, out: Json): void {
    let cur: SfRecord = rec;
    let node = out;
    for (const hop of path.hops) {
      const id = cur[hop.name];
      const target = typeof id === 'string' ? this.org.findById(id) : undefined;
      const relName = hop.relationshipName!;
      if (!target) { if (!(relName in node)) node[relName] = null; return; }
      const existing = node[relName];
      const next: Json = existing && typeof existing === 'object' ? (existing as Json) : { attributes: this.attributes(target.def.name, target.record.Id) };
      node[relName] = next;
      node = next;
      cur = target.record;
    }
    const def = this.org.findById(cur.Id)!.def;
    const f = def.fields.get(path.field.name.toLowerCase());
    if (f) node[f.name] = outValue(f, cur[f.name]);
  }

  private attributes(type: string, id: string): Json {
    return { type, url: `/services/data/v${this.version}/sobjects/${type}/${id}` };
  }

  private sort(def: ObjectDef, rows: SfRecord[], orderBy: OrderByClause[]): SfRecord[] {
    const keys = orderBy.map((o) => {
      if (!('field' in o)) throw new SfError(400, 'MALFORMED_QUERY', 'The Salesforce emulator does not implement ORDER BY functions');
      const path = this.path(def, o.field.split('.'));
      const desc = o.order === 'DESC';
      return { path, desc, nullsFirst: o.nulls ? o.nulls === 'FIRST' : !desc };
    });
    return [...rows].sort((a, b) => {
      for (const k of keys) {
        const va = this.read(def, a, k.path);
        const vb = this.read(def, b, k.path);
        if (va === vb) continue;
        if (va === null) return k.nullsFirst ? -1 : 1;
        if (vb === null) return k.nullsFirst ? 1 : -1;
        const c = compare(k.path.field, va, vb);
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
  }

  // ---- WHERE ----

  private compileWhere(def: ObjectDef, where: WhereClause): (r: SfRecord) => boolean {
    // The parser gives a right-leaning list with paren counts; rebuild the tree with SOQL's rules:
    // NOT binds to the next condition or group, and AND/OR may not be mixed without parentheses.
    type Tok = '(' | ')' | 'NOT' | 'AND' | 'OR' | { cond: Record<string, unknown> };
    const toks: Tok[] = [];
    let node: WhereClause | undefined = where;
    while (node) {
      const n = node as { left: Record<string, unknown> | null; operator?: string; right?: WhereClause };
      if (n.operator === 'NOT' && (!n.left || !('field' in n.left || 'fn' in n.left))) {
        for (let i = 0; i < Number(n.left?.openParen ?? 0); i++) toks.push('(');
        toks.push('NOT');
        node = n.right;
        continue;
      }
      const left = n.left!;
      for (let i = 0; i < Number(left.openParen ?? 0); i++) toks.push('(');
      toks.push({ cond: left });
      for (let i = 0; i < Number(left.closeParen ?? 0); i++) toks.push(')');
      if (n.operator === 'AND' || n.operator === 'OR') toks.push(n.operator);
      node = n.right;
    }
    let pos = 0;
    type Pred = (r: SfRecord) => boolean;
    const malformed = (): SfError => new SfError(400, 'MALFORMED_QUERY', `\n${this.soql}\nunexpected token in WHERE clause`);
    const expr = (): Pred => {
      const first = term();
      const parts = [first];
      let op: string | undefined;
      while (toks[pos] === 'AND' || toks[pos] === 'OR') {
        const next = toks[pos] as string;
        if (op && op !== next) throw new SfError(400, 'MALFORMED_QUERY', `\n${this.soql}\nunexpected token: '${next}'`);
        op = next;
        pos++;
        parts.push(term());
      }
      if (parts.length === 1) return first;
      return op === 'AND' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
    };
    const term = (): Pred => {
      const t = toks[pos++];
      if (t === 'NOT') { const inner = term(); return (r) => !inner(r); }
      if (t === '(') { const inner = expr(); if (toks[pos++] !== ')') throw malformed(); return inner; }
      if (t && typeof t === 'object') return this.condition(def, t.cond);
      throw malformed();
    };
    const pred = expr();
    if (pos !== toks.length) throw malformed();
    return pred;
  }

  private condition(def: ObjectDef, c: Record<string, unknown>): (r: SfRecord) => boolean {
    if (!('field' in c)) throw new SfError(400, 'MALFORMED_QUERY', 'The Salesforce emulator does not implement functions in WHERE');
    const path = this.path(def, String(c.field).split('.'));
    const f = path.field;
    const op = String(c.operator).toUpperCase();
    const read = (r: SfRecord): unknown => this.read(def, r, path);
    if (c.literalType === 'SUBQUERY') {
      const inner = new SoqlEngine(this.org, this.soql, this.version);
      const sub = c.valueQuery as Query;
      const subDef = this.org.object(sub.sObject ?? '');
      if (!subDef) throw positionError(this.soql, sub.sObject ?? '', 'INVALID_TYPE', `sObject type '${sub.sObject}' is not supported.`);
      const subField = sub.fields?.[0];
      if (!subField || subField.type !== 'Field') throw new SfError(400, 'MALFORMED_QUERY', 'semi join sub-selects must select one field');
      const subPath = inner.path(subDef, [subField.field]);
      const values = new Set(inner.select(subDef, sub, false, undefined).map((r) => inner.read(subDef, r, subPath)).filter((v) => v !== null).map(String));
      return op === 'NOT IN' ? (r) => !values.has(String(read(r))) : (r) => values.has(String(read(r)));
    }
    const literalTypes = Array.isArray(c.literalType) ? c.literalType : undefined;
    const rawValues = Array.isArray(c.value) ? (c.value as string[]) : [String(c.value)];
    const values = rawValues.map((raw, i) => this.literal(f, String(literalTypes?.[i] ?? c.literalType), raw, c));
    if (op === 'LIKE') {
      if (!['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'reference'].includes(f.type)) {
        throw positionError(this.soql, String(c.field), 'INVALID_FIELD', `invalid operator on ${f.type} field: ${f.name}`);
      }
      const re = likeRegex(String(values[0]?.value ?? ''));
      return (r) => { const v = read(r); return v !== null && re.test(String(v)); };
    }
    if (op === 'IN' || op === 'NOT IN') {
      const test = (r: SfRecord): boolean => values.some((lit) => matches(f, read(r), '=', lit));
      return op === 'IN' ? test : (r) => !test(r);
    }
    if (op === 'INCLUDES' || op === 'EXCLUDES') {
      const test = (r: SfRecord): boolean => {
        const have = new Set(String(read(r) ?? '').split(';').filter(Boolean));
        return values.some((lit) => String(lit.value).split(';').every((v) => have.has(v)));
      };
      return op === 'INCLUDES' ? test : (r) => !test(r);
    }
    const lit = values[0]!;
    return (r) => matches(f, read(r), op, lit);
  }

  private literal(f: FieldDef, literalType: string, raw: string, c: Record<string, unknown>): Literal {
    const mismatch = (want: string, quoted: boolean): SfError => positionError(this.soql, String(c.field), 'INVALID_FIELD',
      `value of filter criterion for field '${f.name}' must be of type ${want} and ${quoted ? 'should be enclosed in quotes' : 'should not be enclosed in quotes'}`);
    if (literalType === 'NULL') return { value: null };
    switch (f.type) {
      case 'date': case 'datetime': {
        const want = f.type === 'date' ? 'date' : 'dateTime';
        if (literalType === 'DATE_LITERAL' || literalType === 'DATE_N_LITERAL') return { range: dateLiteralRange(raw, this.org.now()) };
        if (f.type === 'date' && literalType === 'DATE') return { value: Date.parse(`${raw}T00:00:00Z`) };
        if (f.type === 'datetime' && literalType === 'DATETIME') return { value: Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) };
        throw mismatch(want, false);
      }
      case 'boolean':
        if (literalType !== 'BOOLEAN') throw mismatch('boolean', false);
        return { value: raw.toUpperCase() === 'TRUE' };
      case 'int': case 'double': case 'currency': case 'percent':
        if (literalType !== 'INTEGER' && literalType !== 'DECIMAL') throw mismatch('double', false);
        return { value: Number(raw) };
      default: {
        if (literalType !== 'STRING') throw mismatch('string', true);
        const s = unquote(raw);
        if (f.type === 'id' || f.type === 'reference') {
          const id = to18(s);
          if (!id && f.type === 'id') throw positionError(this.soql, raw, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${s}`);
          return { value: id ?? s };
        }
        return { value: s };
      }
    }
  }
}

interface Literal {
  value?: unknown;
  range?: [number, number];
}

const unquote = (raw: string): string =>
  raw.replace(/^'|'$/g, '').replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[ch] ?? ch);

const likeRegex = (pattern: string): RegExp => {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) { re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); continue; }
    re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
};

/** The stored value as a number (dates/datetimes as epoch ms) or a comparable string. */
const comparable = (f: FieldDef, v: unknown): unknown => {
  if (v === null || v === undefined) return null;
  if (f.type === 'date') return Date.parse(`${String(v)}T00:00:00Z`);
  if (f.type === 'datetime') return Date.parse(String(v));
  if (typeof v === 'string' && f.type !== 'id' && f.type !== 'reference') return v.toLowerCase();
  return v;
};

const compare = (f: FieldDef, a: unknown, b: unknown): number => {
  const x = comparable(f, a) as number | string | boolean;
  const y = comparable(f, b) as number | string | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
};

/** SOQL treats null as a value: `= null` / `!= null` work and `!= 'x'` includes nulls; ordering needs a value. */
const matches = (f: FieldDef, stored: unknown, op: string, lit: Literal): boolean => {
  const v = comparable(f, stored);
  if (lit.range) {
    if (v === null) return op === '!=';
    const [start, end] = lit.range;
    const t = v as number;
    switch (op) {
      case '=': return t >= start && t < end;
      case '!=': return t < start || t >= end;
      case '<': return t < start;
      case '<=': return t < end;
      case '>': return t >= end;
      case '>=': return t >= start;
      default: return false;
    }
  }
  const w = typeof lit.value === 'string' && f.type !== 'id' && f.type !== 'reference' ? lit.value.toLowerCase() : lit.value;
  if (op === '=') return v === w;
  if (op === '!=') return v !== w;
  if (v === null || w === null) return false;
  const a = v as number | string;
  const b = w as number | string;
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return false;
  }
};

const outValue = (f: FieldDef, v: unknown): unknown => (f.type === 'datetime' && typeof v === 'string' ? sfDateTime(v) : v ?? null);

// ---- date literals (calendar = fiscal; the org's time zone is UTC) ----

type Unit = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';

const startOf = (unit: Unit, t: Date): Date => {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  const d = t.getUTCDate();
  switch (unit) {
    case 'DAY': return new Date(Date.UTC(y, m, d));
    case 'WEEK': return new Date(Date.UTC(y, m, d - t.getUTCDay())); // weeks start on Sunday (en_US locale)
    case 'MONTH': return new Date(Date.UTC(y, m, 1));
    case 'QUARTER': return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'YEAR': return new Date(Date.UTC(y, 0, 1));
  }
};

const add = (unit: Unit, t: Date, k: number): number => {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth();
  const d = t.getUTCDate();
  switch (unit) {
    case 'DAY': return Date.UTC(y, m, d + k);
    case 'WEEK': return Date.UTC(y, m, d + 7 * k);
    case 'MONTH': return Date.UTC(y, m + k, d);
    case 'QUARTER': return Date.UTC(y, m + 3 * k, d);
    case 'YEAR': return Date.UTC(y + k, m, d);
  }
};

export const dateLiteralRange = (literal: string, now: Date): [number, number] => {
  const [name, nRaw] = literal.toUpperCase().split(':');
  const n = Number(nRaw ?? 0);
  const today = startOf('DAY', now);
  const fixed: Record<string, [number, number]> = {
    TODAY: [today.getTime(), add('DAY', today, 1)],
    YESTERDAY: [add('DAY', today, -1), today.getTime()],
    TOMORROW: [add('DAY', today, 1), add('DAY', today, 2)],
    LAST_90_DAYS: [add('DAY', today, -90), add('DAY', today, 1)],
    NEXT_90_DAYS: [add('DAY', today, 1), add('DAY', today, 91)],
    LAST_N_DAYS: [add('DAY', today, -n), add('DAY', today, 1)], // includes today
    NEXT_N_DAYS: [add('DAY', today, 1), add('DAY', today, n + 1)], // starts tomorrow
    N_DAYS_AGO: [add('DAY', today, -n), add('DAY', today, -n + 1)],
  };
  if (name! in fixed) return fixed[name!]!;
  const m = /^(THIS|LAST|NEXT)_(FISCAL_)?(WEEK|MONTH|QUARTER|YEAR)$/.exec(name!);
  if (m) {
    const unit = m[3] as Unit;
    const s = startOf(unit, now);
    const k = m[1] === 'THIS' ? 0 : m[1] === 'LAST' ? -1 : 1;
    return [add(unit, s, k), add(unit, s, k + 1)];
  }
  const nm = /^(LAST_N|NEXT_N|N)_(FISCAL_)?(WEEK|MONTH|QUARTER|YEAR)S(_AGO)?$/.exec(name!);
  if (nm) {
    const unit = nm[3] as Unit;
    const s = startOf(unit, now);
    if (nm[1] === 'LAST_N') return [add(unit, s, -n), s.getTime()];
    if (nm[1] === 'NEXT_N') return [add(unit, s, 1), add(unit, s, n + 1)];
    return [add(unit, s, -n), add(unit, s, -n + 1)];
  }
  throw new SfError(400, 'MALFORMED_QUERY', `The Salesforce emulator does not implement the date literal ${literal}`);
};
