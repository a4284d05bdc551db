// The playbook: per sales process, the ordered stages and each stage's exit gate — the milestones that must be true
// before a deal should advance, how each is evidenced, and what to tell the rep and the manager about it.
// Admins edit it; a bad one is rejected with every error at once, each naming its path, and the last good one stays.
import { z } from 'zod';
import { ActivityKind } from '../model.ts';
import { RISK_FLAGS } from '../fields.ts';
import { checkJsonValue, PLAYBOOK_LIMITS } from './json-text.ts';

/** A field's API name as Salesforce and HubSpot spell them: a letter, then letters, digits and underscores. */
export const FIELD_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

const positiveDays = z.number({ error: 'must be a number of days' }).int('must be a whole number of days').positive('must be > 0');
const atLeast = z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1');

/** Deal fields a field rule may name: the standard ones every CRM has, by their Salesforce API names, or any custom field. */
export const FIELD_OPS = ['present', 'equals', 'in', 'gte', 'lte', 'changed'] as const;

export interface FieldRule {
  kind: 'field';
  field: string;
  op: (typeof FIELD_OPS)[number];
  value?: string | number | boolean;
  values?: string[];
}
export interface ContactRolesRule {
  kind: 'contactRoles';
  roles: string[];
  atLeast: number;
}
export interface StakeholdersRule {
  kind: 'stakeholders';
  atLeast: number;
  window: number;
}
export interface ExecutiveRule {
  kind: 'executive';
  window: number;
}
export interface ActivityRule {
  kind: 'activity';
  types: ActivityKind[];
  atLeast: number;
  window: number;
}
export interface MeaningfulConversationRule {
  kind: 'meaningfulConversation';
  atLeast: number;
  window: number;
  /** A call is a meaningful conversation only when connected and at least this long; defaults to the playbook's setting. */
  minCallSeconds?: number;
}
export interface NextStepRule {
  kind: 'nextStep';
}
export interface AttestedRule {
  kind: 'attested';
}
export interface AllRule {
  kind: 'all';
  rules: Rule[];
}
export interface AnyRule {
  kind: 'any';
  rules: Rule[];
}
export type Rule =
  | FieldRule
  | ContactRolesRule
  | StakeholdersRule
  | ExecutiveRule
  | ActivityRule
  | MeaningfulConversationRule
  | NextStepRule
  | AttestedRule
  | AllRule
  | AnyRule;

export const Rule: z.ZodType<Rule> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('field'),
        field: z.string().trim().min(1, 'must name a deal field').regex(FIELD_API_NAME, 'must be a field API name (a letter, then letters, digits and underscores; up to 80)'),
        op: z.enum(FIELD_OPS),
        value: z.union([z.string(), z.number(), z.boolean()]).optional(),
        values: z.array(z.string()).min(1, 'must list at least one value').optional(),
      })
      .superRefine((r, ctx) => {
        if ((r.op === 'equals' || r.op === 'gte' || r.op === 'lte') && r.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `is required for op "${r.op}"` });
        if ((r.op === 'gte' || r.op === 'lte') && r.value !== undefined && typeof r.value !== 'number' && Number.isNaN(Date.parse(String(r.value)))) {
          ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a number or a date for op "${r.op}"` });
        }
        if (r.op === 'in' && !r.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'is required for op "in"' });
        if (r.op === 'changed' && !CHANGE_TRACKED_FIELDS.includes(r.field)) {
          ctx.addIssue({ code: 'custom', path: ['field'], message: `has no history; "changed" works for ${CHANGE_TRACKED_FIELDS.join(', ')}` });
        }
      }),
    z.object({ kind: z.literal('contactRoles'), roles: z.array(z.string().min(1)).min(1, 'must list at least one role'), atLeast }),
    z.object({ kind: z.literal('stakeholders'), atLeast, window: positiveDays }),
    z.object({ kind: z.literal('executive'), window: positiveDays }),
    z.object({ kind: z.literal('activity'), types: z.array(ActivityKind).min(1, 'must list at least one activity type'), atLeast, window: positiveDays }),
    z.object({ kind: z.literal('meaningfulConversation'), atLeast, window: positiveDays, minCallSeconds: z.number().int().nonnegative().optional() }),
    z.object({ kind: z.literal('nextStep') }),
    z.object({ kind: z.literal('attested') }),
    z.object({ kind: z.literal('all'), rules: z.array(Rule).min(1, 'must combine at least one rule') }),
    z.object({ kind: z.literal('any'), rules: z.array(Rule).min(1, 'must combine at least one rule') }),
  ]),
);

/** Fields whose past values the stage history keeps, so "changed since stage entry" can be answered. */
export const CHANGE_TRACKED_FIELDS = ['Amount', 'CloseDate'];

export const Milestone = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,79}$/, 'must be a stable lower_snake_case key (2–80 characters)'),
  label: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  /** A short imperative for the next best action ("Engage an executive"); the label stands in when absent. */
  action: z.string().trim().min(1).max(60, 'must be at most 60 characters').optional(),
  required: z.boolean().default(true),
  weight: z.number().nonnegative('must be ≥ 0').default(1),
  rule: Rule,
  guidance: z.string().trim().min(1, 'must tell the rep what to do'),
  coachingQuestions: z.array(z.string().trim().min(1)).default([]),
  attestable: z.boolean().default(false),
});
export type Milestone = z.infer<typeof Milestone>;

export const Stage = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  closed: z.boolean().default(false),
  won: z.boolean().default(false),
  /** The exit gate: what must be true before the deal leaves this stage forward. Closed stages have none. */
  gate: z.object({ milestones: z.array(Milestone).default([]) }).default({ milestones: [] }),
});
export type Stage = z.infer<typeof Stage>;

export const Settings = z.object({
  /** Window for Stakeholders_Engaged__c and Executive_Engaged__c. */
  engagementWindowDays: positiveDays.default(30),
  /** Stalled: days in stage above this multiple of the median days won deals spent in that stage. */
  stallFactor: z.number().min(1, 'must be ≥ 1').default(2),
  /** …and never fewer than this many days. */
  minStallDays: positiveDays.default(14),
  /** With fewer won deals than this through a stage, its median is not trusted and nothing is called stalled there. */
  minWonSamplesForStall: atLeast.default(5),
  /** A call counts as a meaningful conversation when connected and at least this long. */
  meaningfulCallSeconds: z.number().int().nonnegative().default(120),
  /** No_Recent_Activity: nothing held on the deal for this many days. */
  noRecentActivityDays: positiveDays.default(14),
  /** Single_Threaded: fewer engaged stakeholders than this. */
  multiThreadedAt: atLeast.default(2),
  /**
   * Stalled: days in stage above this percentile of the days won deals spent in that stage (default 90, see
   * DEFAULT_STALL_PERCENTILE), and above stallFactor × their median, and at least minStallDays.
   */
  stallPercentile: z.number().min(50, 'must be ≥ 50').max(99, 'must be ≤ 99').optional(),
  /**
   * Per risk flag: `auto` (the default) raises it only when its backtest on the org's closed deals shows it predicts
   * losses; `raise` always; `suppress` never.
   */
  riskFlags: z.partialRecord(z.enum(RISK_FLAGS), z.enum(['auto', 'raise', 'suppress'])).optional(),
});
export type Settings = z.infer<typeof Settings>;

export const SalesProcess = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  /** Deals with no process (or one the playbook does not know) follow the default process. */
  default: z.boolean().default(false),
  stages: z.array(Stage).min(2, 'must have at least two stages'),
  /** From this stage on, a deal without an engaged executive is flagged No_Executive. */
  executiveFromStage: z.string().optional(),
  /** From this stage on, a deal with fewer engaged stakeholders than multiThreadedAt is flagged Single_Threaded. */
  multiThreadFromStage: z.string().optional(),
});
export type SalesProcess = z.infer<typeof SalesProcess>;

export const Playbook = z
  .object({
    version: z.literal(1),
    settings: Settings.default(Settings.parse({})),
    processes: z.array(SalesProcess).min(1, 'must define at least one sales process'),
  })
  // Cross-checks run even when parts of the playbook failed their own checks, so an admin sees every error at once;
  // they therefore read the raw value defensively.
  .superRefine(
    (p, ctx) => {
      const names = new Set<string>();
      const processes = (p as { processes?: unknown }).processes;
      if (!Array.isArray(processes)) return;
      processes.forEach((process: Partial<SalesProcess>, pi) => {
        if (!process || typeof process !== 'object') return;
        if (names.has(String(process.name))) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'name'], message: `duplicates process "${process.name}"` });
        names.add(String(process.name));
        const stageList = Array.isArray(process.stages) ? process.stages : [];
        const stages = new Set<string>();
        stageList.forEach((stage: Partial<Stage>, si) => {
          if (!stage || typeof stage !== 'object') return;
          if (stages.has(String(stage.name))) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'stages', si, 'name'], message: `duplicates stage "${stage.name}"` });
          stages.add(String(stage.name));
          if (stage.won && !stage.closed) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'stages', si, 'won'], message: 'a won stage must also be closed' });
          const milestones = Array.isArray(stage.gate?.milestones) ? stage.gate.milestones : [];
          if (stage.closed && milestones.length) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'stages', si, 'gate'], message: 'a closed stage has no exit gate' });
          const keys = new Set<string>();
          milestones.forEach((m: Partial<Milestone>, mi) => {
            if (m && keys.has(String(m.key))) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'stages', si, 'gate', 'milestones', mi, 'key'], message: `duplicates milestone "${m.key}" in this gate` });
            if (m) keys.add(String(m.key));
          });
        });
        if (stageList.length >= 2) {
          if (!stageList.some((s) => s?.won)) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'stages'], message: 'must include a closed-won stage' });
          if (!stageList.some((s) => s && !s.closed)) ctx.addIssue({ code: 'custom', path: ['processes', pi, 'stages'], message: 'must include at least one open stage' });
        }
        for (const key of ['executiveFromStage', 'multiThreadFromStage'] as const) {
          const stage = process[key];
          if (stage !== undefined && !stages.has(stage)) ctx.addIssue({ code: 'custom', path: ['processes', pi, key], message: `names stage "${stage}", which this process does not have` });
        }
      });
      if (processes.filter((x: Partial<SalesProcess>) => x?.default).length > 1) ctx.addIssue({ code: 'custom', path: ['processes'], message: 'only one process may be the default' });
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
export type Playbook = z.infer<typeof Playbook>;
/** What an admin writes: defaults may be left out. */
export type PlaybookInput = z.input<typeof Playbook>;

export interface PlaybookError {
  /** `processes[0].stages[3].gate.milestones[1].rule.window` */
  path: string;
  message: string;
}

export const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');

/** The deepest all/any nesting under a value, walked without recursion (a hostile value is refused, not recursed). */
const ruleNesting = (candidate: unknown): { depth: number; path: string } => {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: candidate, depth: 0, path: '' }];
  let deepest = { depth: 0, path: '' };
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const combines = !Array.isArray(v) && ((v as { kind?: unknown }).kind === 'all' || (v as { kind?: unknown }).kind === 'any');
    const d = depth + (combines ? 1 : 0);
    if (d > deepest.depth) deepest = { depth: d, path };
    if (d > PLAYBOOK_LIMITS.ruleDepth) break;
    for (const [k, x] of Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v)) stack.push({ v: x, depth: d, path: formatPath([...(path ? [path] : []), k]) });
  }
  return deepest;
};

/** Every problem at once, each as "path: message". Never throws, whatever the candidate. */
export const validatePlaybook = (candidate: unknown): { ok: true; playbook: Playbook } | { ok: false; errors: PlaybookError[] } => {
  const size = checkJsonValue(candidate);
  if (size) return { ok: false, errors: [size] };
  const nesting = ruleNesting(candidate);
  if (nesting.depth > PLAYBOOK_LIMITS.ruleDepth) return { ok: false, errors: [{ path: nesting.path, message: `nests all/any rules deeper than ${PLAYBOOK_LIMITS.ruleDepth} levels` }] };
  try {
    const result = Playbook.safeParse(candidate);
    if (result.success) return { ok: true, playbook: result.data };
    const errors = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issueMessage(issue) }));
    return { ok: false, errors };
  } catch (error) {
    // A validator that throws (a bug, or an input no check foresaw) rejects the playbook like any other error.
    return { ok: false, errors: [{ path: '', message: `could not be validated: ${error instanceof Error ? error.message : String(error)}` }] };
  }
};

const issueMessage = (issue: z.core.$ZodIssue): string => {
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') return `must be one of ${RULE_KINDS.join(', ')}`;
  return issue.message;
};

export const RULE_KINDS: readonly Rule['kind'][] = ['field', 'contactRoles', 'stakeholders', 'executive', 'activity', 'meaningfulConversation', 'nextStep', 'attested', 'all', 'any'];

export const describeErrors = (errors: readonly PlaybookError[]): string[] => errors.map((e) => `${e.path || '(playbook)'}: ${e.message}`);

/**
 * Applies a candidate playbook: valid, it takes over; invalid, the previous one stays in force and every error is
 * returned. Never throws on bad input.
 */
export const applyPlaybook = (candidate: unknown, previous: Playbook): { playbook: Playbook; accepted: boolean; errors: PlaybookError[] } => {
  const result = validatePlaybook(candidate);
  return result.ok ? { playbook: result.playbook, accepted: true, errors: [] } : { playbook: previous, accepted: false, errors: result.errors };
};

/** The process a deal follows: by name, else the default (the first process when none is marked). */
export const processFor = (playbook: Playbook, name: string | null | undefined): { process: SalesProcess; known: boolean } => {
  const byName = name ? playbook.processes.find((p) => p.name === name) : undefined;
  if (byName) return { process: byName, known: true };
  return { process: playbook.processes.find((p) => p.default) ?? playbook.processes[0]!, known: !name };
};
