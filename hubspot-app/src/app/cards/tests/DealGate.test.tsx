// The deal card through HubSpot's own test renderer: what the companion answered is what the card shows.
import React from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, ErrorState, StatusTag, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { DealGate } from '../DealGate.tsx';
import { DEAL_ID, dealWith } from './fixtures.ts';

const texts = (r: ReturnType<typeof createRenderer>): string[] => r.findAll(Text).map((t) => t.text ?? '');

const rendered = async (answer: (path: string, init?: { method?: string; body?: unknown }) => unknown) => {
  const request = vi.fn(async (path: string, init?: { method?: 'GET' | 'POST'; body?: Record<string, unknown> }) => answer(path, init));
  const r = createRenderer('crm.record.tab');
  r.render(<DealGate dealId={DEAL_ID} request={request} />);
  return { r, request };
};

describe('deal app card', () => {
  it('When milestones are met and missing, then each shows its status, the met one its evidence, and the gate its count', async () => {
    const { r, request } = await rendered(() => dealWith());
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'gate-status').text).toBe('In Progress'));
    expect(request).toHaveBeenCalledWith(`/api/opportunities/${DEAL_ID}`);
    expect(r.findByTestId(StatusTag, 'status-economic_buyer').text).toBe('met');
    expect(r.findByTestId(StatusTag, 'status-mutual_plan').text).toBe('missing');
    expect(texts(r)).toContain('Meeting with Dana Ruiz (VP Finance) (2026-11-30)');
    expect(texts(r)).toContain('Do what Mutual close plan needs');
    expect(r.findByTestId(Text, 'next-best-action').text).toBe('Agree a mutual close plan');
    expect(r.findAll(Tag).map((t) => t.text)).toEqual(['Single Threaded']);
    expect(r.maybeFindByTestId(Button, 'attest-economic_buyer')).toBeNull();
    expect(r.findByTestId(Button, 'attest-mutual_plan')).toBeTruthy();
    expect(r.getRootNode().toString()).toContain('42 %');
  });

  it('When a milestone is attested, then it shows as attested and offers no second attestation', async () => {
    const d = dealWith();
    d.checklist!.milestones[1] = { ...d.checklist!.milestones[1]!, status: 'attested', evidence: [{ kind: 'attestation', recordId: 'a1', date: '2026-12-01', label: 'Attested by Sam: plan signed off' }] };
    const { r } = await rendered(() => d);
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'status-mutual_plan').text).toBe('attested'));
    expect(texts(r)).toContain('Attested by Sam: plan signed off (2026-12-01)');
    expect(r.maybeFindByTestId(Button, 'attest-mutual_plan')).toBeNull();
  });

  it('When the deal skipped a stage with its gate unmet, then the card says which and the gate shows Skipped', async () => {
    const { r } = await rendered(() => dealWith({ gate: { status: 'Skipped', met: 0, required: 2, score: 0 }, stages: [{ name: 'Qualification', state: 'passed' }, { name: 'Discovery', state: 'skipped' }, { name: 'Proposal', state: 'current' }] }));
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'gate-status').text).toBe('Skipped'));
    expect(r.findByTestId(StatusTag, 'gate-status').props.variant).toBe('warning');
    expect(r.findByTestId(Alert, 'skipped').text).toContain('Left with the gate unmet: Discovery');
  });

  it('When the companion has no checklist for the deal, then the card shows the empty state and can recalculate', async () => {
    const { r, request } = await rendered((path) => (path === '/api/sync' ? { state: 'running' } : { Id: DEAL_ID, checklist: null, checklistProblem: null }));
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('No gate yet'));
    expect(r.find(Button).text).toBe('Recalculate now');
    r.find(Button).trigger('onClick');
    await r.waitFor(() => expect(request).toHaveBeenCalledWith('/api/sync', { method: 'POST', body: { opportunityId: DEAL_ID } }));
  });

  it('When the companion refuses, then the card shows its one-line error and can try again', async () => {
    let calls = 0;
    const { r, request } = await rendered(() => {
      calls += 1;
      if (calls === 1) throw new Error('HubSpot request signature refused: the signature does not match');
      return dealWith();
    });
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Stagecraft could not answer'));
    expect(texts(r)).toContain('HubSpot request signature refused: the signature does not match');
    r.find(Button).trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(StatusTag, 'gate-status').text).toBe('In Progress'));
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('When the rep attests a missing milestone with a note, then the companion is called with the deal, the milestone and the note', async () => {
    const { r, request } = await rendered((path) => (path === '/api/attestations' ? { Id: 'a1' } : dealWith()));
    await r.waitFor(() => expect(r.findByTestId(Button, 'attest-mutual_plan')).toBeTruthy());
    r.findByTestId(Button, 'attest-mutual_plan').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(TextArea, 'attest-note')).toBeTruthy());
    expect(r.findByTestId(Button, 'attest-save').props.disabled).toBe(true);
    r.findByTestId(TextArea, 'attest-note').trigger('onChange', 'Plan signed off by the CFO on 1 Dec' as never); // the typings take the handler's type, the runtime its argument
    await r.waitFor(() => expect(r.findByTestId(Button, 'attest-save').props.disabled).toBe(false));
    r.findByTestId(Button, 'attest-save').trigger('onClick');
    await r.waitFor(() => expect(request).toHaveBeenCalledWith('/api/attestations', { method: 'POST', body: { opportunityId: DEAL_ID, milestoneKey: 'mutual_plan', note: 'Plan signed off by the CFO on 1 Dec' } }));
    await r.waitFor(() => expect(r.find(Alert).text).toContain('Attestation saved'));
  });
});
