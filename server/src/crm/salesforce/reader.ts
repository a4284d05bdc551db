// Reading an org: describe first and adapt the field lists to what the integration user can see, then SOQL with
// explicit paging (nextRecordsUrl), full or incremental by SystemModstamp (queryAll, so deletes come back as IsDeleted).
import { AppError } from '../../errors.ts';
import type { SalesforceApi } from './api.ts';
import { Names, type ReadSpec } from './objects.ts';

/** The fields one object is read with, learned from describe (un-namespaced names). */
export interface ReadPlan {
  object: string;
  fields: string[];
  all: boolean;
}

/** The org lacks something Stagecraft cannot work without: one line naming every missing object and field. */
export class SalesforceSetupError extends AppError {
  constructor(message: string) {
    super('configuration', message);
  }
}

interface DescribeResult {
  fields: { name: string }[];
}

/** describeGlobal + one describe per object: which objects and fields this user can read. */
export const describeOrg = async (api: SalesforceApi, names: Names, specs: readonly ReadSpec[]): Promise<{ plans: ReadPlan[]; hidden: string[] }> => {
  // GET /sobjects
  const global = (await api.get('describe', '/sobjects')) as { sobjects: { name: string; queryable?: boolean }[] };
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
    const described = (await api.get('describe', `/sobjects/${orgObject}/describe`)) as DescribeResult;
    const visible = new Set(described.fields.map((f) => f.name.toLowerCase()));
    const has = (field: string): boolean => visible.has(names.field(spec.object, field).toLowerCase());
    for (const f of spec.requiredFields) if (!has(f)) missing.push(`${orgObject}.${names.field(spec.object, f)}`);
    const optional = spec.optionalFields.filter((f) => {
      if (has(f)) return true;
      hidden.push(`${spec.object}.${f}`);
      return false;
    });
    plans.push({ object: spec.object, fields: [...new Set([...spec.requiredFields, ...optional, 'SystemModstamp'])], all: spec.all });
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

/** Reads one object: everything live (since = null), or what changed since `since` (ms), deletes included. */
export const readObject = async (api: SalesforceApi, names: Names, plan: ReadPlan, since: number | null): Promise<QueryOutcome> => {
  const orgFields = plan.fields.map((f) => names.field(plan.object, f));
  const incremental = since !== null;
  const select = [...orgFields, ...(incremental || plan.all ? ['IsDeleted'] : [])];
  const where = incremental ? ` WHERE SystemModstamp >= ${soqlDateTime(since)}` : plan.all ? ' WHERE IsDeleted = false' : '';
  const soql = `SELECT ${select.join(', ')} FROM ${names.object(plan.object)}${where}`;
  const endpoint = incremental || plan.all ? 'queryAll' : 'query';
  const out: QueryOutcome = { records: [], deletedIds: [], maxModstamp: 0 };
  // GET /query?q=… (or /queryAll), then GET nextRecordsUrl per 2,000-record page
  let page = (await api.get('query', `/${endpoint}?q=${encodeURIComponent(soql)}`)) as QueryPage;
  for (;;) {
    for (const raw of page.records) {
      const record: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(raw)) if (key !== 'attributes') record[names.unfield(key)] = value;
      const stamp = parseSfInstant(record.SystemModstamp);
      if (stamp > out.maxModstamp) out.maxModstamp = stamp;
      if (record.IsDeleted === true) out.deletedIds.push(String(record.Id));
      else {
        delete record.IsDeleted;
        out.records.push(record);
      }
    }
    if (page.done || !page.nextRecordsUrl) break;
    page = (await api.get('queryMore', page.nextRecordsUrl)) as QueryPage;
  }
  return out;
};
