// Runs the emulator as a process: `node tests/emulators/hubspot/standalone.ts [port] [--org <org.db>]`. Prints
// {url, accessToken, portalId} as one JSON line; with --org, loads that embedded org file into the portal first.
// Limits come from HUBSPOT_EMULATOR_BURST / _INTERVAL_MS / _DAILY; HUBSPOT_EMULATOR_CUSTOM_OBJECTS=1 enables custom
// objects. Tests drive it over HTTP (/__emulator/changes, /faults, /log, /webhooks). Stops on SIGINT/SIGTERM.
import { OrgStore } from '../../../server/src/crm/embedded/store.ts';
import { loadOrgIntoPortal } from './from-org.ts';
import { startHubSpotEmulator } from './server.ts';

const args = process.argv.slice(2);
const orgIndex = args.indexOf('--org');
const orgFile = orgIndex >= 0 ? args[orgIndex + 1] : undefined;
const port = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--org') ?? process.env.HUBSPOT_EMULATOR_PORT ?? 0);
const num = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);
const emu = await startHubSpotEmulator({
  port,
  customObjects: process.env.HUBSPOT_EMULATOR_CUSTOM_OBJECTS === '1',
  limits: { burst: num('HUBSPOT_EMULATOR_BURST'), intervalMs: num('HUBSPOT_EMULATOR_INTERVAL_MS'), daily: num('HUBSPOT_EMULATOR_DAILY') },
});
if (orgFile) {
  const store = OrgStore.open(orgFile);
  try {
    loadOrgIntoPortal(emu, store);
  } finally {
    store.close();
  }
} else {
  const company = emu.portal.create('companies', { name: 'Emulated Company' });
  const deal = emu.portal.create('deals', { dealname: 'Emulated Deal', dealstage: 'appointmentscheduled', pipeline: 'default', amount: '50000', closedate: '2026-12-31T00:00:00Z' });
  emu.portal.associate('deals', deal.id, 'companies', company.id, [{ category: 'HUBSPOT_DEFINED', typeId: 341 }]);
}
console.log(JSON.stringify({ url: emu.url, accessToken: emu.accessToken, portalId: emu.portal.portalId }));
const shutdown = (): void => void emu.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
