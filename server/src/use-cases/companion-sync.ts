// The sync use cases every entry point calls — `stagecraft sync`, `start`, `serve`'s poller, the API's "Sync now" and
// the attestation's "recalculate now": one function each, so the CLI and the HTTP server cannot drift apart (playbook,
// quotas, backfill, the last-sync record and the budget stop are decided here, once).
import { createHash } from 'node:crypto';
import type { Companion } from '../composition.ts';
import type { ChangeSet } from '../crm/port.ts';
import { AppError } from '../errors.ts';
import type { PlaybookError } from '../../../shared/src/playbook/schema.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import type { CrmAdapter } from '../crm/port.ts';
import type { LastSync, OrgFacts } from '../store/tenant-state.ts';
import { recomputeDeals, runSync, type SyncSummary } from './sync.ts';

/** On the first sync, reps get this many past weekly scorecards so their trend is visible from day one. */
export const BACKFILL_WEEKS = 6;

export type SyncStep = 'read' | 'compute' | 'score' | 'plan' | 'write';

export interface SyncRequest {
  dryRun?: boolean;
  asOf?: string;
  /** Recompute only what changed since the last sync, when the CRM can tell and the last full sync's facts still hold. */
  incremental?: boolean;
  onStep?: (step: SyncStep) => void;
  onProgress?: (done: number, total: number) => void;
}

export type SyncOutcome =
  | { kind: 'done'; summary: SyncSummary; changes: ChangeSet | null; playbookErrors: PlaybookError[]; playbookSource: string }
  /** The API budget stopped the run: nothing is lost, the next run resumes it. */
  | { kind: 'stopped'; message: string; apiCalls: Record<string, number> | null; playbookErrors: PlaybookError[]; playbookSource: string };

/** How long a judgement of which risk flags predict losses is reused by full syncs. */
export const FLAG_JUDGEMENT_TTL_MS = 7 * 86_400_000;

export const playbookHash = (playbook: Playbook): string => createHash('sha256').update(JSON.stringify(playbook)).digest('hex').slice(0, 16);

/** Now, or the CRM's latest change time when its clock runs ahead of ours (so that change is not "after asOf"). */
export const notBefore = (latestAt: string | null | undefined, now = Date.now()): string | undefined => {
  const at = Date.parse(latestAt ?? '');
  return at > now ? new Date(at).toISOString() : undefined;
};

type UsableFacts = OrgFacts & Required<Pick<OrgFacts, 'winModel'>>;

/** The last full sync's facts, when they hold for this playbook and are whole; otherwise a full pass must come first. */
export const usableFacts = (facts: OrgFacts | null, playbook: Playbook): UsableFacts | null =>
  facts && facts.playbookHash === playbookHash(playbook) && facts.raisedFlags && facts.winModel ? (facts as UsableFacts) : null;

/** The changed deals recomputed against the last full sync's facts (the incremental sync and the push entry points). */
export const recomputeWithFacts = (c: Companion, adapter: CrmAdapter, playbook: Playbook, facts: UsableFacts, dealIds: readonly string[], asOf: string | undefined, dryRun?: boolean): Promise<SyncSummary> =>
  recomputeDeals({ adapter, playbook, dealIds, benchmarks: new Map(facts.benchmarks), closedDealFacts: { raisedFlags: new Set(facts.raisedFlags), winModel: facts.winModel }, repFacts: facts.repFacts, quotas: c.quotas(), asOf, dryRun });

/** Records the run as the tenant's last sync. */
export const recordLastSync = (c: Companion, summary: SyncSummary): Promise<void> => {
  const last: LastSync = { at: new Date().toISOString(), asOf: summary.asOf, mode: summary.mode, fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length };
  return c.state.setLastSync(c.tenant(), last);
};

export const syncOrg = async (c: Companion, request: SyncRequest = {}): Promise<SyncOutcome> => {
  if (request.asOf !== undefined && Number.isNaN(Date.parse(request.asOf))) throw new AppError('bad_input', `as-of "${request.asOf}" is not an ISO date`);
  const adapter = await c.adapter();
  const loaded = c.playbook();
  const tenant = c.tenant();
  const hash = playbookHash(loaded.playbook);
  const reported = { playbookErrors: loaded.errors, playbookSource: loaded.source };

  if (request.incremental && adapter.changesSince) {
    const [stored, cursor] = await Promise.all([c.state.facts(tenant), c.state.changeCursor(tenant)]);
    // The last full sync's facts hold only under the playbook they were computed with.
    const facts = usableFacts(stored, loaded.playbook);
    if (facts && cursor !== null) {
      const changes = await adapter.changesSince(cursor);
      // A CRM clock a little ahead of ours: the recompute describes the moment of the latest change it saw.
      const summary = await recomputeWithFacts(c, adapter, loaded.playbook, facts, changes.dealIds, request.asOf ?? notBefore(changes.latestAt), request.dryRun);
      if (!request.dryRun) {
        await c.state.setChangeCursor(tenant, changes.cursor);
        await recordLastSync(c, summary);
      }
      return { kind: 'done', summary, changes, ...reported };
    }
  }

  // The change position before the read: whatever changes while the org is read is recomputed next time.
  const cursor = adapter.changesSince ? (await adapter.changesSince(null)).cursor : null;
  // Which flags predict losses, and the win model, are learned from every closed deal — the dearest part of a full
  // sync — and change slowly: what was learned under the same playbook less than a week ago is reused.
  const previous = await c.state.facts(tenant);
  const fresh = previous?.raisedFlags && previous.winModel && previous.playbookHash === hash && Date.now() - Date.parse(previous.judgedAt ?? '') < FLAG_JUDGEMENT_TTL_MS;
  try {
    const summary = await runSync({
      adapter, playbook: loaded.playbook, asOf: request.asOf, dryRun: request.dryRun, backfillWeeks: BACKFILL_WEEKS, quotas: c.quotas(),
      closedDealFacts: fresh ? { raisedFlags: new Set(previous!.raisedFlags), winModel: previous!.winModel! } : undefined, onStep: request.onStep, onProgress: request.onProgress,
    });
    if (!request.dryRun) {
      await c.state.setFacts(tenant, {
        asOf: summary.asOf, playbookHash: hash, benchmarks: [...summary.benchmarks], raisedFlags: summary.raisedFlags, winModel: summary.winModel,
        judgedAt: fresh ? previous!.judgedAt : new Date().toISOString(), repFacts: summary.repFacts,
      });
      if (cursor !== null) await c.state.setChangeCursor(tenant, cursor);
      await recordLastSync(c, summary);
    }
    return { kind: 'done', summary, changes: null, ...reported };
  } catch (error) {
    if (!(error instanceof AppError) || error.kind !== 'budget') throw error;
    await adapter.stopRun?.(error.message);
    return { kind: 'stopped', message: error.message, apiCalls: adapter.apiCalls?.() ?? null, ...reported };
  }
};

/** What the last sync did (the preview's header, the health check, the analytics' as-of moment). */
export const lastSync = (c: Companion): Promise<LastSync | null> => c.state.lastSync(c.tenant());
