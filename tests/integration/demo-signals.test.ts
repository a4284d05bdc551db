// The signals on the embedded demo org. Every rep: the scorecard's headline never says more than its evidence ("No
// concern: at or above par" only above a behaviour score within BELOW_PAR_POINTS of the peers and results within
// chance; a cause only with its own headline). Every risk flag: raised only when its backtest shows it predicts losses.
import { mkdirSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoOrg } from '../../server/src/crm/embedded/demo/generate.ts';
import { readMaven } from '../../server/src/crm/embedded/demo/maven.ts';
import { DEMO_DATA_DIR } from '../../server/src/crm/embedded/demo/seed.ts';
import { mapSalesforceRecords } from '../../server/src/crm/salesforce-shape.ts';
import { computeOrgIndicators, type DealIndicators } from '../../shared/src/engine/opportunity.ts';
import { flagBacktest, keepRaisedFlags, raisedFlags, type FlagBacktestReport } from '../../shared/src/engine/flag-backtest.ts';
import type { OrgSnapshot } from '../../shared/src/model.ts';
import { withWinProbabilities, winForecast } from '../../shared/src/engine/win-probability.ts';
import { buildOrgIndex, type OrgIndex } from '../../shared/src/engine/org-index.ts';
import { BELOW_PAR_POINTS, HEADLINES, scoreReps, type RepScorecard } from '../../shared/src/engine/reps.ts';
import { median } from '../../shared/src/engine/stats.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';

const TODAY = new Date('2026-11-23T09:00:00Z');
let cards: RepScorecard[];
let snapshot: OrgSnapshot;
let index: OrgIndex;
let deals: DealIndicators[];
const asOf = TODAY.toISOString();

beforeAll(() => {
  const { org } = generateDemoOrg(readMaven(DEMO_DATA_DIR), TODAY);
  ({ snapshot } = mapSalesforceRecords(org, asOf));
  index = buildOrgIndex(snapshot);
  ({ deals } = computeOrgIndicators(snapshot, DEFAULT_PLAYBOOK, asOf, index));
  cards = scoreReps({ snapshot, playbook: DEFAULT_PLAYBOOK, asOf, deals, index });
}, 400_000);

describe('the demo org\'s diagnoses', () => {
  it('When every demo rep is scored, then no headline contradicts its evidence', () => {
    expect(cards.length).toBeGreaterThanOrEqual(30);
    const byId = new Map(cards.map((c) => [c.repId, c]));
    const rows = cards.map((c) => {
      const peerMedian = median(cards.filter((p) => p.peerGroup.name === c.peerGroup.name).map((p) => p.composite))!;
      return { rep: c.repName, kind: c.diagnosis.kind, headline: c.diagnosis.headline, composite: c.composite, peerMedian, evidence: c.diagnosis.evidence };
    });
    mkdirSync('test-output/demo', { recursive: true });
    writeFileSync('test-output/demo/diagnoses.json', `${JSON.stringify(rows, null, 2)}\n`);
    for (const row of rows) {
      expect(row.headline, row.rep).toBeDefined();
      if (row.kind !== 'None') expect(row.headline, row.rep).toBe(HEADLINES[row.kind]);
      const text = row.evidence.join(' ');
      if (row.headline === HEADLINES.atPar) {
        expect(row.composite, row.rep).toBeGreaterThanOrEqual(row.peerMedian - BELOW_PAR_POINTS);
        expect(text, row.rep).not.toMatch(/below|behind|fell/i);
        for (const line of row.evidence.filter((l) => l.startsWith('Win rate'))) expect(line, row.rep).toMatch(/within chance$/);
      }
      if (/^Below peers/.test(text) || row.composite < row.peerMedian - BELOW_PAR_POINTS) expect(row.headline, row.rep).not.toBe(HEADLINES.atPar);
    }
    expect(byId.size).toBe(cards.length);
  });
});

describe('the demo org\'s risk flags', () => {
  let report: FlagBacktestReport;
  beforeAll(() => {
    report = flagBacktest(snapshot, DEFAULT_PLAYBOOK, asOf, index, deals);
    mkdirSync('test-output/demo', { recursive: true });
    writeFileSync('test-output/demo/flags.json', `${JSON.stringify(report, null, 2)}\n`);
  }, 60_000);

  it('When each flag is backtested, then every raised flag predicts losses (lift below 1, its 95 % interval too) and every other one says it does not', () => {
    expect(report.enoughHistory).toBe(true);
    for (const f of report.flags) {
      if (f.raised) {
        expect(f.lift!, f.flag).toBeLessThan(1);
        expect(f.interval!.high, f.flag).toBeLessThan(1);
      } else {
        expect(f.verdict, f.flag).toMatch(/does not predict|too few judgements/);
      }
    }
    expect(report.flags.filter((f) => f.raised).length).toBeGreaterThan(0);
  });

  it('When flags are written, then no flag that does not predict is on any deal, and none covers more than half the open deals unless it predicts', () => {
    const written = keepRaisedFlags(deals, raisedFlags(report));
    for (const f of report.flags) {
      const share = written.filter((d) => d.riskFlags.includes(f.flag)).length / written.length;
      if (!f.raised) expect(share, f.flag).toBe(0);
      if (share > 0.5) expect(f.predictive, f.flag).toBe(true);
    }
    // The Stalled threshold comes from the org's won deals and is shown per stage.
    for (const days of Object.values(report.stallThresholds)) expect(days).toBeGreaterThanOrEqual(14);
  });
});

describe('the demo org\'s win probability', () => {
  it('When the model is fitted on the demo\'s closed deals, then every open deal gets a 0–100 probability with its factors, and held out it beats the base rate', () => {
    const { result, deals: withWin } = withWinProbabilities(snapshot, DEFAULT_PLAYBOOK, asOf, deals, index);
    expect(result.ok).toBe(true);
    for (const d of withWin.filter((x) => x.checklist)) {
      expect(d.winProbability).toBeGreaterThanOrEqual(0);
      expect(d.winProbability).toBeLessThanOrEqual(100);
      expect(d.checklist!.winProbability!.factors).toHaveLength(6);
    }
    const probability = new Map(withWin.map((d) => [d.opportunityId, d.winProbability ?? null]));
    const forecast = winForecast(snapshot, DEFAULT_PLAYBOOK, asOf, (id) => probability.get(id), index);
    mkdirSync('test-output/demo', { recursive: true });
    writeFileSync('test-output/demo/win-probability.json', `${JSON.stringify(forecast, null, 2)}\n`);
    expect(forecast.calibration.improvement!).toBeGreaterThan(0);
    expect(forecast.quarterExpectedWon!).toBeLessThanOrEqual(forecast.quarterPipeline);
  }, 120_000);
});

