// The `stagecraft` command: sync, serve, start (= seed if needed → sync → serve), import, export.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.ts';
import { EmbeddedAdapter } from '../crm/embedded/adapter.ts';
import type { CrmAdapter } from '../crm/port.ts';
import { BudgetStop } from '../crm/salesforce/api.ts';
import { ChangeFeed } from '../crm/salesforce/change-feed.ts';
import { salesforceAdapterFromConfig, SalesforceConfigError } from '../crm/salesforce/connect.ts';
import { SalesforceSetupError } from '../crm/salesforce/reader.ts';
import { exportFolder, ImportError, importFolder } from '../crm/embedded/csv-io.ts';
import { seedDemoOrg } from '../crm/embedded/demo/seed.ts';
import { OrgStore } from '../crm/embedded/store.ts';
import { startServer } from '../http/server.ts';
import { buildPreview } from '../preview/build.ts';
import { describeErrors, validatePlaybook } from '../../../shared/src/playbook/schema.ts';
import { playbookEffect } from '../../../shared/src/engine/playbook-effect.ts';
import { milestoneBacktest, stageConversion } from '../../../shared/src/engine/analytics.ts';
import { flagBacktest } from '../../../shared/src/engine/flag-backtest.ts';
import { buildOrgIndex } from '../../../shared/src/engine/org-index.ts';
import { loadPlaybook, playbookFile, savePlaybook } from '../playbook-store.ts';
import { QuotaError, readQuotaFile } from '../quotas.ts';
import { readFileSync } from 'node:fs';
import { runSync, type SyncSummary } from '../jobs/sync.ts';
import { progress } from './progress.ts';

const USAGE = `Usage: stagecraft <command> [options]

Commands:
  start                         seed the embedded demo org if absent, sync, then serve (what \`npm start\` runs)
  sync [--crm embedded|salesforce] [--dry-run] [--as-of <ISO date>]
                                read the org, compute the indicators, write back what changed
  serve [--crm salesforce]      run the companion HTTP server (embedded), or watch a Salesforce org and keep it synced
  import <dir>                  load a folder of Salesforce-export CSVs into the embedded org, replacing it
  export <dir>                  write the embedded org, with every field Stagecraft wrote, as CSVs
  seed [--force]                (re)create the embedded demo org
  backtest [--json] [--as-of <ISO date>]
                                which milestones predict wins in this org's closed deals, and stage conversion
  playbook show                 print the playbook in force (stage gates and milestones) as JSON
  playbook check <file>         validate a playbook file and show how many open deals would meet each milestone
  playbook set <file>           the same, then make it the playbook in force (only if it is valid)

Environment: see README.md (PORT, HOST, STAGECRAFT_DATA_DIR, STAGECRAFT_API_TOKEN, SF_*, HUBSPOT_*).`;

class UsageError extends Error {}

/** On the first sync, reps get this many past weekly scorecards so their trend is visible from day one. */
export const BACKFILL_WEEKS = 6;

const fmt = (n: number): string => n.toLocaleString('en-US');

const ensureOrg = (config: Config, force = false): void => {
  if (existsSync(config.orgFile) && !force) return;
  const bar = progress();
  bar.step('Seeding the embedded demo org');
  const summary = seedDemoOrg(config.orgFile, new Date(), (done, total) => bar.update(done, total));
  bar.done();
  const c = summary.counts;
  console.log(
    `Seeded the demo org in ${config.orgFile}: ${fmt(c.Opportunity ?? 0)} opportunities, ${fmt(c.User ?? 0)} users, ${fmt(c.Account ?? 0)} accounts, ` +
      `${fmt(c.Contact ?? 0)} contacts, ${fmt((c.Task ?? 0) + (c.Event ?? 0))} activities (dates shifted by ${fmt(summary.offsetDays)} days).`,
  );
};

const openOrg = (config: Config): OrgStore => {
  if (!existsSync(config.orgFile)) throw new UsageError(`no embedded org at ${config.orgFile}: run \`stagecraft seed\` or \`stagecraft import <dir>\` first`);
  return OrgStore.open(config.orgFile);
};

const printSummary = (s: SyncSummary): void => {
  const read = Object.entries(s.recordsRead).filter(([, n]) => n > 0).map(([o, n]) => `${fmt(n)} ${o}`).join(', ');
  console.log(`Sync (${s.crm}) as of ${s.asOf}${s.dryRun ? ' — dry run, nothing written' : ''}`);
  console.log(`  records read:         ${read}`);
  console.log(`  indicators computed:  ${fmt(s.indicatorsComputed.opportunities)} open opportunities, ${fmt(s.indicatorsComputed.reps)} rep scorecards${s.indicatorsComputed.backfilledPeriods ? ` (+${fmt(s.indicatorsComputed.backfilledPeriods)} past weekly scorecards for the trend)` : ''}`);
  console.log(`  fields changed:       ${fmt(s.plan.fieldsChanged)} on ${fmt(s.plan.records.length)} records${s.dryRun ? ' (planned)' : ''}`);
  if (s.written) console.log(`  written:              ${fmt(s.written.fieldsWritten)} fields on ${fmt(s.written.recordsWritten)} records, ${fmt(s.written.apiCalls)} API calls, ${s.written.failures.length} failures`);
  for (const f of s.written?.failures.slice(0, 10) ?? []) console.log(`    ✖ ${f.object} ${f.id}: ${f.message}`);
  if (s.apiCalls) {
    const kinds = Object.entries(s.apiCalls).filter(([k, n]) => k !== 'total' && n > 0).map(([k, n]) => `${fmt(n)} ${k}`).join(', ');
    console.log(`  API calls:            ${fmt(s.apiCalls.total ?? 0)} (${kinds || 'none'})`);
  }
  if (s.configurationErrors.length) {
    console.log(`  gate configuration:   ${s.configurationErrors.length} record(s) rejected (written to Configuration_Error__c; the rest of the playbook applies)`);
    for (const line of s.configurationErrors.slice(0, 10)) console.log(`    ✖ ${line}`);
  }
  if (s.dataQuality.length) console.log(`  data quality:         ${s.dataQuality.join('; ')}`);
  console.log(`  took ${fmt(s.durationMs)} ms`);
};

const printPlan = (s: SyncSummary, limit: number): void => {
  for (const record of s.plan.records.slice(0, limit)) {
    const changes = record.changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join(', ');
    console.log(`  ${record.object} ${record.id}  ${changes}`);
  }
  if (s.plan.records.length > limit) console.log(`  … and ${fmt(s.plan.records.length - limit)} more records`);
};

/** Exit code of a run the API budget stopped: nothing is lost, the next run resumes. */
export const EXIT_BUDGET_STOP = 3;

const sync = async (config: Config, options: { crm: string; dryRun: boolean; asOf?: string; planLimit?: number }): Promise<SyncSummary | null> => {
  if (options.crm !== 'embedded' && options.crm !== 'salesforce') throw new UsageError(`--crm ${options.crm} is not available in this build yet; use --crm embedded or --crm salesforce`);
  if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf))) throw new UsageError(`--as-of "${options.asOf}" is not an ISO date (e.g. 2026-03-01 or 2026-03-01T12:00:00Z)`);
  const store = options.crm === 'embedded' ? openOrg(config) : null;
  const adapter: CrmAdapter = store ? new EmbeddedAdapter(store) : salesforceAdapterFromConfig(config);
  const loaded = loadPlaybook(config.dataDir);
  reportPlaybook(config, loaded.errors, loaded.source);
  const bar = progress();
  const labels = { read: 'Reading the org', compute: 'Computing indicators', score: 'Scoring reps', plan: 'Planning the write-back', write: 'Writing back' };
  try {
    let summary: SyncSummary;
    try {
      summary = await runSync({ adapter, playbook: loaded.playbook, asOf: options.asOf, dryRun: options.dryRun, backfillWeeks: BACKFILL_WEEKS, quotas: readQuotaFile(config.dataDir), onStep: (step) => bar.step(labels[step]) });
    } catch (error) {
      if (!(error instanceof BudgetStop)) throw error;
      bar.done();
      await adapter.stopRun?.(error.message);
      const calls = adapter.apiCalls?.();
      console.log(`Sync (${adapter.name}) stopped: ${error.message}. Nothing is lost: the next run resumes this one.${calls ? ` API calls used: ${fmt(calls.total ?? 0)}.` : ''}`);
      process.exitCode = EXIT_BUDGET_STOP;
      return null;
    }
    bar.done();
    if (options.dryRun) printPlan(summary, options.planLimit ?? 50);
    else store?.setMeta('lastSync', JSON.stringify({ at: new Date().toISOString(), asOf: summary.asOf, fieldsChanged: summary.plan.fieldsChanged, recordsChanged: summary.plan.records.length }));
    printSummary(summary);
    return summary;
  } finally {
    bar.done();
    await adapter.close();
  }
};

const reportPlaybook = (config: Config, errors: { path: string; message: string }[], source: string): void => {
  if (!errors.length) return;
  console.error(`${playbookFile(config.dataDir)} was rejected (${errors.length} error${errors.length === 1 ? '' : 's'}); the ${source === 'last-good' ? 'last valid playbook' : 'default playbook'} stays in force:`);
  for (const line of describeErrors(errors)) console.error(`  ${line}`);
};

const playbookCommand = async (config: Config, action: string | undefined, file: string | undefined): Promise<number> => {
  if (action === 'show') {
    console.log(JSON.stringify(loadPlaybook(config.dataDir).playbook, null, 2));
    return 0;
  }
  if ((action !== 'check' && action !== 'set') || !file) throw new UsageError('usage: stagecraft playbook show | check <file> | set <file>');
  let candidate: unknown;
  try {
    candidate = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`stagecraft: ${file}: ${(error as Error).message}`);
    return 1;
  }
  const store = openOrg(config);
  try {
    const result = action === 'set' ? savePlaybook(config.dataDir, candidate) : validatePlaybook(candidate);
    if (!result.ok) {
      console.error(`stagecraft: ${file} is not a valid playbook (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}); nothing changed:`);
      for (const line of describeErrors(result.errors)) console.error(`  ${line}`);
      return 1;
    }
    const read = await new EmbeddedAdapter(store).read(new Date().toISOString());
    console.log(`${file} is valid${action === 'set' ? ` and is now the playbook in force (${playbookFile(config.dataDir)}); it applies from the next sync` : ''}. Open deals meeting each milestone today:`);
    for (const row of playbookEffect(read.snapshot, result.playbook, new Date().toISOString())) {
      console.log(`  ${row.process} · ${row.stage} · ${row.label}${row.required ? '' : ' (optional)'}: ${row.deals ? `${fmt(row.meeting)} of ${fmt(row.deals)} (${row.share} %)` : 'no open deals in this stage'}`);
    }
    return 0;
  } finally {
    store.close();
  }
};

/** `serve --crm salesforce`: the change feed (polling + "recalculate now" probe) keeps the org's fields current. */
const serveSalesforce = async (config: Config): Promise<void> => {
  const adapter = salesforceAdapterFromConfig(config);
  const { playbook } = loadPlaybook(config.dataDir);
  const feed = new ChangeFeed({
    pollMs: config.salesforce.pollSeconds * 1000,
    probeMs: Math.min(30, config.salesforce.pollSeconds) * 1000,
    probe: () => adapter.recalculationRequested(),
    sync: async () => {
      try {
        printSummary(await runSync({ adapter, playbook, backfillWeeks: BACKFILL_WEEKS }));
      } catch (error) {
        if (!(error instanceof BudgetStop)) throw error;
        await adapter.stopRun(error.message);
        console.log(`Sync (salesforce) stopped: ${error.message}. The next poll resumes it.`);
      }
    },
    onError: (error) => console.error(`stagecraft: sync failed: ${(error as Error).message}`),
  });
  await feed.runSync(false);
  feed.start();
  console.log(`Stagecraft is watching the Salesforce org: an incremental sync every ${config.salesforce.pollSeconds} s, and at once when a deal asks to be recalculated`);
  const shutdown = (signal: string): void => {
    console.log(`${signal}: finishing the running sync, then closing the store`);
    void feed.stop().then(() => adapter.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};

const backtestCommand = async (config: Config, options: { json: boolean; asOf?: string }): Promise<number> => {
  if (options.asOf !== undefined && Number.isNaN(Date.parse(options.asOf))) throw new UsageError(`--as-of "${options.asOf}" is not an ISO date`);
  const asOf = new Date(options.asOf ?? Date.now()).toISOString();
  const store = openOrg(config);
  try {
    const { snapshot } = await new EmbeddedAdapter(store).read(new Date().toISOString());
    const { playbook } = loadPlaybook(config.dataDir);
    const index = buildOrgIndex(snapshot);
    const backtest = milestoneBacktest(snapshot, playbook, asOf, index);
    const conversion = stageConversion(snapshot, playbook, asOf, index);
    const flags = flagBacktest(snapshot, playbook, asOf, index);
    if (options.json) {
      console.log(JSON.stringify({ backtest, conversion, flags }, null, 2));
      return 0;
    }
    console.log(`Milestone backtest as of ${asOf}: ${backtest.message}.`);
    if (backtest.enoughHistory) {
      const rows = backtest.milestones.map((m) => [
        m.stage, m.label.slice(0, 44), fmt(m.evaluated), rate(m.met.winRate, m.met.interval), fmt(m.met.deals), rate(m.missed.winRate, m.missed.interval), fmt(m.missed.deals),
        m.lift === null ? '–' : Number.isFinite(m.lift) ? `${m.lift.toFixed(2)}×` : '∞', m.predictive ? 'yes' : 'no',
      ]);
      printTable(['stage', 'milestone', 'deals', 'win when met (95 % CI)', 'n', 'win when missed (95 % CI)', 'n', 'lift', 'predicts'], rows);
      const flat = backtest.milestones.filter((m) => !m.predictive);
      if (flat.length) console.log(`\nNot predictive here (${flat.length}): ${flat.map((m) => `${m.label} — ${m.verdict}`).join('; ')}`);
    }
    console.log(`\nRisk flags as of ${asOf}: ${flags.message}.`);
    printTable(['flag', 'verdict', 'flagged', 'win when flagged', 'win when clear', 'lift (95 % CI)', 'raised'], flags.flags.map((f) => [
      f.flag, f.predictive ? 'predicts losses' : 'not predictive', fmt(f.flagged.judged), f.flagged.winRate === null ? '–' : `${Math.round(f.flagged.winRate * 100)} %`, f.clear.winRate === null ? '–' : `${Math.round(f.clear.winRate * 100)} %`,
      f.lift === null ? '–' : `${f.lift.toFixed(2)}× (${f.interval!.low.toFixed(2)}–${f.interval!.high.toFixed(2)})`, f.raised ? 'yes' : 'no',
    ]));
    console.log(`  Stalled after (days in stage, from won deals): ${Object.entries(flags.stallThresholds).map(([stage, days]) => `${stage} ${days ?? '–'}`).join(', ')}`);
    for (const report of conversion) {
      console.log(`\nStage conversion (${report.process}, ${fmt(report.closedDeals)} closed deals):`);
      printTable(['stage', 'reached', 'win rate', 'median days (won)', 'open deals', 'open value'], report.stages.map((s) => [s.stage, fmt(s.reached), rate(s.winRate, s.interval), s.medianDaysWon === null ? '–' : String(s.medianDaysWon), fmt(s.openDeals), `$${fmt(Math.round(s.openValue))}`]));
      for (const line of report.headlines) console.log(`  ${line}`);
    }
    return 0;
  } finally {
    store.close();
  }
};

const rate = (r: number | null, ci: { low: number; high: number } | null): string => (r === null ? '–' : `${Math.round(r * 100)} % (${Math.round(ci!.low * 100)}–${Math.round(ci!.high * 100)})`);

const printTable = (header: string[], rows: string[][]): void => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
};

const serve = async (config: Config): Promise<void> => {
  const store = openOrg(config);
  // The preview UI: rebuilt only when its sources, the package's components or the toolchain changed.
  const preview = await buildPreview();
  console.log(preview.built ? `Built the preview (${preview.components.length} package components) in ${fmt(preview.ms)} ms` : 'Preview is up to date');
  const running = await startServer({ store, dataDir: config.dataDir, apiToken: config.apiToken, crm: 'embedded', previewDir: preview.outDir, warmAnalytics: true }, config.host, config.port);
  console.log(`Stagecraft companion listening on ${running.url} (preview: ${running.url}/, health: ${running.url}/api/health)`);
  const shutdown = (signal: string): void => {
    console.log(`${signal}: finishing in-flight requests, then closing the store`);
    void running.stop().then(() => {
      store.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      crm: { type: 'string', default: 'embedded' },
      'dry-run': { type: 'boolean', default: false },
      'as-of': { type: 'string' },
      force: { type: 'boolean', default: false },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      ensureOrg(config);
      await sync(config, { crm: 'embedded', dryRun: false });
      await serve(config);
      return -1;
    case 'sync': {
      const summary = await sync(config, { crm: values.crm!, dryRun: values['dry-run']!, asOf: values['as-of'], planLimit: values.limit ? Number(values.limit) : undefined });
      return summary ? 0 : EXIT_BUDGET_STOP;
    }
    case 'serve':
      if (values.crm === 'salesforce') await serveSalesforce(config);
      else await serve(config);
      return -1;
    case 'seed':
      ensureOrg(config, values.force);
      return 0;
    case 'playbook':
      return playbookCommand(config, rest[0], rest[1]);
    case 'backtest':
      return backtestCommand(config, { json: values.json!, asOf: values['as-of'] });
    case 'import': {
      const dir = rest[0];
      if (!dir) throw new UsageError('import needs a folder: stagecraft import <dir>');
      const summary = importFolder(dir, config.orgFile, new Date());
      const counts = Object.entries(summary.counts).map(([o, n]) => `${fmt(n)} ${o}`).join(', ');
      console.log(`Imported ${dir} into ${config.orgFile}: ${counts}.`);
      for (const { file, columns } of summary.ignoredColumns) console.log(`  ${file}: ignored columns ${columns.join(', ')}`);
      if (summary.placeholderUsers) console.log(`  no User.csv: ${summary.placeholderUsers} referenced users were added as placeholders`);
      return 0;
    }
    case 'export': {
      const dir = rest[0];
      if (!dir) throw new UsageError('export needs a folder: stagecraft export <dir>');
      const store = openOrg(config);
      try {
        const counts = exportFolder(store, dir);
        console.log(`Exported to ${dir}: ${Object.entries(counts).map(([o, n]) => `${fmt(n)} ${o}`).join(', ')}.`);
      } finally {
        store.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
};

/** Runs a command line the way the `stagecraft` bin does: known errors become one clear line and an exit code. */
export const run = async (argv: string[]): Promise<void> => {
 try {
  const code = await main(argv);
  if (code >= 0) process.exitCode = code;
 } catch (error) {
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof ImportError || error instanceof QuotaError || error instanceof SalesforceConfigError || error instanceof SalesforceSetupError) {
    console.error(`stagecraft: ${error.message}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  } else if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`stagecraft: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
};
