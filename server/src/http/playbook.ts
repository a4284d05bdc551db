// The playbook routes' use cases: the one in force, and replacing it (validated, with its effect on open deals).
import type { Playbook, PlaybookError } from '../../../shared/src/playbook/schema.ts';
import type { MilestoneEffect } from '../../../shared/src/engine/playbook-effect.ts';
import type { Companion } from '../composition.ts';
import { changePlaybook, playbookInForce } from '../use-cases/playbook.ts';

export const readPlaybook = (c: Companion): { playbook: Playbook; source: string; errors: PlaybookError[] } => playbookInForce(c);

export type ReplaceResult =
  | { ok: true; saved: boolean; effect: MilestoneEffect[] }
  | { ok: false; saved: false; errors: PlaybookError[] };

export const replacePlaybook = async (c: Companion, candidate: unknown, dryRun: boolean, now: Date): Promise<ReplaceResult> => {
  const result = await changePlaybook(c, candidate, { save: !dryRun, now });
  return result.ok ? { ok: true, saved: result.saved, effect: result.effect } : result;
};
