// The standard objects' field lists as Salesforce documents them (Object Reference for the Salesforce Platform and
// its Field Reference, https://developer.salesforce.com/docs/platform/field-reference/, API 65.0), without the fields
// that exist only with an optional feature (multi-currency's CurrencyIsoCode, record types' RecordTypeId, divisions,
// Pipeline Inspection's AgeInDays, Einstein's scores). The emulator accepts exactly these fields (plus the system
// fields each object has, the owned fields and any custom field a test adds): a query or write naming any other field
// fails with INVALID_FIELD, as a real org does — so the connector cannot pass its tests while asking for fields that
// do not exist (issue 11: User has no IsDeleted).
import type { FieldSchema, SfFieldType } from './schema.ts';

type Spec = [name: string, type: SfFieldType, readOnly?: 'ro'];

const RO = 'ro' as const;

/** name → type, read-only when calculated or system-maintained. */
const USER: Spec[] = [
  ['AboutMe', 'textarea'], ['AccountId', 'reference', RO], ['Alias', 'string'], ['BadgeText', 'string', RO], ['BannerPhotoUrl', 'url', RO],
  ['CallCenterId', 'reference'], ['City', 'string'], ['CommunityNickname', 'string'], ['CompanyName', 'string'], ['ContactId', 'reference'],
  ['Country', 'string'], ['DefaultGroupNotificationFrequency', 'picklist'], ['DelegatedApproverId', 'reference'], ['Department', 'string'],
  ['DigestFrequency', 'picklist'], ['Division', 'string'], ['Email', 'email'], ['EmailEncodingKey', 'picklist'], ['EmailPreferencesAutoBcc', 'boolean'],
  ['EmailPreferencesAutoBccStayInTouch', 'boolean'], ['EmailPreferencesStayInTouchReminder', 'boolean'], ['EmployeeNumber', 'string'], ['Extension', 'phone'],
  ['Fax', 'phone'], ['FederationIdentifier', 'string'], ['FirstName', 'string'], ['ForecastEnabled', 'boolean'], ['FullPhotoUrl', 'url', RO],
  ['GeocodeAccuracy', 'picklist'], ['IndividualId', 'reference'], ['IsActive', 'boolean'], ['IsExtIndicatorVisible', 'boolean', RO], ['IsProfilePhotoActive', 'boolean', RO],
  ['LanguageLocaleKey', 'picklist'], ['LastLoginDate', 'datetime', RO], ['LastName', 'string'], ['LastPasswordChangeDate', 'datetime', RO],
  ['LastReferencedDate', 'datetime', RO], ['LastViewedDate', 'datetime', RO], ['Latitude', 'double'], ['LocaleSidKey', 'picklist'], ['Longitude', 'double'],
  ['ManagerId', 'reference'], ['MediumBannerPhotoUrl', 'url', RO], ['MediumPhotoUrl', 'url', RO], ['MiddleName', 'string'], ['MobilePhone', 'phone'],
  ['Name', 'string', RO], ['OfflineTrialExpirationDate', 'datetime', RO], ['OutOfOfficeMessage', 'string', RO], ['Phone', 'phone'], ['PostalCode', 'string'],
  ['ProfileId', 'reference'], ['ReceivesAdminInfoEmails', 'boolean'], ['ReceivesInfoEmails', 'boolean'], ['SenderEmail', 'email'], ['SenderName', 'string'],
  ['Signature', 'textarea'], ['SmallBannerPhotoUrl', 'url', RO], ['SmallPhotoUrl', 'url', RO], ['State', 'string'], ['StayInTouchNote', 'string'],
  ['StayInTouchSignature', 'textarea'], ['StayInTouchSubject', 'string'], ['Street', 'textarea'], ['Suffix', 'string'], ['TimeZoneSidKey', 'picklist'],
  ['Title', 'string'], ['UserPermissionsCallCenterAutoLogin', 'boolean'], ['UserPermissionsInteractionUser', 'boolean'], ['UserPermissionsMarketingUser', 'boolean'],
  ['UserPermissionsOfflineUser', 'boolean'], ['UserPermissionsSFContentUser', 'boolean'], ['UserPermissionsSupportUser', 'boolean'],
  ['UserPreferencesActivityRemindersPopup', 'boolean'], ['UserPreferencesEventRemindersCheckboxDefault', 'boolean'], ['UserPreferencesTaskRemindersCheckboxDefault', 'boolean'],
  ['UserRoleId', 'reference'], ['UserType', 'picklist', RO], ['Username', 'string'],
];

const ACCOUNT: Spec[] = [
  ['AccountNumber', 'string'], ['AccountSource', 'picklist'], ['AnnualRevenue', 'currency'], ['BillingCity', 'string'], ['BillingCountry', 'string'],
  ['BillingGeocodeAccuracy', 'picklist'], ['BillingLatitude', 'double'], ['BillingLongitude', 'double'], ['BillingPostalCode', 'string'], ['BillingState', 'string'],
  ['BillingStreet', 'textarea'], ['CleanStatus', 'picklist'], ['Description', 'textarea'], ['DunsNumber', 'string'], ['Fax', 'phone'], ['Industry', 'picklist'],
  ['Jigsaw', 'string'], ['JigsawCompanyId', 'string', RO], ['LastActivityDate', 'date', RO], ['LastReferencedDate', 'datetime', RO], ['LastViewedDate', 'datetime', RO],
  ['MasterRecordId', 'reference', RO], ['NaicsCode', 'string'], ['NaicsDesc', 'string'], ['Name', 'string'], ['NumberOfEmployees', 'int'], ['OwnerId', 'reference'],
  ['Ownership', 'picklist'], ['ParentId', 'reference'], ['Phone', 'phone'], ['PhotoUrl', 'url', RO], ['Rating', 'picklist'], ['ShippingCity', 'string'],
  ['ShippingCountry', 'string'], ['ShippingGeocodeAccuracy', 'picklist'], ['ShippingLatitude', 'double'], ['ShippingLongitude', 'double'], ['ShippingPostalCode', 'string'],
  ['ShippingState', 'string'], ['ShippingStreet', 'textarea'], ['Sic', 'string'], ['SicDesc', 'string'], ['Site', 'string'], ['TickerSymbol', 'string'],
  ['Tradestyle', 'string'], ['Type', 'picklist'], ['Website', 'url'], ['YearStarted', 'string'],
];

const CONTACT: Spec[] = [
  ['AccountId', 'reference'], ['AssistantName', 'string'], ['AssistantPhone', 'phone'], ['Birthdate', 'date'], ['CleanStatus', 'picklist'], ['Department', 'string'],
  ['Description', 'textarea'], ['Email', 'email'], ['EmailBouncedDate', 'datetime'], ['EmailBouncedReason', 'string'], ['Fax', 'phone'], ['FirstName', 'string'],
  ['HomePhone', 'phone'], ['IndividualId', 'reference'], ['IsEmailBounced', 'boolean', RO], ['Jigsaw', 'string'], ['JigsawContactId', 'string', RO],
  ['LastActivityDate', 'date', RO], ['LastCURequestDate', 'datetime', RO], ['LastCUUpdateDate', 'datetime', RO], ['LastName', 'string'],
  ['LastReferencedDate', 'datetime', RO], ['LastViewedDate', 'datetime', RO], ['LeadSource', 'picklist'], ['MailingCity', 'string'], ['MailingCountry', 'string'],
  ['MailingGeocodeAccuracy', 'picklist'], ['MailingLatitude', 'double'], ['MailingLongitude', 'double'], ['MailingPostalCode', 'string'], ['MailingState', 'string'],
  ['MailingStreet', 'textarea'], ['MasterRecordId', 'reference', RO], ['MiddleName', 'string'], ['MobilePhone', 'phone'], ['Name', 'string', RO],
  ['OtherCity', 'string'], ['OtherCountry', 'string'], ['OtherPhone', 'phone'], ['OtherPostalCode', 'string'], ['OtherState', 'string'], ['OtherStreet', 'textarea'],
  ['OwnerId', 'reference'], ['Phone', 'phone'], ['PhotoUrl', 'url', RO], ['ReportsToId', 'reference'], ['Salutation', 'picklist'], ['Suffix', 'string'], ['Title', 'string'],
];

const OPPORTUNITY: Spec[] = [
  ['AccountId', 'reference'], ['Amount', 'currency'], ['CampaignId', 'reference'], ['CloseDate', 'date'], ['ContactId', 'reference'], ['ContractId', 'reference'],
  ['Description', 'textarea'], ['ExpectedRevenue', 'currency', RO], ['Fiscal', 'string', RO], ['FiscalQuarter', 'int', RO], ['FiscalYear', 'int', RO],
  ['ForecastCategory', 'picklist', RO], ['ForecastCategoryName', 'picklist'], ['HasOpenActivity', 'boolean', RO], ['HasOpportunityLineItem', 'boolean', RO],
  ['HasOverdueTask', 'boolean', RO], ['IsClosed', 'boolean', RO], ['IsPrivate', 'boolean'], ['IsWon', 'boolean', RO], ['LastActivityDate', 'date', RO],
  ['LastAmountChangedHistoryId', 'reference', RO], ['LastCloseDateChangedHistoryId', 'reference', RO], ['LastReferencedDate', 'datetime', RO],
  ['LastStageChangeDate', 'datetime', RO], ['LastViewedDate', 'datetime', RO], ['LeadSource', 'picklist'], ['Name', 'string'], ['NextStep', 'string'],
  ['OwnerId', 'reference'], ['Pricebook2Id', 'reference'], ['Probability', 'percent'], ['PushCount', 'int', RO], ['StageName', 'picklist'],
  ['TotalOpportunityQuantity', 'double'], ['Type', 'picklist'],
];

const OPPORTUNITY_HISTORY: Spec[] = [
  ['Amount', 'currency', RO], ['CloseDate', 'date', RO], ['ExpectedRevenue', 'currency', RO], ['ForecastCategory', 'picklist', RO], ['OpportunityId', 'reference', RO],
  ['PrevAmount', 'currency', RO], ['PrevCloseDate', 'date', RO], ['Probability', 'percent', RO], ['StageName', 'picklist', RO],
];

const OPPORTUNITY_FIELD_HISTORY: Spec[] = [
  ['DataType', 'picklist', RO], ['Field', 'picklist', RO], ['NewValue', 'string', RO], ['OldValue', 'string', RO], ['OpportunityId', 'reference', RO],
];

const OPPORTUNITY_CONTACT_ROLE: Spec[] = [['ContactId', 'reference'], ['IsPrimary', 'boolean'], ['OpportunityId', 'reference'], ['Role', 'picklist']];

const TASK: Spec[] = [
  ['AccountId', 'reference', RO], ['ActivityDate', 'date'], ['CallDisposition', 'string'], ['CallDurationInSeconds', 'int'], ['CallObject', 'string'],
  ['CallType', 'picklist'], ['CompletedDateTime', 'datetime', RO], ['Description', 'textarea'], ['IsArchived', 'boolean', RO], ['IsClosed', 'boolean', RO],
  ['IsHighPriority', 'boolean', RO], ['IsRecurrence', 'boolean'], ['IsReminderSet', 'boolean'], ['OwnerId', 'reference'], ['Priority', 'picklist'],
  ['RecurrenceActivityId', 'reference', RO], ['ReminderDateTime', 'datetime'], ['Status', 'picklist'], ['Subject', 'string'], ['TaskSubtype', 'picklist'],
  ['Type', 'picklist'], ['WhatCount', 'int', RO], ['WhatId', 'reference'], ['WhoCount', 'int', RO], ['WhoId', 'reference'],
];

const EVENT: Spec[] = [
  ['AccountId', 'reference', RO], ['ActivityDate', 'date'], ['ActivityDateTime', 'datetime'], ['Description', 'textarea'], ['DurationInMinutes', 'int'],
  ['EndDate', 'date', RO], ['EndDateTime', 'datetime'], ['EventSubtype', 'picklist'], ['GroupEventType', 'picklist', RO], ['IsAllDayEvent', 'boolean'],
  ['IsArchived', 'boolean', RO], ['IsChild', 'boolean', RO], ['IsGroupEvent', 'boolean', RO], ['IsPrivate', 'boolean'], ['IsRecurrence', 'boolean'],
  ['IsReminderSet', 'boolean'], ['Location', 'string'], ['OwnerId', 'reference'], ['ReminderDateTime', 'datetime'], ['ShowAs', 'picklist'],
  ['StartDateTime', 'datetime'], ['Subject', 'string'], ['Type', 'picklist'], ['WhatCount', 'int', RO], ['WhatId', 'reference'], ['WhoCount', 'int', RO], ['WhoId', 'reference'],
];

const TASK_RELATION: Spec[] = [['AccountId', 'reference', RO], ['IsWhat', 'boolean', RO], ['RelationId', 'reference'], ['TaskId', 'reference']];
const EVENT_RELATION: Spec[] = [
  ['AccountId', 'reference', RO], ['EventId', 'reference'], ['IsInvitee', 'boolean'], ['IsParent', 'boolean'], ['IsWhat', 'boolean', RO], ['RelationId', 'reference'],
  ['RespondedDate', 'datetime'], ['Response', 'string'], ['Status', 'picklist'],
];

/** Documented (non-system) fields per standard object. */
export const DOCUMENTED_FIELDS: Record<string, readonly Spec[]> = {
  User: USER, Account: ACCOUNT, Contact: CONTACT, Opportunity: OPPORTUNITY, OpportunityHistory: OPPORTUNITY_HISTORY,
  OpportunityFieldHistory: OPPORTUNITY_FIELD_HISTORY, OpportunityContactRole: OPPORTUNITY_CONTACT_ROLE, Task: TASK, Event: EVENT,
  TaskRelation: TASK_RELATION, EventRelation: EVENT_RELATION,
};

/**
 * An object's schema fields completed to the documented list: the fields a schema defines in detail keep their
 * definition (picklist values, lengths, relationships); every other documented field is added with its type. A field
 * the schema defines that the documentation does not list (and that is not custom) is a mistake in the emulator.
 */
export const withDocumentedFields = (object: string, defined: FieldSchema[], systemNames: ReadonlySet<string>): FieldSchema[] => {
  const documented = DOCUMENTED_FIELDS[object];
  if (!documented) return defined;
  const names = new Set(documented.map(([n]) => n.toLowerCase()));
  const undocumented = defined.filter((f) => !f.name.endsWith('__c') && !names.has(f.name.toLowerCase()) && !systemNames.has(f.name));
  if (undocumented.length) throw new Error(`emulator schema: ${object} has undocumented fields ${undocumented.map((f) => f.name).join(', ')}`);
  const have = new Set(defined.map((f) => f.name.toLowerCase()));
  const added = documented
    .filter(([n]) => !have.has(n.toLowerCase()) && !systemNames.has(n))
    .map(([name, type, ro]): FieldSchema => ({ name, type, ...(ro ? { createable: false, updateable: false } : {}) }));
  return [...defined, ...added];
};
