// Temporary data folders for tests that use a real embedded org file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

export const tempDir = (label = 'stagecraft'): string => {
  const dir = mkdtempSync(join(tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
};

export const FIXTURE_DIR = new URL('../fixtures/sfdc-demo/', import.meta.url).pathname;
