// What the package must contain, written down from docs/package-objects.md and ARCHITECTURE.md §4, independently
// of the metadata files, so the tests compare two sources rather than the metadata with itself.
import { fileURLToPath } from 'node:url';

export const FORCE_APP = fileURLToPath(new URL('../../force-app', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ExpectedField {
  object: string;
  name: string;
  /** Salesforce metadata type. */
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
  values?: readonly string[];
  externalId?: boolean;
  unique?: boolean;
  required?: boolean;
  referenceTo?: string;
  relationshipName?: string;
  formula?: boolean;
}

const SCORE_FIELDS = ['Behaviour_Score__c', 'Pipeline_Score__c', 'Account_Coverage_Score__c', 'Discovery_Score__c', 'Stakeholder_Engagement_Score__c', 'Executive_Access_Score__c', 'Growth_Score__c'];
const f = (object: string, name: string, type: string, extra: Omit<ExpectedField, 'object' | 'name' | 'type'> = {}): ExpectedField => ({ object, name, type, ...extra });

/** Every custom field of the package's own objects (not the owned Opportunity/User fields, which come from shared/src/fields.ts). */
export const PACKAGE_OBJECT_FIELDS: readonly ExpectedField[] = [
  f('Stage_Gate__c', 'Gate_Key__c', 'Text', { length: 160, externalId: true, unique: true }),
  f('Stage_Gate__c', 'Sales_Process__c', 'Text', { length: 80 }),
  f('Stage_Gate__c', 'Stage_Name__c', 'Text', { length: 80 }),
  f('Stage_Gate__c', 'Stage_Order__c', 'Number', { precision: 3, scale: 0 }),
  f('Stage_Gate__c', 'Is_Closed__c', 'Checkbox'),
  f('Stage_Gate__c', 'Is_Won__c', 'Checkbox'),
  f('Stage_Gate__c', 'Stall_Factor__c', 'Number', { precision: 4, scale: 2 }),
  f('Stage_Gate__c', 'Executive_Expected__c', 'Checkbox'),
  f('Stage_Gate__c', 'Multi_Threading_Expected__c', 'Checkbox'),
  f('Stage_Gate__c', 'Active__c', 'Checkbox'),
  f('Stage_Gate__c', 'Configuration_Error__c', 'Text', { length: 255 }),

  f('Gate_Milestone__c', 'Stage_Gate__c', 'MasterDetail', { referenceTo: 'Stage_Gate__c', relationshipName: 'Gate_Milestones', required: true }),
  // Unique within its gate only: the same key (next_step_set) closes several gates, so no org-wide uniqueness.
  f('Gate_Milestone__c', 'Milestone_Key__c', 'Text', { length: 80 }),
  f('Gate_Milestone__c', 'Action__c', 'Text', { length: 60 }),
  f('Gate_Milestone__c', 'Required__c', 'Checkbox'),
  f('Gate_Milestone__c', 'Weight__c', 'Number', { precision: 5, scale: 2 }),
  f('Gate_Milestone__c', 'Sort_Order__c', 'Number', { precision: 3, scale: 0 }),
  f('Gate_Milestone__c', 'Attestable__c', 'Checkbox'),
  f('Gate_Milestone__c', 'Rule_Kind__c', 'Picklist', {
    values: ['Field_Present', 'Field_Equals', 'Field_In', 'Field_At_Least', 'Field_At_Most', 'Field_Changed', 'Contact_Roles', 'Stakeholders_Engaged', 'Executive_Engaged', 'Activity', 'Meaningful_Conversation', 'Next_Step_Set', 'Attested', 'Composite'],
  }),
  f('Gate_Milestone__c', 'Rule_Field__c', 'Text', { length: 80 }),
  f('Gate_Milestone__c', 'Rule_Value__c', 'Text', { length: 255 }),
  f('Gate_Milestone__c', 'Rule_Roles__c', 'Text', { length: 255 }),
  f('Gate_Milestone__c', 'Rule_Min_Count__c', 'Number', { precision: 4, scale: 0 }),
  f('Gate_Milestone__c', 'Rule_Window_Days__c', 'Number', { precision: 4, scale: 0 }),
  f('Gate_Milestone__c', 'Rule_Activity_Types__c', 'MultiselectPicklist', { values: ['Call', 'Meeting', 'Email', 'Task'] }),
  f('Gate_Milestone__c', 'Rule_Min_Call_Seconds__c', 'Number', { precision: 5, scale: 0 }),
  f('Gate_Milestone__c', 'Rule_JSON__c', 'LongTextArea', { length: 32768 }),
  f('Gate_Milestone__c', 'Guidance__c', 'LongTextArea', { length: 4000 }),
  f('Gate_Milestone__c', 'Coaching_Questions__c', 'LongTextArea', { length: 4000 }),
  f('Gate_Milestone__c', 'Share_Open_Deals_Met__c', 'Percent', { precision: 5, scale: 2 }),
  f('Gate_Milestone__c', 'Win_Rate_Met__c', 'Percent', { precision: 5, scale: 2 }),
  f('Gate_Milestone__c', 'Win_Rate_Missed__c', 'Percent', { precision: 5, scale: 2 }),
  f('Gate_Milestone__c', 'Lift__c', 'Number', { precision: 6, scale: 2 }),
  f('Gate_Milestone__c', 'Sample_Size__c', 'Number', { precision: 8, scale: 0 }),
  f('Gate_Milestone__c', 'Predictive__c', 'Checkbox'),
  f('Gate_Milestone__c', 'Configuration_Error__c', 'Text', { length: 255 }),
  f('Gate_Milestone__c', 'Stats_As_Of__c', 'DateTime'),

  f('Milestone_Attestation__c', 'Opportunity__c', 'Lookup', { referenceTo: 'Opportunity', relationshipName: 'Milestone_Attestations', required: true }),
  f('Milestone_Attestation__c', 'Milestone_Key__c', 'Text', { length: 80, required: true }),
  f('Milestone_Attestation__c', 'Note__c', 'LongTextArea', { length: 4000 }),

  f('Rep_Scorecard__c', 'Scorecard_Key__c', 'Text', { length: 80, externalId: true, unique: true }),
  f('Rep_Scorecard__c', 'Rep__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Rep_Scorecards' }),
  f('Rep_Scorecard__c', 'Manager__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Team_Scorecards' }),
  f('Rep_Scorecard__c', 'Period__c', 'Text', { length: 10 }),
  f('Rep_Scorecard__c', 'Period_Start__c', 'Date'),
  f('Rep_Scorecard__c', 'Is_Current__c', 'Checkbox'),
  f('Rep_Scorecard__c', 'Peer_Group__c', 'Text', { length: 80 }),
  ...SCORE_FIELDS.map((name) => f('Rep_Scorecard__c', name, 'Number', { precision: 3, scale: 0 })),
  f('Rep_Scorecard__c', 'Executive_Access_Peer_Median__c', 'Number', { precision: 3, scale: 0 }),
  f('Rep_Scorecard__c', 'Below_Peers_Executive_Access__c', 'Checkbox', { formula: true }),
  f('Rep_Scorecard__c', 'Coaching_Diagnosis__c', 'Picklist', { values: ['Skill', 'Will', 'Process', 'Circumstance', 'None'] }),
  f('Rep_Scorecard__c', 'Coaching_Focus__c', 'Text', { length: 255 }),
  f('Rep_Scorecard__c', 'Score_Breakdown__c', 'LongTextArea', { length: 131072 }),
  f('Rep_Scorecard__c', 'Scores_As_Of__c', 'DateTime'),

  f('Quarterly_Review__c', 'Review_Key__c', 'Text', { length: 80, externalId: true, unique: true }),
  f('Quarterly_Review__c', 'Rep__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Quarterly_Reviews' }),
  f('Quarterly_Review__c', 'Quarter__c', 'Text', { length: 7 }),
  f('Quarterly_Review__c', 'Status__c', 'Picklist', { values: ['Draft', 'Submitted', 'Reviewed'] }),
  ...['Objectives__c', 'Measured_Actuals__c', 'What_Worked__c', 'What_Did_Not_Work__c', 'Lessons_Learned__c', 'Next_Quarter_Plan__c', 'Manager_Notes__c'].map((name) =>
    f('Quarterly_Review__c', name, 'LongTextArea', { length: 32768 })),

  f('Coaching_Plan__c', 'Rep__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Coaching_Plans' }),
  f('Coaching_Plan__c', 'Manager__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Coaching_Plans_Led' }),
  f('Coaching_Plan__c', 'Diagnosis__c', 'Picklist', { values: ['Skill', 'Will', 'Process', 'Circumstance', 'None'] }),
  f('Coaching_Plan__c', 'Competency__c', 'Picklist', { values: ['pipeline', 'accountCoverage', 'discovery', 'stakeholderEngagement', 'executiveAccess', 'growth'] }),
  f('Coaching_Plan__c', 'Signal__c', 'Picklist', {
    values: ['selfGeneratedPipeline', 'selfGeneratedAdvance', 'pipelineAhead', 'rolesPerDeal', 'buyerMapped', 'meaningfulConversations', 'conversationRate', 'gatesHonoured', 'nextStepsScheduled', 'stakeholdersPerDeal', 'multiThreadedShare', 'executiveDealShare', 'executiveConversations', 'scoreTrend', 'gapsClosed'],
  }),
  f('Coaching_Plan__c', 'Actions__c', 'LongTextArea', { length: 32768 }),
  f('Coaching_Plan__c', 'Target__c', 'Number', { precision: 12, scale: 2 }),
  f('Coaching_Plan__c', 'Start_Date__c', 'Date'),
  f('Coaching_Plan__c', 'Review_Date__c', 'Date'),
  f('Coaching_Plan__c', 'Status__c', 'Picklist', { values: ['Active', 'Closed'] }),
  f('Coaching_Plan__c', 'Outcome__c', 'Picklist', { values: ['Worked', 'Did_Not_Work'] }),
  f('Coaching_Plan__c', 'Baseline__c', 'Number', { precision: 12, scale: 2 }),
  f('Coaching_Plan__c', 'Current_Value__c', 'Number', { precision: 12, scale: 2 }),
  f('Coaching_Plan__c', 'Weekly_Values__c', 'LongTextArea', { length: 32768 }),
  f('Coaching_Plan__c', 'Verdict__c', 'Picklist', { values: ['Moved', 'Not_Moved', 'Too_Early'] }),
  f('Coaching_Plan__c', 'Verdict_Detail__c', 'Text', { length: 255 }),
  f('Coaching_Plan__c', 'Values_As_Of__c', 'DateTime'),

  f('Team_Goal__c', 'Manager__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Team_Goals' }),
  f('Team_Goal__c', 'Signal__c', 'Picklist', { values: ['meaningfulConversations', 'executiveConversations', 'nextStepsScheduled'] }),
  f('Team_Goal__c', 'Target_Per_Week__c', 'Number', { precision: 6, scale: 1 }),
  f('Team_Goal__c', 'Start_Date__c', 'Date'),
  f('Team_Goal__c', 'End_Date__c', 'Date'),
  f('Team_Goal__c', 'Progress__c', 'LongTextArea', { length: 32768 }),
  f('Team_Goal__c', 'Team_Per_Week__c', 'Number', { precision: 8, scale: 1 }),
  f('Team_Goal__c', 'Reps_On_Target__c', 'Number', { precision: 4, scale: 0 }),
  f('Team_Goal__c', 'Progress_As_Of__c', 'DateTime'),

  f('Deal_Inspection__c', 'Opportunity__c', 'Lookup', { referenceTo: 'Opportunity', relationshipName: 'Deal_Inspections', required: true }),
  f('Deal_Inspection__c', 'Questions_Asked__c', 'LongTextArea', { length: 4000 }),
  f('Deal_Inspection__c', 'Answer__c', 'LongTextArea', { length: 4000 }),
  f('Deal_Inspection__c', 'Inspected_By__c', 'Lookup', { referenceTo: 'User', relationshipName: 'Deal_Inspections_Made' }),
  f('Deal_Inspection__c', 'Inspected_At__c', 'DateTime'),
];

/** The five package objects: label, sharing model and how their Name field is set. */
export const PACKAGE_OBJECTS = {
  Stage_Gate__c: { label: 'Stage Gate', sharingModel: 'ReadWrite', nameType: 'Text' },
  Gate_Milestone__c: { label: 'Gate Milestone', sharingModel: 'ControlledByParent', nameType: 'Text' },
  Milestone_Attestation__c: { label: 'Milestone Attestation', sharingModel: 'Read', nameType: 'AutoNumber' },
  Rep_Scorecard__c: { label: 'Rep Scorecard', sharingModel: 'Private', nameType: 'Text' },
  Quarterly_Review__c: { label: 'Quarterly Review', sharingModel: 'Private', nameType: 'Text' },
  Coaching_Plan__c: { label: 'Coaching Plan', sharingModel: 'Private', nameType: 'Text' },
  Team_Goal__c: { label: 'Team Goal', sharingModel: 'Private', nameType: 'Text' },
  Deal_Inspection__c: { label: 'Deal Inspection', sharingModel: 'Read', nameType: 'AutoNumber' },
} as const;

/**
 * Fields only the companion writes, besides the owned Opportunity and User fields: people read them, the
 * Stagecraft_Integration permission set alone edits them. Formula fields are excluded (nobody edits them).
 */
export const COMPANION_WRITTEN_FIELDS: readonly string[] = [
  ...PACKAGE_OBJECT_FIELDS.filter((x) => x.object === 'Rep_Scorecard__c' && !x.formula).map((x) => `${x.object}.${x.name}`),
  ...['Share_Open_Deals_Met__c', 'Win_Rate_Met__c', 'Win_Rate_Missed__c', 'Lift__c', 'Sample_Size__c', 'Predictive__c', 'Configuration_Error__c', 'Stats_As_Of__c'].map((n) => `Gate_Milestone__c.${n}`),
  'Stage_Gate__c.Configuration_Error__c',
  'Quarterly_Review__c.Measured_Actuals__c',
  ...['Baseline__c', 'Current_Value__c', 'Weekly_Values__c', 'Verdict__c', 'Verdict_Detail__c', 'Values_As_Of__c'].map((n) => `Coaching_Plan__c.${n}`),
  ...['Progress__c', 'Team_Per_Week__c', 'Reps_On_Target__c', 'Progress_As_Of__c'].map((n) => `Team_Goal__c.${n}`),
];

export const LIST_VIEWS = {
  Opportunity: ['Gate_At_Risk', 'Late_Stage_Single_Threaded', 'Missing_Next_Step', 'No_Executive_Mid_Stage', 'Not_Inspected_30_Days', 'Stalled_In_Stage'],
  Rep_Scorecard__c: ['All', 'Below_Peers_Executive_Access', 'Current_Period_My_Team', 'Diagnosis_Skill', 'Diagnosis_Will'],
  Stage_Gate__c: ['All', 'Configuration_Errors'],
  Quarterly_Review__c: ['All', 'Submitted_For_Review'],
  Milestone_Attestation__c: ['All'],
  Coaching_Plan__c: ['All', 'Plans_Due_For_Review'],
  Team_Goal__c: ['All'],
  Deal_Inspection__c: ['All'],
} as const;

export const PERMISSION_SETS = ['Stagecraft_Admin', 'Stagecraft_Integration', 'Stagecraft_Manager', 'Stagecraft_Rep'] as const;
export const PEOPLE_PERMISSION_SETS = ['Stagecraft_Rep', 'Stagecraft_Manager', 'Stagecraft_Admin'] as const;

export const FLEXIPAGES = {
  Stagecraft_Opportunity_Record_Page: { type: 'RecordPage', sobjectType: 'Opportunity', components: ['c:stageGateMilestones', 'c:dealInspection'] },
  Stagecraft_Rep_Scorecard_Record_Page: { type: 'RecordPage', sobjectType: 'Rep_Scorecard__c', components: ['c:repScorecardRecord'] },
  Stagecraft_Rep_Scorecards: { type: 'AppPage', components: ['c:behaviourScorecard', 'c:quarterlyReview', 'c:coachingTeam', 'c:coachingPlans'] },
  Stagecraft_Gate_Designer: { type: 'AppPage', components: ['c:gateDesigner'] },
  Stagecraft_Analytics: { type: 'AppPage', components: ['c:stagecraftAnalytics'] },
} as const;

export const TABS = ['Quarterly_Review__c', 'Rep_Scorecard__c', 'Stage_Gate__c', 'Stagecraft_Analytics', 'Stagecraft_Gate_Designer', 'Stagecraft_Rep_Scorecards'] as const;
