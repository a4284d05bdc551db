// Scoring one rep against the peer figures a full sync stored: what an incremental recompute does after a webhook.
import { describe, expect, it } from 'vitest';
import { scoreReps, scoreRepsAgainst, scoreRepsWithFigures } from '../../../shared/src/engine/reps.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { AS_OF, buildRepOrg, type RepSpec } from '../../support/rep-org.ts';

const peers = (n: number): RepSpec[] =>
  Array.from({ length: n }, (_, i) => ({ id: `P${i}`, calls: 6 + (i % 4), closed: 10, won: 4 + (i % 4), open: 6, threads: 1 + (i % 3), executive: i % 2 === 0, managerId: i < 3 ? 'M1' : 'M2' }));

/** Only what a rep-scoped read returns: every user and contact, the rep's own deals, their history and activities. */
const scopedTo = (org: OrgSnapshot, repId: string): OrgSnapshot => {
  const deals = new Set(org.opportunities.filter((o) => o.ownerId === repId).map((o) => o.id));
  return {
    ...org,
    opportunities: org.opportunities.filter((o) => deals.has(o.id)),
    stageHistory: org.stageHistory.filter((h) => deals.has(h.opportunityId)),
    contactRoles: org.contactRoles.filter((r) => deals.has(r.opportunityId)),
    activities: org.activities.filter((a) => a.opportunityId && deals.has(a.opportunityId)),
  };
};

/** The org after the rep logged `calls` more connected calls this week on one of their open deals. */
const withCalls = (org: OrgSnapshot, repId: string, calls: number): OrgSnapshot => {
  const deal = org.opportunities.find((o) => o.ownerId === repId && !o.isClosed)!;
  const added = Array.from({ length: calls }, (_, i) => ({ id: `${repId}-new-${i}`, kind: 'call' as const, date: new Date(Date.parse(AS_OF) - 86_400_000).toISOString(), opportunityId: deal.id, ownerId: repId, contactIds: ['C1'], status: 'done' as const, callConnected: true, callDurationSeconds: 600 }));
  return { ...org, activities: [...org.activities, ...added] };
};

const scoring = { playbook: DEFAULT_PLAYBOOK, asOf: AS_OF };

describe('scoring a rep against stored peer figures', () => {
  it('When one rep\'s activity changed, then their scorecard against the stored figures equals a full scoring of the changed org', () => {
    const before = buildRepOrg(peers(6));
    const { figures } = scoreRepsWithFigures({ snapshot: before, ...scoring });
    const after = withCalls(before, 'P1', 12);
    const full = scoreReps({ snapshot: after, ...scoring }).find((c) => c.repId === 'P1')!;
    const [incremental] = scoreRepsAgainst({ snapshot: scopedTo(after, 'P1'), ...scoring, repIds: ['P1'], figures });
    expect(incremental).toEqual(full);
    // The change is visible: the rep's own stale value was replaced inside the peer distribution.
    const stale = scoreReps({ snapshot: before, ...scoring }).find((c) => c.repId === 'P1')!;
    expect(incremental!.competencies.find((c) => c.key === 'discovery')!.score).toBeGreaterThan(stale.competencies.find((c) => c.key === 'discovery')!.score);
  });

  it('When nothing changed for the rep, then the stored figures give the full scorecard exactly', () => {
    const org = buildRepOrg(peers(5));
    const { cards, figures } = scoreRepsWithFigures({ snapshot: org, ...scoring });
    for (const id of ['P0', 'P3']) {
      expect(scoreRepsAgainst({ snapshot: scopedTo(org, id), ...scoring, repIds: [id], figures })).toEqual([cards.find((c) => c.repId === id)]);
    }
  });

  it('When the figures went through JSON (tenant state), then they score the same', () => {
    const org = buildRepOrg(peers(5));
    const { cards, figures } = scoreRepsWithFigures({ snapshot: org, ...scoring });
    const stored = JSON.parse(JSON.stringify(figures));
    expect(scoreRepsAgainst({ snapshot: scopedTo(org, 'P2'), ...scoring, repIds: ['P2'], figures: stored })).toEqual([cards.find((c) => c.repId === 'P2')]);
  });

  it('When a rep the full sync did not score is asked for, then nothing is scored for them (the next full sync does)', () => {
    const org = buildRepOrg(peers(5));
    const { figures } = scoreRepsWithFigures({ snapshot: org, ...scoring });
    expect(scoreRepsAgainst({ snapshot: org, ...scoring, repIds: ['nobody'], figures })).toEqual([]);
  });

  it('When every rep is asked for (everyone), then the others come from their stored figures and the changed rep is fresh', () => {
    const before = buildRepOrg(peers(6));
    const { cards, figures } = scoreRepsWithFigures({ snapshot: before, ...scoring });
    const after = withCalls(before, 'P4', 10);
    const all = scoreRepsAgainst({ snapshot: scopedTo(after, 'P4'), ...scoring, repIds: ['P4'], figures, everyone: true });
    expect(all.map((c) => c.repId).sort()).toEqual(cards.map((c) => c.repId).sort());
    const full = scoreReps({ snapshot: after, ...scoring });
    // Every card's scores are the full scoring's of the changed org (the others' raw signals did not change).
    for (const card of all) expect(card.competencies.map((c) => c.score)).toEqual(full.find((f) => f.repId === card.repId)!.competencies.map((c) => c.score));
    expect(all.find((c) => c.repId === 'P4')).toEqual(full.find((c) => c.repId === 'P4'));
  });
});
