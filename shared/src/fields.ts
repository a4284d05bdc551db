// The one field map: every CRM field Stagecraft owns and writes, with its API name and type (ARCHITECTURE.md §4).
// Nothing else is ever written. The namespace prefix of a managed package is applied here, in `apiName`, and nowhere else.

export type FieldType =
  | 'number'
  | 'percent'
  | 'checkbox'
  | 'datetime'
  | 'picklist'
  | 'multipicklist'
  | 'text'
  | 'json';

export interface OwnedField {
  /** The object the field lives on. */
  object: 'Opportunity' | 'User';
  /** API name without namespace. */
  name: string;
  type: FieldType;
  /** Allowed values for picklists. */
  values?: readonly string[];
  /** Text length limit (text fields). */
  length?: number;
}

export const GATE_STATUSES = ['Met', 'In_Progress', 'At_Risk', 'Skipped'] as const;
export type GateStatus = (typeof GATE_STATUSES)[number];

export const RISK_FLAGS = [
  'Single_Threaded',
  'No_Executive',
  'Stalled',
  'No_Next_Step',
  'Gate_Skipped',
  'Close_Date_Slipped',
  'No_Recent_Activity',
] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

export const DIAGNOSES = ['Skill', 'Will', 'Process', 'Circumstance', 'None'] as const;
export type Diagnosis = (typeof DIAGNOSES)[number];

const opp = (name: string, type: FieldType, extra: Partial<OwnedField> = {}): OwnedField => ({ object: 'Opportunity', name, type, ...extra });
const user = (name: string, type: FieldType, extra: Partial<OwnedField> = {}): OwnedField => ({ object: 'User', name, type, ...extra });

export const OPPORTUNITY_FIELDS = {
  gateStatus: opp('Gate_Status__c', 'picklist', { values: GATE_STATUSES }),
  gateMilestonesMet: opp('Gate_Milestones_Met__c', 'number'),
  gateMilestonesRequired: opp('Gate_Milestones_Required__c', 'number'),
  gateScore: opp('Gate_Score__c', 'percent'),
  stakeholdersEngaged: opp('Stakeholders_Engaged__c', 'number'),
  executiveEngaged: opp('Executive_Engaged__c', 'checkbox'),
  daysInStage: opp('Days_In_Stage__c', 'number'),
  nextStepSet: opp('Next_Step_Set__c', 'checkbox'),
  dealRiskFlags: opp('Deal_Risk_Flags__c', 'multipicklist', { values: RISK_FLAGS }),
  nextBestAction: opp('Next_Best_Action__c', 'text', { length: 255 }),
  gateChecklist: opp('Gate_Checklist__c', 'json', { length: 131_072 }),
  indicatorsAsOf: opp('Indicators_As_Of__c', 'datetime'),
} as const satisfies Record<string, OwnedField>;

export const USER_FIELDS = {
  behaviourScore: user('Behaviour_Score__c', 'number'),
  pipelineScore: user('Pipeline_Score__c', 'number'),
  accountCoverageScore: user('Account_Coverage_Score__c', 'number'),
  discoveryScore: user('Discovery_Score__c', 'number'),
  stakeholderEngagementScore: user('Stakeholder_Engagement_Score__c', 'number'),
  executiveAccessScore: user('Executive_Access_Score__c', 'number'),
  growthScore: user('Growth_Score__c', 'number'),
  coachingDiagnosis: user('Coaching_Diagnosis__c', 'picklist', { values: DIAGNOSES }),
  coachingFocus: user('Coaching_Focus__c', 'text', { length: 255 }),
  scoresAsOf: user('Scores_As_Of__c', 'datetime'),
} as const satisfies Record<string, OwnedField>;

export type OpportunityFieldKey = keyof typeof OPPORTUNITY_FIELDS;
export type UserFieldKey = keyof typeof USER_FIELDS;

export const OWNED_FIELDS: readonly OwnedField[] = [...Object.values(OPPORTUNITY_FIELDS), ...Object.values(USER_FIELDS)];

const byObjectAndName = new Map(OWNED_FIELDS.map((f) => [`${f.object}.${f.name}`, f]));

/** The owned field of that object and (un-namespaced) API name, or undefined: the write guard asks this. */
export const ownedField = (object: string, name: string): OwnedField | undefined => byObjectAndName.get(`${object}.${name}`);

/** The API name as the org knows it: `Gate_Status__c`, or `ns__Gate_Status__c` in a managed package. */
export const apiName = (name: string, namespace?: string | null): string => (namespace ? `${namespace}__${name}` : name);

/** A value as it travels between the engine, the planner and an adapter. */
export type FieldValue = string | number | boolean | null;
