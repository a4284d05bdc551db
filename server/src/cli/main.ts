// The `stagecraft` command: thin commands over the use cases. Arguments are parsed strictly here; the companion's
// parts come from the composition root; every error a user can meet leaves as one line and an exit code by its kind.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { checkDataDir } from '../data-dir.ts';
import { holdOrg, withHold } from '../org-lock.ts';
import { composeCompanion, parseCrm, type Companion } from '../composition.ts';
import { exportFolder, importFolder } from '../crm/embedded/csv-io.ts';
import { seedDemoOrg } from '../crm/embedded/demo/seed.ts';
import { AppError, EXIT_CODE, asAppError } from '../errors.ts';
import { describeErrors } from '../../../shared/src/playbook/schema.ts';
import { parseJsonText } from '../../../shared/src/playbook/json-text.ts';
import { playbookFile } from '../playbook-store.ts';
import { syncOrg, type SyncOutcome } from '../use-cases/companion-sync.ts';
import { recomputeAffected } from '../use-cases/recompute-affected.ts';
import type { StreamBatch } from '../workers/change-stream.ts';
import { backtest } from '../use-cases/backtest.ts';
import { changePlaybook } from '../use-cases/playbook.ts';
import type { SyncSummary } from '../use-cases/sync.ts';
import { progress } from './progress.ts';
import { SCALE_USAGE, scaleCommand, serveScaleOut } from './scale.ts';

const USAGE = `Usage: stagecraft <command> [options]

Commands:
  start                         seed the embedded demo org if absent, sync, then serve (what \`npm start\` runs)
  sync [--crm embedded|salesforce|hubspot] [--dry-run [--limit N]] [--as-of <ISO date>] [--incremental]
                                read the org, compute the indicators, write back what changed
                                (--incremental: only the deals changed since the last sync)
  serve [--crm salesforce|hubspot]  run the companion HTTP server (embedded), or keep a Salesforce org / HubSpot portal synced
  import <dir> [--force]        load a folder of Salesforce-export CSVs into the embedded org, replacing it
                                (--force: even when the folder holds no opportunities and would empty the org)
  export <dir>                  write the embedded org, with every field Stagecraft wrote, as CSVs
  seed [--force]                (re)create the embedded demo org
  backtest [--json] [--as-of <ISO date>]
                                which milestones predict wins in this org's closed deals, and stage conversion
  playbook show                 print the playbook in force (stage gates and milestones) as JSON
  playbook check <file>         validate a playbook file and show how many open deals would meet each milestone
  playbook set <file>           the same, then make it the playbook in force (only if it is valid)

${SCALE_USAGE}

Environment: see README.md (PORT, HOST, STAGECRAFT_DATA_DIR, STAGECRAFT_API_TOKEN, SF_*, HUBSPOT_*).`;

const usage = (message: string): AppError => new AppError('bad_input', message, { name: 'UsageError' });

const fmt = (n: number): string => n.toLocaleString('en-US');

/** Strict ISO date or date-time: `2026-02-30` and `1` are refused, not rolled over into March or read as 2001. */
export const parseAsOf = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  const ms = m ? Date.parse(m[4] ? (m[7] ? text : `${text}Z`) : `${text}T00:00:00Z`) : Number.NaN;
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  // Date.parse rolls 24:00 over into the next day: the clock parts are checked as the date parts are.
  const clockOk = !m?.[4] || (Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6] ?? 0) <= 59);
  if (!m || Number.isNaN(ms) || !clockOk || day!.getUTCDate() !== Number(m[3]) || day!.getUTCMonth() !== Number(m[2]) - 1) {
    throw usage(`--as-of "${text}" is not an ISO date (e.g. 2026-03-01 or 2026-03-01T12:00:00Z)`);
  }
  return new Date(ms).toISOString();
};

const parseLimit = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,6}$/.test(text)) throw usage(`--limit "${text}" is not a whole number from 1 to 9,999,999`);
  return Number(text);
};

const ensureOrg = (config: Config, force = false): void => {
  if (existsSync(config.orgFile) && !force) return;
  const hold = holdOrg(config.dataDir, 'replace');
  try {
    seed(config);
  } finally {
    hold.release();
  }
};

const seed = (config: Config): void => {
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

export const printSummary = (s: SyncSummary): void => {
  const read = Object.entries(s.recordsRead).filter(([, n]) => n > 0).map(([o, n]) => `${fmt(n)} ${o}`).join(', ');
  console.log(`Sync (${s.crm}${s.mode === 'incremental' ? ', incremental' : ''}) as of ${s.asOf}${s.dryRun ? ' — dry run, nothing written' : ''}`);
  console.log(`  records read:         ${read || 'none'}`);
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

const reportPlaybook = (c: Companion, outcome: Pick<SyncOutcome, 'playbookErrors' | 'playbookSource'>): void => {
  const errors = outcome.playbookErrors;
  if (!errors.length) return;
  console.error(`${playbookFile(c.dataDir)} was rejected (${errors.length} error${errors.length === 1 ? '' : 's'}); the ${outcome.playbookSource === 'last-good' ? 'last valid playbook' : 'default playbook'} stays in force:`);
  for (const line of describeErrors(errors)) console.error(`  ${line}`);
};

/** One sync through the use case, with a progress bar; prints the outcome. Returns the exit code. */
const sync = async (c: Companion, options: { dryRun: boolean; asOf?: string; planLimit?: number; incremental?: boolean }): Promise<number> => {
  const bar = progress();
  const labels = { read: 'Reading the org', compute: 'Computing indicators', score: 'Scoring reps', plan: 'Planning the write-back', write: 'Writing back' };
  let outcome: SyncOutcome;
  try {
    outcome = await syncOrg(c, { dryRun: options.dryRun, asOf: options.asOf, incremental: options.incremental, onStep: (step) => bar.step(labels[step]) });
  } finally {
    bar.done();
  }
  reportPlaybook(c, outcome);
  if (outcome.kind === 'stopped') {
    console.log(`Sync (${c.crm}) stopped: ${outcome.message}. Nothing is lost: the next run resumes this one.${outcome.apiCalls ? ` API calls used: ${fmt(outcome.apiCalls.total ?? 0)}.` : ''}`);
    return EXIT_CODE.budget;
  }
  if (options.dryRun) printPlan(outcome.summary, options.planLimit ?? 50);
  if (outcome.changes) console.log(`Changed since the last sync: ${Object.entries(outcome.changes.changed).map(([o, n]) => `${fmt(n)} ${o}`).join(', ') || 'nothing'} → ${fmt(outcome.changes.dealIds.length)} deals to recompute`);
  printSummary(outcome.summary);
  return 0;
};

const playbookCommand = async (c: Companion, action: string | undefined, file: string | undefined): Promise<number> => {
  if (action === 'show') {
    console.log(JSON.stringify(c.playbook().playbook, null, 2));
    return 0;
  }
  if ((action !== 'check' && action !== 'set') || !file) throw usage('usage: stagecraft playbook show | check <file> | set <file>');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('bad_input', `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  // BOM dropped, duplicate keys refused with their path, size and depth capped (json-text.ts).
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new AppError('bad_input', `${file}${parsed.path ? `, ${parsed.path}` : ''}: ${parsed.message}`);
  const candidate = parsed.value;
  const result = await changePlaybook(c, candidate, { save: action === 'set' });
  if (!result.ok) {
    console.error(`stagecraft: ${file} is not a valid playbook (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}); nothing changed:`);
    for (const line of describeErrors(result.errors)) console.error(`  ${line}`);
    return EXIT_CODE.bad_input;
  }
  console.log(`${file} is valid${result.saved ? ` and is now the playbook in force (${playbookFile(c.dataDir)}); it applies from the next sync` : ''}. Open deals meeting each milestone today:`);
  for (const row of result.effect) {
    console.log(`  ${row.process} · ${row.stage} · ${row.label}${row.required ? '' : ' (optional)'}: ${row.deals ? `${fmt(row.meeting)} of ${fmt(row.deals)} (${row.share} %)` : 'no open deals in this stage'}`);
  }
  for (const warning of result.warnings) console.log(`Warning: ${warning}`);
  return 0;
};

/**
 * `serve --crm salesforce`: Change Data Capture where the org enables it (SF_CDC=auto), the poller for the rest and as
 * a safety net, and the "recalculate now" probe unless attestations are streamed. Their syncs run one at a time.
 */
const serveSalesforce = async (c: Companion, config: Config): Promise<void> => {
  const adapter = await c.adapter();
  const { ChangeFeed } = await import('../workers/change-feed.ts');
  const { ChangeStreamFeed, serialQueue } = await import('../workers/change-stream.ts');
  const serial = serialQueue();
  const onError = (error: unknown): void => console.error(`stagecraft: sync failed: ${asAppError(error).message}`);
  const syncNow = async (streamed?: StreamBatch): Promise<boolean> => {
    // A stream batch recomputes its deals; a poll syncs incrementally.
    const outcome = streamed ? await recomputeAffected(c, streamed) : await syncOrg(c, { incremental: true });
    if (outcome.kind === 'done') printSummary(outcome.summary);
    else console.log(`Sync (salesforce) stopped: ${outcome.message}. The next poll resumes it.`);
    return outcome.kind === 'done';
  };

  const stream = config.salesforce.cdc === 'auto' ? adapter.changeStream?.((notice) => console.error(`stagecraft: ${notice.message}`)) ?? null : null;
  let streamed: string[] = [];
  let cdc: InstanceType<typeof ChangeStreamFeed> | null = null;
  if (stream) {
    cdc = new ChangeStreamFeed({
      stream, serial, onError,
      sync: (batch) => {
        console.log(`Change Data Capture: ${batch.events} change${batch.events === 1 ? '' : 's'} → ${batch.dealIds.length} deal${batch.dealIds.length === 1 ? '' : 's'}${batch.resynced.length ? `; re-reading ${batch.resynced.join(', ')} whole (gap or overflow)` : ''}`);
        return syncNow(batch);
      },
    });
    // Subscribed before the first sync: a change made while it runs is either read by it or arrives as an event.
    const started = await cdc.start();
    streamed = started.streamed;
    console.log(`Change Data Capture: streaming ${streamed.length ? streamed.join(', ') : 'no object'}`);
    if (started.unavailable.length) console.log(`Change Data Capture is not enabled for ${started.unavailable.map((u) => u.object).join(', ')}: polled every ${config.salesforce.pollSeconds} s (${started.unavailable[0]!.reason})`);
  }
  const attestationsStreamed = streamed.includes('Milestone_Attestation__c');
  const probe = adapter as { recalculationRequested?: () => Promise<boolean> };
  const feed = new ChangeFeed({
    pollMs: config.salesforce.pollSeconds * 1000,
    probeMs: (attestationsStreamed ? config.salesforce.pollSeconds : Math.min(30, config.salesforce.pollSeconds)) * 1000,
    probe: () => (attestationsStreamed ? Promise.resolve(false) : probe.recalculationRequested?.() ?? Promise.resolve(false)),
    sync: () => serial(async () => void (await syncNow())),
    onError,
  });
  await feed.runSync(false);
  feed.start();
  console.log(`Stagecraft is watching the Salesforce org: ${streamed.length ? 'changes as Change Data Capture delivers them, and ' : ''}an incremental sync every ${config.salesforce.pollSeconds} s${attestationsStreamed ? '' : ', and at once when a deal asks to be recalculated'}`);
  const shutdown = (signal: string): void => {
    console.log(`${signal}: finishing the running sync, then closing the store`);
    void Promise.all([feed.stop(), cdc?.stop()]).then(() => c.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};

/** HubSpot app cards may call the API when the app's client secret is known; the signature covers the public origin
 * HubSpot calls (the webhook URL's), not the address the server listens on. */
const hubspotCardRequests = (config: Config): { clientSecret: string; publicUrl: string | null } | undefined =>
  config.hubspot.clientSecret ? { clientSecret: config.hubspot.clientSecret, publicUrl: config.hubspot.webhookUrl ? new URL(config.hubspot.webhookUrl).origin : null } : undefined;

/** `serve --crm hubspot`: webhooks into the inbox, the worker recomputing the deals they touch, a catch-up poll. */
const serveHubSpot = async (c: Companion, config: Config): Promise<void> => {
  const { startHubSpotCompanion } = await import('./serve-hubspot.ts');
  const running = await startHubSpotCompanion(c, { host: config.host, port: config.port, clientSecret: config.hubspot.clientSecret, webhookUrl: config.hubspot.webhookUrl, pollSeconds: config.hubspot.pollSeconds });
  console.log(`Stagecraft is watching the HubSpot portal: webhooks at ${running.url}/webhooks/hubspot, an incremental sync every ${config.hubspot.pollSeconds} s`);
  const shutdown = (signal: string): void => {
    console.log(`${signal}: finishing the running recompute, then closing the store`);
    void running.stop().then(() => c.close()).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};

const backtestCommand = async (c: Companion, options: { json: boolean; asOf?: string }): Promise<number> => {
  const { asOf, backtest: report, conversion, flags } = await backtest(c, { asOf: options.asOf });
  if (options.json) {
    console.log(JSON.stringify({ asOf, backtest: report, conversion, flags }, null, 2));
    return 0;
  }
  console.log(`Milestone backtest as of ${asOf}: ${report.message}.`);
  console.log('Lift = win rate when the milestone was met ÷ win rate when it was missed: above 1 it goes with winning, below 1 with losing.');
  if (report.enoughHistory) {
    const rows = report.milestones.map((m) => [
      report.basis === 'at-close' ? '(at close)' : m.stage, m.label.slice(0, 44), fmt(m.evaluated), rate(m.met.winRate, m.met.interval), fmt(m.met.deals), rate(m.missed.winRate, m.missed.interval), fmt(m.missed.deals),
      m.liftText, m.predictive ? 'wins' : m.predictsLoss ? 'losses' : 'no',
    ]);
    printTable(['stage', 'milestone', 'deals', 'win when met (95 % CI)', 'n', 'win when missed (95 % CI)', 'n', 'lift', 'predicts'], rows);
    const flat = report.milestones.filter((m) => !m.predictive && !m.predictsLoss);
    if (flat.length) console.log(`\nNot predictive here (${flat.length}): ${flat.map((m) => `${m.label} — ${m.verdict}`).join('; ')}`);
  }
  console.log(`\nRisk flags as of ${asOf}: ${flags.message}.`);
  printTable(['flag', 'verdict', 'flagged', 'win when flagged', 'win when clear', 'lift (95 % CI)', 'raised'], flags.flags.map((f) => [
    f.flag, f.predictive ? 'predicts losses' : 'not predictive', fmt(f.flagged.judged), f.flagged.winRate === null ? '–' : `${Math.round(f.flagged.winRate * 100)} %`, f.clear.winRate === null ? '–' : `${Math.round(f.clear.winRate * 100)} %`,
    f.lift === null ? '–' : `${f.lift.toFixed(2)}× (${f.interval!.low.toFixed(2)}–${f.interval!.high.toFixed(2)})`, f.raised ? 'yes' : 'no',
  ]));
  console.log(`  Stalled after (days in stage, from won deals): ${Object.entries(flags.stallThresholds).map(([stage, days]) => `${stage} ${days ?? '–'}`).join(', ')}`);
  for (const r of conversion) {
    console.log(`\nStage conversion (${r.process}): ${r.message}.`);
    if (r.withoutHistory === r.closedDeals && r.closedDeals > 0) continue;
    printTable(['stage', 'reached', 'win rate', 'median days (won)', 'open deals', 'open value'], r.stages.map((s) => [s.stage, fmt(s.reached), rate(s.winRate, s.interval), s.medianDaysWon === null ? '–' : String(s.medianDaysWon), fmt(s.openDeals), `$${fmt(Math.round(s.openValue))}`]));
    for (const line of r.headlines) console.log(`  ${line}`);
  }
  return 0;
};

const rate = (r: number | null, ci: { low: number; high: number } | null): string => (r === null ? '–' : `${Math.round(r * 100)} % (${Math.round(ci!.low * 100)}–${Math.round(ci!.high * 100)})`);

const printTable = (header: string[], rows: string[][]): void => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
};

const serve = async (c: Companion, config: Config): Promise<void> => {
  const store = c.org();
  const [{ buildPreview }, { startServer }] = await Promise.all([import('../preview/build.ts'), import('../http/server.ts')]);
  // The preview UI: rebuilt only when its sources, the package's components or the toolchain changed.
  const preview = await buildPreview();
  console.log(preview.built ? `Built the preview (${preview.components.length} package components) in ${fmt(preview.ms)} ms` : 'Preview is up to date');
  const running = await startServer({ store, companion: c, dataDir: config.dataDir, apiToken: config.apiToken, crm: 'embedded', previewDir: preview.outDir, warmAnalytics: true, hubspotFetch: hubspotCardRequests(config), syncConfig: { dataDir: config.dataDir, orgFile: config.orgFile, companionFile: config.companionFile } }, config.host, config.port);
  console.log(`Stagecraft companion listening on ${running.url} (preview: ${running.url}/, health: ${running.url}/api/health)`);
  const shutdown = (signal: string): void => {
    console.log(`${signal}: finishing in-flight requests, then closing the store`);
    void running.stop().then(async () => {
      await c.close();
      process.exit(0);
    });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
};

/** Runs one command; -1 means it keeps running (a server). */
export const main = async (argv: string[]): Promise<number> => {
  if (argv[0] === 'worker' || argv[0] === 'tenant') return scaleCommand(argv);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        crm: { type: 'string', default: 'embedded' },
        'dry-run': { type: 'boolean', default: false },
        incremental: { type: 'boolean', default: false },
        'as-of': { type: 'string' },
        force: { type: 'boolean', default: false },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw usage(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : EXIT_CODE.bad_input;
  }
  const config = loadConfig();
  const crm = parseCrm(values.crm!);
  const asOf = parseAsOf(values['as-of']);
  const limit = parseLimit(values.limit);
  checkDataDir(config.dataDir);
  const companion = (): Companion => composeCompanion(config, crm);
  const once = async (work: (c: Companion) => Promise<number>): Promise<number> => {
    const c = companion();
    try {
      return await work(c);
    } finally {
      await c.close();
    }
  };
  switch (command) {
    case 'start': {
      ensureOrg(config);
      const c = companion();
      const code = await withHold(config.dataDir, 'sync', () => sync(c, { dryRun: false }));
      if (code !== 0) return code;
      await serve(c, config);
      return -1;
    }
    case 'sync':
      // A dry run writes nothing: it needs no hold.
      if (values['dry-run']) return once((c) => sync(c, { dryRun: true, asOf, planLimit: limit, incremental: values.incremental }));
      return withHold(config.dataDir, 'sync', () => once((c) => sync(c, { dryRun: false, asOf, planLimit: limit, incremental: values.incremental })));
    case 'serve':
      if (config.databaseUrl) await serveScaleOut(config);
      else if (crm === 'hubspot') await serveHubSpot(companion(), config);
      else if (crm === 'salesforce') await serveSalesforce(companion(), config);
      else await serve(companion(), config);
      return -1;
    case 'seed':
      ensureOrg(config, values.force);
      return 0;
    case 'playbook':
      return once((c) => playbookCommand(c, rest[0], rest[1]));
    case 'backtest':
      return once((c) => backtestCommand(c, { json: values.json!, asOf }));
    case 'import': {
      const dir = rest[0];
      if (!dir) throw usage('import needs a folder: stagecraft import <dir>');
      const summary = await withHold(config.dataDir, 'replace', () => importFolder(dir, config.orgFile, new Date(), { allowEmpty: values.force }));
      const counts = Object.entries(summary.counts).map(([o, n]) => `${fmt(n)} ${o}`).join(', ');
      console.log(`Imported ${dir} into ${config.orgFile}: ${counts}.`);
      if (summary.keptFields.length) console.log(`  Opportunity.csv: kept for playbook rules ${summary.keptFields.map((f) => `${f.name} (${f.type})`).join(', ')}`);
      for (const { file, columns } of summary.ignoredColumns) console.log(`  ${file}: ignored columns ${columns.join(', ')}`);
      if (summary.ignoredFiles?.length) console.log(`  ignored files (no object import reads): ${summary.ignoredFiles.join(', ')}`);
      if (summary.placeholderUsers) console.log(`  no User.csv: ${summary.placeholderUsers} referenced users were added as placeholders`);
      return 0;
    }
    case 'export': {
      const dir = rest[0];
      if (!dir) throw usage('export needs a folder: stagecraft export <dir>');
      return once(async (c) => {
        const counts = exportFolder(c.org(), dir);
        console.log(`Exported to ${dir}: ${Object.entries(counts).map(([o, n]) => `${fmt(n)} ${o}`).join(', ')}.`);
        return 0;
      });
    }
    default:
      throw usage(`unknown command "${command}"\n\n${USAGE}`);
  }
};

/**
 * Runs a command line the way the `stagecraft` bin does. Every error leaves as one line on stderr and the exit code of
 * its kind (README: "Exit codes"); an unexpected one says so, and STAGECRAFT_DEBUG=1 adds its stack.
 */
export const run = async (argv: string[]): Promise<void> => {
  try {
    const code = await main(argv);
    if (code >= 0) process.exitCode = code;
  } catch (error) {
    const e = asAppError(error);
    const cause = e.kind === 'internal' && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    console.error(`stagecraft: ${e.message}${cause}`);
    if (process.env.STAGECRAFT_DEBUG === '1') console.error((e.cause as Error | undefined)?.stack ?? e.stack);
    process.exitCode = EXIT_CODE[e.kind];
  }
};
