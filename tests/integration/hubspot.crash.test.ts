// Crash safety of the webhook path: `stagecraft serve --crm hubspot` acknowledges a delivery (the events are in the
// inbox), is killed with SIGKILL before its recompute writes, and on restart applies the change — once.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCompanion } from '../../server/src/composition.ts';
import { HUBSPOT_INBOX_SOURCE } from '../../server/src/http/hubspot-webhooks.ts';
import { WebhookInbox } from '../../server/src/store/webhook-inbox.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { hubspotConfig, meetingWithNewExecutive, portalWith, sharedEvidence, SUBSCRIPTIONS, tempDir, WEBHOOK_SECRET, type Portal } from './hubspot.support.ts';

const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
let portal: Portal;
let dataDir: string;
let port: number;
const children: ChildProcess[] = [];

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

/** `stagecraft serve --crm hubspot`, resolved once it listens. */
const serve = (): Promise<{ child: ChildProcess; output: () => string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--crm', 'hubspot'], {
      env: { ...process.env, STAGECRAFT_DATA_DIR: dataDir, PORT: String(port), HUBSPOT_ACCESS_TOKEN: portal.emu.accessToken, HUBSPOT_BASE_URL: portal.emu.url, HUBSPOT_CLIENT_SECRET: WEBHOOK_SECRET, HUBSPOT_POLL_SECONDS: '3600' },
    });
    children.push(child);
    let output = '';
    const onData = (c: Buffer): void => {
      output += c.toString();
      if (output.includes('watching the HubSpot portal')) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code, signal) => signal !== 'SIGKILL' && reject(new Error(`serve exited ${code}:\n${output}`)));
  });

const until = async (what: () => boolean, ms = 30_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  portal = await portalWith(sharedEvidence(2));
  dataDir = tempDir();
  port = await freePort();
  // The full sync that learned the org-level facts (in this process, then closed: the companion's file is the child's).
  const c = composeCompanion(hubspotConfig(portal.emu, dataDir), 'hubspot');
  expect((await syncOrg(c)).kind).toBe('done');
  await c.close();
  portal.emu.configureWebhooks({ targetUrl: `http://127.0.0.1:${port}/webhooks/hubspot`, appId: 1, clientSecret: WEBHOOK_SECRET, subscriptions: SUBSCRIPTIONS });
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await portal?.emu.stop();
});

describe('serve --crm hubspot killed between the acknowledgement and the recompute', () => {
  it('When it is killed with SIGKILL after answering 200, then the change is applied after the restart, once', async () => {
    const first = await serve();
    const deal = [...portal.emu.portal.recordsOf('deals').values()].find((d) => d.properties.hs_is_closed !== 'true' && d.properties.stagecraft_executive_engaged !== 'true' && portal.emu.portal.associationsOf('deals', d.id, 'companies').length)!;
    const companyId = String(portal.emu.portal.associationsOf('deals', deal.id, 'companies')[0]!.toObjectId);
    // The recompute's first read is held: the kill lands after the acknowledgement, before anything is written.
    portal.emu.injectFault({ type: 'delay', times: 10, path: '/crm/v3/pipelines', ms: 60_000 });
    portal.emu.resetCalls();
    meetingWithNewExecutive(portal.emu, deal.id, companyId);
    await until(() => portal.emu.webhooks!.deliveries.some((d) => d.status === 200) && portal.emu.faults.fired.length > 0);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(portal.emu.portal.get('deals', deal.id)!.properties.stagecraft_executive_engaged).not.toBe('true');
    const inbox = new WebhookInbox(`${dataDir}/companion.sqlite`);
    const afterKill = inbox.counts('hubspot', HUBSPOT_INBOX_SOURCE);
    expect(afterKill.received).toBeGreaterThan(0);
    expect(afterKill.processed).toBe(0);

    portal.emu.faults.clear();
    portal.emu.resetCalls();
    const second = await serve();
    await until(() => inbox.counts('hubspot', HUBSPOT_INBOX_SOURCE).processed === inbox.counts('hubspot', HUBSPOT_INBOX_SOURCE).received);
    expect(portal.emu.portal.get('deals', deal.id)!.properties.stagecraft_executive_engaged).toBe('true');
    // Once: one batch update of that one deal, and no redelivery applied again.
    expect(portal.emu.calls.filter((c) => c.path === '/crm/v3/objects/deals/batch/update').map((c) => c.inputs)).toEqual([1]);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
    inbox.close();
  }, 120_000);
});
