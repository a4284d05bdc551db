import { Connection } from 'jsforce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from './index.ts';
import { API_VERSION, keyPair, seedOpportunities, signJwt, soql } from './helpers.ts';

let emu: SalesforceEmulator;
const keys = keyPair();
const other = keyPair();
const USERNAME = 'dana@acme.example';
const CLIENT_ID = '3MVG9-emulated-client';

beforeEach(async () => {
  emu = await startSalesforceEmulator({ now: () => new Date() });
  emu.org.insert('User', { LastName: 'Ruiz', FirstName: 'Dana', Username: USERNAME, Email: USERNAME });
  emu.auth.registerApp({ clientId: CLIENT_ID, clientSecret: 's3cret', publicKey: keys.publicKey });
});
afterEach(async () => { await emu.stop(); });

const token = (params: Record<string, string>): Promise<Response> =>
  fetch(`${emu.url}/services/oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
const jwt = (claims: Record<string, unknown> = {}, key = keys.privateKey): string =>
  signJwt({ iss: CLIENT_ID, sub: USERNAME, aud: emu.url, exp: Math.floor(Date.now() / 1000) + 180, ...claims }, key);
const bearer = (assertion: string) => token({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });

describe('JWT bearer flow', () => {
  it('When a JWT signed by the registered key is posted, then an access token for that user works against the API', async () => {
    const res = await bearer(jwt());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ instance_url: emu.url, token_type: 'Bearer', scope: 'api' });
    expect(body.refresh_token).toBeUndefined();
    expect(body.id).toMatch(new RegExp(`/id/00D[0-9A-Za-z]{15}/005[0-9A-Za-z]{15}$`));
    expect((await soql(emu, 'SELECT Id FROM User', { token: body.access_token! })).status).toBe(200);
    expect(emu.callCounts()).toMatchObject({ oauth: 1, total: 1 });
    expect(emu.apiUsage).toBe(1);
  });

  it('When jsforce authorizes with a JWT assertion, then it gets the session and instance URL', async () => {
    const conn = new Connection({ loginUrl: emu.url, version: API_VERSION });
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt() });
    expect(conn.instanceUrl).toBe(emu.url);
    const res = await conn.query('SELECT Username FROM User WHERE Username = \'dana@acme.example\'');
    expect(res.totalSize).toBe(1);
  });

  it.each([
    ['another key signed it', () => jwt({}, other.privateKey), 'invalid_grant', 'invalid assertion'],
    ['iss is not a known client id', () => jwt({ iss: 'nope' }), 'invalid_client_id', 'client identifier invalid'],
    ['aud is another login URL', () => jwt({ aud: 'https://example.com' }), 'invalid_grant', 'audience is invalid'],
    ['exp has passed', () => jwt({ exp: Math.floor(Date.now() / 1000) - 1 }), 'invalid_grant', 'expired authorization code'],
    ['sub is not a user', () => jwt({ sub: 'ghost@acme.example' }), 'invalid_grant', "user hasn't approved this consumer"],
    ['alg is not RS256', () => signJwt({ iss: CLIENT_ID, sub: USERNAME, aud: emu.url, exp: 9e9 }, keys.privateKey, { alg: 'HS256' }), 'invalid_grant', 'invalid assertion'],
  ])('When %s, then 400 %s', async (_case, make, error, description) => {
    const res = await bearer(make());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error, error_description: description });
  });
});

describe('refresh token flow and sessions', () => {
  it('When the refresh token, client id and secret match, then a new access token is issued', async () => {
    const refresh = emu.auth.issueRefreshToken(CLIENT_ID, USERNAME);
    const res = await token({ grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: 's3cret', refresh_token: refresh });
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ instance_url: emu.url, token_type: 'Bearer' });
    expect(body.issued_at).toMatch(/^\d{13}$/);
    expect(body.signature).toBeTruthy();
  });

  it.each([
    ['the secret is wrong', { client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
    ['the client id is unknown', { client_id: 'nope' }, 'invalid_client_id', 'client identifier invalid'],
    ['the refresh token is unknown', { refresh_token: 'nope' }, 'invalid_grant', 'expired access/refresh token'],
    ['the grant type is unsupported', { grant_type: 'password' }, 'unsupported_grant_type', 'grant type not supported'],
  ])('When %s, then 400 %s', async (_c, override, error, description) => {
    const refresh = emu.auth.issueRefreshToken(CLIENT_ID, USERNAME);
    const res = await token({ grant_type: 'refresh_token', client_id: CLIENT_ID, client_secret: 's3cret', refresh_token: refresh, ...override });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error, error_description: description });
  });

  it('When the session expires, then calls get 401 INVALID_SESSION_ID and jsforce refreshes once and retries', async () => {
    seedOpportunities(emu, 3);
    const refresh = emu.auth.issueRefreshToken(CLIENT_ID, USERNAME);
    const access = emu.auth.issueAccessToken(USERNAME, CLIENT_ID);
    const conn = new Connection({ oauth2: { clientId: CLIENT_ID, clientSecret: 's3cret', loginUrl: emu.url }, instanceUrl: emu.url, accessToken: access, refreshToken: refresh, version: API_VERSION });
    expect((await conn.query('SELECT Id FROM Opportunity')).totalSize).toBe(3);
    emu.auth.expireAccessToken(access);
    const raw = await soql(emu, 'SELECT Id FROM Opportunity', { token: access });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect((await conn.query('SELECT Id FROM Opportunity')).totalSize).toBe(3);
    expect(conn.accessToken).not.toBe(access);
    expect(emu.callCounts().oauth).toBe(1);
  });

  it('When no Authorization header is sent, then 401 INVALID_SESSION_ID and the call does not count', async () => {
    const res = await fetch(`${emu.url}/services/data/v${API_VERSION}/sobjects`);
    expect(res.status).toBe(401);
    expect(emu.apiUsage).toBe(0);
  });
});
