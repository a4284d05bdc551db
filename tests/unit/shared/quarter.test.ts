// Attainment in context and the quarterly review's measured actuals.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attainment, measuredActuals, parseObjectives, quarterOf } from '../../../shared/src/engine/quarter.ts';
import { scoreReps } from '../../../shared/src/engine/reps.ts';
import type { Opportunity } from '../../../shared/src/model.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { QuotaError, readQuotaFile, resolveQuotas } from '../../../server/src/quotas.ts';
import { AS_OF, buildRepOrg } from '../../support/rep-org.ts';
import { tempDir } from '../../support/org-files.ts';

const deal = (o: Partial<Opportunity>): Opportunity => ({ id: Math.random().toString(36).slice(2), name: 'd', stage: 'Closed Won', createdDate: '2026-01-10T00:00:00.000Z', isClosed: true, isWon: true, ownerId: 'R', ...o });

describe('attainment in context', () => {
  it('When a quarter is named, then it has the right bounds', () => {
    expect(quarterOf(Date.parse('2026-11-23T10:00:00Z'))).toEqual({ quarter: '2026-Q4', start: '2026-10-01', end: '2026-12-31' });
  });

  it('When a rep beat quota on inherited deals and built no pipeline, then attainment comes with a warning', () => {
    const snapshot = { ...buildRepOrg([]), opportunities: [
      deal({ amount: 80_000, closeDate: '2026-05-10', createdById: 'SDR' }),
      deal({ amount: 30_000, closeDate: '2026-06-01', createdById: 'R' }),
      deal({ amount: 50_000, closeDate: '2026-03-01', createdById: 'R' }), // last quarter: not counted
    ] };
    expect(attainment(snapshot, 'R', '2026-Q2', 100_000, AS_OF)).toEqual({
      quarter: '2026-Q2', quota: 100_000, won: 110_000, selfGenerated: 30_000, inherited: 80_000, attainment: 110, pipelineBuilt: 0,
      warning: 'At or above quota on mostly inherited revenue, with no new pipeline for the next two quarters',
    });
  });

  it('When a rep is under quota but built pipeline for the next two quarters, then no warning, and the pipeline is shown', () => {
    const snapshot = { ...buildRepOrg([]), opportunities: [
      deal({ amount: 85_000, closeDate: '2026-05-10', createdById: 'R' }),
      deal({ amount: 200_000, isClosed: false, isWon: false, stage: 'Proposal/Price Quote', createdDate: '2026-05-01T00:00:00.000Z', closeDate: '2026-10-15', createdById: 'R' }),
    ] };
    expect(attainment(snapshot, 'R', '2026-Q2', 100_000, AS_OF)).toMatchObject({ attainment: 85, pipelineBuilt: 200_000, warning: null });
  });

  it('When there is no quota, then attainment is unknown but revenue is still split', () => {
    const snapshot = { ...buildRepOrg([]), opportunities: [deal({ amount: 10, closeDate: '2026-05-10' })] };
    expect(attainment(snapshot, 'R', '2026-Q2', null, AS_OF)).toMatchObject({ attainment: null, won: 10 });
  });
});

describe('quotas.csv', () => {
  it('When rows name users by email or name, then quotas resolve to user ids; an unknown user is an error with its line', () => {
    const dir = tempDir('quotas');
    writeFileSync(join(dir, 'quotas.csv'), 'User,Quarter,Quota\nrep@x.example,2026-Q4,100000\nRep Two,2026-Q4,50000\n');
    const rows = readQuotaFile(dir);
    const users = [{ id: 'U1', name: 'Rep One', email: 'rep@x.example', isActive: true }, { id: 'U2', name: 'Rep Two', isActive: true }];
    expect(resolveQuotas(rows, users)).toEqual(new Map([['U1', new Map([['2026-Q4', 100_000]])], ['U2', new Map([['2026-Q4', 50_000]])]]));
    expect(() => resolveQuotas([{ line: 7, user: 'nobody', quarter: '2026-Q4', quota: 1 }], users)).toThrow('quotas.csv, line 7, column User: no user "nobody" in the org');
  });

  it('When a quarter or amount is malformed, then the error names the line and column', () => {
    const dir = tempDir('quotas');
    writeFileSync(join(dir, 'quotas.csv'), 'User,Quarter,Quota\nrep@x.example,Q4 2026,100000\n');
    expect(() => readQuotaFile(dir)).toThrow(new QuotaError('quotas.csv, line 2, column Quarter: "Q4 2026" is not a quarter like 2026-Q4'));
    writeFileSync(join(dir, 'quotas.csv'), 'User,Quarter,Quota\nrep@x.example,2026-Q4,-5\n');
    expect(() => readQuotaFile(dir)).toThrow(/line 2, column Quota/);
  });
});

describe('quarterly review actuals', () => {
  it('When objectives name measured signals, then the actuals carry the measured value against the target, then the six scores', () => {
    const cards = scoreReps({ snapshot: buildRepOrg(Array.from({ length: 3 }, (_, i) => ({ id: `R${i}`, calls: 5, closed: 5, won: 2, open: 4, threads: 3 }))), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    const objectives = parseObjectives(JSON.stringify([{ text: 'Multi-thread', signal: 'multiThreadedShare', target: 70 }, { text: 'Be curious' }, { text: 'x', signal: 'made_up', target: 1 }]));
    const actuals = measuredActuals(cards[0]!, objectives);
    expect(actuals[0]).toEqual({ signal: 'multiThreadedShare', label: 'Deals engaging two or more people', value: 100, target: 70, met: true });
    expect(actuals.slice(1).map((a) => a.signal)).toEqual(['pipeline', 'accountCoverage', 'discovery', 'stakeholderEngagement', 'executiveAccess', 'growth']);
  });

  it('When the objectives are not valid JSON, then they are ignored, not fatal', () => {
    expect(parseObjectives('{not json')).toEqual([]);
  });
});
