// The settings page: the gates per stage, which milestones predict wins, the stage conversion, and editing which
// milestones are required (checked against today's open deals, then saved), as the companion reports and accepts them.
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, ErrorState, Heading, List, TableCell, TableRow, Tag, Text, Toggle } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { GateDesigner, type ReplaceAnswer } from '../../settings/GateDesigner.tsx';
import { BACKTEST, CONVERSION, PLAYBOOK } from './fixtures.ts';

type Init = { method?: 'GET' | 'POST' | 'PUT'; body?: Record<string, unknown> };

const EFFECT: ReplaceAnswer = {
  ok: true, saved: false,
  effect: [
    { process: 'New business', stage: 'Discovery', key: 'pain', label: 'Pain confirmed', required: true, deals: 40, meeting: 12, share: 30 },
    { process: 'New business', stage: 'Discovery', key: 'champion', label: 'Champion named', required: true, deals: 40, meeting: 31, share: 77.5 },
    { process: 'New business', stage: 'Discovery', key: 'discount', label: 'Discount agreed', required: true, deals: 0, meeting: 0, share: null },
  ],
  warnings: ['Discount agreed goes with losing in this history; requiring it may hold back deals that win'],
};
const CHAMPION = 'required-New business/Discovery/champion';

const answers = (path: string): unknown => (path === '/api/playbook' ? PLAYBOOK : path === '/api/analytics/backtest' ? BACKTEST : CONVERSION);
const rendered = (answer: (path: string, init?: Init) => unknown = answers) => {
  const request = vi.fn(async (path: string, init?: Init) => answer(path, init));
  const r = createRenderer('settings');
  r.render(<GateDesigner request={request} />);
  return { r, request };
};
const texts = (r: ReturnType<typeof createRenderer>): string[] => r.findAll(Text).map((t) => t.text ?? '');
/** The cells of the milestone's row, as their texts and tags: label / verdict, (toggle), win rates, lift, signal. */
const row = (r: ReturnType<typeof createRenderer>, label: string): string[] => {
  const found = r.findAll(TableRow).find((tr) => tr.findAll(Text)[0]?.text === label);
  if (!found) throw new Error(`no row for ${label}`);
  return found.findAll(TableCell).map((c) => [...c.findAll(Text), ...c.findAll(Tag)].map((t) => t.text ?? '').join(' / '));
};
const buttons = (r: ReturnType<typeof createRenderer>): string[] => r.findAll(Button).map((b) => b.text ?? '');
const withChampionRequired = () => {
  const expected = structuredClone(PLAYBOOK.playbook);
  expected.processes[0]!.stages[0]!.gate.milestones[1]!.required = true;
  return expected;
};

describe('gate designer and analytics (settings page)', () => {
  it('When the playbook has gates, then each open stage lists its milestones with a Required toggle, with the win rate', async () => {
    const { r, request } = rendered();
    await r.waitFor(() => expect(r.find(Heading).text).toBe('New business'));
    expect(request).toHaveBeenCalledWith('/api/playbook');
    expect(request).toHaveBeenCalledWith('/api/analytics/conversion');
    expect(request).toHaveBeenCalledWith('/api/analytics/backtest');
    expect(r.findAll(Toggle).map((t) => `${t.props.testId}:${t.props.checked}`)).toEqual([
      'required-New business/Discovery/pain:true', `${CHAMPION}:false`, 'required-New business/Discovery/discount:true',
    ]);
    const lines = texts(r);
    expect(lines).toContain('Win rate 27 %');
    expect(lines).toContain('No gate');
    expect(lines).toContain('Deals that reach Negotiation win 65 % instead of 27 %');
    expect(r.getRootNode().toString()).not.toContain('Closed Won');
    expect(r.maybeFind(Button)).toBeNull(); // nothing changed yet: nothing to check or save
  });

  it('When the backtest has judged the milestones, then each row shows win rates, lift and whether it predicts wins or goes with losses', async () => {
    const { r } = rendered();
    await r.waitFor(() => expect(r.find(Heading).text).toBe('New business'));
    expect(row(r, 'Pain confirmed')).toEqual(['Pain confirmed / predicts wins (judged at close): 63 % when met, 18 % when missed', '', '63 % vs 18 %', '3.44×', 'Predicts wins']);
    expect(row(r, 'Champion named').slice(2)).toEqual(['67 % vs 0 %', 'too few deals to tell (met 3, missed 2)', '']);
    expect(row(r, 'Discount agreed').slice(3)).toEqual(['0.27× (goes with losing; missing it goes with winning: 3.75×)', 'Goes with losses']);
    expect(r.findAll(Tag).map((t) => `${t.text}:${t.props.variant}`)).toEqual(['Predicts wins:success', 'Goes with losses:warning']);
    expect(r.findAll(Text).filter((t) => t.props.testId === 'backtest-message').map((t) => t.text)).toEqual(['Which milestones predict wins: No stage history: 62 closed deals judged on their final values at close.']);
    expect(r.findByTestId(Text, 'judged-today').text).toContain('Discount__c');
  });

  it('When the admin makes a milestone required and checks the effect, then the whole draft is sent as a dry run and its effect and warnings shown', async () => {
    const { r, request } = rendered((path, init) => (init?.method === 'PUT' ? EFFECT : answers(path)));
    await r.waitFor(() => expect(r.findByTestId(Toggle, CHAMPION)).toBeTruthy());
    r.findByTestId(Toggle, CHAMPION).trigger('onChange', true as never); // the typings take the handler's type, the runtime its argument
    await r.waitFor(() => expect(buttons(r)).toEqual(['Check the effect', 'Save', 'Discard changes']));
    expect(r.findByTestId(Toggle, CHAMPION).props.checked).toBe(true);
    r.findByTestId(Button, 'check').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(List, 'effect')).not.toBeNull());
    expect(request).toHaveBeenCalledWith('/api/playbook?dryRun=true', { method: 'PUT', body: withChampionRequired() });
    expect(r.findByTestId(List, 'effect').findAll(Text).map((t) => t.text)).toEqual([
      'Pain confirmed (Discovery): 12 of 40 open deals meet it',
      'Champion named (Discovery): 31 of 40 open deals meet it',
      'Discount agreed (Discovery): no open deal is in the stage',
    ]);
    expect(r.findByTestId(Alert, 'warnings').props.variant).toBe('warning');
    expect(r.findByTestId(Alert, 'warnings').findAll(Text).map((t) => t.text)).toEqual(EFFECT.warnings);
    expect(buttons(r)).toEqual(['Check the effect', 'Save', 'Discard changes']); // a check saves nothing
  });

  it('When the admin saves the draft, then it is sent for real, the page says it is in force and there is nothing left to save', async () => {
    const { r, request } = rendered((path, init) => (init?.method === 'PUT' ? { ...EFFECT, saved: true, warnings: [] } : answers(path)));
    await r.waitFor(() => expect(r.findByTestId(Toggle, CHAMPION)).toBeTruthy());
    r.findByTestId(Toggle, CHAMPION).trigger('onChange', true as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'save')).toBeTruthy());
    r.findByTestId(Button, 'save').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'saved')).not.toBeNull());
    expect(request).toHaveBeenCalledWith('/api/playbook?dryRun=false', { method: 'PUT', body: withChampionRequired() });
    expect(r.findByTestId(Alert, 'saved').props.variant).toBe('success');
    expect(r.findByTestId(Alert, 'saved').text).toContain('Saved: the gates are in force from the next sync');
    expect(r.maybeFind(Button)).toBeNull();
    expect(r.findByTestId(Toggle, CHAMPION).props.checked).toBe(true);
    // The backtest is asked again: the companion recomputes it under the saved playbook.
    await r.waitFor(() => expect(request.mock.calls.filter(([path]) => path === '/api/analytics/backtest')).toHaveLength(2));
  });

  it('When the companion refuses the save, then its message is shown and the draft is kept to fix or retry', async () => {
    const { r, request } = rendered((path, init) => {
      if (init?.method === 'PUT') throw new Error('processes[0].stages[0].gate.milestones[1].key: duplicate');
      return answers(path);
    });
    await r.waitFor(() => expect(r.findByTestId(Toggle, CHAMPION)).toBeTruthy());
    r.findByTestId(Toggle, CHAMPION).trigger('onChange', true as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'save')).toBeTruthy());
    r.findByTestId(Button, 'save').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'refused')).not.toBeNull());
    expect(request).toHaveBeenCalledWith('/api/playbook?dryRun=false', { method: 'PUT', body: withChampionRequired() });
    expect(r.findByTestId(Alert, 'refused').props.variant).toBe('danger');
    expect(r.findByTestId(Alert, 'refused').text).toContain('processes[0].stages[0].gate.milestones[1].key: duplicate');
    expect(r.maybeFindByTestId(Alert, 'saved')).toBeNull();
    expect(r.findByTestId(Toggle, CHAMPION).props.checked).toBe(true);
    expect(buttons(r)).toEqual(['Check the effect', 'Save', 'Discard changes']);
    expect(r.findByTestId(Button, 'save').props.disabled).toBe(false);
  });

  it('When the admin discards the changes, then the loaded gates are back and nothing is sent', async () => {
    const { r, request } = rendered();
    await r.waitFor(() => expect(r.findByTestId(Toggle, CHAMPION)).toBeTruthy());
    r.findByTestId(Toggle, CHAMPION).trigger('onChange', true as never);
    r.findByTestId(Toggle, 'required-New business/Discovery/pain').trigger('onChange', false as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'discard')).toBeTruthy());
    r.findByTestId(Button, 'discard').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFind(Button)).toBeNull());
    expect(r.findAll(Toggle).map((t) => t.props.checked)).toEqual([true, false, true]);
    expect(request).toHaveBeenCalledTimes(3);
    expect(request.mock.calls.every(([, init]) => init === undefined)).toBe(true);
  });

  it('When toggling a milestone back, then the draft equals the loaded playbook and there is nothing to save', async () => {
    const { r } = rendered();
    await r.waitFor(() => expect(r.findByTestId(Toggle, CHAMPION)).toBeTruthy());
    r.findByTestId(Toggle, CHAMPION).trigger('onChange', true as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'save')).toBeTruthy());
    r.findByTestId(Toggle, CHAMPION).trigger('onChange', false as never);
    await r.waitFor(() => expect(r.maybeFind(Button)).toBeNull());
  });

  it('When only the backtest fails, then the designer still shows the gates and one line says the backtest could not be computed', async () => {
    const { r } = rendered((path) => {
      if (path === '/api/analytics/backtest') throw new Error('Stagecraft answered 500');
      return answers(path);
    });
    await r.waitFor(() => expect(r.find(Heading).text).toBe('New business'));
    expect(r.maybeFind(ErrorState)).toBeNull();
    expect(r.findAll(Toggle)).toHaveLength(3);
    expect(texts(r).filter((t) => t.includes('backtest could not be computed'))).toEqual(['The backtest could not be computed (Stagecraft answered 500); the gates can still be edited.']);
    expect(row(r, 'Pain confirmed').slice(2)).toEqual(['—', '—', '']);
    expect(r.maybeFindByTestId(Text, 'backtest-message')).toBeNull();
  });

  it('When the playbook defines no process, then the page shows the empty state', async () => {
    const { r } = rendered((path) => (path === '/api/playbook' ? { source: 'x', playbook: { processes: [] } } : path === '/api/analytics/backtest' ? { ...BACKTEST, milestones: [] } : { asOf: '', processes: [] }));
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No sales process'));
  });

  it('When the analytics are not computed yet, then the page says so instead of a rate', async () => {
    const { r } = rendered((path) => (path === '/api/playbook' ? PLAYBOOK : path === '/api/analytics/backtest' ? BACKTEST : { asOf: '', processes: [] }));
    await r.waitFor(() => expect(texts(r)).toContain('No analytics yet'));
  });

  it('When the companion refuses, then the page shows the error', async () => {
    const { r } = rendered(() => { throw new Error('a valid bearer token is required'); });
    await r.waitFor(() => expect(r.find(ErrorState)).toBeTruthy());
    expect(texts(r)).toContain('a valid bearer token is required');
  });
});
