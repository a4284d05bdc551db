// Companion answers as GET /api/opportunities/:id gives them (a parsed Gate_Checklist__c), trimmed to what the cards read.
import type { DealDetail, Milestone } from '../DealGate.tsx';
import type { BacktestView, ConversionView, PlaybookView } from '../../settings/GateDesigner.tsx';

export const DEAL_ID = '24681357913';

const milestone = (key: string, label: string, status: Milestone['status'], evidence: Milestone['evidence'] = [], attestable = true): Milestone => ({
  key, label, required: true, status, evidence, guidance: `Do what ${label} needs`, attestable,
});

export const dealWith = (over: Partial<NonNullable<DealDetail['checklist']>> = {}): DealDetail => ({
  Id: DEAL_ID, Name: 'Acme renewal', checklistProblem: null,
  checklist: {
    stage: 'Proposal',
    stages: [{ name: 'Qualification', state: 'passed' }, { name: 'Discovery', state: 'passed' }, { name: 'Proposal', state: 'current' }],
    gate: { status: 'In_Progress', met: 1, required: 2, score: 0.5 },
    milestones: [
      milestone('economic_buyer', 'Economic buyer engaged', 'met', [{ kind: 'activity', recordId: '901', date: '2026-11-30T10:00:00Z', label: 'Meeting with Dana Ruiz (VP Finance)' }]),
      milestone('mutual_plan', 'Mutual close plan', 'missing'),
    ],
    riskFlags: ['Single_Threaded'],
    nextBestAction: 'Agree a mutual close plan',
    winProbability: { percent: 42, stageBaseline: 35 },
    ...over,
  },
});

// The settings page's companion answers: a playbook with a required, an optional and a loss-going milestone, and
// the analytics of it.
export const PLAYBOOK: PlaybookView = {
  source: 'data/playbook.json',
  playbook: {
    version: 3,
    settings: { staleDays: 14 },
    processes: [{ name: 'New business', opportunityRecordType: null, stages: [
      { name: 'Discovery', probability: 20, gate: { milestones: [
        { key: 'pain', label: 'Pain confirmed', required: true, rule: { kind: 'field', field: 'Pain__c' } },
        { key: 'champion', label: 'Champion named', required: false, rule: { kind: 'contactRole', role: 'Champion' } },
        { key: 'discount', label: 'Discount agreed', required: true, rule: { kind: 'field', field: 'Discount__c' } },
      ] } },
      { name: 'Negotiation', gate: { milestones: [] } },
      { name: 'Closed Won', closed: true, gate: { milestones: [] } },
    ] }],
  },
};
export const CONVERSION: ConversionView = { asOf: '2026-12-07', processes: [{ process: 'New business', overallWinRate: 0.27, message: '', headlines: ['Deals that reach Negotiation win 65 % instead of 27 %'] }] };
const stats = (deals: number, won: number) => ({ deals, won, winRate: deals ? won / deals : null });
export const BACKTEST: BacktestView = {
  asOf: '2026-12-07T00:00:00.000Z', closedDeals: 62, minimum: 30, enoughHistory: true, basis: 'at-close', withoutHistory: 62,
  fieldsJudgedToday: ['Discount__c'], fieldsFromHistory: ['Pain__c'],
  message: 'No stage history: 62 closed deals judged on their final values at close',
  milestones: [
    { process: 'New business', stage: 'Discovery', key: 'pain', label: 'Pain confirmed', required: true, evaluated: 62, met: stats(40, 25), missed: stats(22, 4), lift: 3.44, liftText: '3.44×', direction: 'wins', predictive: true, predictsLoss: false, basis: 'at-close', verdict: 'predicts wins (judged at close): 63 % when met, 18 % when missed' },
    { process: 'New business', stage: 'Discovery', key: 'champion', label: 'Champion named', required: false, evaluated: 5, met: stats(3, 2), missed: stats(2, 0), lift: null, liftText: 'too few deals to tell (met 3, missed 2)', direction: null, predictive: false, predictsLoss: false, basis: 'at-close', verdict: 'too few deals on one side to tell (met 3, missed 2)' },
    { process: 'New business', stage: 'Discovery', key: 'discount', label: 'Discount agreed', required: true, evaluated: 60, met: stats(30, 4), missed: stats(30, 15), lift: 0.27, liftText: '0.27× (goes with losing; missing it goes with winning: 3.75×)', direction: 'losses', predictive: false, predictsLoss: true, basis: 'at-close', verdict: 'goes with losing (judged at close): deals that met it won 13 %, those that missed it 50 %; review it' },
  ],
};
