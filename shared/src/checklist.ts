// The gate checklist: the JSON the companion writes to Opportunity.Gate_Checklist__c and the record-page component
// (`stageGateMilestones`) renders. Versioned: the component checks `v` and says so when it meets a newer schema.
import { z } from 'zod';
import { GATE_STATUSES, RISK_FLAGS } from './fields.ts';

export const CHECKLIST_VERSION = 1;

export const EvidenceItem = z.object({
  /** What kind of record proves it. */
  kind: z.enum(['activity', 'contactRole', 'contact', 'field', 'attestation', 'stageHistory']),
  /** The record's id, so the component can link to it. Null for a field on the deal itself. */
  recordId: z.string().nullable(),
  /** When the evidence happened (ISO date or instant), when it has a date. */
  date: z.string().nullable(),
  /** One human line: "Meeting with Dana Ruiz (VP Finance)", "NextStep: Security review on 3 March". */
  label: z.string(),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const ChecklistMilestone = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
  weight: z.number(),
  /** `met` by data, `attested` by the rep (counts as met), or `missing`. */
  status: z.enum(['met', 'attested', 'missing']),
  evidence: z.array(EvidenceItem),
  /** For the rep: what to do to meet it. Made specific to the deal when missing. */
  guidance: z.string(),
  /** For the manager: questions to ask in a deal review. */
  coachingQuestions: z.array(z.string()),
  /** Whether the rep may attest it by hand. */
  attestable: z.boolean(),
});
export type ChecklistMilestone = z.infer<typeof ChecklistMilestone>;

export const ChecklistStage = z.object({
  name: z.string(),
  /** `passed`: left with its gate met; `skipped`: left with its gate unmet at the time; `current`; `upcoming`. */
  state: z.enum(['passed', 'skipped', 'current', 'upcoming']),
});
export type ChecklistStage = z.infer<typeof ChecklistStage>;

export const Checklist = z.object({
  v: z.literal(CHECKLIST_VERSION),
  asOf: z.string(),
  salesProcess: z.string(),
  stage: z.string(),
  /** The path: every open stage of the process in order, with its gate's state. */
  stages: z.array(ChecklistStage),
  gate: z.object({
    status: z.enum(GATE_STATUSES),
    met: z.number().int(),
    required: z.number().int(),
    score: z.number(),
  }),
  milestones: z.array(ChecklistMilestone),
  riskFlags: z.array(z.enum(RISK_FLAGS)),
  nextBestAction: z.string().nullable(),
  /**
   * Optional (added within v1): the win probability and what moves it — each factor's contribution in points against
   * a typical deal at this stage. Absent before the first sync that computed one; `percent` null while the org has too
   * few closed deals, with the reason in `message`.
   */
  winProbability: z.object({
    percent: z.number().nullable(),
    stageBaseline: z.number().nullable(),
    message: z.string().optional(),
    factors: z.array(z.object({ key: z.string(), label: z.string(), value: z.number(), contribution: z.number() })),
  }).optional(),
});
export type Checklist = z.infer<typeof Checklist>;
