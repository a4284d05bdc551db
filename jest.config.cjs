// Component tests (sfdx-lwc-jest, Jest 29 + jsdom). CommonJS because the package is ESM ("type": "module").
// Only force-app's __tests__ folders are component tests: Jest's default pattern would also pick up
// scripts/test.ts (which runs Jest) and the Vitest suites.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
    ...jestConfig,
    roots: ['<rootDir>/force-app'],
    testMatch: ['**/__tests__/**/*.test.js'],
    setupFilesAfterEnv: [
        ...(jestConfig.setupFilesAfterEnv ?? []),
        '<rootDir>/jest-sa11y-setup.cjs',
        '<rootDir>/jest-labels-setup.cjs',
    ],
    testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/.localdevserver/'],
};
