// A scale-out tenant's Salesforce credentials, as `stagecraft tenant add` takes them (a JSON object) and as they are
// stored, sealed: the same three flows as the single-org environment (section 4), one object each.
import { z } from 'zod';
import type { SalesforceAuth } from './api.ts';

const text = z.string().trim().min(1);

export const SalesforceCredentials = z.union([
  z.object({ instanceUrl: z.url(), accessToken: text }).strict(),
  z.object({ loginUrl: z.url().optional(), clientId: text, username: text, privateKey: text.refine((k) => k.includes('PRIVATE KEY'), 'must be a PEM private key') }).strict(),
  z.object({ loginUrl: z.url().optional(), clientId: text, clientSecret: text.optional(), refreshToken: text }).strict(),
]);
export type SalesforceCredentials = z.infer<typeof SalesforceCredentials>;

export const authFromCredentials = (c: SalesforceCredentials): SalesforceAuth => {
  if ('accessToken' in c) return { kind: 'session', instanceUrl: c.instanceUrl, accessToken: c.accessToken };
  const loginUrl = c.loginUrl ?? 'https://login.salesforce.com';
  if ('privateKey' in c) return { kind: 'jwt', loginUrl, clientId: c.clientId, username: c.username, privateKey: c.privateKey };
  return { kind: 'refresh', loginUrl, clientId: c.clientId, clientSecret: c.clientSecret ?? null, refreshToken: c.refreshToken };
};
