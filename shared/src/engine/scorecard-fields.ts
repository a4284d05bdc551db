// A rep's scorecard as the fields Stagecraft writes: the User fields of ARCHITECTURE.md §4 and one Rep_Scorecard__c
// per rep per weekly period, whose Score_Breakdown__c JSON the scorecard component renders.
import { REP_SCORECARD_FIELDS as C, USER_FIELDS as U, type FieldValue } from '../fields.ts';
import type { RepScorecard } from './reps.ts';
import type { Attainment } from './quarter.ts';
import { DAY_MS } from './time.ts';

export const BREAKDOWN_VERSION = 1;

/** The ISO week of an instant: "2026-W47", and its Monday. Weeks start on Monday; week 1 holds 4 January. */
export const isoWeek = (ms: number): { period: string; start: string } => {
  const weekday = (d: number): number => (new Date(d * DAY_MS).getUTCDay() + 6) % 7; // Monday = 0
  const day = Math.floor(ms / DAY_MS);
  const monday = day - weekday(day);
  // The ISO year is the year of the week's Thursday.
  const year = new Date((monday + 3) * DAY_MS).getUTCFullYear();
  const jan4 = Math.floor(Date.UTC(year, 0, 4) / DAY_MS);
  const week = 1 + Math.floor((monday - (jan4 - weekday(jan4))) / 7);
  return { period: `${year}-W${String(week).padStart(2, '0')}`, start: new Date(monday * DAY_MS).toISOString().slice(0, 10) };
};

const score = (card: RepScorecard, key: RepScorecard['competencies'][number]['key']): number => Math.round(card.competencies.find((c) => c.key === key)!.score);

const focusLine = (card: RepScorecard): string => `${card.focus.behaviour}`.slice(0, 255);

export const userFieldValues = (card: RepScorecard, asOf: string): Record<string, FieldValue> => ({
  [U.behaviourScore.name]: Math.round(card.composite),
  [U.pipelineScore.name]: score(card, 'pipeline'),
  [U.accountCoverageScore.name]: score(card, 'accountCoverage'),
  [U.discoveryScore.name]: score(card, 'discovery'),
  [U.stakeholderEngagementScore.name]: score(card, 'stakeholderEngagement'),
  [U.executiveAccessScore.name]: score(card, 'executiveAccess'),
  [U.growthScore.name]: score(card, 'growth'),
  [U.coachingDiagnosis.name]: card.diagnosis.kind,
  [U.coachingFocus.name]: focusLine(card),
  [U.scoresAsOf.name]: asOf,
});

export interface TrendPoint {
  period: string;
  score: number;
}

/** The Score_Breakdown__c document (version 1): every score with the signals, peer medians and records behind it. */
export const breakdown = (card: RepScorecard, asOf: string, trend: TrendPoint[], attainment: Attainment | null = null, coaching: Record<string, unknown> | null = null): Record<string, unknown> => ({
  v: BREAKDOWN_VERSION,
  asOf,
  peerGroup: card.peerGroup,
  composite: Math.round(card.composite),
  competencies: card.competencies.map((c) => ({
    key: c.key,
    label: c.label,
    score: Math.round(c.score),
    peerMedian: c.peerMedian === null ? null : Math.round(c.peerMedian),
    signals: c.signals.map((s) => ({ key: s.key, label: s.label, value: s.value, unit: s.unit, peerMedian: s.peerMedian, weight: s.weight, contribution: s.contribution, recordIds: s.recordIds.slice(0, 10) })),
  })),
  trend: trend.slice(-12),
  diagnosis: card.diagnosis,
  focus: card.focus,
  flags: card.flags,
  comparisons: card.comparisons,
  attainment,
  // The coaching loop's view of the rep (peer to learn from, inspection coverage): the team page renders it.
  ...(coaching ? { coaching } : {}),
});

/** The Rep_Scorecard__c values of one rep for the period containing asOf; keyed for upsert by Scorecard_Key__c. */
export const scorecardValues = (card: RepScorecard, asOf: string, trend: TrendPoint[], current: boolean, attainment: Attainment | null = null, coaching: Record<string, unknown> | null = null): { key: string; values: Record<string, FieldValue> } => {
  const { period, start } = isoWeek(Date.parse(asOf));
  const key = `${card.repId}:${period}`;
  return {
    key,
    values: {
      [C.name.name]: `${card.repName} — ${period}`.slice(0, 80),
      [C.key.name]: key,
      [C.rep.name]: card.repId,
      [C.manager.name]: card.managerId,
      [C.period.name]: period,
      [C.periodStart.name]: start,
      [C.isCurrent.name]: current,
      [C.peerGroup.name]: card.peerGroup.name.slice(0, 80),
      [C.behaviourScore.name]: Math.round(card.composite),
      [C.pipelineScore.name]: score(card, 'pipeline'),
      [C.accountCoverageScore.name]: score(card, 'accountCoverage'),
      [C.discoveryScore.name]: score(card, 'discovery'),
      [C.stakeholderEngagementScore.name]: score(card, 'stakeholderEngagement'),
      [C.executiveAccessScore.name]: score(card, 'executiveAccess'),
      [C.growthScore.name]: score(card, 'growth'),
      [C.executiveAccessPeerMedian.name]: Math.round(card.competencies.find((c) => c.key === 'executiveAccess')!.peerMedian ?? 0),
      [C.coachingDiagnosis.name]: card.diagnosis.kind,
      [C.coachingFocus.name]: focusLine(card),
      [C.scoreBreakdown.name]: JSON.stringify(breakdown(card, asOf, [...trend, { period, score: Math.round(card.composite) }], attainment, coaching)),
      [C.scoresAsOf.name]: asOf,
    },
  };
};

/** A scorecard the CRM already holds (its period and composite feed the trend). */
export interface StoredPeriod {
  key: string;
  repId: string;
  period: string;
  periodStart: string;
  behaviourScore: number | null;
  isCurrent: boolean;
}

export interface ScorecardRecords {
  /** User fields and Rep_Scorecard__c upserts (by key), ready for the planner. */
  records: { object: 'User' | 'Rep_Scorecard__c'; id: string; values: Record<string, FieldValue> }[];
}

/**
 * What to write for this period's scorecards: the User fields, this period's Rep_Scorecard__c (current), and the
 * previous current period turned into history. `backfill` holds scorecards computed as of past weeks for reps with no
 * history yet, so a trend exists from the first sync.
 */
export const planScorecards = (
  cards: readonly RepScorecard[],
  asOf: string,
  stored: readonly StoredPeriod[],
  backfill: ReadonlyMap<string, { asOf: string; card: RepScorecard }[]> = new Map(),
  attainmentOf: (repId: string) => Attainment | null = () => null,
  coachingOf: (repId: string) => Record<string, unknown> | null = () => null,
): ScorecardRecords => {
  const records: ScorecardRecords['records'] = [];
  const { period } = isoWeek(Date.parse(asOf));
  for (const card of cards) {
    const history = stored.filter((s) => s.repId === card.repId && s.period !== period && s.behaviourScore !== null).sort((a, b) => a.periodStart.localeCompare(b.periodStart));
    const trend: TrendPoint[] = history.map((h) => ({ period: h.period, score: h.behaviourScore! }));
    for (const past of backfill.get(card.repId) ?? []) {
      const card0 = scorecardValues(past.card, past.asOf, [...trend], false);
      records.push({ object: 'Rep_Scorecard__c', id: card0.key, values: card0.values });
      trend.push({ period: String(card0.values.Period__c), score: Math.round(past.card.composite) });
    }
    const current = scorecardValues(card, asOf, trend, true, attainmentOf(card.repId), coachingOf(card.repId));
    records.push({ object: 'User', id: card.repId, values: userFieldValues(card, asOf) });
    records.push({ object: 'Rep_Scorecard__c', id: current.key, values: current.values });
    for (const old of stored.filter((s) => s.repId === card.repId && s.isCurrent && s.key !== current.key)) {
      records.push({ object: 'Rep_Scorecard__c', id: old.key, values: { Is_Current__c: false } });
    }
  }
  return { records };
};

/** Each rep's past composites, oldest first, from the stored scorecards (for the growth signal). */
export const pastComposites = (stored: readonly StoredPeriod[], asOf: string): Map<string, number[]> => {
  const { period } = isoWeek(Date.parse(asOf));
  const byRep = new Map<string, StoredPeriod[]>();
  for (const s of stored) if (s.period !== period && s.behaviourScore !== null) byRep.set(s.repId, [...(byRep.get(s.repId) ?? []), s]);
  return new Map([...byRep].map(([rep, list]) => [rep, list.sort((a, b) => a.periodStart.localeCompare(b.periodStart)).map((s) => s.behaviourScore!)]));
};
