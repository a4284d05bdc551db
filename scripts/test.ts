// `npm test`: every suite, then one closing line with the real totals ("N passed, N failed").
// Each runner writes a JSON report; the totals come from those reports, never from parsing console text.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface Totals { passed: number; failed: number; skipped: number }
interface Suite { name: string; command: string[]; report: string; when?: () => boolean }

const outDir = '.test-results';
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const hasComponentTests = (): boolean => {
  const lwcDir = 'force-app/main/default/lwc';
  return existsSync(lwcDir) && readdirSync(lwcDir).some((c) => existsSync(join(lwcDir, c, '__tests__')));
};

// The browser suite needs Debian's Chromium. Without it the suite is skipped loudly and counted as skipped, unless
// STAGECRAFT_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
const CHROMIUM = process.env.STAGECRAFT_CHROMIUM ?? '/usr/bin/chromium';
const requireBrowser = process.env.STAGECRAFT_REQUIRE_BROWSER === '1';
const BROWSER_TESTS = 22; // tests in tests/e2e, reported as skipped when the suite cannot run
const hasBrowser = (): boolean => existsSync(CHROMIUM);

const HUBSPOT_CARDS = 'hubspot-app/src/app/cards';
const HUBSPOT_CARDS_VITEST = join(HUBSPOT_CARDS, 'node_modules', '.bin', 'vitest');
const suites: Suite[] = [
  { name: 'engine and companion (vitest)', command: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outDir}/vitest.json`], report: `${outDir}/vitest.json` },
  { name: 'preview in the browser (playwright-core + Chromium)', command: ['vitest', 'run', '-c', 'vitest.e2e.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${outDir}/e2e.json`], report: `${outDir}/e2e.json`, when: hasBrowser },
  // The HubSpot app cards have their own package (React 18, TypeScript 5: @hubspot/ui-extensions' peers) and run in its vitest.
  { name: 'HubSpot app cards (@hubspot/ui-extensions/testing)', command: [HUBSPOT_CARDS_VITEST, 'run', '--root', HUBSPOT_CARDS, '--reporter=default', '--reporter=json', `--outputFile.json=${process.cwd()}/${outDir}/hubspot-cards.json`], report: `${outDir}/hubspot-cards.json` },
  { name: 'components (sfdx-lwc-jest)', command: ['sfdx-lwc-jest', '--', '--json', `--outputFile=${outDir}/jest.json`], report: `${outDir}/jest.json`, when: hasComponentTests },
];

const total: Totals = { passed: 0, failed: 0, skipped: 0 };
let runnerFailed = false;
if (!hasBrowser()) {
  const line = `no Chromium at ${CHROMIUM}: the browser suite (${BROWSER_TESTS} tests) did not run`;
  if (requireBrowser) {
    console.error(`\n✖ ${line}, and STAGECRAFT_REQUIRE_BROWSER=1 makes that a failure`);
    total.failed += 1;
  } else {
    console.warn(`\n${'!'.repeat(100)}\n!! SKIPPED: ${line}. Install it (apt-get install chromium) to run it.\n${'!'.repeat(100)}`);
    total.skipped += BROWSER_TESTS;
  }
}
// The scale-out suites need PostgreSQL (a server on 127.0.0.1:5432, and Debian's server binaries for the private
// cluster the fault test restarts). Without it they skip and count as skipped — said here, loudly — unless
// STAGECRAFT_REQUIRE_POSTGRES=1 (CI), where each suite fails instead.
const { postgresAnswers, SERVER_URL } = await import('../tests/support/postgres.ts');
if (!(await postgresAnswers())) {
  const line = `PostgreSQL does not answer at ${SERVER_URL}: the scale-out suites (tests/integration/pg-store, scale.tenants, scale) will skip`;
  if (process.env.STAGECRAFT_REQUIRE_POSTGRES === '1') console.error(`\n✖ ${line}, and STAGECRAFT_REQUIRE_POSTGRES=1 makes each a failure`);
  else console.warn(`\n${'!'.repeat(100)}\n!! SKIPPED: ${line}. Start it (pg_ctlcluster 15 main start) or install it (apt-get install postgresql).\n${'!'.repeat(100)}`);
}
for (const suite of suites) {
  if (suite.when && !suite.when()) continue;
  console.log(`\n▶ ${suite.name}`);
  const [cmd, ...args] = suite.command;
  // A bare name is the root's own tool; a path names a nested package's (the HubSpot cards').
  const run = spawnSync(cmd!.includes('/') ? cmd! : join('node_modules', '.bin', cmd!), args, { stdio: 'inherit', env: process.env });
  if (!existsSync(suite.report)) {
    console.error(`✖ ${suite.name}: the runner exited ${run.status} without a report`);
    runnerFailed = true;
    total.failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(suite.report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests?: number; numRuntimeErrorTestSuites?: number };
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  total.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (run.status !== 0 && report.numFailedTests === 0 && !report.numRuntimeErrorTestSuites) {
    console.error(`✖ ${suite.name}: the runner exited ${run.status}`);
    runnerFailed = true;
    total.failed += 1;
  }
}

console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 || runnerFailed ? 1 : 0);
