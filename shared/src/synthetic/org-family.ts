// A family of small, differently shaped orgs with planted rep archetypes, written apart from org-generator.ts so the
// diagnosis is proved on data it was not tuned on. Its knobs describe an org (team sizes, deals per rep, how much
// pipeline SDRs hand over, how busy reps are, turnover, how well accounts buy), never the diagnosis's rules.
import type { Activity, ActivityKind, Contact, Opportunity, OrgSnapshot, StageHistoryEntry, User } from '../model.ts';
import { STANDARD_OPEN_STAGES } from '../playbook/standard-process.ts';
import { Rng, hash32 } from './random.ts';

export type FamilyArchetype = 'control' | 'skill' | 'will' | 'circumstance' | 'process';

export interface FamilyShape {
  name: string;
  /** Reps per team, one entry per team (team 0 is the one whose process jams). */
  teams: number[];
  /** Deals each rep owns over the year, drawn uniformly per rep. */
  dealsPerRep: [number, number];
  /** Share of an ordinary rep's deals created by an SDR (inherited). */
  inheritedShare: number;
  /** Share of a rep's deals a circumstance rep inherited with the territory (from the predecessor and SDRs). */
  handedOverShare: number;
  /** Logged activities per open deal per week, for a typical rep. */
  activityPerDealWeek: number;
  /** Org win rate of a typical rep on a typical account. */
  winRate: number;
  /** Share of reps who took over a territory from someone who left (their closed history stays on the accounts). */
  turnover: number;
  /** How well a weak territory's accounts buy, against a typical account. */
  weakAccountFactor: number;
  /** Planted reps per archetype outside team 0. */
  planted: { skill: number; will: number; circumstance: number };
  /**
   * Planted causes of winning on each deal (for the win probability): an executive in the conversation (on
   * `executiveShare` of deals) multiplies the odds of winning by `executiveOdds`; each person engaged beyond two
   * (1–4, uniformly) by `perPersonOdds`. Absent: deals win by rep and account alone.
   */
  dealFactors?: { executiveShare: number; executiveOdds: number; perPersonOdds: number };
}

export const FAMILY_SHAPES: readonly FamilyShape[] = [
  { name: 'small teams, few deals, quiet', teams: [4, 4, 4, 4], dealsPerRep: [30, 60], inheritedShare: 0.1, handedOverShare: 0.6, activityPerDealWeek: 0.9, winRate: 0.4, turnover: 0.3, weakAccountFactor: 0.3, planted: { skill: 1, will: 1, circumstance: 1 } },
  { name: 'mid-size, SDR-fed', teams: [5, 8, 8], dealsPerRep: [60, 150], inheritedShare: 0.35, handedOverShare: 0.8, activityPerDealWeek: 1.5, winRate: 0.3, turnover: 0.2, weakAccountFactor: 0.35, planted: { skill: 2, will: 2, circumstance: 2 } },
  { name: 'large teams, many deals, busy', teams: [6, 12, 10], dealsPerRep: [150, 300], inheritedShare: 0.2, handedOverShare: 0.7, activityPerDealWeek: 2.5, winRate: 0.25, turnover: 0.4, weakAccountFactor: 0.4, planted: { skill: 2, will: 2, circumstance: 2 } },
  { name: 'mixed, weak territory seen only in outcomes', teams: [4, 9, 6, 5], dealsPerRep: [30, 300], inheritedShare: 0.15, handedOverShare: 0.15, activityPerDealWeek: 1.2, winRate: 0.35, turnover: 0.5, weakAccountFactor: 0.3, planted: { skill: 2, will: 2, circumstance: 2 } },
];

/** A family shape with planted causes of winning on each deal: the win probability's proving ground. */
export const WIN_FACTOR_SHAPE: FamilyShape = {
  ...FAMILY_SHAPES[1]!,
  name: 'mid-size, planted causes of winning',
  activityPerDealWeek: 2.5,
  dealFactors: { executiveShare: 0.4, executiveOdds: 4, perPersonOdds: 2 },
};

export interface FamilyOrg {
  snapshot: OrgSnapshot;
  /** Rep id → what was planted. */
  planted: Map<string, FamilyArchetype>;
  asOf: string;
}

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const date = (ms: number): string => iso(ms).slice(0, 10);
const STAGES = STANDARD_OPEN_STAGES;
const TITLES = ['VP Operations', 'Director of IT', 'Chief Financial Officer', 'Operations Manager', 'Analyst', 'Buyer', 'Project Lead'];
const EXECUTIVE_TITLES = new Set(TITLES.slice(0, 3));

/** One org of the family: `shape` at `seed`, as of `asOf`. Deterministic. */
export const familyOrg = (shape: FamilyShape, seed: number, asOf = '2026-03-02T12:00:00.000Z'): FamilyOrg => {
  const rng = new Rng(hash32(`${shape.name}#${seed}`));
  const asOfMs = Date.parse(asOf);
  const snapshot: OrgSnapshot = { users: [], accounts: [], contacts: [], opportunities: [], stageHistory: [], contactRoles: [], activities: [], attestations: [] };
  const planted = new Map<string, FamilyArchetype>();
  const sdr: User = { id: 'sdr-1', name: 'Sam SDR', role: 'SDR', isActive: true };
  snapshot.users.push(sdr);
  // The stage where team 0's deals jam, drawn per org.
  const jamStage = 2 + rng.int(0, 3);

  // Reps: team 0 all process; elsewhere the planted archetypes in random seats, the rest controls.
  const seats: { team: number }[] = shape.teams.flatMap((size, team) => Array.from({ length: size }, () => ({ team })));
  const others = seats.map((s, i) => (s.team === 0 ? -1 : i)).filter((i) => i >= 0);
  for (let i = others.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [others[i], others[j]] = [others[j]!, others[i]!];
  }
  const kinds: FamilyArchetype[] = seats.map((s) => (s.team === 0 ? 'process' : 'control'));
  let k = 0;
  for (const [kind, n] of Object.entries(shape.planted) as [FamilyArchetype, number][]) for (let c = 0; c < n; c++) kinds[others[k++]!] = kind;

  shape.teams.forEach((_, team) => snapshot.users.push({ id: `mgr-${team}`, name: `Manager ${team}`, role: 'Sales Manager', isActive: true }));
  let dealN = 0;
  let actN = 0;
  let histN = 0;
  let accN = 0;

  const addAccount = (): { id: string; contacts: Contact[] } => {
    const id = `acc-${++accN}`;
    snapshot.accounts.push({ id, name: `Account ${accN}` });
    const contacts: Contact[] = Array.from({ length: 5 }, (_, c) => ({ id: `${id}-c${c}`, accountId: id, name: `Contact ${accN}.${c}`, title: TITLES[(c + accN) % TITLES.length]! }));
    snapshot.contacts.push(...contacts);
    return { id, contacts };
  };

  /** One deal's whole life: stage history, outcome, activities. */
  const addDeal = (o: { ownerId: string; createdById: string; account: { id: string; contacts: Contact[] }; createdMs: number; pWin: number; activity: number; recentFactor: number; jam: boolean; stale: boolean }): void => {
    const id = `opp-${++dealN}`;
    // Planted causes: who the deal engages decides its odds; the activities below engage exactly those people.
    let pWin = o.pWin;
    let people = o.account.contacts;
    const factors = shape.dealFactors;
    if (factors) {
      const executive = rng.chance(factors.executiveShare);
      const staff = o.account.contacts.filter((c) => !EXECUTIVE_TITLES.has(c.title ?? ''));
      const exec = o.account.contacts.find((c) => EXECUTIVE_TITLES.has(c.title ?? ''));
      const breadth = Math.min(staff.length, rng.int(1, 4));
      people = [...staff.slice(0, breadth), ...(executive && exec ? [exec] : [])];
      if (!people.length) people = o.account.contacts.slice(0, 1);
      const odds = (pWin / (1 - pWin)) * (executive && exec ? factors.executiveOdds : 1) * factors.perPersonOdds ** (breadth - 2);
      pWin = odds / (1 + odds);
    }
    const durations = STAGES.map(() => rng.int(4, 12) * DAY);
    const won = rng.chance(pWin);
    // A lost deal dies at some stage; a jammed team's deals wait long at the jam stage and half its would-be wins die there.
    let lastStage = won ? STAGES.length - 1 : rng.int(0, STAGES.length - 1);
    let outcomeWon = won;
    if (o.jam) {
      durations[jamStage] = rng.int(35, 110) * DAY;
      if (won && rng.chance(0.5)) {
        outcomeWon = false;
        lastStage = jamStage;
      }
    }
    if (o.stale) durations[rng.int(0, STAGES.length - 1)] = rng.int(30, 90) * DAY;
    const entries: { stage: string; ms: number }[] = [];
    let t = o.createdMs;
    for (let s = 0; s <= lastStage; s++) {
      entries.push({ stage: STAGES[s]!, ms: t });
      t += durations[s]!;
    }
    const closeMs = t;
    const closed = closeMs <= asOfMs;
    const visible = entries.filter((e) => e.ms <= asOfMs);
    if (closed) visible.push({ stage: outcomeWon ? 'Closed Won' : 'Closed Lost', ms: closeMs });
    const stage = visible[visible.length - 1]!.stage;
    const amount = Math.round(rng.logNormal(20_000, 0.6));
    const expectedClose = closed ? closeMs : Math.max(closeMs, asOfMs + rng.int(5, 60) * DAY);
    const opp: Opportunity = { id, name: `Deal ${dealN}`, accountId: o.account.id, ownerId: o.ownerId, createdById: o.createdById, stage, amount, closeDate: date(expectedClose), createdDate: iso(o.createdMs), isClosed: closed, isWon: closed && outcomeWon, salesProcess: null, nextStep: closed ? null : 'Follow up call' };
    snapshot.opportunities.push(opp);
    for (const e of visible) snapshot.stageHistory.push({ id: `h-${++histN}`, opportunityId: id, stage: e.stage, createdDate: iso(e.ms), amount, closeDate: date(expectedClose) } satisfies StageHistoryEntry);
    // Activities over the deal's life, at the rep's rate; fewer in the last four weeks for a rep whose effort dropped.
    const end = Math.min(closeMs, asOfMs);
    const expected = (o.activity * (end - o.createdMs)) / (7 * DAY);
    const n = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
    for (let a = 0; a < n; a++) {
      const ms = o.createdMs + rng.next() * (end - o.createdMs);
      if (ms > asOfMs - 28 * DAY && !rng.chance(o.recentFactor)) continue;
      const kind: ActivityKind = rng.pick(['call', 'call', 'email', 'email', 'meeting', 'task'] as const);
      const connected = kind === 'call' ? rng.chance(0.6) : null;
      const contacts = [rng.pick(people).id, ...(rng.chance(0.4) ? [rng.pick(people).id] : [])];
      snapshot.activities.push({
        id: `act-${++actN}`, kind, date: kind === 'task' ? date(ms) : iso(ms), ownerId: o.ownerId, opportunityId: id, accountId: o.account.id, contactIds: [...new Set(contacts)],
        callDurationSeconds: kind === 'call' ? (connected ? rng.int(120, 900) : rng.int(0, 30)) : null, callConnected: connected, createdDate: iso(ms), status: 'done',
      } satisfies Activity);
    }
  };

  seats.forEach((seat, i) => {
    const kind = kinds[i]!;
    const rep: User = { id: `rep-${i + 1}`, name: `Rep ${i + 1}`, role: 'Account Executive', segment: 'Commercial', managerId: `mgr-${seat.team}`, startDate: date(asOfMs - 800 * DAY), isActive: true };
    snapshot.users.push(rep);
    planted.set(rep.id, kind);
    // Reps differ: win rate and activity vary around the org's typical rep, whatever the archetype.
    const skillFactor = Math.min(1.35, Math.max(0.7, rng.logNormal(1, 0.12)));
    const busy = Math.min(1.5, Math.max(0.65, rng.logNormal(1, 0.2)));
    const deals = rng.int(shape.dealsPerRep[0], shape.dealsPerRep[1]);
    const winFactor = kind === 'skill' ? 0.35 : skillFactor;
    const activity = shape.activityPerDealWeek * (kind === 'skill' ? Math.max(1.1, busy * 1.2) : busy);
    const recentFactor = kind === 'will' ? 0.3 : 1;
    // Territory: own accounts; a predecessor's (whose closed deals stay on them) for reps who took one over.
    const tookOver = kind === 'circumstance' || rng.chance(shape.turnover);
    const accountWin = kind === 'circumstance' ? shape.weakAccountFactor : 1;
    // Accounts the rep opened, and (for a rep who took a territory over) the predecessor's, where the handed-over
    // deals live. A weak territory is the predecessor's accounts: they buy poorly for anyone, which only outcomes show.
    const own = Array.from({ length: Math.max(3, Math.ceil(deals / 6)) }, () => addAccount());
    const predecessor = tookOver ? `gone-${i + 1}` : null;
    const takenOver = predecessor ? Array.from({ length: Math.max(3, Math.ceil(deals / 6)) }, () => addAccount()) : [];
    const weakTerritory = kind === 'circumstance';
    // Where the whole book is the weak territory (an org that hands little over), the rep's own accounts are weak too.
    const ownWeak = weakTerritory && shape.handedOverShare <= shape.inheritedShare;
    if (predecessor) {
      snapshot.users.push({ id: predecessor, name: `Former rep ${i + 1}`, role: 'Account Executive', segment: 'Commercial', managerId: `mgr-${seat.team}`, isActive: false });
      for (let d = 0; d < Math.max(20, Math.round(deals * 0.8)); d++) {
        addDeal({ ownerId: predecessor, createdById: predecessor, account: rng.pick(takenOver), createdMs: asOfMs - rng.int(480, 760) * DAY, pWin: shape.winRate * rng.logNormal(1, 0.12) * (weakTerritory ? shape.weakAccountFactor : 1), activity: shape.activityPerDealWeek, recentFactor: 1, jam: false, stale: false });
      }
    }
    const handedOver = kind === 'circumstance' ? shape.handedOverShare : shape.inheritedShare;
    for (let d = 0; d < deals; d++) {
      const inherited = rng.chance(handedOver);
      const onTakenOver = inherited && predecessor !== null && (weakTerritory || rng.chance(0.5));
      const account = onTakenOver || (ownWeak && takenOver.length && rng.chance(0.5)) ? rng.pick(takenOver) : rng.pick(own);
      const weak = weakTerritory && (onTakenOver || ownWeak);
      addDeal({
        ownerId: rep.id, createdById: inherited ? (onTakenOver && rng.chance(0.5) ? predecessor! : sdr.id) : rep.id, account, createdMs: asOfMs - rng.int(3, 340) * DAY,
        pWin: Math.min(0.9, shape.winRate * winFactor * (weak ? shape.weakAccountFactor : 1)), activity, recentFactor, jam: kind === 'process', stale: rng.chance(0.08),
      });
    }
  });
  return { snapshot, planted, asOf };
};
