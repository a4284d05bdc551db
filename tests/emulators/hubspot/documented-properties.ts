// The CRM object types the emulator serves and the default properties each has, from HubSpot's object guides
// (deals, contacts, companies, calls, meetings, emails, notes, tasks) and the object type ids in the CRM API reference.
// A property the portal does not define fails a write with PROPERTY_DOESNT_EXIST, so these lists matter.

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool' | 'phone_number';
export type FieldType = 'text' | 'textarea' | 'number' | 'date' | 'select' | 'radio' | 'checkbox' | 'booleancheckbox' | 'calculation_equation' | 'phonenumber' | 'html';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: FieldType;
  groupName: string;
  description: string;
  options: PropertyOption[];
  /** Set by HubSpot (hs_object_id, hs_lastmodifieddate, stage calculated properties): a write is refused. */
  readOnlyValue: boolean;
  calculated: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  displayOrder: number;
  /** A property an app or admin created (`hubspotDefined` false). */
  hubspotDefined: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export interface ObjectTypeDef {
  /** The plural path name (`deals`). */
  name: string;
  singular: string;
  objectTypeId: string;
  /** The property HubSpot stamps on creation and on every change (contacts: createdate/lastmodifieddate). */
  createdProperty: string;
  modifiedProperty: string;
  /** Properties returned when a read names none (the search guide lists them per object). */
  defaultProperties: string[];
  /** Webhooks: legacy subscriptions (`deal.creation`) exist for contacts, companies and deals; engagements only through the generic `object.*` subscriptions. */
  legacyWebhooks: boolean;
  custom?: boolean;
}

const opt = (values: readonly (string | [string, string])[]): PropertyOption[] =>
  values.map((v, i) => (Array.isArray(v) ? { value: v[0], label: v[1], displayOrder: i, hidden: false } : { value: v, label: v, displayOrder: i, hidden: false }));

type Spec = [name: string, type: PropertyType, extra?: Partial<PropertyDefinition>];

const FIELD_TYPE: Record<PropertyType, FieldType> = { string: 'text', number: 'number', date: 'date', datetime: 'date', enumeration: 'select', bool: 'booleancheckbox', phone_number: 'phonenumber' };
const ro = { readOnlyValue: true, calculated: true };

const EPOCH = '2020-01-01T00:00:00.000Z';
export const definition = (group: string, [name, type, extra]: Spec, i: number): PropertyDefinition => ({
  name, label: name, type, fieldType: FIELD_TYPE[type], groupName: group, description: '', options: [], readOnlyValue: false, calculated: false,
  hasUniqueValue: false, hidden: false, formField: false, displayOrder: i, hubspotDefined: true, createdAt: EPOCH, updatedAt: EPOCH, archived: false, ...extra,
});

const COMMON: Spec[] = [['hs_object_id', 'number', ro], ['hubspot_owner_id', 'enumeration', { fieldType: 'select' }], ['hs_created_by_user_id', 'number', ro], ['hs_updated_by_user_id', 'number', ro]];

/** HubSpot's default call outcomes (hs_call_disposition values are these GUIDs; the calls guide lists them). */
export const CALL_OUTCOMES = {
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  leftLiveMessage: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  leftVoicemail: 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  noAnswer: '73a0d17f-1163-4015-bdd5-ec830791da20',
  wrongNumber: '17b47fee-58de-441e-a44c-c6300d46f273',
} as const;

const ENGAGEMENT: Spec[] = [['hs_timestamp', 'datetime'], ['hs_createdate', 'datetime', ro], ['hs_lastmodifieddate', 'datetime', ro], ['hs_attachment_ids', 'enumeration']];

const SPECS: Record<string, { group: string; def: Omit<ObjectTypeDef, 'name'>; props: Spec[] }> = {
  deals: {
    group: 'dealinformation',
    def: { singular: 'deal', objectTypeId: '0-3', createdProperty: 'createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['amount', 'closedate', 'createdate', 'dealname', 'dealstage', 'hs_lastmodifieddate', 'hs_object_id', 'pipeline'], legacyWebhooks: true },
    props: [
      ['dealname', 'string'], ['amount', 'number'], ['closedate', 'datetime'], ['createdate', 'datetime'], ['hs_lastmodifieddate', 'datetime', ro],
      ['dealstage', 'enumeration', { fieldType: 'radio' }], ['pipeline', 'enumeration'], ['dealtype', 'enumeration', { options: opt([['newbusiness', 'New Business'], ['existingbusiness', 'Existing Business']]) }],
      ['description', 'string', { fieldType: 'textarea' }], ['hs_next_step', 'string', { fieldType: 'textarea' }], ['hs_priority', 'enumeration', { options: opt([['low', 'Low'], ['medium', 'Medium'], ['high', 'High']]) }],
      ['closed_lost_reason', 'string', { fieldType: 'textarea' }], ['closed_won_reason', 'string', { fieldType: 'textarea' }], ['hs_analytics_source', 'enumeration', ro],
      ['hs_is_closed', 'bool', ro], ['hs_is_closed_won', 'bool', ro], ['hs_deal_stage_probability', 'number', ro], ['hs_forecast_amount', 'number', ro],
      ['num_associated_contacts', 'number', ro], ['notes_last_updated', 'datetime', ro], ['hs_lastactivitydate', 'datetime', ro], ['num_contacted_notes', 'number', ro],
    ],
  },
  contacts: {
    group: 'contactinformation',
    def: { singular: 'contact', objectTypeId: '0-1', createdProperty: 'createdate', modifiedProperty: 'lastmodifieddate', defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'], legacyWebhooks: true },
    props: [
      ['firstname', 'string'], ['lastname', 'string'], ['email', 'string'], ['jobtitle', 'string'], ['phone', 'phone_number'], ['mobilephone', 'phone_number'], ['company', 'string'],
      ['createdate', 'datetime'], ['lastmodifieddate', 'datetime', ro], ['associatedcompanyid', 'number'],
      ['lifecyclestage', 'enumeration', { options: opt([['subscriber', 'Subscriber'], ['lead', 'Lead'], ['marketingqualifiedlead', 'Marketing Qualified Lead'], ['salesqualifiedlead', 'Sales Qualified Lead'], ['opportunity', 'Opportunity'], ['customer', 'Customer'], ['evangelist', 'Evangelist'], ['other', 'Other']]) }],
      ['hs_lead_status', 'enumeration', { options: opt(['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED', 'ATTEMPTED_TO_CONTACT', 'CONNECTED', 'BAD_TIMING']) }],
      ['city', 'string'], ['country', 'string'], ['notes_last_updated', 'datetime', ro],
    ],
  },
  companies: {
    group: 'companyinformation',
    def: { singular: 'company', objectTypeId: '0-2', createdProperty: 'createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'], legacyWebhooks: true },
    props: [
      // industry is an enumeration of HubSpot's own industry list in a real portal; kept as free text here so imported industries load.
      ['name', 'string'], ['domain', 'string'], ['industry', 'string'], ['annualrevenue', 'number'], ['numberofemployees', 'number'], ['country', 'string'], ['city', 'string'],
      ['type', 'enumeration', { options: opt([['PROSPECT', 'Prospect'], ['PARTNER', 'Partner'], ['RESELLER', 'Reseller'], ['VENDOR', 'Vendor'], ['OTHER', 'Other']]) }],
      ['description', 'string', { fieldType: 'textarea' }], ['createdate', 'datetime'], ['hs_lastmodifieddate', 'datetime', ro], ['hs_parent_company_id', 'number', ro],
    ],
  },
  calls: {
    group: 'call',
    def: { singular: 'call', objectTypeId: '0-48', createdProperty: 'hs_createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'], legacyWebhooks: false },
    props: [
      ...ENGAGEMENT, ['hs_call_title', 'string'], ['hs_call_body', 'string', { fieldType: 'html' }],
      // Milliseconds, as the calls guide documents.
      ['hs_call_duration', 'number'],
      ['hs_call_disposition', 'enumeration', { options: opt(Object.entries(CALL_OUTCOMES).map(([label, value]) => [value, label])) }],
      ['hs_call_direction', 'enumeration', { options: opt(['INBOUND', 'OUTBOUND']) }],
      ['hs_call_status', 'enumeration', { options: opt(['BUSY', 'CALLING_CRM_USER', 'CANCELED', 'COMPLETED', 'CONNECTING', 'FAILED', 'IN_PROGRESS', 'NO_ANSWER', 'QUEUED', 'RINGING']) }],
      ['hs_call_from_number', 'string'], ['hs_call_to_number', 'string'], ['hs_call_recording_url', 'string'],
    ],
  },
  meetings: {
    group: 'meeting',
    def: { singular: 'meeting', objectTypeId: '0-47', createdProperty: 'hs_createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'], legacyWebhooks: false },
    props: [
      ...ENGAGEMENT, ['hs_meeting_title', 'string'], ['hs_meeting_body', 'string', { fieldType: 'html' }], ['hs_internal_meeting_notes', 'string', { fieldType: 'html' }],
      ['hs_meeting_external_url', 'string'], ['hs_meeting_location', 'string'], ['hs_meeting_start_time', 'datetime'], ['hs_meeting_end_time', 'datetime'],
      ['hs_meeting_outcome', 'enumeration', { options: opt(['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED']) }],
      ['hs_activity_type', 'enumeration'],
    ],
  },
  emails: {
    group: 'email',
    def: { singular: 'email', objectTypeId: '0-49', createdProperty: 'hs_createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'], legacyWebhooks: false },
    props: [
      ...ENGAGEMENT, ['hs_email_subject', 'string'], ['hs_email_text', 'string', { fieldType: 'textarea' }], ['hs_email_html', 'string', { fieldType: 'html' }], ['hs_email_headers', 'string'],
      ['hs_email_direction', 'enumeration', { options: opt(['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL']) }],
      ['hs_email_status', 'enumeration', { options: opt(['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT']) }],
    ],
  },
  notes: {
    group: 'note',
    def: { singular: 'note', objectTypeId: '0-46', createdProperty: 'hs_createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'], legacyWebhooks: false },
    props: [...ENGAGEMENT, ['hs_note_body', 'string', { fieldType: 'html' }]],
  },
  tasks: {
    group: 'task',
    def: { singular: 'task', objectTypeId: '0-27', createdProperty: 'hs_createdate', modifiedProperty: 'hs_lastmodifieddate', defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'], legacyWebhooks: false },
    props: [
      ...ENGAGEMENT, ['hs_task_subject', 'string'], ['hs_task_body', 'string', { fieldType: 'html' }],
      ['hs_task_status', 'enumeration', { options: opt(['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED']) }],
      ['hs_task_priority', 'enumeration', { options: opt(['NONE', 'LOW', 'MEDIUM', 'HIGH']) }],
      ['hs_task_type', 'enumeration', { options: opt(['EMAIL', 'CALL', 'TODO', 'LINKED_IN', 'MEETING']) }],
      ['hs_task_completion_date', 'datetime', ro], ['hs_task_is_completed', 'number', ro],
    ],
  },
};

export const STANDARD_OBJECT_TYPES = Object.keys(SPECS);

/** The object types and their property definitions, fresh for one portal. */
export const standardObjects = (): { type: ObjectTypeDef; groups: PropertyGroup[]; properties: PropertyDefinition[] }[] =>
  Object.entries(SPECS).map(([name, spec]) => ({
    type: { name, ...spec.def, defaultProperties: [...spec.def.defaultProperties] },
    groups: [{ name: spec.group, label: `${spec.def.singular[0]!.toUpperCase()}${spec.def.singular.slice(1)} information`, displayOrder: -1, archived: false }],
    properties: [...spec.props, ...COMMON.filter(([n]) => !spec.props.some(([p]) => p === n))].map((s, i) => definition(spec.group, s, i)),
  }));
