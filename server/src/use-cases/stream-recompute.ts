// The incremental recompute a change stream triggers (Salesforce Change Data Capture): the org's changes are read and
// merged into the mirror as in any incremental sync, but only the deals the events name — and those the changes just
// read touch — are computed and written, with the org-level facts of the last full sync. Without those facts (first
// run, another playbook) it is an ordinary incremental sync.
import type { Companion } from '../composition.ts';
import { AppError } from '../errors.ts';
import type { LastSync } from '../store/tenant-state.ts';
import { playbookHash, syncOrg, type SyncOutcome } from './companion-sync.ts';
import { notBefore } from './webhook-inbox.ts';
import { recomputeDeals } from './sync.ts';

/** What a batch of stream events asks for: its deals, and the objects to re-read whole (gap and overflow events). */
export interface StreamedChanges {
  dealIds: readonly string[];
  resynced: readonly string[];
  /** The latest commit time of the events: the recompute describes a moment no earlier (the org's clock may run ahead). */
  latestAt?: string | null;
}

export const recomputeStreamed = async (c: Companion, { dealIds, resynced, latestAt }: StreamedChanges): Promise<SyncOutcome> => {
  const asOf = notBefore(latestAt);
  const adapter = await c.adapter();
  const loaded = c.playbook();
  const tenant = c.tenant();
  const facts = await c.state.facts(tenant);
  // An object re-read whole may have changed anything: every deal is computed.
  if (resynced.length || !dealIds.length || !adapter.commitRun || !facts || facts.playbookHash !== playbookHash(loaded.playbook) || !facts.raisedFlags || !facts.winModel) {
    return syncOrg(c, { incremental: true, asOf });
  }
  const reported = { playbookErrors: loaded.errors, playbookSource: loaded.source };
  try {
    // The reader adds the fields the playbook's rules name: the same playbook as the last full sync, or it re-reads all.
    adapter.usePlaybook?.(loaded.playbook);
    const summary = await recomputeDeals({ adapter, playbook: loaded.playbook, dealIds, benchmarks: new Map(facts.benchmarks), closedDealFacts: { raisedFlags: new Set(facts.raisedFlags), winModel: facts.winModel }, repFacts: facts.repFacts, quotas: c.quotas(), asOf });
    // The mirror takes the read's changes and the cursors (and the stream's positions) advance only now.
    await adapter.commitRun();
    const last: LastSync = { at: new Date().toISOString(), asOf: summary.asOf, mode: 'incremental', fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length };
    await c.state.setLastSync(tenant, last);
    return { kind: 'done', summary, changes: null, ...reported };
  } catch (error) {
    if (!(error instanceof AppError) || error.kind !== 'budget') throw error;
    return { kind: 'stopped', message: error.message, apiCalls: adapter.apiCalls?.() ?? null, ...reported };
  }
};
