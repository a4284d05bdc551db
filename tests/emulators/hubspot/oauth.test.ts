// OAuth for a public app through @hubspot/api-client: code exchange, access tokens that expire (401
// EXPIRED_AUTHENTICATION), refresh, and the token endpoint's errors.
import { Client } from '@hubspot/api-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from './index.ts';
import { api, seedDeals } from './helpers.ts';

let emu: HubSpotEmulator;
beforeEach(async () => {
  emu = await startHubSpotEmulator();
});
afterEach(async () => {
  await emu.stop();
});

describe('OAuth (public app)', () => {
  it('exchanges an install code for tokens, refuses the access token once expired, and refreshes it', async () => {
    seedDeals(emu, 2);
    const app = emu.oauth.registerApp({ redirectUri: 'http://127.0.0.1/oauth-callback' });
    const code = emu.oauth.authorize(app.clientId);
    const anon = new Client({ basePath: emu.url, numberOfApiCallRetries: 0 });
    const tokens = await anon.oauth.tokensApi.create('authorization_code', code, app.redirectUri, app.clientId, app.clientSecret);
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.refreshToken).toBeTruthy();
    const client = new Client({ accessToken: tokens.accessToken, basePath: emu.url, numberOfApiCallRetries: 0 });
    expect((await client.crm.deals.basicApi.getPage(10)).results).toHaveLength(2);
    const info = await anon.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info.hubId).toBe(emu.portal.portalId);
    // The code is single use.
    await expect(anon.oauth.tokensApi.create('authorization_code', code, app.redirectUri, app.clientId, app.clientSecret)).rejects.toMatchObject({ code: 400 });
    emu.oauth.expire(tokens.accessToken);
    const expired = await api(emu, '/crm/v3/objects/deals', { token: tokens.accessToken });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
    const refreshed = await anon.oauth.tokensApi.create('refresh_token', undefined, undefined, app.clientId, app.clientSecret, tokens.refreshToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    client.setAccessToken(refreshed.accessToken);
    expect((await client.crm.deals.basicApi.getPage(10)).results).toHaveLength(2);
  });

  it('answers the token endpoint\'s errors: unknown refresh token, wrong secret, wrong redirect URI', async () => {
    const app = emu.oauth.registerApp({ redirectUri: 'http://127.0.0.1/cb' });
    const post = (form: Record<string, string>): Promise<Response> => fetch(`${emu.url}/oauth/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const refresh = await post({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: 'nope' });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
    expect(await (await post({ grant_type: 'refresh_token', client_id: app.clientId, client_secret: 'wrong', refresh_token: 'x' })).json()).toMatchObject({ status: 'BAD_CLIENT_SECRET' });
    const code = emu.oauth.authorize(app.clientId);
    expect(await (await post({ grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret, code, redirect_uri: 'http://evil/cb' })).json()).toMatchObject({ status: 'BAD_REDIRECT_URI' });
  });
});
