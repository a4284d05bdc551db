// The measurable signals behind each of the six competencies, per rep, as of asOf. Each signal says what it counts
// and why it measures the competency (README "Behaviour scores"). Volume is never alone: every count is paired with a
// rate or a quality measure, counts are capped against peers, and patterns that look like gaming are flagged and left out.
import type { Opportunity, User } from '../model.ts';
import type { Playbook } from '../playbook/schema.ts';
import { indexActivity, type IndexedActivity, type OrgIndex } from './org-index.ts';
import type { DealIndicators } from './opportunity.ts';
import { isMeaningfulConversation } from './rules.ts';
import { stageEntries } from './stage.ts';
import { slope } from './stats.ts';
import { pushTo } from './group.ts';
import { DAY_MS, dayOfMs, toMs } from './time.ts';

export const COMPETENCIES = ['pipeline', 'accountCoverage', 'discovery', 'stakeholderEngagement', 'executiveAccess', 'growth'] as const;
export type Competency = (typeof COMPETENCIES)[number];

export const COMPETENCY_LABELS: Record<Competency, string> = {
  pipeline: 'Pipeline',
  accountCoverage: 'Account coverage',
  discovery: 'Discovery quality',
  stakeholderEngagement: 'Stakeholder engagement',
  executiveAccess: 'Executive access',
  growth: 'Growth mindset',
};

export interface SignalDefinition {
  key: string;
  competency: Competency;
  label: string;
  unit: 'deals' | '%' | 'contacts' | '$' | 'count' | 'points/week';
  weight: number;
  /** Volume signals are capped at `capFactor` × the peer median before ranking, so inflating a count cannot carry a score. */
  volume: boolean;
  /** Why this signal measures the competency (shown in the README and the breakdown). */
  why: string;
}

export const SIGNALS: readonly SignalDefinition[] = [
  { key: 'selfGeneratedPipeline', competency: 'pipeline', label: 'Self-generated opportunities (90 days)', unit: 'deals', weight: 0.3, volume: true, why: 'Pipeline the rep created, not inherited: the habit of prospecting.' },
  { key: 'selfGeneratedAdvance', competency: 'pipeline', label: 'Self-generated deals that reached Needs Analysis', unit: '%', weight: 0.4, volume: false, why: 'Quality paired with the volume: self-generated deals that turned into real opportunities.' },
  { key: 'pipelineAhead', competency: 'pipeline', label: 'Open pipeline closing in the next two quarters', unit: '$', weight: 0.3, volume: true, why: 'Pipeline built for the next quarters, not just this one.' },
  { key: 'rolesPerDeal', competency: 'accountCoverage', label: 'Buying-committee contacts per open deal', unit: 'contacts', weight: 0.5, volume: false, why: 'Key stakeholders known: contact roles cover the buying committee.' },
  { key: 'buyerMapped', competency: 'accountCoverage', label: 'Mid-stage deals with an economic buyer or decision maker named', unit: '%', weight: 0.5, volume: false, why: 'Blind spots visible: the person who decides is on record.' },
  { key: 'meaningfulConversations', competency: 'discovery', label: 'Meaningful conversations (30 days)', unit: 'count', weight: 0.25, volume: true, why: 'Real conversations — connected calls of two minutes or more, meetings — not dials.' },
  { key: 'conversationRate', competency: 'discovery', label: 'Calls that became meaningful conversations', unit: '%', weight: 0.25, volume: false, why: 'Quality paired with the count: effort is not progress.' },
  { key: 'gatesHonoured', competency: 'discovery', label: 'Deals advanced with every gate met', unit: '%', weight: 0.3, volume: false, why: 'Discovery milestones evidenced before the deal moved on, not skipped.' },
  { key: 'nextStepsScheduled', competency: 'discovery', label: 'Open deals with a next step on the calendar', unit: '%', weight: 0.2, volume: false, why: 'Each conversation ends in an agreed, scheduled step. Copy-pasted next steps do not count.' },
  { key: 'stakeholdersPerDeal', competency: 'stakeholderEngagement', label: 'People engaged per active deal (30 days)', unit: 'contacts', weight: 0.5, volume: false, why: 'Multi-threading: how many people are engaged per deal.' },
  { key: 'multiThreadedShare', competency: 'stakeholderEngagement', label: 'Deals engaging two or more people', unit: '%', weight: 0.5, volume: false, why: 'Single-threaded deals are a risk.' },
  { key: 'executiveDealShare', competency: 'executiveAccess', label: 'Mid-stage deals with an executive engaged', unit: '%', weight: 0.6, volume: false, why: 'Relationships where decisions get made (director, VP, C-suite).' },
  { key: 'executiveConversations', competency: 'executiveAccess', label: 'Conversations with executives (90 days)', unit: 'count', weight: 0.4, volume: true, why: 'Meetings and real calls with director-level or more senior people.' },
  { key: 'scoreTrend', competency: 'growth', label: 'Behaviour score trend', unit: 'points/week', weight: 0.5, volume: false, why: 'Scores trending up: improvement over the last weeks.' },
  { key: 'gapsClosed', competency: 'growth', label: 'Missing milestones closed in 4 weeks', unit: '%', weight: 0.5, volume: false, why: 'Coaching acted on: gaps on the rep’s deals four weeks ago that are met now.' },
];

export const SIGNAL_BY_KEY = new Map(SIGNALS.map((s) => [s.key, s]));

/** One rep's raw signal values (null: not enough data to say) and the records behind each. */
export interface RawSignals {
  repId: string;
  values: Record<string, number | null>;
  recordIds: Record<string, string[]>;
  flags: string[];
  /**
   * Held activities per week: last 28 days, the 12 weeks before, the last 13 weeks; and per deal the rep worked in
   * those 13 weeks (open at some point in them), which does not rise and fall with the size of the book.
   */
  effort: { recent: number; baseline: number; level: number; perDeal: number | null; recentDealDays?: number; baselineDealDays?: number };
  /** Won / closed in the last 365 days; null with fewer than MIN_CLOSED closed deals. */
  winRate: number | null;
  closedCount: number;
  /** Won of `closedCount`. */
  wonCount: number;
  /** Of `closedCount` / `wonCount`, the deals someone else created (inherited): for the diagnosis's circumstance test. */
  inheritedClosedCount?: number;
  inheritedWonCount?: number;
  /** Share of the rep's open pipeline amount on deals someone else created. */
  inheritedShare: number | null;
  /** Share of the rep's open deals, by count, that someone else created. */
  inheritedDealShare: number | null;
}

export const MIN_CLOSED_FOR_WIN_RATE = 5;
export const ZERO_CALL_SECONDS = 5;
const BURST_CALLS = 10;
const COPY_PASTE_MIN_LENGTH = 15;
const COPY_PASTE_DEALS = 3;

export interface SignalInputs {
  rep: User;
  index: OrgIndex;
  playbook: Playbook;
  asOfMs: number;
  /** Open deals owned by the rep, with their computed indicators. */
  openDeals: DealIndicators[];
  /** Every deal owned by the rep. */
  ownedDeals: Opportunity[];
  /** Activities the rep performed (by owner). */
  activities: IndexedActivity[];
  /** The rep's composite in past weekly periods, oldest first. */
  pastComposites: number[];
  /** Missing required milestones on the rep's open deals four weeks before asOf, and which of them are met now. */
  gaps: { was: number; closed: number };
}

const share = (part: number, whole: number, min = 1): number | null => (whole >= min ? (part / whole) * 100 : null);
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
const normaliseText = (t: string): string => t.toLowerCase().replace(/\s+/g, ' ').trim();

const stageOrder = (playbook: Playbook, opportunity: Opportunity): Map<string, number> => {
  const process = playbook.processes.find((p) => p.name === opportunity.salesProcess) ?? playbook.processes.find((p) => p.default) ?? playbook.processes[0]!;
  return new Map(process.stages.map((s, i) => [s.name, i]));
};

/** Calls in zero-second bursts (10 or more calls of ≤ 5 s on one day): dialling for the count, not talking. */
export const zeroSecondBursts = (activities: IndexedActivity[]): { excluded: Set<string>; flags: string[] } => {
  const byDay = new Map<number, IndexedActivity[]>();
  for (const a of activities) {
    if (a.activity.kind !== 'call' || (a.activity.callDurationSeconds ?? 0) > ZERO_CALL_SECONDS) continue;
    byDay.set(a.day, [...(byDay.get(a.day) ?? []), a]);
  }
  const excluded = new Set<string>();
  const flags: string[] = [];
  for (const [day, calls] of byDay) {
    if (calls.length < BURST_CALLS) continue;
    for (const c of calls) excluded.add(c.activity.id);
    flags.push(`Zero-second call burst on ${new Date(day * DAY_MS).toISOString().slice(0, 10)} (${calls.length} calls) not counted`);
  }
  return { excluded, flags };
};

/** The same next-step text on several deals: filled in to tick a box. Those deals' next steps do not count. */
export const copyPastedNextSteps = (deals: Opportunity[]): { deals: Set<string>; flags: string[] } => {
  const byText = new Map<string, string[]>();
  for (const d of deals) {
    const text = d.nextStep ? normaliseText(d.nextStep) : '';
    if (text.length < COPY_PASTE_MIN_LENGTH) continue;
    byText.set(text, [...(byText.get(text) ?? []), d.id]);
  }
  const flagged = new Set<string>();
  const flags: string[] = [];
  for (const [text, ids] of byText) {
    if (ids.length < COPY_PASTE_DEALS) continue;
    ids.forEach((id) => flagged.add(id));
    flags.push(`Same next-step text on ${ids.length} deals ("${text.slice(0, 40)}") not counted`);
  }
  return { deals: flagged, flags };
};

export const rawSignals = (input: SignalInputs): RawSignals => {
  const { rep, index, playbook, asOfMs, openDeals, ownedDeals } = input;
  const asOfDay = dayOfMs(asOfMs);
  const settings = playbook.settings;
  const bursts = zeroSecondBursts(input.activities);
  const held = input.activities.filter((a) => !bursts.excluded.has(a.activity.id) && a.createdMs <= asOfMs && (a.dateOnly ? a.day <= asOfDay : a.ms <= asOfMs) && (a.activity.kind === 'meeting' || a.activity.status === 'done'));
  const inDays = (a: IndexedActivity, days: number): boolean => a.day > asOfDay - days;
  const values: Record<string, number | null> = {};
  const records: Record<string, string[]> = {};
  const ids = (list: { id: string }[] | string[]): string[] => list.slice(0, 20).map((x) => (typeof x === 'string' ? x : x.id));

  const byId = new Map(ownedDeals.map((d) => [d.id, d]));
  const openRecords = openDeals.map((d) => byId.get(d.opportunityId)!).filter(Boolean);
  const copyPaste = copyPastedNextSteps(openRecords);

  // Pipeline
  const selfMade = ownedDeals.filter((d) => d.createdById === rep.id && toMs(d.createdDate) <= asOfMs);
  const recentSelf = selfMade.filter((d) => toMs(d.createdDate) > asOfMs - 90 * DAY_MS);
  values.selfGeneratedPipeline = recentSelf.length;
  records.selfGeneratedPipeline = ids(recentSelf);
  const matureSelf = selfMade.filter((d) => toMs(d.createdDate) > asOfMs - 365 * DAY_MS && toMs(d.createdDate) <= asOfMs - 30 * DAY_MS);
  const advanced = matureSelf.filter((d) => {
    const order = stageOrder(playbook, d);
    const reached = stageEntries(index.historyByOpportunity.get(d.id) ?? [], asOfMs).some((e) => (order.get(e.stage) ?? 0) >= 2);
    return reached || (d.isWon && !!d.closeDate && toMs(d.closeDate) <= asOfMs);
  });
  values.selfGeneratedAdvance = share(advanced.length, matureSelf.length, 3);
  records.selfGeneratedAdvance = ids(advanced);
  const ahead = openRecords.filter((d) => d.closeDate && toMs(d.closeDate) > asOfMs && toMs(d.closeDate) <= asOfMs + 182 * DAY_MS);
  values.pipelineAhead = ahead.reduce((s, d) => s + (d.amount ?? 0), 0);
  records.pipelineAhead = ids(ahead);

  // Account coverage
  const committee = new Set(['economic buyer', 'decision maker', 'executive sponsor']);
  const rolesNow = (dealId: string) => (index.rolesByOpportunity.get(dealId) ?? []).filter((r) => !r.createdDate || toMs(r.createdDate) <= asOfMs);
  values.rolesPerDeal = mean(openRecords.map((d) => Math.min(4, new Set(rolesNow(d.id).map((r) => r.contactId)).size)));
  records.rolesPerDeal = ids(openRecords.filter((d) => rolesNow(d.id).length > 0));
  const midStage = openDeals.filter((d) => d.checklist && d.checklist.stages.findIndex((s) => s.state === 'current') >= 2);
  const mapped = midStage.filter((d) => rolesNow(d.opportunityId).some((r) => r.role && committee.has(r.role.toLowerCase())));
  values.buyerMapped = share(mapped.length, midStage.length);
  records.buyerMapped = ids(mapped.map((d) => d.opportunityId));

  // Discovery
  const recent30 = held.filter((a) => inDays(a, 30));
  const conversations = recent30.filter((a) => isMeaningfulConversation(a, settings.meaningfulCallSeconds));
  values.meaningfulConversations = conversations.length;
  records.meaningfulConversations = ids(conversations.map((a) => a.activity.id));
  const calls = recent30.filter((a) => a.activity.kind === 'call');
  values.conversationRate = share(calls.filter((a) => isMeaningfulConversation(a, settings.meaningfulCallSeconds)).length, calls.length, 5);
  records.conversationRate = ids(calls.map((a) => a.activity.id));
  const pastFirstGate = openDeals.filter((d) => d.checklist && d.checklist.stages.findIndex((s) => s.state === 'current') >= 1);
  const honoured = pastFirstGate.filter((d) => !d.checklist!.stages.some((s) => s.state === 'skipped'));
  values.gatesHonoured = share(honoured.length, pastFirstGate.length);
  records.gatesHonoured = ids(honoured.map((d) => d.opportunityId));
  const scheduled = openDeals.filter((d) => d.nextStepSet && !copyPaste.deals.has(d.opportunityId));
  values.nextStepsScheduled = share(scheduled.length, openDeals.length);
  records.nextStepsScheduled = ids(scheduled.map((d) => d.opportunityId));

  // Stakeholder engagement: deals past their first stage, where threading is expected.
  const active = openDeals.filter((d) => d.checklist ? d.checklist.stages.findIndex((s) => s.state === 'current') >= 1 : true);
  values.stakeholdersPerDeal = mean(active.map((d) => Math.min(5, d.stakeholdersEngaged)));
  records.stakeholdersPerDeal = ids(active.filter((d) => d.stakeholdersEngaged > 0).map((d) => d.opportunityId));
  const threaded = active.filter((d) => d.stakeholdersEngaged >= settings.multiThreadedAt);
  values.multiThreadedShare = share(threaded.length, active.length);
  records.multiThreadedShare = ids(threaded.map((d) => d.opportunityId));

  // Executive access
  const execStage = midStage;
  const withExec = execStage.filter((d) => d.executiveEngaged);
  values.executiveDealShare = share(withExec.length, execStage.length);
  records.executiveDealShare = ids(withExec.map((d) => d.opportunityId));
  const execTalks = held.filter((a) => inDays(a, 90) && isMeaningfulConversation(a, settings.meaningfulCallSeconds) && a.activity.contactIds.some((c) => index.executiveContactIds.has(c)));
  values.executiveConversations = execTalks.length;
  records.executiveConversations = ids(execTalks.map((a) => a.activity.id));

  // Growth
  const trend = input.pastComposites.slice(-8);
  values.scoreTrend = slope(trend);
  records.scoreTrend = [];
  values.gapsClosed = share(input.gaps.closed, input.gaps.was, 3);
  records.gapsClosed = [];

  // Context for the diagnosis.
  const perWeek = (from: number, to: number): number => held.filter((a) => a.day > asOfDay - to && a.day <= asOfDay - from).length / ((to - from) / 7);
  const closed = ownedDeals.filter((d) => d.isClosed && d.closeDate && toMs(d.closeDate) <= asOfMs && toMs(d.closeDate) > asOfMs - 365 * DAY_MS);
  const pipeline = openRecords.reduce((s, d) => s + (d.amount ?? 0), 0);
  const inheritedDeals = openRecords.filter((d) => d.createdById && d.createdById !== rep.id);
  const inherited = inheritedDeals.reduce((s, d) => s + (d.amount ?? 0), 0);
  const level = perWeek(0, 91);
  const worked = ownedDeals.filter((d) => toMs(d.createdDate) <= asOfMs && (!d.isClosed || !d.closeDate || toMs(d.closeDate) > asOfMs - 91 * DAY_MS)).length;
  const won = closed.filter((d) => d.isWon).length;
  // Deal-days open in the last 4 weeks and in the 12 before: the load the activity was spread over, so a will drop is
  // judged per deal worked and a quieter month with fewer live deals is not read as one.
  const openDays = (from: number, to: number): number => ownedDeals.reduce((sum, d) => {
    const start = Math.max(toMs(d.createdDate), asOfMs - to * DAY_MS);
    const end = Math.min(d.isClosed && d.closeDate ? toMs(d.closeDate) : asOfMs, asOfMs - from * DAY_MS);
    return end > start ? sum + (end - start) / DAY_MS : sum;
  }, 0);
  const closedInherited = closed.filter((d) => d.createdById && d.createdById !== rep.id);

  return {
    repId: rep.id,
    values,
    recordIds: records,
    flags: [...bursts.flags, ...copyPaste.flags],
    effort: { recent: perWeek(0, 28), baseline: perWeek(28, 112), level, perDeal: worked ? level / worked : null, recentDealDays: openDays(0, 28), baselineDealDays: openDays(28, 112) },
    winRate: closed.length >= MIN_CLOSED_FOR_WIN_RATE ? won / closed.length : null,
    closedCount: closed.length,
    wonCount: won,
    inheritedClosedCount: closedInherited.length,
    inheritedWonCount: closedInherited.filter((d) => d.isWon).length,
    inheritedShare: pipeline > 0 ? inherited / pipeline : null,
    inheritedDealShare: openRecords.length ? inheritedDeals.length / openRecords.length : null,
  };
};

/** Activities grouped by the rep who did them (the activity's owner, else the deal's owner), from `sinceMs` on. */
export const activitiesByRep = (index: OrgIndex, sinceMs: number): Map<string, IndexedActivity[]> => {
  const owners = new Map(index.snapshot.opportunities.map((o) => [o.id, o.ownerId]));
  const byRep = new Map<string, IndexedActivity[]>();
  for (const a of index.snapshot.activities) {
    if (!a.opportunityId || toMs(a.date) < sinceMs) continue;
    const rep = a.ownerId ?? owners.get(a.opportunityId) ?? null;
    if (!rep) continue;
    pushTo(byRep, rep, indexActivity(a));
  }
  return byRep;
};
