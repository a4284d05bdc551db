// Use cases over the embedded org for the API: opportunities filtered like a list view, one deal with its
// indicators and checklist, users and their scores, and attestations. Routes call these; nothing here knows HTTP
// except the AppError it throws.
import { Checklist } from '../../../shared/src/checklist.ts';
import { USER_FIELDS } from '../../../shared/src/fields.ts';
import { KEY_PREFIX, OBJECT_NAMES, type SfObjectName } from '../crm/sobjects.ts';
import type { OrgStore, SfRecord } from '../crm/embedded/store.ts';
import { to18 } from '../crm/sf-id.ts';
import { AppError, notFound } from '../errors.ts';
import { resolveListViewColumn, STANDARD_LIST_VIEW_COLUMNS, type ListViewColumn, type ObjectDef } from '../metadata/force-app.ts';
import { compileFilters, type ResolvedFilter } from './list-filter.ts';
import { badRequest } from './validate.ts';

export interface Page {
  limit: number;
  offset: number;
}

export interface FilterInput {
  field: string;
  operation: string;
  value?: string;
}

type Row = Record<string, unknown>;

const stored = new Set<string>(OBJECT_NAMES);
export const isStoredObject = (name: string): name is SfObjectName => stored.has(name);

/** The object a record id belongs to, from its key prefix. */
export const objectOfId = (id: string): SfObjectName | undefined => {
  const prefix = id.slice(0, 3);
  return OBJECT_NAMES.find((o) => KEY_PREFIX[o] === prefix);
};

/** Opportunities with the relationship values list views show (Account.Name, Owner.Name, Owner.Alias). */
// Every list call reads the same rows: built once per org version, so concurrent list requests cost a filter and a
// slice, not a full read of the org each (four clients pushed unrelated answers from 2 ms to 1.4 s).
const rowCache = new WeakMap<OrgStore, { version: string; rows: Row[] }>();

export const opportunityRows = (store: OrgStore): Row[] => {
  const version = store.version();
  const cached = rowCache.get(store);
  if (cached?.version === version) return cached.rows;
  const rows = readOpportunityRows(store);
  rowCache.set(store, { version, rows });
  return rows;
};

const readOpportunityRows = (store: OrgStore): Row[] => {
  const accounts = new Map(store.all('Account').map((a) => [a.Id, a]));
  const users = new Map(store.all('User').map((u) => [u.Id, u]));
  return store.all('Opportunity').map((o) => {
    const owner = users.get(o.OwnerId as string);
    return {
      ...o,
      'Account.Name': accounts.get(o.AccountId as string)?.Name ?? null,
      'Owner.Name': owner?.Name ?? null,
      // The embedded org has no Alias column; Salesforce derives one from the name the same way by default.
      'Owner.Alias': owner ? String(owner.Name).split(' ').map((p, i, all) => (i === 0 ? p.slice(0, 1) : i === all.length - 1 ? p.slice(0, 4) : '')).join('').toLowerCase() : null,
    };
  });
};

const resolveFilter = (object: ObjectDef, f: FilterInput): ResolvedFilter => {
  const column = resolveListViewColumn(object, f.field) ?? resolveByApiName(object, f.field);
  if (!column) throw badRequest(`filter field "${f.field}" is not a field of ${object.apiName} a list view can filter on`);
  return { apiName: column.apiName, type: column.type, operation: f.operation, ...(f.value === undefined ? {} : { value: f.value }) };
};

// The API also accepts plain API names of standard fields (StageName, IsClosed), as a REST client would write them.
const resolveByApiName = (object: ObjectDef, name: string): ListViewColumn | undefined =>
  Object.values(STANDARD_LIST_VIEW_COLUMNS[object.apiName] ?? {}).find((c) => c.apiName === name);

const pageOf = <T>(rows: T[], page: Page): T[] => rows.slice(page.offset, page.offset + page.limit);

export interface ListViewSummary {
  object: string;
  name: string;
  label: string;
  /** False when the embedded org does not hold the object's records yet. */
  available: boolean;
  columns: ListViewColumn[];
  filters: FilterInput[];
  booleanFilter?: string;
}

export const listViewSummaries = (objects: readonly ObjectDef[]): ListViewSummary[] =>
  objects.flatMap((object) =>
    object.listViews.map((view) => ({
      object: object.apiName,
      name: view.name,
      label: view.label,
      available: isStoredObject(object.apiName),
      columns: view.columns.map((c) => resolveListViewColumn(object, c) ?? { apiName: c, label: c, type: 'Text' }),
      filters: view.filters,
      ...(view.booleanFilter ? { booleanFilter: view.booleanFilter } : {}),
    })),
  );

export interface RecordPage {
  total: number;
  records: Row[];
}

/** Opportunities matching a filter set, in the store's order, paged; each row carries only `fields` (plus Id). */
export const queryOpportunities = (store: OrgStore, object: ObjectDef, filters: FilterInput[], booleanFilter: string | undefined, page: Page, fields?: string[]): RecordPage => {
  const predicate = compileFilters(filters.map((f) => resolveFilter(object, f)), booleanFilter);
  const matched = opportunityRows(store).filter(predicate);
  const rows = pageOf(matched, page);
  return { total: matched.length, records: fields ? rows.map((r) => Object.fromEntries([['Id', r.Id], ...fields.map((f) => [f, r[f] ?? null])])) : rows };
};

/** The records of one list view, with exactly its columns. */
export const listViewRecords = (store: OrgStore, objects: readonly ObjectDef[], objectName: string, viewName: string, page: Page): RecordPage & { listView: ListViewSummary } => {
  const summary = listViewSummaries(objects).find((v) => v.object === objectName && v.name === viewName);
  if (!summary) throw notFound(`list view ${objectName}.${viewName}`);
  if (!summary.available) throw new AppError('conflict', `the embedded org does not hold ${objectName} records yet`, { name: 'NotAvailable' });
  const object = objects.find((o) => o.apiName === objectName)!;
  const result = queryOpportunities(store, object, summary.filters, summary.booleanFilter, page, summary.columns.map((c) => c.apiName));
  return { listView: summary, ...result };
};

const parseChecklist = (raw: unknown): { checklist: Checklist | null; checklistProblem: string | null } => {
  if (raw === null || raw === undefined || raw === '') return { checklist: null, checklistProblem: null };
  try {
    const parsed = Checklist.safeParse(JSON.parse(String(raw)));
    return parsed.success ? { checklist: parsed.data, checklistProblem: null } : { checklist: null, checklistProblem: parsed.error.issues[0]!.message };
  } catch {
    return { checklist: null, checklistProblem: 'Gate_Checklist__c is not JSON' };
  }
};

export const attestationsOf = (store: OrgStore, opportunityId: string): SfRecord[] =>
  store.childIds('Milestone_Attestation__c', 'Opportunity__c', opportunityId, [['CreatedDate', 'ASC']]).map((id) => store.get('Milestone_Attestation__c', id)!);

/** One deal: its record (owned indicator fields included), its parsed checklist, its attestations. */
export const opportunityDetail = (store: OrgStore, rawId: string): Row => {
  const id = to18(rawId);
  const record = store.get('Opportunity', id);
  if (!record) throw notFound(`Opportunity ${rawId}`);
  return { ...record, ...parseChecklist(record.Gate_Checklist__c), attestations: attestationsOf(store, id) };
};

const SCORE_FIELDS = Object.values(USER_FIELDS).map((f) => f.name);

export const userScores = (user: SfRecord): Row => Object.fromEntries(SCORE_FIELDS.map((f) => [f, user[f] ?? null]));

export const listUsers = (store: OrgStore, page: Page): RecordPage => {
  const users = store.all('User');
  return { total: users.length, records: pageOf(users, page).map((u) => ({ Id: u.Id, Name: u.Name, Title: u.Title, ManagerId: u.ManagerId, IsActive: u.IsActive, ...userScores(u) })) };
};

export const userDetail = (store: OrgStore, rawId: string): SfRecord => {
  const record = store.get('User', to18(rawId));
  if (!record) throw notFound(`User ${rawId}`);
  return record;
};

/** A rep's scorecard as the embedded org holds it: the owned score fields on the User, with open-deal context. */
export const repScorecard = (store: OrgStore, rawId: string): Row => {
  const user = userDetail(store, rawId);
  const open = store.openDealStats(user.Id as string);
  return {
    userId: user.Id,
    name: user.Name,
    title: user.Title,
    managerId: user.ManagerId,
    scores: userScores(user),
    openDeals: { count: Number(open.n), executiveEngaged: Number(open.exec ?? 0), averageStakeholders: open.avgStake === null ? null : Math.round(open.avgStake * 10) / 10 },
  };
};
