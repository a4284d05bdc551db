// The layer rules (.dependency-cruiser.cjs) hold over the sources, and a deliberate violation of each kind is caught.
// Also: no SQL outside the store modules.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { createRequire } from 'node:module';

const ROOT = join(import.meta.dirname, '..', '..');
const rules = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs'));

const tsFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });

/** dependency-cruiser over explicit files (the project's TypeScript 7 is not a transpiler it loads to scan folders). */
const violations = async (root: string, dirs: string[]): Promise<string[]> => {
  const files = dirs.flatMap((d) => tsFiles(join(root, d))).map((f) => relative(root, f));
  const previous = process.cwd();
  process.chdir(root);
  try {
    const result = (await cruise(files, { ruleSet: rules, ...rules.options, validate: true })).output as ICruiseResult;
    return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
  } finally {
    process.chdir(previous);
  }
};

describe('layer rules', () => {
  it('When the sources are checked, then no layer rule is broken', async () => {
    expect(await violations(ROOT, ['shared/src', 'server/src'])).toEqual([]);
  }, 60_000);

  it('When an engine module imports the companion, a route opens a store, and an adapter imports another, then each is caught', async () => {
    const found = await violations(join(ROOT, 'tests/fixtures/layers'), ['shared', 'server']);
    expect(found).toEqual(
      expect.arrayContaining([
        'engine-is-pure: shared/src/engine/leaky.ts → server/src/http/route.ts',
        'engine-does-no-io: shared/src/engine/leaky.ts → fs',
        'entry-points-use-use-cases: server/src/http/route.ts → server/src/store/state.ts',
        'entry-points-use-use-cases: server/src/http/route.ts → server/src/crm/embedded/adapter.ts',
        'adapters-do-not-import-each-other: server/src/crm/embedded/adapter.ts → server/src/crm/salesforce/api.ts',
      ]),
    );
  }, 60_000);

  it('When the companion sources are read, then SQL appears only in the store modules', () => {
    const stores = /^server\/src\/(store\/|crm\/embedded\/store\.ts$)/;
    const offenders = tsFiles(join(ROOT, 'server/src'))
      .map((f) => relative(ROOT, f))
      .filter((f) => !stores.test(f))
      .filter((f) => /\.prepare\(|\bstore\.db\b|\.db\.exec\(|DatabaseSync/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
