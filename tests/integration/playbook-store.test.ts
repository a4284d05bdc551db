// The playbook in force in embedded mode: playbook.json in the data folder, validated, with the last good one kept.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOK, DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { loadPlaybook, playbookFile, savePlaybook } from '../../server/src/playbook-store.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
const broken = () => {
  const p = structuredClone(DEFAULT_PLAYBOOK_INPUT) as { processes: { stages: { gate?: { milestones: { rule: unknown }[] } }[] }[] };
  p.processes[0]!.stages[3]!.gate!.milestones[1]!.rule = { kind: 'executive', window: 0 };
  return p;
};
const renamed = () => {
  const p = structuredClone(DEFAULT_PLAYBOOK_INPUT) as { processes: { stages: { gate?: { milestones: { label: string }[] } }[] }[] };
  p.processes[0]!.stages[0]!.gate!.milestones[0]!.label = 'Real conversation';
  return p;
};

describe('playbook store', () => {
  it('When there is no playbook.json, then the default playbook is in force', () => {
    expect(loadPlaybook(tempDir())).toMatchObject({ source: 'default', errors: [] });
  });

  it('When a valid playbook is saved, then it is in force; an invalid one is refused and changes nothing', () => {
    const dir = tempDir();
    expect(savePlaybook(dir, renamed()).ok).toBe(true);
    const refused = savePlaybook(dir, broken());
    expect(refused).toMatchObject({ ok: false, errors: [{ path: 'processes[0].stages[3].gate.milestones[1].rule.window', message: 'must be > 0' }] });
    expect(loadPlaybook(dir).playbook.processes[0]!.stages[0]!.gate.milestones[0]!.label).toBe('Real conversation');
  });

  it('When an admin breaks playbook.json by hand, then the last good playbook stays in force and the errors are reported', () => {
    const dir = tempDir();
    savePlaybook(dir, renamed());
    writeFileSync(playbookFile(dir), JSON.stringify(broken()));
    const loaded = loadPlaybook(dir);
    expect(loaded.source).toBe('last-good');
    expect(loaded.playbook.processes[0]!.stages[0]!.gate.milestones[0]!.label).toBe('Real conversation');
    expect(loaded.errors).toHaveLength(1);
  });

  it('When playbook.json is not even JSON and there was never a good one, then the default applies and the parse error is said', () => {
    const dir = tempDir();
    writeFileSync(playbookFile(dir), '{ "version": 1, ');
    const loaded = loadPlaybook(dir);
    expect(loaded.source).toBe('default');
    expect(loaded.playbook).toEqual(DEFAULT_PLAYBOOK);
    expect(loaded.errors[0]!.message).toMatch(/is not valid JSON/);
  });

  it('When `stagecraft playbook check` meets a broken file, then it lists each error by path and exits 2 (bad input); `set` with a good file reports the effect on open deals', () => {
    const dir = tempDir();
    const env = { ...process.env, STAGECRAFT_DATA_DIR: dir };
    expect(spawnSync(process.execPath, [BIN, 'import', FIXTURE_DIR], { env }).status).toBe(0);
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify(broken()));
    const check = spawnSync(process.execPath, [BIN, 'playbook', 'check', badFile], { env, encoding: 'utf8' });
    expect(check.status).toBe(2);
    expect(check.stderr).toContain('processes[0].stages[3].gate.milestones[1].rule.window: must be > 0');
    const goodFile = join(dir, 'good.json');
    writeFileSync(goodFile, JSON.stringify(renamed()));
    const set = spawnSync(process.execPath, [BIN, 'playbook', 'set', goodFile], { env, encoding: 'utf8' });
    expect(set.status).toBe(0);
    expect(set.stdout).toMatch(/Standard · Prospecting · Real conversation: \d+ of \d+ \([\d.]+ %\)/);
    expect(JSON.parse(readFileSync(playbookFile(dir), 'utf8'))).toEqual(renamed());
  });
});
