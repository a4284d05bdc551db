// A seeded synthetic org in the neutral model, at any size (10k to 1M deals): reps under managers, accounts with buying
// committees, deals through the standard stages with Salesforce-like history, contact roles and activities. Pure and
// deterministic for a seed. Each rep draws behaviour from a profile, so an archetype can be planted and later found.
import type { Activity, Account, Attestation, Contact, ContactRole, Opportunity, OrgSnapshot, StageHistoryEntry, User } from '../model.ts';
import { isExecutive } from '../engine/titles.ts';
import { STANDARD_OPEN_STAGES, STANDARD_PROCESS, STANDARD_STAGES } from '../playbook/standard-process.ts';
import { Rng, cumulative, hash32, streamSeed } from './random.ts';
import {
  COMPANY_SUFFIXES, COMPANY_WORDS, CONTACT_ROLES, CONTACT_TITLES, EXECUTIVE_ROLES, FIRST_NAMES, INDUSTRIES, LAST_NAMES, LEAD_SOURCES,
  NEXT_STEPS, PRODUCTS, SUBJECTS,
} from './vocabulary.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** How a rep works. Every deal the rep owns draws from it; `TYPICAL_REP` is the org's middle. */
export interface RepBehaviour {
  /** Multiplier on how many activities the rep logs per deal-day. */
  activityRate: number;
  /** Multiplier on how many people of the account the rep reaches per deal (multi-threading). */
  breadth: number;
  /** Probability a deal's committee includes a director-or-above contact. */
  executiveReach: number;
  /** Probability an open deal has a scheduled activity (and then, mostly, NextStep text). */
  nextStepDiscipline: number;
  /** Share of the rep's open deals that have stalled (old, quiet, stuck in a stage). */
  stallRate: number;
  /** Share of the rep's closed deals that were won. */
  winRate: number;
  /** Share of the rep's deals the rep created (the rest came from an SDR or a teammate: inherited pipeline). */
  selfSourced: number;
  /** Probability a completed call reached a person. */
  connectRate: number;
  /** A rep who started this quarter: all their deals are recent and open. */
  newHire: boolean;
  /**
   * Completed activity in the last 4 weeks relative to the rep's own earlier rate (1: steady). Below 1 is a will drop:
   * that share of the recent activities is moved back before the last 4 weeks, so the total stays exact.
   */
  recentActivityFactor: number;
  /** Multiplier on the win chance of every deal on the accounts this rep owns, whoever works it (weak territory < 1). */
  territoryWinFactor: number;
}

export const TYPICAL_REP: Readonly<RepBehaviour> = {
  activityRate: 1,
  breadth: 1,
  executiveReach: 0.45,
  nextStepDiscipline: 0.65,
  stallRate: 0.3,
  winRate: 0.3,
  selfSourced: 0.8,
  connectRate: 0.55,
  newHire: false,
  recentActivityFactor: 1,
  territoryWinFactor: 1,
};

/** A kind of rep to plant: `share` of the reps (rounded) get `behaviour` over the typical one. */
export interface RepArchetype {
  name: string;
  share: number;
  behaviour: Partial<RepBehaviour>;
}

export interface GenerateOrgOptions {
  deals: number;
  /** Total activities; hit exactly (apportioned over deals by their length of life and their rep's activity rate). */
  activities: number;
  /** Account executives (managers and SDRs come on top). Default: one per 250 deals, 4 to 5,000. */
  reps?: number;
  seed?: string | number;
  /** The snapshot's moment: no record is dated after it except scheduled activities and open close dates. */
  asOf: string;
  /** Accounts; default one per 5 deals. Each has 4–12 contacts. */
  accounts?: number;
  /** How far back closed deals go. Default 540 days. */
  historyDays?: number;
  /** Share of deals still open at asOf (new hires' deals are always open). Default 0.25. */
  openShare?: number;
  /** Share of typical reps who are new hires. Default 0.06. */
  newHireShare?: number;
  archetypes?: readonly RepArchetype[];
  /**
   * A team-wide process bottleneck: the team of manager `team` (0-based) piles its open deals up at `stage`, where
   * `share` of them stall (old, quiet), most having jumped straight past the gate before it; `lostShare` of the
   * team's closed deals that would have been won were lost there instead (default 0). Its reps are planted as
   * archetype `bottleneck` and get no other archetype.
   */
  bottleneck?: { team: number; stage: string; share: number; lostShare?: number };
  /**
   * Milestones evidenced by attestations: a closed deal that left `stage` got one, dated while it was in the stage,
   * with probability `pWon` if it was later won and `pLost` if lost (causal: pWon ≫ pLost; non-causal: equal). Open
   * deals past the stage get one with the mean probability. `pWonAfterExit`: won deals without one get one dated
   * after they left the stage — evidence only hindsight could credit.
   */
  milestones?: readonly PlantedMilestone[];
}

export interface PlantedMilestone {
  key: string;
  stage: string;
  pWon: number;
  pLost: number;
  pWonAfterExit?: number;
}

/** The archetype name of the reps in the bottleneck team. */
export const BOTTLENECK = 'bottleneck';

export interface RepPlan {
  userId: string;
  managerId: string;
  archetype: string;
  behaviour: RepBehaviour;
  startMs: number;
}

export interface OrgPlan {
  seed: number;
  asOfMs: number;
  reps: RepPlan[];
  managerIds: string[];
  sdrIds: string[];
  users: User[];
}

// Streams: every kind of draw has its own sequence per entity, so adding draws to one never shifts another.
const S_USER = 1;
const S_ARCHETYPE = 2;
const S_ACCOUNT = 3;
const S_DEAL_PLAN = 4;
const S_DEAL_RECORDS = 5;
const S_MILESTONES = 6;

const SEGMENTS = ['Enterprise', 'Mid-Market', 'SMB'];
const TEAM_SIZE = 8;
const OPEN_STAGE_COUNT = STANDARD_OPEN_STAGES.length;
const CLOSED_WON = STANDARD_STAGES.find((s) => s.won)!.name;
const CLOSED_LOST = STANDARD_STAGES.find((s) => s.closed && !s.won)!.name;
const PROBABILITY = new Map(STANDARD_STAGES.map((s) => [s.name, s.probability]));
// How far lost deals got before they were lost: most die early.
const LOST_AT = cumulative([14, 22, 20, 15, 11, 8, 6, 4]);
const TITLE_WEIGHTS = cumulative(CONTACT_TITLES.map((t) => t.weight));
// Classified once with the engine's own rule, so "executive" here is exactly what Executive_Engaged__c counts.
const TITLE_IS_EXEC = CONTACT_TITLES.map((t) => isExecutive(t.title));
const KIND_WEIGHTS = cumulative([40, 30, 15, 15]);
const KINDS = ['call', 'email', 'meeting', 'task'] as const;
const GENERATED_SUBJECTS = {
  call: SUBJECTS.call.map((s) => `[generated] ${s}`),
  email: SUBJECTS.email.map((s) => `[generated] ${s}`),
  meeting: SUBJECTS.meeting.map((s) => `[generated] ${s}`),
  task: SUBJECTS.task.map((s) => `[generated] ${s}`),
};
const EMPTY: readonly string[] = Object.freeze([]) as readonly string[];

/** 15-character, Salesforce-like ids: the object's key prefix and a serial. */
const makeId = (prefix: string, n: number): string => prefix + String(n).padStart(12, '0');

const isoInstant = (ms: number): string => new Date(ms).toISOString();

const seedOf = (seed: string | number | undefined): number => (typeof seed === 'number' ? seed >>> 0 : hash32(seed ?? 'stagecraft-synthetic'));

const defaultReps = (deals: number): number => Math.min(5000, Math.max(4, Math.round(deals / 250)));

/**
 * The people: managers, reps (with their behaviour and archetype) and SDRs. Deterministic for the options, so a test
 * can recompute which rep was planted as what without keeping the generator's state.
 */
export const planOrg = (options: GenerateOrgOptions): OrgPlan => {
  const seed = seedOf(options.seed);
  const asOfMs = Date.parse(options.asOf);
  if (!Number.isFinite(asOfMs)) throw new Error(`asOf is not an instant: ${options.asOf}`);
  const repCount = options.reps ?? defaultReps(options.deals);
  if (!Number.isInteger(repCount) || repCount < 1) throw new Error(`reps must be a positive integer, got ${repCount}`);
  const r = new Rng(0);
  const users: User[] = [];
  let serial = 0;
  const person = (): { name: string; email: string } => {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    return { name: `${first} ${last}`, email: `${first}.${last}.${serial}@synthetic.example`.toLowerCase() };
  };
  const dayOf = (ms: number): string => isoInstant(ms).slice(0, 10);

  const managerIds: string[] = [];
  const managerCount = Math.ceil(repCount / TEAM_SIZE);
  for (let m = 0; m < managerCount; m++) {
    r.reseed(streamSeed(seed, S_USER, 1_000_000 + m));
    const id = makeId('005', ++serial);
    managerIds.push(id);
    users.push({ id, ...person(), title: 'Regional Sales Manager', managerId: null, role: 'Sales Manager', segment: SEGMENTS[m % SEGMENTS.length], team: `Team ${m + 1}`, startDate: dayOf(asOfMs - r.int(900, 3000) * DAY), isActive: true });
  }

  // Archetypes go to a seeded shuffle of the reps, in exact rounded shares; the rest are typical.
  const order = Array.from({ length: repCount }, (_, i) => i);
  r.reseed(streamSeed(seed, S_ARCHETYPE, 0));
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const bottleneck = options.bottleneck;
  if (bottleneck) {
    if (!Number.isInteger(bottleneck.team) || bottleneck.team < 0 || bottleneck.team >= managerCount) throw new Error(`bottleneck.team must be a team index from 0 to ${managerCount - 1}, got ${bottleneck.team}`);
    if (STANDARD_OPEN_STAGES.indexOf(bottleneck.stage) < 1) throw new Error(`bottleneck.stage must be an open stage after the first, got ${bottleneck.stage}`);
  }
  const inBottleneck = (i: number): boolean => !!bottleneck && Math.floor(i / TEAM_SIZE) === bottleneck.team;
  const eligible = order.filter((i) => !inBottleneck(i));
  const archetypeOf: (RepArchetype | null)[] = new Array<RepArchetype | null>(repCount).fill(null);
  let at = 0;
  for (const archetype of options.archetypes ?? []) {
    const count = Math.round(archetype.share * repCount);
    for (let k = 0; k < count && at < eligible.length; k++) archetypeOf[eligible[at++]!] = archetype;
  }

  const reps: RepPlan[] = [];
  const newHireShare = options.newHireShare ?? 0.06;
  for (let i = 0; i < repCount; i++) {
    r.reseed(streamSeed(seed, S_USER, i));
    const archetype = archetypeOf[i];
    const behaviour: RepBehaviour = { ...TYPICAL_REP, ...(archetype?.behaviour ?? {}) };
    if (!archetype && !inBottleneck(i) && r.chance(newHireShare)) behaviour.newHire = true;
    else r.next();
    const startMs = behaviour.newHire ? asOfMs - r.int(20, 80) * DAY : asOfMs - r.int(400, 2500) * DAY;
    const team = Math.floor(i / TEAM_SIZE);
    const userId = makeId('005', ++serial);
    users.push({
      id: userId, ...person(), title: 'Account Executive', managerId: managerIds[team]!, role: 'Account Executive',
      segment: SEGMENTS[team % SEGMENTS.length], team: `Team ${team + 1}`, startDate: dayOf(startMs), isActive: true,
    });
    reps.push({ userId, managerId: managerIds[team]!, archetype: inBottleneck(i) ? BOTTLENECK : archetype?.name ?? 'typical', behaviour, startMs });
  }

  const sdrIds: string[] = [];
  for (let s = 0; s < Math.max(1, Math.round(repCount / 12)); s++) {
    r.reseed(streamSeed(seed, S_USER, 2_000_000 + s));
    const id = makeId('005', ++serial);
    sdrIds.push(id);
    users.push({ id, ...person(), title: 'Sales Development Representative', managerId: managerIds[s % managerCount]!, role: 'Sales Development Representative', segment: 'Inside Sales', team: 'Inside Sales', startDate: dayOf(asOfMs - r.int(200, 1500) * DAY), isActive: true });
  }
  return { seed, asOfMs, reps, managerIds, sdrIds, users };
};

/** What pass one needs to apportion activities and pass two re-derives identically from the same stream. */
interface DealPlan {
  account: number;
  rep: number;
  open: boolean;
  won: boolean;
  stale: boolean;
  createdMs: number;
  /** Closing instant for closed deals, else NaN. */
  closeMs: number;
  /** Last instant a completed activity can have (close, or asOf; earlier for stalled deals). */
  doneEndMs: number;
  /** Stage indexes visited (into STANDARD_OPEN_STAGES) and when each was entered. */
  stages: number[];
  stageMs: number[];
  weight: number;
  /** Where done activities fall: before `recentFromMs` at rate 1, after it at the rep's recentActivityFactor. */
  recentFromMs: number;
}

/** What planDeal needs beyond the plan: option defaults and the bottleneck resolved to a stage index. */
interface DealOptions {
  historyDays: number;
  openShare: number;
  bottleneck: { team: number; stage: number; share: number; lostShare: number } | null;
}

/** A will drop shows over this many days before asOf: the engine's "recent effort" window. */
const RECENT_DAYS = 28;
/** Share of bottlenecked deals that jumped over the gate before the bottleneck stage. */
const BOTTLENECK_SKIP = 0.7;

interface Accounts {
  list: Account[];
  owner: Int32Array;
  /** Contacts of account a are contacts[contactStart[a] … contactStart[a + 1]). */
  contactStart: Int32Array;
}

const makeAccounts = (seed: number, count: number, plan: OrgPlan, contacts: Contact[], contactExec: number[]): Accounts => {
  const r = new Rng(0);
  const list: Account[] = [];
  const owner = new Int32Array(count);
  const contactStart = new Int32Array(count + 1);
  for (let a = 0; a < count; a++) {
    r.reseed(streamSeed(seed, S_ACCOUNT, a));
    const id = makeId('001', a + 1);
    const name = `${r.pick(COMPANY_WORDS)} ${r.pick(COMPANY_SUFFIXES)} ${a + 1}`;
    owner[a] = r.int(0, plan.reps.length - 1);
    const employees = Math.max(5, Math.round(r.logNormal(400, 1.4)));
    list.push({ id, name, industry: r.pick(INDUSTRIES), ownerId: plan.reps[owner[a]!]!.userId, annualRevenue: employees * r.int(80, 400) * 1000, employees, parentId: null });
    contactStart[a] = contacts.length;
    const domain = `acct${a + 1}.example`;
    for (let c = r.int(4, 12); c > 0; c--) {
      const first = r.pick(FIRST_NAMES);
      const last = r.pick(LAST_NAMES);
      // One in twenty contacts has no title at all, as in any real org.
      const t = r.chance(0.05) ? -1 : r.weightedIndex(TITLE_WEIGHTS);
      const serial = contacts.length + 1;
      contacts.push({ id: makeId('003', serial), accountId: id, name: `${first} ${last}`, title: t < 0 ? null : CONTACT_TITLES[t]!.title, department: t < 0 ? null : CONTACT_TITLES[t]!.department, email: `${first}.${last}.${serial}@${domain}`.toLowerCase() });
      contactExec.push(t >= 0 && TITLE_IS_EXEC[t] ? 1 : 0);
    }
  }
  contactStart[count] = contacts.length;
  return { list, owner, contactStart };
};

const planDeal = (r: Rng, seed: number, i: number, plan: OrgPlan, accounts: Accounts, o: DealOptions): DealPlan => {
  r.reseed(streamSeed(seed, S_DEAL_PLAN, i));
  const accountCount = accounts.owner.length;
  // Some accounts carry many deals, most a few.
  const account = Math.min(accountCount - 1, Math.floor(accountCount * r.next() ** 1.6));
  const rep = r.chance(0.85) ? accounts.owner[account]! : r.int(0, plan.reps.length - 1);
  const repPlan = plan.reps[rep]!;
  const b = repPlan.behaviour;
  const asOf = plan.asOfMs;
  const lifeDays = Math.min(400, Math.max(3, r.logNormal(55, 0.7)));
  const open = b.newHire || r.chance(o.openShare);
  // The bottleneck team's open deals jam at one stage (a draw only for that team, so other deals are unchanged).
  const inBottleneck = o.bottleneck !== null && Math.floor(rep / TEAM_SIZE) === o.bottleneck.team;
  const jammed = open && inBottleneck && r.chance(o.bottleneck!.share);
  const stale = (open && r.chance(b.stallRate)) || jammed;
  const clock = r.int(8, 17) * HOUR + r.int(0, 59) * MINUTE;
  let createdMs: number;
  let closeMs = NaN;
  let won = false;
  let lastStage: number;
  if (open) {
    let ageDays = stale ? lifeDays * (1.2 + r.next() * 1.8) : lifeDays * (0.05 + r.next() * 0.85);
    ageDays = Math.min(ageDays, o.historyDays);
    // A new hire's deals all start after their first day.
    if (b.newHire) ageDays = Math.min(ageDays, (asOf - repPlan.startMs) / DAY - 1);
    createdMs = Math.floor((asOf - Math.max(0, ageDays) * DAY) / DAY) * DAY + clock;
    if (createdMs > asOf) createdMs -= DAY;
    const progress = Math.min(0.999, ageDays / lifeDays);
    lastStage = jammed ? o.bottleneck!.stage : stale ? r.int(1, 5) : Math.floor(progress * OPEN_STAGE_COUNT);
  } else {
    createdMs = Math.floor((asOf - r.int(7, o.historyDays) * DAY) / DAY) * DAY + clock;
    closeMs = Math.min(createdMs + lifeDays * DAY, asOf - r.int(1, 48) * HOUR);
    if (closeMs <= createdMs) closeMs = createdMs + HOUR;
    won = r.chance(b.winRate * plan.reps[accounts.owner[account]!]!.behaviour.territoryWinFactor);
    // Deals the bottleneck team would have won die at the bottleneck instead.
    const diedAtBottleneck = won && inBottleneck && o.bottleneck!.lostShare > 0 && r.chance(o.bottleneck!.lostShare);
    if (diedAtBottleneck) won = false;
    lastStage = won ? OPEN_STAGE_COUNT - 1 : diedAtBottleneck ? o.bottleneck!.stage : r.weightedIndex(LOST_AT);
  }

  // The path: from Prospecting up to the last open stage, skipping a stage now and then.
  const stages = [0];
  const jumpGate = jammed && lastStage >= 2 && r.chance(BOTTLENECK_SKIP) ? lastStage - 1 : -1;
  for (let s = 1; s <= lastStage; s++) if (s === lastStage || (!r.chance(0.12) && s !== jumpGate)) stages.push(s);
  const stageMs = [createdMs];
  const endMs = open ? asOf : closeMs;
  // Open deals have spent a share of their life in the current stage (most of it when stalled).
  const currentShare = open ? (stale ? 0.5 + r.next() * 0.4 : 0.1 + r.next() * 0.3) : 0.15 + r.next() * 0.2;
  const advanceEnd = createdMs + (endMs - createdMs) * (1 - currentShare);
  // Salesforce stamps history to the second.
  for (let k = 1; k < stages.length; k++) stageMs.push(Math.round((createdMs + ((advanceEnd - createdMs) * k) / Math.max(1, stages.length - 1)) / 1000) * 1000);

  // Stalled deals went quiet five to ten weeks ago.
  const doneEndMs = !open ? closeMs : stale ? Math.max(createdMs + HOUR, asOf - r.int(35, 70) * DAY) : asOf - HOUR;
  const activeDays = Math.max(1, (doneEndMs - createdMs) / DAY);
  const outcomeRate = open ? 1 : won ? 1.3 : 0.8;
  // A will drop thins out the recent part of the deal's life, so the deal carries less weight.
  const recentFromMs = asOf - RECENT_DAYS * DAY;
  let pace = 1;
  if (b.recentActivityFactor !== 1 && doneEndMs > createdMs) {
    const recent = Math.max(0, doneEndMs - Math.max(createdMs, recentFromMs));
    const span = doneEndMs - createdMs;
    pace = (span - recent + recent * b.recentActivityFactor) / span;
  }
  const weight = activeDays ** 0.8 * outcomeRate * b.activityRate * pace;
  return { account, rep, open, won, stale, createdMs, closeMs, doneEndMs, stages, stageMs, weight, recentFromMs };
};

/**
 * Generates a whole org. Two passes over the deals: the first sums activity weights, the second apportions exactly
 * `activities` over them (cumulative rounding) while writing records, so nothing per deal is kept between passes.
 */
export const generateOrg = (options: GenerateOrgOptions): OrgSnapshot => {
  const { deals, activities: activityTarget } = options;
  if (!Number.isInteger(deals) || deals < 1) throw new Error(`deals must be a positive integer, got ${deals}`);
  if (!Number.isInteger(activityTarget) || activityTarget < 0) throw new Error(`activities must be a non-negative integer, got ${activityTarget}`);
  const plan = planOrg(options);
  const { seed, asOfMs } = plan;
  const bottleneck = options.bottleneck ? { team: options.bottleneck.team, stage: STANDARD_OPEN_STAGES.indexOf(options.bottleneck.stage), share: options.bottleneck.share, lostShare: options.bottleneck.lostShare ?? 0 } : null;
  const o: DealOptions = { historyDays: options.historyDays ?? 540, openShare: options.openShare ?? 0.25, bottleneck };
  const milestones = (options.milestones ?? []).map((m) => {
    const stage = STANDARD_OPEN_STAGES.indexOf(m.stage);
    if (stage < 0) throw new Error(`milestone ${m.key}: stage must be an open stage, got ${m.stage}`);
    return { ...m, stage };
  });

  const contacts: Contact[] = [];
  const contactExec: number[] = [];
  const accounts = makeAccounts(seed, options.accounts ?? Math.max(1, Math.round(deals / 5)), plan, contacts, contactExec);

  const r = new Rng(0);
  let totalWeight = 0;
  for (let i = 0; i < deals; i++) totalWeight += planDeal(r, seed, i, plan, accounts, o).weight;

  const opportunities: Opportunity[] = [];
  const stageHistory: StageHistoryEntry[] = [];
  const contactRoles: ContactRole[] = [];
  const activities: Activity[] = [];
  const attestations: Attestation[] = [];
  const dayStrings = new Map<number, string>();
  // Calendar dates repeat across millions of records: one string per day.
  const isoDay = (ms: number): string => {
    const day = Math.floor(ms / DAY);
    let s = dayStrings.get(day);
    if (s === undefined) dayStrings.set(day, (s = isoInstant(day * DAY).slice(0, 10)));
    return s;
  };
  let taskSerial = 0;
  let eventSerial = 0;
  const committee: number[] = [];
  const scratch: number[] = [];
  let runningWeight = 0;
  let apportioned = 0;

  for (let i = 0; i < deals; i++) {
    const p = planDeal(r, seed, i, plan, accounts, o);
    runningWeight += p.weight;
    const upTo = totalWeight > 0 ? Math.round((runningWeight * activityTarget) / totalWeight) : 0;
    let activityCount = upTo - apportioned;
    apportioned = upTo;

    r.reseed(streamSeed(seed, S_DEAL_RECORDS, i));
    const rep = plan.reps[p.rep]!;
    const b = rep.behaviour;
    const account = accounts.list[p.account]!;
    const oppId = makeId('006', i + 1);

    // The buying committee this deal reaches: the champion first, an executive when the rep gets one.
    const poolStart = accounts.contactStart[p.account]!;
    const poolSize = accounts.contactStart[p.account + 1]! - poolStart;
    const base = p.open ? r.int(1, 5) : p.won ? r.int(2, 6) : r.int(1, 4);
    const size = Math.max(1, Math.min(poolSize, Math.round(base * b.breadth)));
    scratch.length = 0;
    for (let c = 0; c < poolSize; c++) scratch.push(poolStart + c);
    for (let c = poolSize - 1; c > 0; c--) {
      const j = r.int(0, c);
      const t = scratch[c]!;
      scratch[c] = scratch[j]!;
      scratch[j] = t;
    }
    committee.length = 0;
    for (const c of scratch) if (committee.length < size && !contactExec[c]) committee.push(c);
    const execReach = Math.min(1, Math.max(0, b.executiveReach + (p.open ? 0 : p.won ? 0.2 : -0.15)));
    const exec = scratch.find((c) => contactExec[c] === 1);
    if (exec !== undefined && r.chance(execReach)) {
      if (committee.length >= size) committee[committee.length - 1] = exec;
      else committee.push(exec);
    }
    if (committee.length === 0) committee.push(scratch[0]!);

    // Stage history, as Salesforce writes it: a row per entry, repeat rows when amount or close date moved,
    // a few deals that went back a stage and re-entered, slips of the promised close date on open deals.
    const amount = Math.round(r.logNormal(24_000, 0.9) / 100) * 100;
    const finalStage = p.open ? STANDARD_OPEN_STAGES[p.stages[p.stages.length - 1]!]! : p.won ? CLOSED_WON : CLOSED_LOST;
    const slips = p.open && r.chance(0.3) ? r.int(1, 3) : 0;
    const closeDateMs = p.open ? asOfMs + r.int(-10, 90) * DAY : p.closeMs;
    let promisedMs = closeDateMs - slips * r.int(14, 30) * DAY;
    // One deal in a hundred came in by import with no history: CreatedDate stands in.
    const hasHistory = !r.chance(0.01);
    const row = (stage: string, ms: number, close: number): void => {
      if (!hasHistory) return;
      stageHistory.push({ id: makeId('008', stageHistory.length + 1), opportunityId: oppId, stage, createdDate: isoInstant(Math.round(ms / 1000) * 1000), amount, closeDate: isoDay(close) });
    };
    const reentry = p.stages.length >= 4 && r.chance(0.06) ? r.int(1, p.stages.length - 2) : -1;
    const lastOpenEnd = p.open ? asOfMs : p.closeMs;
    for (let k = 0; k < p.stages.length; k++) {
      const stage = STANDARD_OPEN_STAGES[p.stages[k]!]!;
      const enteredMs = p.stageMs[k]!;
      const nextMs = k + 1 < p.stages.length ? p.stageMs[k + 1]! : lastOpenEnd;
      row(stage, enteredMs, promisedMs);
      if (k === reentry && nextMs - enteredMs > 4 * DAY) {
        row(STANDARD_OPEN_STAGES[p.stages[k - 1]!]!, enteredMs + Math.round((nextMs - enteredMs) * 0.3), promisedMs);
        row(stage, enteredMs + Math.round((nextMs - enteredMs) * 0.6), promisedMs);
      } else if (k + 1 < p.stages.length && nextMs - enteredMs > 2 * DAY && r.chance(0.3)) {
        row(stage, enteredMs + Math.round((nextMs - enteredMs) * (0.2 + r.next() * 0.6)), promisedMs);
      }
    }
    if (p.open) {
      // Each slip is a row in the current stage with the close date pushed out.
      const currentMs = p.stageMs[p.stageMs.length - 1]!;
      for (let s = 0; s < slips; s++) {
        promisedMs += Math.round((closeDateMs - promisedMs) / (slips - s));
        row(finalStage, currentMs + Math.round(((asOfMs - currentMs) * (s + 1)) / (slips + 2)), promisedMs);
      }
    } else {
      row(finalStage, p.closeMs, p.closeMs);
    }

    // The plan ahead: most disciplined reps have the next meeting or task on the calendar; a few tasks are overdue.
    let scheduled = false;
    const contactOf = (): readonly string[] => {
      const roll = r.next();
      if (roll < 0.07) return EMPTY;
      const first = r.chance(0.45) ? committee[0]! : committee[r.int(0, committee.length - 1)]!;
      if (roll > 0.92 && committee.length > 1) {
        const second = committee[r.int(0, committee.length - 1)]!;
        if (second !== first) return [contacts[first]!.id, contacts[second]!.id];
      }
      return [contacts[first]!.id];
    };
    const push = (kind: Activity['kind'], ms: number, status: Activity['status']): void => {
      const meeting = kind === 'meeting';
      const call = kind === 'call' && status === 'done';
      const connected = call ? r.chance(b.connectRate) : null;
      activities.push({
        id: meeting ? makeId('00U', ++eventSerial) : makeId('00T', ++taskSerial),
        kind,
        // Salesforce Tasks (calls, emails, to-dos) carry a date; Events carry an instant on a half hour.
        date: meeting ? isoInstant(Math.floor(ms / (30 * MINUTE)) * 30 * MINUTE) : isoDay(ms),
        ownerId: rep.userId,
        opportunityId: oppId,
        accountId: account.id,
        contactIds: contactOf() as string[],
        subject: r.pick(GENERATED_SUBJECTS[kind]),
        callDurationSeconds: call ? (connected ? Math.round(r.logNormal(360, 0.8)) : r.int(0, 35)) : null,
        callConnected: connected,
        status,
      });
    };
    if (p.open && activityCount > 0 && r.chance(p.stale ? b.nextStepDiscipline * 0.4 : b.nextStepDiscipline)) {
      if (r.chance(0.7)) push('task', asOfMs + r.int(0, 14) * DAY, 'open');
      else push('meeting', asOfMs + r.int(1, 21) * DAY + r.int(1, 8) * HOUR, 'open');
      scheduled = true;
      activityCount--;
    }
    if (p.open && activityCount > 0 && r.chance(0.12)) {
      push('task', asOfMs - r.int(1, 20) * DAY, 'open');
      activityCount--;
    } else if (!p.open && activityCount > 0 && r.chance(0.03)) {
      // Real orgs keep open tasks on closed deals.
      push('task', p.closeMs + r.int(1, 10) * DAY, 'open');
      activityCount--;
    }
    const span = p.doneEndMs - p.createdMs;
    const factor = b.recentActivityFactor;
    // With a will drop, the last 4 weeks get `factor` times the density of the earlier part (one draw either way).
    const recentLen = factor === 1 ? 0 : Math.max(0, p.doneEndMs - Math.max(p.createdMs, p.recentFromMs));
    const earlyLen = span - recentLen;
    const pRecent = recentLen > 0 ? (recentLen * factor) / (earlyLen + recentLen * factor) : 0;
    for (let k = 0; k < activityCount; k++) {
      const kind = KINDS[r.weightedIndex(KIND_WEIGHTS)]!;
      const u = r.next();
      const ms = recentLen === 0 ? p.createdMs + u * span : u < pRecent ? p.doneEndMs - recentLen + (u / pRecent) * recentLen : p.createdMs + ((u - pRecent) / (1 - pRecent)) * earlyLen;
      push(kind, ms, 'done');
    }

    const nextStep = p.open ? (r.chance(scheduled ? 0.9 : 0.25) ? r.pick(NEXT_STEPS) : null) : r.chance(0.2) ? r.pick(NEXT_STEPS) : null;
    const creator = r.chance(b.selfSourced) ? rep.userId : r.chance(0.75) ? r.pick(plan.sdrIds) : plan.reps[r.int(0, plan.reps.length - 1)]!.userId;
    opportunities.push({
      id: oppId,
      name: `${account.name} – ${r.pick(PRODUCTS)}`,
      accountId: account.id,
      ownerId: rep.userId,
      createdById: creator,
      stage: finalStage,
      amount,
      probability: PROBABILITY.get(finalStage) ?? 0,
      closeDate: isoDay(closeDateMs),
      createdDate: isoInstant(p.createdMs),
      nextStep,
      isClosed: !p.open,
      isWon: p.won,
      salesProcess: STANDARD_PROCESS,
      leadSource: r.pick(LEAD_SOURCES),
    });

    // Contact roles: won deals name more of the committee; executives mostly as buyer, decision maker or sponsor.
    const depth = p.open ? p.stages[p.stages.length - 1]! : 0;
    const roleCount = Math.min(committee.length, p.won ? r.int(2, 4) : p.open ? r.int(0, 1 + Math.floor(depth / 3)) : r.int(0, 2));
    for (let k = 0; k < roleCount; k++) {
      const c = committee[k]!;
      contactRoles.push({
        id: makeId('00K', contactRoles.length + 1),
        opportunityId: oppId,
        contactId: contacts[c]!.id,
        role: contactExec[c] && r.chance(0.7) ? r.pick(EXECUTIVE_ROLES) : r.pick(CONTACT_ROLES),
        isPrimary: k === 0,
      });
    }

    // Planted milestones: attestations dated inside the deal's visit to the stage, more often on deals later won when
    // the milestone is causal; for some, evidence after the deal left the stage (hindsight only).
    if (milestones.length && hasHistory) {
      r.reseed(streamSeed(seed, S_MILESTONES, i));
      for (const m of milestones) {
        const visit = p.stages.indexOf(m.stage);
        if (visit < 0) continue;
        const enterMs = p.stageMs[visit]!;
        const exitMs = visit + 1 < p.stages.length ? p.stageMs[visit + 1]! : p.open ? asOfMs : p.closeMs;
        const chance = p.open ? (m.pWon + m.pLost) / 2 : p.won ? m.pWon : m.pLost;
        const attest = (fromMs: number, toMs: number, note: string): void => {
          attestations.push({ id: makeId('a0A', attestations.length + 1), opportunityId: oppId, milestoneKey: m.key, note, attestedById: rep.userId, attestedAt: isoInstant(Math.round((fromMs + (toMs - fromMs) * (0.1 + 0.8 * r.next())) / 1000) * 1000) });
        };
        if (exitMs - enterMs > 2000 && r.chance(chance)) attest(enterMs, exitMs, `[generated] ${m.key} confirmed`);
        else if (p.won && m.pWonAfterExit && r.chance(m.pWonAfterExit)) attest(exitMs, Math.min(asOfMs, p.closeMs + 7 * DAY), `[generated] ${m.key} confirmed after the fact`);
      }
    }
  }

  return { users: plan.users, accounts: accounts.list, contacts, opportunities, stageHistory, contactRoles, activities, attestations };
};
