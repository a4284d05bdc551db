// OAuth for a public app (OAuth tokens API, v1 and v3): the user installs the app (here `authorize`, standing in for
// the install URL's redirect with `?code=`), the app exchanges the code at POST /oauth/v1/token (or /oauth/v3/token)
// for an access token (expires_in 1800 s, per the changelog "Expiration of OAuth access tokens is changing") and a
// refresh token, and refreshes with grant_type=refresh_token. An expired access token is refused with 401
// EXPIRED_AUTHENTICATION. GET /oauth/v1/access-tokens/{token} returns the token's metadata.
import { randomBytes } from 'node:crypto';
import { HsError } from './errors.ts';

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  appId: number;
}

interface AccessToken {
  clientId: string;
  expiresAt: number;
  scopes: string[];
}

/** The token endpoint's errors: 400 `{status: 'BAD_…', message, correlationId}`. */
const bad = (status: string, message: string): HsError => {
  const e = new HsError(400, status, message);
  // The token endpoint reports the code in `status`, not `category`.
  Object.assign(e.extra, { status });
  return e;
};

export class OAuth {
  readonly apps = new Map<string, OAuthApp>();
  /** Access-token lifetime in seconds (HubSpot: 1800). */
  accessTokenLifetime = 1800;
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly clock: () => number;
  private readonly portalId: number;

  constructor(portalId: number, clock: () => number = Date.now) {
    this.portalId = portalId;
    this.clock = clock;
  }

  registerApp(app: Partial<OAuthApp> & { redirectUri: string }): OAuthApp {
    const full: OAuthApp = { clientId: app.clientId ?? randomUUIDish(), clientSecret: app.clientSecret ?? randomUUIDish(), scopes: app.scopes ?? ['crm.objects.deals.read', 'crm.objects.deals.write', 'crm.objects.contacts.read'], appId: app.appId ?? 1_000_000 + this.apps.size + 1, redirectUri: app.redirectUri };
    this.apps.set(full.clientId, full);
    return full;
  }

  /** The user approved the install: the code HubSpot appends to the redirect URI (single use, valid 10 minutes here). */
  authorize(clientId: string): string {
    const app = this.apps.get(clientId);
    if (!app) throw new Error(`no app ${clientId}`);
    const code = `na1-${randomBytes(12).toString('hex')}`;
    this.codes.set(code, { clientId, redirectUri: app.redirectUri, expiresAt: this.clock() + 10 * 60_000 });
    return code;
  }

  token(form: URLSearchParams): Record<string, unknown> {
    const app = this.apps.get(form.get('client_id') ?? '');
    if (!app) throw bad('BAD_CLIENT_ID', 'missing or unknown client id');
    if (form.get('client_secret') !== app.clientSecret) throw bad('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.clientId !== app.clientId || code.expiresAt < this.clock()) throw bad('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (form.get('redirect_uri') !== code.redirectUri) throw bad('BAD_REDIRECT_URI', 'redirect_uri does not match the one the code was issued for');
      this.codes.delete(form.get('code')!);
      const refresh = `na1-${randomBytes(16).toString('hex')}`;
      this.refreshTokens.set(refresh, app.clientId);
      return { ...this.issue(app), refresh_token: refresh };
    }
    if (grant === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      if (this.refreshTokens.get(refresh) !== app.clientId) throw bad('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      return { ...this.issue(app), refresh_token: refresh };
    }
    throw bad('BAD_GRANT_TYPE', `unsupported grant_type ${grant}`);
  }

  private issue(app: OAuthApp): Record<string, unknown> {
    const access = `CN${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(access, { clientId: app.clientId, expiresAt: this.clock() + this.accessTokenLifetime * 1000, scopes: app.scopes });
    return { token_type: 'bearer', access_token: access, expires_in: this.accessTokenLifetime };
  }

  /** 'valid', 'expired' (with how long ago, seconds) or 'unknown'. */
  check(token: string): { state: 'valid' } | { state: 'expired'; agoSeconds: number } | { state: 'unknown' } {
    const t = this.accessTokens.get(token);
    if (!t) return { state: 'unknown' };
    const now = this.clock();
    return t.expiresAt > now ? { state: 'valid' } : { state: 'expired', agoSeconds: Math.max(1, Math.round((now - t.expiresAt) / 1000)) };
  }

  /** Makes an access token expire now (tests of refresh-on-401). */
  expire(token: string): void {
    const t = this.accessTokens.get(token);
    if (t) t.expiresAt = this.clock() - 1000;
  }

  revokeRefreshToken(token: string): void {
    this.refreshTokens.delete(token);
  }

  info(token: string): Record<string, unknown> {
    const t = this.accessTokens.get(token);
    if (!t || t.expiresAt <= this.clock()) throw new HsError(404, 'NOT_FOUND', 'Token not found or expired');
    const app = this.apps.get(t.clientId)!;
    return { token, user: 'installer@example.com', hub_domain: `portal-${this.portalId}.hubspot.com`, scopes: t.scopes, hub_id: this.portalId, app_id: app.appId, expires_in: Math.round((t.expiresAt - this.clock()) / 1000), user_id: 70_000_001, token_type: 'access' };
  }
}

const randomUUIDish = (): string => randomBytes(16).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
