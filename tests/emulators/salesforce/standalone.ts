// Runs the emulator as a process: `node tests/emulators/salesforce/standalone.ts [port]`. Prints the URL and a
// ready session token; seeds a few records so a client has something to read. Stops on SIGINT/SIGTERM.
import { startSalesforceEmulator } from './server.ts';

const port = Number(process.argv[2] ?? process.env.SF_EMULATOR_PORT ?? 0);
const emu = await startSalesforceEmulator({ port });
const [accountId] = emu.org.insert('Account', { Name: 'Emulated Account' });
emu.org.insert('Opportunity', { Name: 'Emulated Deal', AccountId: accountId, StageName: 'Qualification', CloseDate: '2026-12-31', Amount: 50_000 });
console.log(JSON.stringify({ url: emu.url, accessToken: emu.accessToken, apiVersion: '62.0' }));
const shutdown = (): void => void emu.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
