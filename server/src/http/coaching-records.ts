// Record writes for the coaching loop through the UI API shape (the preview's createRecord / updateRecord): a manager
// creates a plan from a diagnosis, sets a team goal, marks a deal inspected, closes a plan with its outcome. Each field is
// checked against the package's own metadata (type, length, restricted picklist, lookup target), and the fields the
// companion measures are refused: a person cannot type a verdict.
import { KEY_PREFIX, type SfObjectName } from '../crm/sobjects.ts';
import type { OrgStore, SfRecord, SfValue } from '../crm/embedded/store.ts';
import { makeId, to18 } from '../crm/sf-id.ts';
import { writableFieldsOf } from '../../../shared/src/fields.ts';
import type { FieldDef, ObjectDef } from '../metadata/force-app.ts';
import { UiApiError, type RecordExceptionError } from './ui-errors.ts';

export const COACHING_OBJECTS = ['Coaching_Plan__c', 'Team_Goal__c', 'Deal_Inspection__c'] as const;
export type CoachingObject = (typeof COACHING_OBJECTS)[number];
export const isCoachingObject = (name: string): name is CoachingObject => (COACHING_OBJECTS as readonly string[]).includes(name);
export const coachingObjectOfId = (id: string): CoachingObject | undefined => COACHING_OBJECTS.find((o) => id.startsWith(KEY_PREFIX[o]));

/** What a person must give to create one (the metadata marks only Opportunity__c required; the rest the model needs). */
const REQUIRED: Record<CoachingObject, string[]> = {
  Coaching_Plan__c: ['Rep__c', 'Signal__c', 'Start_Date__c'],
  Team_Goal__c: ['Manager__c', 'Signal__c', 'Target_Per_Week__c', 'Start_Date__c', 'End_Date__c'],
  Deal_Inspection__c: ['Opportunity__c', 'Questions_Asked__c'],
};
/** Fixed once the record exists: whose plan, which deal. */
const FIXED: Record<CoachingObject, string[]> = { Coaching_Plan__c: ['Rep__c'], Team_Goal__c: [], Deal_Inspection__c: ['Opportunity__c'] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const fieldError = (def: FieldDef | undefined, field: string | null, errorCode: string, message: string): RecordExceptionError => ({
  constituentField: null, duplicateRecordError: null, errorCode, field, fieldLabel: def?.label ?? null, message,
});

const check = (store: OrgStore, object: CoachingObject, od: ObjectDef | undefined, fields: Record<string, SfValue>, existing: SfRecord | undefined): RecordExceptionError[] => {
  const defs = new Map((od?.fields ?? []).map((f) => [f.apiName, f]));
  const measured = new Set(writableFieldsOf(object as 'Coaching_Plan__c'));
  const errors: RecordExceptionError[] = [];
  for (const [field, value] of Object.entries(fields)) {
    const def = defs.get(field);
    const label = def?.label ?? field;
    if (measured.has(field)) errors.push(fieldError(def, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${label} is measured by the Stagecraft companion at each sync.`));
    else if (!def) errors.push(fieldError(undefined, field, 'INVALID_FIELD', `No such column '${field}' on entity '${object}'.`));
    else if (def.formula) errors.push(fieldError(def, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${label} is a formula.`));
    else if (existing && FIXED[object].includes(field) && to18(String(value)) !== existing[field]) errors.push(fieldError(def, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${label} is fixed once the record exists.`));
    else if (value === null || value === '') continue;
    else if (def.type === 'Number' && (typeof value !== 'number' || !Number.isFinite(value))) errors.push(fieldError(def, field, 'INVALID_TYPE_ON_FIELD_IN_RECORD', `${label}: value not of required type: ${String(value)}`));
    else if (def.type === 'Date' && (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))) errors.push(fieldError(def, field, 'INVALID_TYPE_ON_FIELD_IN_RECORD', `${label}: a date reads YYYY-MM-DD, not ${String(value)}`));
    else if (def.type === 'DateTime' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) errors.push(fieldError(def, field, 'INVALID_TYPE_ON_FIELD_IN_RECORD', `${label}: not a date and time: ${String(value)}`));
    else if (def.type === 'Picklist' && !(def.values ?? []).some((v) => v.apiName === value)) errors.push(fieldError(def, field, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${label}: bad value for restricted picklist field: ${String(value)}`));
    else if ((def.type === 'Text' || def.type === 'LongTextArea') && (typeof value !== 'string' || (def.length !== undefined && value.length > def.length))) errors.push(fieldError(def, field, 'STRING_TOO_LONG', `${label}: data value too large (max length=${def.length})`));
    else if (def.type === 'Lookup' && (typeof value !== 'string' || !store.get(def.referenceTo as SfObjectName, to18(value)))) errors.push(fieldError(def, field, 'FIELD_INTEGRITY_EXCEPTION', `${label}: no ${def.referenceTo} ${String(value)}`));
  }
  if (!existing) for (const field of REQUIRED[object]) if (fields[field] === undefined || fields[field] === null || fields[field] === '') errors.push(fieldError(defs.get(field), field, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`));
  const merged = { ...existing, ...fields };
  if (object === 'Team_Goal__c' && typeof merged.Start_Date__c === 'string' && typeof merged.End_Date__c === 'string' && merged.End_Date__c < merged.Start_Date__c) {
    errors.push(fieldError(defs.get('End_Date__c'), 'End_Date__c', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'End Date: must not be before the start date'));
  }
  if (object === 'Team_Goal__c' && typeof merged.Target_Per_Week__c === 'number' && merged.Target_Per_Week__c <= 0) {
    errors.push(fieldError(defs.get('Target_Per_Week__c'), 'Target_Per_Week__c', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Target Per Week: must be more than 0'));
  }
  if (object === 'Coaching_Plan__c' && merged.Status__c === 'Closed' && !merged.Outcome__c) {
    errors.push(fieldError(defs.get('Outcome__c'), 'Outcome__c', 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Outcome: say whether the plan worked when closing it'));
  }
  return errors;
};

const LOOKUPS = ['Rep__c', 'Manager__c', 'Opportunity__c', 'Inspected_By__c'];
const normalised = (fields: Record<string, SfValue>): Record<string, SfValue> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, LOOKUPS.includes(k) && typeof v === 'string' && v ? to18(v) : v]));

/** Creates a plan, goal or inspection; an inspection is dated now and attributed to the running user unless given. */
export const createCoachingRecord = (store: OrgStore, objects: readonly ObjectDef[], object: CoachingObject, fields: Record<string, SfValue>, now: Date, runningUserId: string | null): SfRecord => {
  const withDefaults: Record<string, SfValue> = object === 'Deal_Inspection__c'
    ? { Inspected_At__c: now.toISOString(), ...(runningUserId && store.get('User', to18(runningUserId)) ? { Inspected_By__c: runningUserId } : {}), ...fields }
    : object === 'Coaching_Plan__c' ? { Status__c: 'Active', ...fields } : fields;
  const errors = check(store, object, objects.find((o) => o.apiName === object), withDefaults, undefined);
  if (errors.length) throw UiApiError.record(400, errors);
  let serial = store.count(object) + 1;
  while (store.get(object, makeId(KEY_PREFIX[object], serial))) serial++;
  const id = makeId(KEY_PREFIX[object], serial);
  store.insert(object, [{ ...normalised(withDefaults), Id: id, CreatedDate: now.toISOString() }]);
  return store.get(object, id)!;
};

/** Updates a plan (actions, review date, closing it with its outcome) or a goal; inspections are a record of what happened. */
export const updateCoachingRecord = (store: OrgStore, objects: readonly ObjectDef[], object: CoachingObject, id: string, fields: Record<string, SfValue>): SfRecord | undefined => {
  const existing = store.get(object, id);
  if (!existing) return undefined;
  if (object === 'Deal_Inspection__c') throw UiApiError.record(400, [fieldError(undefined, null, 'INSUFFICIENT_ACCESS_OR_READONLY', 'An inspection records what was asked and answered; mark the deal inspected again instead of editing it.')]);
  const errors = check(store, object, objects.find((o) => o.apiName === object), fields, existing);
  if (errors.length) throw UiApiError.record(400, errors);
  const changes = normalised(fields);
  if (Object.keys(changes).length) store.update(object, id, changes);
  return store.get(object, id)!;
};
