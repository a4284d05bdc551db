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
import { median, percentileRank, poissonAtMost, proportionGapZ, round, shrunkRate, wilson } from './stats.ts';
import { DAY_MS } from './time.ts';
import { groupBy } from './group.ts';

/** Peer groups smaller than this are not compared (the scorecard says so). */
export const MIN_PEERS = 3;
/** How far back rep signals read activity (the effort baseline is weeks 4–16): a sync's reader may leave older out. */
export const REP_LOOKBACK_WEEKS = 16;
/** Volume signals are capped at this multiple of the peer median before ranking. */
export const VOLUME_CAP_FACTOR = 2;
/** Behind on behaviours: composite this many points under the peer median (coached through the focus, not a cause). */
export const BELOW_PAR_POINTS = 5;
/**
 * Conversion below peers: the top of the rep's one-sided 95 % Wilson interval (z 1.645) is under the peers' median
 * win rate, and the rate shrunk towards that median by CONVERSION_PRIOR pseudo-deals is at most CONVERSION_GAP of it.
 * Thirty closed deals at a true 30 % land under 24 % about one time in four; the interval and the shrinkage keep
 * that from reading as a skill gap, while two hundred deals at 20 % against 30 % do.
 */
export const CONVERSION_Z = 1.645;
export const CONVERSION_PRIOR = 10;
export const CONVERSION_GAP = 0.75;
/** Fewer closed deals than this in a year: conversion is not judged at all. */
export const MIN_CLOSED_TO_JUDGE = 10;
/**
 * Will: the last 4 weeks' activities at most WILL_DROP of what the rep's own 12-week baseline predicts (scaled by the
 * peers' movement and, in part, by the rep's own load of open deals), at most WILL_FELL of the unscaled baseline, and a Poisson lower tail under WILL_P. The
 * peers' scaling keeps a holiday month everyone shares from reading as a will drop. A drop this sharp counts on its
 * own: it is the rep against their own par, and it shows before results do.
 */
export const WILL_DROP = 0.6;
export const WILL_FELL = 0.8;
export const WILL_P = 0.01;
/** Fewer activities than this in the 12-week baseline: no baseline to fall from. */
export const MIN_BASELINE_ACTIVITIES = 12;
/** Skill: effort (per week, or per deal worked) at least this share of the peers' median: the work is there. */
export const EFFORT_AT_PAR = 0.85;
/**
 * Circumstance: the rep's accounts win at most WEAK_TERRITORY of the org's rate for the OTHER reps who worked them (the
 * rep's own deals are left out: counting them would call the rep's own losses a weak territory), over at least
 * MIN_TERRITORY_CLOSED such deals, with the top of the 95 % interval under the org's rate; or the rep's inherited deals
 * convert below the rep's self-generated ones at one-sided z ≥ INHERITED_Z (each side at least MIN_SIDE_DEALS closed)
 * while the self-generated ones are not below the peers.
 */
export const WEAK_TERRITORY = 0.7;
export const MIN_TERRITORY_CLOSED = 10;
export const INHERITED_Z = 1.96;
export const INHERITED_SHARE = 0.5;
export const INHERITED_VS_PEERS = 2;
export const MIN_SIDE_DEALS = 5;
/** What the scorecard's headline says for each outcome: the component shows it above the evidence. */
export const HEADLINES = {
  Skill: 'Skill: the effort is there, the conversion is not',
  Will: 'Will: effort fell against the rep\'s own baseline',
  Process: 'Process: the team stalls at one gate',
  Circumstance: 'Circumstance: the territory or the inherited book explains the results',
  atPar: 'No concern: at or above par',
  behindOnBehaviours: 'Results at par; behind peers on behaviours (see the focus)',
  belowNoCause: 'Below peers on conversion; no single cause stands out',
  notEnoughData: 'Not enough data to diagnose yet',
} as const;
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
export const TEAM_STALL_Z = 3.09;
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
  /** The cause, the headline the scorecard shows (it never says more than the evidence), and the evidence. */
  diagnosis: { kind: Diagnosis; headline?: string; evidence: string[] };
  /** The one behaviour to work on: its competency, the signal that measures it (a coaching plan tracks it), what to do. */
  focus: { competency: Competency; signal?: string; behaviour: string; coachingQuestions: string[] };
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
  const teamStalls = stallsByTeam(input.snapshot, deals, ctx);
  const territory = territoryWinRates(input.snapshot, ctx.asOfMs);

  // A group's values are sorted once for all its members (a group of 1,000 reps sorted per member was most of the time).
  const valuesByGroup = new Map<string, PeerValues>();
  return partial.map((p): RepScorecard => {
    const raw = raws.get(p.rep.id)!;
    const key = groupKey(p.group);
    let values = valuesByGroup.get(key);
    if (!values) {
      const peers = p.group.memberIds.map((id) => byId.get(id)!);
      valuesByGroup.set(key, (values = peerValues(peers.map((x) => x.composite), peers.map((x) => raws.get(x.rep.id)!))));
    }
    const diagnosis = diagnose(p.rep, raw, p.composite, [], [], teamStalls, territory, p.group.comparable, values);
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
  kinds: StallKind[];
}

interface StallKind {
  key: 'stalled' | 'skipped';
  verb: string;
  test: (d: DealIndicators) => boolean;
}

/**
 * Stalled, for the process diagnosis: days in stage above stallFactor × the median won deals spent there (and at least
 * minStallDays). Judged here from the raw days, not from the Stalled flag, whose threshold (a high percentile of the
 * won deals' days) and whose raising (only where it predicts) serve the deal list, not the comparison of teams.
 */
const stallKinds = (ctx: EngineContext): StallKind[] => {
  const { settings } = ctx.playbook;
  return [
    { key: 'stalled', verb: 'stalls', test: (d) => {
      const b = ctx.benchmarks.get(d.stage);
      return b !== undefined && b.samples >= settings.minWonSamplesForStall && d.daysInStage > Math.max(settings.minStallDays, settings.stallFactor * b.medianDays);
    } },
    { key: 'skipped', verb: 'skips the gate', test: (d) => d.gateStatus === 'Skipped' },
  ];
};

const stallsByTeam = (snapshot: OrgSnapshot, deals: DealIndicators[], ctx: EngineContext): TeamStall => {
  const kinds = stallKinds(ctx);
  const managerOf = new Map(snapshot.users.map((u) => [u.id, u.managerId ?? null]));
  const byTeam = new Map<string, Map<string, StageTally>>();
  const all = new Map<string, StageTally>();
  const bump = (m: Map<string, StageTally>, d: DealIndicators): void => {
    const t = m.get(d.stage) ?? { deals: 0, stalled: 0, skipped: 0 };
    t.deals++;
    for (const kind of kinds) if (kind.test(d)) t[kind.key]++;
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
  return { byTeam, all, managerOf, ownerDeals: groupBy(deals, (d) => d.ownerId), kinds };
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

/** What a number's test says: below the peers (or the rep's own baseline) beyond chance, and by how much. */
interface ConversionGap {
  low: boolean;
  shrunk: number | null;
}

/**
 * The rep's conversion against the peers': low when the top of its one-sided 95 % Wilson interval is under the peers'
 * median AND the rate shrunk towards that median (CONVERSION_PRIOR pseudo-deals at the peers' rate) is at most
 * CONVERSION_GAP of it. The interval guards against chance at small samples; the shrinkage keeps a rep with a dozen
 * deals from being called below on a bad month; a rep with hundreds of deals is judged on the effect size.
 */
const conversionGap = (won: number, closed: number, peerRate: number | null): ConversionGap => {
  if (peerRate === null || closed < MIN_CLOSED_TO_JUDGE) return { low: false, shrunk: null };
  const shrunk = shrunkRate(won, closed, peerRate, CONVERSION_PRIOR);
  return { low: wilson(won, closed, CONVERSION_Z)!.high < peerRate && shrunk <= CONVERSION_GAP * peerRate, shrunk };
};

/**
 * Will: the activities the rep logged in the last 4 weeks against what the rep's own 12-week baseline predicts once
 * scaled by how the peers' activity moved over the same weeks. A drop counts when it is large (at most WILL_DROP of
 * the expectation, and at most WILL_FELL of the unscaled baseline) and beyond chance for a count that size (Poisson
 * lower tail under WILL_P): ten activities where twenty were expected is a drop; one where two were is not.
 */
const effortDrop = (raw: RawSignals, peerTrend: number): { dropped: boolean; expected: number; seen: number; p: number } => {
  const seen = Math.round(raw.effort.recent * 4);
  // Activity follows the load in part: the baseline is scaled by the square root of how the rep's open deal-days
  // changed (fewer live deals, somewhat fewer activities), within a half and one and a half.
  const { recentDealDays, baselineDealDays } = raw.effort;
  const load = recentDealDays !== undefined && baselineDealDays ? Math.min(1.5, Math.max(0.5, Math.sqrt((recentDealDays / baselineDealDays) * 3))) : 1;
  const expected = raw.effort.baseline * 4 * load * Math.min(1.5, peerTrend);
  if (raw.effort.baseline * 12 < MIN_BASELINE_ACTIVITIES) return { dropped: false, expected, seen, p: 1 };
  const p = poissonAtMost(seen, expected);
  return { dropped: seen <= WILL_DROP * expected && raw.effort.recent <= WILL_FELL * raw.effort.baseline && p < WILL_P, expected, seen, p };
};

/** Activities per open deal-day over the last 16 weeks: effort against the load the rep carried, or null when unknown. */
const perDealDay = (raw: RawSignals): number | null => {
  const days = (raw.effort.recentDealDays ?? 0) + (raw.effort.baselineDealDays ?? 0);
  return raw.effort.recentDealDays === undefined || days < 1 ? null : (raw.effort.recent * 4 + raw.effort.baseline * 12) / days;
};

/** Process: the team as a whole stalls (or skips the gate) at one stage, far more than everyone else, and so does this rep. */
const processFinding = (rep: User, teams: TeamStall): string[] | null => {
  const manager = teams.managerOf.get(rep.id);
  const team = manager ? teams.byTeam.get(manager) : undefined;
  if (!team) return null;
  const mine = teams.ownerDeals.get(rep.id) ?? [];
  const candidates = [...team].flatMap(([stage, t]) => teams.kinds.map((kind) => ({ stage, t, kind, rate: t[kind.key] / t.deals })));
  candidates.sort((a, b) => b.rate - a.rate || (a.stage < b.stage ? -1 : a.stage > b.stage ? 1 : 0));
  for (const { stage, t, kind, rate } of candidates) {
    if (t.deals < MIN_TEAM_DEALS_AT_STAGE || rate < TEAM_STALL_RATE) continue;
    const all = teams.all.get(stage)!;
    const outside = all.deals - t.deals > 0 ? (all[kind.key] - t[kind.key]) / (all.deals - t.deals) : 0;
    const mineThere = mine.filter((d) => d.stage === stage);
    const mineRate = mineThere.length ? mineThere.filter(kind.test).length / mineThere.length : 0;
    if (wilson(t[kind.key], t.deals, TEAM_STALL_Z)!.low >= TEAM_STALL_RATIO * outside && mineRate >= TEAM_STALL_RATE) {
      return [`The team ${kind.verb} at ${stage} on ${pct(rate)} of its deals there (${t[kind.key]} of ${t.deals}), against ${pct(outside)} elsewhere`, `${rep.name}'s own deals there: ${pct(mineRate)} (${mineThere.filter(kind.test).length} of ${mineThere.length})`];
    }
  }
  return null;
};

/**
 * Circumstance: the rep's results are explained by what the rep was given. Three routes, each its own evidence:
 * the rep's inherited deals convert clearly worse than the deals the rep created (one-sided z ≥ INHERITED_Z) while those
 * self-generated deals are not below the peers; or, with conversion clearly below the peers, the accounts buy poorly for
 * everyone else who worked them (the top of the 95 % interval of their win rate for others under the org's rate, and
 * at most WEAK_TERRITORY of it), or the book was handed over: at least INHERITED_SHARE of the closed deals (or of the
 * open pipeline, by value and by count) inherited, with the bottom of that share's 95 % interval above
 * INHERITED_VS_PEERS times the peers' median inherited share.
 */
const circumstanceFinding = (rep: User, raw: RawSignals, peerRate: number, peerInherited: number, conversionLow: boolean, territory: Territory): string[] | null => {
  const ownLine = `The rep's own win rate: ${pct(raw.winRate ?? 0)} (${raw.wonCount} of ${raw.closedCount}) against a peer median of ${pct(peerRate)}`;
  const inheritedClosed = raw.inheritedClosedCount ?? 0;
  const inheritedWon = raw.inheritedWonCount ?? 0;
  const selfClosed = raw.closedCount - inheritedClosed;
  const selfWon = raw.wonCount - inheritedWon;
  if (inheritedClosed >= MIN_SIDE_DEALS && selfClosed >= MIN_SIDE_DEALS) {
    const z = proportionGapZ(inheritedWon, inheritedClosed, selfWon, selfClosed);
    if (z >= INHERITED_Z && !conversionGap(selfWon, selfClosed, peerRate).low) {
      return [`Inherited deals win ${pct(inheritedWon / inheritedClosed)} (${inheritedWon} of ${inheritedClosed}); deals the rep created win ${pct(selfWon / selfClosed)} (${selfWon} of ${selfClosed}), against a peer median of ${pct(peerRate)}`, `${pct(inheritedClosed / raw.closedCount)} of the rep's closed deals were inherited`];
    }
  }
  if (!conversionLow) return null;
  const accounts = territory.byRep.get(rep.id);
  if (accounts && territory.org !== null && accounts.closed >= MIN_TERRITORY_CLOSED) {
    const rate = accounts.won / accounts.closed;
    if (rate <= WEAK_TERRITORY * territory.org && wilson(accounts.won, accounts.closed)!.high < territory.org) {
      return [`The rep's accounts win ${pct(rate)} of closed deals for other reps (${accounts.won} of ${accounts.closed}), against ${pct(territory.org)} across the org`, ownLine];
    }
  }
  const closedShare = raw.closedCount ? inheritedClosed / raw.closedCount : 0;
  const handedOver = (closedShare >= INHERITED_SHARE && wilson(inheritedClosed, raw.closedCount)!.low > INHERITED_VS_PEERS * peerInherited) ||
    (raw.inheritedShare !== null && raw.inheritedShare >= INHERITED_SHARE && (raw.inheritedDealShare ?? 0) >= INHERITED_SHARE && (raw.inheritedDealShare ?? 0) > INHERITED_VS_PEERS * peerInherited);
  if (handedOver) {
    return [`${pct(closedShare)} of the rep's closed deals and ${pct(raw.inheritedShare ?? 0)} of the open pipeline were created by someone else (inherited), against a peer median of ${pct(peerInherited)}`, ownLine];
  }
  return null;
};

/** The share of a rep's closed deals that were inherited, or null with none closed. */
const inheritedShareOf = (raw: RawSignals): number | null => (raw.closedCount > 0 ? (raw.inheritedClosedCount ?? 0) / raw.closedCount : null);

/** A rep's activity now against the rep's own baseline, or null without one. */
const trendOf = (raw: RawSignals): number | null => (raw.effort.baseline > 0 ? raw.effort.recent / raw.effort.baseline : null);

/** A peer group's values a diagnosis compares with, each sorted once for the whole group. */
export interface PeerValues {
  composite: number | null;
  winRate: number[];
  effort: number[];
  perDeal: number[];
  trend: number[];
  inherited: number[];
  perDealDay: number[];
  /** The values include the rep being diagnosed (the whole group): each median leaves the rep's own value out. */
  includesSelf: boolean;
}

const sortedOf = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null).sort((a, b) => a - b);

export const peerValues = (peerComposites: readonly number[], peerRaws: readonly RawSignals[], includesSelf = true): PeerValues => ({
  includesSelf,
  composite: median(peerComposites),
  winRate: sortedOf(peerRaws.map((p) => p.winRate)),
  effort: sortedOf(peerRaws.map((p) => p.effort.level)),
  perDeal: sortedOf(peerRaws.map((p) => p.effort.perDeal)),
  trend: sortedOf(peerRaws.map(trendOf)),
  inherited: sortedOf(peerRaws.map(inheritedShareOf)),
  perDealDay: sortedOf(peerRaws.map(perDealDay)),
});

/**
 * The median of a group's sorted values with one member's own value left out (nothing left out when the member has
 * none): the same figure as sorting the others, found by skipping one index.
 */
export const withoutOwn = (sorted: readonly number[], own: number | null): number | null => {
  let skip = -1;
  if (own !== null) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < own) lo = mid + 1;
      else hi = mid;
    }
    if (sorted[lo] === own) skip = lo;
  }
  const n = sorted.length - (skip >= 0 ? 1 : 0);
  if (n === 0) return null;
  const at = (i: number): number => sorted[skip >= 0 && i >= skip ? i + 1 : i]!;
  const mid = Math.floor(n / 2);
  return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
};

/**
 * Diagnose before you intervene. A rep gets a cause only on evidence that holds beyond chance: conversion below the
 * peers' (interval and shrinkage), effort below the rep's own baseline (Poisson), a team that stalls at one gate.
 * Then, from the widest cause to the most personal: process, circumstance, will, skill. "None" means at par or behind
 * on behaviours only (the coaching focus covers that); a rep with too few closed deals and too little history to
 * judge says so. The headline states what the evidence shows, so the two never disagree.
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
  /** The group's values sorted once (scoreReps passes them): the same medians without sorting the group per rep. */
  group: PeerValues = peerValues(peerComposites, peerRaws.filter((p) => p.repId !== rep.id), false),
): RepScorecard['diagnosis'] => {
  const own = <T>(value: T): T | null => (group.includesSelf ? value : null);
  if (!comparable) return { kind: 'None', headline: HEADLINES.notEnoughData, evidence: ['Peer group too small to compare'] };
  const peerComposite = group.composite ?? composite;
  // Each of these is the median over the other members of the group (the rep left out).
  const peerWinRate = withoutOwn(group.winRate, own(raw.winRate));
  const peerEffort = withoutOwn(group.effort, own(raw.effort.level)) ?? 0;
  const peerPerDeal = withoutOwn(group.perDeal, own(raw.effort.perDeal));
  const peerTrend = withoutOwn(group.trend, own(trendOf(raw))) ?? 1;
  const conversion = conversionGap(raw.wonCount, raw.closedCount, peerWinRate);
  const drop = effortDrop(raw, peerTrend);
  const lowScore = composite < peerComposite - BELOW_PAR_POINTS;
  const scoreLine = `Behaviour score ${composite} against a peer median of ${peerComposite}`;
  const winLine = raw.winRate !== null && peerWinRate !== null ? `Win rate ${pct(raw.winRate)} (${raw.wonCount} of ${raw.closedCount} closed) against a peer median of ${pct(peerWinRate)}` : null;
  const willEvidence = (): string[] => [`${drop.seen} activities in the last 4 weeks where the rep's own 12-week baseline, moved as the peers' moved, predicts ${drop.expected.toFixed(0)} (${raw.effort.recent.toFixed(1)} a week against ${raw.effort.baseline.toFixed(1)})`, `Peers' activity over the same weeks: ${pct(peerTrend)} of their own earlier rate`];

  // A team pattern is the rep's concern when the rep's results or effort fall short too.
  const process = processFinding(rep, teams);
  if (process && (lowScore || drop.dropped || (conversion.shrunk !== null && conversion.shrunk < peerWinRate!))) return { kind: 'Process', headline: HEADLINES.Process, evidence: process };

  // Circumstance explains results below the peers': its own tests are the evidence, so a rate merely under the
  // peers' (after shrinkage) is enough to look for it.
  if (conversion.low || (conversion.shrunk !== null && conversion.shrunk < peerWinRate!)) {
    const peerInherited = withoutOwn(group.inherited, own(inheritedShareOf(raw))) ?? 0;
    const circumstance = circumstanceFinding(rep, raw, peerWinRate!, peerInherited, conversion.low, territory);
    if (circumstance) return { kind: 'Circumstance', headline: HEADLINES.Circumstance, evidence: circumstance };
  }
  if (conversion.low) {
    if (drop.dropped) return { kind: 'Will', headline: HEADLINES.Will, evidence: [...willEvidence(), winLine!] };
    const peerPerDealDay = withoutOwn(group.perDealDay, own(perDealDay(raw)));
    const mine = perDealDay(raw);
    const effortThere = raw.effort.level >= EFFORT_AT_PAR * peerEffort || (raw.effort.perDeal !== null && peerPerDeal !== null && raw.effort.perDeal >= EFFORT_AT_PAR * peerPerDeal) ||
      (mine !== null && peerPerDealDay !== null && mine >= EFFORT_AT_PAR * peerPerDealDay);
    if (effortThere) {
      return { kind: 'Skill', headline: HEADLINES.Skill, evidence: [`Activity ${raw.effort.level.toFixed(1)} a week against a peer median of ${peerEffort.toFixed(1)}${raw.effort.perDeal !== null && peerPerDeal !== null ? ` (${raw.effort.perDeal.toFixed(2)} per deal worked against ${peerPerDeal.toFixed(2)})` : ''}`, winLine!] };
    }
    return { kind: 'None', headline: HEADLINES.belowNoCause, evidence: [winLine!, `Activity ${raw.effort.level.toFixed(1)} a week against a peer median of ${peerEffort.toFixed(1)}: lower, but not a drop against the rep's own baseline`] };
  }
  if (drop.dropped) return { kind: 'Will', headline: HEADLINES.Will, evidence: [...willEvidence(), ...(winLine ? [winLine] : [])] };
  if (raw.closedCount < MIN_CLOSED_TO_JUDGE && raw.effort.baseline * 12 < MIN_BASELINE_ACTIVITIES) {
    return { kind: 'None', headline: HEADLINES.notEnoughData, evidence: [`${raw.closedCount} closed deals in the last year and ${Math.round(raw.effort.baseline * 12)} activities in the 12 weeks before the last 4: too little to judge`] };
  }
  if (lowScore) return { kind: 'None', headline: HEADLINES.behindOnBehaviours, evidence: [scoreLine, ...(winLine ? [`${winLine}: within chance`] : [])] };
  return { kind: 'None', headline: HEADLINES.atPar, evidence: [scoreLine, ...(winLine ? [`${winLine}: within chance`] : [])] };
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
  return { competency: target.key, signal: weakest.key, behaviour: focus.behaviour, coachingQuestions: focus.questions };
};
