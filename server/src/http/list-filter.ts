// Evaluates list-view filters the way Salesforce does, over rows of resolved values: `equals` with a comma-separated
// list means any of them, a filter with no value compares with blank, checkboxes are 0/1, multi-selects use
// `includes`/`excludes` (a term "a;b" needs both), and `booleanFilter` ("1 AND (2 OR 3)") combines them.
import { badRequest } from './validate.ts';

export interface ResolvedFilter {
  /** The field's API name or relationship path (`StageName`, `Account.Name`). */
  apiName: string;
  /** Metadata type (Checkbox, Number, Picklist, MultiselectPicklist, Text, Date, DateTime, Currency, Percent). */
  type: string;
  operation: string;
  value?: string;
}

export const OPERATIONS = ['equals', 'notEqual', 'lessThan', 'greaterThan', 'lessOrEqual', 'greaterOrEqual', 'contains', 'notContain', 'startsWith', 'includes', 'excludes'] as const;

type Row = Record<string, unknown>;
const NUMERIC = new Set(['Number', 'Currency', 'Percent']);

const blank = (v: unknown): boolean => v === null || v === undefined || v === '';

const terms = (value: string | undefined): string[] => (value === undefined ? [] : value.split(',').map((t) => t.trim()));

const equalsTerm = (type: string, actual: unknown, term: string): boolean => {
  if (type === 'Checkbox') return (actual === true) === (term === '1' || term.toLowerCase() === 'true');
  if (blank(actual)) return term === '';
  if (NUMERIC.has(type)) return Number(actual) === Number(term);
  if (type === 'Date' || type === 'DateTime') return String(actual).slice(0, term.length) === term;
  return String(actual).toLowerCase() === term.toLowerCase();
};

/**
 * Date literals list views use (TODAY, YESTERDAY, TOMORROW, LAST_N_DAYS:n, NEXT_N_DAYS:n) as the date they bound:
 * LAST_N_DAYS:n starts n days before today, so "lessThan LAST_N_DAYS:30" reads "before the last 30 days".
 */
export const resolveDateLiteral = (term: string, today: string = new Date().toISOString().slice(0, 10)): string => {
  const shift = (days: number): string => new Date(Date.parse(`${today}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const upper = term.toUpperCase();
  if (upper === 'TODAY') return today;
  if (upper === 'YESTERDAY') return shift(-1);
  if (upper === 'TOMORROW') return shift(1);
  const n = /^(LAST|NEXT)_N_DAYS:(\d+)$/.exec(upper);
  if (n) return shift(n[1] === 'LAST' ? -Number(n[2]) : Number(n[2]));
  return term;
};

const compare = (type: string, actual: unknown, rawTerm: string): number | null => {
  const term = type === 'Date' || type === 'DateTime' ? resolveDateLiteral(rawTerm) : rawTerm;
  if (blank(actual)) return null;
  if (NUMERIC.has(type)) return Number(actual) - Number(term);
  const a = String(actual);
  return a < term ? -1 : a > term ? 1 : 0;
};

const multi = (actual: unknown): Set<string> => new Set(blank(actual) ? [] : String(actual).split(';'));

export const matchesFilter = (row: Row, f: ResolvedFilter): boolean => {
  const actual = row[f.apiName];
  const list = terms(f.value);
  switch (f.operation) {
    case 'equals':
      return list.length === 0 ? blank(actual) : list.some((t) => equalsTerm(f.type, actual, t));
    case 'notEqual':
      return list.length === 0 ? !blank(actual) : !list.some((t) => equalsTerm(f.type, actual, t));
    case 'lessThan':
    case 'greaterThan':
    case 'lessOrEqual':
    case 'greaterOrEqual': {
      const d = compare(f.type, actual, list[0] ?? '');
      if (d === null) return false;
      return f.operation === 'lessThan' ? d < 0 : f.operation === 'greaterThan' ? d > 0 : f.operation === 'lessOrEqual' ? d <= 0 : d >= 0;
    }
    case 'contains':
      return !blank(actual) && list.some((t) => String(actual).toLowerCase().includes(t.toLowerCase()));
    case 'notContain':
      return blank(actual) || !list.some((t) => String(actual).toLowerCase().includes(t.toLowerCase()));
    case 'startsWith':
      return !blank(actual) && list.some((t) => String(actual).toLowerCase().startsWith(t.toLowerCase()));
    case 'includes':
    case 'excludes': {
      const have = multi(actual);
      const any = list.some((t) => t.split(';').every((v) => have.has(v)));
      return f.operation === 'includes' ? any : !any;
    }
    default:
      throw badRequest(`unknown filter operation "${f.operation}" (use one of ${OPERATIONS.join(', ')})`);
  }
};

/** Parses "1 AND (2 OR NOT 3)" into a predicate over the filter results (1-based). */
export const compileBooleanFilter = (expression: string, count: number): ((results: boolean[]) => boolean) => {
  const tokens = expression.toUpperCase().match(/\d+|AND|OR|NOT|\(|\)|\S/g) ?? [];
  let at = 0;
  type Node = (r: boolean[]) => boolean;
  const fail = (why: string): never => {
    throw badRequest(`booleanFilter "${expression}": ${why}`);
  };
  const primary = (): Node => {
    const t = tokens[at++];
    if (t === 'NOT') {
      const inner = primary();
      return (r) => !inner(r);
    }
    if (t === '(') {
      const inner = or();
      if (tokens[at++] !== ')') fail('a parenthesis is not closed');
      return inner;
    }
    if (t && /^\d+$/.test(t)) {
      const n = Number(t);
      if (n < 1 || n > count) fail(`refers to filter ${n}, but there are ${count}`);
      return (r) => r[n - 1]!;
    }
    return fail(t === undefined ? 'ends too early' : `unexpected "${t}"`);
  };
  const and = (): Node => {
    let left = primary();
    while (tokens[at] === 'AND') {
      at++;
      const l = left;
      const right = primary();
      left = (r) => l(r) && right(r);
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (tokens[at] === 'OR') {
      at++;
      const l = left;
      const right = and();
      left = (r) => l(r) || right(r);
    }
    return left;
  };
  const root = or();
  if (at < tokens.length) fail(`unexpected "${tokens[at]}"`);
  return root;
};

/** A predicate for a whole filter set: all filters (AND) unless a boolean filter says otherwise. */
export const compileFilters = (filters: readonly ResolvedFilter[], booleanFilter?: string): ((row: Row) => boolean) => {
  const combine = booleanFilter ? compileBooleanFilter(booleanFilter, filters.length) : (r: boolean[]) => r.every(Boolean);
  return (row) => combine(filters.map((f) => matchesFilter(row, f)));
};
