// Rep scorecards: into the portal's `stagecraft_rep_scorecard` custom object when it has one (upserted by key, read
// back for the trend), else kept in the companion store — and a second sync writes neither again.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCORECARD_SCHEMA, scorecardProperty } from '../../server/src/crm/hubspot/scorecards.ts';
import { CompanionStore } from '../../server/src/store/companion-store.ts';
import { recomputeDeals, runSync } from '../../server/src/use-cases/sync.ts';
import { isoWeek } from '../../shared/src/engine/scorecard-fields.ts';
import { REP_SCORECARD_FIELDS } from '../../shared/src/fields.ts';
import { DEFAULT_PLAYBOOK } from '../../shared/src/playbook/default-playbook.ts';
import { hubspot } from '../emulators/hubspot/helpers.ts';
import { AS_OF, hubspotAdapter, meetingWithNewExecutive, portalWith, sharedEvidence, tempDir, type Portal } from './hubspot.support.ts';

const portals: Portal[] = [];
afterAll(async () => {
  for (const p of portals) await p.emu.stop();
});

const syncTwice = async (portal: Portal, dir: string): Promise<{ cards: number; second: number }> => {
  const first = await runSync({ adapter: hubspotAdapter(portal.emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 2 });
  expect(first.written?.failures).toEqual([]);
  const cards = first.plan.records.filter((r) => r.object === 'Rep_Scorecard__c').length;
  const second = await runSync({ adapter: hubspotAdapter(portal.emu, dir), playbook: DEFAULT_PLAYBOOK, asOf: AS_OF, backfillWeeks: 2 });
  return { cards, second: second.plan.records.length };
};

describe('rep scorecards', () => {
  it('When the portal has the scorecard custom object, then each weekly scorecard is a record of it, upserted by key, and a second sync writes none', async () => {
    const portal = await portalWith(sharedEvidence(1), { customObjects: true });
    portals.push(portal);
    // POST /crm/v3/schemas — what the admin (or an installer) does once.
    const schema = await hubspot(portal.emu).crm.schemas.coreApi.create(SCORECARD_SCHEMA as never);
    const dir = tempDir();
    const { cards, second } = await syncTwice(portal, dir);
    expect(cards).toBeGreaterThan(10);
    const records = [...portal.emu.portal.recordsOf(schema.objectTypeId!).values()];
    expect(records).toHaveLength(cards);
    const key = scorecardProperty(REP_SCORECARD_FIELDS.key);
    expect(new Set(records.map((r) => r.properties[key])).size).toBe(cards);
    expect(records.every((r) => r.properties[scorecardProperty(REP_SCORECARD_FIELDS.behaviourScore)] !== null)).toBe(true);
    expect(portal.emu.calls.filter((c) => c.path.endsWith('/batch/upsert')).every((c) => (c.inputs ?? 0) <= 100)).toBe(true);
    expect(second).toBe(0);
    const store = new CompanionStore(join(dir, 'companion.sqlite'));
    expect(await store.mirrored('hubspot', 'Rep_Scorecard__c')).toEqual([]);
    await store.close();
  }, 60_000);

  it('When the portal has none (custom objects need Enterprise), then the scorecards stay in the companion store, and a second sync writes none', async () => {
    const portal = await portalWith(sharedEvidence(1));
    portals.push(portal);
    const dir = tempDir();
    const { cards, second } = await syncTwice(portal, dir);
    const store = new CompanionStore(join(dir, 'companion.sqlite'));
    expect(await store.mirrored('hubspot', 'Rep_Scorecard__c')).toHaveLength(cards);
    await store.close();
    expect(second).toBe(0);
  }, 60_000);

  it('When a deal changes and the portal has the custom object, then the recompute upserts its owner\'s current scorecard record there', async () => {
    const portal = await portalWith(sharedEvidence(1), { customObjects: true });
    portals.push(portal);
    const schema = await hubspot(portal.emu).crm.schemas.coreApi.create(SCORECARD_SCHEMA as never);
    const dir = tempDir();
    // As of now: the meeting below is logged now, and a webhook's recompute describes the moment of its change.
    const first = await runSync({ adapter: hubspotAdapter(portal.emu, dir), playbook: DEFAULT_PLAYBOOK, backfillWeeks: 2 });
    const deal = [...portal.emu.portal.recordsOf('deals').values()].find((d) => d.properties.hs_is_closed !== 'true' && d.properties.stagecraft_executive_engaged !== 'true' && d.properties.hubspot_owner_id && portal.emu.portal.associationsOf('deals', d.id, 'companies').length)!;
    const owner = deal.properties.hubspot_owner_id!;
    const key = `${owner}:${isoWeek(Date.now()).period}`;
    const record = (): Record<string, string | null> => [...portal.emu.portal.recordsOf(schema.objectTypeId!).values()].find((r) => r.properties[scorecardProperty(REP_SCORECARD_FIELDS.key)] === key)!.properties;
    const before = JSON.stringify(record());
    const { meetingId } = meetingWithNewExecutive(portal.emu, deal.id, String(portal.emu.portal.associationsOf('deals', deal.id, 'companies')[0]!.toObjectId));
    // The portal stamps its changes (hs_createdate) in its own time, which may run a little ahead of ours.
    const asOf = new Date(Date.parse(portal.emu.portal.get('meetings', meetingId)!.properties.hs_createdate!) + 1000).toISOString();
    const summary = await recomputeDeals({
      adapter: hubspotAdapter(portal.emu, dir), playbook: DEFAULT_PLAYBOOK, dealIds: [deal.id], benchmarks: first.benchmarks,
      closedDealFacts: { raisedFlags: new Set(first.raisedFlags), winModel: first.winModel }, repFacts: first.repFacts, asOf,
    });
    expect(summary.written?.failures).toEqual([]);
    expect(summary.plan.records.filter((r) => r.object === 'Rep_Scorecard__c').map((r) => r.id)).toEqual([key]);
    expect(JSON.stringify(record())).not.toBe(before);
    // Still in the portal, not in the companion store.
    const store = new CompanionStore(join(dir, 'companion.sqlite'));
    expect(await store.mirrored('hubspot', 'Rep_Scorecard__c')).toEqual([]);
    await store.close();
  }, 60_000);
});
