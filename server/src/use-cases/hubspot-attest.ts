// The deal card's two actions on a HubSpot portal. Attest: a rep's note that a milestone is met where the data cannot
// show it — checked against the playbook (only an attestable milestone takes one), kept by the companion for the
// portal, and the deal recomputed at once so the card shows the gate counting it. Recalculate: the same recompute of
// one deal on demand, for a change the webhooks have not brought yet. Both answer the card's view of the deal.
import type { Companion } from '../composition.ts';
import type { HubSpotAdapter } from '../crm/hubspot/adapter.ts';
import { AppError, badRequest } from '../errors.ts';
import { dealGateView, portalAdapter, portalDeal, type DealGateView } from './deal-gate.ts';
import { recomputeAffected } from './recompute-affected.ts';

export const NOTE_MAX = 4000;

export interface HubSpotAttestInput { dealId: string; milestoneKey: string; note: string; userId: string | null }

/**
 * Recomputes the deal now and answers its new checklist; a stopped run (the API budget) says so in one line. The
 * deal's last change in HubSpot's time: when its clock runs ahead of ours, the recompute is as of then, so the change
 * the rep just made is not "after asOf".
 */
const recalculate = async (c: Companion, adapter: HubSpotAdapter, deal: { id: string; modifiedAt: string | null }): Promise<DealGateView> => {
  const outcome = await recomputeAffected(c, { dealIds: [deal.id], latestAt: deal.modifiedAt });
  if (outcome.kind === 'stopped') throw new AppError('budget', `the recalculation stopped: ${outcome.message}. The next poll resumes it.`);
  return dealGateView(await portalDeal(adapter, deal.id));
};

/** Recomputes one deal on demand. */
export const hubspotRecalculate = async (c: Companion, dealId: string): Promise<DealGateView> => {
  const adapter = await portalAdapter(c, 'the deal card acts on');
  return recalculate(c, adapter, await portalDeal(adapter, dealId));
};

/** The card's "Recalculate now" without a deal: the portal's changes since the last run, as the poll would. */
export const hubspotRecalculatePortal = async (c: Companion): Promise<{ status: 'done' | 'stopped'; message: string | null }> => {
  const outcome = await recomputeAffected(c, { dealIds: [] });
  return outcome.kind === 'done' ? { status: 'done', message: null } : { status: 'stopped', message: outcome.message };
};

/** Validates and keeps the attestation, then recalculates the deal. Nothing is stored for a bad request. */
export const hubspotAttest = async (c: Companion, input: HubSpotAttestInput): Promise<DealGateView> => {
  const note = input.note.trim();
  if (!note) throw badRequest('note: must not be blank: the note is the evidence a manager reads');
  if (note.length > NOTE_MAX) throw badRequest(`note: at most ${NOTE_MAX} characters`);
  const milestones = c.playbook().playbook.processes.flatMap((p) => p.stages.flatMap((s) => s.gate.milestones)).filter((m) => m.key === input.milestoneKey);
  if (!milestones.length) throw badRequest(`milestoneKey: no milestone "${input.milestoneKey}" in the playbook`);
  if (!milestones.some((m) => m.attestable)) throw badRequest(`milestoneKey: "${input.milestoneKey}" is not attestable: the gate counts only its rule`);
  const adapter = await portalAdapter(c, 'the deal card acts on');
  const deal = await portalDeal(adapter, input.dealId);
  await adapter.attest({ ...input, note });
  return recalculate(c, adapter, deal);
};
