// Org analytics for the API and the preview: stage conversion, milestone backtest, ramp cohorts and the team behaviour
// heat map (competency × rep, from scoreReps), all from one read of the org as of one moment. Pure over its inputs;
// analytics-worker.ts runs it off the request thread because reading the whole org takes seconds.
import { milestoneBacktest, rampReport, stageConversion, RAMP_LABELS, RAMP_MILESTONES, type BacktestReport, type ConversionReport, type RampReport } from '../../../shared/src/engine/analytics.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { playbookEffect, type MilestoneEffect } from '../../../shared/src/engine/playbook-effect.ts';
import { scoreReps } from '../../../shared/src/engine/reps.ts';
import { COMPETENCIES, COMPETENCY_LABELS } from '../../../shared/src/engine/signals.ts';
import type { OrgSnapshot } from '../../../shared/src/model.ts';
import type { Playbook } from '../../../shared/src/playbook/schema.ts';

export interface HeatmapRep {
  repId: string;
  name: string;
  peerGroup: string;
  composite: number;
  /** Competency key → score 0–100 against peers. */
  scores: Record<string, number>;
  diagnosis: string;
}

export interface Heatmap {
  asOf: string;
  competencies: { key: string; label: string }[];
  /** Reps grouped by manager (a team), teams and reps by name. */
  teams: { managerId: string | null; manager: string; reps: HeatmapRep[]; medians: Record<string, number | null> }[];
}

export interface OrgAnalytics {
  asOf: string;
  computedMs: number;
  conversion: { asOf: string; processes: ConversionReport[] };
  backtest: BacktestReport;
  ramp: RampReport & { asOf: string; milestones: { key: string; label: string }[] };
  heatmap: Heatmap;
  /** Open deals meeting each milestone today (the gate records' Share_Open_Deals_Met__c). */
  effect: MilestoneEffect[];
}

const medianOf = (values: number[]): number | null => {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const heatmapOf = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string, index = buildOrgIndex(snapshot)): Heatmap => {
  const cards = scoreReps({ snapshot, playbook, asOf, index });
  const names = new Map(snapshot.users.map((u) => [u.id, u.name]));
  const teams = new Map<string | null, HeatmapRep[]>();
  for (const card of cards) {
    const rep: HeatmapRep = {
      repId: card.repId,
      name: card.repName,
      peerGroup: card.peerGroup.name,
      composite: Math.round(card.composite),
      scores: Object.fromEntries(card.competencies.map((c) => [c.key, Math.round(c.score)])),
      diagnosis: card.diagnosis.kind,
    };
    teams.set(card.managerId, [...(teams.get(card.managerId) ?? []), rep]);
  }
  return {
    asOf,
    competencies: COMPETENCIES.map((key) => ({ key, label: COMPETENCY_LABELS[key] })),
    teams: [...teams.entries()]
      .map(([managerId, reps]) => ({
        managerId,
        manager: managerId ? (names.get(managerId) ?? managerId) : 'No manager',
        reps: reps.sort((a, b) => a.name.localeCompare(b.name)),
        medians: Object.fromEntries(COMPETENCIES.map((key) => [key, medianOf(reps.map((r) => r.scores[key]).filter((v): v is number => v !== undefined))])),
      }))
      .sort((a, b) => a.manager.localeCompare(b.manager)),
  };
};

export const computeAnalytics = (snapshot: OrgSnapshot, playbook: Playbook, asOf: string): OrgAnalytics => {
  const started = Date.now();
  const index = buildOrgIndex(snapshot);
  return {
    asOf,
    conversion: { asOf, processes: stageConversion(snapshot, playbook, asOf, index) },
    backtest: milestoneBacktest(snapshot, playbook, asOf, index),
    ramp: { asOf, milestones: RAMP_MILESTONES.map((key) => ({ key, label: RAMP_LABELS[key] })), ...rampReport(snapshot, playbook, asOf, index) },
    heatmap: heatmapOf(snapshot, playbook, asOf, index),
    effect: playbookEffect(snapshot, playbook, asOf, index),
    computedMs: Date.now() - started,
  };
};
