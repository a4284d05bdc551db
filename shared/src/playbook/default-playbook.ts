// The default playbook: exit gates for Salesforce's standard sales process, built from the strategic milestones of the
// source material — the customer's key business metrics understood; advocates, influencers and detractors identified;
// decision criteria beyond price clarified; the solution tied to measurable outcomes; the economic buyer engaged; a
// next step set. The test of each: did we truly advance this deal, or did we just have a good conversation? So
// evidence comes from activity and people first; an attestation (with a note) covers what data cannot show.
import { STANDARD_PROCESS, STANDARD_STAGES } from './standard-process.ts';
import { Playbook, type Milestone, type PlaybookInput } from './schema.ts';

type MilestoneInput = Omit<Milestone, 'required' | 'weight' | 'attestable' | 'coachingQuestions'> & Partial<Milestone>;
const m = (milestone: MilestoneInput): MilestoneInput => milestone;

const DECISION_ROLES = ['Economic Buyer', 'Decision Maker', 'Executive Sponsor'];
const COMMITTEE_ROLES = ['Economic Buyer', 'Decision Maker', 'Executive Sponsor', 'Influencer', 'Evaluator', 'Technical Buyer', 'Business User'];

const nextStepSet = m({
  key: 'next_step_set',
  action: 'Set a next step',
  label: 'Next step agreed and on the calendar',
  rule: { kind: 'nextStep' },
  weight: 1,
  guidance: 'Agree the next step with the customer, write it in Next Step, and put the task or meeting on the calendar.',
  coachingQuestions: ['What exactly did the customer agree to do next, and by when?', 'Who on their side owns that step?'],
});

const GATES: Record<string, MilestoneInput[]> = {
  Prospecting: [
    m({
      key: 'meaningful_conversation',
      action: 'Have a meaningful conversation',
      label: 'First meaningful conversation',
      rule: { kind: 'meaningfulConversation', atLeast: 1, window: 30 },
      weight: 2,
      guidance: 'Have a real conversation: a connected call of two minutes or more, or a meeting, with someone at the account.',
      coachingQuestions: ['What did you learn that you could not have read on their website?', 'Why would they take a second meeting?'],
    }),
    m({
      key: 'account_identified',
      action: 'Link the account',
      label: 'Account identified',
      required: false,
      rule: { kind: 'field', field: 'AccountId', op: 'present' },
      guidance: 'Link the opportunity to its account, so contacts, history and coverage can be seen.',
    }),
  ],
  Qualification: [
    m({
      key: 'key_metrics_understood',
      action: 'Learn their key metrics',
      label: "Customer's key business metrics for the next 12 months understood",
      rule: { kind: 'all', rules: [{ kind: 'meaningfulConversation', atLeast: 2, window: 45 }, { kind: 'activity', types: ['meeting'], atLeast: 1, window: 45 }] },
      weight: 3,
      attestable: true,
      guidance: 'Run a discovery meeting and ask which numbers the business must move in the next 12 months, in their words. Attest it with the metrics in the note.',
      coachingQuestions: ['Which two or three metrics will their leadership judge this year by?', 'What happens to them if nothing changes?', 'Did they say it, or did we?'],
    }),
    m({
      key: 'deal_sized',
      action: 'Size the deal',
      label: 'Amount and close date set',
      rule: { kind: 'all', rules: [{ kind: 'field', field: 'Amount', op: 'present' }, { kind: 'field', field: 'CloseDate', op: 'present' }] },
      guidance: 'Put a realistic amount and close date on the deal, based on what the customer told you.',
    }),
  ],
  'Needs Analysis': [
    m({
      key: 'stakeholders_mapped',
      action: 'Map the buying committee',
      label: 'Internal advocates, influencers and detractors identified',
      rule: { kind: 'contactRoles', roles: COMMITTEE_ROLES, atLeast: 2 },
      weight: 3,
      attestable: true,
      guidance: 'Map the buying committee: add contact roles for at least two people, including who is for it, who influences it and who may block it.',
      coachingQuestions: ['Who gains most if this goes ahead, and who loses?', 'Who has not been in the room yet but will have a say?'],
    }),
    m({
      key: 'multi_threaded',
      action: 'Multi-thread the deal',
      label: 'More than one person engaged',
      rule: { kind: 'stakeholders', atLeast: 2, window: 30 },
      weight: 2,
      guidance: 'Engage a second person at the account this month, so the deal does not hang on one relationship.',
      coachingQuestions: ['If your contact left tomorrow, who would carry this deal?'],
    }),
    m({
      key: 'decision_criteria_clarified',
      action: 'Clarify decision criteria',
      label: 'Decision criteria beyond price clarified',
      required: false,
      rule: { kind: 'contactRoles', roles: ['Evaluator', 'Technical Buyer'], atLeast: 1 },
      weight: 1,
      attestable: true,
      guidance: 'Ask how they will choose: the criteria beyond price, who scores them, and how they are weighted. Attest it with the criteria in the note.',
      coachingQuestions: ['What would make them pick a more expensive option?', 'Who wrote the criteria, and did we help?'],
    }),
  ],
  'Value Proposition': [
    m({
      key: 'outcomes_aligned',
      action: 'Tie the solution to outcomes',
      label: 'Solution tied to measurable business outcomes',
      rule: { kind: 'all', rules: [{ kind: 'activity', types: ['meeting'], atLeast: 1, window: 30 }, { kind: 'executive', window: 45 }] },
      weight: 3,
      attestable: true,
      guidance: 'Present the solution against the metrics they gave you, to someone senior enough to own those metrics.',
      coachingQuestions: ['Which of their metrics does our proposal move, and by how much?', 'Who agreed that the numbers are credible?'],
    }),
    m({
      key: 'executive_engaged',
      action: 'Engage an executive',
      label: 'An executive engaged',
      rule: { kind: 'executive', window: 30 },
      weight: 2,
      guidance: 'Engage a director-level or more senior contact this month.',
      coachingQuestions: ['Who signs, and when did we last speak to them?'],
    }),
  ],
  'Id. Decision Makers': [
    m({
      key: 'economic_buyer_engaged',
      action: 'Engage the economic buyer',
      label: 'Economic buyer identified and engaged',
      rule: { kind: 'all', rules: [{ kind: 'contactRoles', roles: DECISION_ROLES, atLeast: 1 }, { kind: 'executive', window: 30 }] },
      weight: 3,
      guidance: 'Name the economic buyer in the contact roles and meet them; a champion is not a buyer.',
      coachingQuestions: ['Who can say yes when everyone else says no?', 'What does the economic buyer need to believe?'],
    }),
    nextStepSet,
  ],
  'Perception Analysis': [
    m({
      key: 'champion_confirmed',
      action: 'Confirm a champion',
      label: 'Champion confirmed',
      rule: { kind: 'all', rules: [{ kind: 'contactRoles', roles: ['Executive Sponsor', 'Influencer', 'Decision Maker'], atLeast: 1 }, { kind: 'stakeholders', atLeast: 3, window: 30 }] },
      weight: 2,
      attestable: true,
      guidance: 'Confirm a champion who sells for you when you are not there, and keep three or more people engaged.',
      coachingQuestions: ['What has your champion done for this deal that cost them something?'],
    }),
    nextStepSet,
  ],
  'Proposal/Price Quote': [
    m({
      key: 'proposal_reviewed',
      action: 'Review the proposal with the buyer',
      label: 'Proposal reviewed with the buyer',
      rule: { kind: 'all', rules: [{ kind: 'activity', types: ['meeting'], atLeast: 1, window: 21 }, { kind: 'executive', window: 30 }] },
      weight: 3,
      guidance: 'Walk the decision maker through the proposal in a meeting, rather than sending it and waiting.',
      coachingQuestions: ['What did the buyer say when they saw the price?', 'Which objections are still open?'],
    }),
    nextStepSet,
  ],
  'Negotiation/Review': [
    m({
      key: 'close_plan_agreed',
      action: 'Agree a close plan',
      label: 'Close plan agreed with the customer',
      rule: { kind: 'attested' },
      weight: 2,
      attestable: true,
      guidance: 'Agree a dated close plan with the customer (legal, procurement, signature) and attest it with the plan in the note.',
      coachingQuestions: ['What could still delay signature, and what is our plan for it?'],
    }),
    m({
      key: 'economic_buyer_current',
      action: 'Re-engage the economic buyer',
      label: 'Economic buyer engaged in the last 3 weeks',
      rule: { kind: 'executive', window: 21 },
      weight: 2,
      guidance: 'Keep the economic buyer close through the negotiation: a conversation in the last three weeks.',
    }),
    nextStepSet,
  ],
};

export const DEFAULT_PLAYBOOK_INPUT: PlaybookInput = {
  version: 1,
  processes: [
    {
      name: STANDARD_PROCESS,
      default: true,
      executiveFromStage: 'Value Proposition',
      multiThreadFromStage: 'Needs Analysis',
      stages: STANDARD_STAGES.map((s) => ({ name: s.name, closed: s.closed, won: s.won, gate: { milestones: GATES[s.name] ?? [] } })),
    },
  ],
};

export const DEFAULT_PLAYBOOK: Playbook = Playbook.parse(DEFAULT_PLAYBOOK_INPUT);
