// The CRM search endpoint's query semantics, from the "Search the CRM" guide: filter groups OR-ed, filters inside a
// group AND-ed (at most 5 groups, 10 filters per group, 25 filters in all: the August 2024 changelog "Expanded Filtering
// Capabilities"), the documented operators, one sort, `limit` ≤ 200, `after` paging and the 10,000-result cap.
import type { PropertyDefinition } from './documented-properties.ts';
import { validation } from './errors.ts';
import type { HsRecord, Portal } from './portal.ts';

export interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}

export interface SearchRequest {
  filterGroups?: { filters?: Filter[] }[];
  sorts?: ({ propertyName: string; direction?: 'ASCENDING' | 'DESCENDING' } | string)[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string | number;
}

export const SEARCH_LIMITS = { maxLimit: 200, maxResults: 10_000, maxGroups: 5, maxFiltersPerGroup: 10, maxFilters: 25 } as const;

const OPERATORS = new Set(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']);

type Comparable = number | string;

/** A property value (or filter value) in a comparable form: numbers and instants as numbers, text lower-cased. */
const comparable = (def: PropertyDefinition | undefined, raw: unknown): Comparable | null => {
  if (raw === undefined || raw === null || raw === '') return null;
  const s = String(raw);
  if (def?.type === 'number') return Number(s);
  if (def?.type === 'datetime' || def?.type === 'date') {
    // Filters on dates take epoch milliseconds or ISO text; stored values are ISO text (dates YYYY-MM-DD).
    const n = /^-?\d+$/.test(s) ? Number(s) : Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
    return Number.isNaN(n) ? s.toLowerCase() : n;
  }
  if (def?.name === 'hs_object_id') return Number(s);
  return s.toLowerCase();
};

const compare = (a: Comparable, b: Comparable): number => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

const matches = (record: HsRecord, filter: Filter, defs: Map<string, PropertyDefinition>, portal: Portal): boolean => {
  if (filter.propertyName.startsWith('associations.')) {
    // The search guide's association pseudo-property: records associated with the given record id(s).
    const toType = portal.type(filter.propertyName.slice('associations.'.length)).name;
    const ids = filter.operator === 'IN' ? (filter.values ?? []).map(String) : [String(filter.value)];
    return portal.associationsOf(record.type, record.id, toType).some((a) => ids.includes(a.toObjectId));
  }
  const def = defs.get(filter.propertyName);
  const actual = comparable(def, record.properties[filter.propertyName]);
  const value = comparable(def, filter.value);
  switch (filter.operator) {
    case 'HAS_PROPERTY': return actual !== null;
    case 'NOT_HAS_PROPERTY': return actual === null;
    case 'EQ': return actual !== null && value !== null && compare(actual, value) === 0;
    // NEQ matches records without a value too (they are "not equal").
    case 'NEQ': return actual === null || value === null || compare(actual, value) !== 0;
    case 'LT': return actual !== null && value !== null && compare(actual, value) < 0;
    case 'LTE': return actual !== null && value !== null && compare(actual, value) <= 0;
    case 'GT': return actual !== null && value !== null && compare(actual, value) > 0;
    case 'GTE': return actual !== null && value !== null && compare(actual, value) >= 0;
    case 'BETWEEN': {
      const high = comparable(def, filter.highValue);
      return actual !== null && value !== null && high !== null && compare(actual, value) >= 0 && compare(actual, high) <= 0;
    }
    case 'IN': return actual !== null && (filter.values ?? []).some((v) => { const c = comparable(def, v); return c !== null && compare(actual, c) === 0; });
    case 'NOT_IN': return actual === null || !(filter.values ?? []).some((v) => { const c = comparable(def, v); return c !== null && compare(actual, c) === 0; });
    case 'CONTAINS_TOKEN': return actual !== null && tokenMatch(String(actual), String(filter.value ?? ''));
    case 'NOT_CONTAINS_TOKEN': return actual === null || !tokenMatch(String(actual), String(filter.value ?? ''));
    default: return false;
  }
};

/** CONTAINS_TOKEN: a whole word of the value, `*` as a wildcard. */
const tokenMatch = (text: string, token: string): boolean => {
  const pattern = new RegExp(`^${token.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return text.toLowerCase().split(/[^a-z0-9@._*-]+/).some((w) => pattern.test(w)) || pattern.test(text.toLowerCase());
};

/** Checks a search body the way the endpoint does: every failure is a 400 VALIDATION_ERROR. */
export const validateSearch = (body: SearchRequest, defs: Map<string, PropertyDefinition>, portal?: Portal): { limit: number; after: number } => {
  const groups = body.filterGroups ?? [];
  if (groups.length > SEARCH_LIMITS.maxGroups) throw validation(`Too many filter groups (${groups.length}); the limit is ${SEARCH_LIMITS.maxGroups}.`);
  let total = 0;
  for (const g of groups) {
    const filters = g.filters ?? [];
    total += filters.length;
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) throw validation(`Too many filters in a filter group (${filters.length}); the limit is ${SEARCH_LIMITS.maxFiltersPerGroup}.`);
    for (const f of filters) {
      if (!OPERATORS.has(f.operator)) throw validation(`Invalid input JSON on line 1: Cannot deserialize value of type FilterOperatorEnum from String "${f.operator}"`);
      if (f.propertyName.startsWith('associations.')) {
        portal?.type(f.propertyName.slice('associations.'.length));
        if (!['EQ', 'IN'].includes(f.operator)) throw validation(`${f.propertyName} supports EQ and IN only`);
      } else if (!defs.has(f.propertyName)) throw validation(`There was a problem with the request: property ${f.propertyName} does not exist`);
      if (['IN', 'NOT_IN'].includes(f.operator) && !Array.isArray(f.values)) throw validation(`${f.operator} requires "values"`);
    }
  }
  if (total > SEARCH_LIMITS.maxFilters) throw validation(`Too many filters (${total}); the limit is ${SEARCH_LIMITS.maxFilters}.`);
  if ((body.sorts ?? []).length > 1) throw validation('Only one sort is allowed.');
  const limit = body.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxLimit) throw validation(`limit must be between 1 and ${SEARCH_LIMITS.maxLimit}, got ${String(body.limit)}`);
  const after = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0) throw validation(`Invalid after: ${String(body.after)}`);
  // The 10,000-result cap: HubSpot refuses any page that starts at or beyond it.
  if (after >= SEARCH_LIMITS.maxResults) throw validation(`Search results are limited to ${SEARCH_LIMITS.maxResults} total results for any given query; page by a property (hs_object_id) instead of after=${after}.`);
  return { limit, after };
};

/** Runs a search: matching unarchived records, sorted (default: by id), one page of them and the total. */
export const runSearch = (portal: Portal, type: string, body: SearchRequest): { total: number; page: HsRecord[]; next: number | null } => {
  const defs = portal.propertiesOf(type);
  const { limit, after } = validateSearch(body, defs, portal);
  const groups = (body.filterGroups ?? []).filter((g) => (g.filters ?? []).length > 0);
  const query = body.query?.toLowerCase().trim();
  // In id order already (the default order, and hs_object_id's), so only other sorts sort.
  let rows = portal.ordered(type).filter((r) => !r.archived);
  if (groups.length) rows = rows.filter((r) => groups.some((g) => (g.filters ?? []).every((f) => matches(r, f, defs, portal))));
  if (query) {
    const t = portal.type(type);
    const searchable = t.defaultProperties.filter((p) => defs.get(p)?.type === 'string');
    rows = rows.filter((r) => searchable.some((p) => (r.properties[p] ?? '').toLowerCase().includes(query)));
  }
  const sort = body.sorts?.[0];
  const sortName = typeof sort === 'string' ? sort.replace(/^-/, '') : sort?.propertyName;
  const descending = typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING';
  if (sortName && !(sortName === 'hs_object_id' && !descending)) {
    const def = defs.get(sortName);
    rows.sort((a, b) => {
      const x = comparable(def, a.properties[sortName]);
      const y = comparable(def, b.properties[sortName]);
      // Records without the value sort last either way; ties by id.
      const c = x === null && y === null ? 0 : x === null ? 1 : y === null ? -1 : compare(x, y) * (descending ? -1 : 1);
      return c || Number(a.id) - Number(b.id);
    });
  }
  const end = Math.min(after + limit, rows.length, SEARCH_LIMITS.maxResults);
  const page = rows.slice(after, end);
  return { total: rows.length, page, next: end < rows.length ? end : null };
};
