// One pass over a snapshot that groups records by deal, so every per-deal computation touches only its own records.
// Built once per sync (and once per deal for an incremental recompute); parsing of dates happens here, not in loops.
import type { Activity, Attestation, Contact, ContactRole, OrgSnapshot, StageHistoryEntry, User } from '../model.ts';
import { isExecutive } from './titles.ts';
import { toMs } from './time.ts';
import { pushTo } from './group.ts';

/** An activity with its dates parsed once. */
export interface IndexedActivity {
  activity: Activity;
  /** Epoch ms of its date (a calendar date is 00:00 UTC of that day). */
  ms: number;
  /** UTC day number. */
  day: number;
  /** Calendar date with no time (a Task's ActivityDate): "due that day", compared by day. */
  dateOnly: boolean;
  /** When the record was created (epoch ms), or -Infinity when unknown (then it is taken to have always existed). */
  createdMs: number;
}

export interface IndexedHistory {
  entry: StageHistoryEntry;
  ms: number;
}

/** A field history row with its time parsed; `field` in lower case (the API compares field names without case). */
export interface IndexedFieldChange {
  field: string;
  ms: number;
  oldValue: string | null;
  newValue: string | null;
}

export interface OrgIndex {
  snapshot: OrgSnapshot;
  usersById: Map<string, User>;
  contactsById: Map<string, Contact>;
  contactsByAccount: Map<string, Contact[]>;
  /** Contact ids whose title is director level or above. */
  executiveContactIds: Set<string>;
  /** Parsed on first use per deal: a sync touches open deals' activities, most of an org's are on closed ones. */
  activitiesByOpportunity: LazyGroups<Activity, IndexedActivity>;
  /** Oldest first; ties keep the CRM's order. */
  historyByOpportunity: Map<string, IndexedHistory[]>;
  rolesByOpportunity: Map<string, ContactRole[]>;
  attestationsByOpportunity: Map<string, Attestation[]>;
  /** Field history per deal, oldest first. */
  fieldHistoryByOpportunity: Map<string, IndexedFieldChange[]>;
  /** Fields (lower case) with any field history: the ones the org tracks. */
  trackedFields: Set<string>;
}

/** Records grouped by key, turned into their indexed form the first time a group is asked for. */
export class LazyGroups<Raw, Indexed> {
  private readonly raw = new Map<string, Raw[]>();
  private readonly done = new Map<string, Indexed[]>();
  private readonly convert: (r: Raw) => Indexed;

  constructor(convert: (r: Raw) => Indexed) {
    this.convert = convert;
  }

  add(key: string, record: Raw): void {
    pushTo(this.raw, key, record);
  }

  get(key: string): Indexed[] | undefined {
    let list = this.done.get(key);
    if (list) return list;
    const raw = this.raw.get(key);
    if (!raw) return undefined;
    list = raw.map(this.convert);
    this.done.set(key, list);
    return list;
  }

  /** Replaces one group (an incremental recompute after a deal changed). */
  set(key: string, indexed: Indexed[]): void {
    this.done.set(key, indexed);
    this.raw.set(key, []);
  }

  keys(): IterableIterator<string> {
    return this.raw.keys();
  }

  *values(): IterableIterator<Indexed[]> {
    for (const key of this.raw.keys()) yield this.get(key)!;
  }
}

export const indexActivity = (activity: Activity): IndexedActivity => {
  const ms = toMs(activity.date);
  const createdMs = activity.createdDate ? toMs(activity.createdDate) : Number.NEGATIVE_INFINITY;
  return { activity, ms, day: Math.floor(ms / 86_400_000), dateOnly: activity.date.length === 10, createdMs };
};

export const buildOrgIndex = (snapshot: OrgSnapshot): OrgIndex => {
  const contactsById = new Map(snapshot.contacts.map((c) => [c.id, c]));
  const contactsByAccount = new Map<string, Contact[]>();
  for (const c of snapshot.contacts) if (c.accountId) pushTo(contactsByAccount, c.accountId, c);
  // Thousands of contacts share a few dozen titles: classify each distinct title once.
  const byTitle = new Map<string, boolean>();
  const executive = (title: string | null | undefined): boolean => {
    const key = title ?? '';
    let known = byTitle.get(key);
    if (known === undefined) byTitle.set(key, (known = isExecutive(title)));
    return known;
  };
  const executiveContactIds = new Set(snapshot.contacts.filter((c) => executive(c.title)).map((c) => c.id));

  const activitiesByOpportunity = new LazyGroups<Activity, IndexedActivity>(indexActivity);
  for (const activity of snapshot.activities) if (activity.opportunityId) activitiesByOpportunity.add(activity.opportunityId, activity);

  const historyByOpportunity = new Map<string, IndexedHistory[]>();
  for (const entry of snapshot.stageHistory) pushTo(historyByOpportunity, entry.opportunityId, { entry, ms: toMs(entry.createdDate) });
  // A stable sort keeps rows with the same timestamp in the CRM's order.
  for (const rows of historyByOpportunity.values()) rows.sort((a, b) => a.ms - b.ms);

  const rolesByOpportunity = new Map<string, ContactRole[]>();
  for (const role of snapshot.contactRoles) pushTo(rolesByOpportunity, role.opportunityId, role);

  const attestationsByOpportunity = new Map<string, Attestation[]>();
  for (const a of snapshot.attestations) pushTo(attestationsByOpportunity, a.opportunityId, a);

  const fieldHistoryByOpportunity = new Map<string, IndexedFieldChange[]>();
  const trackedFields = new Set<string>();
  for (const h of snapshot.fieldHistory ?? []) {
    const field = h.field.toLowerCase();
    trackedFields.add(field);
    pushTo(fieldHistoryByOpportunity, h.opportunityId, { field, ms: toMs(h.createdDate), oldValue: h.oldValue ?? null, newValue: h.newValue ?? null });
  }
  for (const rows of fieldHistoryByOpportunity.values()) rows.sort((a, b) => a.ms - b.ms);

  return {
    snapshot,
    usersById: new Map(snapshot.users.map((u) => [u.id, u])),
    contactsById,
    contactsByAccount,
    executiveContactIds,
    activitiesByOpportunity,
    historyByOpportunity,
    rolesByOpportunity,
    attestationsByOpportunity,
    fieldHistoryByOpportunity,
    trackedFields,
  };
};
