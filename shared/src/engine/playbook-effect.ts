// What a playbook would do to today's pipeline, before an admin saves it: for every milestone of every open stage,
// how many of the open deals now in that stage meet it.
import type { OrgSnapshot } from '../model.ts';
import { processFor, type Playbook } from '../playbook/schema.ts';
import { evaluateGate } from './gates.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import { isTracked } from './opportunity.ts';
import { dealRecords } from './rules.ts';
import { stagePosition } from './stage.ts';
import { toMs } from './time.ts';

export interface MilestoneEffect {
  process: string;
  stage: string;
  key: string;
  label: string;
  required: boolean;
  /** Open deals in the stage, and how many of them meet the milestone (attested counts). */
  deals: number;
  meeting: number;
  share: number | null;
}

export const playbookEffect = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index: OrgIndex = buildOrgIndex(snapshot)): MilestoneEffect[] => {
  const asOfMs = toMs(asOf);
  const tally = new Map<string, MilestoneEffect>();
  for (const process of playbook.processes) {
    for (const stage of process.stages) {
      for (const m of stage.gate.milestones) tally.set(`${process.name}|${stage.name}|${m.key}`, { process: process.name, stage: stage.name, key: m.key, label: m.label, required: m.required, deals: 0, meeting: 0, share: null });
    }
  }
  for (const opportunity of snapshot.opportunities) {
    if (!isTracked(opportunity, asOfMs)) continue;
    const deal = dealRecords(opportunity, index);
    const { process } = processFor(playbook, opportunity.salesProcess);
    const position = stagePosition(opportunity, deal.history, asOfMs);
    const stage = process.stages.find((s) => s.name === position.stage);
    if (!stage || stage.closed) continue;
    const gate = evaluateGate(stage, deal, index, playbook.settings, asOfMs, position.enteredMs);
    for (const m of gate.milestones) {
      const row = tally.get(`${process.name}|${stage.name}|${m.milestone.key}`)!;
      row.deals++;
      if (m.status !== 'missing') row.meeting++;
    }
  }
  return [...tally.values()].map((row) => ({ ...row, share: row.deals ? Math.round((row.meeting / row.deals) * 1000) / 10 : null }));
};
