import { defineConfig } from 'vitest/config';

// Engine and companion suites. Component tests under force-app run in sfdx-lwc-jest (jest.config.cjs).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'force-app/**', 'tests/e2e/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
