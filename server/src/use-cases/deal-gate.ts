// The app cards' reads for a HubSpot portal. The deal card: the deal's gate as Stagecraft last wrote it on the deal (the
// stagecraft_gate_checklist property), in the shape GET /api/opportunities/:id gives the Salesforce preview — HubSpot's
// numeric deal id in, the same { Id, Name, checklist, checklistProblem } out. Nothing is recomputed here.
import { Checklist } from '../../../shared/src/checklist.ts';
import type { Companion } from '../composition.ts';
import { AppError, notFound } from '../errors.ts';
import { HubSpotAdapter } from '../crm/hubspot/adapter.ts';

export interface DealGateView { Id: string; Name: string | null; checklist: Checklist | null; checklistProblem: string | null }

/** The companion's HubSpot adapter; `what` names the card that asked, for the one-line error elsewhere. */
export const portalAdapter = async (c: Companion, what: string): Promise<HubSpotAdapter> => {
  const adapter = await c.adapter();
  if (!(adapter instanceof HubSpotAdapter)) throw new AppError('configuration', `${what} a HubSpot portal: this companion is not connected to one`);
  return adapter;
};

type PortalDeal = NonNullable<Awaited<ReturnType<HubSpotAdapter['dealChecklist']>>>;

/** The card's view of a deal as read: its checklist parsed, or why it cannot be. */
export const dealGateView = (deal: PortalDeal): DealGateView => {
  if (!deal.checklist) return { Id: deal.id, Name: deal.name, checklist: null, checklistProblem: null };
  let json: unknown;
  try {
    json = JSON.parse(deal.checklist);
  } catch {
    return { Id: deal.id, Name: deal.name, checklist: null, checklistProblem: 'stagecraft_gate_checklist is not JSON' };
  }
  const parsed = Checklist.safeParse(json);
  return parsed.success ? { Id: deal.id, Name: deal.name, checklist: parsed.data, checklistProblem: null } : { Id: deal.id, Name: deal.name, checklist: null, checklistProblem: parsed.error.issues[0]!.message };
};

/** The deal, read from the portal; not found is a 404. */
export const portalDeal = async (adapter: HubSpotAdapter, dealId: string): Promise<PortalDeal> => {
  const deal = await adapter.dealChecklist(dealId);
  if (!deal) throw notFound(`Deal ${dealId}`);
  return deal;
};

export const hubspotDealGate = async (c: Companion, dealId: string): Promise<DealGateView> =>
  dealGateView(await portalDeal(await portalAdapter(c, 'the deal card reads'), dealId));

/** The rep scorecard card's read for a portal, in the shapes of GET /api/users/:id/scorecard and …/team. */
export interface RepCardView {
  scorecard: { userId: string; name: string; title: null; managerId: string | null; scores: Record<string, unknown>; openDeals: null };
  team: { manager: { Id: string; Name: string }; members: { Id: string; Name: string; Title: null; scores: Record<string, unknown>; change: null }[] };
}

export const hubspotRepCard = async (c: Companion, userId: string): Promise<RepCardView> => {
  const found = await (await portalAdapter(c, 'the rep scorecard reads')).repWithTeam(userId);
  if (!found) throw notFound(`HubSpot user ${userId} (no owner in the portal)`);
  const { rep, members } = found;
  return {
    // Open-deal context and week-on-week change are the embedded companion's; a portal's card shows the scores alone.
    scorecard: { userId: rep.id, name: rep.name, title: null, managerId: rep.managerId, scores: rep.scores, openDeals: null },
    team: { manager: { Id: rep.id, Name: rep.name }, members: members.map((m) => ({ Id: m.id, Name: m.name, Title: null, scores: m.scores, change: null })) },
  };
};
