// Shared set-up for the Salesforce connector suites: an emulator seeded with the demo org (or a deterministic slice of
// it), an adapter with a companion store in a temp dir, and a reader of the owned values the emulated org holds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoOrg, type DemoOrg } from '../../server/src/crm/embedded/demo/generate.ts';
import { readMaven } from '../../server/src/crm/embedded/demo/maven.ts';
import { DEMO_DATA_DIR } from '../../server/src/crm/embedded/demo/seed.ts';
import { OBJECT_NAMES } from '../../server/src/crm/sobjects.ts';
import { SalesforceAdapter, type SalesforceAdapterOptions } from '../../server/src/crm/salesforce/adapter.ts';
import { SalesforceApi, type SalesforceAuth } from '../../server/src/crm/salesforce/api.ts';
import { CompanionStore } from '../../server/src/store/companion-store.ts';
import { OWNED_FIELDS } from '../../shared/src/fields.ts';
import { startSalesforceEmulator, type EmulatorOptions, type SalesforceEmulator } from '../emulators/salesforce/index.ts';

export const TODAY = new Date('2026-11-23T09:00:00Z');
export const AS_OF = '2026-11-23T00:00:00.000Z';
export const API_VERSION = '65.0';

let demo: DemoOrg | undefined;
export const demoOrg = (): DemoOrg => (demo ??= generateDemoOrg(readMaven(DEMO_DATA_DIR), TODAY).org);

/** A deterministic slice: the deals of the first `accounts` accounts, with everything that hangs off them. */
export const demoSlice = (accounts: number, openOnly = false): DemoOrg => {
  const org = demoOrg();
  const accountIds = new Set(org.Account.slice(0, accounts).map((a) => String(a.Id)));
  const opps = org.Opportunity.filter((o) => accountIds.has(String(o.AccountId)) && !(openOnly && o.IsClosed));
  const oppIds = new Set(opps.map((o) => String(o.Id)));
  const onDeal = (r: Record<string, unknown>): boolean => oppIds.has(String(r.WhatId ?? r.OpportunityId ?? r.Opportunity__c));
  return {
    User: org.User,
    Account: org.Account.filter((a) => accountIds.has(String(a.Id))),
    Contact: org.Contact.filter((c) => accountIds.has(String(c.AccountId))),
    Opportunity: opps,
    OpportunityHistory: org.OpportunityHistory.filter(onDeal),
    OpportunityFieldHistory: org.OpportunityFieldHistory.filter(onDeal),
    OpportunityContactRole: org.OpportunityContactRole.filter(onDeal),
    Task: org.Task.filter(onDeal),
    Event: org.Event.filter(onDeal),
    Milestone_Attestation__c: org.Milestone_Attestation__c.filter(onDeal),
    Rep_Scorecard__c: [],
    Quarterly_Review__c: [],
    Coaching_Plan__c: [],
    Team_Goal__c: [],
    Deal_Inspection__c: [],
  };
};

/** The smallest leading slice of accounts whose open deals number at least `open` — open deals only, for speed. */
export const demoSliceWithOpenDeals = (open: number): DemoOrg => {
  const org = demoOrg();
  let count = 0;
  let accounts = 0;
  for (const a of org.Account) {
    accounts++;
    count += org.Opportunity.filter((o) => o.AccountId === a.Id && !o.IsClosed).length;
    if (count >= open) break;
  }
  return demoSlice(accounts, true);
};

/** An emulator holding `org`; Sales_Process__c is the demo org's own custom field (not the package's). */
export const emulatorWith = async (org: DemoOrg, options: EmulatorOptions = {}): Promise<SalesforceEmulator> => {
  const emu = await startSalesforceEmulator({ bulkProcessingDelayMs: 20, ...options });
  emu.org.addField('Opportunity', { name: 'Sales_Process__c', type: 'string', length: 80 });
  // The records were last modified when they were created (or, without a CreatedDate, a minute apart long ago), not
  // all in the seeding burst: an incremental read's lookback window then re-reads a handful, as on a real org.
  // Never later than an hour ago: the demo's "today" may be ahead of this machine's clock.
  const base = Date.parse('2025-01-01T00:00:00Z');
  const latest = Date.now() - 3_600_000;
  for (const object of OBJECT_NAMES) {
    if (org[object].length === 0) continue;
    const created = org[object].map((r, i) => (r.CreatedDate ? Date.parse(String(r.CreatedDate)) : base + i * 60_000));
    const shift = Math.max(0, created.reduce((m, t) => Math.max(m, t), 0) - latest);
    // Every real user has a Username (the emulator, like Salesforce, requires it on save); the demo org has none.
    const username = (r: Record<string, unknown>): Record<string, unknown> => (object === 'User' ? { Username: `${String(r.Id).toLowerCase()}@demo.stagecraft.example` } : {});
    emu.org.insert(object, org[object].map((r, i) => ({ ...r, ...username(r), SystemModstamp: new Date(created[i]! - shift).toISOString() })));
  }
  return emu;
};

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'stagecraft-sf-'));

export const sessionAuth = (emu: SalesforceEmulator): SalesforceAuth => ({ kind: 'session', instanceUrl: emu.url, accessToken: emu.accessToken });

/** An adapter with fast, deterministic backoff (no real waiting beyond a millisecond). */
export const adapterFor = (emu: SalesforceEmulator, dir: string, extra: Partial<SalesforceAdapterOptions> & { auth?: SalesforceAuth; budgetShare?: number } = {}): SalesforceAdapter => {
  const { auth, budgetShare, ...rest } = extra;
  const fast = (): Promise<void> => new Promise((r) => setTimeout(r, 1));
  const api = new SalesforceApi({ auth: auth ?? sessionAuth(emu), apiVersion: API_VERSION, budgetShare, retry: { baseMs: 1, maxMs: 4 }, sleep: fast, random: () => 0.5 });
  return new SalesforceAdapter({ api, store: new CompanionStore(join(dir, 'companion.sqlite')), bulkPollMs: 20, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 40))), ...rest });
};

const ownedNames = (object: 'Opportunity' | 'User'): string[] => OWNED_FIELDS.filter((f) => f.object === object).map((f) => f.name);

/** The owned Opportunity and User values the emulated org holds, keyed "Object:id", datetimes as ISO. */
export const ownedState = (emu: SalesforceEmulator): Map<string, Record<string, unknown>> => {
  const out = new Map<string, Record<string, unknown>>();
  for (const object of ['Opportunity', 'User'] as const) {
    for (const r of emu.org.all(object)) out.set(`${object}:${r.Id}`, Object.fromEntries(ownedNames(object).map((f) => [f, r[f] ?? null])));
  }
  return out;
};
