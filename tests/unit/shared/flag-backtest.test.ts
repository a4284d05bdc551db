// Risk flags backtested like milestones: judged on closed deals as of each stage exit, raised only when they predict
// losses, the playbook's settings overriding.
import { describe, expect, it } from 'vitest';
import { flagBacktest, keepRaisedFlags, raisedFlags, MIN_CLOSED_FOR_FLAGS } from '../../../shared/src/engine/flag-backtest.ts';
import { computeOrgIndicators } from '../../../shared/src/engine/opportunity.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { Playbook } from '../../../shared/src/playbook/schema.ts';
import { FAMILY_SHAPES, familyOrg } from '../../../shared/src/synthetic/org-family.ts';

// A mid-size org of the family: one team's deals wait long at one stage and lose half their would-be wins there.
const org = familyOrg(FAMILY_SHAPES[1]!, 1);
const index = buildOrgIndex(org.snapshot);
const { deals } = computeOrgIndicators(org.snapshot, DEFAULT_PLAYBOOK, org.asOf, index);

describe('flag backtest', () => {
  it('When a team\'s deals sit far longer in one stage and lose more, then Stalled predicts losses (lift under 1, interval too) and is raised', () => {
    const report = flagBacktest(org.snapshot, DEFAULT_PLAYBOOK, org.asOf, index, deals);
    const stalled = report.flags.find((f) => f.flag === 'Stalled')!;
    expect(stalled.lift!).toBeLessThan(1);
    expect(stalled.interval!.high).toBeLessThan(1);
    expect(stalled).toMatchObject({ predictive: true, raised: true });
    expect(report.flags.map((f) => f.flag)).toHaveLength(7);
    for (const f of report.flags) expect(f.raised).toBe(f.predictive);
  });

  it('When the playbook says suppress or raise, then that wins over the backtest, and the verdict says so', () => {
    const playbook = Playbook.parse({ ...DEFAULT_PLAYBOOK, settings: { ...DEFAULT_PLAYBOOK.settings, riskFlags: { Stalled: 'suppress', No_Executive: 'raise' } } });
    const report = flagBacktest(org.snapshot, playbook, org.asOf, index, deals);
    expect(report.flags.find((f) => f.flag === 'Stalled')).toMatchObject({ predictive: true, raised: false });
    expect(report.flags.find((f) => f.flag === 'Stalled')!.verdict).toMatch(/settings say suppress/);
    expect(report.flags.find((f) => f.flag === 'No_Executive')!.raised).toBe(true);
  });

  it(`When there are fewer than ${MIN_CLOSED_FOR_FLAGS} closed deals, then no flag is judged, every one is raised, and the report says why`, () => {
    const closed = org.snapshot.opportunities.filter((o) => o.isClosed).slice(0, MIN_CLOSED_FOR_FLAGS - 1);
    const open = org.snapshot.opportunities.filter((o) => !o.isClosed);
    const report = flagBacktest({ ...org.snapshot, opportunities: [...closed, ...open] }, DEFAULT_PLAYBOOK, org.asOf);
    expect(report.enoughHistory).toBe(false);
    expect(report.message).toMatch(/^Only 29 closed deals/);
    expect(report.flags.every((f) => f.raised && !f.predictive)).toBe(true);
  });

  it('When flags are not raised, then they leave the deal and its checklist; deals without them are untouched', () => {
    const withFlags = deals.filter((d) => d.riskFlags.includes('No_Next_Step'));
    const kept = keepRaisedFlags(withFlags, new Set(['Stalled']));
    for (const d of kept) {
      expect(d.riskFlags).not.toContain('No_Next_Step');
      expect(d.checklist?.riskFlags ?? []).toEqual(d.riskFlags);
    }
    const clean = deals.find((d) => d.riskFlags.length === 0) ?? { ...deals[0]!, riskFlags: [] };
    expect(keepRaisedFlags([clean], new Set())[0]).toBe(clean);
    expect(raisedFlags(flagBacktest(org.snapshot, DEFAULT_PLAYBOOK, org.asOf, index)).has('Stalled')).toBe(true);
  });
});
