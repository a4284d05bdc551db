// A valid-looking playbook must not break everything: field names are API names read as own properties only,
// nesting and size are capped, a BOM is not a character, a duplicate key is an error with its path, the effect is
// computed before anything is saved, and every validator failure falls back to the last good playbook.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeCompanion } from '../../server/src/composition.ts';
import { importFolder } from '../../server/src/crm/embedded/csv-io.ts';
import { loadPlaybook, playbookFile, savePlaybook } from '../../server/src/playbook-store.ts';
import { changePlaybook } from '../../server/src/use-cases/playbook.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { parseJsonText, PLAYBOOK_LIMITS } from '../../shared/src/playbook/json-text.ts';
import { validatePlaybook } from '../../shared/src/playbook/schema.ts';
import { FIXTURE_DIR, tempDir } from '../support/org-files.ts';

type Input = { processes: { stages: { gate?: { milestones: { rule: unknown; label: string }[] } }[] }[] };
export const withRule = (rule: unknown): Input => {
  const p = structuredClone(DEFAULT_PLAYBOOK_INPUT) as Input;
  p.processes[0]!.stages[0]!.gate!.milestones[0]!.rule = rule;
  return p;
};
export const nested = (depth: number): unknown => {
  let rule: unknown = { kind: 'nextStep' };
  for (let i = 0; i < depth; i++) rule = { kind: i % 2 ? 'all' : 'any', rules: [rule] };
  return rule;
};

const companionOver = () => {
  const dir = tempDir();
  const orgFile = join(dir, 'org.sqlite');
  importFolder(FIXTURE_DIR, orgFile, new Date());
  return { dir, c: composeCompanion({ dataDir: dir, orgFile }) };
};

describe('playbook hardening', () => {
  it('When a field rule names hasOwnProperty or constructor, then it is a field no deal has: saved with a warning, and syncs keep working', async () => {
    const { c } = companionOver();
    try {
      for (const field of ['hasOwnProperty', 'constructor', 'toString']) {
        const result = await changePlaybook(c, withRule({ kind: 'field', field, op: 'present' }), { save: true });
        expect(result.ok, field).toBe(true);
        if (result.ok) expect(result.warnings.join('\n')).toContain(`no deal has a value in ${field}`);
        const outcome = await syncOrg(c, { dryRun: true });
        expect(outcome.kind).toBe('done');
      }
    } finally {
      await c.close();
    }
  });

  it('When a field name is not an API name (__proto__, a dotted path, spaces), then it is refused with its path and nothing is saved', async () => {
    const { dir, c } = companionOver();
    try {
      for (const field of ['__proto__', 'Account.Name', 'Close Date', '1Field', 'x'.repeat(81)]) {
        const result = await changePlaybook(c, withRule({ kind: 'field', field, op: 'present' }), { save: true });
        expect(result, field).toMatchObject({ ok: false, errors: [{ path: 'processes[0].stages[0].gate.milestones[0].rule.field' }] });
      }
      expect(existsSync(playbookFile(dir))).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('When all/any nest 1,000 deep, then validation answers one error (no RangeError) and the last good playbook stays', () => {
    const dir = tempDir();
    const good = withRule({ kind: 'nextStep' });
    good.processes[0]!.stages[0]!.gate!.milestones[0]!.label = 'Kept';
    expect(savePlaybook(dir, good).ok).toBe(true);
    const deep = validatePlaybook(withRule(nested(1000)));
    expect(deep.ok).toBe(false);
    if (!deep.ok) expect(deep.errors).toHaveLength(1);
    if (!deep.ok) expect(deep.errors[0]!.message).toMatch(/deeper than/);
    expect(validatePlaybook(withRule(nested(PLAYBOOK_LIMITS.ruleDepth))).ok).toBe(true);
    writeFileSync(playbookFile(dir), JSON.stringify(withRule(nested(1000))));
    const loaded = loadPlaybook(dir);
    expect(loaded.source).toBe('last-good');
    expect(loaded.playbook.processes[0]!.stages[0]!.gate.milestones[0]!.label).toBe('Kept');
  });

  it('When a playbook is megabytes, then it is refused for its size before anything walks it', () => {
    const big = withRule({ kind: 'nextStep' });
    big.processes[0]!.stages[0]!.gate!.milestones[0]!.label = 'x'.repeat(3_600_000);
    const result = validatePlaybook(big);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toMatch(/at most 262,144/);
    expect(parseJsonText(JSON.stringify(big))).toMatchObject({ ok: false, message: expect.stringMatching(/characters; a playbook may have at most 262,144$/) });
  });

  it('When the file starts with a byte-order mark, then it reads as the JSON it is', () => {
    const dir = tempDir();
    writeFileSync(playbookFile(dir), `\uFEFF${JSON.stringify(withRule({ kind: 'nextStep' }))}`);
    expect(loadPlaybook(dir)).toMatchObject({ source: 'file', errors: [] });
  });

  it('When a key appears twice, then the error names it and its path instead of keeping the last', () => {
    const text = JSON.stringify(withRule({ kind: 'nextStep' })).replace('"kind":"nextStep"', '"kind":"nextStep","kind":"attested"');
    expect(parseJsonText(text)).toEqual({ ok: false, path: 'processes[0].stages[0].gate.milestones[0].rule.kind', message: 'the key "kind" appears twice in the same object' });
    expect(parseJsonText('{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}').ok).toBe(true);
    expect(parseJsonText('{"a":"x\\"y","a":2}')).toMatchObject({ ok: false, path: 'a' });
    const dir = tempDir();
    writeFileSync(playbookFile(dir), text);
    expect(loadPlaybook(dir)).toMatchObject({ source: 'default', errors: [{ path: 'processes[0].stages[0].gate.milestones[0].rule.kind' }] });
  });

  it('When a save is refused, then playbook.json is byte for byte what it was', async () => {
    const { dir, c } = companionOver();
    try {
      expect((await changePlaybook(c, withRule({ kind: 'nextStep' }), { save: true })).ok).toBe(true);
      const before = readFileSync(playbookFile(dir), 'utf8');
      for (const bad of [withRule(nested(50)), withRule({ kind: 'field', field: '__proto__', op: 'present' }), { version: 2 }, null, 'text', []]) {
        expect((await changePlaybook(c, bad, { save: true })).ok).toBe(false);
      }
      expect(readFileSync(playbookFile(dir), 'utf8')).toBe(before);
    } finally {
      await c.close();
    }
  });
});
