// OAuth for a public app (authorization code flow): the install code is exchanged once for an access token (30 minutes)
// and a refresh token; the access token is refreshed five minutes before it expires. Tokens are kept in the companion
// store encrypted (AES-256-GCM, key derived from STAGECRAFT_SECRET_KEY) — never in plain text, never logged.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import { AppError } from '../../errors.ts';
import type { ConnectorStateRepository } from '../../store/companion-store.ts';

const KEY = 'hubspotOAuth';
const REFRESH_AHEAD_MS = 5 * 60_000;

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Symmetric encryption of stored credentials: iv.tag.ciphertext, base64url. */
export class CredentialCipher {
  private readonly key: Buffer;
  constructor(secretKey: string) {
    if (secretKey.length < 16) throw new AppError('configuration', 'STAGECRAFT_SECRET_KEY must be at least 16 characters');
    this.key = scryptSync(secretKey, 'stagecraft-crm-credentials', 32);
  }
  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
  }
  decrypt(sealed: string): string {
    const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    if (!iv || !tag || !data) throw new AppError('configuration', 'stored HubSpot credentials are unreadable');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    } catch {
      throw new AppError('configuration', 'stored HubSpot credentials cannot be decrypted with this STAGECRAFT_SECRET_KEY');
    }
  }
}

export interface HubSpotOAuthOptions {
  basePath?: string;
  clientId: string;
  clientSecret: string;
  store: ConnectorStateRepository;
  tenant: string;
  secretKey: string;
  /** A refresh token to start from when the store holds none (HUBSPOT_REFRESH_TOKEN). */
  refreshToken?: string | null;
  now?: () => number;
}

export class HubSpotOAuth {
  private readonly options: HubSpotOAuthOptions;
  private readonly cipher: CredentialCipher;
  private readonly client: Client;
  private readonly now: () => number;
  private tokens: OAuthTokens | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(options: HubSpotOAuthOptions) {
    this.options = options;
    this.cipher = new CredentialCipher(options.secretKey);
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
    await this.options.store.setValue(this.options.tenant, KEY, this.cipher.encrypt(JSON.stringify(t)));
  }

  private async load(): Promise<OAuthTokens | null> {
    const sealed = await this.options.store.getValue(this.options.tenant, KEY);
    return sealed ? (JSON.parse(this.cipher.decrypt(sealed)) as OAuthTokens) : null;
  }
}
