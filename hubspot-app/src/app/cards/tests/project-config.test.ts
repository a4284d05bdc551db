// The HubSpot project's configuration, read and checked offline by HubSpot's own parsing library (the one
// `hs project upload` uses to build what it sends). Its schema check proper fetches the schema from a portal, so
// offline it runs with skipValidation — the structure, the hsproject.json, the platform version, the uids and each
// component's place are still HubSpot's checks; the rest below is what this app promises.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKnownPlatformVersion, validateProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { COMPANION_URL } from '../companion.ts';

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
const project = JSON.parse(readFileSync(join(PROJECT, 'hsproject.json'), 'utf8')) as { srcDir: string; platformVersion: string };

const nodes = async () =>
  (await translate({ projectSourceDir: join(PROJECT, project.srcDir), platformVersion: project.platformVersion }, { skipValidation: true })).intermediateRepresentation.intermediateNodesIndexedByUid as Record<string, { componentType: string; config: Record<string, any> }>;

describe('HubSpot project configuration (@hubspot/project-parsing-lib)', () => {
  it('When hsproject.json is read, then HubSpot accepts it and knows its platform version', () => {
    expect(() => validateProjectConfig(project, PROJECT)).not.toThrow();
    expect(project.platformVersion).toBe('2025.2');
    expect(isKnownPlatformVersion(project.platformVersion)).toBe(true);
  });

  it('When the project is translated, then it holds the app, the deal card, the rep scorecard and the settings page', async () => {
    const n = await nodes();
    expect(Object.fromEntries(Object.entries(n).map(([uid, node]) => [uid, node.componentType]))).toEqual({
      stagecraft_app: 'APPLICATION', stagecraft_deal_gate: 'CARD', stagecraft_rep_scorecard: 'CARD', stagecraft_settings: 'SETTINGS',
    });
    expect(n.stagecraft_deal_gate!.config).toMatchObject({ location: 'crm.record.tab', objectTypes: ['deals'] });
    expect(n.stagecraft_rep_scorecard!.config).toMatchObject({ location: 'crm.record.sidebar', objectTypes: ['contacts'] });
  });

  it('When a component names its entry point, then that file exists and the companion it calls is a permitted fetch URL', async () => {
    const n = await nodes();
    for (const node of Object.values(n)) {
      if (node.config.entrypoint) expect(() => readFileSync(join(PROJECT, project.srcDir, node.config.entrypoint))).not.toThrow();
    }
    expect(n.stagecraft_app!.config.permittedUrls.fetch).toContain(COMPANION_URL);
  });

  it('When a component file is broken, then the parsing library refuses the project (the check can fail)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'hsproject-'));
    const src = join(copy, 'src', 'app');
    mkdirSync(join(src, 'cards'), { recursive: true });
    cpSync(join(PROJECT, project.srcDir, 'app', 'app-hsmeta.json'), join(src, 'app-hsmeta.json'));
    cpSync(join(PROJECT, project.srcDir, 'app', 'cards', 'deal-gate-hsmeta.json'), join(src, 'cards', 'deal-gate-hsmeta.json'));
    // Two cards claiming one uid: HubSpot would not know which is which.
    writeFileSync(join(src, 'cards', 'rep-scorecard-hsmeta.json'), readFileSync(join(src, 'cards', 'deal-gate-hsmeta.json')));
    await expect(translate({ projectSourceDir: join(copy, 'src'), platformVersion: '2025.2' }, { skipValidation: true })).rejects.toThrow(/stagecraft_deal_gate/);
  });
});
