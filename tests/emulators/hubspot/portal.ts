// One emulated HubSpot portal's state: object types and their property definitions, records (property values are
// strings, as on the wire), property history, deal pipelines, associations with their types and labels, owners, teams,
// custom object schemas. It validates writes as the CRM API does and reports every change (for webhooks).
import { hubspotDefinedTypes, type AssociationCategory, type AssociationType } from './association-types.ts';
import { definition, standardObjects, type ObjectTypeDef, type PropertyDefinition, type PropertyGroup } from './documented-properties.ts';
import { HsError, invalidProperties, notFound, propertyError, validation, type PropertyValidation } from './errors.ts';

export type SourceType = 'API' | 'CRM_UI' | 'IMPORT' | 'CALCULATED' | 'INTEGRATION';

export interface HistoryEntry {
  value: string;
  timestamp: string;
  sourceType: SourceType;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface HsRecord {
  id: string;
  type: string;
  properties: Record<string, string>;
  /** Values each property held, newest first; absent until a property first changes (its creation value is synthesised). */
  history?: Record<string, HistoryEntry[]>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
  /** Who set the creation values (for the synthesised first history entry). */
  createdSource: SourceType;
  /** Associations: `toType:toId` → type ids (negative for USER_DEFINED, their own id space). Kept on the record: a
   *  portal holds hundreds of thousands of them, and one map per record is far lighter than one index for all. */
  links?: Map<string, number[]>;
}

export interface Stage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: { isClosed: string; probability: string };
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  writePermissions: string;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  stages: Stage[];
}

export interface Team {
  id: string;
  name: string;
  /** Users whose primary team this is, and users on it as an additional team. */
  userIds: string[];
  secondaryUserIds: string[];
}

export interface Owner {
  id: string;
  email: string;
  type: 'PERSON';
  firstName: string;
  lastName: string;
  userId: number | null;
  userIdIncludingInactive: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface CustomSchema {
  id: string;
  objectTypeId: string;
  name: string;
  fullyQualifiedName: string;
  labels: { singular: string; plural: string };
  primaryDisplayProperty: string;
  requiredProperties: string[];
  searchableProperties: string[];
  secondaryDisplayProperties: string[];
  associatedObjects: string[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** A change to the portal, as webhooks see it. */
export type ChangeEvent =
  | { kind: 'creation' | 'deletion'; type: string; objectId: string; source: SourceType; occurredAt: number }
  | { kind: 'propertyChange'; type: string; objectId: string; propertyName: string; propertyValue: string; source: SourceType; occurredAt: number }
  | { kind: 'associationChange'; type: string; objectId: string; toType: string; toObjectId: string; typeId: number; category: AssociationCategory; removed: boolean; source: SourceType; occurredAt: number };

export interface WriteOptions {
  source?: SourceType;
  /** Backdates the change (loaders); default now. */
  at?: string;
  /** Skips validation and read-only checks (loaders and the emulator's own calculated values). */
  trusted?: boolean;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ENGAGEMENT_TYPES = new Set(['calls', 'meetings', 'emails', 'notes', 'tasks']);
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const NUMERIC = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** HubSpot's calculated stage properties, kept for each deal stage: the v2 set is current; the legacy set is still populated. */
export const STAGE_PROPERTIES = ['hs_v2_date_entered_', 'hs_v2_date_exited_', 'hs_date_entered_', 'hs_date_exited_'] as const;

export class Portal {
  readonly portalId: number;
  readonly types = new Map<string, ObjectTypeDef>();
  readonly properties = new Map<string, Map<string, PropertyDefinition>>();
  readonly groups = new Map<string, Map<string, PropertyGroup>>();
  readonly records = new Map<string, Map<string, HsRecord>>();
  readonly pipelines = new Map<string, Pipeline[]>();
  readonly owners: Owner[] = [];
  readonly teams: Team[] = [];
  readonly associationTypes: AssociationType[] = hubspotDefinedTypes();
  readonly schemas: CustomSchema[] = [];
  /** Whether the portal's subscription has custom objects (Enterprise); POST /crm/v3/schemas is refused otherwise. */
  customObjectsAvailable: boolean;
  /** Every change, for webhooks; set by the emulator (unset while a loader writes history, so no events are built). */
  onChange: ((event: ChangeEvent) => void) | undefined;
  private typeIndex: Map<string, AssociationType> | undefined;
  private ownerIds: string[] | undefined;
  private readonly orderedCache = new Map<string, HsRecord[]>();
  private nextId: number;
  private nextTypeId = 1;
  private lastStamp = 0;
  private readonly clock: () => Date;

  constructor(options: { portalId?: number; now?: () => Date; customObjectsAvailable?: boolean } = {}) {
    this.portalId = options.portalId ?? 9_000_001;
    this.clock = options.now ?? (() => new Date());
    this.customObjectsAvailable = options.customObjectsAvailable ?? false;
    // Ids are numeric strings, as HubSpot's are; one sequence across object types so a mixed-up id never resolves.
    this.nextId = 10_000_000_001;
    for (const o of standardObjects()) {
      this.types.set(o.type.name, o.type);
      this.properties.set(o.type.name, new Map(o.properties.map((p) => [p.name, p])));
      this.groups.set(o.type.name, new Map(o.groups.map((g) => [g.name, g])));
      this.records.set(o.type.name, new Map());
    }
    this.setPipelines('deals', [defaultDealPipeline(this.iso())]);
  }

  /** An instant for a new write: strictly after the previous one, so histories and modified dates always order. */
  stamp(): number {
    const t = Math.max(this.clock().getTime(), this.lastStamp + 1);
    this.lastStamp = t;
    return t;
  }

  iso(): string {
    return new Date(this.stamp()).toISOString();
  }

  newId(): string {
    return String(this.nextId++);
  }

  // ---- object types ----

  /** Resolves a path's object type: plural name, singular name, object type id (0-3, 2-123) or a custom object's fully qualified name. */
  type(name: string): ObjectTypeDef {
    const key = name.toLowerCase();
    const direct = this.types.get(key);
    if (direct) return direct;
    for (const t of this.types.values()) {
      if (t.singular === key || t.objectTypeId === key) return t;
      const schema = t.custom ? this.schemas.find((s) => s.objectTypeId === t.objectTypeId) : undefined;
      if (schema && (schema.fullyQualifiedName.toLowerCase() === key || `p_${schema.name}`.toLowerCase() === key)) return t;
    }
    throw new HsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`);
  }

  propertiesOf(type: string): Map<string, PropertyDefinition> {
    return this.properties.get(this.type(type).name)!;
  }

  addProperty(type: string, def: Partial<PropertyDefinition> & { name: string; type: PropertyDefinition['type'] }): PropertyDefinition {
    const props = this.propertiesOf(type);
    const full = { ...definition(def.groupName ?? this.groups.get(this.type(type).name)!.keys().next().value!, [def.name, def.type], props.size), hubspotDefined: false, ...def, createdAt: this.iso(), updatedAt: this.iso() };
    props.set(def.name, full);
    return full;
  }

  // ---- pipelines ----

  setPipelines(type: string, pipelines: Pipeline[]): void {
    const name = this.type(type).name;
    this.pipelines.set(name, pipelines);
    if (name !== 'deals') return;
    // Each deal stage has its own calculated "date entered / date exited" properties.
    const props = this.propertiesOf('deals');
    for (const key of [...props.keys()]) if (STAGE_PROPERTIES.some((prefix) => key.startsWith(prefix))) props.delete(key);
    for (const pipeline of pipelines) for (const stage of pipeline.stages) for (const prefix of STAGE_PROPERTIES) {
      props.set(`${prefix}${stage.id}`, definition('dealinformation', [`${prefix}${stage.id}`, 'datetime', { readOnlyValue: true, calculated: true, label: `${prefix.includes('exited') ? 'Date exited' : 'Date entered'} "${stage.label} (${pipeline.label})"` }], props.size));
    }
  }

  stageOf(stageId: string): { pipeline: Pipeline; stage: Stage } | undefined {
    for (const pipeline of this.pipelines.get('deals') ?? []) {
      const stage = pipeline.stages.find((s) => s.id === stageId);
      if (stage) return { pipeline, stage };
    }
    return undefined;
  }

  // ---- records ----

  recordsOf(type: string): Map<string, HsRecord> {
    return this.records.get(this.type(type).name)!;
  }

  /**
   * A type's records in id order (archived ones included), cached until one is created: list pages and searches over
   * a few hundred thousand engagements must not copy and sort them on every call. Ids only grow, so a Map's insertion
   * order is already id order.
   */
  ordered(type: string): HsRecord[] {
    const name = this.type(type).name;
    let list = this.orderedCache.get(name);
    if (!list) this.orderedCache.set(name, (list = [...this.recordsOf(name).values()]));
    return list;
  }

  get(type: string, id: string, options: { archived?: boolean } = {}): HsRecord | undefined {
    const r = this.recordsOf(type).get(id);
    return r && r.archived === (options.archived ?? false) ? r : undefined;
  }

  /** Validates property values for a write; returns the normalised wire strings. Throws HubSpot's 400 listing every failure. */
  normalise(type: string, values: Record<string, unknown>, existing: HsRecord | undefined, options: WriteOptions = {}): Record<string, string> {
    const defs = this.propertiesOf(type);
    const failures: PropertyValidation[] = [];
    const out: Record<string, string> = {};
    const pipelineId = values.pipeline !== undefined ? String(values.pipeline) : existing?.properties.pipeline;
    for (const [name, raw] of Object.entries(values)) {
      const def = defs.get(name);
      if (!def) {
        failures.push(propertyError('PROPERTY_DOESNT_EXIST', name, `Property "${name}" does not exist`));
        continue;
      }
      if (def.readOnlyValue && !options.trusted) {
        failures.push(propertyError('READ_ONLY_VALUE', name, `"${name}" is a read only property; its value cannot be set.`));
        continue;
      }
      if (raw === null || raw === undefined || raw === '') {
        out[name] = '';
        continue;
      }
      const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : JSON.stringify(raw);
      const result = this.normaliseValue(this.type(type).name, def, value, pipelineId);
      if (typeof result === 'string') out[name] = result;
      else failures.push(result);
    }
    if (failures.length && !options.trusted) throw invalidProperties(failures);
    return out;
  }

  private normaliseValue(type: string, def: PropertyDefinition, value: string, pipelineId: string | undefined): string | PropertyValidation {
    const name = def.name;
    switch (def.type) {
      case 'number':
        return NUMERIC.test(value.trim()) ? String(Number(value)) : propertyError('INVALID_LONG', name, `${value} was not a valid number.`);
      case 'bool':
        return /^(true|false)$/i.test(value) ? value.toLowerCase() : propertyError('INVALID_BOOLEAN', name, `${value} was not a valid boolean (true or false).`);
      case 'datetime': {
        if (CANONICAL_INSTANT.test(value)) return value;
        const ms = NUMERIC.test(value) ? Number(value) : Date.parse(value);
        return Number.isFinite(ms) ? new Date(ms).toISOString() : propertyError('INVALID_DATETIME', name, `${value} was not a valid date-time (ISO 8601 or milliseconds since the epoch).`);
      }
      case 'date': {
        if (DATE_ONLY.test(value)) return value;
        const ms = NUMERIC.test(value) ? Number(value) : NaN;
        // Date properties take midnight UTC in milliseconds (or YYYY-MM-DD); any other time of day is refused.
        return Number.isFinite(ms) && ms % 86_400_000 === 0 ? new Date(ms).toISOString().slice(0, 10) : propertyError('INVALID_DATE', name, `${value} is at a time other than midnight UTC; date properties take YYYY-MM-DD or a midnight UTC timestamp.`);
      }
      case 'enumeration': {
        const allowed = this.optionsFor(type, def, pipelineId);
        if (allowed === null) return value;
        const parts = def.fieldType === 'checkbox' ? value.split(';').filter((v) => v !== '') : [value];
        const bad = parts.find((p) => !allowed.includes(p));
        if (bad === undefined) return parts.join(';');
        if (name === 'hubspot_owner_id') return propertyError('INVALID_OWNER_ID', name, `${bad} is not a valid owner id`);
        return propertyError('INVALID_OPTION', name, `${bad} was not one of the allowed options: [${allowed.join(', ')}]`);
      }
      default:
        return value;
    }
  }

  /** The values an enumeration accepts: its options, or the live set for dealstage / pipeline / owner; null = anything. */
  private optionsFor(type: string, def: PropertyDefinition, pipelineId: string | undefined): string[] | null {
    if (def.name === 'hubspot_owner_id') return (this.ownerIds ??= this.owners.map((o) => o.id));
    if (type === 'deals' && def.name === 'pipeline') return (this.pipelines.get('deals') ?? []).filter((p) => !p.archived).map((p) => p.id);
    if (type === 'deals' && def.name === 'dealstage') {
      const pipeline = (this.pipelines.get('deals') ?? []).find((p) => p.id === (pipelineId ?? 'default')) ?? this.pipelines.get('deals')?.[0];
      return pipeline ? pipeline.stages.filter((s) => !s.archived).map((s) => s.id) : [];
    }
    return def.options.length ? def.options.map((o) => o.value) : null;
  }

  /** A property with hasUniqueValue takes a value no other record of the type holds: 409 otherwise. */
  checkUnique(type: string, props: Record<string, string>, selfId: string | undefined): void {
    const defs = this.propertiesOf(type);
    for (const [name, value] of Object.entries(props)) {
      if (!value || !defs.get(name)?.hasUniqueValue) continue;
      for (const r of this.recordsOf(type).values()) {
        if (r.id !== selfId && !r.archived && r.properties[name] === value) throw new HsError(409, 'CONFLICT', `A ${this.type(type).singular} with ${name} ${value} already exists (id ${r.id}).`, { context: { id: [r.id] } });
      }
    }
  }

  /** The record whose unique property holds the value. */
  findByUnique(type: string, name: string, value: string): HsRecord | undefined {
    for (const r of this.recordsOf(type).values()) if (!r.archived && r.properties[name] === value) return r;
    return undefined;
  }

  create(type: string, values: Record<string, unknown>, options: WriteOptions & { createdAt?: string } = {}): HsRecord {
    const t = this.type(type);
    const source = options.source ?? 'API';
    const props = this.normalise(t.name, values, undefined, options);
    if (t.name === 'deals') props.pipeline ||= (this.pipelines.get('deals') ?? [])[0]?.id ?? 'default';
    if (!options.trusted) {
      // Required on creation: deals need a name and a stage, engagements their hs_timestamp (the object guides), a
      // custom object its schema's requiredProperties.
      const required = t.name === 'deals' ? ['dealname', 'dealstage'] : ENGAGEMENT_TYPES.has(t.name) ? ['hs_timestamp'] : t.custom ? this.schemas.find((x) => x.objectTypeId === t.objectTypeId)?.requiredProperties ?? [] : [];
      const missing = required.filter((n) => !props[n]);
      if (missing.length) throw validation(`Missing required properties: ${missing.join(', ')}`, { errors: missing.map((n) => ({ message: `${n} is required`, code: 'REQUIRED_PROPERTY', context: { propertyName: [n] } })) });
    }
    this.checkUnique(t.name, props, undefined);
    const at = options.createdAt ?? options.at ?? this.iso();
    const id = this.newId();
    // Built without deletes: an object that loses keys turns into a slow, large dictionary (a portal holds 10^5 records).
    const properties: Record<string, string> = { hs_object_id: id };
    for (const k in props) if (props[k] !== '') properties[k] = props[k]!;
    const record: HsRecord = { id, type: t.name, properties, createdAt: at, updatedAt: at, archived: false, createdSource: source };
    record.properties[t.createdProperty] ??= at;
    record.properties[t.modifiedProperty] = at;
    if (t.name === 'deals') this.applyStage(record, undefined, record.properties.dealstage, at);
    this.recordsOf(t.name).set(id, record);
    this.orderedCache.delete(t.name);
    const occurredAt = Date.parse(at);
    if (!this.onChange) return record;
    this.onChange({ kind: 'creation', type: t.name, objectId: id, source, occurredAt });
    for (const [propertyName, propertyValue] of Object.entries(props)) this.onChange({ kind: 'propertyChange', type: t.name, objectId: id, propertyName, propertyValue, source, occurredAt });
    return record;
  }

  /** Sets property values on a record; only values that differ are changes (history, modified date, webhooks). */
  update(type: string, id: string, values: Record<string, unknown>, options: WriteOptions = {}): HsRecord {
    const t = this.type(type);
    const record = this.get(t.name, id);
    if (!record) throw notFound(`Object not found.  objectId are usually numeric.`, { context: { id: [id] } });
    const props = this.normalise(t.name, values, record, options);
    this.checkUnique(t.name, props, record.id);
    const source = options.source ?? 'API';
    const at = options.at ?? this.iso();
    let changed = false;
    for (const [name, value] of Object.entries(props)) {
      const before = record.properties[name] ?? '';
      if (before === value) continue;
      changed = true;
      this.remember(record, name, before, value, source, at);
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
      if (t.name === 'deals' && name === 'dealstage') this.applyStage(record, before || undefined, value, at);
      this.onChange?.({ kind: 'propertyChange', type: t.name, objectId: id, propertyName: name, propertyValue: value, source, occurredAt: Date.parse(at) });
    }
    if (changed) {
      record.updatedAt = at;
      record.properties[t.modifiedProperty] = at;
      if (ENGAGEMENT_TYPES.has(t.name) && 'hs_timestamp' in props) this.rollUpDealsOf(record, at, !options.trusted);
    }
    return record;
  }

  private remember(record: HsRecord, name: string, before: string, value: string, source: SourceType, at: string): void {
    record.history ??= {};
    let list = record.history[name];
    if (!list) {
      list = [];
      if (before !== '') list.push({ value: before, timestamp: record.createdAt, sourceType: record.createdSource });
      record.history[name] = list;
    }
    list.unshift({ value, timestamp: at, sourceType: source, ...(source === 'API' || source === 'INTEGRATION' ? { sourceId: 'emulated-private-app' } : {}) });
  }

  /** Replaces a property's history outright (loaders: dealstage history from the source CRM), newest first. */
  setHistory(type: string, id: string, name: string, entries: HistoryEntry[]): void {
    const record = this.get(type, id)!;
    (record.history ??= {})[name] = [...entries].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  }

  historyOf(record: HsRecord, name: string): HistoryEntry[] {
    const list = record.history?.[name];
    if (list) return list;
    const value = record.properties[name];
    return value === undefined ? [] : [{ value, timestamp: record.createdAt, sourceType: record.createdSource }];
  }

  /** Stage moves keep the deal's calculated stage properties (date entered/exited, closed, won, probability). */
  applyStage(record: HsRecord, from: string | undefined, to: string | undefined, at: string): void {
    if (from) for (const prefix of ['hs_v2_date_exited_', 'hs_date_exited_']) record.properties[`${prefix}${from}`] = at;
    const found = to ? this.stageOf(to) : undefined;
    if (!to || !found) return;
    for (const prefix of ['hs_v2_date_entered_', 'hs_date_entered_']) record.properties[`${prefix}${to}`] = at;
    const closed = found.stage.metadata.isClosed === 'true';
    const probability = Number(found.stage.metadata.probability);
    record.properties.hs_is_closed = String(closed);
    record.properties.hs_is_closed_won = String(closed && probability >= 1);
    record.properties.hs_deal_stage_probability = String(probability);
  }

  archive(type: string, id: string, options: WriteOptions = {}): void {
    const t = this.type(type);
    const record = this.get(t.name, id);
    if (!record) return; // HubSpot answers 204 for an id already gone.
    const at = options.at ?? this.iso();
    record.archived = true;
    record.archivedAt = at;
    if (ENGAGEMENT_TYPES.has(t.name) || t.name === 'contacts') this.rollUpDealsOf(record, at, true);
    this.onChange?.({ kind: 'deletion', type: t.name, objectId: id, source: options.source ?? 'API', occurredAt: Date.parse(at) });
  }

  // ---- associations ----

  associationType(category: string, typeId: number, from: string, to: string): AssociationType {
    if (!this.typeIndex || this.typeIndex.size !== this.associationTypes.length) this.typeIndex = new Map(this.associationTypes.map((a) => [`${a.category}:${a.typeId}:${a.fromType}:${a.toType}`, a]));
    const t = this.typeIndex.get(`${category}:${typeId}:${from}:${to}`);
    if (!t) throw validation(`association type id ${typeId} (${category}) doesn't exist between ${from} and ${to}`);
    return t;
  }

  typesBetween(from: string, to: string): AssociationType[] {
    return this.associationTypes.filter((a) => a.fromType === this.type(from).name && a.toType === this.type(to).name);
  }

  /** Creates a USER_DEFINED label between two object types (both directions share the label). */
  createLabel(from: string, to: string, label: string, name = label.toLowerCase().replace(/[^a-z0-9]+/g, '_')): AssociationType {
    const a = this.type(from).name;
    const b = this.type(to).name;
    const existing = this.associationTypes.find((t) => t.category === 'USER_DEFINED' && t.fromType === a && t.toType === b && t.label === label);
    if (existing) return existing;
    const ab = this.nextTypeId++;
    const ba = a === b ? ab : this.nextTypeId++;
    this.associationTypes.push({ category: 'USER_DEFINED', typeId: ab, label, name, fromType: a, toType: b, inverseTypeId: ba });
    if (a !== b) this.associationTypes.push({ category: 'USER_DEFINED', typeId: ba, label, name, fromType: b, toType: a, inverseTypeId: ab });
    return this.associationTypes.find((t) => t.category === 'USER_DEFINED' && t.typeId === ab && t.fromType === a)!;
  }

  /** Associates two records with the given types (and their inverses); unknown records fail with 404. */
  associate(from: string, fromId: string, to: string, toId: string, types: { category: string; typeId: number }[], options: WriteOptions = {}): void {
    const a = this.type(from).name;
    const b = this.type(to).name;
    const fromRecord = this.get(a, fromId);
    const toRecord = this.get(b, toId);
    if (!fromRecord) throw notFound(`No ${this.type(a).singular} with id ${fromId}`);
    if (!toRecord) throw notFound(`No ${this.type(b).singular} with id ${toId}`);
    const at = options.at ? Date.parse(options.at) : this.stamp();
    for (const { category, typeId } of types) {
      const def = this.associationType(category, typeId, a, b);
      const added = link(fromRecord, b, toId, def.typeId, def.category);
      link(toRecord, a, fromId, def.inverseTypeId, def.category);
      if (added && this.onChange) {
        const source = options.source ?? 'API';
        this.onChange({ kind: 'associationChange', type: a, objectId: fromId, toType: b, toObjectId: toId, typeId: def.typeId, category: def.category, removed: false, source, occurredAt: at });
        this.onChange({ kind: 'associationChange', type: b, objectId: toId, toType: a, toObjectId: fromId, typeId: def.inverseTypeId, category: def.category, removed: false, source, occurredAt: at });
      }
    }
    if (a === 'deals') this.rollUp(fromRecord, new Date(at).toISOString(), !options.trusted);
    if (b === 'deals') this.rollUp(toRecord, new Date(at).toISOString(), !options.trusted);
  }

  private rollUpDealsOf(record: HsRecord, at: string, moveModified: boolean): void {
    for (const key of record.links?.keys() ?? []) {
      if (!key.startsWith('deals:')) continue;
      const deal = this.get('deals', key.slice(6));
      if (deal) this.rollUp(deal, at, moveModified);
    }
  }

  /**
   * A deal's calculated roll-ups of its associations: num_associated_contacts, and notes_last_updated (the latest
   * activity logged on it). They are properties like any other, so a change moves the deal's hs_lastmodifieddate —
   * which is how an incremental search by modified date sees contacts and activities added to a deal.
   */
  rollUp(deal: HsRecord, at: string, moveModified = true): void {
    let contacts = 0;
    let latest = '';
    for (const key of deal.links?.keys() ?? []) {
      const type = key.slice(0, key.indexOf(':'));
      if (type === 'contacts') {
        if (this.get('contacts', key.slice(9))) contacts++;
      } else if (ENGAGEMENT_TYPES.has(type)) {
        const e = this.get(type, key.slice(type.length + 1));
        // Open tasks are plans, not activity.
        if (!e || (type === 'tasks' && e.properties.hs_task_status !== 'COMPLETED')) continue;
        const ts = e.properties.hs_timestamp ?? '';
        if (ts > latest) latest = ts;
      }
    }
    let changed = false;
    for (const [name, value] of [['num_associated_contacts', String(contacts)], ['notes_last_updated', latest]] as const) {
      if ((deal.properties[name] ?? '') === value) continue;
      changed = true;
      if (value === '') delete deal.properties[name];
      else deal.properties[name] = value;
    }
    if (changed && moveModified) {
      deal.updatedAt = at;
      deal.properties.hs_lastmodifieddate = at;
    }
  }


  /** Removes every association between two records (v4 DELETE), reporting each removed type. */
  dissociate(from: string, fromId: string, to: string, toId: string, options: WriteOptions = {}): void {
    const a = this.type(from).name;
    const b = this.type(to).name;
    const removed = this.recordsOf(a).get(fromId)?.links?.get(`${b}:${toId}`);
    this.recordsOf(a).get(fromId)?.links?.delete(`${b}:${toId}`);
    this.recordsOf(b).get(toId)?.links?.delete(`${a}:${fromId}`);
    if (!removed?.length) return;
    const at = options.at ? Date.parse(options.at) : this.stamp();
    for (const [type, id] of [[a, fromId], [b, toId]] as const) if (type === 'deals') { const d = this.get('deals', id); if (d) this.rollUp(d, new Date(at).toISOString(), !options.trusted); }
    if (!this.onChange) return;
    const source = options.source ?? 'API';
    for (const k of removed) {
      const category: AssociationCategory = k > 0 ? 'HUBSPOT_DEFINED' : 'USER_DEFINED';
      const def = this.associationType(category, Math.abs(k), a, b);
      this.onChange({ kind: 'associationChange', type: a, objectId: fromId, toType: b, toObjectId: toId, typeId: def.typeId, category, removed: true, source, occurredAt: at });
      this.onChange({ kind: 'associationChange', type: b, objectId: toId, toType: a, toObjectId: fromId, typeId: def.inverseTypeId, category, removed: true, source, occurredAt: at });
    }
  }

  /** A record's associations to one object type, in id order, skipping archived targets. */
  associationsOf(type: string, id: string, toType: string): { toObjectId: string; types: AssociationType[] }[] {
    const a = this.type(type).name;
    const b = this.type(toType).name;
    const out: { toObjectId: string; types: AssociationType[] }[] = [];
    const prefix = `${b}:`;
    for (const [key, set] of this.recordsOf(a).get(id)?.links ?? []) {
      if (!key.startsWith(prefix)) continue;
      const targetId = key.slice(prefix.length);
      if (!this.get(b, targetId)) continue;
      const types = set.map((k) => this.associationType(k > 0 ? 'HUBSPOT_DEFINED' : 'USER_DEFINED', Math.abs(k), a, b));
      out.push({ toObjectId: targetId, types });
    }
    return out.sort((x, y) => Number(x.toObjectId) - Number(y.toObjectId));
  }

  // ---- owners and teams ----

  addOwner(o: { email: string; firstName: string; lastName: string; archived?: boolean; createdAt?: string }): Owner {
    const at = o.createdAt ?? this.iso();
    const userId = 70_000_000 + this.owners.length + 1;
    const owner: Owner = { id: String(500_000_000 + this.owners.length + 1), email: o.email, type: 'PERSON', firstName: o.firstName, lastName: o.lastName, userId: o.archived ? null : userId, userIdIncludingInactive: userId, createdAt: at, updatedAt: at, archived: o.archived ?? false };
    this.owners.push(owner);
    this.ownerIds = undefined;
    return owner;
  }

  addTeam(name: string, userIds: number[], secondaryUserIds: number[] = []): Team {
    const team: Team = { id: String(30_000_000 + this.teams.length + 1), name, userIds: userIds.map(String), secondaryUserIds: secondaryUserIds.map(String) };
    this.teams.push(team);
    return team;
  }

  /** An owner's teams as the owners API lists them: the primary team flagged. */
  teamsOf(owner: Owner): { id: string; name: string; primary: boolean }[] {
    const user = String(owner.userIdIncludingInactive);
    return this.teams.filter((t) => t.userIds.includes(user) || t.secondaryUserIds.includes(user)).map((t) => ({ id: t.id, name: t.name, primary: t.userIds.includes(user) }));
  }

  // ---- custom objects ----

  createSchema(input: { name: string; labels: { singular: string; plural: string }; primaryDisplayProperty?: string; requiredProperties?: string[]; searchableProperties?: string[]; secondaryDisplayProperties?: string[]; properties: { name: string; label?: string; type: PropertyDefinition['type']; fieldType?: PropertyDefinition['fieldType']; options?: { label: string; value: string }[]; hasUniqueValue?: boolean }[]; associatedObjects?: string[] }): CustomSchema {
    if (!this.customObjectsAvailable) throw new HsError(403, 'MISSING_SCOPES', 'This account does not have access to custom objects (Enterprise subscription required).');
    if (!/^[a-z][a-z0-9_]*$/i.test(input.name ?? '')) throw validation('name must start with a letter and contain only letters, numbers and underscores');
    if (this.schemas.some((s) => s.name === input.name && !s.archived)) throw new HsError(409, 'CONFLICT', `An object type with name ${input.name} already exists.`);
    const at = this.iso();
    const n = this.schemas.length + 1;
    const objectTypeId = `2-${1_000_000 + n}`;
    const schema: CustomSchema = {
      id: String(1_000_000 + n), objectTypeId, name: input.name, fullyQualifiedName: `p${this.portalId}_${input.name}`, labels: input.labels,
      primaryDisplayProperty: input.primaryDisplayProperty ?? input.properties[0]?.name ?? 'hs_object_id', requiredProperties: input.requiredProperties ?? [],
      searchableProperties: input.searchableProperties ?? [], secondaryDisplayProperties: input.secondaryDisplayProperties ?? [], associatedObjects: input.associatedObjects ?? [],
      createdAt: at, updatedAt: at, archived: false,
    };
    const typeName = objectTypeId;
    this.types.set(typeName, { name: typeName, singular: input.name.toLowerCase(), objectTypeId, createdProperty: 'hs_createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'], legacyWebhooks: false, custom: true });
    const group = `${input.name.toLowerCase()}_information`;
    this.groups.set(typeName, new Map([[group, { name: group, label: `${input.labels.singular} information`, displayOrder: -1, archived: false }]]));
    const base: [string, PropertyDefinition['type'], Partial<PropertyDefinition>][] = [['hs_object_id', 'number', { readOnlyValue: true, calculated: true }], ['hs_createdate', 'datetime', { readOnlyValue: true }], ['hs_lastmodifieddate', 'datetime', { readOnlyValue: true }], ['hubspot_owner_id', 'enumeration', {}]];
    const props = new Map<string, PropertyDefinition>();
    base.forEach((s, i) => props.set(s[0], definition(group, s, i)));
    input.properties.forEach((p, i) => props.set(p.name, { ...definition(group, [p.name, p.type, { label: p.label ?? p.name, fieldType: p.fieldType ?? undefined, options: (p.options ?? []).map((o, j) => ({ ...o, displayOrder: j, hidden: false })), hasUniqueValue: p.hasUniqueValue ?? false }], base.length + i), hubspotDefined: false, fieldType: p.fieldType ?? definition(group, [p.name, p.type], 0).fieldType }));
    this.properties.set(typeName, props);
    this.records.set(typeName, new Map());
    this.schemas.push(schema);
    // Each associated object gets an unlabeled association type both ways.
    for (const other of schema.associatedObjects) {
      const b = this.type(other).name;
      const ab = this.nextTypeId++;
      const ba = this.nextTypeId++;
      this.associationTypes.push({ category: 'USER_DEFINED', typeId: ab, label: null, fromType: typeName, toType: b, inverseTypeId: ba });
      this.associationTypes.push({ category: 'USER_DEFINED', typeId: ba, label: null, fromType: b, toType: typeName, inverseTypeId: ab });
    }
    return schema;
  }
}

const link = (record: HsRecord, toType: string, toId: string, typeId: number, category: AssociationCategory): boolean => {
  const key = `${toType}:${toId}`;
  record.links ??= new Map();
  let list = record.links.get(key);
  if (!list) record.links.set(key, (list = []));
  const k = category === 'HUBSPOT_DEFINED' ? typeId : -typeId; // user-defined ids live in their own space
  if (list.includes(k)) return false;
  list.push(k);
  return true;
};

/** HubSpot's default deal pipeline in a new portal ("Sales Pipeline" and its seven stages). */
export const defaultDealPipeline = (at: string): Pipeline => ({
  id: 'default', label: 'Sales Pipeline', displayOrder: 0, archived: false, createdAt: at, updatedAt: at,
  stages: ([['appointmentscheduled', 'Appointment Scheduled', 0.2], ['qualifiedtobuy', 'Qualified To Buy', 0.4], ['presentationscheduled', 'Presentation Scheduled', 0.6], ['decisionmakerboughtin', 'Decision Maker Bought-In', 0.8], ['contractsent', 'Contract Sent', 0.9], ['closedwon', 'Closed Won', 1], ['closedlost', 'Closed Lost', 0]] as const)
    .map(([id, label, probability], i) => ({ id, label, displayOrder: i, metadata: { isClosed: String(id.startsWith('closed')), probability: String(probability) }, archived: false, createdAt: at, updatedAt: at, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' })),
});
