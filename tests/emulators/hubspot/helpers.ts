// Test helpers for the HubSpot emulator suites: an @hubspot/api-client Client pointed at the emulator, seeded deals.
import { Client } from '@hubspot/api-client';
import type { HubSpotEmulator } from './server.ts';

/** The official client, unchanged but for basePath; no retries unless asked, so each call is one request. */
export const hubspot = (emu: HubSpotEmulator, extra: ConstructorParameters<typeof Client>[0] = {}): Client =>
  new Client({ accessToken: emu.accessToken, basePath: emu.url, numberOfApiCallRetries: 0, ...extra });

/** fetch against the emulator with the private app's token. */
export const api = (emu: HubSpotEmulator, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
  const { token, headers, ...rest } = init;
  return fetch(`${emu.url}${path}`, { ...rest, headers: { Authorization: `Bearer ${token ?? emu.accessToken}`, 'Content-Type': 'application/json', ...(headers as Record<string, string> | undefined) } });
};

export const seedDeals = (emu: HubSpotEmulator, n: number, props: (i: number) => Record<string, string> = () => ({})): string[] =>
  Array.from({ length: n }, (_, i) => emu.portal.create('deals', { dealname: `Deal ${String(i).padStart(5, '0')}`, dealstage: 'appointmentscheduled', pipeline: 'default', amount: String(1000 * (i + 1)), ...props(i) }, { source: 'IMPORT' }).id);
