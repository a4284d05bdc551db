// Rep scorecards: peer groups, peer-relative and explainable scores, Goodhart resistance, flags, diagnosis and focus.
import { describe, expect, it } from 'vitest';
import { peerGroups, scoreReps, type RepScorecard } from '../../../shared/src/engine/reps.ts';
import type { Activity, OrgSnapshot, User } from '../../../shared/src/model.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { AS_OF, buildRepOrg, type RepSpec } from '../../support/rep-org.ts';

const peers = (n: number, base: Partial<RepSpec> = {}): RepSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `P${i}`, calls: 10 + (i % 3), closed: 10, won: 5 + (i % 3), open: 6, threads: 2 + (i % 2), executive: i % 2 === 0, ...base }));
const score = (org: OrgSnapshot): Map<string, RepScorecard> => new Map(scoreReps({ snapshot: org, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF }).map((c) => [c.repId, c]));
const user = (id: string, o: Partial<User>): User => ({ id, name: id, isActive: true, ...o });

describe('peer groups', () => {
  it('When a role and segment has three reps, then they are each other\'s peers', () => {
    const groups = peerGroups([user('a', { role: 'AE', segment: 'East' }), user('b', { role: 'AE', segment: 'East' }), user('c', { role: 'AE', segment: 'East' })]);
    expect(groups.get('a')).toMatchObject({ name: 'AE · East', size: 3, comparable: true });
  });

  it('When the segment is too small, then the team is the fallback; when everything is too small, it says so', () => {
    const groups = peerGroups([user('a', { role: 'AE', segment: 'East', managerId: 'm' }), user('b', { role: 'AE', segment: 'West', managerId: 'm' }), user('c', { role: 'SE', segment: 'North', managerId: 'm' })]);
    expect(groups.get('a')).toMatchObject({ name: 'Team of m', comparable: true, size: 3 });
    const alone = peerGroups([user('z', { role: 'AE', segment: 'East' })]);
    expect(alone.get('z')).toMatchObject({ comparable: false, size: 1 });
  });
});

describe('behaviour scores', () => {
  it('When scored, then every competency carries its signals, peer medians, weights and contributions that add up to its score', () => {
    const card = score(buildRepOrg(peers(5))).get('P0')!;
    expect(card.competencies.map((c) => c.key)).toEqual(['pipeline', 'accountCoverage', 'discovery', 'stakeholderEngagement', 'executiveAccess', 'growth']);
    for (const c of card.competencies) {
      const scored = c.signals.filter((s) => s.score !== null);
      if (scored.length) expect(scored.reduce((s, x) => s + x.contribution, 0)).toBeCloseTo(c.score, 0);
      expect(c.peerMedian).not.toBeNull();
    }
    const conversations = card.competencies.find((c) => c.key === 'discovery')!.signals.find((s) => s.key === 'meaningfulConversations')!;
    expect(conversations).toMatchObject({ value: expect.any(Number), peerMedian: expect.any(Number), weight: 0.25 });
    expect(conversations.recordIds.length).toBeGreaterThan(0);
  });

  it('When a rep inflates one raw count tenfold, then the composite moves by a bounded amount (≤ 10 points)', () => {
    const base = buildRepOrg(peers(6));
    const before = score(base).get('P0')!.composite;
    const extra: Activity[] = base.activities.filter((a) => a.ownerId === 'P0' && a.kind === 'call' && Date.parse(AS_OF) - Date.parse(`${a.date}T00:00:00Z`) < 30 * 86_400_000)
      .flatMap((a) => Array.from({ length: 9 }, (_, k) => ({ ...a, id: `${a.id}-x${k}` })));
    const after = score({ ...base, activities: [...base.activities, ...extra] }).get('P0')!;
    const signal = after.competencies.find((c) => c.key === 'discovery')!.signals.find((s) => s.key === 'meaningfulConversations')!;
    expect(signal.value).toBeGreaterThan(5 * signal.peerMedian!);
    expect(Math.abs(after.composite - before)).toBeLessThanOrEqual(10);
  });

  it('When a rep logs a burst of zero-second calls, then the burst is flagged and not counted', () => {
    const base = buildRepOrg(peers(4));
    const burst: Activity[] = Array.from({ length: 12 }, (_, i) => ({ id: `burst-${i}`, kind: 'call', date: '2026-06-25', opportunityId: 'P0-open-0', ownerId: 'P0', contactIds: [], status: 'done', callDurationSeconds: 0, callConnected: false }));
    const card = score({ ...base, activities: [...base.activities, ...burst] }).get('P0')!;
    expect(card.flags).toContain('Zero-second call burst on 2026-06-25 (12 calls) not counted');
    expect(card.flags.filter((f) => f.startsWith('Zero-second'))).toHaveLength(1);
    const rate = card.competencies.find((c) => c.key === 'discovery')!.signals.find((s) => s.key === 'conversationRate')!;
    expect(rate.value).toBe(100);
  });

  it('When the same long next-step text is pasted on several deals, then it is flagged and those next steps do not count', () => {
    const base = buildRepOrg(peers(4));
    const card = score(base).get('P0')!;
    expect(card.flags[0]).toMatch(/^Same next-step text on 6 deals \("review the business case"\) not counted$/);
    expect(card.competencies.find((c) => c.key === 'discovery')!.signals.find((s) => s.key === 'nextStepsScheduled')!.value).toBe(0);
  });
});

describe('diagnosis', () => {
  it('When effort fell against the rep\'s own baseline, then Will, with the numbers', () => {
    const card = score(buildRepOrg([...peers(5), { id: 'W', calls: 12, recentCalls: 2, closed: 10, won: 3, open: 6, threads: 1 }])).get('W')!;
    expect(card.diagnosis.kind).toBe('Will');
    expect(card.diagnosis.headline).toBe("Will: effort fell against the rep's own baseline");
    expect(card.diagnosis.evidence[0]).toMatch(/^14 activities in the last 4 weeks where the rep's own 12-week baseline, moved as the peers' moved, predicts \d+ \(3\.5 a week against 12\.0\)$/);
  });

  it('When every rep\'s activity fell alike (a holiday month), then a rep below par is not diagnosed Will; when one rep fell far more than the peers, then Will, even at par', () => {
    const holiday = peers(5, { recentCalls: 3 });
    const alike = score(buildRepOrg([...holiday, { id: 'W', calls: 12, recentCalls: 3, closed: 10, won: 3, open: 6, threads: 1 }])).get('W')!;
    expect(alike.diagnosis.kind).toBe('None');
    const apart = score(buildRepOrg([...peers(5), { id: 'W', calls: 12, recentCalls: 2, closed: 10, won: 6, open: 6, threads: 2, executive: true }])).get('W')!;
    expect(apart.diagnosis.kind).toBe('Will');
    expect(apart.diagnosis.evidence[1]).toMatch(/^Peers' activity over the same weeks: \d+ % of their own earlier rate$/);
  });

  it('When effort is at or above peers but conversion is below, then Skill', () => {
    const card = score(buildRepOrg([...peers(5), { id: 'S', calls: 20, closed: 10, won: 1, open: 6, threads: 1 }])).get('S')!;
    expect(card.diagnosis.kind).toBe('Skill');
    expect(card.diagnosis.evidence.join(' ')).toMatch(/Win rate 10 % \(1 of 10 closed\) against a peer median of 60 %/);
  });

  it('When most of the pipeline was inherited, then Circumstance', () => {
    const card = score(buildRepOrg([...peers(5), { id: 'C', calls: 10, closed: 10, won: 2, open: 6, inherited: 5, threads: 1 }])).get('C')!;
    expect(card.diagnosis).toMatchObject({ kind: 'Circumstance', evidence: [expect.stringMatching(/^0 % of the rep's closed deals and 83 % of the open pipeline were created by someone else \(inherited\), against a peer median of 0 %$/), expect.any(String)] });
  });

  it('When the whole team skips the same gate far more than everyone else, then Process, with the team\'s numbers', () => {
    // 4 of 20 won against the peers' 50 %: below par beyond chance (3 of 10 would not be: its one-sided 95 % interval reaches 56 %).
    const team = Array.from({ length: 4 }, (_, i): RepSpec => ({ id: `T${i}`, managerId: 'M2', calls: 11, closed: 20, won: 4, open: 6, threads: 2, skippedGates: true }));
    const card = score(buildRepOrg([...peers(5), ...team])).get('T0')!;
    expect(card.diagnosis.kind).toBe('Process');
    expect(card.diagnosis.evidence[0]).toBe('The team skips the gate at Value Proposition on 100 % of its deals there (24 of 24), against 0 % elsewhere');
  });

  it('When a team skips the gate but the rep\'s results are at par (6 of 10 against 60 %), then no diagnosis', () => {
    const team = Array.from({ length: 4 }, (_, i): RepSpec => ({ id: `T${i}`, managerId: 'M2', calls: 11, closed: 10, won: 6, open: 6, threads: 2, skippedGates: true }));
    expect(score(buildRepOrg([...peers(5), ...team])).get('T0')!.diagnosis.kind).toBe('None');
  });

  it('When a rep is at par, then no diagnosis', () => {
    expect(score(buildRepOrg(peers(6))).get('P1')!.diagnosis.kind).toBe('None');
  });

  it('When the peer group is too small, then no diagnosis and the reason', () => {
    expect(score(buildRepOrg(peers(2))).get('P0')!.diagnosis).toEqual({ kind: 'None', headline: 'Not enough data to diagnose yet', evidence: ['Peer group too small to compare'] });
  });

  it('When a rep is far behind peers on a signal, then the comparison says so in words with both numbers', () => {
    const card = score(buildRepOrg([...peers(5), { id: 'S', calls: 20, closed: 10, won: 1, open: 6, threads: 1 }])).get('S')!;
    expect(card.comparisons.some((c) => /^Behind peers on people engaged per active deal \(30 days\): 1 person against a peer median of 3 people$/.test(c))).toBe(true);
    expect(card.comparisons.some((c) => c.startsWith('Ahead of peers on meaningful conversations (30 days): '))).toBe(true);
  });

  it('When diagnosed, then the coaching focus names one behaviour with its coaching questions', () => {
    const card = score(buildRepOrg([...peers(5), { id: 'S', calls: 20, closed: 10, won: 1, open: 6, threads: 1 }])).get('S')!;
    expect(card.focus.behaviour.length).toBeGreaterThan(20);
    expect(card.focus.coachingQuestions.length).toBeGreaterThan(0);
  });
});

describe('the statistics behind the diagnosis', () => {
  it('When a count is far under its expectation, then the Poisson tail is small; near it, large', async () => {
    const { poissonAtMost, proportionGapZ, shrunkRate } = await import('../../../shared/src/engine/stats.ts');
    expect(poissonAtMost(10, 20)).toBeCloseTo(0.0108, 3);
    expect(poissonAtMost(20, 20)).toBeGreaterThan(0.5);
    expect(poissonAtMost(0, 0)).toBe(1);
    expect(proportionGapZ(2, 20, 10, 20)).toBeGreaterThan(2.5);
    expect(proportionGapZ(5, 10, 5, 10)).toBe(0);
    expect(shrunkRate(0, 2, 0.4, 10)).toBeCloseTo(4 / 12, 6);
  });

  it('When a rep is behind peers on behaviours but not on results, then None with a headline that says so, never "at or above par"', () => {
    const card = score(buildRepOrg([...peers(5), { id: 'B', calls: 10, closed: 10, won: 6, open: 6, threads: 1 }])).get('B')!;
    expect(card.diagnosis.kind).toBe('None');
    const [, mine, theirs] = /^Behaviour score ([\d.]+) against a peer median of ([\d.]+)$/.exec(card.diagnosis.evidence[0]!)!;
    expect(Number(mine)).toBeLessThan(Number(theirs) - 5);
    expect(card.diagnosis.headline).toBe('Results at par; behind peers on behaviours (see the focus)');
  });
});
