// Gate status, the path walk (skipped gates), risk flags, the next best action and the checklist JSON.
import { describe, expect, it } from 'vitest';
import { Checklist } from '../../../shared/src/checklist.ts';
import { computeDeal, computeOrgIndicators, engineContext } from '../../../shared/src/engine/opportunity.ts';
import { dealRecords } from '../../../shared/src/engine/rules.ts';
import type { Activity, OrgSnapshot, StageHistoryEntry } from '../../../shared/src/model.ts';
import { Playbook } from '../../../shared/src/playbook/schema.ts';
import { describeDataQuality } from '../../../shared/src/data-quality.ts';
import { AS_OF, buildActivity, buildContact, buildDeal, buildHistory, buildSnapshot, dateBefore, daysBefore } from '../../support/builders.ts';

const playbook = Playbook.parse({
  version: 1,
  settings: { stallFactor: 2, minStallDays: 14, minWonSamplesForStall: 2, noRecentActivityDays: 14 },
  processes: [{
    name: 'Test', default: true, executiveFromStage: 'Build', multiThreadFromStage: 'Build',
    stages: [
      { name: 'Discover', gate: { milestones: [
        { key: 'met_them', label: 'Met the customer', action: 'Meet the customer', weight: 3, rule: { kind: 'activity', types: ['meeting'], atLeast: 1, window: 30 }, guidance: 'Hold a meeting.' },
        { key: 'step', label: 'Next step', required: false, weight: 1, rule: { kind: 'nextStep' }, guidance: 'Set a next step.' },
      ] } },
      { name: 'Build', gate: { milestones: [
        { key: 'exec', label: 'Executive engaged', action: 'Engage an executive', rule: { kind: 'executive', window: 30 }, guidance: 'Meet an executive.', attestable: true, coachingQuestions: ['Who signs?'] },
      ] } },
      { name: 'Close', gate: { milestones: [] } },
      { name: 'Won', closed: true, won: true },
      { name: 'Lost', closed: true },
    ],
  }],
});

const vp = buildContact({ name: 'Dana Ruiz', title: 'VP Finance' });
const staff = buildContact({ name: 'Sam Chen', title: 'Analyst' });
const meetingWith = (dealId: string, daysAgo: number, contactId = staff.id): Activity => buildActivity({ opportunityId: dealId, kind: 'meeting', date: daysBefore(daysAgo, '10:00:00.000'), contactIds: [contactId] });

const run = (extra: Partial<OrgSnapshot> & { opportunities: OrgSnapshot['opportunities'] }) => {
  const snapshot = buildSnapshot({ contacts: [vp, staff], ...extra });
  const ctx = engineContext(snapshot, playbook, AS_OF);
  return computeDeal(dealRecords(snapshot.opportunities[0]!, ctx.index), ctx);
};

/** Won deals that each spent `days` in Discover, so the stall yardstick for Discover is `days`. */
const wonHistory = (days: number, n: number): { deals: OrgSnapshot['opportunities']; history: StageHistoryEntry[] } => {
  const deals = Array.from({ length: n }, () => buildDeal({ stage: 'Won', isClosed: true, isWon: true, closeDate: dateBefore(100) }));
  const history = deals.flatMap((d) => [buildHistory(d.id, 'Discover', daysBefore(200)), buildHistory(d.id, 'Build', daysBefore(200 - days)), buildHistory(d.id, 'Won', daysBefore(100))]);
  return { deals, history };
};

describe('gate status', () => {
  it('When every required milestone is met, then the gate is Met, with the score weighting optional ones', () => {
    const deal = buildDeal({ stage: 'Discover' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 3)] });
    expect(result).toMatchObject({ gateStatus: 'Met', milestonesMet: 1, milestonesRequired: 1, gateScore: 75 });
  });

  it('When a required milestone is missing and the deal is on time, then In_Progress', () => {
    const deal = buildDeal({ stage: 'Discover', closeDate: dateBefore(-30), createdDate: daysBefore(5) });
    expect(run({ opportunities: [deal] })).toMatchObject({ gateStatus: 'In_Progress', milestonesMet: 0, gateScore: 0 });
  });

  it('When a required milestone is missing and the close date has passed, then At_Risk', () => {
    const deal = buildDeal({ stage: 'Discover', closeDate: dateBefore(1), createdDate: daysBefore(5) });
    expect(run({ opportunities: [deal] }).gateStatus).toBe('At_Risk');
  });

  it('When the deal sits in stage beyond twice the won median (and at least the minimum), then Stalled and At_Risk; at the threshold, not', () => {
    const won = wonHistory(10, 3); // median 10 days → threshold max(14, 20) = 20
    const at = (days: number) => {
      const deal = buildDeal({ stage: 'Discover', closeDate: dateBefore(-30), createdDate: daysBefore(days) });
      return run({ opportunities: [deal, ...won.deals], stageHistory: won.history });
    };
    expect(at(20)).toMatchObject({ gateStatus: 'In_Progress' });
    expect(at(20).riskFlags).not.toContain('Stalled');
    expect(at(21)).toMatchObject({ gateStatus: 'At_Risk' });
    expect(at(21).riskFlags).toContain('Stalled');
  });

  it('When won deals have a long tail, then Stalled waits for the 90th percentile of their days in stage (just over it, not at it)', () => {
    // Nine won deals took 10 days in Discover, one took 40: median 10 (2× = 20), 90th percentile 10 … with two at 40, 40.
    const quick = wonHistory(10, 8);
    const slow = wonHistory(40, 2);
    const at = (days: number) => {
      const deal = buildDeal({ stage: 'Discover', closeDate: dateBefore(-30), createdDate: daysBefore(days) });
      return run({ opportunities: [deal, ...quick.deals, ...slow.deals], stageHistory: [...quick.history, ...slow.history] }).riskFlags;
    };
    expect(at(40)).not.toContain('Stalled');
    expect(at(41)).toContain('Stalled');
  });

  it('When won deals are too few to judge by, then nothing is called stalled', () => {
    const won = wonHistory(1, 1);
    const deal = buildDeal({ stage: 'Discover', createdDate: daysBefore(300) });
    expect(run({ opportunities: [deal, ...won.deals], stageHistory: won.history }).riskFlags).not.toContain('Stalled');
  });

  it('When the deal entered Build without meeting the customer and still has not, then Skipped and Gate_Skipped', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], contacts: [vp, staff], activities: [meetingWith(deal.id, 2, vp.id)].map((a) => ({ ...a, kind: 'call' as const })), stageHistory: [buildHistory(deal.id, 'Discover', daysBefore(40)), buildHistory(deal.id, 'Build', daysBefore(8))] });
    expect(result.gateStatus).toBe('Skipped');
    expect(result.riskFlags).toContain('Gate_Skipped');
    expect(result.nextBestAction).toBe('Meet the customer: no meeting in 30 days (skipped at Discover)');
    expect(result.checklist!.stages.slice(0, 3)).toEqual([{ name: 'Discover', state: 'skipped' }, { name: 'Build', state: 'current' }, { name: 'Close', state: 'upcoming' }]);
  });

  it('When the skipped gate has been met since, then the status is about the current gate, and the flag keeps the history', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 2, vp.id)], stageHistory: [buildHistory(deal.id, 'Discover', daysBefore(40)), buildHistory(deal.id, 'Build', daysBefore(8))] });
    expect(result.gateStatus).toBe('Met');
    expect(result.riskFlags).toContain('Gate_Skipped');
  });

  it('When the deal met the gate before it moved on, then the stage is passed and nothing is skipped', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 10)], stageHistory: [buildHistory(deal.id, 'Discover', daysBefore(40)), buildHistory(deal.id, 'Build', daysBefore(8))] });
    expect(result.riskFlags).not.toContain('Gate_Skipped');
    expect(result.checklist!.stages[0]).toEqual({ name: 'Discover', state: 'passed' });
  });

  it('When a meeting happened only after the move, then the gate was still skipped at the time (no hindsight)', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 5)], stageHistory: [buildHistory(deal.id, 'Discover', daysBefore(40)), buildHistory(deal.id, 'Build', daysBefore(8))] });
    expect(result.riskFlags).toContain('Gate_Skipped');
  });
});

describe('risk flags', () => {
  it('When a Build deal engages one analyst, has no next step, and its close date was pushed out, then those flags are set', () => {
    const deal = buildDeal({ stage: 'Build', closeDate: dateBefore(-60) });
    const history = [{ ...buildHistory(deal.id, 'Build', daysBefore(30)), closeDate: dateBefore(-10) }, { ...buildHistory(deal.id, 'Build', daysBefore(5)), closeDate: dateBefore(-60) }];
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 3)], stageHistory: history });
    expect(result.riskFlags).toEqual(['Single_Threaded', 'No_Executive', 'No_Next_Step', 'Close_Date_Slipped']);
  });

  it('When nothing was held on the deal for 15 days, then No_Recent_Activity; at 14 days, not', () => {
    const deal = buildDeal({ stage: 'Discover' });
    expect(run({ opportunities: [deal], activities: [meetingWith(deal.id, 15)] }).riskFlags).toContain('No_Recent_Activity');
    expect(run({ opportunities: [deal], activities: [meetingWith(deal.id, 14)] }).riskFlags).not.toContain('No_Recent_Activity');
  });

  it('When the deal is before the multi-thread and executive stages, then it is not flagged for them', () => {
    const deal = buildDeal({ stage: 'Discover' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 2)] });
    expect(result.riskFlags).not.toContain('Single_Threaded');
    expect(result.riskFlags).not.toContain('No_Executive');
  });
});

describe('next best action and checklist', () => {
  it('When an executive was engaged 41 days ago, then the action names them and the checklist carries the guidance made specific', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 41, vp.id)], stageHistory: [buildHistory(deal.id, 'Build', daysBefore(50))] });
    expect(result.nextBestAction).toBe('Engage an executive: no director-level contact in 30 days; Dana Ruiz (VP Finance) was last engaged 41 days ago');
    const exec = result.checklist!.milestones[0]!;
    expect(exec).toMatchObject({ key: 'exec', status: 'missing', attestable: true, coachingQuestions: ['Who signs?'] });
    expect(exec.guidance).toBe('Meet an executive. Now: no director-level contact in 30 days; Dana Ruiz (VP Finance) was last engaged 41 days ago.');
  });

  it('When the rep attested the milestone, then it counts as attested with the note as evidence', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], stageHistory: [buildHistory(deal.id, 'Build', daysBefore(5))], attestations: [{ id: 'a0A000000000009AAA', opportunityId: deal.id, milestoneKey: 'exec', note: 'Met the CFO at the trade show', attestedAt: daysBefore(1) }] });
    expect(result.gateStatus).toBe('Met');
    expect(result.checklist!.milestones[0]).toMatchObject({ status: 'attested', evidence: [{ kind: 'attestation', recordId: 'a0A000000000009AAA', label: 'Attested: Met the CFO at the trade show' }] });
  });

  it('When the current gate is met, then the action is to advance', () => {
    const deal = buildDeal({ stage: 'Discover', nextStep: 'Demo' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 3), { ...meetingWith(deal.id, -2) }] });
    expect(result.nextBestAction).toBe('Advance to Build: every exit milestone of Discover is met');
  });

  it('When a checklist is built, then it validates against the versioned schema the component reads', () => {
    const deal = buildDeal({ stage: 'Build' });
    const result = run({ opportunities: [deal], activities: [meetingWith(deal.id, 2, vp.id)] });
    expect(Checklist.safeParse(result.checklist).success).toBe(true);
    expect(result.checklist!.milestones[0]!.evidence[0]).toMatchObject({ kind: 'activity', label: 'Meeting with Dana Ruiz (VP Finance)' });
  });
});

describe('dirty data', () => {
  it('When deals sit in unknown stages, follow unknown processes, or lack owners, then nothing throws and each kind is counted', () => {
    const snapshot = buildSnapshot({
      opportunities: [
        buildDeal({ stage: 'Mystery' }),
        buildDeal({ stage: 'Discover', salesProcess: 'Renewals', ownerId: null }),
        buildDeal({ stage: 'Won', isClosed: true, isWon: true }),
      ],
      activities: [buildActivity({ opportunityId: 'nope', date: 'not-a-date' as unknown as string })],
    });
    const result = computeOrgIndicators(snapshot, playbook, AS_OF);
    expect(result.deals).toHaveLength(2);
    expect(result.deals[0]).toMatchObject({ gateStatus: null, checklist: null, stage: 'Mystery' });
    expect(describeDataQuality(result.dataQuality)).toEqual([
      '1 deals following a sales process the playbook does not define (gated as Test)',
      '1 open deals in stages the playbook does not know (Mystery)',
      '1 open deals without an owner',
    ]);
  });
});
