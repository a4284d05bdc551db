// Temporary data folders for tests that use a real embedded org file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});
/** Folders that live for a whole test file (a describe block's shared org), removed after it. */
const kept: string[] = [];
afterAll(() => {
  while (kept.length) rmSync(kept.pop()!, { recursive: true, force: true });
});

export const tempDir = (label = 'stagecraft'): string => {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
};

/** A folder that lives until the test file ends (tempDir's are removed after each test). */
export const suiteDir = (label = 'stagecraft'): string => {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  kept.push(dir);
  return dir;
};

export const FIXTURE_DIR = new URL('../fixtures/sfdc-demo/', import.meta.url).pathname;
