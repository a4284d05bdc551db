// Quotas, for attainment in context: `quotas.csv` in the data folder (columns User, Quarter, Quota; User is a record
// id, an email or a name). Optional: without it, scorecards show no attainment. A bad row is an error naming its line.
import { AppError } from './errors.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '../../shared/src/model.ts';
import { QUARTER_PATTERN } from '../../shared/src/engine/quarter.ts';
import { parseCsv } from './csv.ts';

export type Quotas = Map<string, Map<string, number>>;

export interface QuotaRow {
  line: number;
  user: string;
  quarter: string;
  quota: number;
}

export const quotasFile = (dataDir: string): string => join(dataDir, 'quotas.csv');

export class QuotaError extends AppError {
  constructor(message: string) {
    super('bad_input', message);
  }
}

/** The rows of quotas.csv, checked for shape; users are matched against the org later (`resolveQuotas`). */
export const readQuotaFile = (dataDir: string): QuotaRow[] => {
  const file = quotasFile(dataDir);
  if (!existsSync(file)) return [];
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'), 'quotas.csv');
  for (const column of ['User', 'Quarter', 'Quota']) if (!header.includes(column)) throw new QuotaError(`quotas.csv, line 1: required column ${column} is missing`);
  return rows.map(({ line, values }) => {
    if (!QUARTER_PATTERN.test(values.Quarter ?? '')) throw new QuotaError(`quotas.csv, line ${line}, column Quarter: "${values.Quarter}" is not a quarter like 2026-Q4`);
    const quota = Number(values.Quota);
    if (!Number.isFinite(quota) || quota <= 0) throw new QuotaError(`quotas.csv, line ${line}, column Quota: "${values.Quota}" is not a positive amount`);
    return { line, user: (values.User ?? '').trim(), quarter: values.Quarter!, quota };
  });
};

/** Rows matched to users by id, email or name; a row naming nobody is an error with its line. */
export const resolveQuotas = (rows: readonly QuotaRow[], users: readonly User[]): Quotas => {
  const byKey = new Map<string, string>();
  for (const u of users) for (const key of [u.id, u.email, u.name]) if (key) byKey.set(key.toLowerCase(), u.id);
  const quotas: Quotas = new Map();
  for (const row of rows) {
    const userId = byKey.get(row.user.toLowerCase());
    if (!userId) throw new QuotaError(`quotas.csv, line ${row.line}, column User: no user "${row.user}" in the org`);
    const rep = quotas.get(userId) ?? new Map<string, number>();
    rep.set(row.quarter, row.quota);
    quotas.set(userId, rep);
  }
  return quotas;
};
