// The embedded demo org: the real pipeline's shape survives, the generated parts are deterministic and plausible,
// and the dates are shifted so the demo looks live.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrg, type DemoOrg } from '../../server/src/crm/embedded/demo/generate.ts';
import { readMaven } from '../../server/src/crm/embedded/demo/maven.ts';
import { DEMO_DATA_DIR } from '../../server/src/crm/embedded/demo/seed.ts';
import { mapSalesforceRecords } from '../../server/src/crm/salesforce-shape.ts';
import { buildOrgIndex } from '../../shared/src/engine/org-index.ts';
import { engagedContacts } from '../../shared/src/engine/engagement.ts';

const TODAY = new Date('2026-11-23T09:00:00Z');
let org: DemoOrg;
let offsetDays: number;

beforeAll(() => {
  ({ org, summary: { offsetDays } } = generateDemoOrg(readMaven(DEMO_DATA_DIR), TODAY));
});

describe('the demo org', () => {
  it('When seeded, then it holds the data set\'s 8,800 deals, 35 reps, 6 managers and 85 accounts', () => {
    expect(org.Opportunity).toHaveLength(8800);
    expect(org.Account).toHaveLength(85);
    expect(org.User.filter((u) => u.Title === 'Account Executive')).toHaveLength(35);
    expect(org.User.filter((u) => u.Title === 'Regional Sales Manager')).toHaveLength(6);
    expect(org.Opportunity.filter((o) => o.IsWon)).toHaveLength(4238);
    expect(org.Opportunity.filter((o) => o.IsClosed && !o.IsWon)).toHaveLength(2473);
  });

  it('When seeded twice for the same day, then it is identical', () => {
    const again = generateDemoOrg(readMaven(DEMO_DATA_DIR), TODAY).org;
    expect(again.Task.length).toBe(org.Task.length);
    expect(again.Opportunity.slice(0, 50)).toEqual(org.Opportunity.slice(0, 50));
    expect(again.Event.slice(-50)).toEqual(org.Event.slice(-50));
  });

  it('When dates are shifted, then the latest completed activity was yesterday and intervals are kept', () => {
    const done = [...org.Task.filter((t) => t.IsClosed).map((t) => String(t.ActivityDate)), ...org.Event.map((e) => String(e.ActivityDate)).filter((d) => d < '2026-11-23')];
    expect(done.sort().at(-1)).toBe('2026-11-22');
    // A won deal's real close value and its close date, shifted by the same whole days as everything else.
    const first = org.Opportunity[0]!; // Maven 1C1I7A6R: Won, engaged 2016-10-20, closed 2017-03-01 for 1,054.
    expect(first.Amount).toBe(1054);
    expect(Date.parse(`${first.CloseDate}T00:00:00Z`) - Date.parse('2017-03-01T00:00:00Z')).toBe(offsetDays * 86_400_000);
  });

  it('When open deals are placed on the standard process, then they spread across its open stages', () => {
    const stages = new Set(org.Opportunity.filter((o) => !o.IsClosed).map((o) => o.StageName));
    expect([...stages].sort()).toEqual(['Id. Decision Makers', 'Needs Analysis', 'Negotiation/Review', 'Perception Analysis', 'Proposal/Price Quote', 'Prospecting', 'Qualification', 'Value Proposition']);
  });

  it('When won and lost deals are compared, then won deals engaged more people and more executives (with noise)', () => {
    const { snapshot } = mapSalesforceRecords(org, TODAY.toISOString());
    const index = buildOrgIndex(snapshot);
    const reach = (won: boolean) => {
      const deals = snapshot.opportunities.filter((o) => o.isClosed && o.isWon === won);
      const people = deals.map((d) => engagedContacts(index.activitiesByOpportunity.get(d.id) ?? [], Date.parse(`${d.closeDate}T23:59:59Z`), 3650));
      return {
        meanPeople: people.reduce((s, p) => s + p.length, 0) / deals.length,
        execShare: people.filter((p) => p.some((c) => index.executiveContactIds.has(c.contactId))).length / deals.length,
        zeroShare: people.filter((p) => p.length === 0).length / deals.length,
      };
    };
    const won = reach(true);
    const lost = reach(false);
    expect(won.meanPeople).toBeGreaterThan(lost.meanPeople * 1.2);
    expect(won.execShare).toBeGreaterThan(lost.execShare);
    // Noise: some lost deals were well engaged, some won deals barely.
    expect(lost.execShare).toBeGreaterThan(0.1);
    expect(won.zeroShare).toBeLessThan(lost.zeroShare);
  });

  it('When stage history is generated, then it has repeated-stage rows, re-entries and slipped close dates', () => {
    const byOpp = new Map<string, string[]>();
    for (const h of org.OpportunityHistory) byOpp.set(String(h.OpportunityId), [...(byOpp.get(String(h.OpportunityId)) ?? []), String(h.StageName)]);
    const paths = [...byOpp.values()];
    expect(paths.some((p) => p.some((s, i) => i > 0 && s === p[i - 1]))).toBe(true);
    expect(paths.some((p) => p.some((s, i) => p.indexOf(s) < i && p[i - 1] !== s))).toBe(true);
  });
});
