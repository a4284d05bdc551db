// Shared set-up for the HubSpot connector suites: a deterministic slice of the demo org as the evidence both CRMs hold,
// the emulated portal it is loaded into, an adapter over it with a companion store in a temp dir, and the embedded
// sync of the same org as the reference. HubSpot has no attestations and no creation time on an association, so the
// reference org carries neither: both CRMs then hold the same evidence.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../server/src/config.ts';
import type { CompanionConfig } from '../../server/src/composition.ts';
import type { DemoOrg } from '../../server/src/crm/embedded/demo/generate.ts';
import type { SfRecord } from '../../server/src/crm/salesforce-shape.ts';
import { EmbeddedAdapter } from '../../server/src/crm/embedded/adapter.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { OBJECT_NAMES } from '../../server/src/crm/sobjects.ts';
import { HubSpotAdapter, type HubSpotAdapterOptions } from '../../server/src/crm/hubspot/adapter.ts';
import { HubSpotApi, type HubSpotApiOptions } from '../../server/src/crm/hubspot/api.ts';
import { CompanionStore } from '../../server/src/store/companion-store.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { loadOrgIntoPortal, startHubSpotEmulator, type EmulatorOptions, type HubSpotEmulator, type LoadedOrg } from '../emulators/hubspot/index.ts';
import { AS_OF, demoSlice } from './salesforce.support.ts';

export { AS_OF };

/** Fast limits for tests: the same rules (a burst per rolling interval, 5 searches a second), a shorter interval. */
export const TEST_LIMITS = { burst: 100, intervalMs: 1000 } as const;

/** The evidence both CRMs hold: the deals of the first `accounts` accounts, without what HubSpot cannot carry. */
export const sharedEvidence = (accounts: number): DemoOrg => {
  const org = demoSlice(accounts);
  // A portal's dealstage history always ends in the deal's current stage (the loader adds that entry a second after
  // the last row): the Salesforce side gets the same row.
  const last = new Map<string, SfRecord>();
  for (const h of org.OpportunityHistory) {
    const seen = last.get(String(h.OpportunityId));
    if (!seen || Date.parse(String(h.CreatedDate)) >= Date.parse(String(seen.CreatedDate))) last.set(String(h.OpportunityId), h);
  }
  const closing = org.Opportunity.flatMap((o): SfRecord[] => {
    const h = last.get(String(o.Id));
    return h && h.StageName !== o.StageName ? [{ ...h, Id: `${String(h.Id)}X`, StageName: o.StageName, CreatedDate: new Date(Date.parse(String(h.CreatedDate)) + 1000).toISOString() }] : [];
  });
  return {
    ...org, OpportunityHistory: [...org.OpportunityHistory, ...closing], Milestone_Attestation__c: [], Quarterly_Review__c: [],
    OpportunityContactRole: org.OpportunityContactRole.map((r) => ({ ...r, CreatedDate: null })),
  };
};

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'stagecraft-hs-'));

export interface Portal {
  emu: HubSpotEmulator;
  loaded: LoadedOrg;
}

export const portalWith = async (org: DemoOrg, options: EmulatorOptions = {}): Promise<Portal> => {
  const emu = await startHubSpotEmulator({ limits: TEST_LIMITS, ...options });
  const loaded = loadOrgIntoPortal(emu, { all: (o) => org[o as keyof DemoOrg] ?? [] }, { asOf: AS_OF });
  return { emu, loaded };
};

export const hubspotAdapter = (emu: HubSpotEmulator, dir: string, api: Partial<HubSpotApiOptions> = {}, options: Partial<HubSpotAdapterOptions> = {}): HubSpotAdapter =>
  new HubSpotAdapter({
    api: new HubSpotApi({ accessToken: emu.accessToken, basePath: emu.url, limits: { burst: emu.limits.burst, intervalMs: emu.limits.intervalMs }, ...api }),
    store: new CompanionStore(join(dir, 'companion.sqlite')),
    ...options,
  });

/** The embedded sync of the same org: the reference values, with the embedded store that now holds them. */
export const embeddedReference = async (org: DemoOrg): Promise<{ store: OrgStore; summary: SyncSummary }> => {
  const store = OrgStore.create(join(tempDir(), 'org.sqlite'));
  for (const object of OBJECT_NAMES) store.insert(object, org[object] ?? []);
  const summary = await runSync({ adapter: new EmbeddedAdapter(store), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
  return { store, summary };
};

export const WEBHOOK_SECRET = 'hubspot-app-client-secret-for-tests';

/** The configuration a companion serving the emulated portal reads from its environment. */
export const hubspotConfig = (emu: HubSpotEmulator, dataDir: string, extra: Partial<Config['hubspot']> = {}): CompanionConfig => ({
  dataDir, orgFile: join(dataDir, 'org.sqlite'), companionFile: join(dataDir, 'companion.sqlite'), secretKey: null,
  hubspot: { accessToken: emu.accessToken, baseUrl: emu.url, clientSecret: WEBHOOK_SECRET, clientId: null, refreshToken: null, burstLimit: emu.limits.burst, webhookUrl: null, pollSeconds: 3600, ...extra },
});

/** The subscriptions the README asks for: deal changes, and the generic ones for engagements and their associations. */
export const SUBSCRIPTIONS = [
  { subscriptionType: 'deal.creation' },
  ...['dealstage', 'closedate', 'amount', 'hs_next_step', 'hubspot_owner_id'].map((propertyName) => ({ subscriptionType: 'deal.propertyChange', propertyName })),
  { subscriptionType: 'deal.associationChange' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'jobtitle' },
  ...['0-48', '0-47', '0-49', '0-46', '0-27'].flatMap((objectTypeId) => [{ subscriptionType: 'object.creation', objectTypeId }, { subscriptionType: 'object.associationChange', objectTypeId }]),
];

/** A director-level contact at a deal's company, and a meeting held an hour ago with them on the deal: new evidence. */
export const meetingWithNewExecutive = (emu: HubSpotEmulator, dealId: string, companyId: string, at = Date.now() - 3_600_000): { contactId: string; meetingId: string } => {
  const [contact] = emu.applyChanges([{ op: 'create', objectType: 'contacts', properties: { firstname: 'Ada', lastname: `Exec ${dealId}`, jobtitle: 'Chief Financial Officer', associatedcompanyid: companyId }, associations: [{ toObjectType: 'companies', toObjectId: companyId }] }]);
  const when = new Date(at).toISOString();
  const [meeting] = emu.applyChanges([{
    op: 'create', objectType: 'meetings', properties: { hs_timestamp: when, hs_meeting_start_time: when, hs_meeting_end_time: new Date(at + 1_800_000).toISOString(), hs_meeting_title: 'Business case review', hs_meeting_outcome: 'COMPLETED' },
    associations: [{ toObjectType: 'deals', toObjectId: dealId }, { toObjectType: 'contacts', toObjectId: contact!.id! }, { toObjectType: 'companies', toObjectId: companyId }],
  }]);
  return { contactId: contact!.id!, meetingId: meeting!.id! };
};
