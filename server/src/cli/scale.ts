// The scale-out commands (DATABASE_URL): `stagecraft worker` and `stagecraft tenant …`. Thin: arguments parsed strictly
// here, the work done by the tenant use cases and the worker; every error leaves as one line (cli/main.ts `run`).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { composeScaleOut, type ScaleOut } from '../composition.ts';
import { AppError } from '../errors.ts';
import { addTenant, listTenants, replaceCredentials, requestSync, rotateKeys, setPaused, setTenantPlaybook, tenantPlaybook, tenantRuns, type TenantView } from '../use-cases/tenants.ts';
import { describeErrors } from '../../../shared/src/playbook/schema.ts';
import { DEFAULT_PLAYBOOK } from '../../../shared/src/playbook/default-playbook.ts';
import { startWorker } from '../workers/scale-worker.ts';

export const SCALE_USAGE = `Scale-out (DATABASE_URL and STAGECRAFT_SECRET_KEY set):
  serve                         with DATABASE_URL: the tenant admin API (/api/admin, STAGECRAFT_API_TOKEN) alone
  worker [--concurrency N] [--job-timeout <seconds>] [--drain-timeout <seconds>] [--no-schedule]
                                take tenant syncs off the queue until SIGTERM (which drains)
  tenant add <id> --crm salesforce --credentials <file.json|-> [--name <text>] [--daily-budget N] [--every <seconds>]
  tenant list [--json]          tenants with their last run and last failure
  tenant rotate [<id> --credentials <file.json|->]
                                re-encrypt every tenant under the current key, or replace one tenant's credentials
  tenant pause <id> | resume <id>
  tenant runs <id> [--json] [--limit N]
  tenant playbook <id> [<file.json>]
                                print a tenant's playbook, or set it (only if it is valid)
  tenant sync <id>... | --all [--incremental] [--as-of <ISO date>]
                                enqueue a sync now`;

const usage = (message: string): AppError => new AppError('bad_input', `${message}\n\n${SCALE_USAGE}`, { name: 'UsageError' });

const wholeNumber = (name: string, text: string | undefined, min: number): number | undefined => {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min) throw usage(`--${name} "${text}" is not a whole number of at least ${min}`);
  return Number(text);
};

const readCredentials = (file: string | undefined): unknown => {
  if (!file) throw usage('--credentials <file.json> (or - for standard input) is required');
  return readJson(file, '--credentials');
};

const readJson = (file: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new AppError('bad_input', `${what} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('bad_input', `${what} ${file} is not JSON: ${(error as Error).message}`);
  }
};

const when = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').slice(0, 19) : '–');

const printTenants = (rows: TenantView[]): void => {
  if (!rows.length) {
    console.log('No tenants yet: stagecraft tenant add <id> --crm salesforce --credentials <file.json>');
    return;
  }
  for (const t of rows) {
    const last = t.lastRun ? `${t.lastRun.status} ${when(t.lastRun.finishedAt ?? t.lastRun.startedAt)}${t.lastRun.summary ? ` (${t.lastRun.summary})` : ''}` : 'never run';
    const failure = t.lastFailure ? `; last failure ${when(t.lastFailure.startedAt)} ${t.lastFailure.errorKind}: ${t.lastFailure.error}` : '';
    console.log(`${t.id}  ${t.crm}  ${t.paused ? 'PAUSED' : 'active'}  key ${t.keyId}  last run: ${last}${failure}`);
  }
};

const tenantCommand = async (s: ScaleOut, action: string | undefined, args: string[], values: Record<string, string | boolean | undefined>): Promise<number> => {
  const id = args[0];
  const needId = (): string => {
    if (!id) throw usage(`tenant ${action} needs a tenant id`);
    return id;
  };
  switch (action) {
    case 'add': {
      if (!values.crm) throw usage('tenant add needs --crm salesforce (or hubspot)');
      const t = await addTenant(s, {
        id: needId(), crm: String(values.crm), name: values.name as string | undefined, credentials: readCredentials(values.credentials as string | undefined),
        dailyApiBudget: wholeNumber('daily-budget', values['daily-budget'] as string | undefined, 1) ?? null, syncEverySeconds: wholeNumber('every', values.every as string | undefined, 60),
      });
      console.log(`Added tenant ${t.id} (${t.crm}); credentials encrypted under key ${t.keyId}.`);
      return 0;
    }
    case 'list': {
      const rows = await listTenants(s);
      if (values.json) console.log(JSON.stringify(rows, null, 2));
      else printTenants(rows);
      return 0;
    }
    case 'rotate': {
      if (id) {
        await replaceCredentials(s, id, readCredentials(values.credentials as string | undefined));
        console.log(`Replaced the credentials of ${id} (encrypted under key ${s.keys[0]!.id}).`);
        return 0;
      }
      const r = await rotateKeys(s);
      console.log(`Re-encrypted ${r.rotated} tenant${r.rotated === 1 ? '' : 's'} under key ${s.keys[0]!.id}; ${r.current} already were.`);
      return 0;
    }
    case 'pause':
    case 'resume':
      await setPaused(s, needId(), action === 'pause');
      console.log(`Tenant ${id} ${action === 'pause' ? 'paused: no syncs are taken for it until it is resumed' : 'resumed'}.`);
      return 0;
    case 'runs': {
      const runs = await tenantRuns(s, needId(), wholeNumber('limit', values.limit as string | undefined, 1) ?? 20);
      if (values.json) console.log(JSON.stringify(runs, null, 2));
      else if (!runs.length) console.log(`Tenant ${id} has not run yet.`);
      else for (const r of runs) console.log(`${when(r.startedAt)}  ${r.kind.padEnd(11)}  ${r.status.padEnd(8)}  ${r.worker}  ${r.summary ?? ''}${r.error ? `${r.errorKind}: ${r.error}` : ''}`);
      return 0;
    }
    case 'sync': {
      if (!values.all && !args.length) throw usage('tenant sync needs tenant ids or --all');
      const asOf = values['as-of'] as string | undefined;
      if (asOf !== undefined && Number.isNaN(Date.parse(asOf))) throw usage(`--as-of "${asOf}" is not an ISO date`);
      const queued = await requestSync(s, values.all ? 'all' : args, { mode: values.incremental ? 'incremental' : 'full', asOf: asOf === undefined ? undefined : new Date(asOf).toISOString() });
      for (const q of queued) console.log(`${q.tenant}: ${q.queued ? 'sync queued' : 'a sync is already waiting'}`);
      return 0;
    }
    case 'playbook': {
      const file = args[1];
      if (!file) {
        console.log(JSON.stringify((await tenantPlaybook(s, needId())) ?? DEFAULT_PLAYBOOK, null, 2));
        return 0;
      }
      const result = await setTenantPlaybook(s, needId(), readJson(file, 'playbook'));
      if (!result.ok) {
        console.error(`stagecraft: ${file} is not a valid playbook (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}); nothing changed:`);
        for (const line of describeErrors(result.errors)) console.error(`  ${line}`);
        return 2;
      }
      console.log(`Tenant ${id}: playbook set; its next sync computes under it.`);
      return 0;
    }
    default:
      throw usage(`unknown tenant action "${action ?? ''}"`);
  }
};

/** `worker` and `tenant …`; -1 when the command keeps running (the worker). */
export const scaleCommand = async (argv: string[]): Promise<number> => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      allowNegative: true,
      options: {
        crm: { type: 'string' }, credentials: { type: 'string' }, name: { type: 'string' }, 'daily-budget': { type: 'string' }, every: { type: 'string' },
        json: { type: 'boolean', default: false }, limit: { type: 'string' }, all: { type: 'boolean', default: false }, incremental: { type: 'boolean', default: false }, 'as-of': { type: 'string' },
        concurrency: { type: 'string' }, 'job-timeout': { type: 'string' }, 'drain-timeout': { type: 'string' }, schedule: { type: 'boolean', default: true },
      },
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, action, ...args] = positionals;
  const config = loadConfig();
  if (command === 'worker') {
    const expire = wholeNumber('job-timeout', values['job-timeout'], 5) ?? 15 * 60;
    const drainMs = (wholeNumber('drain-timeout', values['drain-timeout'], 1) ?? 120) * 1000;
    // Lost jobs (a killed worker's) are noticed by pg-boss's maintenance: run it often enough for the job timeout.
    const s = composeScaleOut(config, { queue: { expireInSeconds: expire, maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(expire / 3))), onError: throttledLog() } });
    const worker = await startWorker(s, { concurrency: wholeNumber('concurrency', values.concurrency, 1), schedule: values.schedule });
    let draining = false;
    const drain = (): void => {
      if (draining) return;
      draining = true;
      void worker.drain(drainMs).then(() => process.exit(0), (error: unknown) => {
        console.error(`stagecraft: drain failed: ${(error as Error).message}`);
        process.exit(1);
      });
    };
    process.once('SIGTERM', drain);
    process.once('SIGINT', drain);
    return -1;
  }
  if (command !== 'tenant') throw usage(`unknown command "${command}"`);
  const s = composeScaleOut(config);
  try {
    return await tenantCommand(s, action, args, values);
  } finally {
    await s.close();
  }
};

/**
 * `stagecraft serve` with DATABASE_URL: the admin API (and, as they land, the webhook receivers) alone — no syncs run
 * here; workers take them. SIGTERM stops accepting, finishes in-flight requests, closes the pool.
 */
export const serveScaleOut = async (config: Config): Promise<void> => {
  const s = composeScaleOut(config);
  await s.db.migrated();
  const { startAdminServer } = await import('../http/admin-api.ts');
  const running = await startAdminServer({ scale: s, apiToken: config.apiToken, hubspot: { clientSecret: config.hubspot.clientSecret, publicUrl: config.hubspot.webhookUrl } }, config.host, config.port);
  console.log(`Stagecraft scale-out API on ${running.url} (admin routes under /api/admin${config.apiToken ? '' : ' — refused until STAGECRAFT_API_TOKEN is set'}${config.hubspot.clientSecret ? '; HubSpot webhooks on /webhooks/hubspot' : ''})`);
  const shutdown = (): void => void running.stop().then(() => s.close()).then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
};

/** pg-boss reports each failed poll while the database is away: one line per 10 s is enough. */
const throttledLog = (): ((error: Error) => void) => {
  let last = 0;
  return (error) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    console.error(`stagecraft: job queue: ${error.message}`);
  };
};
