// The main job: read the org → compute the indicators as of asOf → plan the write-back against what the CRM holds →
// write only what changed. `dryRun` stops after the plan.
import { describeDataQuality, mergeDataQuality } from '../../../shared/src/data-quality.ts';
import { computeOrgIndicators, dealFieldValues } from '../../../shared/src/engine/opportunity.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { planWriteBack, type RecordValues, type WriteBackPlan } from '../../../shared/src/write-back/planner.ts';
import type { CrmAdapter, WriteResult } from '../crm/port.ts';

export interface SyncOptions {
  adapter: CrmAdapter;
  playbook: Playbook;
  /** The moment the indicators describe; defaults to now. */
  asOf?: string;
  dryRun?: boolean;
  now?: () => Date;
  /** Called as each step starts, so a CLI can show progress. */
  onStep?: (step: 'read' | 'compute' | 'plan' | 'write') => void;
}

export interface SyncSummary {
  crm: string;
  asOf: string;
  dryRun: boolean;
  recordsRead: Record<string, number>;
  indicatorsComputed: { opportunities: number };
  plan: WriteBackPlan;
  written: WriteResult | null;
  dataQuality: string[];
  /** Gate configuration records the org holds that were rejected (each also written to its Configuration_Error__c). */
  configurationErrors: string[];
  /** API calls the adapter used, by kind (CRMs with an API budget). */
  apiCalls: Record<string, number> | null;
  durationMs: number;
}

export const runSync = async ({ adapter, playbook, asOf, dryRun = false, now = () => new Date(), onStep }: SyncOptions): Promise<SyncSummary> => {
  const started = now();
  // An interrupted run is resumed with its own asOf, so the end state is the one the uninterrupted run would have left.
  const asOfIso = new Date(asOf ?? adapter.resumableAsOf?.() ?? started.toISOString()).toISOString();
  if (!dryRun) await adapter.beginRun?.(asOfIso);

  onStep?.('read');
  const org = await adapter.read(started.toISOString());

  // Gate configuration kept in the org wins over the local playbook; its bad records are skipped and reported.
  const inForce = org.orgPlaybook?.playbook ?? playbook;
  const configurationErrors = (org.orgPlaybook?.problems ?? []).map((p) => `${p.object} ${p.id}: ${p.message}`);

  onStep?.('compute');
  const { deals, dataQuality } = computeOrgIndicators(org.snapshot, inForce, asOfIso);

  onStep?.('plan');
  const computed: RecordValues[] = deals.map((d) => ({ object: 'Opportunity', id: d.opportunityId, values: dealFieldValues(d, asOfIso) }));
  const plan = planWriteBack(computed, org.owned);

  let written: WriteResult | null = null;
  if (!dryRun && plan.records.length > 0) {
    onStep?.('write');
    written = await adapter.write(plan);
  }
  if (!dryRun) await adapter.commitRun?.();

  return {
    crm: adapter.name,
    asOf: asOfIso,
    dryRun,
    recordsRead: org.counts,
    indicatorsComputed: { opportunities: deals.length },
    plan,
    written,
    dataQuality: describeDataQuality(mergeDataQuality(org.dataQuality, dataQuality)),
    configurationErrors,
    apiCalls: adapter.apiCalls?.() ?? null,
    durationMs: now().getTime() - started.getTime(),
  };
};
