// Reading an org: describe first and adapt the field lists to what the integration user can see, then SOQL with
// explicit paging (nextRecordsUrl), full or incremental by SystemModstamp (queryAll, so deletes come back as IsDeleted).
import { AppError } from '../../errors.ts';
import { SalesforceApiError, type SalesforceApi } from './api.ts';
import { Names, type ReadSpec } from './objects.ts';

/** The fields one object is read with, learned from describe (un-namespaced names). */
export interface ReadPlan {
  object: string;
  fields: string[];
  all: boolean;
  /**
   * Whether the object has IsDeleted (deletes come back through queryAll). User has not: users are deactivated
   * (IsActive = false), never deleted, and a query naming IsDeleted on User fails with INVALID_FIELD.
   */
  softDelete?: boolean;
  /** The field incremental reads go by: SystemModstamp, or CreatedDate on objects whose rows never change (field history). */
  stampField?: string;
  /** Opportunity: every field describe shows this user (un-namespaced), so rules may name any of them. */
  available?: string[];
}

const softDeleteOf = (plan: ReadPlan): boolean => plan.softDelete ?? plan.object !== 'User';
const stampOf = (plan: ReadPlan): string => plan.stampField ?? 'SystemModstamp';

/** The org lacks something Stagecraft cannot work without: one line naming every missing object and field. */
export class SalesforceSetupError extends AppError {
  constructor(message: string) {
    super('configuration', message);
  }
}

interface DescribeResult {
  fields: { name: string }[];
}

/**
 * The shapes the reader relies on, checked where each answer arrives: a proxy, a wrong URL or a truncated answer
 * becomes one line naming the call, not a TypeError deep in the sync. Checked by hand (not parsed into copies): a
 * query page can hold 2,000 records.
 */
const named = (x: unknown): boolean => !!x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string';
const unexpected = (what: string, expected: string): SalesforceApiError => new SalesforceApiError('UNEXPECTED_RESPONSE', `${what} did not answer as Salesforce does (expected ${expected})`);
const globalShape = (x: unknown): { sobjects: { name: string; queryable?: boolean }[] } => {
  const list = (x as { sobjects?: unknown } | null)?.sobjects;
  if (!Array.isArray(list) || !list.every(named)) throw unexpected('GET /sobjects', 'a list of sobjects with names');
  return x as { sobjects: { name: string; queryable?: boolean }[] };
};
const describeShape = (x: unknown, object: string): DescribeResult => {
  const fields = (x as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields) || !fields.every(named)) throw unexpected(`GET /sobjects/${object}/describe`, 'a list of fields with names');
  return x as DescribeResult;
};
const pageShape = (x: unknown, object: string): QueryPage => {
  const page = x as Partial<QueryPage> | null;
  if (!page || typeof page.done !== 'boolean' || !Array.isArray(page.records) || !page.records.every((r) => !!r && typeof r === 'object') || (page.nextRecordsUrl !== undefined && typeof page.nextRecordsUrl !== 'string')) {
    throw unexpected(`the query of ${object}`, 'done, records and nextRecordsUrl');
  }
  return page as QueryPage;
};

/** describeGlobal + one describe per object: which objects and fields this user can read. */
export const describeOrg = async (api: SalesforceApi, names: Names, specs: readonly ReadSpec[]): Promise<{ plans: ReadPlan[]; hidden: string[] }> => {
  // GET /sobjects
  const global = globalShape(await api.get('describe', '/sobjects'));
  const present = new Set(global.sobjects.filter((s) => s.queryable !== false).map((s) => s.name.toLowerCase()));
  const missing: string[] = [];
  const hidden: string[] = [];
  const plans: ReadPlan[] = [];
  for (const spec of specs) {
    const orgObject = names.object(spec.object);
    if (!present.has(orgObject.toLowerCase())) {
      if (spec.required) missing.push(`object ${orgObject}`);
      continue;
    }
    // GET /sobjects/{object}/describe
    const described = describeShape(await api.get('describe', `/sobjects/${orgObject}/describe`), orgObject);
    const visible = new Set(described.fields.map((f) => f.name.toLowerCase()));
    const has = (field: string): boolean => visible.has(names.field(spec.object, field).toLowerCase());
    for (const f of spec.requiredFields) if (!has(f)) missing.push(`${orgObject}.${names.field(spec.object, f)}`);
    const optional = spec.optionalFields.filter((f) => {
      if (has(f)) return true;
      hidden.push(`${spec.object}.${f}`);
      return false;
    });
    const stampField = visible.has('systemmodstamp') ? 'SystemModstamp' : 'CreatedDate';
    const available = spec.object === 'Opportunity' ? { available: described.fields.map((f) => names.unfield(f.name)) } : {};
    plans.push({ object: spec.object, fields: [...new Set([...spec.requiredFields, ...optional, stampField])], all: spec.all, softDelete: visible.has('isdeleted'), stampField, ...available });
  }
  if (missing.length) {
    throw new SalesforceSetupError(
      `the Salesforce org lacks, or the integration user cannot read: ${missing.join(', ')} — install the Stagecraft package and assign its integration permission set`,
    );
  }
  return { plans, hidden };
};

/** SOQL's date-time literal (no quotes, no milliseconds). */
export const soqlDateTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The REST API's "2026-01-01T00:00:00.000+0000" as epoch ms. */
export const parseSfInstant = (v: unknown): number => (typeof v === 'string' ? Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : NaN);

export interface QueryOutcome {
  records: Record<string, unknown>[];
  deletedIds: string[];
  maxModstamp: number;
}

interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/**
 * Reads one object: everything live (since = null), or what changed since `since` (ms), deletes included where the
 * object has them (IsDeleted through queryAll; a deactivated user simply comes back with IsActive = false).
 */
export const readObject = async (api: SalesforceApi, names: Names, plan: ReadPlan, since: number | null, filter?: string): Promise<QueryOutcome> => {
  const orgFields = plan.fields.map((f) => names.field(plan.object, f));
  const incremental = since !== null;
  const softDelete = softDeleteOf(plan);
  const stamp = stampOf(plan);
  const withDeletes = softDelete && (incremental || plan.all);
  const select = [...orgFields, ...(withDeletes ? ['IsDeleted'] : [])];
  const conditions = [incremental ? `${stamp} >= ${soqlDateTime(since)}` : withDeletes ? 'IsDeleted = false' : null, filter ?? null].filter((c): c is string => c !== null);
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const soql = `SELECT ${select.join(', ')} FROM ${names.object(plan.object)}${where}`;
  const endpoint = withDeletes ? 'queryAll' : 'query';
  const out: QueryOutcome = { records: [], deletedIds: [], maxModstamp: 0 };
  // GET /query?q=… (or /queryAll), then GET nextRecordsUrl per 2,000-record page
  let page = pageShape(await api.get('query', `/${endpoint}?q=${encodeURIComponent(soql)}`), plan.object);
  for (;;) {
    for (const raw of page.records) {
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(raw)) if (key !== 'attributes') record[names.unfield(key)] = value;
      const at = parseSfInstant(record[stamp]);
      if (at > out.maxModstamp) out.maxModstamp = at;
      if (record.IsDeleted === true) out.deletedIds.push(String(record.Id));
      else {
        delete record.IsDeleted;
        out.records.push(record);
      }
    }
    if (page.done || !page.nextRecordsUrl) break;
    page = pageShape(await api.get('queryMore', page.nextRecordsUrl), plan.object);
  }
  return out;
};
