// Salesforce-shaped records (API names, as the embedded org stores them and the REST API returns them) mapped onto the
// neutral model. Shared by the embedded org and the Salesforce connector: both speak Salesforce's shape.
import { ownedField, type FieldValue } from '../../../shared/src/fields.ts';
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
import type { StoredPeriod } from '../../../shared/src/engine/scorecard-fields.ts';
import type { SfRecord, SfValue } from './embedded/store.ts';

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
  /** Shared Activities: extra contacts of a Task / Event (TaskRelation, EventRelation). */
  TaskRelation?: SfRecord[];
  EventRelation?: SfRecord[];
  /** Field history tracking (OpportunityFieldHistory): a tracked field's old and new value at each change. */
  OpportunityFieldHistory?: SfRecord[];
}

/** Opportunity fields the model maps itself; every other field (standard or custom) travels in customFields. */
const MAPPED_OPPORTUNITY_FIELDS = new Set(['Id', 'Name', 'AccountId', 'OwnerId', 'CreatedById', 'StageName', 'Amount', 'Probability', 'CloseDate', 'CreatedDate', 'NextStep', 'IsClosed', 'IsWon', 'LeadSource', 'SystemModstamp', 'IsDeleted', 'attributes']);

/** The fields a playbook rule may name beyond the model's own: Type, ForecastCategoryName, any __c field … (not the owned ones). */
const customFieldsOf = (r: SfRecord): Record<string, string | number | boolean | null> | undefined => {
  let out: Record<string, string | number | boolean | null> | undefined;
  for (const [name, value] of Object.entries(r)) {
    if (value === null || value === undefined || value === '' || MAPPED_OPPORTUNITY_FIELDS.has(name) || ownedField('Opportunity', name)) continue;
    (out ??= {})[name] = value;
  }
  return out;
};

/** Owned field values the CRM holds now, keyed "Object:id" then by un-namespaced API name. */
export type OwnedValues = Map<string, Record<string, FieldValue>>;

/** A weekly scorecard already in the CRM, with its record id: the trend is read from these. */
export interface StoredScorecard extends StoredPeriod {
  id: string;
}

/** A quarterly review in the CRM: its objectives are the rep's; the measured actuals are the companion's to fill. */
export interface StoredReview {
  id: string;
  repId: string;
  quarter: string;
  objectives: string | null;
}

export interface MappedOrg {
  snapshot: OrgSnapshot;
  owned: OwnedValues;
  scorecards: StoredScorecard[];
  reviews: StoredReview[];
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

/** Maps every object; records that break the model are skipped and counted, never thrown on. */
export const mapSalesforceRecords = (records: SalesforceRecords, readAt: string): MappedOrg => {
  const dq = newDataQuality();
  const owned: OwnedValues = new Map();
  const seen = new Set<string>();

  const keep = <S extends z.ZodType>(schema: S, raw: unknown, object: string, id: string | null): z.infer<S> | null => {
    if (!id) {
      note(dq, `${object} records without an Id`);
      return null;
    }
    if (seen.has(`${object}:${id}`)) {
      note(dq, `duplicate ${object} ids (later copies ignored)`);
      return null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const path = parsed.error.issues[0]?.path.join('.') ?? '';
      note(dq, `${object} records skipped: invalid ${path || 'record'}`);
      return null;
    }
    seen.add(`${object}:${id}`);
    return parsed.data;
  };

  const captureOwned = (object: 'Opportunity' | 'User', r: SfRecord): void => {
    const values: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(r)) if (ownedField(object, name)) values[name] = value ?? null;
    owned.set(`${object}:${String(r.Id)}`, values);
  };

  const users = records.User.flatMap((r) => {
    const name = str(r.Name) ?? [str(r.FirstName), str(r.LastName)].filter(Boolean).join(' ');
    const user = keep(User, {
      id: str(r.Id), name, email: str(r.Email), title: str(r.Title), managerId: str(r.ManagerId),
      role: str(r.Title), segment: str(r.Division), team: str(r.Department),
      startDate: instant(r.CreatedDate)?.slice(0, 10) ?? null, isActive: r.IsActive === undefined || r.IsActive === null ? true : bool(r.IsActive),
    }, 'User', str(r.Id));
    if (user) captureOwned('User', r);
    return user ? [user] : [];
  });

  const accounts = records.Account.flatMap((r) => {
    const a = keep(Account, {
      id: str(r.Id), name: str(r.Name), industry: str(r.Industry), ownerId: str(r.OwnerId),
      annualRevenue: num(r.AnnualRevenue), employees: num(r.NumberOfEmployees), parentId: str(r.ParentId),
    }, 'Account', str(r.Id));
    return a ? [a] : [];
  });

  const contacts = records.Contact.flatMap((r) => {
    const name = str(r.Name) ?? [str(r.FirstName), str(r.LastName)].filter(Boolean).join(' ');
    if (!str(r.Title)) note(dq, 'contacts without a title (cannot count as executives)');
    const c = keep(Contact, { id: str(r.Id), accountId: str(r.AccountId), name, title: str(r.Title), department: str(r.Department), email: str(r.Email) }, 'Contact', str(r.Id));
    return c ? [c] : [];
  });
  const contactIds = new Set(contacts.map((c) => c.id));
  const accountIds = new Set(accounts.map((a) => a.id));

  const opportunities = records.Opportunity.flatMap((r) => {
    const o = keep(Opportunity, {
      id: str(r.Id), name: str(r.Name) ?? '', accountId: str(r.AccountId), ownerId: str(r.OwnerId), createdById: str(r.CreatedById),
      stage: str(r.StageName), amount: num(r.Amount), probability: num(r.Probability), closeDate: calendarDate(r.CloseDate),
      createdDate: instant(r.CreatedDate), nextStep: str(r.NextStep), isClosed: bool(r.IsClosed), isWon: bool(r.IsWon),
      salesProcess: str(r.Sales_Process__c), leadSource: str(r.LeadSource), customFields: customFieldsOf(r),
    }, 'Opportunity', str(r.Id));
    if (o) captureOwned('Opportunity', r);
    return o ? [o] : [];
  });
  const opportunityIds = new Set(opportunities.map((o) => o.id));

  const stageHistory = records.OpportunityHistory.flatMap((r) => {
    if (!opportunityIds.has(String(r.OpportunityId))) {
      note(dq, 'stage history rows of unknown deals');
      return [];
    }
    const h = keep(StageHistoryEntry, {
      id: str(r.Id), opportunityId: str(r.OpportunityId), stage: str(r.StageName), createdDate: instant(r.CreatedDate),
      amount: num(r.Amount), closeDate: calendarDate(r.CloseDate),
    }, 'OpportunityHistory', str(r.Id));
    return h ? [h] : [];
  });

  const fieldHistory = (records.OpportunityFieldHistory ?? []).flatMap((r) => {
    if (!opportunityIds.has(String(r.OpportunityId))) return [];
    const h = keep(FieldHistoryEntry, {
      id: str(r.Id), opportunityId: str(r.OpportunityId), field: str(r.Field), oldValue: str(r.OldValue), newValue: str(r.NewValue), createdDate: instant(r.CreatedDate),
    }, 'OpportunityFieldHistory', str(r.Id));
    return h ? [h] : [];
  });

  const contactRoles = records.OpportunityContactRole.flatMap((r) => {
    const role = keep(ContactRole, { id: str(r.Id), opportunityId: str(r.OpportunityId), contactId: str(r.ContactId), role: str(r.Role), isPrimary: bool(r.IsPrimary), createdDate: instant(r.CreatedDate) }, 'OpportunityContactRole', str(r.Id));
    return role ? [role] : [];
  });

  // Shared Activities: every contact related to a Task or Event, beyond its one WhoId.
  const related = new Map<string, string[]>();
  for (const rel of [...(records.TaskRelation ?? []), ...(records.EventRelation ?? [])]) {
    const activityId = str(rel.TaskId) ?? str(rel.EventId);
    const relationId = str(rel.RelationId);
    if (!activityId || !relationId || (rel.IsWhat !== undefined && bool(rel.IsWhat))) continue;
    related.set(activityId, [...(related.get(activityId) ?? []), relationId]);
  }

  const readAtMs = Date.parse(readAt);
  const activityLinks = (r: SfRecord): { opportunityId: string | null; accountId: string | null; contactIds: string[] } => {
    const what = str(r.WhatId);
    const who = [str(r.WhoId), ...(related.get(String(r.Id)) ?? [])].filter((id): id is string => id !== null && contactIds.has(id));
    if (who.length === 0) note(dq, 'activities without a known contact');
    return {
      opportunityId: what && opportunityIds.has(what) ? what : null,
      accountId: str(r.AccountId) ?? (what && accountIds.has(what) ? what : null),
      contactIds: [...new Set(who)],
    };
  };

  const tasks = records.Task.flatMap((r) => {
    const done = bool(r.IsClosed) || str(r.Status)?.toLowerCase() === 'completed';
    // A completed task with no date happened when it was logged; an open one with no date is on no calendar.
    const date = calendarDate(r.ActivityDate) ?? (done ? instant(r.CreatedDate)?.slice(0, 10) ?? null : null);
    if (!date) {
      note(dq, done ? 'completed tasks without a date' : 'open tasks without a due date (not a scheduled next step)');
      return [];
    }
    const kind = taskKind(r);
    const a = keep(Activity, {
      id: str(r.Id), kind, date, ownerId: str(r.OwnerId), ...activityLinks(r), subject: str(r.Subject),
      callDurationSeconds: kind === 'call' ? num(r.CallDurationInSeconds) : null,
      callConnected: kind === 'call' ? callConnected(str(r.CallDisposition)) : null,
      status: done ? 'done' : 'open', createdDate: instant(r.CreatedDate),
    }, 'Task', str(r.Id));
    return a ? [a] : [];
  });

  const events = records.Event.flatMap((r) => {
    const date = instant(r.ActivityDateTime) ?? calendarDate(r.ActivityDate);
    if (!date) {
      note(dq, 'events without a date');
      return [];
    }
    const a = keep(Activity, {
      id: str(r.Id), kind: 'meeting', date, ownerId: str(r.OwnerId), ...activityLinks(r), subject: str(r.Subject),
      status: Date.parse(date) <= readAtMs ? 'done' : 'open', createdDate: instant(r.CreatedDate),
    }, 'Event', str(r.Id));
    return a ? [a] : [];
  });

  const attestations = records.Milestone_Attestation__c.flatMap((r) => {
    const a = keep(Attestation, {
      id: str(r.Id), opportunityId: str(r.Opportunity__c), milestoneKey: str(r.Milestone_Key__c), note: str(r.Note__c),
      attestedById: str(r.CreatedById), attestedAt: instant(r.CreatedDate),
    }, 'Milestone_Attestation__c', str(r.Id));
    return a ? [a] : [];
  });

  const scorecards = (records.Rep_Scorecard__c ?? []).flatMap((r): StoredScorecard[] => {
    const key = str(r.Scorecard_Key__c);
    if (!key || !str(r.Rep__c)) {
      note(dq, 'scorecards without a key or a rep (ignored)');
      return [];
    }
    const values: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(r)) if (ownedField('Rep_Scorecard__c', name)) values[name] = value ?? null;
    owned.set(`Rep_Scorecard__c:${key}`, values);
    return [{ id: String(r.Id), key, repId: String(r.Rep__c), period: String(r.Period__c ?? ''), periodStart: calendarDate(r.Period_Start__c) ?? '', behaviourScore: num(r.Behaviour_Score__c), isCurrent: bool(r.Is_Current__c) }];
  });

  const reviews = (records.Quarterly_Review__c ?? []).flatMap((r): StoredReview[] => {
    if (!str(r.Id) || !str(r.Rep__c) || !str(r.Quarter__c)) return [];
    owned.set(`Quarterly_Review__c:${String(r.Id)}`, { Measured_Actuals__c: r.Measured_Actuals__c ?? null });
    return [{ id: String(r.Id), repId: String(r.Rep__c), quarter: String(r.Quarter__c), objectives: str(r.Objectives__c) }];
  });

  return {
    snapshot: { users, accounts, contacts, opportunities, stageHistory, contactRoles, activities: [...tasks, ...events], attestations, ...(fieldHistory.length ? { fieldHistory } : {}) },
    owned,
    scorecards,
    reviews,
    dataQuality: dq,
  };
};
