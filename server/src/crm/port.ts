// The one port every CRM adapter implements: read the org, write a plan of owned-field changes.
// Nothing CRM-specific leaves an adapter.
import type { DataQuality } from '../../../shared/src/data-quality.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import type { WriteBackPlan } from '../../../shared/src/write-back/planner.ts';
import type { OwnedValues, StoredReview, StoredScorecard } from './salesforce-shape.ts';

export interface OrgRead {
  snapshot: OrgSnapshot;
  /** What the CRM holds now in the fields Stagecraft owns: the planner diffs against it. */
  owned: OwnedValues;
  /** The weekly scorecards the CRM holds: this period's is upserted, the trend is read from the rest. */
  scorecards: StoredScorecard[];
  /** Quarterly reviews: this quarter's get their measured actuals filled. */
  reviews: StoredReview[];
  dataQuality: DataQuality;
  /** Records read, per object. */
  counts: Record<string, number>;
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

export interface WriteResult {
  recordsWritten: number;
  fieldsWritten: number;
  /** Per-record failures: reported, never retried forever. */
  failures: { object: string; id: string; message: string }[];
  apiCalls: number;
}

export interface CrmAdapter {
  readonly name: string;
  /** `onProgress` reports records (or objects) read so far, for a progress bar. */
  read(readAt: string, onProgress?: (done: number, total: number) => void): Promise<OrgRead>;
  /** The playbook configured locally, before a read: an adapter that reads a fixed field list adds the fields its rules name. */
  usePlaybook?(playbook: Playbook): void;
  write(plan: WriteBackPlan): Promise<WriteResult>;
  close(): Promise<void>;
  // Optional run journal (adapters that read incrementally and can be interrupted mid-write):
  /** The asOf of an interrupted run, so resuming it ends where the uninterrupted run would have. */
  resumableAsOf?(): string | null;
  beginRun?(asOf: string): Promise<void>;
  /** Called only after a successful write-back: incremental cursors may advance now. */
  commitRun?(): Promise<void>;
  /** The run stopped early (API budget): keep it resumable. */
  stopRun?(reason: string): Promise<void>;
  /** API calls used so far, by kind (and `total`). */
  apiCalls?(): Record<string, number>;
}
