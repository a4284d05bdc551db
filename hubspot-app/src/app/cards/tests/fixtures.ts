// Companion answers as GET /api/opportunities/:id gives them (a parsed Gate_Checklist__c), trimmed to what the cards read.
import type { DealDetail, Milestone } from '../DealGate.tsx';

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
