// The rep's scorecard (GET /api/users/:id/scorecard) and, for a manager, the team (GET /api/users/:id/team): the
// behaviour scores the companion computed, rendered as they are.
import React, { useCallback, useEffect, useState } from 'react';
import {
  DescriptionList, DescriptionListItem, EmptyState, Flex, Heading, LoadingSpinner, Statistics,
  StatisticsItem, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text,
} from '@hubspot/ui-extensions';
import { errorText, type Request } from './companion.ts';
import { CompanionError } from './CompanionError.tsx';

export interface Scorecard {
  userId: string; name: string; title: string | null; scores: Record<string, number | null>;
  /** Null from a HubSpot portal's companion, which keeps no open-deal context. */
  openDeals: { count: number; executiveEngaged: number; averageStakeholders: number | null } | null;
}
export interface TeamMember { Id: string; Name: string; Title: string | null; scores: Record<string, number | null>; change: number | null }
export interface Team { manager: { Id: string; Name: string }; members: TeamMember[] }

/** `Behaviour_Score__c` → "Behaviour Score": the field's own words, nothing computed. */
const scoreLabel = (field: string): string => field.replace(/__c$/, '').replace(/_/g, ' ');
const shown = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : String(v));

export const RepScorecard = ({ repId, request }: { repId: string; request: Request }) => {
  const [card, setCard] = useState<Scorecard | null>(null);
  const [team, setTeam] = useState<Team | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [s, t] = await Promise.all([request(`/api/users/${encodeURIComponent(repId)}/scorecard`), request(`/api/users/${encodeURIComponent(repId)}/team`)]);
      setCard(s as Scorecard);
      setTeam(t as Team);
    } catch (e) {
      setError(errorText(e));
    }
  }, [repId, request]);
  useEffect(() => void load(), [load]);

  if (error) return <CompanionError message={error} onRetry={() => void load()} />;
  if (!card) return <LoadingSpinner label="Loading the scorecard" />;
  const scores = Object.entries(card.scores);
  const scored = scores.some(([, v]) => v !== null);
  return (
    <Flex direction="column" gap="sm">
      <Heading>{card.name}</Heading>
      {card.title ? <Text variant="microcopy">{card.title}</Text> : null}
      {scored ? (
        <DescriptionList direction="row">
          {scores.map(([field, value]) => <DescriptionListItem key={field} label={scoreLabel(field)}><Text>{shown(value)}</Text></DescriptionListItem>)}
        </DescriptionList>
      ) : (
        <EmptyState title="No scorecard yet" layout="vertical"><Text>Stagecraft scores a rep at the next sync after their first deal activity.</Text></EmptyState>
      )}
      {card.openDeals ? (
        <Statistics>
          <StatisticsItem label="Open deals" number={String(card.openDeals.count)} />
          <StatisticsItem label="Executive engaged" number={String(card.openDeals.executiveEngaged)} />
          <StatisticsItem label="Stakeholders per deal" number={shown(card.openDeals.averageStakeholders)} />
        </Statistics>
      ) : null}
      {team && team.members.length ? (
        <>
          <Heading>Team</Heading>
          <Table bordered={true} testId="team">
            <TableHead>
              <TableRow>
                <TableHeader>Rep</TableHeader>
                <TableHeader>Behaviour score</TableHeader>
                <TableHeader>Change</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {team.members.map((m) => (
                <TableRow key={m.Id}>
                  <TableCell>{m.Name}</TableCell>
                  <TableCell>{shown(m.scores.Behaviour_Score__c)}</TableCell>
                  <TableCell>{m.change === null ? '—' : `${m.change > 0 ? '+' : ''}${m.change}`}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
    </Flex>
  );
};
