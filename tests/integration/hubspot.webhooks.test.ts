// POST /webhooks/hubspot: the v3 signature (valid, tampered body, wrong secret, stale, replayed event id, oversized),
// the inbox written before the 200, and HubSpot's own deliveries from the emulator landing there.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubspotWebhookRouter, HUBSPOT_INBOX_SOURCE } from '../../server/src/http/hubspot-webhooks.ts';
import { WebhookInbox } from '../../server/src/store/webhook-inbox.ts';
import { signV3 } from '../../server/src/webhooks/hubspot-signature.ts';
import { signatureV3, startHubSpotEmulator, type HubSpotEmulator } from '../emulators/hubspot/index.ts';
import { tempDir } from './hubspot.support.ts';

const SECRET = 'client-secret-of-the-test-app';
const TENANT = 'hubspot';
let server: Server;
let url: string;
let inbox: WebhookInbox;
let emu: HubSpotEmulator;

const event = (eventId: number, objectId = 123): Record<string, unknown> => ({ eventId, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: Date.now(), subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId, changeSource: 'CRM_UI', propertyName: 'dealstage', propertyValue: '1000003' });

const post = (body: string, headers: Record<string, string>): Promise<Response> => fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });
const signed = (body: string, options: { secret?: string; timestamp?: number } = {}): Record<string, string> => {
  const timestamp = String(options.timestamp ?? Date.now());
  return { 'X-HubSpot-Request-Timestamp': timestamp, 'X-HubSpot-Signature-v3': signV3(options.secret ?? SECRET, 'POST', url, body, timestamp) };
};

beforeAll(async () => {
  inbox = new WebhookInbox(join(tempDir(), 'companion.sqlite'));
  const app = express();
  app.use(hubspotWebhookRouter({ clientSecret: SECRET, accept: (events, at) => inbox.add(TENANT, HUBSPOT_INBOX_SOURCE, events, at.toISOString()), maxBytes: 64 * 1024 }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/hubspot`;
  emu = await startHubSpotEmulator({ limits: { burst: 100, intervalMs: 1000 } });
});

afterAll(async () => {
  await emu?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  inbox.close();
});

describe('POST /webhooks/hubspot', () => {
  it('When a request carries a valid v3 signature, then its events are in the inbox when the 200 arrives', async () => {
    const body = JSON.stringify([event(1), event(2, 456)]);
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, new: 2 });
    expect(inbox.pending(TENANT, HUBSPOT_INBOX_SOURCE).map((e) => e.eventId)).toEqual(['1', '2']);
  });

  it('When the signature is the emulated HubSpot\'s own formula, then it is the one we verify', () => {
    expect(signV3(SECRET, 'POST', url, '[]', '1700000000000')).toBe(signatureV3(SECRET, 'POST', url, '[]', '1700000000000'));
  });

  it('When the body was tampered with after signing, then it is refused 401 and nothing is stored', async () => {
    const body = JSON.stringify([event(3)]);
    const res = await post(body.replace('"objectId":123', '"objectId":999'), signed(body));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/signature does not match/);
    expect(inbox.counts(TENANT, HUBSPOT_INBOX_SOURCE).received).toBe(2);
  });

  it('When it is signed with another secret, then it is refused 401', async () => {
    const body = JSON.stringify([event(4)]);
    const res = await post(body, signed(body, { secret: 'not-the-secret' }));
    expect(res.status).toBe(401);
    expect(inbox.counts(TENANT, HUBSPOT_INBOX_SOURCE).received).toBe(2);
  });

  it('When the timestamp is just over 5 minutes old, then it is refused; just under, accepted', async () => {
    const stale = JSON.stringify([event(5)]);
    const old = await post(stale, signed(stale, { timestamp: Date.now() - 5 * 60_000 - 1000 }));
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: { message: string } }).error.message).toMatch(/older than 5 minutes/);
    const fresh = JSON.stringify([event(6)]);
    expect((await post(fresh, signed(fresh, { timestamp: Date.now() - 5 * 60_000 + 5000 }))).status).toBe(200);
  });

  it('When an event id arrives again (a retry or a replay), then it is acknowledged and not stored twice', async () => {
    const body = JSON.stringify([event(1), event(7)]);
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2, new: 1 });
    expect(inbox.counts(TENANT, HUBSPOT_INBOX_SOURCE).received).toBe(4);
  });

  it('When the body is over the size limit, then it is refused 413 before anything is parsed', async () => {
    const body = JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ ...event(100 + i), propertyValue: 'x'.repeat(1000) })));
    const res = await post(body, signed(body));
    expect(res.status).toBe(413);
    expect(inbox.counts(TENANT, HUBSPOT_INBOX_SOURCE).received).toBe(4);
  });

  it('When the signature headers are missing or the body is not a batch of events, then 401 / 400', async () => {
    expect((await post('[]', {})).status).toBe(401);
    const body = JSON.stringify({ not: 'a batch' });
    expect((await post(body, signed(body))).status).toBe(400);
  });

  it('When the emulated portal delivers a user\'s edit, then the signed delivery is accepted and stored', async () => {
    emu.configureWebhooks({ targetUrl: url, appId: 1, clientSecret: SECRET, subscriptions: [{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }] });
    const deal = emu.portal.create('deals', { dealname: 'Webhook deal', dealstage: 'appointmentscheduled', pipeline: 'default' }, { source: 'IMPORT' });
    emu.applyChanges([{ op: 'update', objectType: 'deals', id: deal.id, properties: { dealstage: 'qualifiedtobuy' } }]);
    await emu.webhooks!.idle();
    expect(emu.webhooks!.deliveries.map((d) => d.status)).toEqual([200]);
    const stored = inbox.pending(TENANT, HUBSPOT_INBOX_SOURCE).map((e) => e.event as { objectId: string; propertyName: string });
    expect(stored.at(-1)).toMatchObject({ objectId: deal.id, propertyName: 'dealstage' });
  });
});
