// Salesforce's standard opportunity sales process: the stages every new org ships with, in order, with their default
// probabilities. The demo org uses it, and the default playbook gates it.

export const STANDARD_PROCESS = 'Standard';

export interface StandardStage {
  name: string;
  probability: number;
  closed: boolean;
  won: boolean;
}

export const STANDARD_STAGES: readonly StandardStage[] = [
  { name: 'Prospecting', probability: 10, closed: false, won: false },
  { name: 'Qualification', probability: 10, closed: false, won: false },
  { name: 'Needs Analysis', probability: 20, closed: false, won: false },
  { name: 'Value Proposition', probability: 50, closed: false, won: false },
  { name: 'Id. Decision Makers', probability: 60, closed: false, won: false },
  { name: 'Perception Analysis', probability: 70, closed: false, won: false },
  { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { name: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { name: 'Closed Won', probability: 100, closed: true, won: true },
  { name: 'Closed Lost', probability: 0, closed: true, won: false },
];

export const STANDARD_OPEN_STAGES = STANDARD_STAGES.filter((s) => !s.closed).map((s) => s.name);
