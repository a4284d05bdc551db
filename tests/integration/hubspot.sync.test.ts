// `stagecraft sync --crm hubspot` against the emulated portal holding a slice of the demo org: the same indicator
// values as the embedded sync for every deal, nothing unchanged written, calls within the documented sizes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubSpotAdapter } from '../../server/src/crm/hubspot/adapter.ts';
import { DEAL_PROPERTIES } from '../../server/src/crm/hubspot/fields.ts';
import type { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { runSync, type SyncSummary } from '../../server/src/use-cases/sync.ts';
import { normalise } from '../../shared/src/write-back/planner.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { AS_OF, embeddedReference, hubspotAdapter, portalWith, sharedEvidence, tempDir, type Portal } from './hubspot.support.ts';

// Twelve accounts (1,066 deals, 105 open): over a hundred open deals, so the write-back takes more than one batch. The
// whole demo org (85 accounts, 8,800 deals) takes minutes through the paced API: HUBSPOT_PARITY_ACCOUNTS=85 runs it.
const ACCOUNTS = Number(process.env.HUBSPOT_PARITY_ACCOUNTS ?? 12);
let portal: Portal;
let dir: string;
let first: SyncSummary;
let reference: { store: OrgStore; summary: SyncSummary };
const adapters: HubSpotAdapter[] = [];
const adapter = (): HubSpotAdapter => {
  const a = hubspotAdapter(portal.emu, dir);
  adapters.push(a);
  return a;
};

beforeAll(async () => {
  const org = sharedEvidence(ACCOUNTS);
  portal = await portalWith(org);
  dir = tempDir();
  reference = await embeddedReference(org);
  portal.emu.resetCalls();
  first = await runSync({ adapter: adapter(), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
}, 300_000);

afterAll(async () => {
  for (const a of adapters) await a.close();
  reference?.store.close();
  await portal?.emu.stop();
});

/** A HubSpot checklist with the Salesforce ids the loader kept in place of HubSpot's. */
const asSalesforce = (checklist: string): string => checklist.replace(/\b\d{5,}\b/g, (id) => portal.loaded.salesforceIds.get(id) ?? id);
/**
 * A Salesforce task is dated by its day, a logged HubSpot call or email by a timestamp (midnight for the loaded ones):
 * compared as days. Evidence of one kind comes in each CRM's record order (role records; associations by contact id).
 */
const days = (checklist: string): unknown => {
  const doc = JSON.parse(checklist.replace(/"(\d{4}-\d{2}-\d{2})T00:00:00\.000Z"/g, '"$1"')) as { milestones?: { evidence?: { kind: string; recordId: string | null; label: string }[] }[] };
  for (const m of doc.milestones ?? []) m.evidence?.sort((a, b) => `${a.kind}|${a.recordId}|${a.label}`.localeCompare(`${b.kind}|${b.recordId}|${b.label}`));
  return doc;
};

describe('sync of a demo-org slice through the HubSpot emulator', () => {
  it('When the portal is synced, then every deal property equals the field the embedded sync writes', () => {
    expect(first.written?.failures).toEqual([]);
    expect(first.indicatorsComputed.opportunities).toBe(reference.summary.indicatorsComputed.opportunities);
    let compared = 0;
    const opportunities = reference.store.all('Opportunity');
    expect(opportunities.length).toBeGreaterThan(100);
    for (const o of opportunities) {
      const dealId = portal.loaded.deals.get(String(o.Id))!;
      const deal = portal.emu.portal.get('deals', dealId)!;
      for (const p of DEAL_PROPERTIES) {
        const hubspot = normalise(p.field, deal.properties[p.name] ?? null);
        const embedded = normalise(p.field, o[p.field.name] ?? null);
        // The checklist names records by id (each CRM its own) and dates a HubSpot task by its timestamp, not a day.
        const checklist = p.field.name === 'Gate_Checklist__c';
        expect([o.Id, p.name, checklist && typeof hubspot === 'string' ? days(asSalesforce(hubspot)) : hubspot]).toEqual([o.Id, p.name, checklist && typeof embedded === 'string' ? days(embedded) : embedded]);
        compared++;
      }
    }
    expect(compared).toBe(opportunities.length * DEAL_PROPERTIES.length);
  });

  it('When the portal is read, then searches ask 200 a page, batches stay within 100 (50 with history), writes take ⌈changed / 100⌉ calls', () => {
    const calls = portal.emu.calls;
    const searches = calls.filter((c) => c.kind === 'search');
    expect(searches.length).toBeGreaterThan(0);
    for (const s of searches) expect(s.limit).toBe(200);
    const updates = calls.filter((c) => c.path === '/crm/v3/objects/deals/batch/update');
    const changed = first.plan.records.filter((r) => r.object === 'Opportunity').length;
    expect(changed).toBeGreaterThan(100);
    expect(updates.length).toBe(Math.ceil(changed / 100));
    for (const u of updates) expect(u.inputs).toBeLessThanOrEqual(100);
    for (const b of calls.filter((c) => c.path.endsWith('/batch/read') && c.path.startsWith('/crm/v3'))) expect(b.inputs).toBeLessThanOrEqual(100);
    expect(portal.emu.limits.peakBurst).toBeLessThanOrEqual(portal.emu.limits.burst);
    expect(portal.emu.limits.peakSearchPerSecond).toBeLessThanOrEqual(5);
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it('When it is synced a second time with nothing changed, then nothing is written', async () => {
    portal.emu.resetCalls();
    const second = await runSync({ adapter: adapter(), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF });
    expect(second.plan.records).toHaveLength(0);
    expect(second.written).toBeNull();
    expect(portal.emu.calls.filter((c) => c.kind === 'write' || c.path.endsWith('/batch/update'))).toEqual([]);
  });
});
