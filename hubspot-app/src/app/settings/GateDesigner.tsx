// The gate designer and analytics for the app's settings page: each process's stages with their exit-gate milestones
// (GET /api/playbook) and the stage conversion (GET /api/analytics/conversion), as the companion reports them.
// It lives beside its entry point so the settings page is built with its own React (settings/package.json).
import React, { useCallback, useEffect, useState } from 'react';
import { Button, EmptyState, ErrorState, Flex, Heading, List, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import { errorText, type Request } from '../cards/companion.ts';

export interface PlaybookView { playbook: { processes: { name: string; stages: { name: string; closed?: boolean; gate: { milestones: { key: string; label: string; required: boolean }[] } }[] }[] }; source: string }
export interface ConversionView { asOf: string; processes: { process: string; overallWinRate: number | null; message: string; headlines: string[] }[] }

export const GateDesigner = ({ request }: { request: Request }) => {
  const [playbook, setPlaybook] = useState<PlaybookView | null>(null);
  const [conversion, setConversion] = useState<ConversionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const [p, c] = await Promise.all([request('/api/playbook'), request('/api/analytics/conversion')]);
      setPlaybook(p as PlaybookView);
      setConversion(c as ConversionView);
    } catch (e) {
      setError(errorText(e));
    }
  }, [request]);
  useEffect(() => void load(), [load]);

  if (error) {
    return (
      <ErrorState title="Stagecraft could not answer">
        <Text>{error}</Text>
        <Button onClick={() => void load()}>Try again</Button>
      </ErrorState>
    );
  }
  if (!playbook || !conversion) return <LoadingSpinner label="Loading the gates" />;
  if (!playbook.playbook.processes.length) return <EmptyState title="No sales process" layout="vertical"><Text>The playbook defines no process yet.</Text></EmptyState>;
  return (
    <Flex direction="column" gap="md">
      {playbook.playbook.processes.map((p) => {
        const report = conversion.processes.find((r) => r.process === p.name);
        return (
          <Flex key={p.name} direction="column" gap="xs">
            <Heading>{p.name}</Heading>
            <Text variant="microcopy">{report ? (report.overallWinRate === null ? report.message : `Win rate ${Math.round(report.overallWinRate * 100)} %`) : 'No analytics yet'}</Text>
            {report?.headlines.length ? <List variant="unordered-styled">{report.headlines.map((h) => <Text key={h}>{h}</Text>)}</List> : null}
            <Table bordered={true}>
              <TableHead>
                <TableRow>
                  <TableHeader>Stage</TableHeader>
                  <TableHeader>Exit gate</TableHeader>
                </TableRow>
              </TableHead>
              <TableBody>
                {p.stages.filter((s) => !s.closed).map((s) => (
                  <TableRow key={s.name}>
                    <TableCell>{s.name}</TableCell>
                    <TableCell>
                      <Flex direction="row" gap="xs" wrap="wrap">
                        {s.gate.milestones.length ? s.gate.milestones.map((m) => <Tag key={m.key} variant={m.required ? 'default' : 'info'}>{m.label}</Tag>) : <Text variant="microcopy">No gate</Text>}
                      </Flex>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Flex>
        );
      })}
      <Text variant="microcopy">{`Playbook: ${playbook.source}. Analytics as of ${conversion.asOf}.`}</Text>
    </Flex>
  );
};
