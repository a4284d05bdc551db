// The playbook use cases: the one in force, and checking or replacing it — validated first, with a dry run of its
// effect on today's open deals (how many meet each milestone), and saved only when the whole playbook is valid.
import { playbookEffect, type MilestoneEffect } from '../../../shared/src/engine/playbook-effect.ts';
import { validatePlaybook, type Playbook, type PlaybookError } from '../../../shared/src/playbook/schema.ts';
import type { Companion } from '../composition.ts';
import { savePlaybook, type LoadedPlaybook } from '../playbook-store.ts';

export const playbookInForce = (c: Companion): LoadedPlaybook => c.playbook();

export type PlaybookChange =
  | { ok: true; saved: boolean; playbook: Playbook; effect: MilestoneEffect[] }
  | { ok: false; saved: false; errors: PlaybookError[] };

/** `save: false` is `playbook check` and the API's dry run; `save: true` replaces the playbook in force. */
export const changePlaybook = async (c: Companion, candidate: unknown, options: { save: boolean; now?: Date }): Promise<PlaybookChange> => {
  const result = options.save ? savePlaybook(c.dataDir, candidate) : validatePlaybook(candidate);
  if (!result.ok) return { ok: false, saved: false, errors: result.errors };
  const asOf = (options.now ?? new Date()).toISOString();
  // Only open deals are judged: their activities are all the read needs.
  const read = await (await c.adapter()).read(asOf, undefined, { asOf, activitiesSince: asOf });
  return { ok: true, saved: options.save, playbook: result.playbook, effect: playbookEffect(read.snapshot, result.playbook, asOf) };
};
