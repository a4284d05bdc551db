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
  | 'json'
  | 'date'
  | 'reference';

export interface OwnedField {
  /** The object the field lives on. */
  object: 'Opportunity' | 'User' | 'Rep_Scorecard__c' | 'Quarterly_Review__c' | 'Gate_Milestone__c' | 'Stage_Gate__c' | 'Coaching_Plan__c' | 'Team_Goal__c';
  /** API name without namespace. */
  name: string;
  type: FieldType;
  /** Allowed values for picklists. */
  values?: readonly string[];
  /** Text length limit (text fields). */
  length?: number;
  /**
   * Says *when* the others were computed: written only together with a real change, or every re-run would write.
   */
  stamp?: boolean;
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
  /** Win probability from the leading indicators, calibrated on the org's own closed deals (HubSpot: stagecraft_win_probability). */
  winProbability: opp('Win_Probability__c', 'percent'),
  indicatorsAsOf: opp('Indicators_As_Of__c', 'datetime', { stamp: true }),
  /** Date of the deal's latest Deal_Inspection__c: the "Deals not inspected in 30 days" list view filters on it. */
  lastInspected: opp('Last_Inspected__c', 'date'),
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
  scoresAsOf: user('Scores_As_Of__c', 'datetime', { stamp: true }),
} as const satisfies Record<string, OwnedField>;

const card = (name: string, type: FieldType, extra: Partial<OwnedField> = {}): OwnedField => ({ object: 'Rep_Scorecard__c', name, type, ...extra });

/**
 * The package's own Rep_Scorecard__c, one per rep per weekly period, upserted by Scorecard_Key__c ("<userId>:<period>").
 * Stagecraft owns every field of it.
 */
export const REP_SCORECARD_FIELDS = {
  name: card('Name', 'text', { length: 80 }),
  key: card('Scorecard_Key__c', 'text', { length: 80 }),
  rep: card('Rep__c', 'reference'),
  manager: card('Manager__c', 'reference'),
  period: card('Period__c', 'text', { length: 10 }),
  periodStart: card('Period_Start__c', 'date'),
  isCurrent: card('Is_Current__c', 'checkbox'),
  peerGroup: card('Peer_Group__c', 'text', { length: 80 }),
  behaviourScore: card('Behaviour_Score__c', 'number'),
  pipelineScore: card('Pipeline_Score__c', 'number'),
  accountCoverageScore: card('Account_Coverage_Score__c', 'number'),
  discoveryScore: card('Discovery_Score__c', 'number'),
  stakeholderEngagementScore: card('Stakeholder_Engagement_Score__c', 'number'),
  executiveAccessScore: card('Executive_Access_Score__c', 'number'),
  growthScore: card('Growth_Score__c', 'number'),
  executiveAccessPeerMedian: card('Executive_Access_Peer_Median__c', 'number'),
  coachingDiagnosis: card('Coaching_Diagnosis__c', 'picklist', { values: DIAGNOSES }),
  coachingFocus: card('Coaching_Focus__c', 'text', { length: 255 }),
  scoreBreakdown: card('Score_Breakdown__c', 'json', { length: 131_072 }),
  scoresAsOf: card('Scores_As_Of__c', 'datetime', { stamp: true }),
} as const satisfies Record<string, OwnedField>;

/** Of Quarterly_Review__c, the companion writes only what it measured; the rest belongs to the rep and the manager. */
export const QUARTERLY_REVIEW_FIELDS = {
  measuredActuals: { object: 'Quarterly_Review__c', name: 'Measured_Actuals__c', type: 'json', length: 32_768 },
} as const satisfies Record<string, OwnedField>;

const milestone = (name: string, type: FieldType, extra: Partial<OwnedField> = {}): OwnedField => ({ object: 'Gate_Milestone__c', name, type, ...extra });

/** Of the gate configuration (the admin's records), the companion writes only what it measured and what it rejected. */
export const GATE_MILESTONE_FIELDS = {
  shareOpenDealsMet: milestone('Share_Open_Deals_Met__c', 'percent'),
  winRateMet: milestone('Win_Rate_Met__c', 'percent'),
  winRateMissed: milestone('Win_Rate_Missed__c', 'percent'),
  lift: milestone('Lift__c', 'number'),
  sampleSize: milestone('Sample_Size__c', 'number'),
  predictive: milestone('Predictive__c', 'checkbox'),
  configurationError: milestone('Configuration_Error__c', 'text', { length: 255 }),
  statsAsOf: milestone('Stats_As_Of__c', 'datetime', { stamp: true }),
} as const satisfies Record<string, OwnedField>;

export const PLAN_VERDICTS = ['Moved', 'Not_Moved', 'Too_Early'] as const;
const plan = (name: string, type: FieldType, extra: Partial<OwnedField> = {}): OwnedField => ({ object: 'Coaching_Plan__c', name, type, ...extra });
/** Of a Coaching_Plan__c (the manager's record), the companion writes only what it measured each week and its verdict. */
export const COACHING_PLAN_FIELDS = {
  baseline: plan('Baseline__c', 'number'),
  currentValue: plan('Current_Value__c', 'number'),
  weeklyValues: plan('Weekly_Values__c', 'json', { length: 32_768 }),
  verdict: plan('Verdict__c', 'picklist', { values: PLAN_VERDICTS }),
  verdictDetail: plan('Verdict_Detail__c', 'text', { length: 255 }),
  valuesAsOf: plan('Values_As_Of__c', 'datetime', { stamp: true }),
} as const satisfies Record<string, OwnedField>;
const goal = (name: string, type: FieldType, extra: Partial<OwnedField> = {}): OwnedField => ({ object: 'Team_Goal__c', name, type, ...extra });
/** Of a Team_Goal__c (the manager's record), the companion writes only the measured progress. */
export const TEAM_GOAL_FIELDS = {
  progress: goal('Progress__c', 'json', { length: 32_768 }),
  teamPerWeek: goal('Team_Per_Week__c', 'number'),
  repsOnTarget: goal('Reps_On_Target__c', 'number'),
  progressAsOf: goal('Progress_As_Of__c', 'datetime', { stamp: true }),
} as const satisfies Record<string, OwnedField>;
export const STAGE_GATE_FIELDS = {
  configurationError: { object: 'Stage_Gate__c', name: 'Configuration_Error__c', type: 'text', length: 255 },
} as const satisfies Record<string, OwnedField>;

export type OpportunityFieldKey = keyof typeof OPPORTUNITY_FIELDS;
export type UserFieldKey = keyof typeof USER_FIELDS;

/** The Opportunity and User fields of ARCHITECTURE.md §4: what the package adds to standard objects. */
export const OWNED_FIELDS: readonly OwnedField[] = [...Object.values(OPPORTUNITY_FIELDS), ...Object.values(USER_FIELDS)];

/** Everything Stagecraft may write: the standard-object fields above and its own objects' companion-written fields. */
export const WRITABLE_FIELDS: readonly OwnedField[] = [
  ...OWNED_FIELDS,
  ...Object.values(REP_SCORECARD_FIELDS),
  ...Object.values(QUARTERLY_REVIEW_FIELDS),
  ...Object.values(GATE_MILESTONE_FIELDS),
  ...Object.values(STAGE_GATE_FIELDS),
  ...Object.values(COACHING_PLAN_FIELDS),
  ...Object.values(TEAM_GOAL_FIELDS),
];

/** The names of one object's writable fields. */
export const writableFieldsOf = (object: OwnedField['object']): string[] => WRITABLE_FIELDS.filter((f) => f.object === object).map((f) => f.name);

const byObjectAndName = new Map(WRITABLE_FIELDS.map((f) => [`${f.object}.${f.name}`, f]));

/** The owned field of that object and (un-namespaced) API name, or undefined: the write guard asks this. */
export const ownedField = (object: string, name: string): OwnedField | undefined => byObjectAndName.get(`${object}.${name}`);

/** The API name as the org knows it: `Gate_Status__c`, or `ns__Gate_Status__c` in a managed package. */
export const apiName = (name: string, namespace?: string | null): string => (namespace ? `${namespace}__${name}` : name);

/** A value as it travels between the engine, the planner and an adapter. */
export type FieldValue = string | number | boolean | null;
