// The emulated org: describe schemas, the in-memory record store, and the save path every write goes through
// (field access and type checks, system fields, soft delete, and the standard automation Stagecraft relies on).
import { IdFactory, to18 } from './ids.ts';
import { RecordError } from './errors.ts';
import { OPPORTUNITY_STAGES, type FieldSchema, type ObjectSchema } from './schema.ts';
import { withDocumentedFields } from './documented-fields.ts';

export type SfRecord = Record<string, unknown> & { Id: string };

export interface FieldDef extends Required<Pick<FieldSchema, 'name' | 'type' | 'label' | 'updateable' | 'createable' | 'nillable' | 'externalId' | 'unique'>> {
  referenceTo: string[];
  relationshipName: string | null;
  childRelationshipName?: string;
  picklistValues: NonNullable<FieldSchema['picklistValues']>;
  restrictedPicklist: boolean;
  length: number | undefined;
  defaultValue: unknown;
  custom: boolean;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string;
}

export interface ObjectDef {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: Map<string, FieldDef>; // keyed by lower-case name: SOQL and the REST API are case-insensitive
  childRelationships: Map<string, ChildRelationship>; // keyed by lower-case relationship name
}

const labelFor = (name: string): string =>
  name.replace(/__c$|__r$/, '').replace(/Id$/, ' ID').replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();

const systemFields = (schema: ObjectSchema): FieldSchema[] => {
  const ro = { createable: false, updateable: false };
  const fields: FieldSchema[] = [
    { name: 'Id', type: 'id', label: `${schema.label ?? schema.name} ID`, nillable: false, ...ro },
    { name: 'IsDeleted', type: 'boolean', label: 'Deleted', nillable: false, ...ro },
    // CreatedDate and CreatedById are read-only through the API; tests backdate them through org.insert.
    { name: 'CreatedDate', type: 'datetime', label: 'Created Date', nillable: false, ...ro },
    { name: 'CreatedById', type: 'reference', referenceTo: ['User'], relationshipName: 'CreatedBy', label: 'Created By ID', nillable: false, ...ro },
    { name: 'LastModifiedDate', type: 'datetime', label: 'Last Modified Date', nillable: false, ...ro },
    { name: 'LastModifiedById', type: 'reference', referenceTo: ['User'], relationshipName: 'LastModifiedBy', label: 'Last Modified By ID', nillable: false, ...ro },
    { name: 'SystemModstamp', type: 'datetime', label: 'System Modstamp', nillable: false, ...ro },
  ];
  if (schema.hasName !== false) fields.push({ name: 'Name', type: 'string', length: schema.custom ? 80 : 120, label: 'Name', nillable: false });
  if (schema.hasOwner !== false) fields.push({ name: 'OwnerId', type: 'reference', referenceTo: ['User'], relationshipName: 'Owner', label: 'Owner ID', nillable: false, childRelationshipName: undefined });
  const without = new Set<string>(schema.withoutSystemFields ?? []);
  return fields.filter((f) => !without.has(f.name));
};

/** Sets a system field only where the object has it (User has no IsDeleted; field history has no SystemModstamp). */
const setSystem = (def: ObjectDef, rec: SfRecord, values: Record<string, unknown>): void => {
  for (const [k, v] of Object.entries(values)) if (def.fields.has(k.toLowerCase())) rec[k] = v;
};

const compileField = (f: FieldSchema, _custom: boolean): FieldDef => ({
  name: f.name,
  type: f.type,
  label: f.label ?? labelFor(f.name),
  updateable: f.updateable ?? true,
  createable: f.createable ?? true,
  nillable: f.nillable ?? true,
  externalId: f.externalId ?? false,
  unique: f.unique ?? false,
  referenceTo: f.referenceTo ?? [],
  relationshipName: f.relationshipName ?? null,
  ...(f.childRelationshipName ? { childRelationshipName: f.childRelationshipName } : {}),
  picklistValues: f.picklistValues ?? [],
  restrictedPicklist: f.restrictedPicklist ?? false,
  length: f.length ?? (f.type === 'string' ? 255 : f.type === 'textarea' ? 32_768 : undefined),
  defaultValue: f.defaultValue,
  custom: f.name.endsWith('__c'),
});

/** Salesforce's JSON form of a date-time: 2024-01-01T00:00:00.000+0000. */
export const sfDateTime = (iso: string): string => iso.replace(/Z$/, '+0000');

/** One saved change, as Change Data Capture sees it (streaming.ts turns it into a change event). */
export interface OrgChange {
  def: ObjectDef;
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  record: SfRecord;
  /** The values before an update (to tell which fields changed). */
  before?: Record<string, unknown>;
  userId: string;
}

export interface SaveContext {
  userId: string;
  /** Run the org's automation (OpportunityHistory rows, IsClosed/IsWon). API writes do; org.insert does not. */
  automation: boolean;
}

export class Org {
  readonly objects = new Map<string, ObjectDef>(); // lower-case name → def
  private readonly byPrefix = new Map<string, ObjectDef>();
  private readonly records = new Map<string, Map<string, SfRecord>>(); // object name → id → record
  readonly ids = new IdFactory();
  readonly orgId: string;
  /** The user API writes are attributed to when no session names one (and the default owner). */
  integrationUserId = '';
  private lastStamp = 0;
  readonly now: () => Date;
  /** Told of every saved change — API writes and test seeding alike (Change Data Capture listens here). */
  readonly changeListeners = new Set<(change: OrgChange) => void>();

  constructor(schemas: ObjectSchema[], now: () => Date = () => new Date()) {
    this.now = now;
    for (const s of schemas) this.addObject(s);
    this.orgId = this.ids.make('00D');
    this.integrationUserId = this.insert('User', { LastName: 'Integration', FirstName: 'Stagecraft', Username: 'integration@stagecraft.example', Email: 'integration@stagecraft.example' })[0]!;
  }

  addObject(schema: ObjectSchema): void {
    const custom = schema.custom ?? schema.name.endsWith('__c');
    const fields = new Map<string, FieldDef>();
    const system = systemFields({ ...schema, custom });
    const own = custom ? schema.fields : withDocumentedFields(schema.name, schema.fields, new Set(systemFields({ ...schema, custom, withoutSystemFields: [] }).map((f) => f.name)));
    const hidden = new Set((schema.hiddenByFieldSecurity ?? []).map((n) => n.toLowerCase()));
    for (const f of [...system, ...own]) if (!hidden.has(f.name.toLowerCase())) fields.set(f.name.toLowerCase(), compileField(f, custom));
    const def: ObjectDef = {
      name: schema.name, label: schema.label ?? labelFor(schema.name), keyPrefix: schema.keyPrefix, custom,
      createable: schema.createable ?? true, updateable: schema.updateable ?? true, deletable: schema.deletable ?? schema.createable ?? true, fields, childRelationships: new Map(),
    };
    this.objects.set(schema.name.toLowerCase(), def);
    this.byPrefix.set(schema.keyPrefix, def);
    if (!this.records.has(schema.name)) this.records.set(schema.name, new Map());
    this.linkChildRelationships();
  }

  addField(object: string, field: FieldSchema): void {
    const def = this.object(object);
    if (!def) throw new Error(`No object ${object}`);
    def.fields.set(field.name.toLowerCase(), compileField(field, def.custom));
    this.linkChildRelationships();
  }

  private linkChildRelationships(): void {
    for (const parent of this.objects.values()) parent.childRelationships.clear();
    for (const child of this.objects.values()) {
      for (const f of child.fields.values()) {
        if (f.type !== 'reference' || !f.childRelationshipName) continue;
        for (const to of f.referenceTo) {
          const parent = this.object(to);
          parent?.childRelationships.set(f.childRelationshipName.toLowerCase(), { childSObject: child.name, field: f.name, relationshipName: f.childRelationshipName });
        }
      }
    }
  }

  object(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  objectForId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  table(object: string): Map<string, SfRecord> {
    const def = this.object(object);
    if (!def) throw new Error(`No object ${object}`);
    return this.records.get(def.name)!;
  }

  /** Every write moves SystemModstamp forward, strictly, even within one millisecond. */
  stamp(): string {
    const t = Math.max(this.now().getTime(), this.lastStamp + 1);
    this.lastStamp = t;
    return new Date(t).toISOString();
  }

  get(object: string, id: string): SfRecord | undefined {
    const full = to18(id);
    return full ? this.table(object).get(full) : undefined;
  }

  findById(id: string): { def: ObjectDef; record: SfRecord } | undefined {
    const full = to18(id);
    const def = full ? this.objectForId(full) : undefined;
    const record = def ? this.records.get(def.name)!.get(full!) : undefined;
    return def && record ? { def, record } : undefined;
  }

  /** Records of an object; deleted ones only when asked (queryAll semantics). */
  all(object: string, opts: { includeDeleted?: boolean } = {}): SfRecord[] {
    return [...this.table(object).values()].filter((r) => opts.includeDeleted || !r.IsDeleted);
  }

  /**
   * Test seeding: stores records as given (system fields such as CreatedDate may be set to backdate), without
   * access checks or automation. Unknown field names still throw, so fixtures cannot drift from the schema.
   */
  insert(object: string, values: Record<string, unknown> | Record<string, unknown>[]): string[] {
    const def = this.object(object);
    if (!def) throw new Error(`No object ${object} in the emulated org`);
    return (Array.isArray(values) ? values : [values]).map((v) => {
      const now = this.stamp();
      const id = this.ids.make(def.keyPrefix);
      const rec: SfRecord = { Id: id };
      for (const f of def.fields.values()) rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
      setSystem(def, rec, { IsDeleted: false, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now, CreatedById: this.integrationUserId || id, LastModifiedById: this.integrationUserId || id });
      if (def.fields.has('ownerid')) rec.OwnerId = this.integrationUserId || id;
      for (const [k, raw] of Object.entries(v)) {
        const f = def.fields.get(k.toLowerCase());
        if (!f) throw new Error(`No field ${k} on ${def.name}`);
        rec[f.name] = raw === null || raw === undefined ? null : normalise(f, raw);
      }
      if (rec.Id !== id) rec.Id = to18(String(rec.Id)) ?? id;
      derive(def, rec);
      this.records.get(def.name)!.set(rec.Id, rec);
      this.emit({ def, changeType: 'CREATE', record: rec, userId: String(rec.CreatedById ?? this.integrationUserId) });
      return rec.Id;
    });
  }

  /** Test helper: change stored values directly (moves LastModifiedDate/SystemModstamp like any write). */
  set(object: string, id: string, values: Record<string, unknown>): void {
    const rec = this.get(object, id);
    const def = this.object(object)!;
    if (!rec) throw new Error(`No ${object} ${id}`);
    const before = { ...rec };
    for (const [k, raw] of Object.entries(values)) {
      const f = def.fields.get(k.toLowerCase());
      if (!f) throw new Error(`No field ${k} on ${def.name}`);
      rec[f.name] = raw === null || raw === undefined ? null : normalise(f, raw);
    }
    const now = this.stamp();
    if (!('SystemModstamp' in values)) setSystem(def, rec, { SystemModstamp: now });
    if (!('LastModifiedDate' in values)) setSystem(def, rec, { LastModifiedDate: now });
    derive(def, rec);
    this.emit({ def, changeType: 'UPDATE', record: rec, before, userId: String(rec.LastModifiedById ?? this.integrationUserId) });
  }

  /** Soft delete: the record stays, IsDeleted = true, visible to queryAll only. Users cannot be deleted, only deactivated. */
  delete(object: string, id: string): void {
    const def = this.object(object)!;
    const rec = this.get(object, id);
    if (!def.deletable || !def.fields.has('isdeleted')) throw new RecordError('INVALID_OPERATION', `${def.name} records cannot be deleted${def.name === 'User' ? ': deactivate the user (IsActive = false)' : ''}`);
    if (!rec || rec.IsDeleted) throw new RecordError('ENTITY_IS_DELETED', 'entity is deleted');
    rec.IsDeleted = true;
    const now = this.stamp();
    setSystem(def, rec, { SystemModstamp: now, LastModifiedDate: now });
    this.emit({ def, changeType: 'DELETE', record: rec, userId: this.integrationUserId });
  }

  /** Restores a record from the Recycle Bin (undelete()): it is live again and its SystemModstamp moves. */
  undelete(object: string, id: string): void {
    const def = this.object(object)!;
    const rec = this.get(object, id);
    if (!rec || !rec.IsDeleted) throw new RecordError('UNDELETE_FAILED', 'Entity is not in the recycle bin');
    rec.IsDeleted = false;
    const now = this.stamp();
    setSystem(def, rec, { SystemModstamp: now, LastModifiedDate: now });
    this.emit({ def, changeType: 'UNDELETE', record: rec, userId: this.integrationUserId });
  }

  private emit(change: OrgChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  /** Opportunity fields with field history tracking on: an API write changing one adds an OpportunityFieldHistory row. */
  readonly trackedOpportunityFields = new Set<string>();

  // ---- the API save path ----

  /**
   * Checks one record's fields for create or update as Salesforce does, and returns the normalised values.
   * Throws RecordError (per-record errors); writes nothing.
   */
  validate(def: ObjectDef, values: Record<string, unknown>, mode: 'create' | 'update', existing?: SfRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const denied: string[] = [];
    for (const [key, raw] of Object.entries(values)) {
      if (key === 'attributes' || (key.toLowerCase() === 'id' && mode === 'update')) continue;
      const f = def.fields.get(key.toLowerCase());
      if (!f) throw new RecordError('INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`, [key]);
      if (mode === 'create' ? !f.createable : !f.updateable) { denied.push(f.name); continue; }
      out[f.name] = raw === null || raw === undefined || raw === '' ? null : this.check(f, raw);
    }
    if (denied.length) {
      throw new RecordError('INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${denied.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, denied);
    }
    const missing: string[] = [];
    for (const f of def.fields.values()) {
      if (f.nillable || f.type === 'boolean' || !(mode === 'create' ? f.createable : f.updateable)) continue;
      const value = f.name in out ? out[f.name] : mode === 'create' ? f.defaultValue ?? (f.name === 'OwnerId' ? 'default' : null) : existing?.[f.name];
      if (value === null || value === undefined) missing.push(f.name);
    }
    if (missing.length) throw new RecordError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    for (const f of def.fields.values()) {
      if (!f.unique || out[f.name] === null || out[f.name] === undefined) continue;
      const clash = this.all(def.name).find((r) => r.Id !== existing?.Id && String(r[f.name] ?? '').toLowerCase() === String(out[f.name]).toLowerCase());
      if (clash) throw new RecordError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${clash.Id}`, [f.name]);
    }
    return out;
  }

  private check(f: FieldDef, raw: unknown): unknown {
    const wrongType = (): RecordError => new RecordError('INVALID_TYPE_ON_FIELD_IN_RECORD', `${f.label}: value not of required type: ${String(raw)}`, [f.name]);
    switch (f.type) {
      case 'string': case 'textarea': case 'email': case 'phone': case 'url': {
        const s = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
        if (s === undefined) throw wrongType();
        if (f.length !== undefined && s.length > f.length) {
          throw new RecordError('STRING_TOO_LONG', `${f.label}: data value too large: ${s.slice(0, 40)}${s.length > 40 ? '...' : ''} (max length=${f.length})`, [f.name]);
        }
        return s;
      }
      case 'picklist': case 'multipicklist': {
        if (typeof raw !== 'string') throw wrongType();
        if (f.restrictedPicklist) {
          const allowed = new Set(f.picklistValues.filter((p) => p.active).map((p) => p.value));
          const bad = (f.type === 'multipicklist' ? raw.split(';') : [raw]).find((v) => !allowed.has(v));
          if (bad !== undefined) throw new RecordError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${bad}`, [f.name]);
        }
        return raw;
      }
      case 'reference': case 'id': {
        const id = typeof raw === 'string' ? to18(raw) : undefined;
        if (!id) throw new RecordError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${String(raw)}`, [f.name]);
        const target = this.findById(id);
        if (target && !f.referenceTo.some((t) => t.toLowerCase() === target.def.name.toLowerCase())) {
          throw new RecordError('FIELD_INTEGRITY_EXCEPTION', `${f.label}: id value of incorrect type: ${raw as string}`, [f.name]);
        }
        if (!target || target.record.IsDeleted) throw new RecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [f.name]);
        return id;
      }
      default: {
        const v = normaliseOrUndefined(f, raw);
        if (v === undefined) throw wrongType();
        return v;
      }
    }
  }

  /** Creates a validated record. */
  create(def: ObjectDef, values: Record<string, unknown>, ctx: SaveContext): SfRecord {
    const now = this.stamp();
    const rec: SfRecord = { Id: this.ids.make(def.keyPrefix) };
    for (const f of def.fields.values()) if (f.name !== 'Id') rec[f.name] = f.defaultValue ?? (f.type === 'boolean' ? false : null);
    setSystem(def, rec, { IsDeleted: false, CreatedDate: now, LastModifiedDate: now, SystemModstamp: now, CreatedById: ctx.userId, LastModifiedById: ctx.userId });
    if (def.fields.has('ownerid')) rec.OwnerId = ctx.userId;
    Object.assign(rec, values);
    derive(def, rec);
    this.records.get(def.name)!.set(rec.Id, rec);
    this.emit({ def, changeType: 'CREATE', record: rec, userId: ctx.userId });
    if (ctx.automation) this.afterSave(def, rec, undefined, ctx);
    return rec;
  }

  /** Applies validated values to a record; every update moves SystemModstamp, changed or not (as Salesforce does). */
  update(def: ObjectDef, rec: SfRecord, values: Record<string, unknown>, ctx: SaveContext): void {
    const before = { ...rec };
    Object.assign(rec, values);
    const now = this.stamp();
    setSystem(def, rec, { LastModifiedDate: now, SystemModstamp: now, LastModifiedById: ctx.userId });
    derive(def, rec);
    this.emit({ def, changeType: 'UPDATE', record: rec, before, userId: ctx.userId });
    if (ctx.automation) this.afterSave(def, rec, before, ctx);
  }

  /** Salesforce writes an OpportunityHistory row when StageName, Amount, Probability or CloseDate changes. */
  private afterSave(def: ObjectDef, rec: SfRecord, before: SfRecord | undefined, ctx: SaveContext): void {
    if (def.name === 'Opportunity' && before && this.object('OpportunityFieldHistory')) {
      // Field history tracking: one row per tracked field whose value changed (Salesforce keeps values as text).
      const fieldHistory = this.object('OpportunityFieldHistory')!;
      for (const name of this.trackedOpportunityFields) {
        const f = def.fields.get(name.toLowerCase());
        if (!f || before[f.name] === rec[f.name]) continue;
        this.create(fieldHistory, { OpportunityId: rec.Id, Field: f.name, DataType: f.type, OldValue: before[f.name] === null ? null : String(before[f.name]), NewValue: rec[f.name] === null ? null : String(rec[f.name]) }, { ...ctx, automation: false });
      }
    }
    if (def.name !== 'Opportunity' || !this.object('OpportunityHistory')) return;
    const tracked = ['StageName', 'Amount', 'Probability', 'CloseDate'];
    if (before && !tracked.some((k) => before[k] !== rec[k])) return;
    const hist = this.object('OpportunityHistory')!;
    this.create(hist, {
      OpportunityId: rec.Id, StageName: rec.StageName, Amount: rec.Amount, Probability: rec.Probability, CloseDate: rec.CloseDate,
      ExpectedRevenue: typeof rec.Amount === 'number' && typeof rec.Probability === 'number' ? (rec.Amount * rec.Probability) / 100 : null,
      ForecastCategory: rec.ForecastCategoryName ?? null,
    }, { ...ctx, automation: false });
  }
}

/** Opportunity's IsClosed / IsWon follow its stage, as the stage picklist's metadata defines them. */
const derive = (def: ObjectDef, rec: SfRecord): void => {
  if (def.name === 'Opportunity' && typeof rec.StageName === 'string' && OPPORTUNITY_STAGES.includes(rec.StageName)) {
    rec.IsClosed = rec.StageName.startsWith('Closed');
    rec.IsWon = rec.StageName === 'Closed Won';
  }
  if (def.name === 'Task' && typeof rec.Status === 'string') rec.IsClosed = rec.Status === 'Completed' || rec.Status === 'Deferred';
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Converts an API value (JSON or CSV text) to the stored form; undefined when it does not fit the type. */
export const normaliseOrUndefined = (f: Pick<FieldDef, 'type'>, raw: unknown): unknown => {
  switch (f.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
      return undefined;
    case 'int': case 'double': case 'currency': case 'percent': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n))) return undefined;
      return n;
    }
    case 'date':
      if (typeof raw !== 'string') return undefined;
      if (DATE_RE.test(raw)) return raw;
      if (DATETIME_RE.test(raw)) return raw.slice(0, 10);
      return undefined;
    case 'datetime': {
      if (typeof raw !== 'string' || !(DATETIME_RE.test(raw) || DATE_RE.test(raw))) return undefined;
      const t = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      return Number.isNaN(t) ? undefined : new Date(t).toISOString();
    }
    default:
      return typeof raw === 'string' ? raw : undefined;
  }
};

const normalise = (f: FieldDef, raw: unknown): unknown => {
  if (f.type === 'reference' || f.type === 'id') return typeof raw === 'string' ? to18(raw) ?? raw : raw;
  const v = normaliseOrUndefined(f, raw);
  if (v === undefined) throw new Error(`Value ${JSON.stringify(raw)} does not fit ${f.name} (${f.type})`);
  return v;
};

/** The describe JSON of one object, in the shape GET /sobjects/<Object>/describe returns. */
export const describeObject = (def: ObjectDef, version: string): Record<string, unknown> => ({
  name: def.name,
  label: def.label,
  labelPlural: `${def.label}s`,
  keyPrefix: def.keyPrefix,
  custom: def.custom,
  createable: def.createable,
  updateable: def.updateable,
  deletable: def.deletable,
  queryable: true,
  retrieveable: true,
  searchable: true,
  fields: [...def.fields.values()].map((f) => ({
    name: f.name,
    label: f.label,
    type: f.type,
    soapType: soapType(f.type),
    length: f.length ?? 0,
    custom: f.custom,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    defaultedOnCreate: f.defaultValue !== undefined || ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp', 'OwnerId'].includes(f.name),
    externalId: f.externalId,
    unique: f.unique,
    idLookup: f.name === 'Id' || f.externalId,
    nameField: f.name === 'Name',
    filterable: f.type !== 'textarea' || (f.length ?? 0) <= 255,
    sortable: f.type !== 'textarea' && f.type !== 'multipicklist',
    calculated: false,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName,
    restrictedPicklist: f.restrictedPicklist,
    picklistValues: f.picklistValues,
    defaultValue: f.defaultValue ?? null,
  })),
  childRelationships: [...def.childRelationships.values()].map((c) => ({ ...c, cascadeDelete: false })),
  urls: {
    sobject: `/services/data/v${version}/sobjects/${def.name}`,
    describe: `/services/data/v${version}/sobjects/${def.name}/describe`,
    rowTemplate: `/services/data/v${version}/sobjects/${def.name}/{ID}`,
  },
});

const soapType = (t: string): string =>
  ({ id: 'tns:ID', reference: 'tns:ID', boolean: 'xsd:boolean', int: 'xsd:int', double: 'xsd:double', currency: 'xsd:double', percent: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime' } as Record<string, string>)[t] ?? 'xsd:string';
