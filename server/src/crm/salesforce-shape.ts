// Salesforce-shaped records (API names, as the embedded org stores them and the REST API returns them) mapped onto the
// neutral model. Shared by the embedded org and the Salesforce connector: both speak Salesforce's shape.
import { ownedField, writableFieldsOf, type FieldValue } from '../../../shared/src/fields.ts';
import { newDataQuality, note, type DataQuality } from '../../../shared/src/data-quality.ts';
import {
  Activity,
  Attestation,
  Contact,
  FieldHistoryEntry,
  ContactRole,
  Account,
  Opportunity,
  StageHistoryEntry,
  User,
  type ActivityKind,
  type OrgSnapshot,
} from '../../../shared/src/model.ts';
import type { z } from 'zod';
import type { CoachingRecords, OwnedValues, StoredGoal, StoredPlan, StoredReview, StoredScorecard } from './port.ts';
import type { InspectionRecord } from '../../../shared/src/engine/coaching.ts';

/** A record as Salesforce's APIs return it and the embedded org stores it: API names to values. */
export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

export interface SalesforceRecords {
  User: SfRecord[];
  Account: SfRecord[];
  Contact: SfRecord[];
  Opportunity: SfRecord[];
  OpportunityHistory: SfRecord[];
  OpportunityContactRole: SfRecord[];
  Task: SfRecord[];
  Event: SfRecord[];
  Milestone_Attestation__c: SfRecord[];
  Rep_Scorecard__c?: SfRecord[];
  Quarterly_Review__c?: SfRecord[];
  Coaching_Plan__c?: SfRecord[];
  Team_Goal__c?: SfRecord[];
  Deal_Inspection__c?: SfRecord[];
  /** Shared Activities: extra contacts of a Task / Event (TaskRelation, EventRelation). */
  TaskRelation?: SfRecord[];
  EventRelation?: SfRecord[];
  /** Field history tracking (OpportunityFieldHistory): a tracked field's old and new value at each change. */
  OpportunityFieldHistory?: SfRecord[];
}

/** Opportunity fields the model maps itself; every other field (standard or custom) travels in customFields. */
const MAPPED_OPPORTUNITY_FIELDS = new Set(['Id', 'Name', 'AccountId', 'OwnerId', 'CreatedById', 'StageName', 'Amount', 'Probability', 'CloseDate', 'CreatedDate', 'NextStep', 'IsClosed', 'IsWon', 'LeadSource', 'SystemModstamp', 'IsDeleted', 'attributes']);

/** The fields a playbook rule may name beyond the model's own: Type, ForecastCategoryName, any __c field … (not the owned ones). */
const NOT_CUSTOM = new Set([...MAPPED_OPPORTUNITY_FIELDS, ...writableFieldsOf('Opportunity')]);
const customFieldsOf = (r: SfRecord): Record<string, string | number | boolean | null> | undefined => {
  let out: Record<string, string | number | boolean | null> | undefined;
  for (const name in r) {
    const value = r[name];
    if (value === null || value === undefined || value === '' || NOT_CUSTOM.has(name)) continue;
    (out ??= {})[name] = value;
  }
  return out;
};

export interface MappedOrg {
  snapshot: OrgSnapshot;
  owned: OwnedValues;
  scorecards: StoredScorecard[];
  reviews: StoredReview[];
  coaching: CoachingRecords;
  dataQuality: DataQuality;
}

const str = (v: SfValue | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const num = (v: SfValue | undefined): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const bool = (v: SfValue | undefined): boolean => v === true || v === 'true' || v === 1;

/** An instant in canonical ISO form ("…+0000" from the REST API becomes "…Z"); null when missing or unparseable. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const instant = (v: SfValue | undefined): string | null => {
  const s = str(v);
  if (!s) return null;
  if (CANONICAL_INSTANT.test(s)) return s;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};
const calendarDate = (v: SfValue | undefined): string | null => {
  const s = str(v);
  if (!s) return null;
  return /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : null;
};

const CONNECTED = /connect|reached|spoke|talked|conversation|answered|completed|meeting booked/i;
const NOT_CONNECTED = /no answer|voicemail|voice mail|busy|wrong number|not connected|no connect|left message|bad number|gatekeeper/i;

/** Whether a logged call reached a person, from its disposition; null when the org does not record one. */
export const callConnected = (disposition: string | null): boolean | null => {
  if (!disposition) return null;
  if (NOT_CONNECTED.test(disposition)) return false;
  return CONNECTED.test(disposition) ? true : null;
};

const taskKind = (r: SfRecord): ActivityKind => {
  const subtype = `${str(r.TaskSubtype) ?? ''} ${str(r.Type) ?? ''}`.toLowerCase();
  if (subtype.includes('call')) return 'call';
  if (subtype.includes('email')) return 'email';
  if (subtype.includes('meeting')) return 'meeting';
  return 'task';
};

// Hand checks for the objects an org has hundreds of thousands of (contacts, history, roles, activities): the same rules
// as the zod schemas in shared/src/model.ts, without building a parse result per record. The small objects use zod.
const INSTANT_SHAPE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_SHAPE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const isInstant = (s: string | null | undefined): boolean => typeof s === 'string' && INSTANT_SHAPE.test(s) && !Number.isNaN(Date.parse(s));
const isDate = (s: string | null | undefined): boolean => typeof s === 'string' && DATE_SHAPE.test(s);

/** The first invalid field of a record, named as the zod schema would name it; null when the record is valid. */
type Check = (record: Record<string, unknown>) => string | null;
const checkHistory: Check = (r) => (r.opportunityId === null ? 'opportunityId' : r.stage === null ? 'stage' : !isInstant(r.createdDate as string) ? 'createdDate' : r.closeDate != null && !isDate(r.closeDate as string) ? 'closeDate' : null);
const checkRole: Check = (r) => (r.opportunityId === null ? 'opportunityId' : r.contactId === null ? 'contactId' : r.createdDate != null && !isInstant(r.createdDate as string) ? 'createdDate' : null);
const checkActivity: Check = (r) => {
  const date = r.date as string;
  if (!(date.length === 10 ? isDate(date) : isInstant(date))) return 'date';
  const seconds = r.callDurationSeconds as number | null | undefined;
  if (seconds != null && !(Number.isInteger(seconds) && seconds >= 0)) return 'callDurationSeconds';
  if (r.createdDate != null && !isInstant(r.createdDate as string)) return 'createdDate';
  return null;
};
const checkContact: Check = () => null;
const checkOpportunity: Check = (r) => (r.stage === null ? 'stage' : r.closeDate != null && !isDate(r.closeDate as string) ? 'closeDate' : !isInstant(r.createdDate as string) ? 'createdDate' : null);

/** The owned fields of each object a mapper captures, named once. */
const OWNED_NAMES = { Opportunity: writableFieldsOf('Opportunity'), User: writableFieldsOf('User'), Coaching_Plan__c: writableFieldsOf('Coaching_Plan__c'), Team_Goal__c: writableFieldsOf('Team_Goal__c') };

/**
 * Maps Salesforce-shaped records onto the neutral model one record at a time, so a reader can stream an org through it
 * (the embedded store) or hand it whole pages (the Salesforce connector). Records that break the model are skipped and
 * counted in the data quality, never thrown on. Objects are mapped in dependency order: users, accounts, contacts,
 * opportunities first, because history, roles and activities are checked against them.
 */
export class SalesforceShapeMapper {
  readonly dq: DataQuality = newDataQuality();
  readonly owned: OwnedValues = new Map();
  readonly contactIds = new Set<string>();
  readonly accountIds = new Set<string>();
  readonly opportunityIds = new Set<string>();
  /** Shared Activities: every contact related to a Task or Event, beyond its one WhoId. */
  private readonly related = new Map<string, string[]>();
  private readonly readAtMs: number;
  /** Ids seen per object; a store with unique ids (the embedded org, the mirror) can switch it off. */
  private readonly seen: Set<string> | null;

  constructor(readAt: string, options: { uniqueIds?: boolean } = {}) {
    this.readAtMs = Date.parse(readAt);
    this.seen = options.uniqueIds ? null : new Set();
  }

  private admit(object: string, id: string | null): id is string {
    if (!id) {
      note(this.dq, `${object} records without an Id`);
      return false;
    }
    if (this.seen) {
      if (this.seen.has(`${object}:${id}`)) {
        note(this.dq, `duplicate ${object} ids (later copies ignored)`);
        return false;
      }
    }
    return true;
  }

  private keep<S extends z.ZodType>(schema: S, raw: unknown, object: string, id: string | null): z.infer<S> | null {
    if (!this.admit(object, id)) return null;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path.join('.') ?? '';
      note(this.dq, `${object} records skipped: invalid ${path || 'record'}`);
      return null;
    }
    this.seen?.add(`${object}:${id}`);
    return parsed.data;
  }

  private keepChecked<T>(check: Check, record: T & Record<string, unknown>, object: string, id: string | null): T | null {
    if (!this.admit(object, id)) return null;
    const invalid = check(record);
    if (invalid) {
      note(this.dq, `${object} records skipped: invalid ${invalid}`);
      return null;
    }
    this.seen?.add(`${object}:${id}`);
    return record;
  }

  private captureOwned(object: 'Opportunity' | 'User' | 'Coaching_Plan__c' | 'Team_Goal__c', r: SfRecord): void {
    const values: Record<string, FieldValue> = {};
    for (const name of OWNED_NAMES[object]) if (name in r) values[name] = r[name] ?? null;
    this.owned.set(`${object}:${String(r.Id)}`, values);
  }

  user(r: SfRecord): User | null {
    const name = str(r.Name) ?? [str(r.FirstName), str(r.LastName)].filter(Boolean).join(' ');
    const user = this.keep(User, {
      id: str(r.Id), name, email: str(r.Email), title: str(r.Title), managerId: str(r.ManagerId),
      role: str(r.Title), segment: str(r.Division), team: str(r.Department),
      startDate: instant(r.CreatedDate)?.slice(0, 10) ?? null, isActive: r.IsActive === undefined || r.IsActive === null ? true : bool(r.IsActive),
    }, 'User', str(r.Id));
    if (user) this.captureOwned('User', r);
    return user;
  }

  account(r: SfRecord): Account | null {
    const a = this.keep(Account, {
      id: str(r.Id), name: str(r.Name), industry: str(r.Industry), ownerId: str(r.OwnerId),
      annualRevenue: num(r.AnnualRevenue), employees: num(r.NumberOfEmployees), parentId: str(r.ParentId),
    }, 'Account', str(r.Id));
    if (a) this.accountIds.add(a.id);
    return a;
  }

  contact(r: SfRecord): Contact | null {
    const name = str(r.Name) ?? [str(r.FirstName), str(r.LastName)].filter(Boolean).join(' ');
    if (!str(r.Title)) note(this.dq, 'contacts without a title (cannot count as executives)');
    const id = str(r.Id);
    const c = this.keepChecked<Contact>(checkContact, { id: id!, accountId: str(r.AccountId), name, title: str(r.Title), department: str(r.Department), email: str(r.Email) }, 'Contact', id);
    if (c) this.contactIds.add(c.id);
    return c;
  }

  opportunity(r: SfRecord, options: { captureOwned?: boolean } = {}): Opportunity | null {
    const id = str(r.Id);
    const o = this.keepChecked<Opportunity>(checkOpportunity, {
      id: id!, name: str(r.Name) ?? '', accountId: str(r.AccountId), ownerId: str(r.OwnerId), createdById: str(r.CreatedById),
      stage: str(r.StageName)!, amount: num(r.Amount), probability: num(r.Probability), closeDate: calendarDate(r.CloseDate),
      createdDate: instant(r.CreatedDate)!, nextStep: str(r.NextStep), isClosed: bool(r.IsClosed), isWon: bool(r.IsWon),
      salesProcess: str(r.Sales_Process__c), leadSource: str(r.LeadSource), customFields: customFieldsOf(r),
    }, 'Opportunity', id);
    if (o) {
      this.opportunityIds.add(o.id);
      if (options.captureOwned !== false) this.captureOwned('Opportunity', r);
    }
    return o;
  }

  history(r: SfRecord): StageHistoryEntry | null {
    if (!this.opportunityIds.has(String(r.OpportunityId))) {
      note(this.dq, 'stage history rows of unknown deals');
      return null;
    }
    const id = str(r.Id);
    return this.keepChecked<StageHistoryEntry>(checkHistory, {
      id: id!, opportunityId: str(r.OpportunityId)!, stage: str(r.StageName)!, createdDate: instant(r.CreatedDate)!,
      amount: num(r.Amount), closeDate: calendarDate(r.CloseDate),
    }, 'OpportunityHistory', id);
  }

  /** Field history tracking (OpportunityFieldHistory): a tracked field's old and new value at each change. */
  fieldHistory(r: SfRecord): FieldHistoryEntry | null {
    if (!this.opportunityIds.has(String(r.OpportunityId))) return null;
    return this.keep(FieldHistoryEntry, {
      id: str(r.Id), opportunityId: str(r.OpportunityId), field: str(r.Field), oldValue: str(r.OldValue), newValue: str(r.NewValue), createdDate: instant(r.CreatedDate),
    }, 'OpportunityFieldHistory', str(r.Id));
  }

  contactRole(r: SfRecord): ContactRole | null {
    const id = str(r.Id);
    return this.keepChecked<ContactRole>(checkRole, { id: id!, opportunityId: str(r.OpportunityId)!, contactId: str(r.ContactId)!, role: str(r.Role), isPrimary: bool(r.IsPrimary), createdDate: instant(r.CreatedDate) }, 'OpportunityContactRole', id);
  }

  /** TaskRelation / EventRelation rows: map them before the activities they extend. */
  relation(rel: SfRecord): void {
    const activityId = str(rel.TaskId) ?? str(rel.EventId);
    const relationId = str(rel.RelationId);
    if (!activityId || !relationId || (rel.IsWhat !== undefined && bool(rel.IsWhat))) return;
    const list = this.related.get(activityId);
    if (list) list.push(relationId);
    else this.related.set(activityId, [relationId]);
  }

  private activityLinks(r: SfRecord): { opportunityId: string | null; accountId: string | null; contactIds: string[] } {
    const what = str(r.WhatId);
    const whoId = str(r.WhoId);
    const extra = this.related.get(String(r.Id));
    let who: string[];
    if (!extra) who = whoId !== null && this.contactIds.has(whoId) ? [whoId] : [];
    else who = [...new Set([whoId, ...extra].filter((id): id is string => id !== null && this.contactIds.has(id)))];
    if (who.length === 0) note(this.dq, 'activities without a known contact');
    return {
      opportunityId: what && this.opportunityIds.has(what) ? what : null,
      accountId: str(r.AccountId) ?? (what && this.accountIds.has(what) ? what : null),
      contactIds: who,
    };
  }

  task(r: SfRecord): Activity | null {
    const done = bool(r.IsClosed) || str(r.Status)?.toLowerCase() === 'completed';
    // A completed task with no date happened when it was logged; an open one with no date is on no calendar.
    const date = calendarDate(r.ActivityDate) ?? (done ? instant(r.CreatedDate)?.slice(0, 10) ?? null : null);
    if (!date) {
      note(this.dq, done ? 'completed tasks without a date' : 'open tasks without a due date (not a scheduled next step)');
      return null;
    }
    const kind = taskKind(r);
    const id = str(r.Id);
    return this.keepChecked<Activity>(checkActivity, {
      id: id!, kind, date, ownerId: str(r.OwnerId), ...this.activityLinks(r), subject: str(r.Subject),
      callDurationSeconds: kind === 'call' ? num(r.CallDurationInSeconds) : null,
      callConnected: kind === 'call' ? callConnected(str(r.CallDisposition)) : null,
      status: done ? 'done' : 'open', createdDate: instant(r.CreatedDate),
    }, 'Task', id);
  }

  event(r: SfRecord): Activity | null {
    const date = instant(r.ActivityDateTime) ?? calendarDate(r.ActivityDate);
    if (!date) {
      note(this.dq, 'events without a date');
      return null;
    }
    const id = str(r.Id);
    return this.keepChecked<Activity>(checkActivity, {
      id: id!, kind: 'meeting', date, ownerId: str(r.OwnerId), ...this.activityLinks(r), subject: str(r.Subject),
      status: Date.parse(date) <= this.readAtMs ? 'done' : 'open', createdDate: instant(r.CreatedDate),
    }, 'Event', id);
  }

  attestation(r: SfRecord): Attestation | null {
    return this.keep(Attestation, {
      id: str(r.Id), opportunityId: str(r.Opportunity__c), milestoneKey: str(r.Milestone_Key__c), note: str(r.Note__c),
      attestedById: str(r.CreatedById), attestedAt: instant(r.CreatedDate),
    }, 'Milestone_Attestation__c', str(r.Id));
  }

  scorecard(r: SfRecord): StoredScorecard | null {
    const key = str(r.Scorecard_Key__c);
    if (!key || !str(r.Rep__c)) {
      note(this.dq, 'scorecards without a key or a rep (ignored)');
      return null;
    }
    const values: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(r)) if (ownedField('Rep_Scorecard__c', name)) values[name] = value ?? null;
    this.owned.set(`Rep_Scorecard__c:${key}`, values);
    return { id: String(r.Id), key, repId: String(r.Rep__c), period: String(r.Period__c ?? ''), periodStart: calendarDate(r.Period_Start__c) ?? '', behaviourScore: num(r.Behaviour_Score__c), isCurrent: bool(r.Is_Current__c) };
  }

  review(r: SfRecord): StoredReview | null {
    if (!str(r.Id) || !str(r.Rep__c) || !str(r.Quarter__c)) return null;
    this.owned.set(`Quarterly_Review__c:${String(r.Id)}`, { Measured_Actuals__c: r.Measured_Actuals__c ?? null });
    return { id: String(r.Id), repId: String(r.Rep__c), quarter: String(r.Quarter__c), objectives: str(r.Objectives__c) };
  }

  plan(r: SfRecord): StoredPlan | null {
    const startDate = calendarDate(r.Start_Date__c);
    if (!str(r.Id) || !str(r.Rep__c) || !str(r.Signal__c) || !startDate) {
      note(this.dq, 'coaching plans without a rep, a signal or a start date (not tracked)');
      return null;
    }
    this.captureOwned('Coaching_Plan__c', r);
    return {
      id: String(r.Id), name: str(r.Name), repId: String(r.Rep__c), signal: String(r.Signal__c), competency: str(r.Competency__c), startDate,
      reviewDate: calendarDate(r.Review_Date__c), status: str(r.Status__c), outcome: str(r.Outcome__c), weeklyValues: str(r.Weekly_Values__c),
    };
  }

  goal(r: SfRecord): StoredGoal | null {
    const startDate = calendarDate(r.Start_Date__c);
    const endDate = calendarDate(r.End_Date__c);
    const target = num(r.Target_Per_Week__c);
    if (!str(r.Id) || !str(r.Manager__c) || !str(r.Signal__c) || !startDate || !endDate || target === null) {
      note(this.dq, 'team goals without a manager, a behaviour, a target or dates (not measured)');
      return null;
    }
    this.captureOwned('Team_Goal__c', r);
    return { id: String(r.Id), managerId: String(r.Manager__c), signal: String(r.Signal__c), targetPerWeek: target, startDate, endDate, progress: str(r.Progress__c) };
  }

  inspection(r: SfRecord): InspectionRecord | null {
    const at = instant(r.Inspected_At__c) ?? instant(r.CreatedDate);
    if (!str(r.Id) || !str(r.Opportunity__c) || !at) return null;
    const questions = (str(r.Questions_Asked__c) ?? '').split('\n').map((q) => q.trim()).filter(Boolean);
    return { id: String(r.Id), opportunityId: String(r.Opportunity__c), inspectedById: str(r.Inspected_By__c), inspectedAt: at, questions, answer: str(r.Answer__c) };
  }
}

const mapAll = <T>(records: readonly SfRecord[] | undefined, map: (r: SfRecord) => T | null): T[] => {
  const out: T[] = [];
  for (const r of records ?? []) {
    const mapped = map(r);
    if (mapped !== null) out.push(mapped);
  }
  return out;
};

/** Maps every object of a whole read (the Salesforce connector's pages, a test's records). */
export const mapSalesforceRecords = (records: SalesforceRecords, readAt: string): MappedOrg => {
  const m = new SalesforceShapeMapper(readAt);
  const users = mapAll(records.User, (r) => m.user(r));
  const accounts = mapAll(records.Account, (r) => m.account(r));
  const contacts = mapAll(records.Contact, (r) => m.contact(r));
  const opportunities = mapAll(records.Opportunity, (r) => m.opportunity(r));
  const stageHistory = mapAll(records.OpportunityHistory, (r) => m.history(r));
  const fieldHistory = mapAll(records.OpportunityFieldHistory, (r) => m.fieldHistory(r));
  const contactRoles = mapAll(records.OpportunityContactRole, (r) => m.contactRole(r));
  for (const rel of [...(records.TaskRelation ?? []), ...(records.EventRelation ?? [])]) m.relation(rel);
  const activities = [...mapAll(records.Task, (r) => m.task(r)), ...mapAll(records.Event, (r) => m.event(r))];
  const attestations = mapAll(records.Milestone_Attestation__c, (r) => m.attestation(r));
  const scorecards = mapAll(records.Rep_Scorecard__c, (r) => m.scorecard(r));
  const reviews = mapAll(records.Quarterly_Review__c, (r) => m.review(r));
  const coaching: CoachingRecords = {
    plans: mapAll(records.Coaching_Plan__c, (r) => m.plan(r)),
    goals: mapAll(records.Team_Goal__c, (r) => m.goal(r)),
    inspections: mapAll(records.Deal_Inspection__c, (r) => m.inspection(r)),
  };
  return {
    snapshot: { users, accounts, contacts, opportunities, stageHistory, contactRoles, activities, attestations, ...(fieldHistory.length ? { fieldHistory } : {}) },
    owned: m.owned,
    scorecards,
    reviews,
    coaching,
    dataQuality: m.dq,
  };
};
