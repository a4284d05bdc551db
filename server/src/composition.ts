// The composition root: the one place that turns configuration into the companion's parts — which CRM adapter, which
// stores — so the use cases never choose and the entry points (CLI commands, HTTP routes, the poller) never construct.
// Adapters are loaded on demand: a `stagecraft sync` of the embedded org never loads jsforce.
import { existsSync } from 'node:fs';
import type { Config } from './config.ts';
import type { CrmAdapter } from './crm/port.ts';
import { EmbeddedAdapter } from './crm/embedded/adapter.ts';
import { OrgStore } from './crm/embedded/store.ts';
import { AppError } from './errors.ts';
import { loadPlaybook, type LoadedPlaybook } from './playbook-store.ts';
import { readQuotaFile, type QuotaRow } from './quotas.ts';
import { SqliteTenantState, stateFile, type TenantStateRepository } from './store/tenant-state.ts';
import { WebhookInbox, type InboxRepository } from './store/webhook-inbox.ts';
import { CompanionStore, companionFile, type ConnectorStateRepository } from './store/companion-store.ts';
import { PgDatabase } from './store/pg.ts';
import { PgConnectorState, PgInbox, PgTenantState } from './store/pg-state.ts';
import { PgTenants, type TenantCrm } from './store/tenants.ts';
import { JobQueue, type QueueOptions } from './jobs/queue.ts';
import { parseSecretKeys, type SecretKey } from './secrets.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { validatePlaybook } from '../../shared/src/playbook/schema.ts';
import { SalesforceCredentials } from './crm/salesforce/credentials.ts';
import { HubSpotCredentials } from './crm/hubspot/credentials.ts';

export const CRM_KINDS = ['embedded', 'salesforce', 'hubspot'] as const;
export type CrmKind = (typeof CRM_KINDS)[number];

/** Only what the companion needs from the configuration (tests build it directly). */
export type CompanionConfig = Pick<Config, 'dataDir' | 'orgFile'> & Partial<Pick<Config, 'salesforce' | 'hubspot' | 'secretKey' | 'companionFile'>>;

export interface Companion {
  readonly crm: CrmKind;
  readonly dataDir: string;
  /** The tenant this process serves: its state is kept under this key. */
  tenant(): string;
  /** The embedded org (the demo CRM, and what the preview and its API read). */
  org(): OrgStore;
  /** The CRM adapter for this companion's CRM; constructed here and nowhere else. */
  adapter(): Promise<CrmAdapter>;
  readonly state: TenantStateRepository;
  /** Pushed change events (webhooks) kept until their recompute is written. */
  inbox(): InboxRepository;
  playbook(): LoadedPlaybook;
  quotas(): QuotaRow[];
  close(): Promise<void>;
}

export const parseCrm = (value: string): CrmKind => {
  if ((CRM_KINDS as readonly string[]).includes(value)) return value as CrmKind;
  throw new AppError('bad_input', `--crm ${value} is not one of ${CRM_KINDS.join(', ')}`);
};

/**
 * `store`: an org already open (the HTTP server shares its connection with the routes). The companion closes only
 * what it opened itself.
 */
export const composeCompanion = (config: CompanionConfig, crm: CrmKind = 'embedded', options: { store?: OrgStore } = {}): Companion => {
  let store = options.store ?? null;
  const ownsStore = !options.store;
  let adapter: CrmAdapter | null = null;
  let state: TenantStateRepository | null = null;
  let inbox: WebhookInbox | null = null;
  const org = (): OrgStore => {
    if (store) return store;
    if (!existsSync(config.orgFile)) throw new AppError('not_found', `no embedded org at ${config.orgFile}: run \`stagecraft seed\` or \`stagecraft import <dir>\` first`);
    return (store = OrgStore.open(config.orgFile));
  };
  return {
    crm,
    dataDir: config.dataDir,
    // The embedded org's state belongs to the org as imported or seeded: a new import starts a new tenant.
    tenant: () => (crm === 'embedded' ? `embedded:${org().getMeta('seededAt') ?? ''}` : crm),
    org,
    get state() {
      return (state ??= new SqliteTenantState(config.companionFile ?? stateFile(config.dataDir)));
    },
    async adapter() {
      if (adapter) return adapter;
      if (crm === 'embedded') return (adapter = new EmbeddedAdapter(org()));
      if (crm === 'hubspot') {
        if (!config.hubspot) throw new AppError('configuration', 'no HubSpot configuration');
        const { hubspotAdapterFromConfig } = await import('./crm/hubspot/connect.ts');
        return (adapter = hubspotAdapterFromConfig(config as Config, new CompanionStore(config.companionFile ?? companionFile(config.dataDir))));
      }
      if (!config.salesforce) throw new AppError('configuration', 'no Salesforce configuration');
      const { salesforceAdapterFromConfig } = await import('./crm/salesforce/connect.ts');
      return (adapter = salesforceAdapterFromConfig(config as Config, new CompanionStore(config.companionFile ?? companionFile(config.dataDir))));
    },
    inbox: () => (inbox ??= new WebhookInbox(config.companionFile ?? companionFile(config.dataDir))),
    playbook: () => loadPlaybook(config.dataDir),
    quotas: () => readQuotaFile(config.dataDir),
    async close() {
      // The embedded adapter closes the org it reads; a shared store stays open for its owner.
      if (adapter && (crm !== 'embedded' || ownsStore)) await adapter.close();
      else if (store && ownsStore) store.close();
      await state?.close();
      inbox?.close();
    },
  };
};

// ---- scale-out (DATABASE_URL): many tenants over PostgreSQL, jobs on pg-boss ----

/** What a worker or an admin command needs: the database, the tenants, the keys that seal their credentials, the queue. */
export interface ScaleOut {
  readonly db: PgDatabase;
  readonly tenants: PgTenants;
  readonly keys: SecretKey[];
  readonly state: PgTenantState;
  /** Every tenant's webhook inbox: the receiver adds, the workers drain. */
  readonly inbox: PgInbox;
  /** The job queue, started on first use. */
  queue(): Promise<JobQueue>;
  /** Validates a tenant's credentials for its CRM; throws bad_input naming what is wrong. */
  parseCredentials(crm: TenantCrm, value: unknown): unknown;
  /** The companion of one tenant for one job: its connector over its credentials, its state in PostgreSQL. */
  tenantCompanion(tenant: { id: string; crm: TenantCrm }, credentials: unknown, hooks: TenantCallHooks): Promise<Companion>;
  close(): Promise<void>;
}

export interface TenantCallHooks {
  beforeCall?: () => Promise<void>;
  /** Names the caller to the CRM (Salesforce: Sforce-Call-Options client=…). */
  client?: string;
}

export const composeScaleOut = (config: Pick<Config, 'databaseUrl' | 'secretKey' | 'salesforce'>, options: { queue?: QueueOptions; poolSize?: number } = {}): ScaleOut => {
  if (!config.databaseUrl) throw new AppError('configuration', 'configuration: DATABASE_URL is required for the scale-out (worker, tenant commands)');
  const keys = parseSecretKeys(config.secretKey);
  const db = new PgDatabase(config.databaseUrl, { max: options.poolSize });
  const tenants = new PgTenants(db);
  const state = new PgTenantState(db);
  const inbox = new PgInbox(db);
  let queue: Promise<JobQueue> | null = null;
  return {
    db,
    tenants,
    keys,
    state,
    inbox,
    queue() {
      queue ??= (async () => {
        const q = new JobQueue(config.databaseUrl!, options.queue);
        // Only a process given queue settings (a worker) imposes them on the shared queues.
        await q.start(options.queue !== undefined);
        return q;
      })();
      return queue;
    },
    parseCredentials(crm, value) {
      if (crm === 'hubspot') {
        const portal = HubSpotCredentials.safeParse(value);
        if (portal.success) return portal.data;
        const issue = portal.error.issues[0]!;
        throw new AppError('bad_input', `HubSpot credentials: ${issue.path.join('.') || 'object'} ${issue.message} (give accessToken, and optionally baseUrl, limits, mapping)`);
      }
      const parsed = SalesforceCredentials.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new AppError('bad_input', `Salesforce credentials: ${issue.path.join('.') || 'object'} ${issue.message} (give instanceUrl + accessToken, or clientId + username + privateKey, or clientId + refreshToken)`);
      }
      return parsed.data;
    },
    async tenantCompanion(tenant, credentials, hooks) {
      const store: ConnectorStateRepository = new PgConnectorState(db, tenant.id);
      // The tenant's playbook, when an admin set one (`tenant playbook`); otherwise the default.
      const stored = await state.playbook(tenant.id);
      const checked = stored ? validatePlaybook(stored) : null;
      const loaded: LoadedPlaybook = checked?.ok ? { playbook: checked.playbook, source: 'file', errors: [] } : { playbook: DEFAULT_PLAYBOOK, source: 'default', errors: checked && !checked.ok ? checked.errors : [] };
      const adapter: CrmAdapter = tenant.crm === 'hubspot'
        ? (await import('./crm/hubspot/connect.ts')).hubspotAdapterForTenant(tenant.id, credentials as HubSpotCredentials, store, { beforeCall: hooks.beforeCall })
        : (await import('./crm/salesforce/connect.ts')).salesforceAdapterForTenant(config, tenant.id, credentials as SalesforceCredentials, store, { beforeCall: hooks.beforeCall, client: hooks.client });
      return {
        crm: tenant.crm,
        dataDir: '',
        tenant: () => tenant.id,
        org: () => {
          throw new AppError('configuration', 'a scale-out tenant has no embedded org');
        },
        adapter: async () => adapter,
        state,
        playbook: () => loaded,
        quotas: () => [],
        // Filled by the scale-out's webhook receiver (`serve`), drained by a worker holding the tenant.
        inbox: () => inbox,
        close: () => adapter.close(),
      };
    },
    async close() {
      if (queue) await (await queue.catch(() => null))?.stop({ graceful: false });
      await db.close();
    },
  };
};
