// The rep scorecard and the manager's team view, rendered from the companion's answers.
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Button, DescriptionListItem, EmptyState, ErrorState, StatisticsItem, Table, TableCell, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { RepScorecard, type Scorecard, type Team } from '../RepScorecard.tsx';

const REP = '77001234';
const card = (scores: Record<string, number | null>): Scorecard => ({ userId: REP, name: 'Sam Patel', title: 'Account Executive', scores, openDeals: { count: 7, executiveEngaged: 3, averageStakeholders: 2.4 } });
const team = (members: Team['members']): Team => ({ manager: { Id: REP, Name: 'Sam Patel' }, members });

const rendered = (scorecard: Scorecard, t: Team, fail?: string) => {
  const request = vi.fn(async (path: string) => {
    if (fail) throw new Error(fail);
    return path.endsWith('/scorecard') ? scorecard : t;
  });
  const r = createRenderer('crm.record.sidebar');
  r.render(<RepScorecard repId={REP} request={request} />);
  return { r, request };
};

describe('rep scorecard card', () => {
  it('When the rep has scores, then each score is listed as the companion gave it, with the open-deal context', async () => {
    const { r, request } = rendered(card({ Behaviour_Score__c: 71.5, Multithreading_Score__c: 64, Executive_Access_Score__c: null }), team([]));
    await r.waitFor(() => expect(r.findAll(DescriptionListItem)).toHaveLength(3));
    expect(request).toHaveBeenCalledWith(`/api/users/${REP}/scorecard`);
    expect(r.findAll(DescriptionListItem).map((i) => `${i.props.label}=${i.find(Text).text}`)).toEqual(['Behaviour Score=71.5', 'Multithreading Score=64', 'Executive Access Score=—']);
    expect(r.getRootNode().toString()).toContain('"7"');
    expect(r.maybeFind(Table)).toBeNull();
  });

  it('When a HubSpot portal companion gives no open-deal context, then the scores show without it', async () => {
    const { r } = rendered({ ...card({ Behaviour_Score__c: 58 }), openDeals: null }, team([]));
    await r.waitFor(() => expect(r.findAll(DescriptionListItem)).toHaveLength(1));
    expect(r.findAll(StatisticsItem)).toHaveLength(0);
  });

  it('When the rep has no scores yet, then the card shows the empty state', async () => {
    const { r } = rendered(card({ Behaviour_Score__c: null }), team([]));
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No scorecard yet'));
  });

  it('When the user manages a team, then the team view lists each rep with their score and its change', async () => {
    const { r } = rendered(card({ Behaviour_Score__c: 80 }), team([
      { Id: 'r1', Name: 'Ana Lopez', Title: null, scores: { Behaviour_Score__c: 55 }, change: -4.5 },
      { Id: 'r2', Name: 'Ben Cho', Title: null, scores: { Behaviour_Score__c: null }, change: null },
    ]));
    await r.waitFor(() => expect(r.findByTestId(Table, 'team')).toBeTruthy());
    expect(r.findAll(TableCell).map((c) => c.text)).toEqual(['Ana Lopez', '55', '-4.5', 'Ben Cho', '—', '—']);
  });

  it('When the companion refuses, then the card shows its error and a retry', async () => {
    const { r } = rendered(card({}), team([]), 'User 77001234 not found');
    await r.waitFor(() => expect(r.find(ErrorState)).toBeTruthy());
    expect(r.findAll(Text).map((t) => t.text)).toContain('User 77001234 not found');
    expect(r.find(Button).text).toBe('Try again');
  });
});
