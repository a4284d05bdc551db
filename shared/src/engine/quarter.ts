// The quarter view of a rep: attainment shown beside how it was made (self-generated vs inherited revenue, pipeline
// built for the next two quarters, behaviour scores), and the quarterly review's "what they actually did", filled from
// the measured behaviours. "110 % vs 85 % — who is really performing better?"
import type { OrgSnapshot } from '../model.ts';
import type { RepScorecard } from './reps.ts';
import { SIGNAL_BY_KEY } from './signals.ts';
import { round } from './stats.ts';
import { toMs } from './time.ts';

/** "2026-Q4" of an instant, with its first and last day. */
export const quarterOf = (ms: number): { quarter: string; start: string; end: string } => {
  const d = new Date(ms);
  const q = Math.floor(d.getUTCMonth() / 3);
  const start = new Date(Date.UTC(d.getUTCFullYear(), q * 3, 1));
  const end = new Date(Date.UTC(d.getUTCFullYear(), q * 3 + 3, 0));
  return { quarter: `${d.getUTCFullYear()}-Q${q + 1}`, start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
};

export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

export const quarterBounds = (quarter: string): { startMs: number; endMs: number } | null => {
  const m = QUARTER_PATTERN.exec(quarter);
  if (!m) return null;
  const year = Number(m[1]);
  const q = Number(m[2]) - 1;
  return { startMs: Date.UTC(year, q * 3, 1), endMs: Date.UTC(year, q * 3 + 3, 1) - 1 };
};

export interface Attainment {
  quarter: string;
  quota: number | null;
  won: number;
  /** Won revenue on deals the rep created, and on deals someone else created (inherited). */
  selfGenerated: number;
  inherited: number;
  attainment: number | null;
  /** Open pipeline created this quarter that closes in the next two quarters: the future the rep is building. */
  pipelineBuilt: number;
  /** A high attainment built on inherited pipeline with no new pipeline is a warning, not a verdict. */
  warning: string | null;
}

export const attainment = (snapshot: OrgSnapshot, repId: string, quarter: string, quota: number | null, asOf: string): Attainment | null => {
  const bounds = quarterBounds(quarter);
  if (!bounds) return null;
  const asOfMs = toMs(asOf);
  const nextEnd = Date.UTC(new Date(bounds.endMs).getUTCFullYear(), new Date(bounds.endMs).getUTCMonth() + 7, 1) - 1;
  let selfGenerated = 0;
  let inherited = 0;
  let pipelineBuilt = 0;
  for (const o of snapshot.opportunities) {
    if (o.ownerId !== repId) continue;
    const close = o.closeDate ? toMs(o.closeDate) : Number.NaN;
    if (o.isWon && close >= bounds.startMs && close <= Math.min(bounds.endMs, asOfMs)) {
      if (o.createdById && o.createdById !== repId) inherited += o.amount ?? 0;
      else selfGenerated += o.amount ?? 0;
    }
    const created = toMs(o.createdDate);
    if (!o.isClosed && created >= bounds.startMs && created <= Math.min(bounds.endMs, asOfMs) && close > bounds.endMs && close <= nextEnd) pipelineBuilt += o.amount ?? 0;
  }
  const won = selfGenerated + inherited;
  const ratio = quota ? won / quota : null;
  const warning = ratio !== null && ratio >= 1 && inherited > selfGenerated && pipelineBuilt === 0 ? 'At or above quota on mostly inherited revenue, with no new pipeline for the next two quarters' : null;
  return { quarter, quota, won, selfGenerated, inherited, attainment: ratio === null ? null : round(ratio * 100, 1), pipelineBuilt, warning };
};

export interface Objective {
  text: string;
  /** A measured signal (a key of SIGNALS) and its target, when the objective is measurable. */
  signal?: string | null;
  target?: number | null;
}

export interface MeasuredActual {
  signal: string;
  label: string;
  value: number | null;
  target: number | null;
  met: boolean | null;
}

/** The objectives JSON an admin or rep wrote; anything unreadable is ignored rather than failing the sync. */
export const parseObjectives = (json: string | null | undefined): Objective[] => {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((o): o is Objective => !!o && typeof o === 'object' && typeof (o as Objective).text === 'string') : [];
  } catch {
    return [];
  }
};

/**
 * "What they actually did": each measurable objective's signal as measured, against its target; then the six
 * competency scores, so the review starts from facts.
 */
export const measuredActuals = (card: RepScorecard, objectives: readonly Objective[]): MeasuredActual[] => {
  const fromObjectives = objectives
    .filter((o) => o.signal && SIGNAL_BY_KEY.has(o.signal))
    .map((o): MeasuredActual => {
      const value = card.raw.values[o.signal!] ?? null;
      const target = o.target ?? null;
      return { signal: o.signal!, label: SIGNAL_BY_KEY.get(o.signal!)!.label, value: value === null ? null : round(value, 1), target, met: value === null || target === null ? null : value >= target };
    });
  const scores = card.competencies.map((c): MeasuredActual => ({ signal: c.key, label: `${c.label} score`, value: Math.round(c.score), target: c.peerMedian === null ? null : Math.round(c.peerMedian), met: c.peerMedian === null ? null : c.score >= c.peerMedian }));
  return [...fromObjectives, ...scores];
};
