// The one way the cards reach Stagecraft: `hubspot.fetch()` to the companion's API (the routes the Salesforce preview
// uses). HubSpot signs each request with the app's client secret; the companion verifies it before answering. The
// URL must be listed in app-hsmeta.json's permittedUrls.fetch.
import { hubspot } from '@hubspot/ui-extensions';

export const COMPANION_URL = 'https://stagecraft.example.com';

export interface RequestInit { method?: 'GET' | 'POST' | 'PUT'; body?: Record<string, unknown> }
/**
 * A companion route: `path` may carry a query string (`/api/playbook?dryRun=true`); PUT replaces (the settings page's
 * playbook). Declared as a method so a card's test double typed for the methods that card sends (GET | POST) still fits.
 */
export type Request = { call(path: string, init?: RequestInit): Promise<unknown> }['call'];

/** A companion error answers `{ error: { message } }`: the card shows that one line, never a stack. */
export const companionRequest: Request = async (path, init) => {
  const res = await hubspot.fetch(`${COMPANION_URL}${path}`, { method: init?.method ?? 'GET', ...(init?.body ? { body: init.body } : {}) });
  const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!res.ok) throw new Error(json?.error?.message ?? `Stagecraft answered ${res.status}`);
  return json;
};

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
