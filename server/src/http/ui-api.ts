// Records in the shape of Salesforce's User Interface API ({ apiName, id, fields: { F: { value, displayValue } } }),
// so the preview's stand-in for lightning/uiRecordApi can hand them to components and getFieldValue works unchanged.
import { OBJECTS, type SfObjectName } from '../crm/sobjects.ts';
import type { OrgStore, SfRecord } from '../crm/embedded/store.ts';
import { to18 } from '../crm/sf-id.ts';
import { AppError, notFound } from '../errors.ts';
import { objectOfId } from './org-views.ts';
import { badRequest } from './validate.ts';

export interface UiField {
  value: unknown;
  displayValue: string | null;
}
export interface UiRecord {
  apiName: string;
  id: string;
  fields: Record<string, UiField | { value: UiRecord | null; displayValue: string | null }>;
}

const fieldNames = (object: SfObjectName): Set<string> => new Set(OBJECTS[object].map((f) => f.name));

/** `Account` → `AccountId`, `Owner` → `OwnerId`, `Opportunity__r` → `Opportunity__c`. */
const referenceFieldOf = (relationship: string): string => (relationship.endsWith('__r') ? `${relationship.slice(0, -3)}__c` : `${relationship}Id`);

const targetOf = (object: SfObjectName, referenceField: string): SfObjectName | undefined => {
  const field = OBJECTS[object].find((f) => f.name === referenceField);
  if (field?.referenceTo) return field.referenceTo;
  // Polymorphic or unchecked references: the key prefix of the value decides.
  return undefined;
};

const display = (type: string, value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (type === 'picklist' || type === 'multipicklist') return String(value).replace(/_/g, ' ');
  return null;
};

const shape = (store: OrgStore, object: SfObjectName, record: SfRecord, paths: string[][], strict: boolean): UiRecord => {
  const fields: UiRecord['fields'] = {};
  const names = fieldNames(object);
  const byRelationship = new Map<string, string[][]>();
  for (const path of paths) {
    const [head, ...rest] = path;
    if (!head) continue;
    if (rest.length === 0) {
      if (!names.has(head)) {
        if (strict) throw new AppError('bad_input', `fields: ${object}.${head} is not a field of ${object} in the embedded org`, { name: 'BadRequest', details: { path: `fields.${object}.${head}` } });
        continue;
      }
      const type = OBJECTS[object].find((f) => f.name === head)!.type;
      fields[head] = { value: record[head] ?? null, displayValue: display(type, record[head]) };
    } else {
      byRelationship.set(head, [...(byRelationship.get(head) ?? []), rest]);
    }
  }
  for (const [relationship, rest] of byRelationship) {
    const reference = referenceFieldOf(relationship);
    if (!names.has(reference)) {
      if (strict) throw new AppError('bad_input', `fields: ${object}.${relationship} is not a relationship of ${object}`, { name: 'BadRequest' });
      continue;
    }
    const id = record[reference] as string | null;
    const target = targetOf(object, reference) ?? (id ? objectOfId(id) : undefined);
    const related = id && target ? store.get(target, id) : undefined;
    fields[relationship] = related && target ? { value: shape(store, target, related, rest, false), displayValue: (related.Name as string | undefined) ?? null } : { value: null, displayValue: null };
  }
  return { apiName: object, id: record.Id as string, fields };
};

const splitFields = (list: readonly string[], object: SfObjectName, strict: boolean): string[][] =>
  list.flatMap((qualified) => {
    const [objectName, ...path] = qualified.split('.');
    if (objectName !== object || path.length === 0) {
      if (strict) throw new AppError('bad_input', `fields: "${qualified}" does not name a field of ${object} (write ${object}.Field__c)`, { name: 'BadRequest' });
      return [];
    }
    return [path];
  });

/** GET /ui-api/records/{id}?fields=&optionalFields=: unknown `fields` are an error, unknown `optionalFields` are left out. */
export const getUiRecord = (store: OrgStore, rawId: string, fields: readonly string[], optionalFields: readonly string[]): UiRecord => {
  const id = to18(rawId);
  const object = objectOfId(id);
  const record = object && store.get(object, id);
  if (!object || !record) throw notFound(`record ${rawId}`);
  const strictPaths = splitFields(fields, object, true);
  const optional = splitFields(optionalFields, object, false);
  const strictShape = shape(store, object, record, strictPaths, true);
  const optionalShape = shape(store, object, record, optional, false);
  return { ...strictShape, fields: { ...optionalShape.fields, ...strictShape.fields } };
};

export const uiRecordOf = (store: OrgStore, object: SfObjectName, record: SfRecord): UiRecord =>
  shape(store, object, record, OBJECTS[object].map((f) => [f.name]), false);

interface RelatedList {
  child: SfObjectName;
  /** The child's field that points at the parent. */
  via: string;
  orderBy: string;
}

/** Related lists the components may ask for, by parent object and relationship name. */
const RELATED_LISTS: Partial<Record<SfObjectName, Record<string, RelatedList>>> = {
  Opportunity: {
    Milestone_Attestations__r: { child: 'Milestone_Attestation__c', via: 'Opportunity__c', orderBy: 'CreatedDate' },
    Milestone_Attestations: { child: 'Milestone_Attestation__c', via: 'Opportunity__c', orderBy: 'CreatedDate' },
    OpportunityContactRoles: { child: 'OpportunityContactRole', via: 'OpportunityId', orderBy: 'Id' },
    OpportunityHistories: { child: 'OpportunityHistory', via: 'OpportunityId', orderBy: 'CreatedDate' },
    Tasks: { child: 'Task', via: 'WhatId', orderBy: 'ActivityDate' },
    Events: { child: 'Event', via: 'WhatId', orderBy: 'ActivityDateTime' },
    Deal_Inspections__r: { child: 'Deal_Inspection__c', via: 'Opportunity__c', orderBy: 'Inspected_At__c' },
  },
  User: {
    Opportunities: { child: 'Opportunity', via: 'OwnerId', orderBy: 'CloseDate' },
    Rep_Scorecards__r: { child: 'Rep_Scorecard__c', via: 'Rep__c', orderBy: 'Period_Start__c' },
    Team_Scorecards__r: { child: 'Rep_Scorecard__c', via: 'Manager__c', orderBy: 'Period_Start__c' },
    Quarterly_Reviews__r: { child: 'Quarterly_Review__c', via: 'Rep__c', orderBy: 'Quarter__c' },
    Coaching_Plans__r: { child: 'Coaching_Plan__c', via: 'Rep__c', orderBy: 'Start_Date__c' },
    Coaching_Plans_Led__r: { child: 'Coaching_Plan__c', via: 'Manager__c', orderBy: 'Start_Date__c' },
    Team_Goals__r: { child: 'Team_Goal__c', via: 'Manager__c', orderBy: 'Start_Date__c' },
  },
  Account: {
    Contacts: { child: 'Contact', via: 'AccountId', orderBy: 'Name' },
    Opportunities: { child: 'Opportunity', via: 'AccountId', orderBy: 'CloseDate' },
  },
};

/** A related list's sort: `Object.Field` ascending, `-Object.Field` descending (the UI API's sortBy), else its default. */
const orderClause = (list: RelatedList, sortBy: readonly string[]): (readonly [string, 'ASC' | 'DESC'])[] => {
  const names = fieldNames(list.child);
  const terms = sortBy.map((term) => {
    const descending = term.startsWith('-');
    const qualified = descending ? term.slice(1) : term;
    const field = qualified.includes('.') ? qualified.slice(qualified.indexOf('.') + 1) : qualified;
    if (!names.has(field)) throw badRequest(`sortBy: ${qualified} is not a field of ${list.child}`);
    return [field, descending ? 'DESC' : 'ASC'] as const;
  });
  return terms.length ? [...terms, ['Id', 'ASC'] as const] : [[list.orderBy, 'DESC'] as const, ['Id', 'ASC'] as const];
};

/** GET /ui-api/related-list-records/{parentRecordId}/{relatedListId} */
export const relatedListRecords = (store: OrgStore, rawParentId: string, relatedListId: string, fields: readonly string[], pageSize: number, sortBy: readonly string[] = []): { records: UiRecord[]; count: number; listReference: { parentObjectApiName: string; relatedListId: string } } => {
  const parentId = to18(rawParentId);
  const parent = objectOfId(parentId);
  if (!parent || !store.get(parent, parentId)) throw notFound(`record ${rawParentId}`);
  const list = RELATED_LISTS[parent]?.[relatedListId];
  if (!list) throw badRequest(`relatedListId: ${parent} has no related list "${relatedListId}" in the embedded org`);
  const ids = store.childIds(list.child, list.via, parentId, orderClause(list, sortBy)).map((Id) => ({ Id }));
  const paths = splitFields(fields, list.child, false);
  const records = ids.slice(0, pageSize).map(({ Id }) => shape(store, list.child, store.get(list.child, Id)!, paths.length ? paths : [['Id'], ['Name']], false));
  return { records, count: ids.length, listReference: { parentObjectApiName: parent, relatedListId } };
};
