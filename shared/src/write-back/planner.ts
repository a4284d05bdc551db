// The write-back plan: computed values diffed against what the CRM already holds, so nothing unchanged is written.
// Every write fires the customer's automation and moves SystemModstamp; an equal value must never be sent.
// The comparison is type-aware (a percent rounded, date-times to the second, multi-selects as sets, JSON canonically).
import { ownedField, type FieldValue, type OwnedField } from '../fields.ts';

export type OwnedObject = OwnedField['object'];

export interface RecordValues {
  object: OwnedObject;
  /** The record's Id, or for records upserted by external id (Rep_Scorecard__c), that key's value. */
  id: string;
  /** Un-namespaced API name → value. */
  values: Record<string, FieldValue>;
}

export interface FieldChange {
  field: string;
  from: FieldValue;
  to: FieldValue;
}

export interface RecordChange {
  object: OwnedObject;
  id: string;
  changes: FieldChange[];
}

export interface WriteBackPlan {
  records: RecordChange[];
  recordsCompared: number;
  fieldsChanged: number;
}


const isBlank = (v: FieldValue | undefined): boolean => v === null || v === undefined || v === '';

const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A JSON document's own top-level `asOf` says when, not what: like a stamp field, it alone is no reason to write. */
const withoutStamp = (value: unknown): unknown => {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !('asOf' in value)) return value;
  const { asOf: _when, ...rest } = value as Record<string, unknown>;
  return rest;
};

const asBoolean = (v: FieldValue | undefined): boolean => v === true || v === 'true' || v === 1 || v === '1';

/** Values as the CRM would store them, for comparison. */
export const normalise = (field: OwnedField, v: FieldValue | undefined): string | number | boolean | null => {
  if (field.type === 'checkbox') return asBoolean(v);
  if (isBlank(v)) return null;
  switch (field.type) {
    case 'number':
      return Number(v);
    case 'percent':
      return Math.round(Number(v) * 100) / 100;
    case 'datetime': {
      const ms = Date.parse(String(v));
      return Number.isNaN(ms) ? String(v) : Math.floor(ms / 1000);
    }
    case 'multipicklist':
      return String(v)
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)
        .sort()
        .join(';') || null;
    case 'json':
      return canonicalJson(withoutStamp(typeof v === 'string' ? parseJson(v) : v));
    case 'text':
      return String(v).slice(0, field.length ?? 255);
    case 'date':
      return String(v).slice(0, 10);
    default:
      return String(v);
  }
};

/** A versioned JSON document's leading stamp, as this code writes it: `{"v":1,"asOf":"…",`. */
const LEADING_STAMP = /^\{"v":\d+,"asOf":"[^"]*"/;

export const sameValue = (field: OwnedField, a: FieldValue | undefined, b: FieldValue | undefined): boolean => {
  // Checklists the CRM holds were written by this code: the same text but for the leading stamp means the same
  // document, without parsing either (the canonical comparison below decides every other case).
  if (field.type === 'json' && typeof a === 'string' && typeof b === 'string' && LEADING_STAMP.test(a) && LEADING_STAMP.test(b) && a.replace(LEADING_STAMP, '') === b.replace(LEADING_STAMP, '')) return true;
  // An empty document against a filled one is a change: no need to parse and canonicalise the filled one.
  if (field.type === 'json' && isBlank(a) !== isBlank(b)) return false;
  return normalise(field, a) === normalise(field, b);
};

/** The error when a plan would touch a field Stagecraft does not own: a defect, never a data problem. */
export class NotOwnedFieldError extends Error {
  constructor(object: string, field: string) {
    super(`refusing to write ${object}.${field}: Stagecraft writes only the fields it owns`);
    this.name = 'NotOwnedFieldError';
  }
}

const fieldOf = (object: OwnedObject, name: string): OwnedField => {
  const field = ownedField(object, name);
  if (!field) throw new NotOwnedFieldError(object, name);
  return field;
};

/**
 * Diff computed values against current ones (`current` maps "Object:id" to the values the CRM holds).
 * Stamp fields ride along only with a real change.
 */
export const planWriteBack = (computed: readonly RecordValues[], current: ReadonlyMap<string, Record<string, FieldValue>>): WriteBackPlan => {
  const records: RecordChange[] = [];
  let fieldsChanged = 0;
  for (const record of computed) {
    const held = current.get(`${record.object}:${record.id}`) ?? {};
    const changes: FieldChange[] = [];
    const stamps: FieldChange[] = [];
    for (const [name, to] of Object.entries(record.values)) {
      const field = fieldOf(record.object, name);
      const from = held[name] ?? null;
      if (sameValue(field, from, to)) continue;
      (field.stamp ? stamps : changes).push({ field: name, from, to: to ?? null });
    }
    if (changes.length === 0) continue;
    const all = [...changes, ...stamps];
    records.push({ object: record.object, id: record.id, changes: all });
    fieldsChanged += all.length;
  }
  return { records, recordsCompared: computed.length, fieldsChanged };
};
