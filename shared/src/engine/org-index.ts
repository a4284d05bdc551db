// One pass over a snapshot that groups records by deal, so every per-deal computation touches only its own records.
// Built once per sync (and once per deal for an incremental recompute); parsing of dates happens here, not in loops.
import type { Activity, Attestation, Contact, ContactRole, OrgSnapshot, StageHistoryEntry, User } from '../model.ts';
import { isExecutive } from './titles.ts';
import { toMs } from './time.ts';

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

export interface OrgIndex {
  snapshot: OrgSnapshot;
  usersById: Map<string, User>;
  contactsById: Map<string, Contact>;
  contactsByAccount: Map<string, Contact[]>;
  /** Contact ids whose title is director level or above. */
  executiveContactIds: Set<string>;
  activitiesByOpportunity: Map<string, IndexedActivity[]>;
  /** Oldest first; ties keep the CRM's order. */
  historyByOpportunity: Map<string, IndexedHistory[]>;
  rolesByOpportunity: Map<string, ContactRole[]>;
  attestationsByOpportunity: Map<string, Attestation[]>;
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

export const indexActivity = (activity: Activity): IndexedActivity => {
  const ms = toMs(activity.date);
  const createdMs = activity.createdDate ? toMs(activity.createdDate) : Number.NEGATIVE_INFINITY;
  return { activity, ms, day: Math.floor(ms / 86_400_000), dateOnly: activity.date.length === 10, createdMs };
};

export const buildOrgIndex = (snapshot: OrgSnapshot): OrgIndex => {
  const contactsById = new Map(snapshot.contacts.map((c) => [c.id, c]));
  const contactsByAccount = new Map<string, Contact[]>();
  for (const c of snapshot.contacts) if (c.accountId) push(contactsByAccount, c.accountId, c);
  const executiveContactIds = new Set(snapshot.contacts.filter((c) => isExecutive(c.title)).map((c) => c.id));

  const activitiesByOpportunity = new Map<string, IndexedActivity[]>();
  for (const activity of snapshot.activities) {
    if (activity.opportunityId) push(activitiesByOpportunity, activity.opportunityId, indexActivity(activity));
  }

  const historyByOpportunity = new Map<string, IndexedHistory[]>();
  for (const entry of snapshot.stageHistory) push(historyByOpportunity, entry.opportunityId, { entry, ms: toMs(entry.createdDate) });
  // A stable sort keeps rows with the same timestamp in the CRM's order.
  for (const rows of historyByOpportunity.values()) rows.sort((a, b) => a.ms - b.ms);

  const rolesByOpportunity = new Map<string, ContactRole[]>();
  for (const role of snapshot.contactRoles) push(rolesByOpportunity, role.opportunityId, role);

  const attestationsByOpportunity = new Map<string, Attestation[]>();
  for (const a of snapshot.attestations) push(attestationsByOpportunity, a.opportunityId, a);

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
  };
};
