// All configuration comes from the environment and is validated once, at start-up. A bad value stops the process with
// one line naming the variable; nothing downstream re-reads process.env.
import { AppError } from './errors.ts';
import { resolve } from 'node:path';
import { z } from 'zod';

import { isLoopbackHost } from './loopback.ts';

/** HOST binds to loopback only (by address: `127.0.0.1.nip.io` is not loopback). */
export const isLoopback = (host: string): boolean => isLoopbackHost(host);

const optionalText = z.string().trim().min(1).optional();

const Env = z
  .object({
    // Decimal digits only: Number('0x50') is 80, Number('1e3') 1000, Number(' 80 ') 80 — none of them a port someone meant.
    PORT: z.string().regex(/^\d{1,5}$/, 'must be a port number from 0 to 65535 (decimal digits)').transform(Number).pipe(z.number().max(65_535, 'must be a port number from 0 to 65535')).default(3000),
    HOST: z.string().trim().min(1).regex(/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*|\[?[0-9A-Fa-f:.]+\]?)$/, 'must be a host name or an IP address').default('127.0.0.1'),
    STAGECRAFT_API_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    STAGECRAFT_DATA_DIR: z.string().trim().min(1).refine((d) => !/^\/(proc|sys|dev)(\/|$)/.test(resolve(d)), 'must not be under /proc, /sys or /dev').default('./.stagecraft'),
    STAGECRAFT_SECRET_KEY: optionalText,
    DATABASE_URL: z.url().optional(),
    SF_INSTANCE_URL: z.url().optional(),
    SF_ACCESS_TOKEN: optionalText,
    SF_LOGIN_URL: z.url().optional(),
    SF_CLIENT_ID: optionalText,
    SF_CLIENT_SECRET: optionalText,
    SF_USERNAME: optionalText,
    SF_PRIVATE_KEY_FILE: optionalText,
    SF_REFRESH_TOKEN: optionalText,
    SF_API_VERSION: z.string().regex(/^\d{2,3}\.0$/, 'must look like 65.0').default('65.0'),
    SF_NAMESPACE: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,14}$/, 'must be a namespace prefix like stgc').optional(),
    SF_API_BUDGET_SHARE: z.coerce.number().gt(0, 'must be a share between 0 and 1').max(1, 'must be a share between 0 and 1').default(0.8),
    SF_BULK_THRESHOLD: z.coerce.number().int().min(0).default(2000),
    SF_POLL_SECONDS: z.coerce.number().int().min(10).default(300),
    SF_CDC: z.enum(['auto', 'off'], { message: 'must be auto (Change Data Capture where the org enables it, polling for the rest) or off (polling only)' }).default('auto'),
    HUBSPOT_ACCESS_TOKEN: optionalText,
    HUBSPOT_BASE_URL: z.url().default('https://api.hubapi.com'),
    HUBSPOT_CLIENT_SECRET: optionalText,
    // HubSpot, beyond the contract's three: a public app's OAuth, the portal's burst limit, the webhook URL it signs.
    HUBSPOT_CLIENT_ID: optionalText,
    HUBSPOT_REFRESH_TOKEN: optionalText,
    HUBSPOT_BURST_LIMIT: z.coerce.number().int().min(10, 'must be the portal\'s requests per 10 seconds (100, 190 or 250)').max(1000).default(100),
    HUBSPOT_WEBHOOK_URL: z.url().optional(),
    HUBSPOT_POLL_SECONDS: z.coerce.number().int().min(10).default(300),
  })
  .superRefine((env, ctx) => {
    if (!isLoopback(env.HOST) && !env.STAGECRAFT_API_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['STAGECRAFT_API_TOKEN'], message: `is required when HOST (${env.HOST}) is not a loopback address` });
    }
  });

export type Config = ReturnType<typeof toConfig>;

const toConfig = (env: z.infer<typeof Env>) => ({
  port: env.PORT,
  host: env.HOST,
  apiToken: env.STAGECRAFT_API_TOKEN ?? null,
  dataDir: resolve(env.STAGECRAFT_DATA_DIR),
  orgFile: resolve(env.STAGECRAFT_DATA_DIR, 'org.sqlite'),
  companionFile: resolve(env.STAGECRAFT_DATA_DIR, 'companion.sqlite'),
  databaseUrl: env.DATABASE_URL ?? null,
  secretKey: env.STAGECRAFT_SECRET_KEY ?? null,
  salesforce: {
    instanceUrl: env.SF_INSTANCE_URL ?? null,
    accessToken: env.SF_ACCESS_TOKEN ?? null,
    loginUrl: env.SF_LOGIN_URL ?? null,
    clientId: env.SF_CLIENT_ID ?? null,
    clientSecret: env.SF_CLIENT_SECRET ?? null,
    username: env.SF_USERNAME ?? null,
    privateKeyFile: env.SF_PRIVATE_KEY_FILE ?? null,
    refreshToken: env.SF_REFRESH_TOKEN ?? null,
    apiVersion: env.SF_API_VERSION,
    namespace: env.SF_NAMESPACE ?? null,
    budgetShare: env.SF_API_BUDGET_SHARE,
    bulkThreshold: env.SF_BULK_THRESHOLD,
    pollSeconds: env.SF_POLL_SECONDS,
    cdc: env.SF_CDC,
  },
  hubspot: {
    accessToken: env.HUBSPOT_ACCESS_TOKEN ?? null,
    baseUrl: env.HUBSPOT_BASE_URL,
    clientSecret: env.HUBSPOT_CLIENT_SECRET ?? null,
    clientId: env.HUBSPOT_CLIENT_ID ?? null,
    refreshToken: env.HUBSPOT_REFRESH_TOKEN ?? null,
    burstLimit: env.HUBSPOT_BURST_LIMIT,
    webhookUrl: env.HUBSPOT_WEBHOOK_URL ?? null,
    pollSeconds: env.HUBSPOT_POLL_SECONDS,
  },
});

export class ConfigError extends AppError {
  constructor(message: string) {
    super('configuration', message);
  }
}

/** Reads and validates the environment. Throws ConfigError naming the first bad variable. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  // An empty variable means "not set": shells and .env files leave them behind.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = present[name];
    throw new ConfigError(`configuration: ${name}${value !== undefined && !/TOKEN|SECRET|KEY/.test(name) ? ` (${JSON.stringify(value)})` : ''} ${issue.message}`);
  }
  return toConfig(parsed.data);
};
