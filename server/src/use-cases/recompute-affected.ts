// The incremental recompute every push entry point calls — the HubSpot webhook worker and the Salesforce Change Data
// Capture stream: the org's changes are read (and, where the connector keeps a mirror, merged into it as in any
// incremental sync), but only the deals the events name — and those the changes just read touch — are computed and
// written, with the org-level facts of the last full sync; each changed deal's owner is rescored against the stored
// peer figures. Without those facts (first run, another playbook since), or when an object had to be re-read whole
// (a gap or overflow event), it is an ordinary incremental sync, which falls back to a full one when it must.
import type { Companion } from '../composition.ts';
import { AppError } from '../errors.ts';
import type { LastSync } from '../store/tenant-state.ts';
import { playbookHash, syncOrg, type SyncOutcome } from './companion-sync.ts';
import { recomputeDeals } from './sync.ts';

/** What a batch of pushed events asks for. */
export interface PushedChanges {
  dealIds: readonly string[];
  /** Objects to re-read whole (Salesforce gap and overflow events). */
  resynced?: readonly string[];
  /** The latest change time the events carry: the recompute describes a moment no earlier (the CRM's clock may run ahead). */
  latestAt?: string | null;
}

/** Now, or the CRM's latest change time when its clock runs ahead of ours (so that change is not "after asOf"). */
export const notBefore = (latestAt: string | null | undefined, now = Date.now()): string | undefined => {
  const at = Date.parse(latestAt ?? '');
  return at > now ? new Date(at).toISOString() : undefined;
};

export const recomputeAffected = async (c: Companion, { dealIds, resynced = [], latestAt }: PushedChanges): Promise<SyncOutcome> => {
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
    const summary = await recomputeDeals({
      adapter, playbook: loaded.playbook, dealIds: [...new Set(dealIds)], benchmarks: new Map(facts.benchmarks),
      closedDealFacts: { raisedFlags: new Set(facts.raisedFlags), winModel: facts.winModel }, repFacts: facts.repFacts, quotas: c.quotas(), asOf,
    });
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
