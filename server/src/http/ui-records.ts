// Record writes through the UI API shape (createRecord / updateRecord from lightning/uiRecordApi in the preview):
// attestations and quarterly reviews go to the embedded org, gate milestones to the playbook (gate-config.ts).
// Failures answer as the UI API does, so components' reduceErrors shows each message.
import { KEY_PREFIX } from '../crm/sobjects.ts';
import type { OrgStore, SfRecord, SfValue } from '../crm/embedded/store.ts';
import { makeId, to18 } from '../crm/sf-id.ts';
import type { FieldDef, ObjectDef } from '../metadata/force-app.ts';
import { attest } from '../use-cases/attest.ts';
import { GATE_OBJECTS, gateObjectOfId, type GateConfig } from './gate-config.ts';
import { UiApiError, type RecordExceptionError } from './ui-errors.ts';
import { uiRecordOf, type UiRecord } from './ui-api.ts';
import { coachingObjectOfId, createCoachingRecord, isCoachingObject, updateCoachingRecord } from './coaching-records.ts';

export interface RecordInput {
  apiName?: unknown;
  fields?: unknown;
}

const fieldError = (def: FieldDef | undefined, field: string | null, errorCode: string, message: string): RecordExceptionError => ({
  constituentField: null, duplicateRecordError: null, errorCode, field, fieldLabel: def?.label ?? null, message,
});

/** Any record as { apiName, id, fields: { F: { value, displayValue } } }. */
export const uiShapeOf = (apiName: string, record: SfRecord): UiRecord => ({
  apiName,
  id: String(record.Id),
  fields: Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { value: v ?? null, displayValue: null }])),
});

const objectFields = (objects: readonly ObjectDef[], apiName: string): Map<string, FieldDef> => new Map((objects.find((o) => o.apiName === apiName)?.fields ?? []).map((f) => [f.apiName, f]));

const asFields = (fields: unknown): Record<string, SfValue> => {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw UiApiError.record(400, [fieldError(undefined, null, 'JSON_PARSER_ERROR', 'fields: must be an object of field API names and values')]);
  for (const [k, v] of Object.entries(fields)) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) throw UiApiError.record(400, [fieldError(undefined, k, 'JSON_PARSER_ERROR', `${k}: must be a text, number, boolean or null value`)]);
  }
  return fields as Record<string, SfValue>;
};

// Quarterly reviews: the rep and the manager write these; the companion writes only the measured actuals.
const REVIEW_WRITABLE = ['Name', 'Review_Key__c', 'Rep__c', 'Quarter__c', 'Status__c', 'Objectives__c', 'What_Worked__c', 'What_Did_Not_Work__c', 'Lessons_Learned__c', 'Next_Quarter_Plan__c', 'Manager_Notes__c'];
const REVIEW_FIXED = new Set(['Review_Key__c', 'Rep__c', 'Quarter__c']);
const QUARTER = /^\d{4}-Q[1-4]$/;

const checkReview = (store: OrgStore, defs: Map<string, FieldDef>, fields: Record<string, SfValue>, existing: SfRecord | undefined): RecordExceptionError[] => {
  const errors: RecordExceptionError[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const def = defs.get(field);
    if (field === 'Measured_Actuals__c') errors.push(fieldError(def, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'Measured Actuals are written by the Stagecraft companion from the measured behaviours.'));
    else if (!REVIEW_WRITABLE.includes(field)) errors.push(fieldError(def, field, 'INVALID_FIELD', `No such column '${field}' on entity 'Quarterly_Review__c'.`));
    else if (existing && REVIEW_FIXED.has(field) && value !== existing[field]) errors.push(fieldError(def, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${def?.label ?? field} is fixed once the review exists.`));
    else if (value !== null && typeof value !== 'string') errors.push(fieldError(def, field, 'INVALID_TYPE_ON_FIELD_IN_RECORD', `${def?.label ?? field}: value not of required type: ${String(value)}`));
    else if (typeof value === 'string' && def?.length && value.length > def.length) errors.push(fieldError(def, field, 'STRING_TOO_LONG', `${def.label}: data value too large (max length=${def.length})`));
  }
  const status = fields.Status__c;
  const allowed = defs.get('Status__c')?.values?.map((v) => v.apiName) ?? ['Draft', 'Submitted', 'Reviewed'];
  if (status !== undefined && status !== null && !allowed.includes(String(status))) errors.push(fieldError(defs.get('Status__c'), 'Status__c', 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Status: bad value for restricted picklist field: ${String(status)}`));
  if (!existing) {
    for (const field of ['Review_Key__c', 'Rep__c', 'Quarter__c']) if (fields[field] === undefined || fields[field] === null || fields[field] === '') errors.push(fieldError(defs.get(field), field, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`));
    if (typeof fields.Rep__c === 'string' && !store.get('User', to18(fields.Rep__c))) errors.push(fieldError(defs.get('Rep__c'), 'Rep__c', 'FIELD_INTEGRITY_EXCEPTION', `Rep: id value of incorrect type or no such user: ${fields.Rep__c}`));
    if (typeof fields.Quarter__c === 'string' && !QUARTER.test(fields.Quarter__c)) errors.push(fieldError(defs.get('Quarter__c'), 'Quarter__c', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Quarter: must read YYYY-Qn, e.g. 2026-Q4'));
    const key = fields.Review_Key__c;
    if (typeof key === 'string' && store.findBy('Quarterly_Review__c', 'Review_Key__c', key)) {
      errors.push({ ...fieldError(defs.get('Review_Key__c'), 'Review_Key__c', 'DUPLICATE_VALUE', `duplicate value found: Review_Key__c duplicates value on another record: ${key}`) });
    }
  }
  return errors;
};

const createReview = (store: OrgStore, defs: Map<string, FieldDef>, fields: Record<string, SfValue>, now: Date): SfRecord => {
  const errors = checkReview(store, defs, fields, undefined);
  if (errors.length) throw UiApiError.record(400, errors);
  let serial = store.count('Quarterly_Review__c') + 1;
  while (store.get('Quarterly_Review__c', makeId(KEY_PREFIX.Quarterly_Review__c, serial))) serial++;
  const id = makeId(KEY_PREFIX.Quarterly_Review__c, serial);
  store.insert('Quarterly_Review__c', [{ Status__c: 'Draft', ...fields, Rep__c: to18(String(fields.Rep__c)), Id: id, CreatedDate: now.toISOString() }]);
  return store.get('Quarterly_Review__c', id)!;
};

/** POST /ui-api/records */
export const createUiRecord = (store: OrgStore, gates: GateConfig, objects: readonly ObjectDef[], input: RecordInput, now: Date, runningUserId: string | null = null): UiRecord => {
  const apiName = typeof input.apiName === 'string' ? input.apiName : '';
  const fields = asFields(input.fields);
  if ((GATE_OBJECTS as readonly string[]).includes(apiName)) {
    const { object, record } = gates.create(apiName, fields);
    return uiShapeOf(object, record);
  }
  if (apiName === 'Quarterly_Review__c') return uiRecordOf(store, 'Quarterly_Review__c', createReview(store, objectFields(objects, apiName), fields, now));
  if (isCoachingObject(apiName)) return uiRecordOf(store, apiName, createCoachingRecord(store, objects, apiName, fields, now, runningUserId));
  if (apiName === 'Milestone_Attestation__c') {
    const defs = objectFields(objects, apiName);
    const problems: RecordExceptionError[] = [];
    for (const field of Object.keys(fields)) if (!['Opportunity__c', 'Milestone_Key__c', 'Note__c'].includes(field)) problems.push(fieldError(defs.get(field), field, 'INVALID_FIELD', `No such column '${field}' on entity 'Milestone_Attestation__c'.`));
    if (typeof fields.Milestone_Key__c !== 'string' || !/^[a-z0-9_]{1,80}$/.test(fields.Milestone_Key__c.trim())) problems.push(fieldError(defs.get('Milestone_Key__c'), 'Milestone_Key__c', 'REQUIRED_FIELD_MISSING', 'Milestone Key: must be a milestone key (lower case, digits, underscores; up to 80)'));
    if (typeof fields.Note__c !== 'string' || !fields.Note__c.trim()) problems.push(fieldError(defs.get('Note__c'), 'Note__c', 'REQUIRED_FIELD_MISSING', 'Note: must not be blank: the note is the evidence a manager reads'));
    else if (fields.Note__c.length > 4000) problems.push(fieldError(defs.get('Note__c'), 'Note__c', 'STRING_TOO_LONG', 'Note: data value too large (max length=4000)'));
    if (typeof fields.Opportunity__c !== 'string' || !store.get('Opportunity', to18(fields.Opportunity__c))) problems.push(fieldError(defs.get('Opportunity__c'), 'Opportunity__c', 'FIELD_INTEGRITY_EXCEPTION', `Opportunity: no opportunity ${String(fields.Opportunity__c ?? '(blank)')}`));
    if (problems.length) throw UiApiError.record(400, problems);
    const record = attest(store, { opportunityId: String(fields.Opportunity__c), milestoneKey: String(fields.Milestone_Key__c).trim(), note: String(fields.Note__c).trim(), createdById: runningUserId && store.get('User', to18(runningUserId)) ? to18(runningUserId) : null }, now);
    return uiRecordOf(store, 'Milestone_Attestation__c', record);
  }
  throw UiApiError.record(400, [fieldError(undefined, null, 'INVALID_TYPE', `${apiName || '(no apiName)'}: records of this object cannot be created in the embedded org (Milestone_Attestation__c, Quarterly_Review__c, Gate_Milestone__c, Coaching_Plan__c, Team_Goal__c, Deal_Inspection__c can)`)]);
};

/** PATCH /ui-api/records/{id} */
export const updateUiRecord = (store: OrgStore, gates: GateConfig, objects: readonly ObjectDef[], rawId: string, input: RecordInput): UiRecord => {
  const id = to18(rawId);
  const fields = asFields(input.fields);
  if (gateObjectOfId(id)) {
    const { object, record } = gates.update(id, fields);
    return uiShapeOf(object, record);
  }
  if (id.startsWith(KEY_PREFIX.Quarterly_Review__c)) {
    const existing = store.get('Quarterly_Review__c', id);
    if (!existing) throw UiApiError.notFound(rawId);
    const errors = checkReview(store, objectFields(objects, 'Quarterly_Review__c'), fields, existing);
    if (errors.length) throw UiApiError.record(400, errors);
    const { Review_Key__c: _k, Rep__c: _r, Quarter__c: _q, ...changes } = fields;
    if (Object.keys(changes).length) store.update('Quarterly_Review__c', id, changes);
    return uiRecordOf(store, 'Quarterly_Review__c', store.get('Quarterly_Review__c', id)!);
  }
  const coaching = coachingObjectOfId(id);
  if (coaching) {
    const record = updateCoachingRecord(store, objects, coaching, id, fields);
    if (!record) throw UiApiError.notFound(rawId);
    return uiRecordOf(store, coaching, record);
  }
  throw UiApiError.record(400, [fieldError(undefined, null, 'INSUFFICIENT_ACCESS_OR_READONLY', `${rawId}: this record is read-only here; Stagecraft writes indicator fields itself at each sync`)]);
};
