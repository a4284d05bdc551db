// The CRM-neutral data model: what every adapter (embedded, Salesforce, HubSpot) reads into and the engine reads from.
// Zod schemas are the source of the types. Instants are ISO-8601 strings in UTC; calendar dates are `YYYY-MM-DD`.
import { z } from 'zod';

/** An instant, ISO-8601 with a time and a zone (`2024-02-03T10:00:00.000Z`). */
export const Instant = z.iso.datetime({ offset: true });
/** A calendar date with no time (`2024-02-03`), as Salesforce's Date fields hold. */
export const CalendarDate = z.iso.date();
/** A record id as the CRM gives it (Salesforce: 15 or 18 characters; HubSpot: digits; demo: readable keys). */
export const Id = z.string().min(1);

export const User = z.object({
  id: Id,
  name: z.string(),
  email: z.string().nullish(),
  title: z.string().nullish(),
  managerId: Id.nullish(),
  /** Role or segment: the peer group a rep is compared within (e.g. "Account Executive", "Central"). */
  role: z.string().nullish(),
  segment: z.string().nullish(),
  team: z.string().nullish(),
  /** First day in the seat: new-hire ramp is measured from it. */
  startDate: CalendarDate.nullish(),
  isActive: z.boolean().default(true),
});
export type User = z.infer<typeof User>;

export const Account = z.object({
  id: Id,
  name: z.string(),
  industry: z.string().nullish(),
  ownerId: Id.nullish(),
  annualRevenue: z.number().nullish(),
  employees: z.number().int().nullish(),
  parentId: Id.nullish(),
});
export type Account = z.infer<typeof Account>;

export const Contact = z.object({
  id: Id,
  accountId: Id.nullish(),
  name: z.string(),
  title: z.string().nullish(),
  department: z.string().nullish(),
  email: z.string().nullish(),
});
export type Contact = z.infer<typeof Contact>;

export const Opportunity = z.object({
  id: Id,
  name: z.string(),
  accountId: Id.nullish(),
  ownerId: Id.nullish(),
  /** Who created the record: an opportunity created by someone other than its owner was inherited. */
  createdById: Id.nullish(),
  stage: z.string(),
  amount: z.number().nullish(),
  probability: z.number().nullish(),
  closeDate: CalendarDate.nullish(),
  createdDate: Instant,
  nextStep: z.string().nullish(),
  isClosed: z.boolean(),
  isWon: z.boolean(),
  /** The sales process (Salesforce record type's process; HubSpot pipeline). Null means the org's default. */
  salesProcess: z.string().nullish(),
  leadSource: z.string().nullish(),
  /** Other CRM fields a playbook's field rules name (custom fields), by API name. */
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type Opportunity = z.infer<typeof Opportunity>;

/**
 * One row of stage history. Salesforce writes a row whenever StageName, Amount, Probability or CloseDate changes,
 * so consecutive rows often repeat a stage: a stage *entry* is a row whose stage differs from the row before it.
 */
export const StageHistoryEntry = z.object({
  id: Id,
  opportunityId: Id,
  stage: z.string(),
  createdDate: Instant,
  amount: z.number().nullish(),
  closeDate: CalendarDate.nullish(),
});
export type StageHistoryEntry = z.infer<typeof StageHistoryEntry>;

/**
 * One row of field history (Salesforce: OpportunityFieldHistory, kept only for the fields the admin tracks): a field's
 * value before and after a change, as text. A backtest judges a field as it was when the deal left a stage from these.
 */
export const FieldHistoryEntry = z.object({
  id: Id,
  opportunityId: Id,
  field: z.string().min(1),
  oldValue: z.string().nullish(),
  newValue: z.string().nullish(),
  createdDate: Instant,
});
export type FieldHistoryEntry = z.infer<typeof FieldHistoryEntry>;

export const ContactRole = z.object({
  id: Id,
  opportunityId: Id,
  contactId: Id,
  role: z.string().nullish(),
  isPrimary: z.boolean().default(false),
  /** When the role was added: a backtest must not see a role that did not exist yet. Unknown means always there. */
  createdDate: Instant.nullish(),
});
export type ContactRole = z.infer<typeof ContactRole>;

export const ActivityKind = z.enum(['call', 'meeting', 'email', 'task']);
export type ActivityKind = z.infer<typeof ActivityKind>;

export const Activity = z.object({
  id: Id,
  kind: ActivityKind,
  /** When it happened or is due: an instant for meetings and logged calls, a calendar date for tasks. */
  date: z.union([Instant, CalendarDate]),
  ownerId: Id.nullish(),
  opportunityId: Id.nullish(),
  accountId: Id.nullish(),
  /** Every contact on it: the WhoId and, with Shared Activities, the TaskRelation / EventRelation contacts. */
  contactIds: z.array(Id).default([]),
  subject: z.string().nullish(),
  callDurationSeconds: z.number().int().nonnegative().nullish(),
  /** A call that reached a person (Salesforce CallDisposition; HubSpot hs_call_status COMPLETED). */
  callConnected: z.boolean().nullish(),
  /** When the record was created: a task scheduled after asOf only counts as planned at asOf if it existed then. */
  createdDate: Instant.nullish(),
  /** `open`: still to do (a task not completed); `done`: completed. Meetings are done once their time has passed. */
  status: z.enum(['open', 'done']),
});
export type Activity = z.infer<typeof Activity>;

/** A rep's hand-made claim that a milestone is met, for what data cannot show. Evidence, with a note. */
export const Attestation = z.object({
  id: Id,
  opportunityId: Id,
  milestoneKey: z.string().min(1),
  note: z.string().nullish(),
  attestedById: Id.nullish(),
  attestedAt: Instant,
});
export type Attestation = z.infer<typeof Attestation>;

/** Everything the engine needs from one org, read at one moment. */
export const OrgSnapshot = z.object({
  users: z.array(User),
  accounts: z.array(Account),
  contacts: z.array(Contact),
  opportunities: z.array(Opportunity),
  stageHistory: z.array(StageHistoryEntry),
  contactRoles: z.array(ContactRole),
  activities: z.array(Activity),
  attestations: z.array(Attestation),
  /** Field history of deal fields (tracked fields only); absent when the CRM or the import has none. */
  fieldHistory: z.array(FieldHistoryEntry).optional(),
});
export type OrgSnapshot = z.infer<typeof OrgSnapshot>;

export const emptySnapshot = (): OrgSnapshot => ({
  users: [],
  accounts: [],
  contacts: [],
  opportunities: [],
  stageHistory: [],
  contactRoles: [],
  activities: [],
  attestations: [],
});
