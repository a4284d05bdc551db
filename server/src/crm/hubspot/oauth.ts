// OAuth for a public app (authorization code flow): the install code is exchanged once for an access token (30 minutes)
// and a refresh token; the access token is refreshed five minutes before it expires. Tokens are kept in the companion
// store sealed like every stored CRM credential (../../secrets.ts: AES-256-GCM under STAGECRAFT_SECRET_KEY, the tenant
// bound as associated data, old keys still readable after a rotation) — never in plain text, never logged.
import { Client } from '@hubspot/api-client';
import { AppError } from '../../errors.ts';
import { seal, unseal, type Sealed, type SecretKey } from '../../secrets.ts';
import type { ConnectorStateRepository } from '../../store/companion-store.ts';

const KEY = 'hubspotOAuth';
const REFRESH_AHEAD_MS = 5 * 60_000;

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface HubSpotOAuthOptions {
  basePath?: string;
  clientId: string;
  clientSecret: string;
  store: ConnectorStateRepository;
  tenant: string;
  /** STAGECRAFT_SECRET_KEY's keys (parseSecretKeys): the first seals, any opens. */
  keys: readonly SecretKey[];
  /** A refresh token to start from when the store holds none (HUBSPOT_REFRESH_TOKEN). */
  refreshToken?: string | null;
  now?: () => number;
}

export class HubSpotOAuth {
  private readonly options: HubSpotOAuthOptions;
  private readonly client: Client;
  private readonly now: () => number;
  private tokens: OAuthTokens | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(options: HubSpotOAuthOptions) {
    this.options = options;
    // The token endpoints need no bearer token; no retries (a bad code is not worth retrying).
    this.client = new Client({ basePath: options.basePath, numberOfApiCallRetries: 0 });
    this.now = options.now ?? Date.now;
  }

  /** The install: the code from the redirect → tokens, stored encrypted. */
  async exchangeCode(code: string, redirectUri: string): Promise<void> {
    // POST /oauth/v1/token grant_type=authorization_code
    const t = await this.grant(() => this.client.oauth.tokensApi.create('authorization_code', code, redirectUri, this.options.clientId, this.options.clientSecret));
    await this.save(t);
  }

  /** A valid access token, refreshed ahead of its expiry. */
  accessToken = async (): Promise<string> => {
    this.tokens ??= await this.load();
    if (this.tokens && this.tokens.expiresAt - REFRESH_AHEAD_MS > this.now()) return this.tokens.accessToken;
    const refreshToken = this.tokens?.refreshToken ?? this.options.refreshToken;
    if (!refreshToken) throw new AppError('authentication', 'HubSpot OAuth: no tokens yet — install the app (authorization code) or set HUBSPOT_REFRESH_TOKEN');
    this.refreshing ??= (async () => {
      try {
        // POST /oauth/v1/token grant_type=refresh_token
        const t = await this.grant(() => this.client.oauth.tokensApi.create('refresh_token', undefined, undefined, this.options.clientId, this.options.clientSecret, refreshToken));
        await this.save(t);
        return t.accessToken;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  };

  /** The access token was refused: the next `accessToken()` refreshes it. */
  invalidate = (): void => {
    if (this.tokens) this.tokens = { ...this.tokens, expiresAt: 0 };
  };

  private async grant(run: () => Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>): Promise<OAuthTokens> {
    try {
      const t = await run();
      return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: this.now() + t.expiresIn * 1000 };
    } catch (error) {
      const e = error as { code?: number; body?: { status?: string; message?: string } };
      throw new AppError('authentication', `HubSpot OAuth refused: ${e.body?.status ?? e.code ?? ''} ${e.body?.message ?? (error as Error).message}`.trim());
    }
  }

  private async save(t: OAuthTokens): Promise<void> {
    this.tokens = t;
    await this.options.store.setValue(this.options.tenant, KEY, JSON.stringify(seal(this.options.keys, JSON.stringify(t), this.options.tenant)));
  }

  private async load(): Promise<OAuthTokens | null> {
    const sealed = await this.options.store.getValue(this.options.tenant, KEY);
    return sealed ? (JSON.parse(unseal(this.options.keys, JSON.parse(sealed) as Sealed, this.options.tenant)) as OAuthTokens) : null;
  }
}
