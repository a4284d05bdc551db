// The playbook use cases: the one in force, and checking or replacing it — validated first, with a dry run of its
// effect on today's open deals (how many meet each milestone), and saved only when the whole playbook is valid.
import { playbookEffect, type MilestoneEffect } from '../../../shared/src/engine/playbook-effect.ts';
import { unusedFieldWarnings } from '../../../shared/src/playbook/fields.ts';
import { validatePlaybook, type Playbook, type PlaybookError } from '../../../shared/src/playbook/schema.ts';
import type { Companion } from '../composition.ts';
import { savePlaybook, type LoadedPlaybook } from '../playbook-store.ts';

export const playbookInForce = (c: Companion): LoadedPlaybook => c.playbook();

export type PlaybookChange =
  /** `warnings`: rules naming a field no deal has (a typo, or a field the import or the org does not carry). */
  | { ok: true; saved: boolean; playbook: Playbook; effect: MilestoneEffect[]; warnings: string[] }
  | { ok: false; saved: false; errors: PlaybookError[] };

/** `save: false` is `playbook check` and the API's dry run; `save: true` replaces the playbook in force. */
export const changePlaybook = async (c: Companion, candidate: unknown, options: { save: boolean; now?: Date }): Promise<PlaybookChange> => {
  const result = validatePlaybook(candidate);
  if (!result.ok) return { ok: false, saved: false, errors: result.errors };
  const asOf = (options.now ?? new Date()).toISOString();
  // Only open deals are judged: their activities are all the read needs. The effect is computed before anything is
  // saved, so a playbook the engine cannot apply fails here and the one in force stays.
  const read = await (await c.adapter()).read(asOf, undefined, { asOf, activitiesSince: asOf });
  const effect = playbookEffect(read.snapshot, result.playbook, asOf);
  const warnings = unusedFieldWarnings(result.playbook, read.snapshot.opportunities);
  if (options.save) {
    const saved = savePlaybook(c.dataDir, candidate);
    if (!saved.ok) return { ok: false, saved: false, errors: saved.errors };
  }
  return { ok: true, saved: options.save, playbook: result.playbook, effect, warnings };
};
