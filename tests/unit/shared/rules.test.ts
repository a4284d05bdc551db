// Every evidence rule kind at its boundaries: just under, at, just over; data after the moment is never seen.
import { describe, expect, it } from 'vitest';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { dealRecords, evaluateRule } from '../../../shared/src/engine/rules.ts';
import type { Activity, Attestation, ContactRole, Opportunity } from '../../../shared/src/model.ts';
import { Settings, type Rule } from '../../../shared/src/playbook/schema.ts';
import { AS_OF, buildActivity, buildContact, buildDeal, buildHistory, buildRole, buildSnapshot, dateBefore, daysBefore } from '../../support/builders.ts';

const settings = Settings.parse({});
const vp = buildContact({ name: 'Dana Ruiz', title: 'VP Finance', accountId: '001000000000001AAA' });
const analyst = buildContact({ name: 'Sam Chen', title: 'Financial Analyst', accountId: '001000000000001AAA' });
const cfo = buildContact({ name: 'Lee Park', title: 'CFO', accountId: '001000000000001AAA' });

interface Setup {
  deal?: Partial<Opportunity>;
  activities?: (dealId: string) => Activity[];
  roles?: (dealId: string) => ContactRole[];
  attestations?: (dealId: string) => Attestation[];
  history?: (dealId: string) => ReturnType<typeof buildHistory>[];
  at?: string;
  stageEnteredDaysAgo?: number;
}

const evaluate = (rule: Rule, s: Setup = {}) => {
  const deal = buildDeal({ accountId: '001000000000001AAA', ...s.deal });
  const snapshot = buildSnapshot({
    opportunities: [deal],
    contacts: [vp, analyst, cfo],
    activities: s.activities?.(deal.id) ?? [],
    contactRoles: s.roles?.(deal.id) ?? [],
    attestations: s.attestations?.(deal.id) ?? [],
    stageHistory: s.history?.(deal.id) ?? [],
  });
  const index = buildOrgIndex(snapshot);
  const atMs = Date.parse(s.at ?? AS_OF);
  return evaluateRule(rule, {
    deal: dealRecords(deal, index), index, settings, atMs, atDay: Math.floor(atMs / 86_400_000),
    stageEnteredMs: Date.parse(daysBefore(s.stageEnteredDaysAgo ?? 10)), milestoneKey: 'm1',
  });
};

const call = (dealId: string, daysAgo: number, seconds: number, connected: boolean, contactIds = [analyst.id]) =>
  buildActivity({ opportunityId: dealId, kind: 'call', date: dateBefore(daysAgo), callDurationSeconds: seconds, callConnected: connected, contactIds });
const meeting = (dealId: string, daysAgo: number, contactIds = [analyst.id]) => buildActivity({ opportunityId: dealId, kind: 'meeting', date: daysBefore(daysAgo, '10:00:00.000'), contactIds });

describe('field rules', () => {
  it.each([
    [{ op: 'present' }, { Amount: 0 }, true],
    [{ op: 'present' }, { Amount: null }, false],
    [{ op: 'gte', value: 1000 }, { Amount: 999 }, false],
    [{ op: 'gte', value: 1000 }, { Amount: 1000 }, true],
    [{ op: 'lte', value: 1000 }, { Amount: 1001 }, false],
    [{ op: 'lte', value: 1000 }, { Amount: 1000 }, true],
  ] as const)('When Amount %j is tested against %j, then met is %s', (op, { Amount }, met) => {
    expect(evaluate({ kind: 'field', field: 'Amount', ...op } as Rule, { deal: { amount: Amount } }).met).toBe(met);
  });

  it('When a text field equals or is in a set (case-insensitive), then it is met; otherwise the shortfall says what it is', () => {
    expect(evaluate({ kind: 'field', field: 'LeadSource', op: 'equals', value: 'web' }, { deal: { leadSource: 'Web' } }).met).toBe(true);
    expect(evaluate({ kind: 'field', field: 'LeadSource', op: 'in', values: ['Partner', 'Web'] }, { deal: { leadSource: 'Web' } }).met).toBe(true);
    const miss = evaluate({ kind: 'field', field: 'LeadSource', op: 'in', values: ['Partner', 'Event'] }, { deal: { leadSource: 'Web' } });
    expect(miss).toMatchObject({ met: false, shortfall: 'LeadSource is Web, not Partner or Event' });
  });

  it('When a custom field is named, then it is read from the CRM\'s custom fields', () => {
    expect(evaluate({ kind: 'field', field: 'Decision_Criteria__c', op: 'present' }, { deal: { customFields: { Decision_Criteria__c: 'TCO, uptime' } } }).met).toBe(true);
    expect(evaluate({ kind: 'field', field: 'Decision_Criteria__c', op: 'present' }).shortfall).toBe('Decision_Criteria__c is empty');
  });

  it('When the close date moved after the deal entered its stage, then "changed" is met; before the entry, not', () => {
    const history = (id: string) => [
      { ...buildHistory(id, 'Qualification', daysBefore(20)), closeDate: '2026-05-01' },
      { ...buildHistory(id, 'Needs Analysis', daysBefore(10)), closeDate: '2026-05-01' },
      { ...buildHistory(id, 'Needs Analysis', daysBefore(3)), closeDate: '2026-06-01' },
    ];
    expect(evaluate({ kind: 'field', field: 'CloseDate', op: 'changed' }, { deal: { closeDate: '2026-06-01' }, history, stageEnteredDaysAgo: 10 }).met).toBe(true);
    expect(evaluate({ kind: 'field', field: 'CloseDate', op: 'changed' }, { deal: { closeDate: '2026-06-01' }, history, stageEnteredDaysAgo: 10, at: daysBefore(5) }).met).toBe(false);
  });
});

describe('contact roles', () => {
  const rule: Rule = { kind: 'contactRoles', roles: ['Economic Buyer', 'Decision Maker'], atLeast: 2 };
  it('When one of two needed roles is filled, then it is not met and says so', () => {
    expect(evaluate(rule, { roles: (id) => [buildRole(id, vp.id, 'Economic Buyer'), buildRole(id, analyst.id, 'Evaluator')] })).toMatchObject({ met: false, shortfall: '1 contact in the roles Economic Buyer or Decision Maker, 2 needed' });
  });
  it('When two different people hold the roles, then it is met with both as evidence', () => {
    const result = evaluate(rule, { roles: (id) => [buildRole(id, vp.id, 'economic buyer'), buildRole(id, cfo.id, 'Decision Maker')] });
    expect(result.met).toBe(true);
    expect(result.evidence.map((e) => e.label)).toEqual(['Dana Ruiz (VP Finance): economic buyer', 'Lee Park (CFO): Decision Maker']);
  });
  it('When the same person holds both roles, then they count once', () => {
    expect(evaluate(rule, { roles: (id) => [buildRole(id, vp.id, 'Economic Buyer'), buildRole(id, vp.id, 'Decision Maker')] }).met).toBe(false);
  });
  it('When a role was added after the moment evaluated, then it does not count', () => {
    const roles = (id: string) => [{ ...buildRole(id, vp.id, 'Economic Buyer'), createdDate: daysBefore(-1) }, buildRole(id, cfo.id, 'Decision Maker')];
    expect(evaluate(rule, { roles }).met).toBe(false);
  });
});

describe('stakeholders and executive engagement', () => {
  it.each([
    [14, true],
    [15, false],
  ])('When the second contact was engaged %i days ago in a 14-day window, then met is %s', (daysAgo, met) => {
    const activities = (id: string) => [call(id, 1, 300, true, [analyst.id]), meeting(id, daysAgo, [cfo.id])];
    expect(evaluate({ kind: 'stakeholders', atLeast: 2, window: 14 }, { activities }).met).toBe(met);
  });

  it('When the executive was last engaged 41 days ago, then the shortfall names them and how long ago', () => {
    const activities = (id: string) => [meeting(id, 41, [vp.id])];
    expect(evaluate({ kind: 'executive', window: 30 }, { activities }).shortfall).toBe('no director-level contact in 30 days; Dana Ruiz (VP Finance) was last engaged 41 days ago');
  });

  it('When no executive was ever engaged, then the shortfall points at one on the account', () => {
    expect(evaluate({ kind: 'executive', window: 30 }).shortfall).toBe('no director-level contact in 30 days; Dana Ruiz (VP Finance) is on the account and has not been engaged');
  });

  it('When an executive meeting is exactly 30 days back, then executive access is met', () => {
    expect(evaluate({ kind: 'executive', window: 30 }, { activities: (id) => [meeting(id, 30, [cfo.id])] }).met).toBe(true);
  });
});

describe('activity and meaningful conversations', () => {
  it('When 2 meetings are needed and there is 1 plus a call, then it is not met: calls are not meetings', () => {
    const activities = (id: string) => [meeting(id, 3), call(id, 2, 600, true)];
    expect(evaluate({ kind: 'activity', types: ['meeting'], atLeast: 2, window: 30 }, { activities })).toMatchObject({ met: false, shortfall: '1 of 2 meetings in 30 days' });
  });

  it.each([
    [119, true, false],
    [120, true, true],
    [900, false, false],
  ])('When a call lasted %i s (connected: %s), then it is a meaningful conversation: %s', (seconds, connected, met) => {
    expect(evaluate({ kind: 'meaningfulConversation', atLeast: 1, window: 30 }, { activities: (id) => [call(id, 2, seconds, connected)] }).met).toBe(met);
  });

  it('When many calls never connect, then the shortfall says effort is not progress', () => {
    const activities = (id: string) => [call(id, 1, 5, false), call(id, 2, 0, false), call(id, 3, 20, false)];
    expect(evaluate({ kind: 'meaningfulConversation', atLeast: 1, window: 30 }, { activities }).shortfall).toBe('0 of 1 meaningful conversation in 30 days (3 calls, none connected for 2+ minutes)');
  });

  it('When a meeting has a contact, then it is a meaningful conversation; a meeting with nobody recorded is not', () => {
    expect(evaluate({ kind: 'meaningfulConversation', atLeast: 1, window: 30 }, { activities: (id) => [meeting(id, 4)] }).met).toBe(true);
    expect(evaluate({ kind: 'meaningfulConversation', atLeast: 1, window: 30 }, { activities: (id) => [meeting(id, 4, [])] }).met).toBe(false);
  });

  it('When a per-rule minimum is set, then it overrides the playbook setting', () => {
    expect(evaluate({ kind: 'meaningfulConversation', atLeast: 1, window: 30, minCallSeconds: 600 }, { activities: (id) => [call(id, 2, 300, true)] }).met).toBe(false);
  });
});

describe('next step and attestations', () => {
  it('When the next step is written but nothing is on the calendar, then the shortfall says so', () => {
    expect(evaluate({ kind: 'nextStep' }, { deal: { nextStep: 'Send proposal' } }).shortfall).toBe('nothing is on the calendar after today');
    expect(evaluate({ kind: 'nextStep' }).shortfall).toBe('Next Step is empty');
  });

  it('When an attestation exists for the milestone before the moment, then it is met with the note as evidence; after, not', () => {
    const attest = (at: string) => (id: string): Attestation[] => [{ id: 'a0A000000000001AAA', opportunityId: id, milestoneKey: 'm1', note: 'CFO confirmed the targets', attestedAt: at }];
    const met = evaluate({ kind: 'attested' }, { attestations: attest(daysBefore(2)) });
    expect(met).toMatchObject({ met: true, evidence: [{ kind: 'attestation', label: 'Attested: CFO confirmed the targets' }] });
    expect(evaluate({ kind: 'attested' }, { attestations: attest(daysBefore(-1)) }).met).toBe(false);
  });
});

describe('all / any', () => {
  const both: Rule = { kind: 'all', rules: [{ kind: 'activity', types: ['meeting'], atLeast: 1, window: 30 }, { kind: 'executive', window: 30 }] };
  it('When only one half of an "all" holds, then it is not met and only the missing half is named', () => {
    expect(evaluate(both, { activities: (id) => [meeting(id, 3, [analyst.id])] }).shortfall).toBe('no director-level contact in 30 days; Dana Ruiz (VP Finance) is on the account and has not been engaged');
  });
  it('When either side of an "any" holds, then it is met', () => {
    expect(evaluate({ kind: 'any', rules: [{ kind: 'attested' }, { kind: 'activity', types: ['meeting'], atLeast: 1, window: 30 }] }, { activities: (id) => [meeting(id, 3)] }).met).toBe(true);
  });
});
