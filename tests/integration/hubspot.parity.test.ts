// One playbook over a company that runs both CRMs: the same deals in the Salesforce emulator and in the HubSpot
// emulator get the same verdicts — gate status, milestones, score, risk flags, engagement, next step, days in stage,
// win probability and next best action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAL_PROPERTIES } from '../../server/src/crm/hubspot/fields.ts';
import { runSync } from '../../server/src/use-cases/sync.ts';
import type { FieldValue } from '../../shared/src/fields.ts';
import { normalise } from '../../shared/src/write-back/planner.ts';
import { DEFAULT_PLAYBOOK, DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { Playbook } from '../../shared/src/playbook/schema.ts';
import type { SalesforceEmulator } from '../emulators/salesforce/index.ts';
import { AS_OF, hubspotAdapter, portalWith, sharedEvidence, tempDir, type Portal } from './hubspot.support.ts';
import { adapterFor, emulatorWith } from './salesforce.support.ts';

const STRICTER = Playbook.parse({ ...DEFAULT_PLAYBOOK_INPUT, settings: { ...DEFAULT_PLAYBOOK_INPUT.settings, multiThreadedAt: 3 } });
const VERDICTS = DEAL_PROPERTIES.filter((p) => !['Gate_Checklist__c', 'Indicators_As_Of__c'].includes(p.field.name));

let sf: SalesforceEmulator;
let hs: Portal;

beforeAll(async () => {
  const org = sharedEvidence(2);
  sf = await emulatorWith(org);
  hs = await portalWith(org);
}, 120_000);

afterAll(async () => {
  await sf?.stop();
  await hs?.emu.stop();
});

describe('the same playbook in Salesforce and in HubSpot', () => {
  for (const [name, playbook] of [['the default playbook', DEFAULT_PLAYBOOK], ['a stricter playbook (three people to be multi-threaded)', STRICTER]] as const) {
    it(`When ${name} runs over the same deals in both CRMs, then every deal gets identical verdicts`, async () => {
      const sfAdapter = adapterFor(sf, tempDir());
      const hsAdapter = hubspotAdapter(hs.emu, tempDir());
      const sfRun = await runSync({ adapter: sfAdapter, playbook, asOf: AS_OF });
      const hsRun = await runSync({ adapter: hsAdapter, playbook, asOf: AS_OF });
      await sfAdapter.close();
      await hsAdapter.close();
      expect(hsRun.indicatorsComputed.opportunities).toBe(sfRun.indicatorsComputed.opportunities);
      let compared = 0;
      let atRisk = 0;
      for (const o of sf.org.all('Opportunity')) {
        const deal = hs.emu.portal.get('deals', hs.loaded.deals.get(String(o.Id))!)!;
        for (const p of VERDICTS) {
          expect([o.Id, p.name, normalise(p.field, deal.properties[p.name] ?? null)]).toEqual([o.Id, p.name, normalise(p.field, (o[p.field.name] ?? null) as FieldValue)]);
          compared++;
        }
        if (o.Gate_Status__c === 'At_Risk') atRisk++;
      }
      expect(compared).toBeGreaterThan(100 * VERDICTS.length);
      // Verdicts that say something: not every deal passes.
      expect(atRisk).toBeGreaterThan(0);
    }, 120_000);
  }
});
