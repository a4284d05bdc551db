// The deal's gate as the companion wrote it (Gate_Checklist__c, parsed by GET /api/opportunities/:id): status,
// milestones met / attested / missing with their evidence, skipped stages, risk flags, next best action and win
// probability. Nothing is scored here — the card only renders, attests (POST /api/attestations) and asks for a
// recalculation (POST /api/sync).
import React, { useCallback, useEffect, useState } from 'react';
import {
  Alert, Button, ButtonRow, Divider, EmptyState, Flex, Heading, List, LoadingSpinner, Statistics,
  StatisticsItem, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text, TextArea,
} from '@hubspot/ui-extensions';
import { errorText, type Request } from './companion.ts';
import { CompanionError } from './CompanionError.tsx';

export interface Evidence { kind: string; recordId: string | null; date: string | null; label: string }
export interface Milestone { key: string; label: string; required: boolean; status: 'met' | 'attested' | 'missing'; evidence: Evidence[]; guidance: string; attestable: boolean }
export interface Checklist {
  stage: string;
  stages: { name: string; state: 'passed' | 'skipped' | 'current' | 'upcoming' }[];
  gate: { status: 'Met' | 'In_Progress' | 'At_Risk' | 'Skipped'; met: number; required: number; score: number };
  milestones: Milestone[];
  riskFlags: string[];
  nextBestAction: string | null;
  winProbability?: { percent: number | null; stageBaseline: number | null; message?: string };
}
export interface DealDetail { Id: string; Name?: string; checklist: Checklist | null; checklistProblem: string | null }

const GATE_VARIANT = { Met: 'success', In_Progress: 'info', At_Risk: 'danger', Skipped: 'warning' } as const;
const MILESTONE_VARIANT = { met: 'success', attested: 'info', missing: 'warning' } as const;
const label = (key: string): string => key.replace(/_/g, ' ');

export const DealGate = ({ dealId, request }: { dealId: string; request: Request }) => {
  const [deal, setDeal] = useState<DealDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [attesting, setAttesting] = useState<string | null>(null);
  const [note, setNote] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      setDeal((await request(`/api/opportunities/${encodeURIComponent(dealId)}`)) as DealDetail);
    } catch (e) {
      setError(errorText(e));
    }
  }, [dealId, request]);
  useEffect(() => void load(), [load]);

  const attest = async (milestoneKey: string) => {
    try {
      await request('/api/attestations', { method: 'POST', body: { opportunityId: dealId, milestoneKey, note } });
      setAttesting(null);
      setNote('');
      setNotice('Attestation saved: the gate below counts it.');
      await load();
    } catch (e) {
      setNotice(null);
      setError(errorText(e));
    }
  };

  const recalculate = async () => {
    try {
      // This deal alone, recomputed before the answer: the card reloads what was just written.
      await request('/api/sync', { method: 'POST', body: { opportunityId: dealId } });
      setNotice('Recalculated from the deal as HubSpot holds it now.');
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (error) return <CompanionError message={error} onRetry={() => void load()} />;
  if (!deal) return <LoadingSpinner label="Loading the gate" />;
  const c = deal.checklist;
  if (!c) {
    return (
      <EmptyState title="No gate yet" layout="vertical">
        <Text>{deal.checklistProblem ?? 'Stagecraft has not computed this deal yet.'}</Text>
        <Button onClick={() => void recalculate()}>Recalculate now</Button>
      </EmptyState>
    );
  }
  const skipped = c.stages.filter((s) => s.state === 'skipped');
  return (
    <Flex direction="column" gap="sm">
      {notice ? <Alert title="Stagecraft" variant="info">{notice}</Alert> : null}
      <Flex direction="row" gap="sm" align="center">
        <Heading>Gate: {c.stage}</Heading>
        <StatusTag variant={GATE_VARIANT[c.gate.status]} testId="gate-status">{label(c.gate.status)}</StatusTag>
      </Flex>
      <Statistics>
        <StatisticsItem label="Required milestones met" number={`${c.gate.met} / ${c.gate.required}`} />
        <StatisticsItem label="Win probability" number={c.winProbability?.percent === null || c.winProbability?.percent === undefined ? '—' : `${c.winProbability.percent} %`}>
          <Text>{c.winProbability?.message ?? (c.winProbability?.stageBaseline !== null && c.winProbability?.stageBaseline !== undefined ? `Stage baseline ${c.winProbability.stageBaseline} %` : '')}</Text>
        </StatisticsItem>
      </Statistics>
      {skipped.length ? <Alert title="Stages skipped" variant="warning" testId="skipped">{`Left with the gate unmet: ${skipped.map((s) => s.name).join(', ')}`}</Alert> : null}
      <Text format={{ fontWeight: 'bold' }}>Next best action</Text>
      <Text testId="next-best-action">{c.nextBestAction ?? 'Nothing to do: the gate is met.'}</Text>
      <Flex direction="row" gap="xs" wrap="wrap">
        {c.riskFlags.length ? c.riskFlags.map((f) => <Tag key={f} variant="error">{label(f)}</Tag>) : <Tag variant="success">No risk flags</Tag>}
      </Flex>
      <Divider />
      <Table bordered={true}>
        <TableHead>
          <TableRow>
            <TableHeader>Milestone</TableHeader>
            <TableHeader>Status</TableHeader>
            <TableHeader>Evidence</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {c.milestones.map((m) => (
            <TableRow key={m.key}>
              <TableCell>
                <Text>{m.label}{m.required ? '' : ' (optional)'}</Text>
              </TableCell>
              <TableCell>
                <StatusTag variant={MILESTONE_VARIANT[m.status]} testId={`status-${m.key}`}>{m.status}</StatusTag>
              </TableCell>
              <TableCell>
                {m.evidence.length ? (
                  <List variant="unordered-styled">{m.evidence.map((e, i) => <Text key={i}>{e.date ? `${e.label} (${e.date.slice(0, 10)})` : e.label}</Text>)}</List>
                ) : (
                  <Text variant="microcopy">{m.status === 'missing' ? m.guidance : 'No evidence recorded'}</Text>
                )}
                {m.status === 'missing' && m.attestable && attesting !== m.key ? (
                  <Button size="xs" testId={`attest-${m.key}`} onClick={() => { setAttesting(m.key); setNote(''); }}>Attest</Button>
                ) : null}
                {attesting === m.key ? (
                  <Flex direction="column" gap="xs">
                    <TextArea label="Note" name="note" testId="attest-note" required={true} value={note} onChange={(v: string) => setNote(v)} />
                    <ButtonRow>
                      <Button variant="primary" size="xs" testId="attest-save" disabled={!note.trim()} onClick={() => void attest(m.key)}>Save attestation</Button>
                      <Button size="xs" onClick={() => setAttesting(null)}>Cancel</Button>
                    </ButtonRow>
                  </Flex>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Button testId="recalculate" onClick={() => void recalculate()}>Recalculate now</Button>
    </Flex>
  );
};
