import { defineConfig } from 'vitest/config';

// The browser suite: the preview in headless Chromium over a seeded demo org. Run by scripts/test.ts as its own suite.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
