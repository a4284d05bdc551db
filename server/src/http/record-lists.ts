// Lists the pages browse: deals and list-view records narrowed by owner scope ("mine", "my team's") and a search
// across name, account and owner, sorted by any shown column, paged; and a manager's team with each rep's current
// scorecard. Rows come from the embedded org; nothing here knows HTTP except the errors it throws.
import type { OrgStore, SfRecord } from '../crm/embedded/store.ts';
import { to18 } from '../crm/sf-id.ts';
import { AppError, notFound } from '../errors.ts';
import { resolveListViewColumn, STANDARD_LIST_VIEW_COLUMNS, type ListViewColumn, type ObjectDef } from '../metadata/force-app.ts';
import { compileFilters } from './list-filter.ts';
import { isStoredObject, listViewSummaries, opportunityRows, type FilterInput, type ListViewSummary, type Page, type RecordPage } from './org-views.ts';
import { badRequest } from './validate.ts';

type Row = Record<string, unknown>;

export const SCOPES = ['everything', 'mine', 'team'] as const;
export type Scope = (typeof SCOPES)[number];

export interface Narrowing {
  /** Words that must each appear in the record's name, account or owner (case-insensitive). */
  q?: string | undefined;
  scope?: Scope | undefined;
  /** The person "mine" and "my team's" are about. Without one, every scope reads as everything. */
  userId?: string | undefined;
  sortBy?: string | undefined;
  sortDir?: 'asc' | 'desc' | undefined;
}

/** Per object: who owns a record, and which fields a search reads. */
const OWNERSHIP: Record<string, { owner: string; manager?: string; search: string[] }> = {
  Opportunity: { owner: 'OwnerId', search: ['Name', 'Account.Name', 'Owner.Name'] },
  Rep_Scorecard__c: { owner: 'Rep__c', manager: 'Manager__c', search: ['Name', 'Rep__r.Name', 'Manager__r.Name', 'Peer_Group__c'] },
  Quarterly_Review__c: { owner: 'Rep__c', search: ['Name', 'Rep__r.Name', 'Quarter__c'] },
  Milestone_Attestation__c: { owner: 'CreatedById', search: ['Milestone_Key__c', 'Opportunity__r.Name', 'CreatedBy.Name', 'Note__c'] },
  Coaching_Plan__c: { owner: 'Rep__c', manager: 'Manager__c', search: ['Name', 'Rep__r.Name', 'Manager__r.Name'] },
  Team_Goal__c: { owner: 'Manager__c', search: ['Name', 'Manager__r.Name'] },
  Deal_Inspection__c: { owner: 'Inspected_By__c', search: ['Opportunity__r.Name', 'Inspected_By__r.Name', 'Answer__c'] },
};

const LOOKUP_TYPES = new Set(['Lookup', 'MasterDetail']);
const NUMERIC = new Set(['Number', 'Currency', 'Percent']);

/** A lookup field's display path: Rep__c → Rep__r.Name, CreatedById → CreatedBy.Name. */
export const displayPathOf = (field: string): string => (field.endsWith('__c') ? `${field.slice(0, -1)}r.Name` : `${field.replace(/Id$/, '')}.Name`);

/** An object's records with the names of the users and deals they point at, as list views show them. */
export const rowsOf = (store: OrgStore, object: string): Row[] => {
  if (object === 'Opportunity') return opportunityRows(store);
  if (!isStoredObject(object)) return [];
  const users = new Map(store.all('User').map((u) => [u.Id, u.Name]));
  const names = (id: unknown): unknown => (typeof id === 'string' ? (users.get(id) ?? null) : null);
  // Salesforce's default alias: first initial and up to four letters of the last name (as opportunityRows derives it).
  const alias = (name: unknown): string | null => (typeof name === 'string' ? name.split(' ').map((p, i, all) => (i === 0 ? p.slice(0, 1) : i === all.length - 1 ? p.slice(0, 4) : '')).join('').toLowerCase() : null);
  const deals = object === 'Milestone_Attestation__c' || object === 'Deal_Inspection__c' ? new Map(store.all('Opportunity').map((o) => [o.Id, o.Name])) : null;
  return store.all(object).map((r) => {
    const row: Row = { ...r };
    for (const field of ['Rep__c', 'Manager__c', 'CreatedById', 'Inspected_By__c']) if (field in r) row[displayPathOf(field)] = names(r[field]);
    if ('CreatedById' in r) row['CreatedBy.Alias'] = alias(names(r.CreatedById));
    // Records without a name (attestations have none in the embedded org) read as Salesforce shows them: by id.
    if (row.Name === null || row.Name === undefined || row.Name === '') row.Name = r.Id;
    if (deals) row['Opportunity__r.Name'] = deals.get(String(r.Opportunity__c)) ?? null;
    return row;
  });
};

/** Team membership: the user's direct reports (and the user), from User.ManagerId. */
const teamOf = (store: OrgStore, managerId: string): Set<string> =>
  new Set([managerId, ...store.all('User').filter((u) => u.ManagerId === managerId).map((u) => String(u.Id))]);

const scoped = (store: OrgStore, object: string, rows: Row[], scope: Scope, userId: string | undefined): Row[] => {
  const own = OWNERSHIP[object];
  if (!own || !userId || scope === 'everything') return rows;
  const id = to18(userId);
  if (scope === 'mine') return rows.filter((r) => r[own.owner] === id);
  if (own.manager) return rows.filter((r) => r[own.manager!] === id);
  const team = teamOf(store, id);
  return rows.filter((r) => team.has(String(r[own.owner])));
};

const searched = (object: string, rows: Row[], q: string | undefined): Row[] => {
  const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return rows;
  const fields = OWNERSHIP[object]?.search ?? ['Name'];
  return rows.filter((r) => {
    const text = fields.map((f) => String(r[f] ?? '')).join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
};

// One collator for every comparison: localeCompare with options builds a new one per call (most of a sort's time).
const COLLATOR = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * Sorted copies of a list's rows, per column and direction, kept as long as the rows array itself (the org-version
 * cache of org-views.ts): repeated list reads sort once, not per request. Filtering a sorted array keeps its order.
 */
const sortedCache = new WeakMap<Row[], Map<string, Row[]>>();
export const sortedRows = (rows: Row[], column: ListViewColumn, dir: 'asc' | 'desc'): Row[] => {
  const byKey = sortedCache.get(rows) ?? sortedCache.set(rows, new Map()).get(rows)!;
  const key = `${column.apiName}:${dir}`;
  let sorted = byKey.get(key);
  if (!sorted) byKey.set(key, (sorted = [...rows].sort(comparator(column, dir))));
  return sorted;
};

const comparator = (column: ListViewColumn, dir: 'asc' | 'desc'): ((a: Row, b: Row) => number) => {
  const key = LOOKUP_TYPES.has(column.type) ? displayPathOf(column.apiName) : column.apiName;
  const sign = dir === 'desc' ? -1 : 1;
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    const xBlank = x === null || x === undefined || x === '';
    const yBlank = y === null || y === undefined || y === '';
    // Blanks last whichever way, as Salesforce list views sort them.
    if (xBlank || yBlank) return xBlank === yBlank ? 0 : xBlank ? 1 : -1;
    if (NUMERIC.has(column.type) || typeof x === 'number') return sign * (Number(x) - Number(y));
    if (typeof x === 'boolean') return sign * (Number(x) - Number(y));
    return sign * COLLATOR.compare(String(x), String(y));
  };
};

/** Narrow (scope, search), sort (a stable sort: ties keep the store's order) and page. */
export const narrow = (store: OrgStore, object: string, rows: Row[], n: Narrowing, sortable: readonly ListViewColumn[], page: Page): { total: number; rows: Row[]; sortBy: string | null; sortDir: 'asc' | 'desc' } => {
  let result = searched(object, scoped(store, object, rows, n.scope ?? 'everything', n.userId), n.q);
  const dir = n.sortDir ?? 'asc';
  let sortBy: string | null = null;
  if (n.sortBy) {
    const column = sortable.find((c) => c.apiName === n.sortBy);
    if (!column) throw badRequest(`query.sortBy: "${n.sortBy}" is not a column here (${sortable.map((c) => c.apiName).join(', ')})`);
    result = [...result].sort(comparator(column, dir));
    sortBy = column.apiName;
  }
  return { total: result.length, rows: result.slice(page.offset, page.offset + page.limit), sortBy, sortDir: dir };
};

const pick = (row: Row, fields: readonly string[]): Row => Object.fromEntries([['Id', row.Id], ...fields.map((f) => [f, row[f] ?? null])]);

/** The records of one list view of any object the embedded org holds: its filters, then scope, search, sort, page. */
export const listViewPage = (store: OrgStore, objects: readonly ObjectDef[], objectName: string, viewName: string, n: Narrowing, page: Page): RecordPage & { listView: ListViewSummary & { filterScope: string; filterFields: { field: string; label: string; type: string }[] }; scope: Scope; sortBy: string | null; sortDir: 'asc' | 'desc' } => {
  const object = objects.find((o) => o.apiName === objectName);
  const view = object?.listViews.find((v) => v.name === viewName);
  const summary = listViewSummaries(objects).find((v) => v.object === objectName && v.name === viewName);
  if (!object || !view || !summary) throw notFound(`list view ${objectName}.${viewName}`);
  if (!isStoredObject(objectName)) throw new AppError('conflict', `the embedded org does not hold ${objectName} records (the preview derives them from the playbook; see the gate designer)`, { name: 'NotAvailable' });
  const filters = summary.filters.map((f: FilterInput) => {
    const column = resolveListViewColumn(object, f.field);
    if (!column) throw badRequest(`list view ${objectName}.${viewName}: filter field "${f.field}" is not a field of ${objectName}`);
    return { apiName: column.apiName, type: column.type, operation: f.operation, ...(f.value === undefined ? {} : { value: f.value }) };
  });
  const matched = rowsOf(store, objectName).filter(compileFilters(filters, summary.booleanFilter));
  // The view's own scope ("My team's", "Mine") applies unless the person picks another.
  const defaultScope: Scope = view.filterScope === 'Team' ? 'team' : view.filterScope === 'Mine' ? 'mine' : 'everything';
  const scope = n.scope ?? defaultScope;
  const result = narrow(store, objectName, matched, { ...n, scope }, summary.columns, page);
  const fields = summary.columns.flatMap((c) => (LOOKUP_TYPES.has(c.type) ? [c.apiName, displayPathOf(c.apiName)] : [c.apiName]));
  // Each filter's field as people read it (its label and type), so the page can put the filters in words.
  const filterFields = filters.map((f, i) => ({ field: summary.filters[i]!.field, label: resolveListViewColumn(object, summary.filters[i]!.field)?.label ?? f.apiName, type: f.type }));
  return { listView: { ...summary, available: true, filterScope: view.filterScope, filterFields }, scope, total: result.total, records: result.rows.map((r) => pick(r, fields)), sortBy: result.sortBy, sortDir: result.sortDir };
};

/** Columns /api/opportunities can sort by. */
const OPPORTUNITY_SORTS: ListViewColumn[] = [
  { apiName: 'Name', label: 'Opportunity Name', type: 'Text' },
  { apiName: 'Account.Name', label: 'Account Name', type: 'Text' },
  { apiName: 'Owner.Name', label: 'Opportunity Owner', type: 'Text' },
  { apiName: 'StageName', label: 'Stage', type: 'Text' },
  { apiName: 'Amount', label: 'Amount', type: 'Currency' },
  { apiName: 'CloseDate', label: 'Close Date', type: 'Date' },
];

/** Deals filtered like a list view (list-view tokens or API names), then narrowed, sorted and paged; rows carry `fields` (plus Id). */
export const narrowOpportunities = (store: OrgStore, object: ObjectDef, filters: FilterInput[], booleanFilter: string | undefined, n: Narrowing, page: Page, fields?: string[]): RecordPage => {
  const resolved = filters.map((f) => {
    const column = resolveListViewColumn(object, f.field) ?? Object.values(STANDARD_LIST_VIEW_COLUMNS.Opportunity ?? {}).find((c) => c.apiName === f.field);
    if (!column) throw badRequest(`filter field "${f.field}" is not a field of Opportunity a list view can filter on`);
    return { apiName: column.apiName, type: column.type, operation: f.operation, ...(f.value === undefined ? {} : { value: f.value }) };
  });
  // Sorted before it is filtered: the sorted order of all the org's deals is cached per org version.
  const column = n.sortBy ? OPPORTUNITY_SORTS.find((c) => c.apiName === n.sortBy) : undefined;
  const base = column ? sortedRows(opportunityRows(store), column, n.sortDir ?? 'asc') : opportunityRows(store);
  const result = narrow(store, 'Opportunity', base.filter(compileFilters(resolved, booleanFilter)), { ...n, ...(column ? { sortBy: undefined } : {}) }, OPPORTUNITY_SORTS, page);
  return { total: result.total, records: fields ? result.rows.map((r) => pick(r, fields)) : result.rows };
};

const SCORE_FIELDS = ['Behaviour_Score__c', 'Pipeline_Score__c', 'Account_Coverage_Score__c', 'Discovery_Score__c', 'Stakeholder_Engagement_Score__c', 'Executive_Access_Score__c', 'Growth_Score__c'] as const;

export interface TeamMember {
  Id: string;
  Name: unknown;
  Title: unknown;
  scorecardId: string | null;
  scores: Record<string, unknown>;
  /** Behaviour score change since the previous weekly scorecard; null without one. */
  change: number | null;
  diagnosis: unknown;
  focus: unknown;
}

/** A manager's direct reports with their current scorecard (users, for the preview's people pickers). */
export const teamOfManager = (store: OrgStore, rawId: string): { manager: { Id: string; Name: unknown; Title: unknown }; members: TeamMember[] } => {
  const id = to18(rawId);
  const manager = store.get('User', id);
  if (!manager) throw notFound(`User ${rawId}`);
  const cards = store.all('Rep_Scorecard__c').filter((c) => c.Manager__c === id || teamOf(store, id).has(String(c.Rep__c)));
  const byRep = new Map<string, SfRecord[]>();
  for (const c of cards) (byRep.get(String(c.Rep__c)) ?? byRep.set(String(c.Rep__c), []).get(String(c.Rep__c))!).push(c);
  const members = store.all('User').filter((u) => u.ManagerId === id).map((u): TeamMember => {
    const history = (byRep.get(String(u.Id)) ?? []).sort((a, b) => String(b.Period_Start__c).localeCompare(String(a.Period_Start__c)));
    const current = history.find((c) => c.Is_Current__c === true) ?? history[0];
    const previous = current ? history.find((c) => String(c.Period_Start__c) < String(current.Period_Start__c)) : undefined;
    const score = (r: SfRecord | undefined): number | null => (typeof r?.Behaviour_Score__c === 'number' ? r.Behaviour_Score__c : null);
    return {
      Id: String(u.Id), Name: u.Name, Title: u.Title ?? null, scorecardId: current ? String(current.Id) : null,
      scores: Object.fromEntries(SCORE_FIELDS.map((f) => [f, current?.[f] ?? u[f] ?? null])),
      change: score(current) !== null && score(previous) !== null ? Math.round((score(current)! - score(previous)!) * 10) / 10 : null,
      diagnosis: current?.Coaching_Diagnosis__c ?? u.Coaching_Diagnosis__c ?? null,
      focus: current?.Coaching_Focus__c ?? u.Coaching_Focus__c ?? null,
    };
  });
  return { manager: { Id: id, Name: manager.Name, Title: manager.Title ?? null }, members };
};
