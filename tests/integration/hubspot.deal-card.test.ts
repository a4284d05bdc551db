// The deal app card against `serve --crm hubspot`: the card asks GET /api/opportunities/<HubSpot deal id> through
// hubspot.fetch(); the companion verifies HubSpot's signature, reads the deal's stagecraft_gate_checklist from the
// (emulated) portal and answers the same shape the Salesforce preview gets. The rep scorecard asks with the viewing
// HubSpot user's id, mapped to their owner and team. Unsigned or badly signed requests get nothing.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotCompanion, type RunningHubSpotCompanion } from '../../server/src/cli/serve-hubspot.ts';
import { composeCompanion, type Companion } from '../../server/src/composition.ts';
import { CompanionStore } from '../../server/src/store/companion-store.ts';
import { syncOrg } from '../../server/src/use-cases/companion-sync.ts';
import { signV3 } from '../../server/src/webhooks/hubspot-signature.ts';
import { hubspotConfig, portalWith, sharedEvidence, tempDir, WEBHOOK_SECRET, type Portal } from './hubspot.support.ts';

const PUBLIC = 'https://stagecraft.example.com';
let portal: Portal;
let c: Companion;
let running: RunningHubSpotCompanion;
let dataDir: string;

beforeAll(async () => {
  portal = await portalWith(sharedEvidence(2));
  dataDir = tempDir();
  c = composeCompanion(hubspotConfig(portal.emu, dataDir), 'hubspot');
  expect((await syncOrg(c)).kind).toBe('done');
  running = await startHubSpotCompanion(c, { host: '127.0.0.1', port: 0, clientSecret: WEBHOOK_SECRET, webhookUrl: `${PUBLIC}/webhooks/hubspot`, pollSeconds: 3600, log: () => {} });
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await c?.close();
  await portal?.emu.stop();
});

const signedGet = (path: string, at = Date.now(), secret = WEBHOOK_SECRET): Promise<Response> =>
  fetch(`${running.url}${path}`, { headers: { 'x-hubspot-request-timestamp': String(at), 'x-hubspot-signature-v3': signV3(secret, 'GET', `${PUBLIC}${path}`, '', String(at)) } });
const signedPost = (path: string, payload: unknown, secret = WEBHOOK_SECRET): Promise<Response> => {
  const at = Date.now();
  const body = JSON.stringify(payload);
  return fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': String(at), 'x-hubspot-signature-v3': signV3(secret, 'POST', `${PUBLIC}${path}`, body, String(at)) }, body });
};
const signedPut = (path: string, payload: unknown): Promise<Response> => {
  const at = Date.now();
  const body = JSON.stringify(payload);
  return fetch(`${running.url}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': String(at), 'x-hubspot-signature-v3': signV3(WEBHOOK_SECRET, 'PUT', `${PUBLIC}${path}`, body, String(at)) }, body });
};
const USER_ID = '7001';
const json = async (res: Response): Promise<any> => res.json();

describe('the deal card on a HubSpot portal', () => {
  it('When the card asks for a synced deal with a valid signature, then it gets the checklist Stagecraft wrote on that deal', async () => {
    const deal = [...portal.emu.portal.recordsOf('deals').values()].find((d) => d.properties.stagecraft_gate_checklist)!;
    const res = await signedGet(`/api/opportunities/${deal.id}`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.Id).toBe(deal.id);
    expect(body.checklistProblem).toBeNull();
    expect(body.checklist).toEqual(JSON.parse(deal.properties.stagecraft_gate_checklist!));
    expect(body.checklist.milestones.length).toBeGreaterThan(0);
  });

  it('When the request is unsigned, stale or signed with another secret, then the companion refuses it', async () => {
    const deal = [...portal.emu.portal.recordsOf('deals').values()][0]!;
    expect((await fetch(`${running.url}/api/opportunities/${deal.id}`)).status).toBe(401);
    expect((await signedGet(`/api/opportunities/${deal.id}`, Date.now() - 6 * 60_000)).status).toBe(401);
    expect((await signedGet(`/api/opportunities/${deal.id}`, Date.now(), 'another-secret')).status).toBe(401);
  });

  it('When the deal id is not a HubSpot id or no such deal exists, then the answer says so in one line', async () => {
    const bad = await signedGet('/api/opportunities/006bm00000LKJNNAA5');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/HubSpot deal id/);
    const missing = await signedGet('/api/opportunities/999999999999');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.message).toMatch(/Deal 999999999999 not found/);
  });

  it('When a rep attests a missing milestone with a note, then the deal is recomputed and its checklist property counts it', async () => {
    const checklistOf = (id: string) => JSON.parse(portal.emu.portal.get('deals', id)!.properties.stagecraft_gate_checklist!);
    const deal = [...portal.emu.portal.recordsOf('deals').values()].find((d) => d.properties.stagecraft_gate_checklist && d.properties.hs_is_closed !== 'true' && JSON.parse(d.properties.stagecraft_gate_checklist).milestones.some((m: any) => m.attestable && m.status === 'missing'))!;
    const before = checklistOf(deal.id);
    const milestone = before.milestones.find((m: any) => m.attestable && m.status === 'missing');
    const res = await signedPost(`/api/attestations?userId=${USER_ID}&portalId=1`, { opportunityId: deal.id, milestoneKey: milestone.key, note: '  CFO confirmed budget on the call  ' });
    expect(res.status).toBe(201);
    const view = await json(res);
    const after = checklistOf(deal.id);
    expect(view.checklist).toEqual(after);
    const attested = after.milestones.find((m: any) => m.key === milestone.key);
    // Counted as the engine counts Salesforce's Milestone_Attestation__c: 'attested', or 'met' by an `attested` rule.
    expect(attested.status).not.toBe('missing');
    expect(attested.evidence[0]).toMatchObject({ kind: 'attestation', label: 'Attested: CFO confirmed budget on the call' });
    // The gate counts it as met (a required milestone raises the met count by one).
    expect(after.gate.met).toBe(before.gate.met + (milestone.required ? 1 : 0));
    const store = new CompanionStore(join(dataDir, 'companion.sqlite'));
    const kept = await store.mirrored(c.tenant(), 'Milestone_Attestation__c');
    await store.close();
    expect(kept).toEqual([expect.objectContaining({ Opportunity__c: deal.id, Milestone_Key__c: milestone.key, Note__c: 'CFO confirmed budget on the call', CreatedById: USER_ID })]);
    // A full sync reads the portal whole: the kept attestation still counts.
    expect((await syncOrg(c)).kind).toBe('done');
    expect(checklistOf(deal.id).milestones.find((m: any) => m.key === milestone.key).evidence).toContainEqual(expect.objectContaining({ kind: 'attestation', recordId: kept[0]!.Id }));
  });

  it('When the milestone is unknown or not attestable, the note blank, or the request unsigned, then nothing is stored', async () => {
    const playbook = c.playbook().playbook;
    const fixed = playbook.processes.flatMap((p) => p.stages.flatMap((s) => s.gate.milestones)).find((m) => !m.attestable)!;
    const deal = [...portal.emu.portal.recordsOf('deals').values()][0]!;
    const count = async () => {
      const store = new CompanionStore(join(dataDir, 'companion.sqlite'));
      const n = (await store.mirrored(c.tenant(), 'Milestone_Attestation__c')).length;
      await store.close();
      return n;
    };
    const held = await count();
    const unknown = await signedPost('/api/attestations', { opportunityId: deal.id, milestoneKey: 'no_such_milestone', note: 'n' });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error.message).toMatch(/no milestone "no_such_milestone" in the playbook/);
    const notAttestable = await signedPost('/api/attestations', { opportunityId: deal.id, milestoneKey: fixed.key, note: 'n' });
    expect(notAttestable.status).toBe(400);
    expect((await json(notAttestable)).error.message).toMatch(/is not attestable/);
    const blank = await signedPost('/api/attestations', { opportunityId: deal.id, milestoneKey: 'economic_buyer', note: '   ' });
    expect(blank.status).toBe(400);
    expect((await json(blank)).error.message).toMatch(/note: must not be blank/);
    const long = await signedPost('/api/attestations', { opportunityId: deal.id, milestoneKey: 'economic_buyer', note: 'x'.repeat(4001) });
    expect(long.status).toBe(400);
    const badDeal = await signedPost('/api/attestations', { opportunityId: '006bm00000LKJNNAA5', milestoneKey: 'economic_buyer', note: 'n' });
    expect(badDeal.status).toBe(400);
    const unsigned = await fetch(`${running.url}/api/attestations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ opportunityId: deal.id, milestoneKey: 'economic_buyer', note: 'n' }) });
    expect(unsigned.status).toBe(401);
    expect((await signedPost('/api/sync', { opportunityId: deal.id }, 'another-secret')).status).toBe(401);
    expect(await count()).toBe(held);
  });

  it('When the portal changes and the rep asks to recalculate now, then the deal property shows the change', async () => {
    const deal = [...portal.emu.portal.recordsOf('deals').values()].find((d) => d.properties.stagecraft_gate_checklist && d.properties.hs_is_closed !== 'true')!;
    const before = JSON.parse(deal.properties.stagecraft_gate_checklist!);
    // Another open stage of the portal's pipeline (one another open deal is in).
    const stage = [...portal.emu.portal.recordsOf('deals').values()].filter((d) => d.properties.hs_is_closed !== 'true' && d.properties.pipeline === deal.properties.pipeline).map((d) => d.properties.dealstage).find((s) => s && s !== deal.properties.dealstage)!;
    portal.emu.applyChanges([{ op: 'update', objectType: 'deals', id: deal.id, properties: { dealstage: stage } }]);
    // No webhooks here: only the recalculation can bring the change in.
    expect(JSON.parse(portal.emu.portal.get('deals', deal.id)!.properties.stagecraft_gate_checklist!).stage).toBe(before.stage);
    const res = await signedPost('/api/sync', { opportunityId: deal.id });
    expect(res.status).toBe(200);
    const view = await json(res);
    const after = JSON.parse(portal.emu.portal.get('deals', deal.id)!.properties.stagecraft_gate_checklist!);
    expect(after.stage).not.toBe(before.stage);
    expect(view.checklist).toEqual(after);
    // The card's own button sends no deal: the portal's changes are recalculated as the poll would.
    const portalWide = await signedPost('/api/sync', {});
    expect(portalWide.status).toBe(200);
    expect((await json(portalWide)).status).toBe('done');
  });

  it('When a manager opens the rep scorecard, then their stored scores and their team come back under their HubSpot user id', async () => {
    const [managerSfId] = [...portal.loaded.teams.keys()];
    const userId = String(portal.loaded.users.get(managerSfId!));
    const ownerId = [...portal.loaded.salesforceIds.entries()].find(([, sf]) => sf === managerSfId)![0];
    const scorecard = await json(await signedGet(`/api/users/${userId}/scorecard`));
    expect(scorecard.userId).toBe(ownerId);
    expect(scorecard.openDeals).toBeNull();
    const store = new CompanionStore(join(dataDir, 'companion.sqlite'));
    const stored = new Map((await store.mirrored(c.tenant(), 'User')).map((u) => [String(u.Id), u]));
    await store.close();
    // A manager carries no deals of their own, so the sync stored no scores for them: the card shows none, not zeros.
    expect(scorecard.scores.Behaviour_Score__c).toBe(stored.get(ownerId)?.Behaviour_Score__c ?? null);
    const team = await json(await signedGet(`/api/users/${userId}/team`));
    expect(team.manager.Id).toBe(ownerId);
    expect(team.members.length).toBeGreaterThan(0);
    for (const m of team.members) expect(m.scores.Behaviour_Score__c).toBe(stored.get(m.Id)?.Behaviour_Score__c ?? null);
    expect(team.members.some((m: { scores: Record<string, unknown> }) => typeof m.scores.Behaviour_Score__c === 'number')).toBe(true);
  });

  it('When the HubSpot user owns nothing in the portal, then the scorecard says so', async () => {
    const res = await signedGet('/api/users/424242424242/scorecard');
    expect(res.status).toBe(404);
    expect((await json(res)).error.message).toMatch(/no owner in the portal/);
  });
});

describe('the settings page on a HubSpot portal: gate designer and analytics', () => {
  it('When the page asks for the playbook, then it gets the one in force — and only with a valid signature', async () => {
    const res = await signedGet('/api/playbook');
    expect(res.status).toBe(200);
    expect((await json(res)).playbook).toEqual(c.playbook().playbook);
    expect((await fetch(`${running.url}/api/playbook`)).status).toBe(401);
    expect((await signedGet('/api/analytics/backtest', Date.now() - 6 * 60_000)).status).toBe(401);
  });

  it('When the page asks which milestones predict wins, then the backtest covers every closed deal of the portal, read once per full sync', async () => {
    const closed = [...portal.emu.portal.recordsOf('deals').values()].filter((d) => d.properties.hs_is_closed === 'true').length;
    expect(closed).toBeGreaterThan(0);
    const facts = await c.state.facts(c.tenant());
    portal.emu.calls.length = 0;
    const backtest = await json(await signedGet('/api/analytics/backtest'));
    const reads = portal.emu.calls.length;
    expect(reads).toBeGreaterThan(0);
    expect(backtest.asOf).toBe(facts!.asOf);
    expect(backtest.closedDeals).toBe(closed);
    const gated = c.playbook().playbook.processes.flatMap((p) => p.stages.filter((s) => !s.closed).flatMap((s) => s.gate.milestones.map((m) => `${p.name}/${s.name}/${m.key}`)));
    expect(backtest.milestones.map((m: any) => `${m.process}/${m.stage}/${m.key}`).sort()).toEqual(gated.sort());
    for (const m of backtest.milestones) expect(typeof m.liftText).toBe('string');
    const conversion = await json(await signedGet('/api/analytics/conversion'));
    expect(conversion.asOf).toBe(facts!.asOf);
    expect(conversion.processes.map((p: any) => p.process)).toEqual(c.playbook().playbook.processes.map((p) => p.name));
    expect((await signedGet('/api/analytics/flags')).status).toBe(200);
    // Conversion, flags and a second page load are answered from the same computation: no new portal reads.
    expect(await json(await signedGet('/api/analytics/backtest'))).toEqual(backtest);
    expect(portal.emu.calls.length).toBe(reads);
  });

  it('When the admin checks a changed gate, then its effect on open deals comes back and nothing is saved; saved, the next sync gates the portal\'s deals by it', async () => {
    const checklistOf = (id: string) => JSON.parse(portal.emu.portal.get('deals', id)!.properties.stagecraft_gate_checklist!);
    // A milestone of an open deal's current stage, so the re-gated deal shows the change.
    const deal = [...portal.emu.portal.recordsOf('deals').values()].find((d) => d.properties.hs_is_closed !== 'true' && d.properties.stagecraft_gate_checklist && checklistOf(d.id).milestones.length)!;
    const before = checklistOf(deal.id);
    const original = structuredClone(c.playbook().playbook);
    const draft = structuredClone(original);
    const stage = draft.processes.find((p) => p.name === before.salesProcess)!.stages.find((s) => s.name === before.stage)!;
    const milestone = stage.gate.milestones.find((m) => m.key === before.milestones[0].key)!;
    milestone.required = !milestone.required;
    const check = await signedPut('/api/playbook?dryRun=true', draft);
    expect(check.status).toBe(200);
    const checked = await json(check);
    expect(checked).toMatchObject({ ok: true, saved: false });
    expect(checked.effect.length).toBeGreaterThan(0);
    expect(c.playbook().playbook).toEqual(original);
    const save = await signedPut('/api/playbook?dryRun=false', draft);
    expect(save.status).toBe(200);
    expect((await json(save)).saved).toBe(true);
    expect((await json(await signedGet('/api/playbook'))).playbook).toEqual(draft);
    // The backtest follows the saved playbook: the milestone's required flag is the new one.
    const backtest = await json(await signedGet('/api/analytics/backtest'));
    expect(backtest.milestones.find((m: any) => m.key === milestone.key && m.stage === stage.name).required).toBe(milestone.required);
    // The poll's next (incremental) sync sees another playbook, so it makes a full pass: the deal is gated by it.
    expect(checklistOf(deal.id).milestones[0].required).toBe(!milestone.required);
    expect((await syncOrg(c, { incremental: true })).kind).toBe('done');
    expect(checklistOf(deal.id).milestones.find((m: any) => m.key === milestone.key).required).toBe(milestone.required);
    expect((await signedPut('/api/playbook', original)).status).toBe(200);
    expect(c.playbook().playbook).toEqual(original);
    expect((await syncOrg(c, { incremental: true })).kind).toBe('done');
    expect(checklistOf(deal.id).milestones.find((m: any) => m.key === milestone.key).required).toBe(before.milestones[0].required);
  });

  it('When the changed playbook is invalid or the dry-run flag unclear, then it is refused with the path and the one in force stays', async () => {
    const original = structuredClone(c.playbook().playbook);
    const broken = structuredClone(original);
    const gate = broken.processes[0]!.stages.find((s) => s.gate.milestones.length)!.gate;
    gate.milestones.push({ ...gate.milestones[0]! });
    const res = await signedPut('/api/playbook?dryRun=false', broken);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.saved).toBe(false);
    expect(body.error.message).toMatch(/processes\[0\]\.stages\[\d+\]/);
    expect((await signedPut('/api/playbook?dryRun=maybe', original)).status).toBe(400);
    expect(c.playbook().playbook).toEqual(original);
  });
});
