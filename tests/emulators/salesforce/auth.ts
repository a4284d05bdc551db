// OAuth 2.0 token endpoint (JWT bearer and refresh token flows) and the sessions it issues. Error bodies follow
// Salesforce's token endpoint: {"error": "...", "error_description": "..."} with HTTP 400.
import { createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';
import type { Org } from './org.ts';

export interface ConnectedApp {
  clientId: string;
  clientSecret?: string;
  /** PEM public key (or certificate) the JWT bearer flow verifies RS256 signatures against. */
  publicKey?: string;
  /** Usernames pre-authorised for the app; others get "user hasn't approved this consumer". Default: every User. */
  approvedUsers?: string[];
}

export interface Session {
  token: string;
  userId: string;
  username: string;
  clientId: string | undefined;
  expired: boolean;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(error: string, description: string, status = 400) {
    super(description);
    this.error = error;
    this.status = status;
  }
}

const b64urlJson = (part: string): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

export class Auth {
  private readonly org: Org;
  private readonly apps = new Map<string, ConnectedApp & { key?: KeyObject }>();
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, { clientId: string; username: string; revoked: boolean }>();
  /** Audiences accepted in JWT `aud` besides the emulator's own URL. */
  readonly audiences = new Set<string>(['https://login.salesforce.com', 'https://test.salesforce.com']);
  baseUrl = '';
  /** JWT `exp` leeway for clock skew, seconds. */
  clockSkewSeconds = 0;

  constructor(org: Org) {
    this.org = org;
  }

  registerApp(app: ConnectedApp): void {
    this.apps.set(app.clientId, { ...app, ...(app.publicKey ? { key: createPublicKey(app.publicKey) } : {}) });
  }

  /** A refresh token for (client, username), as the web-server flow would have issued it. */
  issueRefreshToken(clientId: string, username: string): string {
    const token = `5Aep861${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(token, { clientId, username, revoked: false });
    return token;
  }

  revokeRefreshToken(token: string): void {
    const t = this.refreshTokens.get(token);
    if (t) t.revoked = true;
  }

  /** A session for a username (default: the integration user), without any OAuth exchange. */
  issueAccessToken(username?: string, clientId?: string): string {
    const user = this.userByName(username) ?? this.org.get('User', this.org.integrationUserId)!;
    const token = `${this.org.orgId.slice(0, 15)}!${randomBytes(32).toString('base64url')}`;
    this.sessions.set(token, { token, userId: user.Id, username: String(user.Username), clientId, expired: false });
    return token;
  }

  /** Expires one session, or every session: later calls with it get 401 INVALID_SESSION_ID. */
  expireAccessToken(token?: string): void {
    for (const s of this.sessions.values()) if (!token || s.token === token) s.expired = true;
  }

  session(authorization: string | undefined): Session | undefined {
    const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(authorization ?? '');
    const s = m ? this.sessions.get(m[1]!.trim()) : undefined;
    return s && !s.expired ? s : undefined;
  }

  private userByName(username: string | undefined): { Id: string; Username?: unknown } | undefined {
    if (!username) return undefined;
    return this.org.all('User').find((u) => String(u.Username ?? '').toLowerCase() === username.toLowerCase() && u.IsActive !== false);
  }

  /** POST /services/oauth2/token */
  token(params: URLSearchParams): Record<string, unknown> {
    const grant = params.get('grant_type');
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtBearer(params.get('assertion'));
    if (grant === 'refresh_token') return this.refresh(params);
    if (!grant) throw new OAuthError('invalid_request', 'grant type not supported'); // Salesforce words a missing grant_type this way too
    throw new OAuthError('unsupported_grant_type', 'grant type not supported');
  }

  private jwtBearer(assertion: string | null): Record<string, unknown> {
    const parts = (assertion ?? '').split('.');
    if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
    const header = b64urlJson(parts[0]!);
    const claims = b64urlJson(parts[1]!);
    if (!header || !claims || header.alg !== 'RS256') throw new OAuthError('invalid_grant', 'invalid assertion');
    const app = this.apps.get(String(claims.iss ?? ''));
    if (!app) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (!app.key) throw new OAuthError('invalid_grant', 'invalid assertion');
    const verify = createVerify('RSA-SHA256');
    verify.update(`${parts[0]}.${parts[1]}`);
    if (!verify.verify(app.key, Buffer.from(parts[2]!, 'base64url'))) throw new OAuthError('invalid_grant', 'invalid assertion');
    const aud = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud ?? '')];
    const accepted = new Set([...this.audiences, this.baseUrl].map((a) => a.replace(/\/$/, '')));
    if (!aud.some((a) => accepted.has(a.replace(/\/$/, '')))) throw new OAuthError('invalid_grant', 'audience is invalid');
    const exp = Number(claims.exp);
    if (!Number.isFinite(exp) || exp + this.clockSkewSeconds <= Math.floor(this.org.now().getTime() / 1000)) {
      throw new OAuthError('invalid_grant', 'expired authorization code');
    }
    const username = String(claims.sub ?? '');
    const user = this.userByName(username);
    if (!user || (app.approvedUsers && !app.approvedUsers.some((u) => u.toLowerCase() === username.toLowerCase()))) {
      throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    }
    const access = this.issueAccessToken(username, app.clientId);
    // The JWT bearer flow issues no refresh token.
    return { access_token: access, scope: 'api', instance_url: this.baseUrl, id: this.identityUrl(user.Id), token_type: 'Bearer' };
  }

  private refresh(params: URLSearchParams): Record<string, unknown> {
    const app = this.apps.get(params.get('client_id') ?? '');
    if (!app) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    const secret = params.get('client_secret');
    if (app.clientSecret !== undefined && secret !== app.clientSecret) throw new OAuthError('invalid_client', 'invalid client credentials');
    const rt = this.refreshTokens.get(params.get('refresh_token') ?? '');
    if (!rt || rt.revoked || rt.clientId !== app.clientId) throw new OAuthError('invalid_grant', 'expired access/refresh token');
    const user = this.userByName(rt.username);
    if (!user) throw new OAuthError('invalid_grant', 'inactive user');
    const access = this.issueAccessToken(rt.username, app.clientId);
    const issuedAt = String(this.org.now().getTime());
    return {
      access_token: access, signature: randomBytes(32).toString('base64'), scope: 'api refresh_token', instance_url: this.baseUrl,
      id: this.identityUrl(user.Id), token_type: 'Bearer', issued_at: issuedAt,
    };
  }

  private identityUrl(userId: string): string {
    return `${this.baseUrl}/id/${this.org.orgId}/${userId}`;
  }
}
