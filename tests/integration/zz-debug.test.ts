import { it } from 'vitest';
import { spawn } from 'node:child_process';
import { CDC_OBJECTS } from '../../server/src/crm/salesforce/cdc.ts';
import { API_VERSION, demoSlice, emulatorWith, tempDir } from './salesforce.support.ts';
const BIN = new URL('../../bin/stagecraft.js', import.meta.url).pathname;
it('debug', async () => {
  const emu = await emulatorWith(demoSlice(3));
  emu.cdc.enable(...CDC_OBJECTS);
  const dataDir = tempDir();
  for (let round = 0; round < 2; round++) {
    const child = spawn(process.execPath, [BIN, 'serve', '--crm', 'salesforce'], { env: { ...process.env, STAGECRAFT_DATA_DIR: dataDir, SF_INSTANCE_URL: emu.url, SF_ACCESS_TOKEN: emu.accessToken, SF_API_VERSION: API_VERSION, SF_POLL_SECONDS: '3600' } });
    const t0 = Date.now();
    child.stdout.on('data', (c) => console.log(round, Date.now() - t0, 'OUT', String(c).slice(0, 300)));
    child.stderr.on('data', (c) => console.log(round, Date.now() - t0, 'ERR', String(c).slice(0, 300)));
    await new Promise((r) => setTimeout(r, 12000));
    console.log('stats', emu.cdc.stats, emu.calls.filter((c) => c.kind === 'streaming').slice(-5));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  await emu.stop();
}, 60000);
