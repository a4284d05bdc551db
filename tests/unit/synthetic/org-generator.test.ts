import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { describe, expect, it } from 'vitest';
import { OrgSnapshot } from '../../../shared/src/model.ts';
import { computeOrgIndicators } from '../../../shared/src/engine/opportunity.ts';
import { STANDARD_OPEN_STAGES, STANDARD_STAGES } from '../../../shared/src/playbook/standard-process.ts';
import { BOTTLENECK, generateOrg, planOrg, TYPICAL_REP, type GenerateOrgOptions } from '../../../shared/src/synthetic/org-generator.ts';

const AS_OF = '2026-03-02T12:00:00.000Z';
const AS_OF_MS = Date.parse(AS_OF);
const SMALL: GenerateOrgOptions = { deals: 400, activities: 8000, seed: 7, asOf: AS_OF };
const small = generateOrg(SMALL);
const STAGE_INDEX = new Map(STANDARD_STAGES.map((s, i) => [s.name, i]));

describe('the synthetic org generator: determinism and sizes', () => {
  it('When the same options are given twice, then the snapshots are identical', () => {
    expect(generateOrg(SMALL)).toEqual(small);
  });

  it('When the seed changes, then the org changes', () => {
    const other = generateOrg({ ...SMALL, seed: 8 });
    expect(other.opportunities.map((o) => o.stage)).not.toEqual(small.opportunities.map((o) => o.stage));
  });

  it.each([
    { deals: 1, activities: 0 },
    { deals: 37, activities: 5 },
    { deals: 250, activities: 5000 },
    { deals: 1000, activities: 20_000 },
  ])('When $deals deals and $activities activities are asked for, then exactly that many are made', ({ deals, activities }) => {
    const s = generateOrg({ deals, activities, seed: 'sizes', asOf: AS_OF });
    expect(s.opportunities).toHaveLength(deals);
    expect(s.activities).toHaveLength(activities);
  });

  it('When sizes are defaulted, then accounts are one per five deals with 4–12 contacts each, reps one per 250 deals (at least 4)', () => {
    expect(small.accounts).toHaveLength(80);
    const perAccount = new Map<string, number>();
    for (const c of small.contacts) perAccount.set(c.accountId!, (perAccount.get(c.accountId!) ?? 0) + 1);
    expect(perAccount.size).toBe(80);
    expect(Math.min(...perAccount.values())).toBeGreaterThanOrEqual(4);
    expect(Math.max(...perAccount.values())).toBeLessThanOrEqual(12);
    expect(small.users.filter((u) => u.role === 'Account Executive')).toHaveLength(4);
    expect(planOrg({ ...SMALL, deals: 100_000 }).reps).toHaveLength(400);
  });

  it('When options are impossible, then the generator says which one', () => {
    expect(() => generateOrg({ ...SMALL, deals: 0 })).toThrow(/deals must be a positive integer/);
    expect(() => generateOrg({ ...SMALL, activities: -1 })).toThrow(/activities must be/);
    expect(() => generateOrg({ ...SMALL, asOf: 'yesterday' })).toThrow(/asOf is not an instant/);
    expect(() => generateOrg({ ...SMALL, reps: 0 })).toThrow(/reps must be/);
  });
});

describe('the synthetic org generator: the records are valid and consistent', () => {
  it('When the snapshot is parsed with the OrgSnapshot schema, then it is valid and unchanged', () => {
    const parsed = OrgSnapshot.safeParse(small);
    expect(parsed.error?.issues.slice(0, 3)).toBeUndefined();
    expect(parsed.data).toEqual(small);
  });

  it('When records point at other records, then every reference exists (and activity contacts belong to the deal’s account)', () => {
    const users = new Set(small.users.map((u) => u.id));
    const accounts = new Set(small.accounts.map((a) => a.id));
    const contacts = new Map(small.contacts.map((c) => [c.id, c]));
    const deals = new Map(small.opportunities.map((o) => [o.id, o]));
    for (const u of small.users) if (u.managerId) expect(users.has(u.managerId)).toBe(true);
    for (const o of small.opportunities) {
      expect(accounts.has(o.accountId!)).toBe(true);
      expect(users.has(o.ownerId!)).toBe(true);
      expect(users.has(o.createdById!)).toBe(true);
    }
    for (const a of small.activities) {
      const deal = deals.get(a.opportunityId!);
      expect(deal).toBeDefined();
      expect(a.ownerId).toBe(deal!.ownerId);
      for (const id of a.contactIds) expect(contacts.get(id)?.accountId).toBe(deal!.accountId);
    }
    for (const role of small.contactRoles) {
      expect(deals.has(role.opportunityId)).toBe(true);
      expect(contacts.get(role.contactId)?.accountId).toBe(deals.get(role.opportunityId)!.accountId);
    }
    expect(new Set(small.activities.map((a) => a.id)).size).toBe(small.activities.length);
    expect(new Set(small.stageHistory.map((h) => h.id)).size).toBe(small.stageHistory.length);
  });

  it('When a deal’s stage history is read in order, then its path is legal: Prospecting first, forward moves, at most a step back and re-entry, the final stage last', () => {
    const historyOf = new Map<string, typeof small.stageHistory>();
    for (const h of small.stageHistory) historyOf.set(h.opportunityId, [...(historyOf.get(h.opportunityId) ?? []), h]);
    let reentries = 0;
    let repeats = 0;
    for (const o of small.opportunities) {
      const rows = historyOf.get(o.id) ?? [];
      if (rows.length === 0) continue;
      const times = rows.map((r) => Date.parse(r.createdDate));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBe(Date.parse(o.createdDate));
      expect(Math.max(...times)).toBeLessThanOrEqual(AS_OF_MS);
      expect(rows[0]!.stage).toBe('Prospecting');
      expect(rows.at(-1)!.stage).toBe(o.stage);
      const entries = rows.map((r) => r.stage).filter((s, i, all) => i === 0 || s !== all[i - 1]);
      if (entries.length < rows.length) repeats++;
      for (let i = 1; i < entries.length; i++) {
        const from = STAGE_INDEX.get(entries[i - 1]!)!;
        const to = STAGE_INDEX.get(entries[i]!)!;
        expect(from).toBeDefined();
        expect(to).toBeDefined();
        if (to < from) {
          // A step back is to the stage entered just before, and the next entry returns.
          reentries++;
          expect(entries[i]).toBe(entries[i - 2]);
          expect(entries[i + 1]).toBe(entries[i - 1]);
        }
      }
      if (o.isClosed) expect(o.stage).toBe(o.isWon ? 'Closed Won' : 'Closed Lost');
      else expect(STANDARD_OPEN_STAGES).toContain(o.stage);
    }
    expect(reentries).toBeGreaterThan(0);
    expect(repeats).toBeGreaterThan(small.opportunities.length / 10);
    const withoutHistory = small.opportunities.filter((o) => !historyOf.has(o.id)).length;
    expect(withoutHistory).toBeLessThan(small.opportunities.length * 0.05);
  });

  it('When activities are dated, then completed ones lie in the deal’s life, meetings after asOf are open and calls carry duration and connection', () => {
    const deals = new Map(small.opportunities.map((o) => [o.id, o]));
    let scheduled = 0;
    for (const a of small.activities) {
      const deal = deals.get(a.opportunityId!)!;
      const ms = Date.parse(a.kind === 'meeting' ? a.date : `${a.date}T00:00:00.000Z`);
      if (a.kind === 'meeting') {
        expect(a.date).toMatch(/T\d\d:(00|30):00\.000Z$/);
        expect(a.status).toBe(ms > AS_OF_MS ? 'open' : 'done');
      } else {
        expect(a.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      if (a.status === 'done') {
        expect(ms).toBeLessThanOrEqual(AS_OF_MS);
        expect(Math.floor(ms / 86_400_000)).toBeGreaterThanOrEqual(Math.floor(Date.parse(deal.createdDate) / 86_400_000));
      } else if (ms >= Math.floor(AS_OF_MS / 86_400_000) * 86_400_000 && !deal.isClosed) scheduled++;
      const doneCall = a.kind === 'call' && a.status === 'done';
      expect(a.callDurationSeconds != null).toBe(doneCall);
      expect(a.callConnected != null).toBe(doneCall);
    }
    const open = small.opportunities.filter((o) => !o.isClosed).length;
    expect(scheduled).toBeGreaterThan(open * 0.3);
    expect(scheduled).toBeLessThan(open);
  });
});

describe('the synthetic org generator: planted rep archetypes', () => {
  const options: GenerateOrgOptions = {
    deals: 3000, activities: 45_000, reps: 40, seed: 'archetypes', asOf: AS_OF,
    archetypes: [{ name: 'single-threader', share: 0.25, behaviour: { breadth: 0.2, executiveReach: 0 } }],
  };

  it('When an archetype has a share, then exactly that share of reps (rounded) is planted, the rest typical', () => {
    const plan = planOrg(options);
    expect(plan.reps.filter((r) => r.archetype === 'single-threader')).toHaveLength(10);
    expect(plan.reps.filter((r) => r.archetype === 'typical')).toHaveLength(30);
    expect(plan.reps.find((r) => r.archetype === 'single-threader')!.behaviour).toEqual({ ...TYPICAL_REP, breadth: 0.2, executiveReach: 0 });
    expect(planOrg(options)).toEqual(plan);
  });

  it('When a single-threading archetype is planted, then the engine sees its reps’ open deals single-threaded and typical reps’ not', () => {
    const plan = planOrg(options);
    const planted = new Set(plan.reps.filter((r) => r.archetype === 'single-threader').map((r) => r.userId));
    const s = generateOrg(options);
    const owner = new Map(s.opportunities.map((o) => [o.id, o.ownerId!]));
    const results = computeOrgIndicators(s, DEFAULT_PLAYBOOK, AS_OF).deals;
    const share = (inPlanted: boolean, test: (d: (typeof results)[number]) => boolean): number => {
      const group = results.filter((d) => planted.has(owner.get(d.opportunityId)!) === inPlanted);
      return group.filter(test).length / group.length;
    };
    expect(share(true, (d) => d.stakeholdersEngaged >= 2)).toBe(0);
    expect(share(false, (d) => d.stakeholdersEngaged >= 2)).toBeGreaterThan(0.2);
    expect(share(true, (d) => d.executiveEngaged)).toBeLessThan(share(false, (d) => d.executiveEngaged) / 2);
  });
});

describe('the synthetic org generator: will drops, territories, a process bottleneck and planted milestones', () => {
  const options: GenerateOrgOptions = {
    deals: 3000, activities: 45_000, reps: 40, seed: 'plants', asOf: AS_OF, historyDays: 365,
    archetypes: [
      { name: 'quiet', share: 0.25, behaviour: { recentActivityFactor: 0.25 } },
      { name: 'weak_territory', share: 0.25, behaviour: { territoryWinFactor: 0.3 } },
    ],
    bottleneck: { team: 1, stage: 'Value Proposition', share: 0.8, lostShare: 0.5 },
    milestones: [{ key: 'planted', stage: 'Needs Analysis', pWon: 0.9, pLost: 0.1, pWonAfterExit: 1 }],
  };
  const plan = planOrg(options);
  const s = generateOrg(options);
  const archetype = new Map(plan.reps.map((r) => [r.userId, r.archetype]));
  const DAY = 86_400_000;

  it('When the bottleneck names a team or stage that does not exist, then the generator says which', () => {
    expect(() => planOrg({ ...options, bottleneck: { team: 5, stage: 'Value Proposition', share: 1 } })).toThrow(/bottleneck.team must be a team index from 0 to 4, got 5/);
    expect(() => planOrg({ ...options, bottleneck: { team: 0, stage: 'Prospecting', share: 1 } })).toThrow(/bottleneck.stage must be an open stage after the first/);
    expect(() => generateOrg({ ...options, milestones: [{ key: 'x', stage: 'Closed Won', pWon: 1, pLost: 1 }] })).toThrow(/milestone x: stage must be an open stage/);
  });

  it('When reps have a recentActivityFactor of 0.25, then their last 4 weeks hold far less of their activity than typical reps’', () => {
    const recentShare = (name: string): number => {
      const mine = s.activities.filter((a) => a.status === 'done' && archetype.get(a.ownerId!) === name && Date.parse(a.kind === 'meeting' ? a.date : `${a.date}T00:00:00Z`) > AS_OF_MS - 112 * DAY);
      return mine.filter((a) => Date.parse(a.kind === 'meeting' ? a.date : `${a.date}T00:00:00Z`) > AS_OF_MS - 28 * DAY).length / mine.length;
    };
    expect(recentShare('quiet')).toBeLessThan(recentShare('typical') * 0.5);
    expect(recentShare('quiet')).toBeGreaterThan(0);
  });

  it('When reps own a weak territory, then every deal on their accounts wins less often, whoever works it; the bottleneck team loses more', () => {
    const accountOwner = new Map(s.accounts.map((a) => [a.id, a.ownerId]));
    const winRate = (test: (o: (typeof s.opportunities)[number]) => boolean): number => {
      const closed = s.opportunities.filter((o) => o.isClosed && test(o));
      return closed.filter((o) => o.isWon).length / closed.length;
    };
    const typical = winRate((o) => archetype.get(accountOwner.get(o.accountId!)!) === 'typical' && archetype.get(o.ownerId!) === 'typical');
    expect(winRate((o) => archetype.get(accountOwner.get(o.accountId!)!) === 'weak_territory')).toBeLessThan(typical * 0.5);
    expect(winRate((o) => archetype.get(o.ownerId!) === BOTTLENECK)).toBeLessThan(typical * 0.75);
  });

  it('When a team has the bottleneck, then its open deals pile up stalled at the stage, most having jumped the gate before it', () => {
    const team = new Set(plan.reps.filter((r) => r.archetype === BOTTLENECK).map((r) => r.userId));
    expect(team.size).toBe(8);
    const open = s.opportunities.filter((o) => !o.isClosed && team.has(o.ownerId!));
    const there = open.filter((o) => o.stage === 'Value Proposition');
    expect(there.length / open.length).toBeGreaterThan(0.7);
    const jumped = there.filter((o) => !s.stageHistory.some((h) => h.opportunityId === o.id && h.stage === 'Needs Analysis'));
    expect(jumped.length / there.length).toBeGreaterThan(0.5);
  });

  it('When a milestone is planted, then its attestations are dated inside the visit to the stage and far more often on won deals; after-the-fact ones come after the exit', () => {
    const history = new Map<string, typeof s.stageHistory>();
    for (const h of s.stageHistory) history.set(h.opportunityId, [...(history.get(h.opportunityId) ?? []), h]);
    const deals = new Map(s.opportunities.map((o) => [o.id, o]));
    let inside = 0;
    let after = 0;
    for (const a of s.attestations) {
      expect(a.milestoneKey).toBe('planted');
      expect(Date.parse(a.attestedAt)).toBeLessThanOrEqual(AS_OF_MS);
      const rows = history.get(a.opportunityId)!;
      const entry = rows.findIndex((h) => h.stage === 'Needs Analysis');
      // The exit the backtest judges by: leaving the stage for the last time (a deal may step back and re-enter).
      const lastEntry = rows.findLastIndex((h, i) => h.stage === 'Needs Analysis' && rows[i - 1]?.stage !== 'Needs Analysis');
      const exit = rows.slice(lastEntry + 1).find((h) => h.stage !== 'Needs Analysis');
      expect(Date.parse(a.attestedAt)).toBeGreaterThan(Date.parse(rows[entry]!.createdDate));
      if (a.note!.includes('after the fact')) {
        after++;
        expect(deals.get(a.opportunityId)!.isWon).toBe(true);
        expect(Date.parse(a.attestedAt)).toBeGreaterThan(Date.parse(exit!.createdDate));
      } else {
        inside++;
        if (exit) expect(Date.parse(a.attestedAt)).toBeLessThan(Date.parse(exit.createdDate));
      }
    }
    expect(inside).toBeGreaterThan(100);
    expect(after).toBeGreaterThan(10);
    const carried = (won: boolean): number => {
      const closed = s.opportunities.filter((o) => o.isClosed && o.isWon === won && history.get(o.id)?.some((h) => h.stage === 'Needs Analysis'));
      const attested = new Set(s.attestations.filter((a) => !a.note!.includes('after the fact')).map((a) => a.opportunityId));
      return closed.filter((o) => attested.has(o.id)).length / closed.length;
    };
    expect(carried(true)).toBeGreaterThan(0.8);
    expect(carried(false)).toBeLessThan(0.2);
  });
});
