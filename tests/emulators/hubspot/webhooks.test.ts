// Webhooks: user edits become batched, signed POSTs to the app's target URL; the v3 signature is recomputed here
// independently (HMAC-SHA256 over method + URI + raw body + timestamp, base64); failures are retried with the same event ids.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator, type WebhookEvent, type WebhookSubscription } from './index.ts';
import { hubspot, seedDeals } from './helpers.ts';

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  events: WebhookEvent[];
}

let emu: HubSpotEmulator;
let receiver: Server;
let received: Received[];
let target: string;
let answer: (n: number) => number;
const SECRET = 'client-secret-0123456789';

beforeEach(async () => {
  received = [];
  answer = () => 204;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method!, url: req.url!, headers: req.headers, raw, events: JSON.parse(raw) as WebhookEvent[] });
      res.writeHead(answer(received.length)).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/hubspot`;
  emu = await startHubSpotEmulator();
});
afterEach(async () => {
  await emu.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const SUBSCRIPTIONS: WebhookSubscription[] = [
  { subscriptionType: 'deal.creation' },
  { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' },
  { subscriptionType: 'deal.associationChange' },
  { subscriptionType: 'deal.deletion' },
];
const configure = (subscriptions = SUBSCRIPTIONS, extra = {}): void => {
  emu.configureWebhooks({ targetUrl: target, appId: 777, clientSecret: SECRET, subscriptions, ...extra });
};

describe('webhooks', () => {
  it('posts a signed batch of events for a user\'s edits; only subscribed properties', async () => {
    const [deal] = seedDeals(emu, 1);
    configure();
    emu.applyChanges([{ op: 'update', objectType: 'deals', id: deal!, properties: { dealstage: 'qualifiedtobuy', amount: '5' } }]);
    await emu.webhooks!.idle();
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(r.method).toBe('POST');
    const timestamp = String(r.headers['x-hubspot-request-timestamp']);
    const expected = createHmac('sha256', SECRET).update(`POST${target}${r.raw}${timestamp}`).digest('base64');
    expect(r.headers['x-hubspot-signature-v3']).toBe(expected);
    expect(Math.abs(Date.now() - Number(timestamp))).toBeLessThan(5 * 60_000);
    expect(r.events).toEqual([expect.objectContaining({
      subscriptionType: 'deal.propertyChange', propertyName: 'dealstage', propertyValue: 'qualifiedtobuy', objectId: Number(deal), portalId: emu.portal.portalId, appId: 777, attemptNumber: 0, changeSource: 'CRM_UI',
    })]);
    expect(typeof r.events[0]!.eventId).toBe('number');
    expect(typeof r.events[0]!.subscriptionId).toBe('number');
    expect(typeof r.events[0]!.occurredAt).toBe('number');
  });

  it('sends creation, association and deletion events; engagements only through generic object subscriptions', async () => {
    configure([...SUBSCRIPTIONS, { subscriptionType: 'object.creation', objectTypeId: '0-48' }, { subscriptionType: 'object.associationChange', objectTypeId: '0-48' }]);
    const contact = emu.portal.create('contacts', { lastname: 'Ng' }).id;
    const [created] = emu.applyChanges([{ op: 'create', objectType: 'deals', properties: { dealname: 'New', dealstage: 'appointmentscheduled', pipeline: 'default' }, associations: [{ toObjectType: 'contacts', toObjectId: contact, label: 'Champion' }] }]);
    const dealId = created!.id!;
    const [call] = emu.applyChanges([{ op: 'create', objectType: 'calls', properties: { hs_timestamp: '2026-03-01T10:00:00Z', hs_call_duration: '60000' } }]);
    emu.applyChanges([{ op: 'associate', fromObjectType: 'calls', fromId: call!.id!, toObjectType: 'deals', toId: dealId }, { op: 'archive', objectType: 'deals', id: dealId }]);
    await emu.webhooks!.idle();
    const events = received.flatMap((r) => r.events);
    const types = events.map((e) => e.subscriptionType);
    expect(types.filter((t) => t === 'deal.creation')).toHaveLength(1);
    expect(types).toContain('deal.deletion');
    // The labelled contact association: the unlabeled type and the label, each an event.
    const assoc = events.filter((e) => e.subscriptionType === 'deal.associationChange');
    expect(assoc.map((e) => [e.associationType, e.fromObjectId, e.toObjectId, e.associationRemoved])).toEqual([['DEAL_TO_CONTACT', Number(dealId), Number(contact), false], ['DEAL_TO_CONTACT', Number(dealId), Number(contact), false]]);
    expect(assoc.map((e) => e.associationCategory).sort()).toEqual(['HUBSPOT_DEFINED', 'USER_DEFINED']);
    // The call↔deal association fires no legacy deal event (legacy association events cover contacts, companies, deals, tickets, products, line items only)…
    expect(assoc.some((e) => e.toObjectId === Number(call!.id))).toBe(false);
    // …but the generic call subscriptions see the call's creation and its association.
    expect(events.filter((e) => e.subscriptionType === 'object.creation')).toEqual([expect.objectContaining({ objectTypeId: '0-48', objectId: Number(call!.id) })]);
    expect(events.filter((e) => e.subscriptionType === 'object.associationChange')).toEqual([expect.objectContaining({ fromObjectId: Number(call!.id), toObjectId: Number(dealId), associationTypeId: 206 })]);
  });

  it('batches at most 100 events a request, and API writes fire too (changeSource INTEGRATION)', async () => {
    const ids = seedDeals(emu, 150);
    configure();
    await hubspot(emu).crm.deals.batchApi.update({ inputs: ids.slice(0, 100).map((id) => ({ id, properties: { dealstage: 'closedwon' } })) });
    await hubspot(emu).crm.deals.batchApi.update({ inputs: ids.slice(100).map((id) => ({ id, properties: { dealstage: 'closedwon' } })) });
    await emu.webhooks!.idle();
    expect(received.map((r) => r.events.length).reduce((a, b) => a + b, 0)).toBe(150);
    expect(Math.max(...received.map((r) => r.events.length))).toBeLessThanOrEqual(100);
    expect(received.every((r) => r.events.every((e) => e.changeSource === 'INTEGRATION'))).toBe(true);
  });

  it('retries a failed delivery with the same event ids and the next attemptNumber, re-signed', async () => {
    answer = (n) => (n <= 2 ? 500 : 200);
    const [deal] = seedDeals(emu, 1);
    configure(SUBSCRIPTIONS, { retryDelayMs: () => 10 });
    emu.applyChanges([{ op: 'update', objectType: 'deals', id: deal!, properties: { dealstage: 'contractsent' } }]);
    await emu.webhooks!.idle();
    expect(received).toHaveLength(3);
    expect(received.map((r) => r.events[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(received.map((r) => r.events[0]!.eventId)).size).toBe(1);
    for (const r of received) expect(r.headers['x-hubspot-signature-v3']).toBe(createHmac('sha256', SECRET).update(`POST${target}${r.raw}${String(r.headers['x-hubspot-request-timestamp'])}`).digest('base64'));
    expect(emu.webhooks!.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
  });

  it('gives up after 10 retries', async () => {
    answer = () => 503;
    const [deal] = seedDeals(emu, 1);
    configure(SUBSCRIPTIONS, { retryDelayMs: () => 1 });
    emu.applyChanges([{ op: 'update', objectType: 'deals', id: deal!, properties: { dealstage: 'contractsent' } }]);
    await emu.webhooks!.idle();
    expect(received).toHaveLength(11);
  });

  it('takes user edits over the admin route (a separate process)', async () => {
    const [deal] = seedDeals(emu, 1);
    configure();
    const res = await fetch(`${emu.url}/__emulator/changes`, { method: 'POST', body: JSON.stringify({ changes: [{ op: 'update', objectType: 'deals', id: deal, properties: { dealstage: 'closedlost' } }] }) });
    expect(res.status).toBe(200);
    await emu.webhooks!.idle();
    expect(received[0]!.events[0]).toMatchObject({ propertyName: 'dealstage', propertyValue: 'closedlost' });
  });

  it('can send requests that look stale (its own clock), still correctly signed', async () => {
    const [deal] = seedDeals(emu, 1);
    const stale = Date.now() - 10 * 60_000;
    configure(SUBSCRIPTIONS, { now: () => stale });
    emu.applyChanges([{ op: 'update', objectType: 'deals', id: deal!, properties: { dealstage: 'closedwon' } }]);
    await emu.webhooks!.idle();
    const r = received[0]!;
    expect(r.headers['x-hubspot-request-timestamp']).toBe(String(stale));
    expect(r.headers['x-hubspot-signature-v3']).toBe(createHmac('sha256', SECRET).update(`POST${target}${r.raw}${stale}`).digest('base64'));
  });
});

