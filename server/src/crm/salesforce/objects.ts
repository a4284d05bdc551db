// What the connector reads from a Salesforce org (objects, required and optional fields) and the one place the
// managed-package namespace prefix is applied to object and field names (through shared/src/fields.ts apiName()).
import { apiName, OWNED_FIELDS, ownedField, REP_SCORECARD_FIELDS } from '../../../../shared/src/fields.ts';
import { OBJECTS } from '../sobjects.ts';

export interface ReadSpec {
  /** Un-namespaced object name. */
  object: string;
  /** An org without the object cannot be synced (false: read it where the org has it). */
  required: boolean;
  /** Fields without which the object is useless: missing → one clear error. */
  requiredFields: string[];
  /** Everything else worth reading: skipped when the integration user cannot see it. */
  optionalFields: string[];
  /** queryAll: archived activities are not returned by query. */
  all: boolean;
}

export const PACKAGE_OBJECTS = new Set(['Stage_Gate__c', 'Gate_Milestone__c', 'Milestone_Attestation__c', 'Rep_Scorecard__c', 'Quarterly_Review__c', 'Coaching_Plan__c', 'Team_Goal__c', 'Deal_Inspection__c']);

/** A name the package defines (its objects, their custom fields, the owned fields on standard objects). */
const isPackageName = (object: string, field?: string): boolean => {
  if (field === undefined) return PACKAGE_OBJECTS.has(object);
  if (!field.endsWith('__c')) return false;
  return PACKAGE_OBJECTS.has(object) || ownedField(object, field) !== undefined;
};

/** Names as the org knows them: the namespace is applied here and nowhere else in the connector. */
export class Names {
  readonly namespace: string | null;
  constructor(namespace: string | null) {
    this.namespace = namespace;
  }

  object(object: string): string {
    return isPackageName(object) ? apiName(object, this.namespace) : object;
  }

  field(object: string, field: string): string {
    return isPackageName(object, field) ? apiName(field, this.namespace) : field;
  }

  /** An org field name back to the un-namespaced name the rest of Stagecraft uses. */
  unfield(field: string): string {
    const prefix = this.namespace ? `${this.namespace}__` : null;
    return prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
  }
}

const embeddedFields = (object: keyof typeof OBJECTS): string[] => OBJECTS[object].map((f) => f.name);
const owned = (object: 'Opportunity' | 'User'): string[] => OWNED_FIELDS.filter((f) => f.object === object).map((f) => f.name);
const minus = (all: string[], taken: string[]): string[] => all.filter((f) => !taken.includes(f));

const spec = (object: string, required: boolean, requiredFields: string[], all: string[], queryAll = false): ReadSpec => ({
  object, required, requiredFields: ['Id', ...requiredFields], optionalFields: minus(all, ['Id', ...requiredFields]), all: queryAll,
});

/** The objects a sync reads, in the order they are read. */
export const READ_SPECS: readonly ReadSpec[] = [
  spec('User', true, ['Name', ...owned('User')], embeddedFields('User')),
  spec('Account', true, ['Name'], embeddedFields('Account')),
  spec('Contact', true, ['AccountId'], embeddedFields('Contact')),
  // The owned fields are required: the package must be installed for a write-back to mean anything.
  spec('Opportunity', true, ['StageName', 'CloseDate', 'CreatedDate', 'IsClosed', 'IsWon', 'OwnerId', 'AccountId', ...owned('Opportunity')], embeddedFields('Opportunity')),
  spec('OpportunityHistory', true, ['OpportunityId', 'StageName', 'CreatedDate'], embeddedFields('OpportunityHistory')),
  // Field history tracking (only the fields the admin tracks): read only for the fields the playbook's rules name.
  spec('OpportunityFieldHistory', false, ['OpportunityId', 'Field', 'CreatedDate'], ['OldValue', 'NewValue']),
  spec('OpportunityContactRole', true, ['OpportunityId', 'ContactId'], embeddedFields('OpportunityContactRole')),
  spec('Task', true, ['WhatId', 'WhoId', 'ActivityDate', 'Status'], embeddedFields('Task'), true),
  spec('Event', true, ['WhatId', 'WhoId'], embeddedFields('Event'), true),
  // Shared Activities: only orgs that enabled it have these.
  spec('TaskRelation', false, ['TaskId', 'RelationId'], ['IsWhat']),
  spec('EventRelation', false, ['EventId', 'RelationId'], ['IsWhat']),
  spec('Milestone_Attestation__c', true, ['Opportunity__c', 'Milestone_Key__c', 'CreatedDate'], embeddedFields('Milestone_Attestation__c')),
  // Gate configuration: the playbook as the package stores it (server/src/crm/gate-records.ts maps it both ways).
  spec('Stage_Gate__c', false, ['Gate_Key__c', 'Sales_Process__c', 'Stage_Name__c', 'Stage_Order__c'], [
    'Name', 'Is_Closed__c', 'Is_Won__c', 'Stall_Factor__c', 'Active__c', 'Configuration_Error__c', 'Executive_Expected__c', 'Multi_Threading_Expected__c',
  ]),
  spec('Gate_Milestone__c', false, ['Stage_Gate__c', 'Milestone_Key__c', 'Rule_Kind__c'], [
    'Name', 'Action__c', 'Required__c', 'Weight__c', 'Sort_Order__c', 'Attestable__c', 'Rule_Field__c', 'Rule_Value__c', 'Rule_Roles__c', 'Rule_Min_Count__c',
    'Rule_Window_Days__c', 'Rule_Activity_Types__c', 'Rule_Min_Call_Seconds__c', 'Rule_JSON__c', 'Guidance__c', 'Coaching_Questions__c', 'Configuration_Error__c',
  ]),
  // This quarter's reviews: their objectives say what to measure into Measured_Actuals__c.
  spec('Quarterly_Review__c', false, ['Rep__c', 'Quarter__c'], ['Name', 'Review_Key__c', 'Objectives__c', 'Measured_Actuals__c']),
  // The coaching loop (package objects an org on an older package version lacks: optional). Plans and goals are read
  // with what the companion wrote into them, for the planner's diff; inspections are the managers' alone.
  spec('Coaching_Plan__c', false, ['Rep__c', 'Signal__c', 'Start_Date__c'], embeddedFields('Coaching_Plan__c').filter((f) => f !== 'CreatedDate')),
  spec('Team_Goal__c', false, ['Manager__c', 'Signal__c', 'Target_Per_Week__c', 'Start_Date__c', 'End_Date__c'], embeddedFields('Team_Goal__c').filter((f) => f !== 'CreatedDate')),
  spec('Deal_Inspection__c', false, ['Opportunity__c'], embeddedFields('Deal_Inspection__c')),
  // What the org holds in the scorecards the companion writes: the planner diffs against it (keyed by Scorecard_Key__c).
  spec('Rep_Scorecard__c', false, ['Scorecard_Key__c'], Object.values(REP_SCORECARD_FIELDS).map((f) => f.name)),
];

/** Fields the companion may write on the package's own objects, and how a record is addressed. */
export const PACKAGE_WRITES: Record<string, { mode: 'update' } | { mode: 'upsert'; externalId: string } | undefined> = {
  Rep_Scorecard__c: { mode: 'upsert', externalId: 'Scorecard_Key__c' },
  // Reviews are the rep's and manager's records: the companion only fills in their measured actuals, by Id.
  Quarterly_Review__c: { mode: 'update' },
  Gate_Milestone__c: { mode: 'update' },
  // Plans and goals are the manager's records: the companion fills in what it measured, by Id.
  Coaching_Plan__c: { mode: 'update' },
  Team_Goal__c: { mode: 'update' },
  Stage_Gate__c: { mode: 'update' },
};

/** Whether the field map (shared/src/fields.ts) lets the companion write the field: the one list, checked last here. */
export const isWritable = (object: string, field: string): boolean => ownedField(object, field) !== undefined;
