// The incremental recompute every push entry point calls (a webhook worker, a change-data subscriber): the deals a change
// touched are read, computed with the org-level facts of the last full sync and written — only their changed fields.
// Without those facts (no full sync yet, or another playbook since) a full sync runs instead: it learns them.
import type { Companion } from '../composition.ts';
import { playbookHash, syncOrg, type SyncOutcome } from './companion-sync.ts';
import { recomputeDeals } from './sync.ts';

export const recomputeAffected = async (c: Companion, dealIds: readonly string[], options: { asOf?: string } = {}): Promise<SyncOutcome> => {
  const adapter = await c.adapter();
  const loaded = c.playbook();
  const tenant = c.tenant();
  const facts = await c.state.facts(tenant);
  if (!facts?.raisedFlags || !facts.winModel || facts.playbookHash !== playbookHash(loaded.playbook)) return syncOrg(c, { asOf: options.asOf });
  const summary = await recomputeDeals({
    adapter, playbook: loaded.playbook, dealIds: [...new Set(dealIds)], benchmarks: new Map(facts.benchmarks),
    closedDealFacts: { raisedFlags: new Set(facts.raisedFlags), winModel: facts.winModel }, asOf: options.asOf,
  });
  await c.state.setLastSync(tenant, { at: new Date().toISOString(), asOf: summary.asOf, mode: summary.mode, fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length });
  return { kind: 'done', summary, changes: null, playbookErrors: loaded.errors, playbookSource: loaded.source };
};
