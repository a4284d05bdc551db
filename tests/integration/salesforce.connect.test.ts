// Connecting to an org: the three auth flows, one re-authentication on INVALID_SESSION_ID, tokens never printed,
// the API version always explicit, describe-driven field lists, the namespace prefix, and package-object writes.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SalesforceApiError } from '../../server/src/crm/salesforce/api.ts';
import { SalesforceSetupError } from '../../server/src/crm/salesforce/reader.ts';
import { NotOwnedFieldError } from '../../shared/src/write-back/planner.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import type { SfRecord } from '../../server/src/crm/embedded/store.ts';
import { OWNED_FIELDS } from '../../shared/src/fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { defaultSchema, type SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { keyPair } from '../emulators/salesforce/helpers.ts';
import { adapterFor, AS_OF, demoSlice, emulatorWith, ownedState, tempDir } from './salesforce.support.ts';

const CLIENT_ID = '3MVG9stagecraft.test';
const USERNAME = 'integration@stagecraft.example';
let reference: Map<string, Record<string, unknown>>;
const running: SalesforceEmulator[] = [];
const emulator = async (...args: Parameters<typeof emulatorWith>): Promise<SalesforceEmulator> => {
  const emu = await emulatorWith(...args);
  running.push(emu);
  return emu;
};
const sync = (adapter: ReturnType<typeof adapterFor>): Promise<SyncSummary> => runSync({ adapter, playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });

beforeAll(async () => {
  const emu = await emulator(demoSlice(1));
  await sync(adapterFor(emu, tempDir()));
  reference = ownedState(emu);
}, 60_000);

afterEach(async () => {
  vi.restoreAllMocks();
  while (running.length) await running.pop()!.stop();
});

describe('authentication', () => {
  it('When the JWT bearer flow is configured, then one token call opens the session and the sync matches the session-token run', async () => {
    const emu = await emulator(demoSlice(1));
    const keys = keyPair();
    emu.auth.registerApp({ clientId: CLIENT_ID, clientSecret: 'unused', publicKey: keys.publicKey });
    const adapter = adapterFor(emu, tempDir(), { auth: { kind: 'jwt', loginUrl: emu.url, clientId: CLIENT_ID, username: USERNAME, privateKey: keys.privateKey } });
    await sync(adapter);
    expect(emu.callCounts().oauth).toBe(1);
    expect(ownedState(emu)).toEqual(reference);
  });

  it('When the session expires mid-run under the refresh-token flow, then it refreshes once, retries, and ends in the same state', async () => {
    const emu = await emulator(demoSlice(1));
    emu.auth.registerApp({ clientId: CLIENT_ID, clientSecret: 's3cret', publicKey: keyPair().publicKey });
    const refreshToken = emu.auth.issueRefreshToken(CLIENT_ID, USERNAME);
    emu.faults.inject({ type: 'invalidSession', method: 'PATCH', path: '/composite/sobjects' });
    const adapter = adapterFor(emu, tempDir(), { auth: { kind: 'refresh', loginUrl: emu.url, clientId: CLIENT_ID, clientSecret: 's3cret', refreshToken } });
    await sync(adapter);
    expect(emu.callCounts().oauth).toBe(2); // the first session, then one refresh
    // The rejected call, then the same call again and the rest (one per object written).
    const statuses = emu.calls.filter((c) => c.kind === 'collections').map((c) => c.status);
    expect(statuses[0]).toBe(401);
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true);
    expect(statuses).toHaveLength(4); // Opportunity, then again, User, Rep_Scorecard__c
    expect(ownedState(emu)).toEqual(reference);
  });

  it('When a session token is rejected and there is nothing to refresh it with, then the run fails with one call and no token in any output', async () => {
    const emu = await emulator(demoSlice(1));
    emu.auth.expireAccessToken(emu.accessToken);
    const printed: string[] = [];
    for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) vi.spyOn(console, method).mockImplementation((...a: unknown[]) => void printed.push(a.map(String).join(' ')));
    const error = await sync(adapterFor(emu, tempDir())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect((error as SalesforceApiError).errorCode).toBe('INVALID_SESSION_ID');
    expect(emu.callCounts().total).toBe(0); // rejected calls do not count; exactly one was made
    expect(emu.calls).toHaveLength(1);
    const everything = [String(error), JSON.stringify(error), (error as Error).stack ?? '', ...printed].join('\n');
    expect(everything).not.toContain(emu.accessToken);
  });

  it('When any call is made, then it names the configured API version explicitly', async () => {
    const emu = await emulator(demoSlice(1));
    await sync(adapterFor(emu, tempDir()));
    const data = emu.calls.filter((c) => c.path.startsWith('/services/data'));
    expect(data.length).toBeGreaterThan(10);
    expect(data.every((c) => c.path.startsWith('/services/data/v65.0/'))).toBe(true);
  });
});

describe('describe first', () => {
  it('When the integration user cannot see an optional field, then it is skipped and named in the data-quality lines', async () => {
    const schema = defaultSchema();
    const account = schema.find((o) => o.name === 'Account')!;
    account.fields = account.fields.filter((f) => f.name !== 'Industry');
    const org = demoSlice(1);
    const emu = await emulator({ ...org, Account: org.Account.map(({ Industry: _drop, ...rest }) => rest) }, { schema });
    const summary = await sync(adapterFor(emu, tempDir()));
    expect(summary.dataQuality.join('\n')).toContain('Account.Industry');
    expect(ownedState(emu)).toEqual(reference);
  });

  it('When a required field is missing, then one clear error names every missing field and nothing is written', async () => {
    const schema = defaultSchema();
    const opp = schema.find((o) => o.name === 'Opportunity')!;
    opp.fields = opp.fields.filter((f) => f.name !== 'Gate_Status__c' && f.name !== 'Gate_Score__c');
    const org = demoSlice(1);
    const emu = await emulator({ ...org, Opportunity: org.Opportunity.map(({ Gate_Status__c: _a, Gate_Score__c: _b, ...rest }) => rest) }, { schema });
    const error = await sync(adapterFor(emu, tempDir())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceSetupError);
    expect((error as Error).message).toMatch(/Opportunity\.Gate_Status__c, Opportunity\.Gate_Score__c/);
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(emu.callCounts().collections + emu.callCounts().bulk + emu.callCounts().query).toBe(0);
  });

  it('When the package is installed with a namespace, then reads and writes use the prefixed names and the values are the same', async () => {
    const ns = 'stgc';
    const owned = new Set(OWNED_FIELDS.map((f) => `${f.object}.${f.name}`));
    const packaged = new Set(['Milestone_Attestation__c', 'Stage_Gate__c', 'Gate_Milestone__c', 'Rep_Scorecard__c', 'Quarterly_Review__c']);
    const schema = defaultSchema().map((o) => ({
      ...o,
      name: packaged.has(o.name) ? `${ns}__${o.name}` : o.name,
      fields: o.fields.map((f) => ({
        ...f,
        name: owned.has(`${o.name}.${f.name}`) || (packaged.has(o.name) && f.name.endsWith('__c')) ? `${ns}__${f.name}` : f.name,
        referenceTo: f.referenceTo?.map((t) => (packaged.has(t) ? `${ns}__${t}` : t)),
      })),
    }));
    const org = demoSlice(1);
    const strip = (r: SfRecord, object: string): SfRecord => Object.fromEntries(Object.entries(r).filter(([k]) => !owned.has(`${object}.${k}`)));
    const emu = await emulator({ ...org, Opportunity: org.Opportunity.map((r) => strip(r, 'Opportunity')), User: org.User.map((r) => strip(r, 'User')), Milestone_Attestation__c: [] }, { schema });
    emu.org.insert(`${ns}__Milestone_Attestation__c`, org.Milestone_Attestation__c.map((a) => ({ Id: a.Id, [`${ns}__Opportunity__c`]: a.Opportunity__c, [`${ns}__Milestone_Key__c`]: a.Milestone_Key__c, [`${ns}__Note__c`]: a.Note__c, CreatedById: a.CreatedById, CreatedDate: a.CreatedDate })));
    await sync(adapterFor(emu, tempDir(), { namespace: ns }));
    for (const [key, values] of reference) {
      const [object, id] = key.split(':') as ['Opportunity' | 'User', string];
      const held = emu.org.get(object, id)!;
      for (const [field, value] of Object.entries(values)) expect([key, field, held[`${ns}__${field}`] ?? null]).toEqual([key, field, value]);
    }
  });
});

describe('package objects', () => {
  it('When rep scorecards are written twice, then one record per rep and period is upserted by its key and milestone stats update in place', async () => {
    const emu = await emulator(demoSlice(1));
    const adapter = adapterFor(emu, tempDir());
    const rep = emu.org.all('User').find((u) => u.Title === 'Account Executive')!;
    const [gate] = emu.org.insert('Stage_Gate__c', { Name: 'Standard: Qualification', Gate_Key__c: 'Standard:Qualification' });
    const [milestone] = emu.org.insert('Gate_Milestone__c', { Name: 'Budget confirmed', Stage_Gate__c: gate, Milestone_Key__c: 'budget_confirmed' });
    const card = (score: number) => ({ object: 'Rep_Scorecard__c', key: `${rep.Id}:2026-W47`, values: { Name: 'Rep — 2026-W47', Rep__c: rep.Id, Period__c: '2026-W47', Behaviour_Score__c: score, Scores_As_Of__c: AS_OF } });
    const first = await adapter.writePackageRecords([card(61), { object: 'Gate_Milestone__c', key: milestone!, values: { Win_Rate_Met__c: 42.5, Lift__c: 1.8, Sample_Size__c: 311, Predictive__c: true, Stats_As_Of__c: AS_OF } }]);
    const second = await adapter.writePackageRecords([card(64)]);
    expect([first.recordsWritten, second.recordsWritten, first.failures, second.failures]).toEqual([2, 1, [], []]);
    const cards = emu.org.all('Rep_Scorecard__c');
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ Scorecard_Key__c: `${rep.Id}:2026-W47`, Behaviour_Score__c: 64, Rep__c: rep.Id });
    expect(emu.org.get('Gate_Milestone__c', milestone!)).toMatchObject({ Win_Rate_Met__c: 42.5, Lift__c: 1.8, Sample_Size__c: 311, Predictive__c: true });
    expect(emu.callCounts().collections).toBe(3); // scorecard upsert + milestone update, then the second upsert
  });

  it('When a package record would write a field the companion does not own, then nothing is sent', async () => {
    const emu = await emulator(demoSlice(1));
    const adapter = adapterFor(emu, tempDir());
    await expect(adapter.writePackageRecords([{ object: 'Gate_Milestone__c', key: 'a0BWs0000000001AAA', values: { Required__c: false } }])).rejects.toBeInstanceOf(NotOwnedFieldError);
    await expect(adapter.writePackageRecords([{ object: 'Account', key: '001Ws0000000001AAA', values: { Name: 'x' } }])).rejects.toThrow(/not a package object/);
    expect(emu.callCounts().total).toBe(0);
  });
});
