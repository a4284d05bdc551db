// Where the companion keeps the playbook in embedded and single-org mode: `playbook.json` in the data folder, which an
// admin may edit or replace. A copy of the last playbook that validated is kept beside it, so a broken edit never
// takes the gates away: the last good one stays in force and every error is reported.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { parseJsonText } from '../../shared/src/playbook/json-text.ts';
import { validatePlaybook, type Playbook, type PlaybookError } from '../../shared/src/playbook/schema.ts';

export interface LoadedPlaybook {
  playbook: Playbook;
  /** Where the playbook in force came from. */
  source: 'file' | 'last-good' | 'default';
  /** Problems with playbook.json, when it was rejected. */
  errors: PlaybookError[];
}

export const playbookFile = (dataDir: string): string => join(dataDir, 'playbook.json');
const lastGoodFile = (dataDir: string): string => join(dataDir, 'playbook.last-good.json');

const readJson = (file: string): { ok: true; value: unknown } | { ok: false; error: PlaybookError } => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, error: { path: '', message: `${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` } };
  }
  const parsed = parseJsonText(text);
  return parsed.ok ? parsed : { ok: false, error: { path: parsed.path, message: parsed.path ? parsed.message : `${file} ${parsed.message}` } };
};

export const loadPlaybook = (dataDir: string): LoadedPlaybook => {
  const file = playbookFile(dataDir);
  if (!existsSync(file)) return { playbook: DEFAULT_PLAYBOOK, source: 'default', errors: [] };
  const raw = readJson(file);
  const result = raw.ok ? validatePlaybook(raw.value) : { ok: false as const, errors: [raw.error] };
  if (result.ok) {
    copyFileSync(file, lastGoodFile(dataDir));
    return { playbook: result.playbook, source: 'file', errors: [] };
  }
  const lastGood = existsSync(lastGoodFile(dataDir)) ? readJson(lastGoodFile(dataDir)) : null;
  const previous = lastGood?.ok ? validatePlaybook(lastGood.value) : null;
  return previous?.ok ? { playbook: previous.playbook, source: 'last-good', errors: result.errors } : { playbook: DEFAULT_PLAYBOOK, source: 'default', errors: result.errors };
};

/** Replaces the playbook when the candidate validates; otherwise changes nothing and returns every error. */
export const savePlaybook = (dataDir: string, candidate: unknown): { ok: true; playbook: Playbook } | { ok: false; errors: PlaybookError[] } => {
  const result = validatePlaybook(candidate);
  if (!result.ok) return result;
  const file = playbookFile(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(candidate, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  copyFileSync(file, lastGoodFile(dataDir));
  return result;
};
