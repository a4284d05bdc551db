// A small Salesforce export whose deals are qualified in the admin's own fields — a checkbox Budget_Confirmed__c, a
// text Decision_Process_Mapped__c, and the standard Type — with outcomes laid out so every backtest figure can be
// counted by hand: 40 closed deals (20 won), 3 open ones in Qualification. Four lost deals ticked the budget box only
// after they had left Qualification, which OpportunityFieldHistory records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toCsv } from '../../server/src/csv.ts';
import { to18 } from '../../server/src/crm/sf-id.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { validatePlaybook, type Playbook } from '../../shared/src/playbook/schema.ts';

export const ASOF = '2026-06-30T00:00:00.000Z';
const DAY = 86_400_000;
const START = Date.parse('2026-01-05T09:00:00.000Z');
/** Days after creation a deal left Qualification for Needs Analysis, and closed. */
const EXIT_DAYS = 10;
const CLOSE_DAYS = 30;
export const EXIT_MS = EXIT_DAYS * DAY;

export interface QualificationRow {
  id: string;
  closed: boolean;
  won: boolean;
  /** Budget_Confirmed__c as the export holds it (today). */
  budget: boolean;
  /** Ticked only after the deal left Qualification (a field history row says when). */
  budgetAfterExit: boolean;
  decision: string;
  type: string;
  createdMs: number;
}

/** An 18-character id, as import turns the 15-character ones of an export into. */
const id = (prefix: string, n: number): string => to18(`${prefix}${String(n).padStart(15 - prefix.length, '0')}`)!;

/**
 * Deal i of 40 closed: won when i < 20. Budget ticked today on 16 won (i < 16) and 8 lost (20 ≤ i < 28), of which
 * 20–23 ticked it after leaving the stage. Decision process mapped on even i (10 won, 10 lost). Type "New Business"
 * on 5 won (i < 5) and 15 lost (20 ≤ i < 35). Then 3 open deals: two fully qualified, one bare.
 */
export const ROWS: QualificationRow[] = [
  ...Array.from({ length: 40 }, (_, i): QualificationRow => ({
    id: id('006Q', i),
    closed: true,
    won: i < 20,
    budget: i < 16 || (i >= 20 && i < 28),
    budgetAfterExit: i >= 20 && i < 24,
    decision: i % 2 === 0 ? 'Mapped with IT and Finance' : '',
    type: i < 5 || (i >= 20 && i < 35) ? 'New Business' : 'Existing Business',
    createdMs: START + i * DAY,
  })),
  ...[0, 1, 2].map((j): QualificationRow => ({
    id: id('006Q', 40 + j),
    closed: false,
    won: false,
    budget: j < 2,
    budgetAfterExit: false,
    decision: j < 2 ? 'Mapped' : '',
    type: j < 2 ? 'New Business' : '',
    createdMs: Date.parse(ASOF) - (5 + j) * DAY,
  })),
];

const iso = (ms: number): string => new Date(ms).toISOString();
const date = (ms: number): string => iso(ms).slice(0, 10);

/** Writes Opportunity.csv (with the custom columns), and with history OpportunityHistory.csv and OpportunityFieldHistory.csv. */
export const writeQualificationOrg = (dir: string, { withHistory }: { withHistory: boolean }): void => {
  const header = ['Id', 'Name', 'StageName', 'CloseDate', 'CreatedDate', 'Amount', 'IsClosed', 'IsWon', 'Type', 'ForecastCategoryName', 'Budget_Confirmed__c', 'Decision_Process_Mapped__c', 'Opportunity Lifecycle (Days)'];
  writeFileSync(join(dir, 'Opportunity.csv'), toCsv(header, ROWS.map((r) => [
    r.id, `Deal ${r.id.slice(-3)}`, r.closed ? (r.won ? 'Closed Won' : 'Closed Lost') : 'Qualification',
    date(r.closed ? r.createdMs + CLOSE_DAYS * DAY : Date.parse(ASOF) + 60 * DAY), iso(r.createdMs), 10_000, r.closed ? 'true' : 'false', r.won ? 'true' : 'false',
    r.type, r.closed ? (r.won ? 'Closed' : 'Omitted') : 'Pipeline', r.budget ? 'true' : 'false', r.decision, CLOSE_DAYS,
  ])));
  if (!withHistory) return;
  const history: unknown[][] = [];
  for (const r of ROWS) {
    history.push([`${r.id}H1`, r.id, 'Qualification', iso(r.createdMs)]);
    if (!r.closed) continue;
    history.push([`${r.id}H2`, r.id, 'Needs Analysis', iso(r.createdMs + EXIT_DAYS * DAY)]);
    history.push([`${r.id}H3`, r.id, r.won ? 'Closed Won' : 'Closed Lost', iso(r.createdMs + CLOSE_DAYS * DAY)]);
  }
  writeFileSync(join(dir, 'OpportunityHistory.csv'), toCsv(['Id', 'OpportunityId', 'StageName', 'CreatedDate'], history.map((h) => [id('008Q', history.indexOf(h)), ...h.slice(1)])));
  const late = ROWS.filter((r) => r.budgetAfterExit);
  writeFileSync(join(dir, 'OpportunityFieldHistory.csv'), toCsv(['Id', 'OpportunityId', 'Field', 'DataType', 'OldValue', 'NewValue', 'CreatedDate'],
    late.map((r, i) => [id('017Q', i), r.id, 'Budget_Confirmed__c', 'Boolean', 'false', 'true', iso(r.createdMs + (EXIT_DAYS + 5) * DAY)])));
};

const milestone = (key: string, label: string, rule: object): object => ({ key, label, required: true, weight: 1, rule, guidance: `Record it: ${label}.` });

/** The default process with one gated stage, Qualification: budget confirmed, decision process mapped, new business. */
export const qualificationPlaybook = ({ extraField }: { extraField?: string } = {}): Playbook => {
  const base = structuredClone(DEFAULT_PLAYBOOK);
  const process = base.processes[0]!;
  const candidate = {
    ...base,
    processes: [{
      ...process,
      stages: process.stages.map((s) => ({
        ...s,
        gate: {
          milestones: s.name !== 'Qualification' ? [] : [
            milestone('budget_confirmed', 'Budget confirmed', { kind: 'field', field: 'Budget_Confirmed__c', op: 'equals', value: true }),
            milestone('decision_mapped', 'Decision process mapped', { kind: 'field', field: 'Decision_Process_Mapped__c', op: 'present' }),
            milestone('new_business', 'New business', { kind: 'field', field: 'Type', op: 'equals', value: 'New Business' }),
            ...(extraField ? [milestone('champion', 'Champion named', { kind: 'field', field: extraField, op: 'present' })] : []),
          ],
        },
      })),
    }],
  };
  const result = validatePlaybook(candidate);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  return result.playbook;
};
