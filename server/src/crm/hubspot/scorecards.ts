// Rep scorecards in a portal that has the `stagecraft_rep_scorecard` custom object (custom objects are an Enterprise
// feature; an admin creates it from SCORECARD_SCHEMA): one record per rep per weekly period, upserted by its unique
// `stagecraft_scorecard_key`, each Rep_Scorecard__c field as a `stagecraft_…` property. Without the object the
// scorecards stay in the companion store.
import { REP_SCORECARD_FIELDS, type FieldValue, type OwnedField } from '../../../../shared/src/fields.ts';
import { NotOwnedFieldError, type RecordChange } from '../../../../shared/src/write-back/planner.ts';
import type { OwnedValues, StoredScorecard, WriteResult } from '../port.ts';
import type { HubSpotApi } from './api.ts';
import { BATCH_MAX, LIST_PAGE, type HsObject } from './reader.ts';

export const SCORECARD_OBJECT = 'stagecraft_rep_scorecard';

/** Rep_Scorecard__c field → its property: `Behaviour_Score__c` → `stagecraft_behaviour_score`. */
export const scorecardProperty = (field: OwnedField): string => `stagecraft_${field.name.replace(/__c$/, '').toLowerCase()}`;

const FIELDS = Object.values(REP_SCORECARD_FIELDS) as OwnedField[];
const KEY = scorecardProperty(REP_SCORECARD_FIELDS.key);

const typeOf = (f: OwnedField): { type: string; fieldType: string; options?: { label: string; value: string }[] } => {
  if (f.type === 'number' || f.type === 'percent') return { type: 'number', fieldType: 'number' };
  if (f.type === 'checkbox') return { type: 'bool', fieldType: 'booleancheckbox' };
  if (f.type === 'date') return { type: 'date', fieldType: 'date' };
  if (f.type === 'datetime') return { type: 'datetime', fieldType: 'date' };
  if (f.type === 'picklist') return { type: 'enumeration', fieldType: 'select', options: f.values!.map((v) => ({ label: v, value: v })) };
  return { type: 'string', fieldType: f.type === 'json' ? 'textarea' : 'text' };
};

/** The custom object's definition (POST /crm/v3/schemas), for the admin or an installer to create. */
export const SCORECARD_SCHEMA = {
  name: SCORECARD_OBJECT,
  labels: { singular: 'Rep scorecard', plural: 'Rep scorecards' },
  primaryDisplayProperty: scorecardProperty(REP_SCORECARD_FIELDS.name),
  requiredProperties: [KEY],
  searchableProperties: [KEY],
  associatedObjects: [],
  properties: FIELDS.map((f) => ({ name: scorecardProperty(f), label: f.name.replace(/__c$/, '').replace(/_/g, ' '), ...typeOf(f), ...(f === REP_SCORECARD_FIELDS.key ? { hasUniqueValue: true } : {}) })),
};

/** The object type id of the portal's scorecard object, or null when it has none. */
export const findScorecardObject = async (api: HubSpotApi): Promise<string | null> => {
  // GET /crm/v3/schemas
  const schemas = await api.call('schemas', (c) => c.crm.schemas.coreApi.getAll());
  return schemas.results.find((s) => s.name === SCORECARD_OBJECT && !s.archived)?.objectTypeId ?? null;
};

/** Every scorecard record: the stored periods (the trend is read from them) and their owned values, keyed by scorecard key. */
export const readScorecards = async (api: HubSpotApi, objectTypeId: string, owned: OwnedValues): Promise<StoredScorecard[]> => {
  const out: StoredScorecard[] = [];
  let after: string | undefined;
  const properties = FIELDS.map(scorecardProperty);
  do {
    // GET /crm/v3/objects/{objectTypeId}?limit=100&properties=…&after=…
    const page = await api.call('list', (c) => c.crm.objects.basicApi.getPage(objectTypeId, LIST_PAGE, after, properties, undefined, undefined, false));
    for (const r of page.results as unknown as HsObject[]) {
      const key = r.properties[KEY];
      if (!key) continue;
      const values: Record<string, FieldValue> = {};
      for (const f of FIELDS) values[f.name] = r.properties[scorecardProperty(f)] ?? null;
      owned.set(`Rep_Scorecard__c:${key}`, values);
      const score = values.Behaviour_Score__c;
      out.push({ id: r.id, key, repId: String(values.Rep__c ?? ''), period: String(values.Period__c ?? ''), periodStart: String(values.Period_Start__c ?? '').slice(0, 10), behaviourScore: score === null || score === '' ? null : Number(score), isCurrent: values.Is_Current__c === 'true' });
    }
    after = page.paging?.next?.after;
  } while (after);
  return out;
};

const wire = (f: OwnedField, v: FieldValue): string => {
  if (v === null || v === undefined || v === '') return '';
  if (f.type === 'checkbox') return v === true || v === 'true' ? 'true' : 'false';
  if (f.type === 'date') return String(v).slice(0, 10);
  if (f.type === 'datetime') return new Date(String(v)).toISOString();
  return String(v);
};

/** Scorecard changes → batch upserts by key, at most 100 a call, only the changed properties (and the key). */
export const writeScorecards = async (api: HubSpotApi, objectTypeId: string, records: readonly RecordChange[]): Promise<WriteResult> => {
  const before = api.counts.total ?? 0;
  const byName = new Map(FIELDS.map((f) => [f.name, f]));
  const inputs = records.map((r) => {
    const properties: Record<string, string> = {};
    for (const c of r.changes) {
      const f = byName.get(c.field);
      if (!f) throw new NotOwnedFieldError(r.object, c.field);
      properties[scorecardProperty(f)] = wire(f, c.to);
    }
    return { id: r.id, idProperty: KEY, properties };
  });
  const result: WriteResult = { recordsWritten: 0, fieldsWritten: 0, failures: [], apiCalls: 0 };
  for (let i = 0; i < inputs.length; i += BATCH_MAX) {
    const batch = inputs.slice(i, i + BATCH_MAX);
    try {
      // POST /crm/v3/objects/{objectTypeId}/batch/upsert
      await api.call('batchUpdate', (c) => c.crm.objects.batchApi.upsert(objectTypeId, { inputs: batch }));
      result.recordsWritten += batch.length;
      result.fieldsWritten += batch.reduce((n, b) => n + Object.keys(b.properties).length, 0);
    } catch (error) {
      if ((error as { kind?: string }).kind === 'budget') throw error;
      for (const b of batch) result.failures.push({ object: 'Rep_Scorecard__c', id: b.id, message: (error as Error).message });
    }
  }
  result.apiCalls = (api.counts.total ?? 0) - before;
  return result;
};
