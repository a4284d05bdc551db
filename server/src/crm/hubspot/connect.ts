// Builds the HubSpot adapter from the validated configuration: a private app's token (one portal), or a public app's
// OAuth (client id + secret, tokens encrypted in the companion store with STAGECRAFT_SECRET_KEY); the portal's burst
// limit; the stage mapping an admin keeps in <data dir>/hubspot-mapping.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { parseSecretKeys } from '../../secrets.ts';
import type { ConnectorStateRepository } from '../../store/companion-store.ts';
import { HubSpotAdapter } from './adapter.ts';
import { HubSpotApi, type HubSpotApiOptions } from './api.ts';
import { StageMappingSchema as Mapping, type HubSpotCredentials } from './credentials.ts';
import { HubSpotOAuth } from './oauth.ts';
import type { StageMapping } from './reader.ts';

export const TENANT = 'hubspot';

/** `hubspot-mapping.json`: `{stages: {<stage id or label>: <playbook stage>}, processes: {<pipeline id or label>: <sales process>}}`. */
export const readStageMapping = (dataDir: string): StageMapping => {
  const file = join(dataDir, 'hubspot-mapping.json');
  if (!existsSync(file)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new AppError('configuration', `${file} is not valid JSON`);
  }
  const parsed = Mapping.safeParse(json);
  if (!parsed.success) throw new AppError('configuration', `${file}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  return parsed.data;
};

export const oauthFromConfig = (config: Config, store: ConnectorStateRepository): HubSpotOAuth => {
  const hs = config.hubspot;
  if (!hs.clientId || !hs.clientSecret) throw new AppError('configuration', 'no HubSpot credentials: set HUBSPOT_ACCESS_TOKEN (private app), or HUBSPOT_CLIENT_ID + HUBSPOT_CLIENT_SECRET (public app, OAuth)');
  if (!config.secretKey) throw new AppError('configuration', 'STAGECRAFT_SECRET_KEY is required to keep HubSpot OAuth tokens (they are stored encrypted)');
  return new HubSpotOAuth({ basePath: hs.baseUrl, clientId: hs.clientId, clientSecret: hs.clientSecret, store, tenant: TENANT, keys: parseSecretKeys(config.secretKey), refreshToken: hs.refreshToken });
};

export const hubspotAdapterFromConfig = (config: Config, store: ConnectorStateRepository): HubSpotAdapter => {
  const hs = config.hubspot;
  const oauth = hs.accessToken ? null : oauthFromConfig(config, store);
  const api = new HubSpotApi({ accessToken: hs.accessToken ?? oauth!.accessToken, onUnauthorized: oauth?.invalidate, basePath: hs.baseUrl, limits: { burst: hs.burstLimit } });
  return new HubSpotAdapter({ api, store, tenant: TENANT, mapping: readStageMapping(config.dataDir) });
};

/** A scale-out tenant's connector: its own portal token and limits, its state under its id, the worker's call hook. */
export const hubspotAdapterForTenant = (tenant: string, credentials: HubSpotCredentials, store: ConnectorStateRepository, hooks: Pick<HubSpotApiOptions, 'beforeCall'> = {}): HubSpotAdapter => {
  const api = new HubSpotApi({ accessToken: credentials.accessToken, basePath: credentials.baseUrl, limits: credentials.limits, beforeCall: hooks.beforeCall });
  return new HubSpotAdapter({ api, store, tenant, mapping: credentials.mapping ?? {} });
};
