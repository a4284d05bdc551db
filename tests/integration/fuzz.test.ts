// Property-based fuzzing (fast-check) of the three ways outside input gets in: CSV files, playbooks, HTTP bodies.
// Whatever arrives, the answer is a clear one-line error of a known kind or a success — never a crash, a 5xx, a
// changed org after a refusal, or a playbook that validates and then breaks the engine.
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder, ImportError } from '../../server/src/crm/embedded/csv-io.ts';
import { OrgStore } from '../../server/src/crm/embedded/store.ts';
import { AppError } from '../../server/src/errors.ts';
import { silentLogger } from '../../server/src/http/log.ts';
import { startServer, type RunningServer } from '../../server/src/http/server.ts';
import { computeOrgIndicators } from '../../shared/src/engine/opportunity.ts';
import { playbookEffect } from '../../shared/src/engine/playbook-effect.ts';
import { DEFAULT_PLAYBOOK_INPUT } from '../../shared/src/playbook/default-playbook.ts';
import { parseJsonText } from '../../shared/src/playbook/json-text.ts';
import { validatePlaybook } from '../../shared/src/playbook/schema.ts';
import { AS_OF, buildActivity, buildDeal, buildHistory, buildSnapshot, daysBefore } from '../support/builders.ts';
import { FIXTURE_DIR, suiteDir } from '../support/org-files.ts';
import { rawRequest, type RawAnswer } from '../support/raw-http.ts';

const dir = suiteDir;

const oneLine = (message: string): boolean => message.length > 0 && !message.includes('\n') && !/\bat .+:\d+:\d+/.test(message) && !/something went wrong/.test(message);

describe('fuzzing CSV files', () => {
  let orgFile = '';
  beforeAll(() => {
    orgFile = join(dir('fuzz-org'), 'org.sqlite');
    importFolder(FIXTURE_DIR, orgFile, new Date('2026-03-01T00:00:00Z'));
  });

  const HEADER = 'Id,Name,StageName,CloseDate,CreatedDate,Amount,IsClosed,IsWon';
  const cell = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', '"', '""', ',', '\n', '\r\n', ';', '\t', '\uFEFF', '=1+1', '006bm00000LKJNNAA5', '02/30/24', '12/31/99', '2026-03-01', 'TRUE', '-1e309'),
    fc.string({ unit: 'binary', maxLength: 6 }),
  );
  const csvText = fc.oneof(
    fc.array(fc.array(cell, { minLength: 1, maxLength: 9 }), { maxLength: 6 }).map((rows) => [HEADER, ...rows.map((r) => r.join(','))].join('\n')),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => `${HEADER}\n${s}`),
    fc.string({ maxLength: 300 }),
  );
  const bytes = fc.oneof(csvText.map((t) => Buffer.from(t, 'utf8')), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), csvText.map((t) => Buffer.from(`\uFEFF${t}`, 'utf16le')));

  it('When Opportunity.csv holds any bytes, then the import succeeds or is refused with one-line problems, and a refusal leaves the org as it was', () => {
    fc.assert(
      fc.property(bytes, (content) => {
        const folder = dir('fuzz-csv');
        for (const name of readdirSync(FIXTURE_DIR)) copyFileSync(join(FIXTURE_DIR, name), join(folder, name));
        writeFileSync(join(folder, 'Opportunity.csv'), content);
        const target = join(dir('fuzz-target'), 'org.sqlite');
        copyFileSync(orgFile, target);
        try {
          importFolder(folder, target, new Date());
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
          const lines = error instanceof ImportError ? error.problems.map((p) => p.message) : [(error as Error).message];
          for (const line of lines) expect(oneLine(line), line).toBe(true);
          const store = OrgStore.open(target);
          expect(store.count('Opportunity')).toBe(36);
          store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('fuzzing playbooks', () => {
  /** The default playbook with one subtree replaced by any JSON value: near-valid playbooks, the dangerous kind. */
  const mutated = fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('hasOwnProperty', 'constructor', '__proto__', 'toString', 'Amount', 'StageName', 'Custom__c', 'valueOf')).map(([pick, value, field]) => {
    const p = structuredClone(DEFAULT_PLAYBOOK_INPUT) as unknown as Record<string, unknown>;
    const paths: [Record<string, unknown> | unknown[], string | number][] = [];
    const walk = (node: unknown): void => {
      if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          paths.push([node as Record<string, unknown>, Array.isArray(node) ? Number(k) : k]);
          walk(v);
        }
      }
    };
    walk(p);
    const [parent, key] = paths[pick % paths.length]!;
    // Half the time the new value is a field rule naming a tricky field, the other half anything at all.
    (parent as Record<string | number, unknown>)[key] = pick % 2 ? { kind: 'field', field, op: pick % 3 ? 'present' : 'equals', value: 'x' } : value;
    return p;
  });

  const deal = buildDeal({ stage: 'Qualification', createdDate: daysBefore(40), customFields: { Custom__c: 'set' } });
  const snapshot = buildSnapshot({ opportunities: [deal], stageHistory: [buildHistory(deal.id, 'Qualification', daysBefore(30))], activities: [buildActivity({ opportunityId: deal.id })] });

  it('When a playbook is anything at all, then validation answers (never throws) with one-line errors; a valid one runs the engine', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything({ maxDepth: 3 })), (candidate) => {
        const result = validatePlaybook(candidate);
        if (!result.ok) {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(oneLine(`${e.path}: ${e.message}`), e.message).toBe(true);
          return;
        }
        // What validation lets through, the engine must be able to apply (the `hasOwnProperty` field broke every sync).
        computeOrgIndicators(snapshot, result.playbook, AS_OF);
        playbookEffect(snapshot, result.playbook, AS_OF);
      }),
      { numRuns: 400 },
    );
  });

  it('When playbook text is any string, then parsing answers (never throws) and agrees with JSON.parse on what it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)), fc.jsonValue().map((v) => `\uFEFF${JSON.stringify(v)}`)), (text) => {
        const parsed = parseJsonText(text);
        if (parsed.ok) expect(parsed.value).toEqual(JSON.parse(text.replace(/^\uFEFF/, '')));
        else expect(oneLine(parsed.message)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('fuzzing HTTP bodies', () => {
  let running: RunningServer;
  let store: OrgStore;
  let url: URL;
  beforeAll(async () => {
    const d = dir('fuzz-http');
    importFolder(FIXTURE_DIR, join(d, 'org.sqlite'), new Date());
    store = OrgStore.open(join(d, 'org.sqlite'));
    running = await startServer({ store, dataDir: d, apiToken: null, crm: 'embedded', logger: silentLogger, rateLimit: { reads: 100_000, writes: 100_000 } }, '127.0.0.1', 0);
    url = new URL(running.url);
  });
  afterAll(async () => {
    await running.stop();
    store.close();
  });

  const send = (method: string, path: string, body: string, type = 'application/json'): Promise<RawAnswer> => rawRequest(url, method, path, { 'content-type': type }, body);

  // Routes that would change something on a valid body; the fuzzed bodies are never valid ones (see below).
  const ROUTES: [string, string][] = [['POST', '/api/attestations'], ['PUT', '/api/playbook?dryRun=true'], ['POST', '/api/ui/graphql'], ['PATCH', '/api/ui/records/006bm00000LKJNNAA5'], ['POST', '/api/sync']];
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 200 }),
    fc.record({ opportunityId: fc.string(), milestoneKey: fc.string(), note: fc.string() }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.record({ query: fc.string({ maxLength: 100 }), variables: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    fc.record({ fields: fc.dictionary(fc.constantFrom('Name', 'StageName', '__proto__', 'Amount', 'x'), fc.jsonValue({ maxDepth: 2 })) }).map((v) => JSON.stringify(v)),
    fc.record({ asOf: fc.string({ maxLength: 30 }) }).map((v) => JSON.stringify(v)),
  );

  it('When any body is sent to any write route, then the answer is JSON below 500 and the server keeps answering', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, async ([method, path], text) => {
        const res = await send(method, path, text);
        expect(res.status, `${method} ${path} ${text.slice(0, 80)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        const parsed = JSON.parse(res.body) as { error?: { message: string } };
        if (res.status >= 400 && parsed.error) expect(oneLine(parsed.error.message), parsed.error.message).toBe(true);
        await running.sync.idle();
      }),
      { numRuns: 300 },
    );
    expect((await send('GET', '/api/health', '')).status).toBe(200);
    // Random strings are never a valid attestation (a valid key and deal id are needed): nothing was attested.
    expect(store.count('Milestone_Attestation__c')).toBe(0);
  });
});
