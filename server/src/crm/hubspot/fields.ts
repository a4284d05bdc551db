// The HubSpot field map: each deal property Stagecraft owns (group `stagecraft`, ARCHITECTURE §4) ⇄ the logical
// Opportunity field of shared/src/fields.ts, with its HubSpot type; and the HubSpot properties the reader asks for.
// Statuses and flags are enumerations so saved views can filter by them. Nothing outside this list is ever written.
import { OPPORTUNITY_FIELDS, type FieldValue, type OwnedField } from '../../../../shared/src/fields.ts';

export const PROPERTY_GROUP = { name: 'stagecraft', label: 'Stagecraft', displayOrder: -1 } as const;

export interface HubSpotProperty {
  /** HubSpot internal name. */
  name: string;
  /** The logical field (Salesforce API name without namespace) it carries. */
  field: OwnedField;
  label: string;
  description: string;
  type: 'enumeration' | 'number' | 'bool' | 'datetime' | 'string';
  fieldType: 'select' | 'checkbox' | 'number' | 'booleancheckbox' | 'date' | 'text' | 'textarea';
}

const prop = (name: string, field: OwnedField, label: string, description: string): HubSpotProperty => {
  const byType: Record<string, Pick<HubSpotProperty, 'type' | 'fieldType'>> = {
    picklist: { type: 'enumeration', fieldType: 'select' },
    multipicklist: { type: 'enumeration', fieldType: 'checkbox' },
    number: { type: 'number', fieldType: 'number' },
    percent: { type: 'number', fieldType: 'number' },
    checkbox: { type: 'bool', fieldType: 'booleancheckbox' },
    datetime: { type: 'datetime', fieldType: 'date' },
    text: { type: 'string', fieldType: 'text' },
    json: { type: 'string', fieldType: 'textarea' },
  };
  return { name, field, label, description, ...byType[field.type]! };
};

const F = OPPORTUNITY_FIELDS;
export const DEAL_PROPERTIES: readonly HubSpotProperty[] = [
  prop('stagecraft_gate_status', F.gateStatus, 'Gate status', "The current stage's exit gate: Met, In progress, At risk, or Skipped (advanced past an unmet gate)"),
  prop('stagecraft_gate_milestones_met', F.gateMilestonesMet, 'Gate milestones met', 'Required milestones of the current gate that are met'),
  prop('stagecraft_gate_milestones_required', F.gateMilestonesRequired, 'Gate milestones required', 'Required milestones of the current gate'),
  prop('stagecraft_gate_score', F.gateScore, 'Gate score', "Weighted share (0–100) of the current gate's milestones met"),
  prop('stagecraft_stakeholders_engaged', F.stakeholdersEngaged, 'Stakeholders engaged', 'Distinct contacts engaged in held activities in the last 30 days'),
  prop('stagecraft_executive_engaged', F.executiveEngaged, 'Executive engaged', 'One of the engaged contacts is director level or above'),
  prop('stagecraft_days_in_stage', F.daysInStage, 'Days in stage', 'Whole days since the deal last entered its current stage'),
  prop('stagecraft_next_step_set', F.nextStepSet, 'Next step set', 'A next step is recorded and a future task or meeting is scheduled'),
  prop('stagecraft_deal_risk_flags', F.dealRiskFlags, 'Deal risk flags', 'Risk flags raised on this deal'),
  prop('stagecraft_next_best_action', F.nextBestAction, 'Next best action', 'The single most valuable thing the rep can do next'),
  prop('stagecraft_gate_checklist', F.gateChecklist, 'Gate checklist', 'JSON the Stagecraft card renders: milestones, status, evidence, guidance'),
  prop('stagecraft_win_probability', F.winProbability, 'Win probability', "Win probability (0–100) calibrated on the portal's own closed deals"),
  prop('stagecraft_indicators_as_of', F.indicatorsAsOf, 'Indicators as of', 'When these values were computed'),
];

const byField = new Map(DEAL_PROPERTIES.map((p) => [p.field.name, p]));
const byName = new Map(DEAL_PROPERTIES.map((p) => [p.name, p]));

/** The property carrying a logical Opportunity field; undefined for anything Stagecraft does not own. */
export const dealPropertyOf = (field: string): HubSpotProperty | undefined => byField.get(field);
export const ownedPropertyNamed = (name: string): HubSpotProperty | undefined => byName.get(name);

/** Enumeration options: the same value sets as the Salesforce picklists (label = value with spaces). */
export const optionsOf = (p: HubSpotProperty): { label: string; value: string; displayOrder: number }[] | undefined => {
  if (p.type === 'bool') return [{ label: 'Yes', value: 'true', displayOrder: 0 }, { label: 'No', value: 'false', displayOrder: 1 }];
  return p.field.values?.map((v, i) => ({ label: v.replace(/_/g, ' '), value: v, displayOrder: i }));
};

/** A computed value as HubSpot stores it: strings on the wire, `;` between checkbox values, '' clears. */
export const toHubSpot = (p: HubSpotProperty, value: FieldValue): string => {
  if (value === null || value === undefined || value === '') return '';
  if (p.type === 'bool') return value === true || value === 'true' ? 'true' : 'false';
  if (p.type === 'datetime') return new Date(String(value)).toISOString();
  if (p.type === 'number') return String(Math.round(Number(value) * 100) / 100);
  // HubSpot string properties hold up to 65,536 characters.
  return String(value).slice(0, p.fieldType === 'textarea' ? 65_536 : p.field.length ?? 255);
};

// ---- what the reader asks for ----

export const DEAL_READ_PROPERTIES = ['dealname', 'dealstage', 'pipeline', 'amount', 'closedate', 'createdate', 'hs_next_step', 'hubspot_owner_id', 'hs_created_by_user_id', 'hs_lastmodifieddate', 'hs_object_id', 'hs_deal_stage_probability', ...DEAL_PROPERTIES.map((p) => p.name)];
export const DEAL_HISTORY_PROPERTIES = ['dealstage', 'amount', 'closedate'];
export const COMPANY_READ_PROPERTIES = ['name', 'industry', 'annualrevenue', 'numberofemployees', 'hubspot_owner_id'];
export const CONTACT_READ_PROPERTIES = ['firstname', 'lastname', 'email', 'jobtitle', 'associatedcompanyid'];

/** Engagement objects and the properties read from each (HubSpot names them per object). */
export const ENGAGEMENT_TYPES = ['calls', 'meetings', 'emails', 'notes', 'tasks'] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];
export const ENGAGEMENT_READ_PROPERTIES: Record<EngagementType, string[]> = {
  calls: ['hs_timestamp', 'hs_createdate', 'hubspot_owner_id', 'hs_call_title', 'hs_call_duration', 'hs_call_disposition', 'hs_call_status'],
  meetings: ['hs_timestamp', 'hs_createdate', 'hubspot_owner_id', 'hs_meeting_title', 'hs_meeting_start_time', 'hs_meeting_outcome'],
  emails: ['hs_timestamp', 'hs_createdate', 'hubspot_owner_id', 'hs_email_subject'],
  notes: ['hs_timestamp', 'hs_createdate', 'hubspot_owner_id', 'hs_note_body'],
  tasks: ['hs_timestamp', 'hs_createdate', 'hubspot_owner_id', 'hs_task_subject', 'hs_task_status', 'hs_task_type'],
};

/** HubSpot's default call outcome ids (hs_call_disposition): only "Connected" reached a person. */
export const CALL_CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
export const CALL_NOT_CONNECTED = new Set([
  '73a0d17f-1163-4015-bdd5-ec830791da20', // No answer
  'b2cf5968-551e-4856-9783-52b3da59a7d0', // Left voicemail
  'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', // Left live message
  '9d9162e7-6cf3-4944-bf63-4dff82258764', // Busy
  '17b47fee-58de-441e-a44c-c6300d46f273', // Wrong number
]);
