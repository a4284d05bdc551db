// Record writes: sObject Collections (create / update / upsert by external id, ≤200 records, allOrNone),
// single-record create / update / upsert / delete, and the per-row path Bulk API 2.0 jobs use.
import { RecordError, SfError, type SaveError } from './errors.ts';
import { to18 } from './ids.ts';
import type { RecordFault } from './faults.ts';
import type { ObjectDef, Org, SaveContext, SfRecord } from './org.ts';

export type Operation = 'insert' | 'update' | 'upsert';

export interface SaveResult {
  id?: string;
  success: boolean;
  errors: SaveError[];
  created?: boolean;
}

export interface WriteScope {
  org: Org;
  ctx: SaveContext;
  recordFaults: RecordFault[];
}

type Planned = { ok: true; id?: string; apply: () => SaveResult } | { ok: false; id?: string; error: SaveError };

/** Per-request memory of unique values claimed by earlier records, so duplicates inside one request are caught. */
type Claims = Map<string, string>;

const faultFor = (scope: WriteScope, keys: (string | undefined)[], id: string | undefined): SaveError | undefined => {
  for (const f of scope.recordFaults) {
    if (f.ids && !keys.some((k) => k !== undefined && f.ids!.has(k))) continue;
    if (f.type === 'partialFailure') {
      return { statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: f.message ?? 'Record failed a validation rule (emulated fault)', fields: [] };
    }
    return { statusCode: 'UNABLE_TO_LOCK_ROW', message: `unable to obtain exclusive access to this record or 1 records: ${id ?? ''}`.trim(), fields: [] };
  }
  return undefined;
};

const claim = (def: ObjectDef, values: Record<string, unknown>, claims: Claims, selfId: string | undefined): void => {
  for (const f of def.fields.values()) {
    const v = values[f.name];
    if (!f.unique || v === null || v === undefined) continue;
    const key = `${def.name}.${f.name}=${String(v).toLowerCase()}`;
    const other = claims.get(key);
    if (other !== undefined && other !== selfId) throw new RecordError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${other}`, [f.name]);
    claims.set(key, selfId ?? '');
  }
};

/** Checks one record for one operation without writing; `apply` performs the write. */
export const planRecord = (
  scope: WriteScope, op: Operation, def: ObjectDef, input: Record<string, unknown>, index: number, claims: Claims, extField?: string,
): Planned => {
  const { org, ctx } = scope;
  let id: string | undefined;
  try {
    if (op === 'update') {
      const rawId = input.Id ?? input.id;
      if (typeof rawId !== 'string' || !rawId) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call', []);
      id = to18(rawId);
      if (!id || org.objectForId(id)?.name !== def.name) throw new RecordError('MALFORMED_ID', `${def.label} ID: id value of incorrect type: ${rawId}`, ['Id']);
      const rec = org.get(def.name, id);
      if (!rec) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      if (rec.IsDeleted) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted', []);
      const values = org.validate(def, input, 'update', rec);
      claim(def, values, claims, id);
      const fault = faultFor(scope, [id, rawId, String(index)], id);
      if (fault) return { ok: false, id, error: fault };
      return { ok: true, id, apply: () => { org.update(def, rec, values, ctx); return { id, success: true, errors: [] }; } };
    }
    if (op === 'insert') {
      if (Object.keys(input).some((k) => k.toLowerCase() === 'id')) throw new RecordError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
      const values = org.validate(def, input, 'create');
      claim(def, values, claims, undefined);
      const fault = faultFor(scope, [String(index)], undefined);
      if (fault) return { ok: false, error: fault };
      return { ok: true, apply: () => ({ id: org.create(def, values, ctx).Id, success: true, errors: [] }) };
    }
    // upsert by external id (or Id)
    const ext = def.fields.get((extField ?? '').toLowerCase())!;
    const key = Object.entries(input).find(([k]) => k.toLowerCase() === ext.name.toLowerCase())?.[1];
    if (key === undefined || key === null || key === '') throw new RecordError('MISSING_ARGUMENT', `${ext.name} not specified`, [ext.name]);
    const matches = ext.name === 'Id'
      ? [org.get(def.name, String(key))].filter((r): r is SfRecord => !!r && !r.IsDeleted)
      : org.all(def.name).filter((r) => String(r[ext.name] ?? '').toLowerCase() === String(key).toLowerCase());
    if (matches.length > 1) throw new RecordError('DUPLICATE_EXTERNAL_ID', `${ext.name}: more than one record found for external id field: ${matches.map((m) => m.Id).join(', ')}`, [ext.name]);
    const dupKey = `upsert:${def.name}.${ext.name}=${String(key).toLowerCase()}`;
    if (claims.has(dupKey)) throw new RecordError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(key)}`, [ext.name]);
    claims.set(dupKey, '');
    const existing = matches[0];
    if (existing) {
      id = existing.Id;
      const { [ext.name]: _same, ...rest } = Object.fromEntries(Object.entries(input).map(([k, v]) => [def.fields.get(k.toLowerCase())?.name ?? k, v]));
      const values = org.validate(def, rest, 'update', existing);
      claim(def, values, claims, id);
      const fault = faultFor(scope, [id, String(key), String(index)], id);
      if (fault) return { ok: false, id, error: fault };
      return { ok: true, id, apply: () => { org.update(def, existing, values, ctx); return { id: existing.Id, success: true, errors: [], created: false }; } };
    }
    if (ext.name === 'Id') throw new RecordError('NOT_FOUND', 'Provided external ID field does not exist or is not accessible', ['Id']);
    const values = org.validate(def, input, 'create');
    claim(def, values, claims, undefined);
    const fault = faultFor(scope, [String(key), String(index)], undefined);
    if (fault) return { ok: false, error: fault };
    return { ok: true, apply: () => ({ id: org.create(def, values, ctx).Id, success: true, errors: [], created: true }) };
  } catch (e) {
    if (e instanceof RecordError) return { ok: false, ...(id ? { id } : {}), error: e.error };
    throw e;
  }
};

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

interface CollectionBody {
  allOrNone?: boolean;
  records?: unknown;
}

/** POST / PATCH /composite/sobjects and PATCH /composite/sobjects/<Object>/<ExternalIdField>. */
export const collection = (scope: WriteScope, op: Operation, body: unknown, upsertTarget?: { object: string; field: string }): SaveResult[] => {
  const b = (body ?? {}) as CollectionBody;
  if (!Array.isArray(b.records)) throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must contain a records array');
  if (b.records.length > 200) throw new SfError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
  let upsertDef: ObjectDef | undefined;
  if (upsertTarget) {
    upsertDef = scope.org.object(upsertTarget.object);
    if (!upsertDef) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const f = upsertDef.fields.get(upsertTarget.field.toLowerCase());
    if (!f || (!f.externalId && f.name !== 'Id')) {
      throw new SfError(400, 'INVALID_FIELD', `Field name provided, ${upsertTarget.field} is not an External ID or indexed field for ${upsertDef.name}`);
    }
  }
  const claims: Claims = new Map();
  const plans = b.records.map((raw, i): Planned => {
    const rec = (raw ?? {}) as Record<string, unknown>;
    const type = (rec.attributes as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string') return { ok: false, error: { statusCode: 'INVALID_TYPE', message: 'Must send a concrete entity type.', fields: [] } };
    const def = scope.org.object(type);
    if (!def) return { ok: false, error: { statusCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] } };
    if (upsertDef && def !== upsertDef) return { ok: false, error: { statusCode: 'INVALID_TYPE', message: `All records must be of type ${upsertDef.name}`, fields: [] } };
    return planRecord(scope, op, def, rec, i, claims, upsertTarget?.field);
  });
  const failed = plans.some((p) => !p.ok);
  return plans.map((p) => {
    const base = op === 'insert' || !p.id ? {} : { id: p.id };
    if (!p.ok) return { ...base, success: false, errors: [p.error], ...(op === 'upsert' ? { created: false } : {}) };
    if (b.allOrNone && failed) return { ...base, success: false, errors: [ROLLED_BACK], ...(op === 'upsert' ? { created: false } : {}) };
    return p.apply();
  });
};

/** Single-record writes answer a per-record failure as a whole-request 400 [{message, errorCode, fields}]. */
export const single = (scope: WriteScope, op: Operation, def: ObjectDef, input: unknown, extField?: string): SaveResult => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  const p = planRecord(scope, op, def, input as Record<string, unknown>, 0, new Map(), extField);
  if (!p.ok) throw new SfError(p.error.statusCode === 'NOT_FOUND' ? 404 : 400, p.error.statusCode, p.error.message, p.error.fields);
  return p.apply();
};
