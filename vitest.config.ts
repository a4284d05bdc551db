import { defineConfig } from 'vitest/config';

// Engine and companion suites. Component tests under force-app run in sfdx-lwc-jest (jest.config.cjs).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'force-app/**', 'tests/e2e/**'],
    environment: 'node',
    // Guards against a hang, not speed checks (speed is measured in npm run bench): generous, so a busy machine passes.
    testTimeout: 180_000,
    hookTimeout: 400_000,
    pool: 'forks',
  },
});
