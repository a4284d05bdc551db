// The playbook use cases: read the one in force, and replace it with validation and a dry run of its effect on open
// deals (how many meet each milestone today).
import { playbookEffect, type MilestoneEffect } from '../../../shared/src/engine/playbook-effect.ts';
import { validatePlaybook, type Playbook, type PlaybookError } from '../../../shared/src/playbook/schema.ts';
import { unusedFieldWarnings } from '../../../shared/src/playbook/fields.ts';
import { EmbeddedAdapter } from '../crm/embedded/adapter.ts';
import type { OrgStore } from '../crm/embedded/store.ts';
import { loadPlaybook, savePlaybook } from '../playbook-store.ts';

export const readPlaybook = (dataDir: string): { playbook: Playbook; source: string; errors: PlaybookError[] } => loadPlaybook(dataDir);

export type ReplaceResult =
  | { ok: true; saved: boolean; effect: MilestoneEffect[]; warnings: string[] }
  | { ok: false; saved: false; errors: PlaybookError[] };

export const replacePlaybook = async (store: OrgStore, dataDir: string, candidate: unknown, dryRun: boolean, now: Date): Promise<ReplaceResult> => {
  const result = dryRun ? validatePlaybook(candidate) : savePlaybook(dataDir, candidate);
  if (!result.ok) return { ok: false, saved: false, errors: result.errors };
  // The adapter is not closed: it shares the companion's open store.
  const read = await new EmbeddedAdapter(store).read(now.toISOString());
  return { ok: true, saved: !dryRun, effect: playbookEffect(read.snapshot, result.playbook, now.toISOString()), warnings: unusedFieldWarnings(result.playbook, read.snapshot.opportunities) };
};
