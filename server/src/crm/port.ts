// The one port every CRM adapter implements: read the org, write a plan of owned-field changes.
// Nothing CRM-specific leaves an adapter.
import type { DataQuality } from '../../../shared/src/data-quality.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import type { WriteBackPlan } from '../../../shared/src/write-back/planner.ts';
import type { FieldValue } from '../../../shared/src/fields.ts';
import type { StoredPeriod } from '../../../shared/src/engine/scorecard-fields.ts';
import type { InspectionRecord } from '../../../shared/src/engine/coaching.ts';
import type { GoalRecord } from '../../../shared/src/engine/coaching-fields.ts';

/** Owned field values the CRM holds now, keyed "Object:id" then by the field's logical (un-namespaced) name. */
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

/** A coaching plan in the CRM (the manager's record): the companion fills in each week's value and the verdict. */
export interface StoredPlan {
  id: string;
  name: string | null;
  repId: string;
  signal: string;
  competency: string | null;
  startDate: string;
  reviewDate: string | null;
  status: string | null;
  outcome: string | null;
  /** The Weekly_Values__c document the companion wrote last time (baseline and weeks since), or null. */
  weeklyValues: string | null;
}

/** A team goal in the CRM (the manager's record), as the engine reads it; the adapters always carry the Progress__c
 * the companion wrote last time (null before the first), and the companion fills in the measured progress. */
export interface StoredGoal extends GoalRecord {
  progress: string | null;
}

/** The coaching loop's records (package objects a CRM may not have yet: then empty). */
export interface CoachingRecords {
  plans: StoredPlan[];
  goals: StoredGoal[];
  inspections: InspectionRecord[];
}

export interface OrgRead {
  snapshot: OrgSnapshot;
  /** What the CRM holds now in the fields Stagecraft owns: the planner diffs against it. */
  owned: OwnedValues;
  /** The weekly scorecards the CRM holds: this period's is upserted, the trend is read from the rest. */
  scorecards: StoredScorecard[];
  /** Quarterly reviews: this quarter's get their measured actuals filled. */
  reviews: StoredReview[];
  /** Coaching plans, team goals and deal inspections (absent: the CRM has none of these objects). */
  coaching?: CoachingRecords;
  dataQuality: DataQuality;
  /** Records read, per object. */
  counts: Record<string, number>;
  /** Deals a scoped read brought only as context (ReadScope.ownersOfDeals): the owners' other deals, not to be recomputed. */
  contextDealIds?: string[];
  /** The read was scoped and the reader already counted every activity's problems (see ReadScope). */
  activitiesCounted?: boolean;
  /**
   * The playbook the org configures (Salesforce: Stage_Gate__c / Gate_Milestone__c), validated with the playbook schema;
   * null playbook = the org holds none (or none valid): the configured one applies. Bad records are reported, skipped.
   */
  orgPlaybook?: { playbook: Playbook | null; problems: { object: string; id: string; message: string }[] };
  /**
   * Every Opportunity field the CRM offers this user (API names): a playbook rule naming another one is a configuration
   * error, not a milestone every deal misses. Absent: the adapter cannot tell.
   */
  opportunityFields?: string[];
}

/**
 * What a computation needs of the org, so a reader can leave the rest in the store. Without a scope, everything is read
 * (analytics and backtests look at every closed deal's activities). With one, activities are those of open deals and
 * those dated on or after `activitiesSince` (rep signals look back a fixed number of weeks); every activity is still
 * judged for data quality as of `asOf` as it streams past.
 */
export interface ReadScope {
  asOf: string;
  activitiesSince: string;
  /**
   * Only these deals (an incremental recompute): their records, the contacts and accounts they touch, and the users.
   * Org-level facts then come from the last full pass, not from this read.
   */
  dealIds?: readonly string[];
  /**
   * With dealIds: also what the rep signals of those deals' owners read, so the recompute can rescore the owners —
   * each owner's own deals (open and closed) with their history, roles and activities, the owners' weekly scorecards
   * and quarterly reviews with their owned values. Read from the adapter's local mirror where it has one. The owners'
   * other deals come back in `contextDealIds`: read for the rep signals, not recomputed.
   */
  ownersOfDeals?: boolean;
}

/** What changed in the CRM since a cursor: the deals to recompute, and the cursor to resume from next time. */
export interface ChangeSet {
  dealIds: string[];
  /** Records changed, by object (for the summary). */
  changed: Record<string, number>;
  cursor: string;
  /**
   * The latest change time the CRM reported (its clock). A recompute describes a moment no earlier than this, so a
   * change stamped a little ahead of the companion's clock is not taken for one made after asOf.
   */
  latestAt?: string | null;
}

export interface WriteResult {
  recordsWritten: number;
  fieldsWritten: number;
  /** Per-record failures: reported, never retried forever. */
  failures: { object: string; id: string; message: string }[];
  apiCalls: number;
}

/** One pushed change notification (Salesforce: a Change Data Capture event), in the CRM's own object names. */
export interface StreamEvent {
  object: string;
  /** gap and overflow: the CRM could not describe the change — re-read the object. */
  change: 'create' | 'update' | 'delete' | 'undelete' | 'gap' | 'overflow';
  recordIds: string[];
  /** The values the event carries (changed fields of an update, every set field of a create). */
  fields: Record<string, unknown>;
  changedFields: string[];
  /** A change the companion itself made (only fields it owns changed): nothing to recompute. */
  ownWrite: boolean;
  /** When the CRM committed the change (its clock), when the event says. */
  committedAt: string | null;
  /** Where the stream resumes after this event (Salesforce: channel and replay id); null for a synthetic event. */
  position: { channel: string; replayId: number } | null;
}

/** Push notifications of changes, where the CRM offers them (Salesforce Change Data Capture). */
export interface ChangeStream {
  /**
   * Subscribes from the last committed positions. Objects the CRM does not stream (not enabled) are returned as
   * unavailable: the caller polls for them.
   */
  start(onEvents: (events: StreamEvent[]) => void): Promise<{ streamed: string[]; unavailable: { object: string; reason: string }[] }>;
  /** The deals a batch touches, and whether it needs a recompute at all (a contact on no deal needs none). */
  affected(events: readonly StreamEvent[]): Promise<{ dealIds: string[]; recompute: boolean }>;
  /** Positions to store with the next committed run (they are covered by it), or at once when nothing needs recomputing. */
  cover(events: readonly StreamEvent[]): void;
  commitPositions(events: readonly StreamEvent[]): Promise<void>;
  /** Re-read these objects whole on the next read (gap and overflow events). */
  resync(objects: readonly string[]): void;
  stop(): Promise<void>;
}

export interface CrmAdapter {
  readonly name: string;
  /** `onProgress` reports records (or objects) read so far, for a progress bar. */
  read(readAt: string, onProgress?: (done: number, total: number) => void, scope?: ReadScope): Promise<OrgRead>;
  /** The playbook configured locally, before a read: an adapter that reads a fixed field list adds the fields its rules name. */
  usePlaybook?(playbook: Playbook): void;
  write(plan: WriteBackPlan): Promise<WriteResult>;
  close(): Promise<void>;
  // Optional run journal (adapters that read incrementally and can be interrupted mid-write):
  /** The asOf of an interrupted run, so resuming it ends where the uninterrupted run would have. */
  resumableAsOf?(): Promise<string | null>;
  beginRun?(asOf: string): Promise<void>;
  /** Called only after a successful write-back: incremental cursors may advance now. */
  commitRun?(): Promise<void>;
  /** The run stopped early (API budget): keep it resumable. */
  stopRun?(reason: string): Promise<void>;
  /**
   * The run failed before it wrote anything (a refused login, a failed read): a run begun by this attempt is closed,
   * not left to be resumed — the next sync is as of its own moment. A resumed run stays resumable.
   */
  failRun?(reason: string): Promise<void>;
  /** Changes since `cursor` (null: the CRM's current position, with no changes). Adapters that can tell implement it. */
  changesSince?(cursor: string | null): Promise<ChangeSet>;
  /** The deals a batch of pushed change events (webhook deliveries, as received) touches. Push-capable adapters implement it. */
  dealsOfChanges?(events: readonly unknown[]): Promise<{ dealIds: string[]; latestAt: string | null }>;
  /** API calls used so far, by kind (and `total`). */
  apiCalls?(): Record<string, number>;
  /** Pushed change notifications, where the CRM offers them (null: poll only); `notice` hears the stream ending or reopening. */
  changeStream?(notice?: (error: Error) => void): ChangeStream | null;
}
