// A small executor for the UI API GraphQL queries components send (uiapi { query { Object(first, where, orderBy) {
// edges { node { Id Field { value displayValue } Parent__r { … } Children__r(…) { edges { node { … } } } } } } } }),
// over records a source hands it. Enough of the platform's shape for the preview; anything it does not know is
// answered the way GraphQL answers: HTTP 200 with `errors`, each naming what was wrong.
import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { SfRecord } from '../crm/embedded/store.ts';

export interface GraphqlSource {
  /** Every record of an object, or undefined when the source does not serve that object. */
  records(object: string): readonly SfRecord[] | undefined;
  /** The object's fields (Id included). */
  fields(object: string): ReadonlySet<string>;
  /** `Stage_Gate__r` on Gate_Milestone__c → { field: 'Stage_Gate__c', target: 'Stage_Gate__c' }. */
  parent(object: string, relationship: string): { field: string; target: string } | undefined;
  /** `Gate_Milestones__r` on Stage_Gate__c → { child: 'Gate_Milestone__c', via: 'Stage_Gate__c' }. */
  child(object: string, relationship: string): { child: string; via: string } | undefined;
  /** The display value of a field (picklist labels, formatted numbers); null when the platform gives none. */
  displayValue?(object: string, field: string, value: unknown): string | null;
}

export interface GraphqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
}

export interface GraphqlResponse {
  data: Record<string, unknown> | null;
  errors: GraphqlError[];
}

class QueryError extends Error {}

type Variables = Record<string, unknown>;
type Where = Record<string, unknown>;

const fieldsOf = (set: SelectionSetNode | undefined): FieldNode[] => (set?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
const nameOf = (f: FieldNode): string => f.alias?.value ?? f.name.value;
const argsOf = (f: FieldNode, variables: Variables): Record<string, unknown> => Object.fromEntries((f.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]));

const comparable = (v: unknown): number | string | null => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  return String(v);
};

const compare = (a: unknown, b: unknown): number => {
  const x = comparable(a);
  const y = comparable(b);
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
};

/**
 * SOQL's LIKE (`%` any run, `_` one character, case-insensitive) without a regular expression: a backtracking regex
 * of `%a%a%a…` takes time exponential in the `%`s. Greedy matching that remembers only the last `%` is linear in
 * practice and O(pattern × text) at worst.
 */
export const likeMatches = (pattern: string, text: string): boolean => {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < t.length) {
    if (i < p.length && (p[i] === '_' || (p[i] !== '%' && p[i] === t[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '%') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '%') i++;
  return i === p.length;
};

/** What one query may ask: the components' own queries sit well inside these (depth 10, no aliases, ~40 fields). */
export const GRAPHQL_LIMITS = { depth: 14, aliases: 30, fields: 1000, records: 5_000 } as const;

/** Depth, aliases and field count of a selection, counted before anything is executed. */
const measure = (set: SelectionSetNode | undefined, depth = 1): { depth: number; aliases: number; fields: number } => {
  const out = { depth: set?.selections.length ? depth : depth - 1, aliases: 0, fields: 0 };
  for (const selection of set?.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue;
    const inner = measure(selection.selectionSet, depth + 1);
    out.depth = Math.max(out.depth, inner.depth);
    out.aliases += inner.aliases + (selection.alias ? 1 : 0);
    out.fields += inner.fields + 1;
    // Stop counting as soon as a limit is passed: a hostile query is refused, not walked to its end.
    if (out.fields > GRAPHQL_LIMITS.fields || out.depth > GRAPHQL_LIMITS.depth) break;
  }
  return out;
};

/** One field's operators ({ eq, ne, gt, gte, lt, lte, in, nin, like }) against a value. */
const matchesOperators = (value: unknown, ops: Record<string, unknown>, field: string): boolean =>
  Object.entries(ops).every(([op, operand]) => {
    const v = comparable(value);
    switch (op) {
      case 'eq':
        return operand === null ? v === null : v !== null && compare(value, operand) === 0;
      case 'ne':
        return operand === null ? v !== null : v === null || compare(value, operand) !== 0;
      case 'gt':
        return v !== null && compare(value, operand) > 0;
      case 'gte':
        return v !== null && compare(value, operand) >= 0;
      case 'lt':
        return v !== null && compare(value, operand) < 0;
      case 'lte':
        return v !== null && compare(value, operand) <= 0;
      case 'in':
        return Array.isArray(operand) && operand.some((o) => compare(value, o) === 0 && v !== null);
      case 'nin':
        return Array.isArray(operand) && !operand.some((o) => compare(value, o) === 0 && v !== null);
      case 'like':
        return v !== null && likeMatches(String(operand), String(v));
      default:
        throw new QueryError(`where: operator "${op}" on ${field} is not supported by the preview`);
    }
  });

export const executeUiGraphql = (query: string, variables: Variables, source: GraphqlSource, operationName?: string): GraphqlResponse => {
  let operation: OperationDefinitionNode | undefined;
  try {
    const document = parse(query, { maxTokens: 5000 });
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
    if (!operation) return { data: null, errors: [{ message: operationName ? `Unknown operation named "${operationName}".` : 'The document holds no operation.' }] };
    if (operation.operation !== 'query') return { data: null, errors: [{ message: 'Only queries are supported: records change through the UI API (createRecord/updateRecord).' }] };
    const size = measure(operation.selectionSet);
    const L = GRAPHQL_LIMITS;
    if (size.depth > L.depth) return { data: null, errors: [{ message: `The query nests deeper than ${L.depth} levels.` }] };
    if (size.fields > L.fields) return { data: null, errors: [{ message: `The query selects more than ${L.fields} fields.` }] };
    if (size.aliases > L.aliases) return { data: null, errors: [{ message: `The query uses more than ${L.aliases} aliases.` }] };
  } catch (error) {
    return { data: null, errors: [{ message: error instanceof RangeError ? 'The query is nested too deeply.' : (error as Error).message }] };
  }

  const errors: GraphqlError[] = [];
  // Every record placed in the answer counts: nested connections multiply, and the answer must stay small.
  let records = 0;
  const emit = (): void => {
    if (++records > GRAPHQL_LIMITS.records) throw new QueryError(`The query would answer more than ${GRAPHQL_LIMITS.records} records: ask for fewer with first or where.`);
  };
  const location = (f: FieldNode): { line: number; column: number }[] | undefined => (f.loc ? [{ line: f.loc.startToken.line, column: f.loc.startToken.column }] : undefined);

  const matches = (object: string, record: SfRecord, where: Where): boolean =>
    Object.entries(where).every(([key, condition]) => {
      if (key === 'and') return (condition as Where[]).every((w) => matches(object, record, w));
      if (key === 'or') return (condition as Where[]).some((w) => matches(object, record, w));
      if (key === 'not') return !matches(object, record, condition as Where);
      const parent = source.parent(object, key);
      if (parent) {
        const related = source.records(parent.target)?.find((r) => r.Id === record[parent.field]);
        return related ? matches(parent.target, related, condition as Where) : false;
      }
      if (!source.fields(object).has(key)) throw new QueryError(`where: ${object} has no field ${key}`);
      return matchesOperators(record[key], condition as Record<string, unknown>, key);
    });

  const sortBy = (object: string, records: SfRecord[], orderBy: Record<string, { order?: string; nulls?: string }> | undefined): SfRecord[] => {
    if (!orderBy) return records;
    const keys = Object.entries(orderBy);
    for (const [field] of keys) if (!source.fields(object).has(field)) throw new QueryError(`orderBy: ${object} has no field ${field}`);
    return [...records].sort((a, b) => {
      for (const [field, { order = 'ASC', nulls }] of keys) {
        const aNull = comparable(a[field]) === null;
        const bNull = comparable(b[field]) === null;
        if (aNull !== bNull) {
          // Salesforce's defaults: nulls first ascending, last descending.
          const nullsFirst = nulls ? nulls === 'FIRST' : order === 'ASC';
          return aNull === nullsFirst ? -1 : 1;
        }
        const c = compare(a[field], b[field]);
        if (c !== 0) return order === 'DESC' ? -c : c;
      }
      return 0;
    });
  };

  const connection = (object: string, field: FieldNode, candidates: readonly SfRecord[], path: (string | number)[]): Record<string, unknown> => {
    const args = argsOf(field, variables);
    const first = args.first === undefined ? 10 : Number(args.first);
    if (!Number.isInteger(first) || first < 1 || first > 2000) throw new QueryError(`${object}: first must be a whole number from 1 to 2000`);
    const filtered = args.where ? candidates.filter((r) => matches(object, r, args.where as Where)) : [...candidates];
    const offset = args.after === undefined || args.after === null ? 0 : Number(Buffer.from(String(args.after), 'base64url').toString()) || 0;
    const sorted = sortBy(object, filtered, args.orderBy as Record<string, { order?: string; nulls?: string }> | undefined);
    const page = sorted.slice(offset, offset + first);
    const out: Record<string, unknown> = {};
    for (const f of fieldsOf(field.selectionSet)) {
      const name = nameOf(f);
      if (f.name.value === 'edges') {
        out[name] = page.map((record, i) => {
          const edge: Record<string, unknown> = {};
          for (const e of fieldsOf(f.selectionSet)) {
            if (e.name.value === 'node') edge[nameOf(e)] = node(object, record, e.selectionSet, [...path, name, i, nameOf(e)]);
            else if (e.name.value === 'cursor') edge[nameOf(e)] = Buffer.from(String(offset + i + 1)).toString('base64url');
            else throw new QueryError(`${object} edges have no field ${e.name.value}`);
          }
          return edge;
        });
      } else if (f.name.value === 'totalCount') {
        out[name] = filtered.length;
      } else if (f.name.value === 'pageInfo') {
        const end = offset + page.length;
        out[name] = { hasNextPage: end < sorted.length, hasPreviousPage: offset > 0, endCursor: page.length ? Buffer.from(String(end)).toString('base64url') : null, startCursor: page.length ? Buffer.from(String(offset + 1)).toString('base64url') : null };
      } else {
        throw new QueryError(`${object} connection has no field ${f.name.value}`);
      }
    }
    return out;
  };

  const node = (object: string, record: SfRecord, set: SelectionSetNode | undefined, path: (string | number)[]): Record<string, unknown> => {
    emit();
    const out: Record<string, unknown> = {};
    const fields = source.fields(object);
    for (const f of fieldsOf(set)) {
      const name = nameOf(f);
      const field = f.name.value;
      if (field === 'Id') {
        out[name] = record.Id;
      } else if (field === 'ApiName') {
        out[name] = object;
      } else if (field === '__typename') {
        out[name] = object;
      } else if (source.parent(object, field)) {
        const parent = source.parent(object, field)!;
        const related = source.records(parent.target)?.find((r) => r.Id === record[parent.field]);
        out[name] = related ? node(parent.target, related, f.selectionSet, [...path, name]) : null;
      } else if (source.child(object, field)) {
        const child = source.child(object, field)!;
        const children = (source.records(child.child) ?? []).filter((r) => r.Id !== undefined && r[child.via] === record.Id);
        out[name] = connection(child.child, f, children, [...path, name]);
      } else if (fields.has(field)) {
        const value = record[field] ?? null;
        const leaf: Record<string, unknown> = {};
        for (const part of fieldsOf(f.selectionSet)) {
          if (part.name.value === 'value') leaf[nameOf(part)] = value;
          else if (part.name.value === 'displayValue') leaf[nameOf(part)] = source.displayValue?.(object, field, value) ?? null;
          else if (part.name.value === 'label') leaf[nameOf(part)] = null;
          else throw new QueryError(`${object}.${field} has no property ${part.name.value} (value, displayValue)`);
        }
        out[name] = leaf;
      } else {
        errors.push({ message: `Validation error: Field '${field}' is not defined on ${object}`, ...(location(f) ? { locations: location(f)! } : {}), path: [...path, name] });
        return out;
      }
    }
    return out;
  };

  const data: Record<string, unknown> = {};
  try {
    for (const top of fieldsOf(operation.selectionSet)) {
      if (top.name.value !== 'uiapi') throw new QueryError(`Field '${top.name.value}' is not defined on Query: queries start at uiapi`);
      const uiapi: Record<string, unknown> = {};
      for (const q of fieldsOf(top.selectionSet)) {
        if (q.name.value !== 'query') throw new QueryError(`uiapi.${q.name.value} is not supported by the preview (only uiapi.query)`);
        const objects: Record<string, unknown> = {};
        for (const o of fieldsOf(q.selectionSet)) {
          const records = source.records(o.name.value);
          if (!records) {
            errors.push({ message: `Validation error: Field '${o.name.value}' is not defined on RecordQuery: the preview serves no ${o.name.value} records`, path: [nameOf(top), nameOf(q), nameOf(o)] });
            continue;
          }
          objects[nameOf(o)] = connection(o.name.value, o, records, [nameOf(top), nameOf(q), nameOf(o)]);
        }
        uiapi[nameOf(q)] = objects;
      }
      data[nameOf(top)] = uiapi;
    }
  } catch (error) {
    if (error instanceof RangeError) return { data: null, errors: [...errors, { message: 'The query (its where clause) is nested too deeply.' }] };
    if (!(error instanceof QueryError)) throw error;
    return { data: null, errors: [...errors, { message: error.message }] };
  }
  return { data, errors };
};
