// Stage gates: evaluate a gate's milestones for a deal at a moment, and walk the deal's path to see which gates it
// passed with their milestones met and which it skipped.
import type { EvidenceItem, ChecklistStage } from '../checklist.ts';
import type { Milestone, SalesProcess, Settings, Stage } from '../playbook/schema.ts';
import type { OrgIndex } from './org-index.ts';
import { attestationEvidence, evaluateRule, latestAttestation, ruleMet, type DealRecords } from './rules.ts';
import type { StageEntry } from './stage.ts';
import { dayOfMs } from './time.ts';

export interface MilestoneResult {
  milestone: Milestone;
  status: 'met' | 'attested' | 'missing';
  evidence: EvidenceItem[];
  shortfall: string;
}

export interface GateResult {
  stage: Stage;
  milestones: MilestoneResult[];
  requiredMet: number;
  required: number;
  /** Weighted share of all the gate's milestones met (attested counts), 0–100. An empty gate scores 100. */
  score: number;
  allRequiredMet: boolean;
}

type Lookups = Pick<OrgIndex, 'contactsById' | 'executiveContactIds' | 'contactsByAccount'>;

export const evaluateGate = (stage: Stage, deal: DealRecords, index: Lookups, settings: Settings, atMs: number, stageEnteredMs: number): GateResult => {
  const milestones = stage.gate.milestones.map((milestone): MilestoneResult => {
    const outcome = evaluateRule(milestone.rule, { deal, index, settings, atMs, atDay: dayOfMs(atMs), stageEnteredMs, milestoneKey: milestone.key });
    if (outcome.met) return { milestone, status: 'met', evidence: outcome.evidence, shortfall: '' };
    // What data cannot show, the rep may vouch for, with a note: it counts, and says it is an attestation.
    const attestation = milestone.attestable ? latestAttestation(deal.attestations, milestone.key, atMs) : undefined;
    if (attestation) return { milestone, status: 'attested', evidence: [attestationEvidence(attestation)], shortfall: '' };
    return { milestone, status: 'missing', evidence: [], shortfall: outcome.shortfall };
  });
  const required = milestones.filter((m) => m.milestone.required);
  const requiredMet = required.filter((m) => m.status !== 'missing').length;
  const totalWeight = milestones.reduce((s, m) => s + m.milestone.weight, 0);
  const metWeight = milestones.filter((m) => m.status !== 'missing').reduce((s, m) => s + m.milestone.weight, 0);
  return {
    stage,
    milestones,
    requiredMet,
    required: required.length,
    score: totalWeight > 0 ? Math.round((metWeight / totalWeight) * 1000) / 10 : 100,
    allRequiredMet: requiredMet === required.length,
  };
};

/** Each milestone's verdict only (met by data or attested), for judging many gates fast. */
export const milestoneVerdicts = (stage: Stage, deal: DealRecords, index: Lookups, settings: Settings, atMs: number, stageEnteredMs: number): { milestone: Milestone; met: boolean }[] =>
  stage.gate.milestones.map((milestone) => {
    const ctx = { deal, index, settings, atMs, atDay: dayOfMs(atMs), stageEnteredMs, milestoneKey: milestone.key };
    const met = ruleMet(milestone.rule, ctx) || (milestone.attestable && latestAttestation(deal.attestations, milestone.key, atMs) !== undefined);
    return { milestone, met };
  });

/** Were all of the gate's required milestones met at that moment? */
export const gatePassed = (stage: Stage, deal: DealRecords, index: Lookups, settings: Settings, atMs: number, stageEnteredMs: number): boolean =>
  stage.gate.milestones.every((milestone) => {
    if (!milestone.required) return true;
    const ctx = { deal, index, settings, atMs, atDay: dayOfMs(atMs), stageEnteredMs, milestoneKey: milestone.key };
    return ruleMet(milestone.rule, ctx) || (milestone.attestable && latestAttestation(deal.attestations, milestone.key, atMs) !== undefined);
  });

export interface PathResult {
  /** The open stages of the process in order, each passed, skipped, current or upcoming. */
  stages: ChecklistStage[];
  /** Stages whose gate was unmet when the deal moved past them (at that time). */
  skipped: { stage: Stage; atMs: number }[];
}

/**
 * Walks the deal's stage entries up to asOf. Each forward move passes the gates of the stage it left and of any stage
 * it jumped over; a gate whose required milestones were not all met at that moment was skipped. A deal created
 * directly in a later stage is given the benefit of the doubt for the stages before it (nothing was seen to skip).
 */
export const walkPath = (process: SalesProcess, entries: readonly StageEntry[], current: string, deal: DealRecords, index: Lookups, settings: Settings): PathResult => {
  const order = new Map(process.stages.map((s, i) => [s.name, i]));
  const openStages = process.stages.filter((s) => !s.closed);
  const skippedAt = new Map<string, number>();
  for (let i = 0; i + 1 < entries.length; i++) {
    const from = order.get(entries[i]!.stage);
    const to = order.get(entries[i + 1]!.stage);
    if (from === undefined || to === undefined || to <= from) continue;
    const movedAt = entries[i + 1]!.ms;
    for (let s = from; s < to; s++) {
      const stage = process.stages[s]!;
      if (stage.closed) continue;
      if (gatePassed(stage, deal, index, settings, movedAt - 1, s === from ? entries[i]!.ms : movedAt)) skippedAt.delete(stage.name);
      else skippedAt.set(stage.name, movedAt);
    }
  }
  const currentOrder = order.get(current) ?? -1;
  const stages = openStages.map((stage): ChecklistStage => {
    const o = order.get(stage.name)!;
    if (stage.name === current) return { name: stage.name, state: 'current' };
    if (o > currentOrder) return { name: stage.name, state: 'upcoming' };
    return { name: stage.name, state: skippedAt.has(stage.name) ? 'skipped' : 'passed' };
  });
  const skipped = [...skippedAt].filter(([name]) => (order.get(name) ?? 0) < currentOrder).map(([name, atMs]) => ({ stage: process.stages[order.get(name)!]!, atMs }));
  return { stages, skipped };
};
