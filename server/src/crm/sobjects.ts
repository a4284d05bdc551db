// Salesforce's object shape as Stagecraft reads it: the embedded demo org stores one table per sObject with these
// columns (so import and export speak Data Loader's CSV dialect), and the Salesforce connector reads these fields.
import { COACHING_PLAN_FIELDS, OWNED_FIELDS, REP_SCORECARD_FIELDS, TEAM_GOAL_FIELDS, type OwnedField } from '../../../shared/src/fields.ts';

export type SfType = 'id' | 'string' | 'textarea' | 'reference' | 'date' | 'datetime' | 'double' | 'int' | 'boolean' | 'picklist' | 'multipicklist';

export interface SfField {
  name: string;
  type: SfType;
  /** Import rejects a row without it. */
  required?: boolean;
  /** For references: the object the id must exist in, checked on import when that object's file is part of it. */
  referenceTo?: SfObjectName;
}

export const OBJECT_NAMES = ['User', 'Account', 'Contact', 'Opportunity', 'OpportunityHistory', 'OpportunityFieldHistory', 'OpportunityContactRole', 'Task', 'Event', 'Milestone_Attestation__c', 'Rep_Scorecard__c', 'Quarterly_Review__c', 'Coaching_Plan__c', 'Team_Goal__c', 'Deal_Inspection__c'] as const;
export type SfObjectName = (typeof OBJECT_NAMES)[number];

const f = (name: string, type: SfType, extra: Omit<SfField, 'name' | 'type'> = {}): SfField => ({ name, type, ...extra });

const OWNED_TYPE: Record<OwnedField['type'], SfType> = {
  number: 'double',
  percent: 'double',
  checkbox: 'boolean',
  datetime: 'datetime',
  picklist: 'picklist',
  multipicklist: 'multipicklist',
  text: 'string',
  json: 'textarea',
  date: 'date',
  reference: 'reference',
};
const owned = (object: OwnedField['object']): SfField[] => OWNED_FIELDS.filter((o) => o.object === object).map((o) => f(o.name, OWNED_TYPE[o.type]));

export const OBJECTS: Record<SfObjectName, SfField[]> = {
  User: [
    f('Id', 'id', { required: true }),
    f('Name', 'string', { required: true }),
    f('FirstName', 'string'),
    f('LastName', 'string'),
    f('Email', 'string'),
    f('Title', 'string'),
    f('Department', 'string'),
    f('Division', 'string'),
    f('ManagerId', 'reference', { referenceTo: 'User' }),
    f('IsActive', 'boolean'),
    // Salesforce has no hire date; the user record's creation is the closest standard stand-in for "started".
    f('CreatedDate', 'datetime'),
    ...owned('User'),
  ],
  Account: [
    f('Id', 'id', { required: true }),
    f('Name', 'string', { required: true }),
    f('Industry', 'string'),
    f('Type', 'string'),
    f('OwnerId', 'reference', { referenceTo: 'User' }),
    f('ParentId', 'reference', { referenceTo: 'Account' }),
    f('AnnualRevenue', 'double'),
    f('NumberOfEmployees', 'int'),
    f('BillingCountry', 'string'),
    f('CreatedDate', 'datetime'),
  ],
  Contact: [
    f('Id', 'id', { required: true }),
    f('AccountId', 'reference', { referenceTo: 'Account' }),
    f('FirstName', 'string'),
    f('LastName', 'string', { required: true }),
    f('Name', 'string'),
    f('Title', 'string'),
    f('Department', 'string'),
    f('Email', 'string'),
    f('CreatedDate', 'datetime'),
  ],
  Opportunity: [
    f('Id', 'id', { required: true }),
    f('Name', 'string', { required: true }),
    f('AccountId', 'reference', { referenceTo: 'Account' }),
    f('OwnerId', 'reference', { referenceTo: 'User' }),
    f('CreatedById', 'reference', { referenceTo: 'User' }),
    f('StageName', 'picklist', { required: true }),
    f('Amount', 'double'),
    f('Probability', 'double'),
    f('CloseDate', 'date', { required: true }),
    f('CreatedDate', 'datetime', { required: true }),
    f('NextStep', 'string'),
    f('IsClosed', 'boolean'),
    f('IsWon', 'boolean'),
    f('LeadSource', 'string'),
    f('Type', 'string'),
    f('Description', 'textarea'),
    // The sales process a deal follows (Salesforce: its record type's process). Blank means the default process.
    f('Sales_Process__c', 'string'),
    ...owned('Opportunity'),
  ],
  OpportunityHistory: [
    f('Id', 'id', { required: true }),
    f('OpportunityId', 'reference', { required: true, referenceTo: 'Opportunity' }),
    f('StageName', 'picklist', { required: true }),
    f('CreatedDate', 'datetime', { required: true }),
    f('CreatedById', 'reference'),
    f('Amount', 'double'),
    f('Probability', 'double'),
    f('CloseDate', 'date'),
    f('ForecastCategory', 'string'),
  ],
  // Field history tracking: only the fields the admin tracks. Values are text, as Salesforce keeps them.
  OpportunityFieldHistory: [
    f('Id', 'id', { required: true }),
    f('OpportunityId', 'reference', { required: true, referenceTo: 'Opportunity' }),
    f('Field', 'string', { required: true }),
    f('DataType', 'string'),
    f('OldValue', 'string'),
    f('NewValue', 'string'),
    f('CreatedById', 'reference'),
    f('CreatedDate', 'datetime', { required: true }),
  ],
  OpportunityContactRole: [
    f('Id', 'id', { required: true }),
    f('OpportunityId', 'reference', { required: true, referenceTo: 'Opportunity' }),
    f('ContactId', 'reference', { required: true, referenceTo: 'Contact' }),
    f('Role', 'picklist'),
    f('IsPrimary', 'boolean'),
    f('CreatedDate', 'datetime'),
  ],
  // WhatId and WhoId are polymorphic (a Task may hang off a Case or a Lead), so they are kept but not checked.
  Task: [
    f('Id', 'id', { required: true }),
    f('Subject', 'string'),
    f('WhoId', 'reference'),
    f('WhatId', 'reference'),
    f('AccountId', 'reference'),
    f('OwnerId', 'reference', { referenceTo: 'User' }),
    f('ActivityDate', 'date'),
    f('Status', 'picklist'),
    f('IsClosed', 'boolean'),
    f('TaskSubtype', 'picklist'),
    f('Type', 'picklist'),
    f('CallDurationInSeconds', 'int'),
    f('CallDisposition', 'string'),
    f('CallType', 'picklist'),
    f('Description', 'textarea'),
    f('CreatedDate', 'datetime'),
  ],
  Event: [
    f('Id', 'id', { required: true }),
    f('Subject', 'string'),
    f('WhoId', 'reference'),
    f('WhatId', 'reference'),
    f('AccountId', 'reference'),
    f('OwnerId', 'reference', { referenceTo: 'User' }),
    f('ActivityDateTime', 'datetime'),
    f('ActivityDate', 'date'),
    f('DurationInMinutes', 'int'),
    f('Type', 'picklist'),
    f('Description', 'textarea'),
    f('CreatedDate', 'datetime'),
  ],
  Milestone_Attestation__c: [
    f('Id', 'id', { required: true }),
    f('Opportunity__c', 'reference', { required: true, referenceTo: 'Opportunity' }),
    f('Milestone_Key__c', 'string', { required: true }),
    f('Note__c', 'textarea'),
    f('CreatedById', 'reference'),
    f('CreatedDate', 'datetime', { required: true }),
  ],
  // The package's own objects: scorecards the companion writes, reviews reps and managers write.
  Rep_Scorecard__c: [
    f('Id', 'id', { required: true }),
    ...Object.values(REP_SCORECARD_FIELDS).map((o) => f(o.name, OWNED_TYPE[o.type], o.name === 'Rep__c' ? { referenceTo: 'User' } : {})),
  ],
  Quarterly_Review__c: [
    f('Id', 'id', { required: true }),
    f('Name', 'string'),
    f('Review_Key__c', 'string', { required: true }),
    f('Rep__c', 'reference', { required: true, referenceTo: 'User' }),
    f('Quarter__c', 'string', { required: true }),
    f('Status__c', 'picklist'),
    f('Objectives__c', 'textarea'),
    f('Measured_Actuals__c', 'textarea'),
    f('What_Worked__c', 'textarea'),
    f('What_Did_Not_Work__c', 'textarea'),
    f('Lessons_Learned__c', 'textarea'),
    f('Next_Quarter_Plan__c', 'textarea'),
    f('Manager_Notes__c', 'textarea'),
    f('CreatedDate', 'datetime'),
  ],
  // The coaching loop: plans and goals are the manager's records (the companion fills in what it measured);
  // inspections are the manager's alone.
  Coaching_Plan__c: [
    f('Id', 'id', { required: true }),
    f('Name', 'string'),
    f('Rep__c', 'reference', { required: true, referenceTo: 'User' }),
    f('Manager__c', 'reference', { referenceTo: 'User' }),
    f('Diagnosis__c', 'picklist'),
    f('Competency__c', 'picklist'),
    f('Signal__c', 'picklist', { required: true }),
    f('Actions__c', 'textarea'),
    f('Target__c', 'double'),
    f('Start_Date__c', 'date', { required: true }),
    f('Review_Date__c', 'date'),
    f('Status__c', 'picklist'),
    f('Outcome__c', 'picklist'),
    ...Object.values(COACHING_PLAN_FIELDS).map((o) => f(o.name, OWNED_TYPE[o.type])),
    f('CreatedDate', 'datetime'),
  ],
  Team_Goal__c: [
    f('Id', 'id', { required: true }),
    f('Name', 'string'),
    f('Manager__c', 'reference', { required: true, referenceTo: 'User' }),
    f('Signal__c', 'picklist', { required: true }),
    f('Target_Per_Week__c', 'double', { required: true }),
    f('Start_Date__c', 'date', { required: true }),
    f('End_Date__c', 'date', { required: true }),
    ...Object.values(TEAM_GOAL_FIELDS).map((o) => f(o.name, OWNED_TYPE[o.type])),
    f('CreatedDate', 'datetime'),
  ],
  Deal_Inspection__c: [
    f('Id', 'id', { required: true }),
    f('Name', 'string'),
    f('Opportunity__c', 'reference', { required: true, referenceTo: 'Opportunity' }),
    f('Questions_Asked__c', 'textarea'),
    f('Answer__c', 'textarea'),
    f('Inspected_By__c', 'reference', { referenceTo: 'User' }),
    f('Inspected_At__c', 'datetime', { required: true }),
    f('CreatedDate', 'datetime'),
  ],
};

/**
 * Opportunity's other documented standard fields (Object Reference), beyond the ones above: an import keeps any of
 * them it finds, because a playbook rule may name them (Type is above; ForecastCategoryName, TotalOpportunityQuantity …).
 * Feature-dependent ones (CurrencyIsoCode, RecordTypeId) are here too: an org that has them exports them.
 */
export const OPPORTUNITY_STANDARD_FIELDS: readonly SfField[] = [
  f('ForecastCategoryName', 'picklist'), f('ForecastCategory', 'picklist'), f('ExpectedRevenue', 'double'), f('TotalOpportunityQuantity', 'double'),
  f('CampaignId', 'reference'), f('ContactId', 'reference'), f('ContractId', 'reference'), f('Pricebook2Id', 'reference'), f('RecordTypeId', 'reference'),
  f('IsPrivate', 'boolean'), f('HasOpportunityLineItem', 'boolean'), f('HasOpenActivity', 'boolean'), f('HasOverdueTask', 'boolean'),
  f('LastActivityDate', 'date'), f('LastStageChangeDate', 'datetime'), f('Fiscal', 'string'), f('FiscalQuarter', 'int'), f('FiscalYear', 'int'),
  f('PushCount', 'int'), f('AgeInDays', 'int'), f('CurrencyIsoCode', 'picklist'),
];

/** The CSV file of an object in an import/export folder. */
export const fileOf = (object: SfObjectName): string => `${object}.csv`;

/** Salesforce key prefixes, so generated and emulated ids look and behave like real ones. */
export const KEY_PREFIX: Record<SfObjectName, string> = {
  User: '005',
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  OpportunityHistory: '008',
  OpportunityFieldHistory: '017',
  OpportunityContactRole: '00K',
  Task: '00T',
  Event: '00U',
  Milestone_Attestation__c: 'a0C',
  Rep_Scorecard__c: 'a0D',
  Quarterly_Review__c: 'a0E',
  Coaching_Plan__c: 'a0F',
  Team_Goal__c: 'a0G',
  Deal_Inspection__c: 'a0H',
};
