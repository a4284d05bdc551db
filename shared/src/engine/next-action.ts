// The next best action: one sentence, the most valuable missing milestone made specific to this deal.
// Order of value: an earlier gate the deal skipped and still has not met; the current gate's required milestones,
// heaviest first; its optional ones; then, with the gate met, advancing the deal.
import type { GateResult, MilestoneResult } from './gates.ts';

export const NEXT_BEST_ACTION_LENGTH = 255;

const sentence = (m: MilestoneResult): string => `${m.milestone.action ?? m.milestone.label}: ${m.shortfall || m.milestone.guidance}`;

const clip = (text: string): string => (text.length <= NEXT_BEST_ACTION_LENGTH ? text : `${text.slice(0, NEXT_BEST_ACTION_LENGTH - 1)}…`);

const heaviestMissing = (gate: GateResult, required: boolean): MilestoneResult | undefined =>
  gate.milestones.filter((m) => m.status === 'missing' && m.milestone.required === required).sort((a, b) => b.milestone.weight - a.milestone.weight)[0];

export const nextBestAction = (current: GateResult | null, skippedGates: readonly GateResult[], nextStage: string | null): string | null => {
  for (const gate of skippedGates) {
    const missing = heaviestMissing(gate, true);
    if (missing) return clip(`${sentence(missing)} (skipped at ${gate.stage.name})`);
  }
  if (!current) return null;
  const missing = heaviestMissing(current, true) ?? heaviestMissing(current, false);
  if (missing) return clip(sentence(missing));
  return nextStage ? clip(`Advance to ${nextStage}: every exit milestone of ${current.stage.name} is met`) : null;
};
