// Reads the package's source-format metadata (force-app) into plain objects: custom objects with their fields and
// list views, and permission sets. The metadata tests check the package with it; the local preview renders list views from it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface FieldValueDef {
  /** API name of the picklist value (`In_Progress`). */
  apiName: string;
  label: string;
  isDefault: boolean;
}

export interface FieldDef {
  apiName: string;
  /** Metadata type: Text, Number, Percent, Checkbox, DateTime, Date, Picklist, MultiselectPicklist, LongTextArea, Lookup, MasterDetail, AutoNumber. */
  type: string;
  label: string;
  description?: string;
  inlineHelpText?: string;
  /** Picklist values in order, for Picklist and MultiselectPicklist. */
  values?: FieldValueDef[];
  restricted?: boolean;
  length?: number;
  precision?: number;
  scale?: number;
  required: boolean;
  externalId: boolean;
  unique: boolean;
  formula?: string;
  defaultValue?: string;
  /** Auto-number format, e.g. `ATT-{000000}`. */
  displayFormat?: string;
  referenceTo?: string;
  relationshipName?: string;
  /** True for the object's Name field (declared in the object file, not under fields/). */
  isNameField: boolean;
}

export interface ListViewFilter {
  field: string;
  operation: string;
  /** Absent for blank comparisons ("not equal to" nothing = not blank). */
  value?: string;
}

export interface ListViewDef {
  name: string;
  label: string;
  filterScope: string;
  columns: string[];
  filters: ListViewFilter[];
  booleanFilter?: string;
}

export interface ObjectDef {
  apiName: string;
  /** Custom objects have an object file; standard objects (Opportunity, User) only carry the package's fields. */
  custom: boolean;
  label?: string;
  pluralLabel?: string;
  description?: string;
  sharingModel?: string;
  deploymentStatus?: string;
  fields: FieldDef[];
  listViews: ListViewDef[];
}

export interface FieldPermission {
  field: string;
  readable: boolean;
  editable: boolean;
}

export interface ObjectPermission {
  object: string;
  allowRead: boolean;
  allowCreate: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface PermissionSetDef {
  name: string;
  label: string;
  description?: string;
  fieldPermissions: FieldPermission[];
  objectPermissions: ObjectPermission[];
  tabSettings: { tab: string; visibility: string }[];
  applicationVisibilities: { application: string; visible: boolean }[];
}

/** Elements that repeat in these types (by path); the parser must return arrays for them even when there is only one. */
const REPEATED = new Set([
  'CustomField.valueSet.valueSetDefinition.value',
  'ListView.columns',
  'ListView.filters',
  'PermissionSet.fieldPermissions',
  'PermissionSet.objectPermissions',
  'PermissionSet.tabSettings',
  'PermissionSet.applicationVisibilities',
  'PermissionSet.userPermissions',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // keep "0", "1", "65.0" as strings; types are decided per element below
  trimValues: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

type Node = Record<string, unknown>;

/** Parses one metadata file and returns its root element's content. */
export const readMetadataFile = (path: string, rootElement: string): Node => {
  const doc = parser.parse(readFileSync(path, 'utf8')) as Node;
  const root = doc[rootElement];
  if (root === undefined) throw new Error(`${path}: expected a <${rootElement}> root element`);
  return root === '' ? {} : (root as Node);
};

const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const bool = (v: unknown): boolean => String(v) === 'true';
const int = (v: unknown): number | undefined => (str(v) === undefined ? undefined : Number(v));
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v === undefined || v === '' ? [] : [v as T]);

const suffixed = (dir: string, suffix: string): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f)) : [];

const parseValues = (valueSet: Node | undefined): { values?: FieldValueDef[]; restricted?: boolean } => {
  if (!valueSet) return {};
  const def = valueSet['valueSetDefinition'] as Node | undefined;
  const values = list<Node>(def?.['value']).map((v) => ({
    apiName: String(v['fullName']),
    label: str(v['label']) ?? String(v['fullName']),
    isDefault: bool(v['default']),
  }));
  return { values, restricted: bool(valueSet['restricted']) };
};

export const parseField = (node: Node, isNameField = false): FieldDef => {
  const apiName = str(node['fullName']);
  if (!apiName) throw new Error('a field without fullName');
  const type = str(node['type']);
  if (!type) throw new Error(`${apiName}: a field without type`);
  return {
    apiName,
    type,
    label: str(node['label']) ?? apiName,
    description: str(node['description']),
    inlineHelpText: str(node['inlineHelpText']),
    ...parseValues(node['valueSet'] as Node | undefined),
    length: int(node['length']),
    precision: int(node['precision']),
    scale: int(node['scale']),
    // Master-detail fields are required by nature even though their metadata does not say so.
    required: bool(node['required']) || type === 'MasterDetail',
    externalId: bool(node['externalId']),
    unique: bool(node['unique']),
    formula: str(node['formula']),
    defaultValue: str(node['defaultValue']),
    displayFormat: str(node['displayFormat']),
    referenceTo: str(node['referenceTo']),
    relationshipName: str(node['relationshipName']),
    isNameField,
  };
};

export const parseListView = (node: Node): ListViewDef => {
  const name = str(node['fullName']);
  if (!name) throw new Error('a list view without fullName');
  return {
    name,
    label: str(node['label']) ?? name,
    filterScope: str(node['filterScope']) ?? 'Everything',
    columns: list<unknown>(node['columns']).map(String),
    filters: list<Node>(node['filters']).map((f) => {
      const value = str(f['value']);
      return { field: String(f['field']), operation: String(f['operation']), ...(value === undefined ? {} : { value }) };
    }),
    ...(str(node['booleanFilter']) ? { booleanFilter: str(node['booleanFilter']) } : {}),
  };
};

const readObject = (dir: string): ObjectDef => {
  const apiName = basename(dir);
  const objectFile = join(dir, `${apiName}.object-meta.xml`);
  const object = existsSync(objectFile) ? readMetadataFile(objectFile, 'CustomObject') : undefined;
  const fields = suffixed(join(dir, 'fields'), '.field-meta.xml').map((path) => {
    const field = parseField(readMetadataFile(path, 'CustomField'));
    if (`${field.apiName}.field-meta.xml` !== basename(path)) throw new Error(`${path}: fullName ${field.apiName} does not match the file name`);
    return field;
  });
  const nameField = object?.['nameField'] as Node | undefined;
  if (nameField) fields.unshift(parseField({ ...nameField, fullName: 'Name' }, true));
  return {
    apiName,
    custom: object !== undefined,
    label: str(object?.['label']),
    pluralLabel: str(object?.['pluralLabel']),
    description: str(object?.['description']),
    sharingModel: str(object?.['sharingModel']),
    deploymentStatus: str(object?.['deploymentStatus']),
    fields,
    listViews: suffixed(join(dir, 'listViews'), '.listView-meta.xml').map((path) => parseListView({ fullName: basename(path, '.listView-meta.xml'), ...readMetadataFile(path, 'ListView') })),
  };
};

const defaultDir = (forceAppDir: string): string => {
  const dir = join(forceAppDir, 'main', 'default');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${forceAppDir}: not a source-format package (no main/default folder)`);
  return dir;
};

/** Every object folder under force-app/main/default/objects, with its fields and list views, sorted by API name. */
export const readObjects = (forceAppDir: string): ObjectDef[] => {
  const objectsDir = join(defaultDir(forceAppDir), 'objects');
  if (!existsSync(objectsDir)) return [];
  return readdirSync(objectsDir)
    .filter((name) => statSync(join(objectsDir, name)).isDirectory())
    .sort()
    .map((name) => readObject(join(objectsDir, name)));
};

/** The object of that API name, or an error naming what exists. */
export const objectNamed = (objects: readonly ObjectDef[], apiName: string): ObjectDef => {
  const found = objects.find((o) => o.apiName === apiName);
  if (!found) throw new Error(`no object ${apiName} in force-app (have: ${objects.map((o) => o.apiName).join(', ')})`);
  return found;
};

export const readPermissionSets = (forceAppDir: string): PermissionSetDef[] =>
  suffixed(join(defaultDir(forceAppDir), 'permissionsets'), '.permissionset-meta.xml').map((path) => {
    const node = readMetadataFile(path, 'PermissionSet');
    const name = basename(path, '.permissionset-meta.xml');
    return {
      name,
      label: str(node['label']) ?? name,
      description: str(node['description']),
      fieldPermissions: list<Node>(node['fieldPermissions']).map((p) => ({ field: String(p['field']), readable: bool(p['readable']), editable: bool(p['editable']) })),
      objectPermissions: list<Node>(node['objectPermissions']).map((p) => ({
        object: String(p['object']),
        allowRead: bool(p['allowRead']),
        allowCreate: bool(p['allowCreate']),
        allowEdit: bool(p['allowEdit']),
        allowDelete: bool(p['allowDelete']),
        viewAllRecords: bool(p['viewAllRecords']),
        modifyAllRecords: bool(p['modifyAllRecords']),
      })),
      tabSettings: list<Node>(node['tabSettings']).map((t) => ({ tab: String(t['tab']), visibility: String(t['visibility']) })),
      applicationVisibilities: list<Node>(node['applicationVisibilities']).map((a) => ({ application: String(a['application']), visible: bool(a['visible']) })),
    };
  });

/** A list view column or filter field resolved to the record field it shows. */
export interface ListViewColumn {
  /** API name or relationship path as the REST API knows it (`StageName`, `Account.Name`). */
  apiName: string;
  label: string;
  /** Metadata field type, for value checks and rendering. */
  type: string;
  values?: readonly string[];
}

/** StageName values of the standard sales process in a new org. */
export const STANDARD_STAGE_NAMES = [
  'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis',
  'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost',
] as const;

// List views name standard fields by internal tokens, not API names (OPPORTUNITY.STAGE_NAME, not StageName).
// Only the tokens the package uses or has seen in retrieved metadata are listed; an unknown token is an error, not a guess.
const CUSTOM_OBJECT_STANDARD_COLUMNS: Record<string, ListViewColumn> = {
  NAME: { apiName: 'Name', label: 'Name', type: 'Text' },
  'OWNER.ALIAS': { apiName: 'Owner.Alias', label: 'Owner Alias', type: 'Text' },
  'CREATEDBY_USER.ALIAS': { apiName: 'CreatedBy.Alias', label: 'Created By Alias', type: 'Text' },
  CREATED_DATE: { apiName: 'CreatedDate', label: 'Created Date', type: 'DateTime' },
  'UPDATEDBY_USER.ALIAS': { apiName: 'LastModifiedBy.Alias', label: 'Last Modified By Alias', type: 'Text' },
  LAST_UPDATE: { apiName: 'LastModifiedDate', label: 'Last Modified Date', type: 'DateTime' },
};

export const STANDARD_LIST_VIEW_COLUMNS: Record<string, Record<string, ListViewColumn>> = {
  Opportunity: {
    'OPPORTUNITY.NAME': { apiName: 'Name', label: 'Opportunity Name', type: 'Text' },
    'ACCOUNT.NAME': { apiName: 'Account.Name', label: 'Account Name', type: 'Text' },
    'CORE.USERS.FULL_NAME': { apiName: 'Owner.Name', label: 'Opportunity Owner', type: 'Text' },
    'CORE.USERS.ALIAS': { apiName: 'Owner.Alias', label: 'Owner Alias', type: 'Text' },
    'OPPORTUNITY.STAGE_NAME': { apiName: 'StageName', label: 'Stage', type: 'Picklist', values: STANDARD_STAGE_NAMES },
    'OPPORTUNITY.AMOUNT': { apiName: 'Amount', label: 'Amount', type: 'Currency' },
    'OPPORTUNITY.CLOSE_DATE': { apiName: 'CloseDate', label: 'Close Date', type: 'Date' },
    'OPPORTUNITY.PROBABILITY': { apiName: 'Probability', label: 'Probability (%)', type: 'Percent' },
    'OPPORTUNITY.CLOSED': { apiName: 'IsClosed', label: 'Closed', type: 'Checkbox' },
    'OPPORTUNITY.WON': { apiName: 'IsWon', label: 'Won', type: 'Checkbox' },
    'OPPORTUNITY.LAST_UPDATE': { apiName: 'LastModifiedDate', label: 'Last Modified Date', type: 'DateTime' },
  },
};

/**
 * What a list view column or filter field shows: a custom field of the object (by API name) or a standard token.
 * Undefined when the name is neither, so callers can report it.
 */
export const resolveListViewColumn = (object: ObjectDef, name: string): ListViewColumn | undefined => {
  if (name.endsWith('__c')) {
    const field = object.fields.find((f) => f.apiName === name);
    return field && { apiName: field.apiName, label: field.label, type: field.type, ...(field.values ? { values: field.values.map((v) => v.apiName) } : {}) };
  }
  const standard = object.custom ? CUSTOM_OBJECT_STANDARD_COLUMNS : STANDARD_LIST_VIEW_COLUMNS[object.apiName];
  return standard?.[name];
};
