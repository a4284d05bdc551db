// Test helpers for the emulator suites: builders for seeded records, a jsforce connection, a signed JWT, a fetch wrapper.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { Connection } from 'jsforce';
import type { SalesforceEmulator } from './server.ts';

export const API_VERSION = '62.0';

export const buildOpportunity = (i: number, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  Name: `Deal ${String(i).padStart(5, '0')}`,
  StageName: 'Qualification',
  CloseDate: '2026-06-30',
  Amount: 1000 * (i + 1),
  ...overrides,
});

export const seedOpportunities = (emu: SalesforceEmulator, n: number, overrides: Record<string, unknown> = {}): string[] =>
  emu.org.insert('Opportunity', Array.from({ length: n }, (_, i) => buildOpportunity(i, overrides)));

export const connect = (emu: SalesforceEmulator, extra: Record<string, unknown> = {}): Connection =>
  new Connection({ instanceUrl: emu.url, accessToken: emu.accessToken, version: API_VERSION, ...extra });

/** fetch against the emulator's data API with the ready session. */
export const api = (emu: SalesforceEmulator, path: string, init: RequestInit & { token?: string } = {}): Promise<Response> => {
  const { token, headers, ...rest } = init;
  return fetch(`${emu.url}/services/data/v${API_VERSION}${path}`, {
    ...rest,
    headers: { Authorization: `Bearer ${token ?? emu.accessToken}`, 'Content-Type': 'application/json', ...(headers as Record<string, string> | undefined) },
  });
};

export const soql = (emu: SalesforceEmulator, q: string, init: RequestInit & { token?: string } = {}): Promise<Response> =>
  api(emu, `/query?q=${encodeURIComponent(q)}`, init);

export const keyPair = (): { publicKey: string; privateKey: string } =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

export const signJwt = (claims: Record<string, unknown>, privateKey: string, header: Record<string, unknown> = { alg: 'RS256' }): string => {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc(header)}.${enc(claims)}`;
  const sign = createSign('RSA-SHA256');
  sign.update(input);
  return `${input}.${sign.sign(privateKey).toString('base64url')}`;
};
