// The settings page: the gates per stage and the stage-conversion analytics, as the companion reports them.
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { EmptyState, ErrorState, Heading, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { GateDesigner, type ConversionView, type PlaybookView } from '../../settings/GateDesigner.tsx';

const PLAYBOOK: PlaybookView = {
  source: 'data/playbook.json',
  playbook: { processes: [{ name: 'New business', stages: [
    { name: 'Discovery', gate: { milestones: [{ key: 'pain', label: 'Pain confirmed', required: true }, { key: 'champion', label: 'Champion named', required: false }] } },
    { name: 'Negotiation', gate: { milestones: [] } },
    { name: 'Closed Won', closed: true, gate: { milestones: [] } },
  ] }] },
};
const CONVERSION: ConversionView = { asOf: '2026-12-07', processes: [{ process: 'New business', overallWinRate: 0.27, message: '', headlines: ['Deals that reach Negotiation win 65 % instead of 27 %'] }] };

const rendered = (answer: (path: string) => unknown) => {
  const request = vi.fn(async (path: string) => answer(path));
  const r = createRenderer('settings');
  r.render(<GateDesigner request={request} />);
  return r;
};

describe('gate designer and analytics (settings page)', () => {
  it('When the playbook has gates, then each open stage lists its milestones, optional ones marked, with the win rate', async () => {
    const r = rendered((path) => (path === '/api/playbook' ? PLAYBOOK : CONVERSION));
    await r.waitFor(() => expect(r.find(Heading).text).toBe('New business'));
    expect(r.findAll(Tag).map((t) => `${t.text}:${t.props.variant}`)).toEqual(['Pain confirmed:default', 'Champion named:info']);
    const lines = r.findAll(Text).map((t) => t.text);
    expect(lines).toContain('Win rate 27 %');
    expect(lines).toContain('No gate');
    expect(lines).toContain('Deals that reach Negotiation win 65 % instead of 27 %');
    expect(r.getRootNode().toString()).not.toContain('Closed Won');
  });

  it('When the playbook defines no process, then the page shows the empty state', async () => {
    const r = rendered((path) => (path === '/api/playbook' ? { source: 'x', playbook: { processes: [] } } : { asOf: '', processes: [] }));
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No sales process'));
  });

  it('When the analytics are not computed yet, then the page says so instead of a rate', async () => {
    const r = rendered((path) => (path === '/api/playbook' ? PLAYBOOK : { asOf: '', processes: [] }));
    await r.waitFor(() => expect(r.findAll(Text).map((t) => t.text)).toContain('No analytics yet'));
  });

  it('When the companion refuses, then the page shows the error', async () => {
    const r = rendered(() => { throw new Error('a valid bearer token is required'); });
    await r.waitFor(() => expect(r.find(ErrorState)).toBeTruthy());
    expect(r.findAll(Text).map((t) => t.text)).toContain('a valid bearer token is required');
  });
});
