// Describe schemas for the emulated org: the field shape tests give, and a default schema for the standard
// objects Stagecraft reads, the owned Opportunity/User fields (shared/src/fields.ts) and the package's custom objects.
import { OPPORTUNITY_FIELDS, USER_FIELDS, type OwnedField } from '../../../shared/src/fields.ts';

export type SfFieldType =
  | 'id' | 'string' | 'textarea' | 'boolean' | 'int' | 'double' | 'currency' | 'percent' | 'date' | 'datetime'
  | 'picklist' | 'multipicklist' | 'reference' | 'email' | 'phone' | 'url';

export interface PicklistValue {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldSchema {
  name: string;
  type: SfFieldType;
  label?: string;
  updateable?: boolean;
  createable?: boolean;
  nillable?: boolean;
  referenceTo?: string[];
  /** Parent relationship name on a reference field (Account for AccountId). */
  relationshipName?: string | null;
  /** Emulator-only: the child relationship this lookup creates on its parent (OpportunityContactRoles). */
  childRelationshipName?: string;
  picklistValues?: PicklistValue[];
  /** Picklist rejects values outside picklistValues (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST). */
  restrictedPicklist?: boolean;
  externalId?: boolean;
  unique?: boolean;
  length?: number;
  /** Value given on create when the request leaves the field out. */
  defaultValue?: unknown;
}

export interface ObjectSchema {
  name: string;
  label?: string;
  keyPrefix: string;
  custom?: boolean;
  /** Adds OwnerId (reference User). Default true. */
  hasOwner?: boolean;
  /** Adds Name as a required text field. Default true. */
  hasName?: boolean;
  createable?: boolean;
  updateable?: boolean;
  /** Standard objects whose records cannot be deleted through the API (User: deactivated, never deleted). */
  deletable?: boolean;
  /**
   * System fields the object does not have (Object Reference): User has no IsDeleted, OpportunityHistory no
   * LastModifiedDate/LastModifiedById, the field-history objects no SystemModstamp either. A query naming one fails
   * with INVALID_FIELD, as on a real org.
   */
  withoutSystemFields?: ('IsDeleted' | 'LastModifiedDate' | 'LastModifiedById' | 'SystemModstamp')[];
  /**
   * Fields field-level security hides from the integration user: absent from describe and refused in queries with
   * INVALID_FIELD, exactly as a field the org lacks (which is what the API shows such a user).
   */
  hiddenByFieldSecurity?: string[];
  fields: FieldSchema[];
}

export const picklist = (...values: string[]): PicklistValue[] =>
  values.map((v) => ({ value: v, label: v.replace(/_/g, ' '), active: true, defaultValue: false }));

const str = (name: string, length = 255, extra: Partial<FieldSchema> = {}): FieldSchema => ({ name, type: 'string', length, ...extra });
const text = (name: string, length: number): FieldSchema => ({ name, type: 'textarea', length });
const bool = (name: string, defaultValue = false, extra: Partial<FieldSchema> = {}): FieldSchema => ({ name, type: 'boolean', nillable: false, defaultValue, ...extra });
const num = (name: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ name, type: 'double', ...extra });
const date = (name: string, extra: Partial<FieldSchema> = {}): FieldSchema => ({ name, type: 'date', ...extra });
const datetime = (name: string): FieldSchema => ({ name, type: 'datetime' });
const pick = (name: string, values: string[], extra: Partial<FieldSchema> = {}): FieldSchema => ({ name, type: 'picklist', picklistValues: picklist(...values), ...extra });
const ref = (name: string, to: string[], relationshipName: string, childRelationshipName?: string, extra: Partial<FieldSchema> = {}): FieldSchema =>
  ({ name, type: 'reference', referenceTo: to, relationshipName, ...(childRelationshipName ? { childRelationshipName } : {}), ...extra });
const readOnly = { createable: false, updateable: false } as const;
const extId = (name: string, length: number): FieldSchema => str(name, length, { externalId: true, unique: true });

const ownedToSchema = (f: OwnedField): FieldSchema => {
  switch (f.type) {
    case 'number': return num(f.name);
    case 'percent': return { name: f.name, type: 'percent' };
    case 'checkbox': return bool(f.name);
    case 'datetime': return datetime(f.name);
    case 'picklist': return pick(f.name, [...(f.values ?? [])], { restrictedPicklist: true });
    case 'multipicklist': return { name: f.name, type: 'multipicklist', picklistValues: picklist(...(f.values ?? [])), restrictedPicklist: true };
    case 'text': return str(f.name, f.length ?? 255);
    case 'date': return { name: f.name, type: 'date' };
    case 'reference': return ref(f.name, ['User'], f.name.replace(/__c$/, '__r'));
    case 'json': return text(f.name, f.length ?? 131_072);
  }
};

export const OPPORTUNITY_STAGES = [
  'Prospecting', 'Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis',
  'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost',
];

// Users are deactivated, never deleted: the object has no IsDeleted, and DELETE is refused.
const USER: ObjectSchema = {
  name: 'User', keyPrefix: '005', hasOwner: false, hasName: false, deletable: false, withoutSystemFields: ['IsDeleted'],
  fields: [
    { name: 'Name', type: 'string', length: 121, ...readOnly },
    str('FirstName', 40), str('LastName', 80, { nillable: false }), str('Username', 80, { nillable: false, unique: true }),
    { name: 'Email', type: 'email', length: 128 }, str('Title', 80), str('Department', 80), str('Division', 80), bool('IsActive', true),
    ref('ManagerId', ['User'], 'Manager', 'ManagedUsers'), str('UserRoleId', 18), str('ProfileId', 18),
    ...Object.values(USER_FIELDS).map(ownedToSchema),
  ],
};

const ACCOUNT: ObjectSchema = {
  name: 'Account', keyPrefix: '001',
  fields: [
    pick('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']), pick('Industry', ['Technology', 'Finance', 'Healthcare', 'Manufacturing', 'Retail', 'Other']),
    ref('ParentId', ['Account'], 'Parent', 'ChildAccounts'), { name: 'AnnualRevenue', type: 'currency' }, { name: 'NumberOfEmployees', type: 'int' }, str('BillingCountry', 80),
  ],
};

const CONTACT: ObjectSchema = {
  name: 'Contact', keyPrefix: '003', hasName: false,
  fields: [
    { name: 'Name', type: 'string', length: 121, ...readOnly }, str('FirstName', 40), str('LastName', 80, { nillable: false }),
    ref('AccountId', ['Account'], 'Account', 'Contacts'), str('Title', 128), { name: 'Email', type: 'email', length: 80 }, str('Department', 80),
  ],
};

const OPPORTUNITY: ObjectSchema = {
  name: 'Opportunity', keyPrefix: '006',
  fields: [
    ref('AccountId', ['Account'], 'Account', 'Opportunities'), pick('StageName', OPPORTUNITY_STAGES, { nillable: false }),
    { name: 'Amount', type: 'currency' }, { name: 'Probability', type: 'percent' }, date('CloseDate', { nillable: false }),
    bool('IsClosed', false, readOnly), bool('IsWon', false, readOnly), pick('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed']),
    str('NextStep', 255), pick('Type', ['New Business', 'Existing Business']), pick('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Other']),
    date('LastActivityDate', readOnly), datetime('LastStageChangeDate'), text('Description', 32_000),
    ...Object.values(OPPORTUNITY_FIELDS).map(ownedToSchema),
  ],
};

const OPPORTUNITY_HISTORY: ObjectSchema = {
  name: 'OpportunityHistory', keyPrefix: '008', hasOwner: false, hasName: false, createable: false, updateable: false,
  withoutSystemFields: ['LastModifiedDate', 'LastModifiedById'],
  fields: [
    ref('OpportunityId', ['Opportunity'], 'Opportunity', 'OpportunityHistories', readOnly), { ...pick('StageName', OPPORTUNITY_STAGES), ...readOnly },
    { name: 'Amount', type: 'currency', ...readOnly }, { name: 'Probability', type: 'percent', ...readOnly }, date('CloseDate', readOnly),
    { name: 'ExpectedRevenue', type: 'currency', ...readOnly }, { ...str('ForecastCategory', 40), ...readOnly },
  ],
};

// Field history tracking: rows only for the fields the admin tracks (Org.trackedOpportunityFields). History rows never
// change, so the object has neither LastModifiedDate nor SystemModstamp: incremental reads go by CreatedDate.
const OPPORTUNITY_FIELD_HISTORY: ObjectSchema = {
  name: 'OpportunityFieldHistory', keyPrefix: '017', hasOwner: false, hasName: false, createable: false, updateable: false,
  withoutSystemFields: ['LastModifiedDate', 'LastModifiedById', 'SystemModstamp'],
  fields: [
    ref('OpportunityId', ['Opportunity'], 'Opportunity', 'Histories', readOnly), { ...str('Field', 255), type: 'picklist', ...readOnly },
    { ...str('DataType', 40), type: 'picklist', ...readOnly }, { ...str('OldValue', 255), ...readOnly }, { ...str('NewValue', 255), ...readOnly },
  ],
};

const OPPORTUNITY_CONTACT_ROLE: ObjectSchema = {
  name: 'OpportunityContactRole', keyPrefix: '00K', hasOwner: false, hasName: false,
  fields: [
    ref('OpportunityId', ['Opportunity'], 'Opportunity', 'OpportunityContactRoles', { nillable: false }),
    ref('ContactId', ['Contact'], 'Contact', 'OpportunityContactRoles', { nillable: false }),
    pick('Role', ['Business User', 'Decision Maker', 'Economic Buyer', 'Economic Decision Maker', 'Evaluator', 'Executive Sponsor', 'Influencer', 'Technical Buyer', 'Other']),
    bool('IsPrimary'),
  ],
};

const TASK: ObjectSchema = {
  name: 'Task', keyPrefix: '00T', hasName: false,
  fields: [
    str('Subject', 255), ref('WhoId', ['Contact', 'Lead'], 'Who', 'Tasks'), ref('WhatId', ['Opportunity', 'Account'], 'What', 'Tasks'),
    // AccountId is derived by Salesforce from WhatId/WhoId: read-only through the API.
    ref('AccountId', ['Account'], 'Account', undefined, readOnly),
    date('ActivityDate'), pick('Status', ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], { nillable: false, defaultValue: 'Not Started' }),
    pick('Type', ['Call', 'Meeting', 'Email', 'Other']), pick('TaskSubtype', ['Task', 'Email', 'Call', 'ListEmail', 'Cadence']),
    { name: 'CallDurationInSeconds', type: 'int' }, str('CallDisposition', 255), pick('CallType', ['Internal', 'Inbound', 'Outbound']),
    bool('IsClosed', false, readOnly), bool('IsArchived', false, readOnly), text('Description', 32_000), datetime('CompletedDateTime'),
  ],
};

const EVENT: ObjectSchema = {
  name: 'Event', keyPrefix: '00U', hasName: false,
  fields: [
    str('Subject', 255), ref('WhoId', ['Contact', 'Lead'], 'Who', 'Events'), ref('WhatId', ['Opportunity', 'Account'], 'What', 'Events'),
    ref('AccountId', ['Account'], 'Account', undefined, readOnly),
    datetime('ActivityDateTime'), date('ActivityDate'), { name: 'DurationInMinutes', type: 'int' }, datetime('StartDateTime'), datetime('EndDateTime'),
    pick('Type', ['Call', 'Meeting', 'Email', 'Other']), pick('EventSubtype', ['Event']), bool('IsArchived', false, readOnly), text('Description', 32_000),
  ],
};

const TASK_RELATION: ObjectSchema = {
  name: 'TaskRelation', keyPrefix: '0RT', hasOwner: false, hasName: false,
  fields: [
    ref('TaskId', ['Task'], 'Task', 'TaskRelations', { nillable: false, updateable: false }),
    ref('RelationId', ['Contact', 'Lead', 'Account', 'Opportunity', 'User'], 'Relation', undefined, { nillable: false, updateable: false }),
    bool('IsWhat', false, readOnly), ref('AccountId', ['Account'], 'Account', undefined, readOnly),
  ],
};

const EVENT_RELATION: ObjectSchema = {
  name: 'EventRelation', keyPrefix: '0RE', hasOwner: false, hasName: false,
  fields: [
    ref('EventId', ['Event'], 'Event', 'EventRelations', { nillable: false, updateable: false }),
    ref('RelationId', ['Contact', 'Lead', 'Account', 'Opportunity', 'User'], 'Relation', undefined, { nillable: false, updateable: false }),
    bool('IsWhat', false, readOnly), bool('IsParent'), bool('IsInvitee'), pick('Status', ['New', 'Declined', 'Accepted']), ref('AccountId', ['Account'], 'Account', undefined, readOnly),
  ],
};

// Package objects (briefs/package-objects.md). Key prefixes are made up but stable.
const STAGE_GATE: ObjectSchema = {
  name: 'Stage_Gate__c', label: 'Stage Gate', keyPrefix: 'a0A', custom: true,
  fields: [
    extId('Gate_Key__c', 160), str('Sales_Process__c', 80), str('Stage_Name__c', 80), num('Stage_Order__c'),
    bool('Is_Closed__c'), bool('Is_Won__c'), num('Stall_Factor__c', { defaultValue: 2 }), bool('Active__c', true), str('Configuration_Error__c', 255),
    bool('Executive_Expected__c'), bool('Multi_Threading_Expected__c'),
  ],
};

const GATE_MILESTONE: ObjectSchema = {
  name: 'Gate_Milestone__c', label: 'Gate Milestone', keyPrefix: 'a0B', custom: true, hasOwner: false,
  fields: [
    ref('Stage_Gate__c', ['Stage_Gate__c'], 'Stage_Gate__r', 'Gate_Milestones__r', { nillable: false }),
    extId('Milestone_Key__c', 80), str('Action__c', 60), bool('Required__c'), num('Weight__c'), num('Sort_Order__c'), bool('Attestable__c'),
    pick('Rule_Kind__c', ['Field_Present', 'Field_Equals', 'Field_In', 'Field_At_Least', 'Field_At_Most', 'Field_Changed', 'Contact_Roles', 'Stakeholders_Engaged',
      'Executive_Engaged', 'Activity', 'Meaningful_Conversation', 'Next_Step_Set', 'Attested', 'Composite'], { restrictedPicklist: true }),
    str('Rule_Field__c', 80), str('Rule_Value__c', 255), str('Rule_Roles__c', 255), num('Rule_Min_Count__c'), num('Rule_Window_Days__c'),
    { name: 'Rule_Activity_Types__c', type: 'multipicklist', picklistValues: picklist('Call', 'Meeting', 'Email', 'Task'), restrictedPicklist: true },
    num('Rule_Min_Call_Seconds__c'), text('Rule_JSON__c', 32_768), text('Guidance__c', 4000), text('Coaching_Questions__c', 4000),
    { name: 'Share_Open_Deals_Met__c', type: 'percent' }, { name: 'Win_Rate_Met__c', type: 'percent' }, { name: 'Win_Rate_Missed__c', type: 'percent' },
    num('Lift__c'), num('Sample_Size__c'), bool('Predictive__c'), str('Configuration_Error__c', 255), datetime('Stats_As_Of__c'),
  ],
};

const MILESTONE_ATTESTATION: ObjectSchema = {
  name: 'Milestone_Attestation__c', label: 'Milestone Attestation', keyPrefix: 'a0C', custom: true, hasName: false,
  fields: [
    { name: 'Name', type: 'string', length: 80, ...readOnly },
    ref('Opportunity__c', ['Opportunity'], 'Opportunity__r', 'Milestone_Attestations__r', { nillable: false }),
    str('Milestone_Key__c', 80, { nillable: false }), text('Note__c', 4000),
  ],
};

const REP_SCORECARD: ObjectSchema = {
  name: 'Rep_Scorecard__c', label: 'Rep Scorecard', keyPrefix: 'a0D', custom: true,
  fields: [
    extId('Scorecard_Key__c', 80), ref('Rep__c', ['User'], 'Rep__r', 'Rep_Scorecards__r'), ref('Manager__c', ['User'], 'Manager__r', 'Team_Scorecards__r'),
    str('Period__c', 10), date('Period_Start__c'), bool('Is_Current__c'), str('Peer_Group__c', 80),
    ...['Behaviour_Score__c', 'Pipeline_Score__c', 'Account_Coverage_Score__c', 'Discovery_Score__c', 'Stakeholder_Engagement_Score__c',
      'Executive_Access_Score__c', 'Growth_Score__c', 'Executive_Access_Peer_Median__c'].map((n) => num(n)),
    bool('Below_Peers_Executive_Access__c', false, readOnly),
    pick('Coaching_Diagnosis__c', ['Skill', 'Will', 'Process', 'Circumstance', 'None'], { restrictedPicklist: true }),
    str('Coaching_Focus__c', 255), text('Score_Breakdown__c', 131_072), datetime('Scores_As_Of__c'),
  ],
};

const QUARTERLY_REVIEW: ObjectSchema = {
  name: 'Quarterly_Review__c', label: 'Quarterly Review', keyPrefix: 'a0E', custom: true,
  fields: [
    extId('Review_Key__c', 80), ref('Rep__c', ['User'], 'Rep__r', 'Quarterly_Reviews__r'), str('Quarter__c', 7),
    pick('Status__c', ['Draft', 'Submitted', 'Reviewed'], { restrictedPicklist: true }),
    ...['Objectives__c', 'Measured_Actuals__c', 'What_Worked__c', 'What_Did_Not_Work__c', 'Lessons_Learned__c', 'Next_Quarter_Plan__c', 'Manager_Notes__c'].map((n) => text(n, 32_768)),
  ],
};

const SIGNAL_KEYS = ['selfGeneratedPipeline', 'selfGeneratedAdvance', 'pipelineAhead', 'rolesPerDeal', 'buyerMapped', 'meaningfulConversations', 'conversationRate', 'gatesHonoured',
  'nextStepsScheduled', 'stakeholdersPerDeal', 'multiThreadedShare', 'executiveDealShare', 'executiveConversations', 'scoreTrend', 'gapsClosed'];

const COACHING_PLAN: ObjectSchema = {
  name: 'Coaching_Plan__c', label: 'Coaching Plan', keyPrefix: 'a0F', custom: true,
  fields: [
    ref('Rep__c', ['User'], 'Rep__r', 'Coaching_Plans__r'), ref('Manager__c', ['User'], 'Manager__r', 'Coaching_Plans_Led__r'),
    pick('Diagnosis__c', ['Skill', 'Will', 'Process', 'Circumstance', 'None'], { restrictedPicklist: true }),
    pick('Competency__c', ['pipeline', 'accountCoverage', 'discovery', 'stakeholderEngagement', 'executiveAccess', 'growth'], { restrictedPicklist: true }),
    pick('Signal__c', SIGNAL_KEYS, { restrictedPicklist: true }), text('Actions__c', 32_768), num('Target__c'), date('Start_Date__c'), date('Review_Date__c'),
    pick('Status__c', ['Active', 'Closed'], { restrictedPicklist: true }), pick('Outcome__c', ['Worked', 'Did_Not_Work'], { restrictedPicklist: true }),
    num('Baseline__c'), num('Current_Value__c'), text('Weekly_Values__c', 32_768), pick('Verdict__c', ['Moved', 'Not_Moved', 'Too_Early'], { restrictedPicklist: true }),
    str('Verdict_Detail__c', 255), datetime('Values_As_Of__c'),
  ],
};

const TEAM_GOAL: ObjectSchema = {
  name: 'Team_Goal__c', label: 'Team Goal', keyPrefix: 'a0G', custom: true,
  fields: [
    ref('Manager__c', ['User'], 'Manager__r', 'Team_Goals__r'), pick('Signal__c', ['meaningfulConversations', 'executiveConversations', 'nextStepsScheduled'], { restrictedPicklist: true }),
    num('Target_Per_Week__c'), date('Start_Date__c'), date('End_Date__c'), text('Progress__c', 32_768), num('Team_Per_Week__c'), num('Reps_On_Target__c'), datetime('Progress_As_Of__c'),
  ],
};

const DEAL_INSPECTION: ObjectSchema = {
  name: 'Deal_Inspection__c', label: 'Deal Inspection', keyPrefix: 'a0H', custom: true, hasName: false,
  fields: [
    { name: 'Name', type: 'string', length: 80, ...readOnly },
    ref('Opportunity__c', ['Opportunity'], 'Opportunity__r', 'Deal_Inspections__r', { nillable: false }),
    text('Questions_Asked__c', 4000), text('Answer__c', 4000), ref('Inspected_By__c', ['User'], 'Inspected_By__r', 'Deal_Inspections_Made__r'), datetime('Inspected_At__c'),
  ],
};

/** A fresh copy of the default schema (tests may mutate theirs). */
export const defaultSchema = (): ObjectSchema[] =>
  structuredClone([
    USER, ACCOUNT, CONTACT, OPPORTUNITY, OPPORTUNITY_HISTORY, OPPORTUNITY_FIELD_HISTORY, OPPORTUNITY_CONTACT_ROLE, TASK, EVENT, TASK_RELATION, EVENT_RELATION,
    STAGE_GATE, GATE_MILESTONE, MILESTONE_ATTESTATION, REP_SCORECARD, QUARTERLY_REVIEW, COACHING_PLAN, TEAM_GOAL, DEAL_INSPECTION,
  ]);
