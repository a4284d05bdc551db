// The one port every CRM adapter implements: read the org, write a plan of owned-field changes.
// Nothing CRM-specific leaves an adapter.
import type { DataQuality } from '../../../shared/src/data-quality.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
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
  write(plan: WriteBackPlan): Promise<WriteResult>;
  close(): Promise<void>;
}
