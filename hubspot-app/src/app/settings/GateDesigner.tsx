// The gate designer and analytics for the app's settings page: each process's open stages with their exit-gate
// milestones (GET /api/playbook), which of them predict wins in this portal's history (GET /api/analytics/backtest) and
// the stage conversion (GET /api/analytics/conversion), as the companion reports them. An admin flips which milestones
// are required in a local draft, checks the draft's effect on today's open deals (PUT /api/playbook?dryRun=true), then
// saves it (PUT /api/playbook?dryRun=false): the companion validates every save, so a refused one keeps the draft.
// It lives beside its entry point so the settings page is built with its own React (settings/package.json).
import React, { useCallback, useEffect, useState } from 'react';
import { Alert, Button, EmptyState, Flex, Heading, List, LoadingSpinner, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text, Toggle } from '@hubspot/ui-extensions';
import { errorText, type Request } from '../cards/companion.ts';
import { CompanionError } from '../cards/CompanionError.tsx';

export interface PlaybookMilestone { key: string; label: string; required: boolean; [field: string]: unknown }
export interface PlaybookStage { name: string; closed?: boolean; gate: { milestones: PlaybookMilestone[]; [field: string]: unknown }; [field: string]: unknown }
/** The playbook as the companion holds it: only what the designer reads is typed; everything else is sent back as loaded. */
export interface Playbook { processes: { name: string; stages: PlaybookStage[]; [field: string]: unknown }[]; [field: string]: unknown }
export interface PlaybookView { playbook: Playbook; source: string }
export interface ConversionView { asOf: string; processes: { process: string; overallWinRate: number | null; message: string; headlines: string[] }[] }

interface GroupStats { deals: number; won: number; winRate: number | null }
/** The engine's MilestoneBacktest (shared/src/engine/analytics.ts), as far as the page shows it. */
export interface MilestoneBacktestView {
  process: string; stage: string; key: string; label: string; required: boolean; evaluated: number;
  met: GroupStats; missed: GroupStats; lift: number | null; liftText: string; direction: 'wins' | 'losses' | 'neither' | null;
  predictive: boolean; predictsLoss: boolean; basis: 'stage-exit' | 'at-close'; verdict: string;
}
/** The engine's BacktestReport: which milestones went with winning in this portal's closed deals. */
export interface BacktestView {
  asOf: string; closedDeals: number; minimum: number; enoughHistory: boolean; basis: 'stage-exit' | 'at-close'; withoutHistory: number;
  fieldsJudgedToday: string[]; fieldsFromHistory: string[]; message: string; milestones: MilestoneBacktestView[];
}
/** The engine's MilestoneEffect (shared/src/engine/playbook-effect.ts): open deals now in the stage, and how many meet it. */
export interface MilestoneEffectView { process: string; stage: string; key: string; label: string; required: boolean; deals: number; meeting: number; share: number | null }
/** A valid PUT /api/playbook's answer (a refused one is a 400, which the request turns into an Error). */
export interface ReplaceAnswer { ok: true; saved: boolean; effect: MilestoneEffectView[]; warnings: string[] }

const pct = (rate: number | null): string => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
const same = (a: Playbook, b: Playbook): boolean => JSON.stringify(a) === JSON.stringify(b);
const toggleId = (process: string, stage: string, key: string): string => `required-${process}/${stage}/${key}`;

/** The playbook with one milestone's `required` set, and nothing else changed. */
const withRequired = (playbook: Playbook, pi: number, si: number, mi: number, required: boolean): Playbook => ({
  ...playbook,
  processes: playbook.processes.map((p, i) => (i !== pi ? p : {
    ...p,
    stages: p.stages.map((s, j) => (j !== si ? s : { ...s, gate: { ...s.gate, milestones: s.gate.milestones.map((m, k) => (k !== mi ? m : { ...m, required })) } })),
  })),
});

const Signal = ({ m }: { m: MilestoneBacktestView | undefined }) => {
  if (m?.predictive) return <Tag variant="success">Predicts wins</Tag>;
  if (m?.predictsLoss) return <Tag variant="warning">Goes with losses</Tag>;
  return null;
};

export const GateDesigner = ({ request }: { request: Request }) => {
  const [loaded, setLoaded] = useState<PlaybookView | null>(null);
  const [draft, setDraft] = useState<Playbook | null>(null);
  const [conversion, setConversion] = useState<ConversionView | null>(null);
  const [backtest, setBacktest] = useState<BacktestView | null>(null);
  const [backtestError, setBacktestError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'save' | null>(null);
  const [checked, setChecked] = useState<ReplaceAnswer | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      // The backtest is analytics on top: when only it fails, the designer still works and says so in one line.
      const [p, c, b] = await Promise.all([
        request('/api/playbook'),
        request('/api/analytics/conversion'),
        request('/api/analytics/backtest').then(
          (v) => (Array.isArray((v as BacktestView | null)?.milestones) ? { ok: true as const, v: v as BacktestView } : { ok: false as const, e: 'the companion answered no milestones' }),
          (e: unknown) => ({ ok: false as const, e: errorText(e) }),
        ),
      ]);
      const view = p as PlaybookView;
      setLoaded(view);
      setDraft(view.playbook);
      setConversion(c as ConversionView);
      setBacktest(b.ok ? b.v : null);
      setBacktestError(b.ok ? null : b.e);
    } catch (e) {
      setError(errorText(e));
    }
  }, [request]);
  useEffect(() => void load(), [load]);

  const put = async (dryRun: boolean) => {
    if (!draft) return;
    setBusy(dryRun ? 'check' : 'save');
    setRefused(null);
    setSaved(false);
    try {
      const answer = (await request(`/api/playbook?dryRun=${dryRun}`, { method: 'PUT', body: draft as Record<string, unknown> })) as ReplaceAnswer;
      setChecked(answer);
      if (!dryRun) {
        setLoaded((view) => (view ? { ...view, playbook: draft } : view));
        setSaved(true);
        // The companion recomputes the backtest under the saved playbook: show the new required flags' figures.
        void request('/api/analytics/backtest').then(
          (v) => Array.isArray((v as BacktestView | null)?.milestones) && setBacktest(v as BacktestView),
          () => undefined,
        );
      }
    } catch (e) {
      setRefused(errorText(e)); // the draft stays as it is: nothing the admin changed is lost
    } finally {
      setBusy(null);
    }
  };
  const setRequired = (pi: number, si: number, mi: number, required: boolean) => {
    setDraft((d) => (d ? withRequired(d, pi, si, mi, required) : d));
    setChecked(null); // an effect is of the draft it was checked for
    setSaved(false);
  };
  const discard = () => {
    if (loaded) setDraft(loaded.playbook);
    setChecked(null);
    setRefused(null);
  };

  if (error) return <CompanionError message={error} onRetry={() => void load()} />;
  if (!loaded || !draft || !conversion) return <LoadingSpinner label="Loading the gates" />;
  if (!draft.processes.length) return <EmptyState title="No sales process" layout="vertical"><Text>The playbook defines no process yet.</Text></EmptyState>;
  const changed = !same(draft, loaded.playbook);
  const several = draft.processes.length > 1;
  const stats = (process: string, stage: string, key: string) => backtest?.milestones.find((m) => m.process === process && m.stage === stage && m.key === key);
  return (
    <Flex direction="column" gap="md">
      {backtest ? (
        <Flex direction="column" gap="xs">
          <Text testId="backtest-message" variant="microcopy">{`Which milestones predict wins: ${backtest.message}.`}</Text>
          {backtest.fieldsJudgedToday.length ? <Text testId="judged-today" variant="microcopy">{`Judged on today's value (no field history here, so it may reflect the outcome): ${backtest.fieldsJudgedToday.join(', ')}.`}</Text> : null}
        </Flex>
      ) : backtestError !== null ? <Text testId="backtest-failed" variant="microcopy">{`The backtest could not be computed (${backtestError}); the gates can still be edited.`}</Text> : null}
      {draft.processes.map((p, pi) => {
        const report = conversion.processes.find((r) => r.process === p.name);
        return (
          <Flex key={p.name} direction="column" gap="xs">
            <Heading>{p.name}</Heading>
            <Text variant="microcopy">{report ? (report.overallWinRate === null ? report.message : `Win rate ${Math.round(report.overallWinRate * 100)} %`) : 'No analytics yet'}</Text>
            {report?.headlines.length ? <List variant="unordered-styled">{report.headlines.map((h) => <Text key={h}>{h}</Text>)}</List> : null}
            {p.stages.map((s, si) => (s.closed ? null : (
              <Flex key={s.name} direction="column" gap="xs">
                <Text format={{ fontWeight: 'demibold' }}>{s.name}</Text>
                {s.gate.milestones.length ? (
                  <Table bordered={true}>
                    <TableHead>
                      <TableRow>
                        <TableHeader>Milestone</TableHeader>
                        <TableHeader>Required</TableHeader>
                        <TableHeader>Win rate met vs missed</TableHeader>
                        <TableHeader>Lift</TableHeader>
                        <TableHeader>Signal</TableHeader>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {s.gate.milestones.map((m, mi) => {
                        const b = stats(p.name, s.name, m.key);
                        return (
                          <TableRow key={m.key}>
                            <TableCell>
                              <Text>{m.label}</Text>
                              {b ? <Text variant="microcopy">{b.verdict}</Text> : null}
                            </TableCell>
                            <TableCell>
                              <Toggle testId={toggleId(p.name, s.name, m.key)} label="Required" labelDisplay="hidden" size="sm" checked={m.required} onChange={(on) => setRequired(pi, si, mi, on)} />
                            </TableCell>
                            <TableCell><Text>{b ? `${pct(b.met.winRate)} vs ${pct(b.missed.winRate)}` : '—'}</Text></TableCell>
                            <TableCell><Text>{b ? b.liftText : '—'}</Text></TableCell>
                            <TableCell><Signal m={b} /></TableCell>
                          </TableRow>
                        );
                      })}
                    </TableBody>
                  </Table>
                ) : <Text variant="microcopy">No gate</Text>}
              </Flex>
            )))}
          </Flex>
        );
      })}
      {refused !== null ? <Alert testId="refused" title="The playbook was not saved" variant="danger">{refused}</Alert> : null}
      {saved ? <Alert testId="saved" title="Saved" variant="success">Saved: the gates are in force from the next sync</Alert> : null}
      {checked?.warnings.length ? (
        <Alert testId="warnings" title="Worth a look" variant="warning">
          <List variant="unordered">{checked.warnings.map((w) => <Text key={w}>{w}</Text>)}</List>
        </Alert>
      ) : null}
      {checked && !checked.saved ? (
        <Flex direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>Effect on today's open deals</Text>
          <List testId="effect" variant="unordered-styled">
            {checked.effect.map((e) => {
              const where = several ? `${e.process}: ${e.stage}` : e.stage;
              return <Text key={`${e.process}|${e.stage}|${e.key}`}>{e.deals ? `${e.label} (${where}): ${e.meeting} of ${e.deals} open deals meet it` : `${e.label} (${where}): no open deal is in the stage`}</Text>;
            })}
          </List>
        </Flex>
      ) : null}
      {changed ? (
        <Flex direction="row" gap="sm">
          <Button testId="check" disabled={busy !== null} onClick={() => void put(true)}>Check the effect</Button>
          <Button testId="save" variant="primary" disabled={busy !== null} onClick={() => void put(false)}>Save</Button>
          <Button testId="discard" variant="transparent" disabled={busy !== null} onClick={discard}>Discard changes</Button>
        </Flex>
      ) : null}
      <Text variant="microcopy">{`Playbook: ${loaded.source}. Analytics as of ${conversion.asOf}.`}</Text>
    </Flex>
  );
};
