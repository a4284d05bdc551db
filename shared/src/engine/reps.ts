// Rep behaviour scorecards: each signal ranked against the rep's peers, six competency scores and a composite, every
// score with its breakdown; then the diagnosis (skill, will, process, circumstance) and one coaching focus.
import type { Diagnosis } from '../fields.ts';
import type { OrgSnapshot, User } from '../model.ts';
import type { Playbook } from '../playbook/schema.ts';
import { engineContext, computeDeal, isTracked, type DealIndicators, type EngineContext } from './opportunity.ts';
import { milestoneVerdicts } from './gates.ts';
import { stagePosition } from './stage.ts';
import { processFor } from '../playbook/schema.ts';
import type { OrgIndex } from './org-index.ts';
import { dealRecords } from './rules.ts';
import { COMPETENCIES, COMPETENCY_LABELS, SIGNALS, activitiesByRep, rawSignals, type Competency, type RawSignals } from './signals.ts';
import { median, percentileRank, round, wilson } from './stats.ts';
import { DAY_MS } from './time.ts';
import { groupBy } from './group.ts';

/** Peer groups smaller than this are not compared (the scorecard says so). */
export const MIN_PEERS = 3;
/** How far back rep signals read activity (the effort baseline is weeks 4–16): a sync's reader may leave older out. */
export const REP_LOOKBACK_WEEKS = 16;
/** Volume signals are capped at this multiple of the peer median before ranking. */
export const VOLUME_CAP_FACTOR = 2;
/** Below par: composite this many points under the peer median, or win rate under this share of the peers'. */
export const BELOW_PAR_POINTS = 5;
export const BELOW_PAR_WIN_RATE = 0.8;
/**
 * A low win rate must also be more than chance: the top of its one-sided 95 % Wilson interval (z 1.645) is under the
 * peers' median. Thirty closed deals at a true 30 % land under 24 % about one time in four; calling that a skill gap
 * would accuse a quarter of an average team.
 */
export const CONVERSION_Z = 1.645;
/**
 * Will: the rep's recent effort (4 weeks) is at most WILL_DROP of their own baseline (the 12 weeks before) once that
 * baseline is scaled by how the peers' effort moved over the same weeks (their median recent-to-baseline ratio), and
 * it really fell: at most WILL_FELL of the unscaled baseline. Scaling by the peers keeps a holiday month, a quarter
 * end or a pipeline that every rep shares from reading as a will drop, and finds a rep who went quiet while everyone
 * else got busier. A drop this sharp counts as below par on its own: it is the rep against their own par, and it
 * shows before the peer-ranked score catches up.
 */
export const WILL_DROP = 0.5;
export const WILL_FELL = 0.8;
/** Circumstance: at least this share of open pipeline inherited (by value and by number of deals, so one large handed-over deal does not make a book inherited). */
export const INHERITED_SHARE = 0.5;
/**
 * Circumstance: the rep's accounts win at most this share of the org's rate for the OTHER reps who work them (the
 * rep's own deals are left out: counting them would call the rep's own losses a weak territory), over at least
 * MIN_TERRITORY_CLOSED such deals, and the top of the 95 % interval is under the org's rate.
 */
export const WEAK_TERRITORY = 0.7;
export const MIN_TERRITORY_CLOSED = 10;
/**
 * Process: the team stalls (or, separately, skips the gate) at a stage at least this often, the bottom of the 99 %
 * Wilson interval (z TEAM_STALL_Z) of that rate is at least TEAM_STALL_RATIO times everyone else's, and so do the
 * rep's own deals there. Stalls and skips are judged apart: where the whole org routinely skips a gate, a team that
 * stalls would otherwise be hidden under a combined rate near 100 % everywhere. 99 %, not 95 %: every team is tested
 * at every stage two ways, and at 95 % one of those hundreds of comparisons often passes by chance (it did in the
 * synthetic recovery orgs).
 */
export const TEAM_STALL_RATE = 0.4;
export const TEAM_STALL_RATIO = 1.5;
export const TEAM_STALL_Z = 2.576;
export const MIN_TEAM_DEALS_AT_STAGE = 5;

export interface SignalScore {
  key: string;
  label: string;
  unit: string;
  value: number | null;
  peerMedian: number | null;
  weight: number;
  /** 0–100 against peers (percentile), null when there is no value. */
  score: number | null;
  /** Points this signal adds to its competency score. */
  contribution: number;
  recordIds: string[];
}

export interface CompetencyScore {
  key: Competency;
  label: string;
  score: number;
  peerMedian: number | null;
  signals: SignalScore[];
}

export interface PeerGroup {
  name: string;
  size: number;
  comparable: boolean;
  memberIds: string[];
}

export interface RepScorecard {
  repId: string;
  repName: string;
  managerId: string | null;
  peerGroup: Omit<PeerGroup, 'memberIds'>;
  composite: number;
  competencies: CompetencyScore[];
  flags: string[];
  /** Peer comparison in words: where the rep is furthest behind and ahead of the peer median. */
  comparisons: string[];
  diagnosis: { kind: Diagnosis; evidence: string[] };
  focus: { competency: Competency; behaviour: string; coachingQuestions: string[] };
  raw: RawSignals;
}

/** Reps: active users who own deals. Peers: same role and segment; the team (same manager) as fallback; then role. */
export const peerGroups = (reps: readonly User[]): Map<string, PeerGroup> => {
  const groups = new Map<string, PeerGroup>();
  const by = (key: (u: User) => string | null): Map<string, User[]> => {
    const m = new Map<string, User[]>();
    for (const u of reps) {
      const k = key(u);
      if (k) m.set(k, [...(m.get(k) ?? []), u]);
    }
    return m;
  };
  const roleSegment = by((u) => (u.role || u.segment ? `${u.role ?? 'Any role'} · ${u.segment ?? 'any segment'}` : null));
  const team = by((u) => (u.managerId ? `team:${u.managerId}` : null));
  const role = by((u) => u.role ?? 'Everyone');
  for (const u of reps) {
    const candidates: [string, User[] | undefined][] = [
      [`${u.role ?? 'Any role'} · ${u.segment ?? 'any segment'}`, roleSegment.get(`${u.role ?? 'Any role'} · ${u.segment ?? 'any segment'}`)],
      [`Team of ${reps.find((r) => r.id === u.managerId)?.name ?? u.managerId ?? 'no manager'}`, u.managerId ? team.get(`team:${u.managerId}`) : undefined],
      [u.role ?? 'Everyone', role.get(u.role ?? 'Everyone')],
    ];
    const chosen = candidates.find(([, members]) => members && members.length >= MIN_PEERS) ?? candidates.find(([, m]) => m) ?? [u.name, [u]];
    const members = chosen[1]!;
    groups.set(u.id, { name: chosen[0], size: members.length, comparable: members.length >= MIN_PEERS, memberIds: members.map((m) => m.id) });
  }
  return groups;
};

export interface RepScoringInput {
  snapshot: OrgSnapshot;
  playbook: Playbook;
  asOf: string;
  /** Indicators of open deals as of asOf (the sync computes them anyway); computed here when absent. */
  deals?: DealIndicators[];
  index?: OrgIndex;
  /** Each rep's composite in past weekly periods, oldest first (the stored scorecards). */
  pastComposites?: ReadonlyMap<string, number[]>;
}

/** The reps Stagecraft scores: active users who own at least one deal. */
export const scoredReps = (snapshot: OrgSnapshot): User[] => {
  const owners = new Set(snapshot.opportunities.map((o) => o.ownerId));
  return snapshot.users.filter((u) => u.isActive && owners.has(u.id));
};

/** Every rep's scorecard as of asOf. */
export const scoreReps = (input: RepScoringInput): RepScorecard[] => {
  const ctx = engineContext(input.snapshot, input.playbook, input.asOf, input.index);
  const deals = input.deals ?? input.snapshot.opportunities.filter((o) => isTracked(o, ctx.asOfMs)).map((o) => computeDeal(dealRecords(o, ctx.index), ctx));
  const dealsByOwner = groupBy(deals, (d) => d.ownerId);
  const ownedByRep = groupBy(input.snapshot.opportunities, (o) => o.ownerId ?? null);
  const reps = scoredReps(input.snapshot);
  const groups = peerGroups(reps);
  // Rep signals look back at most 16 weeks (effort baseline): older activity is not read.
  const activities = activitiesByRep(ctx.index, ctx.asOfMs - REP_LOOKBACK_WEEKS * 7 * DAY_MS);
  const gaps = gapsClosed(input.snapshot, ctx, deals);

  const raws = new Map<string, RawSignals>(
    reps.map((rep) => [
      rep.id,
      rawSignals({
        rep, index: ctx.index, playbook: input.playbook, asOfMs: ctx.asOfMs, openDeals: dealsByOwner.get(rep.id) ?? [], ownedDeals: ownedByRep.get(rep.id) ?? [],
        activities: activities.get(rep.id) ?? [], pastComposites: input.pastComposites?.get(rep.id) ?? [], gaps: gaps.get(rep.id) ?? { was: 0, closed: 0 },
      }),
    ]),
  );

  // Signal scores against the peer group; competency scores from them. A group's figures are the same for every member,
  // so they are worked out once per group.
  // Members of one group share its name, size and (sorted) first member: enough to tell groups apart.
  const groupKey = (g: PeerGroup): string => `${g.name}|${g.size}|${g.memberIds[0]}`;
  const signalStats = new Map<string, { peerValues: number[]; peerMedian: number | null; cap: number }>();
  const statsOf = (group: PeerGroup, def: (typeof SIGNALS)[number]) => {
    const key = `${groupKey(group)}|${def.key}`;
    let stats = signalStats.get(key);
    if (!stats) {
      const values = group.memberIds.map((id) => raws.get(id)!.values[def.key]).filter((v): v is number => v !== null && v !== undefined);
      const peerMedian = median(values);
      const cap = def.volume && peerMedian !== null && peerMedian > 0 ? VOLUME_CAP_FACTOR * peerMedian : Infinity;
      stats = { peerValues: values.map((v) => Math.min(v, cap)), peerMedian, cap };
      signalStats.set(key, stats);
    }
    return stats;
  };
  const partial = reps.map((rep) => {
    const group = groups.get(rep.id)!;
    const competencies = COMPETENCIES.map((key): CompetencyScore => {
      const signals = SIGNALS.filter((s) => s.competency === key).map((def): SignalScore => {
        const value = raws.get(rep.id)!.values[def.key] ?? null;
        const { peerValues, peerMedian, cap } = statsOf(group, def);
        const score = value === null ? null : group.comparable && peerValues.length >= MIN_PEERS ? percentileRank(Math.min(value, cap), peerValues) : 50;
        return { key: def.key, label: def.label, unit: def.unit, value: value === null ? null : round(value, 2), peerMedian: peerMedian === null ? null : round(peerMedian, 2), weight: def.weight, score: score === null ? null : round(score), contribution: 0, recordIds: raws.get(rep.id)!.recordIds[def.key] ?? [] };
      });
      const scored = signals.filter((s) => s.score !== null);
      const totalWeight = scored.reduce((s, x) => s + x.weight, 0);
      for (const s of scored) s.contribution = round((s.weight * s.score!) / totalWeight);
      // No signal with data: the neutral middle, and the breakdown shows why (every value empty).
      const score = totalWeight ? round(scored.reduce((s, x) => s + x.weight * x.score!, 0) / totalWeight) : 50;
      return { key, label: COMPETENCY_LABELS[key], score, peerMedian: null, signals };
    });
    return { rep, group, competencies, composite: round(competencies.reduce((s, c) => s + c.score, 0) / competencies.length) };
  });

  const byId = new Map(partial.map((p) => [p.rep.id, p]));
  const competencyMedians = new Map<string, number | null>();
  for (const p of partial) {
    for (const [i, c] of p.competencies.entries()) {
      const key = `${groupKey(p.group)}|${c.key}`;
      if (!competencyMedians.has(key)) competencyMedians.set(key, median(p.group.memberIds.map((id) => byId.get(id)!.competencies[i]!.score)));
      c.peerMedian = competencyMedians.get(key)!;
    }
  }
  const teamStalls = stallsByTeam(input.snapshot, deals);
  const territory = territoryWinRates(input.snapshot, ctx.asOfMs);

  return partial.map((p): RepScorecard => {
    const raw = raws.get(p.rep.id)!;
    const peers = p.group.memberIds.map((id) => byId.get(id)!);
    const diagnosis = diagnose(p.rep, raw, p.composite, peers.map((x) => x.composite), peers.map((x) => raws.get(x.rep.id)!), teamStalls, territory, p.group.comparable);
    return {
      repId: p.rep.id,
      repName: p.rep.name,
      managerId: p.rep.managerId ?? null,
      peerGroup: { name: p.group.name, size: p.group.size, comparable: p.group.comparable },
      composite: p.composite,
      competencies: p.competencies,
      flags: raw.flags,
      comparisons: p.group.comparable ? peerComparisons(p.competencies) : [],
      diagnosis,
      focus: coachingFocus(p.competencies, diagnosis),
      raw,
    };
  });
};

/**
 * Four weeks ago, which required milestones of its then-current gate were missing on each rep's open deals, and how
 * many of those are met now. Only the one gate is evaluated then, not the whole deal.
 */
const gapsClosed = (snapshot: OrgSnapshot, ctx: EngineContext, now: DealIndicators[]): Map<string, { was: number; closed: number }> => {
  const thenMs = ctx.asOfMs - 28 * DAY_MS;
  const nowById = new Map(now.map((d) => [d.opportunityId, d]));
  const result = new Map<string, { was: number; closed: number }>();
  for (const o of snapshot.opportunities) {
    if (!o.ownerId || !isTracked(o, thenMs)) continue;
    const deal = dealRecords(o, ctx.index);
    const position = stagePosition(o, deal.history, thenMs);
    const stage = processFor(ctx.playbook, o.salesProcess).process.stages.find((s) => s.name === position.stage);
    if (!stage || stage.closed || !stage.gate.milestones.length) continue;
    const missing = milestoneVerdicts(stage, deal, ctx.index, ctx.playbook.settings, thenMs, position.enteredMs).filter((m) => m.milestone.required && !m.met);
    if (!missing.length) continue;
    const current = nowById.get(o.id);
    // Moved on, or closed: the gap no longer stands. Same stage: count what is met now.
    const closedNow = !current || current.stage !== position.stage ? missing.length : missing.filter((m) => current.checklist?.milestones.find((x) => x.key === m.milestone.key)?.status !== 'missing').length;
    const tally = result.get(o.ownerId) ?? { was: 0, closed: 0 };
    tally.was += missing.length;
    tally.closed += closedNow;
    result.set(o.ownerId, tally);
  }
  return result;
};

/** Open deals at a stage, and how many of them are stalled and how many skipped the gate before it. */
interface StageTally {
  deals: number;
  stalled: number;
  skipped: number;
}

interface TeamStall {
  /** Manager id → stage → tally for the team; and the same for the whole org. */
  byTeam: Map<string, Map<string, StageTally>>;
  all: Map<string, StageTally>;
  managerOf: Map<string, string | null>;
  ownerDeals: Map<string, DealIndicators[]>;
}

const STALL_KINDS = [
  { key: 'stalled', verb: 'stalls', test: (d: DealIndicators): boolean => d.riskFlags.includes('Stalled') },
  { key: 'skipped', verb: 'skips the gate', test: (d: DealIndicators): boolean => d.gateStatus === 'Skipped' },
] as const;

const stallsByTeam = (snapshot: OrgSnapshot, deals: DealIndicators[]): TeamStall => {
  const managerOf = new Map(snapshot.users.map((u) => [u.id, u.managerId ?? null]));
  const byTeam = new Map<string, Map<string, StageTally>>();
  const all = new Map<string, StageTally>();
  const bump = (m: Map<string, StageTally>, d: DealIndicators): void => {
    const t = m.get(d.stage) ?? { deals: 0, stalled: 0, skipped: 0 };
    t.deals++;
    for (const kind of STALL_KINDS) if (kind.test(d)) t[kind.key]++;
    m.set(d.stage, t);
  };
  for (const d of deals) {
    const manager = d.ownerId ? managerOf.get(d.ownerId) : null;
    bump(all, d);
    if (!manager) continue;
    const team = byTeam.get(manager) ?? new Map();
    bump(team, d);
    byTeam.set(manager, team);
  }
  return { byTeam, all, managerOf, ownerDeals: groupBy(deals, (d) => d.ownerId) };
};

interface Territory {
  /** Won / closed across the org, up to asOf. */
  org: number | null;
  /** Per rep: closed deals by the OTHER reps on the accounts the rep works. */
  byRep: Map<string, { won: number; closed: number }>;
}

const territoryWinRates = (snapshot: OrgSnapshot, asOfMs: number): Territory => {
  const byAccount = new Map<string, { won: number; closed: number }>();
  let won = 0;
  let closed = 0;
  for (const o of snapshot.opportunities) {
    if (!o.isClosed || !o.closeDate || Date.parse(`${o.closeDate}T00:00:00Z`) > asOfMs) continue;
    closed++;
    if (o.isWon) won++;
    if (!o.accountId) continue;
    const t = byAccount.get(o.accountId) ?? { won: 0, closed: 0 };
    t.closed++;
    if (o.isWon) t.won++;
    byAccount.set(o.accountId, t);
  }
  const byRep = new Map<string, { won: number; closed: number }>();
  for (const [repId, deals] of groupBy(snapshot.opportunities, (o) => o.ownerId ?? null)) {
    const t = { won: 0, closed: 0 };
    for (const account of new Set(deals.map((d) => d.accountId).filter((a): a is string => Boolean(a)))) {
      const h = byAccount.get(account);
      if (h) {
        t.won += h.won;
        t.closed += h.closed;
      }
    }
    // Leave out the rep's own closed deals: the territory is how the accounts buy from everyone else.
    for (const d of deals) {
      if (!d.accountId || !d.isClosed || !d.closeDate || Date.parse(`${d.closeDate}T00:00:00Z`) > asOfMs) continue;
      t.closed--;
      if (d.isWon) t.won--;
    }
    byRep.set(repId, t);
  }
  return { org: closed ? won / closed : null, byRep };
};

const pct = (x: number): string => `${Math.round(x * 100)} %`;

/**
 * Diagnose before you intervene. Only reps below par get a cause: below peers on the behaviour score, on conversion
 * (beyond chance), or on their own effort (a sharp drop against their own baseline). The checks run from the widest
 * cause to the most personal: process (the whole team stalls at one gate), circumstance (inherited pipeline, weak
 * territory), will (effort falling against the rep's own baseline), skill (effort at or above peers, conversion below).
 */
export const diagnose = (
  rep: User,
  raw: RawSignals,
  composite: number,
  peerComposites: number[],
  peerRaws: RawSignals[],
  teams: TeamStall,
  territory: Territory,
  comparable: boolean,
): RepScorecard['diagnosis'] => {
  if (!comparable) return { kind: 'None', evidence: ['Peer group too small to compare'] };
  const peerComposite = median(peerComposites) ?? composite;
  const peerWinRate = median(peerRaws.map((p) => p.winRate).filter((w): w is number => w !== null));
  const peerEffort = median(peerRaws.map((p) => p.effort.level)) ?? 0;
  const peerPerDeal = median(peerRaws.map((p) => p.effort.perDeal).filter((x): x is number => x !== null));
  const peerTrend = median(peerRaws.filter((p) => p.effort.baseline > 0).map((p) => p.effort.recent / p.effort.baseline)) ?? 1;
  const lowScore = composite < peerComposite - BELOW_PAR_POINTS;
  const lowConversion = raw.winRate !== null && peerWinRate !== null && raw.winRate < BELOW_PAR_WIN_RATE * peerWinRate && wilson(raw.wonCount, raw.closedCount, CONVERSION_Z)!.high < peerWinRate;
  const trend = raw.effort.baseline >= 1 ? raw.effort.recent / raw.effort.baseline : null;
  const effortDrop = trend !== null && trend <= WILL_FELL && trend <= WILL_DROP * peerTrend;
  const willEvidence = (): string[] => [`Activity fell to ${raw.effort.recent.toFixed(1)} a week in the last 4 weeks, from ${raw.effort.baseline.toFixed(1)} a week in the 12 weeks before`, `Peers' activity over the same weeks: ${pct(peerTrend)} of their own earlier rate`];
  if (!lowScore && !lowConversion) {
    if (effortDrop) return { kind: 'Will', evidence: [...willEvidence(), `Behaviour score ${composite} against a peer median of ${peerComposite}: not below yet`] };
    return { kind: 'None', evidence: [`Behaviour score ${composite} against a peer median of ${peerComposite}${raw.winRate !== null && peerWinRate !== null ? `; win rate ${pct(raw.winRate)} against ${pct(peerWinRate)}` : ''}`] };
  }

  // Process: the team as a whole stalls (or skips the gate) at one stage, far more than everyone else, and so does this rep.
  const manager = teams.managerOf.get(rep.id);
  const team = manager ? teams.byTeam.get(manager) : undefined;
  if (team) {
    const mine = teams.ownerDeals.get(rep.id) ?? [];
    const candidates = [...team].flatMap(([stage, t]) => STALL_KINDS.map((kind) => ({ stage, t, kind, rate: t[kind.key] / t.deals })));
    candidates.sort((a, b) => b.rate - a.rate || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0));
    for (const { stage, t, kind, rate } of candidates) {
      if (t.deals < MIN_TEAM_DEALS_AT_STAGE || rate < TEAM_STALL_RATE) continue;
      const all = teams.all.get(stage)!;
      const outside = all.deals - t.deals > 0 ? (all[kind.key] - t[kind.key]) / (all.deals - t.deals) : 0;
      const mineThere = mine.filter((d) => d.stage === stage);
      const mineRate = mineThere.length ? mineThere.filter(kind.test).length / mineThere.length : 0;
      if (wilson(t[kind.key], t.deals, TEAM_STALL_Z)!.low >= TEAM_STALL_RATIO * outside && mineRate >= TEAM_STALL_RATE) {
        return { kind: 'Process', evidence: [`The team ${kind.verb} at ${stage} on ${pct(rate)} of its deals there (${t[kind.key]} of ${t.deals}), against ${pct(outside)} elsewhere`, `${rep.name}'s own deals there: ${pct(mineRate)}`] };
      }
    }
  }

  // Circumstance: the book was handed over, or the accounts rarely buy.
  if (raw.inheritedShare !== null && raw.inheritedShare >= INHERITED_SHARE && (raw.inheritedDealShare ?? 0) >= INHERITED_SHARE) {
    return { kind: 'Circumstance', evidence: [`${pct(raw.inheritedShare)} of the open pipeline was created by someone else (inherited)`, `Self-generated opportunities in 90 days: ${raw.values.selfGeneratedPipeline ?? 0}`] };
  }
  const repAccounts = territory.byRep.get(rep.id);
  if (repAccounts && territory.org !== null && repAccounts.closed >= MIN_TERRITORY_CLOSED && repAccounts.won / repAccounts.closed <= WEAK_TERRITORY * territory.org && wilson(repAccounts.won, repAccounts.closed)!.high < territory.org) {
    return { kind: 'Circumstance', evidence: [`The rep's accounts win ${pct(repAccounts.won / repAccounts.closed)} of closed deals for other reps (${repAccounts.closed} deals), against ${pct(territory.org)} across the org`] };
  }

  // Will: effort falling against the rep's own baseline.
  if (effortDrop) return { kind: 'Will', evidence: willEvidence() };

  // Skill: the effort is there — in volume, or per deal worked — and the conversion is not.
  const effortThere = raw.effort.level >= peerEffort || (raw.effort.perDeal !== null && peerPerDeal !== null && raw.effort.perDeal >= peerPerDeal);
  if (effortThere && lowConversion) {
    return { kind: 'Skill', evidence: [`Activity ${raw.effort.level.toFixed(1)} a week against a peer median of ${peerEffort.toFixed(1)}${raw.effort.perDeal !== null && peerPerDeal !== null ? ` (${raw.effort.perDeal.toFixed(2)} per deal worked against ${peerPerDeal.toFixed(2)})` : ''}`, `Win rate ${pct(raw.winRate!)} against a peer median of ${pct(peerWinRate!)} (${raw.closedCount} closed deals)`] };
  }
  return { kind: 'None', evidence: [`Below peers (score ${composite} against ${peerComposite}) with no single cause standing out`] };
};

const FOCUS: Record<string, { behaviour: string; questions: string[] }> = {
  selfGeneratedPipeline: { behaviour: 'Build your own pipeline: create two qualified opportunities a week from your target accounts.', questions: ['Which accounts would you call first, and why now?', 'What insight can you lead with?'] },
  selfGeneratedAdvance: { behaviour: 'Qualify harder up front: move self-generated deals to Needs Analysis or close them out.', questions: ['Which of your new deals has a real problem to solve?', 'What would make you disqualify one today?'] },
  pipelineAhead: { behaviour: 'Build pipeline for the next two quarters, not just this one.', questions: ['What closes in two quarters if you start it this week?'] },
  rolesPerDeal: { behaviour: 'Map the buying committee on every deal: who decides, who influences, who could block.', questions: ['Who else will have a say that you have not met?'] },
  buyerMapped: { behaviour: 'Name the economic buyer on every mid-stage deal.', questions: ['Who signs, and what do they need to believe?'] },
  meaningfulConversations: { behaviour: 'Turn activity into real conversations: fewer dials, more connected calls and meetings.', questions: ['What made your best conversation this week work?'] },
  conversationRate: { behaviour: 'Get more calls to connect and last: call at the right time, with a reason the customer cares about.', questions: ['What reason did you give them to stay on the line?'] },
  gatesHonoured: { behaviour: 'Meet each gate’s milestones before moving a deal on.', questions: ['Which milestone did you skip last, and what did it cost?'] },
  nextStepsScheduled: { behaviour: 'End every conversation with a dated next step on the calendar.', questions: ['What did the customer agree to do next, and when?'] },
  stakeholdersPerDeal: { behaviour: 'Multi-thread: engage a second and third person on every active deal.', questions: ['If your contact left tomorrow, who would carry this deal?'] },
  multiThreadedShare: { behaviour: 'Get every active deal beyond a single contact.', questions: ['Who could introduce you to the next person?'] },
  executiveDealShare: { behaviour: 'Get to a director-level or more senior contact on every mid-stage deal.', questions: ['Who owns the metric your proposal moves?'] },
  executiveConversations: { behaviour: 'Hold more conversations with executives, prepared with their business metrics.', questions: ['What would a VP want to hear from you in ten minutes?'] },
  scoreTrend: { behaviour: 'Pick one behaviour each week and review it with your manager.', questions: ['What did you try last week, and what did you learn?'] },
  gapsClosed: { behaviour: 'Close the gaps your deals show: work the missing milestones first.', questions: ['Which missing milestone would move your biggest deal?'] },
};

const UNIT_SUFFIX: Record<string, string> = { '%': ' %', deals: ' deals', contacts: ' people', count: '', $: '', 'points/week': ' points a week' };
const shown = (value: number, unit: string): string => {
  if (unit === '$') return `$${Math.round(value).toLocaleString('en-US')}`;
  const n = Math.round(value * 10) / 10;
  return unit === 'contacts' ? `${n} ${n === 1 ? 'person' : 'people'}` : `${n}${UNIT_SUFFIX[unit] ?? ''}`;
};

/**
 * "Behind peers on conversations with executives (90 days): 3 against a peer median of 11". The two signals furthest
 * below the peers (bottom quarter) and the one furthest above (top quarter).
 */
export const peerComparisons = (competencies: readonly CompetencyScore[]): string[] => {
  const signals = competencies.flatMap((c) => c.signals).filter((s) => s.score !== null && s.value !== null && s.peerMedian !== null);
  const behind = signals.filter((s) => s.score! <= 25).sort((a, b) => a.score! - b.score!).slice(0, 2);
  const ahead = signals.filter((s) => s.score! >= 75).sort((a, b) => b.score! - a.score!).slice(0, 1);
  const line = (word: string, s: SignalScore): string => `${word} peers on ${s.label.charAt(0).toLowerCase()}${s.label.slice(1)}: ${shown(s.value!, s.unit)} against a peer median of ${shown(s.peerMedian!, s.unit)}`;
  return [...behind.map((s) => line('Behind', s)), ...ahead.map((s) => line('Ahead of', s))];
};

/** One specific behaviour to work on: the competency furthest below its peer median, and its weakest signal. */
export const coachingFocus = (competencies: CompetencyScore[], diagnosis: RepScorecard['diagnosis']): RepScorecard['focus'] => {
  const gaps = competencies.map((c) => ({ c, gap: c.score - (c.peerMedian ?? c.score) })).sort((a, b) => a.gap - b.gap || a.c.score - b.c.score);
  const target = diagnosis.kind === 'Will' ? competencies.find((c) => c.key === 'discovery')! : gaps[0]!.c;
  const weakest = target.signals.filter((s) => s.score !== null).sort((a, b) => a.score! - b.score!)[0] ?? target.signals[0]!;
  const focus = FOCUS[weakest.key]!;
  return { competency: target.key, behaviour: focus.behaviour, coachingQuestions: focus.questions };
};
