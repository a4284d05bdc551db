// Builds the Salesforce adapter from the validated configuration: which of the three auth flows the environment
// describes, the API version (always explicit), the namespace, the budget share and the Bulk threshold.
import { AppError } from '../../errors.ts';
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.ts';
import type { ConnectorStateRepository } from '../../store/companion-store.ts';
import { SalesforceAdapter } from './adapter.ts';
import { SalesforceApi, type ApiOptions, type SalesforceAuth } from './api.ts';
import { authFromCredentials, type SalesforceCredentials } from './credentials.ts';

export class SalesforceConfigError extends AppError {
  constructor(message: string) {
    super('configuration', message);
  }
}

/** Session token first, then JWT bearer, then refresh token: the first complete set wins. */
export const authFromConfig = (sf: Config['salesforce']): SalesforceAuth => {
  if (sf.instanceUrl && sf.accessToken) return { kind: 'session', instanceUrl: sf.instanceUrl, accessToken: sf.accessToken };
  const loginUrl = sf.loginUrl ?? 'https://login.salesforce.com';
  if (sf.clientId && sf.username && sf.privateKeyFile) {
    let privateKey: string;
    try {
      privateKey = readFileSync(sf.privateKeyFile, 'utf8');
    } catch {
      throw new SalesforceConfigError(`SF_PRIVATE_KEY_FILE (${sf.privateKeyFile}) cannot be read`);
    }
    return { kind: 'jwt', loginUrl, clientId: sf.clientId, username: sf.username, privateKey };
  }
  if (sf.clientId && sf.refreshToken) return { kind: 'refresh', loginUrl, clientId: sf.clientId, clientSecret: sf.clientSecret, refreshToken: sf.refreshToken };
  throw new SalesforceConfigError(
    'no Salesforce credentials: set SF_INSTANCE_URL + SF_ACCESS_TOKEN, or SF_CLIENT_ID + SF_USERNAME + SF_PRIVATE_KEY_FILE (JWT), or SF_CLIENT_ID + SF_REFRESH_TOKEN (+ SF_CLIENT_SECRET)',
  );
};

/** The connector for the configured org, keeping its state in `store` (the composition root chooses which). */
export const salesforceAdapterFromConfig = (config: Config, store: ConnectorStateRepository): SalesforceAdapter => {
  const api = new SalesforceApi({ auth: authFromConfig(config.salesforce), apiVersion: config.salesforce.apiVersion, budgetShare: config.salesforce.budgetShare });
  return new SalesforceAdapter({ api, store, namespace: config.salesforce.namespace, bulkThreshold: config.salesforce.bulkThreshold });
};

/** A scale-out tenant's connector: its own credentials, its state under its id, the worker's call hooks. */
export const salesforceAdapterForTenant = (
  config: Pick<Config, 'salesforce'>,
  tenant: string,
  credentials: SalesforceCredentials,
  store: ConnectorStateRepository,
  hooks: Pick<ApiOptions, 'beforeCall' | 'client' | 'retry'> = {},
): SalesforceAdapter => {
  const api = new SalesforceApi({ auth: authFromCredentials(credentials), apiVersion: config.salesforce.apiVersion, budgetShare: config.salesforce.budgetShare, ...hooks });
  return new SalesforceAdapter({ api, store, tenant, namespace: config.salesforce.namespace, bulkThreshold: config.salesforce.bulkThreshold });
};
