import { describe, expect, it } from 'vitest';
import { Activity, Opportunity, OrgSnapshot, emptySnapshot } from '../../../shared/src/model.ts';
import { Checklist } from '../../../shared/src/checklist.ts';

describe('the neutral model', () => {
  it('When an opportunity has the required fields, then it parses and optional ones default', () => {
    const deal = Opportunity.parse({ id: '006A', name: 'Acme', stage: 'Qualification', createdDate: '2026-01-02T03:04:05.000Z', isClosed: false, isWon: false });
    expect(deal.nextStep).toBeUndefined();
  });

  it('When CreatedDate is not an instant, then the path names the field', () => {
    const result = Opportunity.safeParse({ id: '006A', name: 'Acme', stage: 'Qualification', createdDate: '02/23/26', isClosed: false, isWon: false });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['createdDate']);
  });

  it('When an activity is a task with a calendar date or a meeting with an instant, then both parse', () => {
    expect(Activity.parse({ id: 'T', kind: 'task', date: '2026-03-01', status: 'open' }).contactIds).toEqual([]);
    expect(Activity.parse({ id: 'E', kind: 'meeting', date: '2026-03-01T09:30:00.000Z', status: 'done' }).kind).toBe('meeting');
  });

  it('When an activity kind or call duration is invalid, then it is rejected', () => {
    expect(Activity.safeParse({ id: 'T', kind: 'fax', date: '2026-03-01', status: 'done' }).success).toBe(false);
    expect(Activity.safeParse({ id: 'T', kind: 'call', date: '2026-03-01', status: 'done', callDurationSeconds: -4 }).success).toBe(false);
  });

  it('When a snapshot is empty, then it is still a valid snapshot', () => {
    expect(OrgSnapshot.parse(emptySnapshot()).opportunities).toEqual([]);
  });

  it('When a checklist has a newer version, then the v1 schema rejects it', () => {
    const base = { asOf: '2026-03-01T00:00:00.000Z', salesProcess: 'Standard', stage: 'Qualification', stages: [], gate: { status: 'Met', met: 1, required: 1, score: 100 }, milestones: [], riskFlags: [], nextBestAction: null };
    expect(Checklist.safeParse({ v: 1, ...base }).success).toBe(true);
    expect(Checklist.safeParse({ v: 2, ...base }).success).toBe(false);
  });
});
