// The HubSpot project's configuration, read and checked offline by HubSpot's own parsing library (the one
// `hs project upload` uses to build what it sends). Its full validation fetches each component's schema from a portal
// (the one call it makes); here that call is answered with the schemas written from HubSpot's documented field
// tables (hubspot-schemas.ts), so the library's own checks all run: each component's config against its schema, the
// uids, each component's folder, one settings page per app, the platform version.
import { cpSync, mkdirSync, renameSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isKnownPlatformVersion, validateProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { COMPANION_URL } from '../companion.ts';
import { PROJECT_SCHEMAS_2025_2 } from './hubspot-schemas.ts';

const schemaFetches = vi.hoisted(() => [] as string[]);
vi.mock('@hubspot/local-dev-lib/http', () => ({
  http: {
    get: async (_accountId: number, options: { url: string }) => {
      schemaFetches.push(options.url);
      if (options.url !== 'project-components-external/project-schemas/v3/2025.2') throw new Error(`no schemas here for ${options.url}`);
      return { data: PROJECT_SCHEMAS_2025_2 };
    },
  },
}));

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

/** A copy of the project to break one thing in. */
const copyOfProject = (): string => {
  const copy = mkdtempSync(join(tmpdir(), 'hsproject-'));
  cpSync(join(PROJECT, 'hsproject.json'), join(copy, 'hsproject.json'));
  cpSync(join(PROJECT, project.srcDir), join(copy, 'src'), { recursive: true, filter: (from) => !from.includes('node_modules') });
  return copy;
};
const validated = (dir: string) => translate({ projectSourceDir: join(dir, project.srcDir), platformVersion: project.platformVersion, accountId: 123 }, { skipValidation: false });
const edit = (file: string, change: (json: any) => void) => {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json);
  writeFileSync(file, JSON.stringify(json));
};
/** What the library reports: its message names the file; the schema errors are kept beside it. */
const refusal = async (dir: string): Promise<string> => {
  try {
    await validated(dir);
  } catch (e) {
    const error = e as Error & { schemaValidationErrors?: unknown };
    return `${error.message} ${error.toString()} ${JSON.stringify(error.schemaValidationErrors ?? null)}`;
  }
  throw new Error('the project was accepted');
};

describe('HubSpot project validation (the library’s full check, with the documented schemas)', () => {
  it('When the project is validated in full, then every component passes its schema and the library’s own checks', async () => {
    schemaFetches.length = 0;
    const { intermediateRepresentation } = await validated(PROJECT);
    expect(Object.keys(intermediateRepresentation.intermediateNodesIndexedByUid).sort()).toEqual(['stagecraft_app', 'stagecraft_deal_gate', 'stagecraft_rep_scorecard', 'stagecraft_settings']);
    expect(schemaFetches).toEqual(['project-components-external/project-schemas/v3/2025.2']);
  });

  it('When a card names a place HubSpot has no such slot for, then validation refuses it', async () => {
    const copy = copyOfProject();
    edit(join(copy, 'src/app/cards/deal-gate-hsmeta.json'), (j) => void (j.config.location = 'crm.record.middle'));
    expect(await refusal(copy)).toMatch(/location|allowed values/);
  });

  it('When the app config misses its auth or names an unknown distribution, then validation refuses it', async () => {
    const copy = copyOfProject();
    edit(join(copy, 'src/app/app-hsmeta.json'), (j) => {
      delete j.config.auth;
      j.config.distribution = 'public';
    });
    const why = await refusal(copy);
    expect(why).toMatch(/auth/);
    expect(why).toMatch(/distribution|allowed values/);
  });

  it('When a card sits outside the cards folder or the app has two settings pages, then HubSpot’s own checks leave it out or refuse it', async () => {
    const misplaced = copyOfProject();
    mkdirSync(join(misplaced, 'src/app/widgets'));
    renameSync(join(misplaced, 'src/app/cards/rep-scorecard-hsmeta.json'), join(misplaced, 'src/app/widgets/rep-scorecard-hsmeta.json'));
    // HubSpot reads components only from their feature folders: the card would silently not be uploaded.
    const read = await validated(misplaced);
    expect(Object.keys(read.intermediateRepresentation.intermediateNodesIndexedByUid)).not.toContain('stagecraft_rep_scorecard');
    expect(JSON.stringify(read.skippedHsMetaFiles)).toContain('widgets');
    const twice = copyOfProject();
    edit(join(twice, 'src/app/settings/settings-hsmeta.json'), () => {});
    const second = JSON.parse(readFileSync(join(twice, 'src/app/settings/settings-hsmeta.json'), 'utf8'));
    second.uid = 'stagecraft_settings_again';
    writeFileSync(join(twice, 'src/app/settings/more-settings-hsmeta.json'), JSON.stringify(second));
    const why = await refusal(twice);
    expect(why).toMatch(/Only one settings component is allowed/);
  });
});
