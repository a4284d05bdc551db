// The incremental recompute every push entry point calls — the HubSpot webhook worker and the Salesforce Change Data
// Capture stream: the org's changes are read (and, where the connector keeps a mirror, merged into it as in any
// incremental sync), but only the deals the events name — and those the changes just read touch — are computed and
// written, with the org-level facts of the last full sync; each changed deal's owner is rescored against the stored
// peer figures. Without those facts (first run, another playbook since), or when an object had to be re-read whole
// (a gap or overflow event), it is an ordinary incremental sync, which falls back to a full one when it must.
import type { Companion } from '../composition.ts';
import { AppError } from '../errors.ts';
import { notBefore, recomputeWithFacts, recordLastSync, syncOrg, usableFacts, type SyncOutcome } from './companion-sync.ts';

/** What a batch of pushed events asks for. */
export interface PushedChanges {
  dealIds: readonly string[];
  /** Objects to re-read whole (Salesforce gap and overflow events). */
  resynced?: readonly string[];
  /** The latest change time the events carry: the recompute describes a moment no earlier (the CRM's clock may run ahead). */
  latestAt?: string | null;
}

export const recomputeAffected = async (c: Companion, { dealIds, resynced = [], latestAt }: PushedChanges): Promise<SyncOutcome> => {
  const asOf = notBefore(latestAt);
  const adapter = await c.adapter();
  const loaded = c.playbook();
  const facts = usableFacts(await c.state.facts(c.tenant()), loaded.playbook);
  // An object re-read whole may have changed anything: every deal is computed.
  if (resynced.length || !dealIds.length || !adapter.commitRun || !facts) return syncOrg(c, { incremental: true, asOf });
  const reported = { playbookErrors: loaded.errors, playbookSource: loaded.source };
  try {
    // The reader adds the fields the playbook's rules name: the same playbook as the last full sync, or it re-reads all.
    adapter.usePlaybook?.(loaded.playbook);
    const summary = await recomputeWithFacts(c, adapter, loaded.playbook, facts, [...new Set(dealIds)], asOf);
    // The mirror takes the read's changes and the cursors (and the stream's positions) advance only now.
    await adapter.commitRun();
    await recordLastSync(c, summary);
    return { kind: 'done', summary, changes: null, ...reported };
  } catch (error) {
    if (!(error instanceof AppError) || error.kind !== 'budget') throw error;
    return { kind: 'stopped', message: error.message, apiCalls: adapter.apiCalls?.() ?? null, ...reported };
  }
};
