// The emulated portal can say which local process made each call (for the scale-out test's "one worker at a time"):
// this process's calls carry its pid, a child process's calls the child's.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from './index.ts';

let emu: HubSpotEmulator;
beforeAll(async () => {
  emu = await startHubSpotEmulator({ identifyCallers: true });
});
afterAll(async () => emu?.stop());

const dealsPage = (): string => `${emu.url}/crm/v3/objects/deals?limit=1`;

describe.skipIf(process.platform !== 'linux')('the emulated portal names the calling process', () => {
  it('When this process and a child process call the portal, then each call carries its own caller\'s pid', async () => {
    emu.calls.length = 0;
    const res = await fetch(dealsPage(), { headers: { authorization: `Bearer ${emu.accessToken}` } });
    expect(res.status).toBe(200);
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', `fetch(${JSON.stringify(dealsPage())}, { headers: { authorization: 'Bearer ${emu.accessToken}' } }).then((r) => console.log(process.pid, r.status))`]);
    const [childPid, status] = stdout.trim().split(' ').map(Number);
    expect(status).toBe(200);
    expect(emu.calls.map((c) => c.process)).toEqual([process.pid, childPid]);
    expect(childPid).not.toBe(process.pid);
    for (const c of emu.calls) expect(c.startedAt).toBeLessThanOrEqual(c.at);
  });
});
