// The playbook as the package stores it in an org: one Stage_Gate__c per process and stage, Gate_Milestone__c children
// with each rule as plain fields (admins never write JSON for the common rules; Composite is the exception).
// Both directions live here, so the default gate data, the Salesforce connector and the preview agree.
import type { Rule, Playbook, Milestone, SalesProcess, PlaybookError } from '../../../shared/src/playbook/schema.ts';
import { validatePlaybook, formatPath } from '../../../shared/src/playbook/schema.ts';
import type { SfRecord } from './embedded/store.ts';

/** Rule_Kind__c values of the field rules, and the playbook's field operation each stands for. */
export const FIELD_RULE_KINDS = {
  Field_Present: 'present',
  Field_Equals: 'equals',
  Field_In: 'in',
  Field_At_Least: 'gte',
  Field_At_Most: 'lte',
  Field_Changed: 'changed',
} as const;

const ACTIVITY_TYPE = { call: 'Call', meeting: 'Meeting', email: 'Email', task: 'Task' } as const;
const FIELD_KIND = Object.fromEntries(Object.entries(FIELD_RULE_KINDS).map(([k, v]) => [v, k])) as Record<string, string>;

export const gateKey = (process: string, stage: string): string => `${process}:${stage}`;

/** A rule as Gate_Milestone__c fields. */
export const ruleToFields = (rule: Rule): SfRecord => {
  const none: SfRecord = { Rule_Field__c: null, Rule_Value__c: null, Rule_Roles__c: null, Rule_Min_Count__c: null, Rule_Window_Days__c: null, Rule_Activity_Types__c: null, Rule_Min_Call_Seconds__c: null, Rule_JSON__c: null };
  switch (rule.kind) {
    case 'field':
      return { ...none, Rule_Kind__c: FIELD_KIND[rule.op]!, Rule_Field__c: rule.field, Rule_Value__c: rule.op === 'in' ? rule.values!.join(';') : rule.value === undefined ? null : String(rule.value) };
    case 'contactRoles':
      return { ...none, Rule_Kind__c: 'Contact_Roles', Rule_Roles__c: rule.roles.join(';'), Rule_Min_Count__c: rule.atLeast };
    case 'stakeholders':
      return { ...none, Rule_Kind__c: 'Stakeholders_Engaged', Rule_Min_Count__c: rule.atLeast, Rule_Window_Days__c: rule.window };
    case 'executive':
      return { ...none, Rule_Kind__c: 'Executive_Engaged', Rule_Window_Days__c: rule.window };
    case 'activity':
      return { ...none, Rule_Kind__c: 'Activity', Rule_Activity_Types__c: rule.types.map((t) => ACTIVITY_TYPE[t]).join(';'), Rule_Min_Count__c: rule.atLeast, Rule_Window_Days__c: rule.window };
    case 'meaningfulConversation':
      return { ...none, Rule_Kind__c: 'Meaningful_Conversation', Rule_Min_Count__c: rule.atLeast, Rule_Window_Days__c: rule.window, Rule_Min_Call_Seconds__c: rule.minCallSeconds ?? null };
    case 'nextStep':
      return { ...none, Rule_Kind__c: 'Next_Step_Set' };
    case 'attested':
      return { ...none, Rule_Kind__c: 'Attested' };
    case 'all':
    case 'any':
      return { ...none, Rule_Kind__c: 'Composite', Rule_JSON__c: JSON.stringify(rule) };
  }
};

const num = (v: unknown): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));
const list = (v: unknown): string[] => String(v ?? '').split(';').map((s) => s.trim()).filter(Boolean);

/** Gate_Milestone__c fields back to a rule (unvalidated: the playbook schema judges it, with a path). */
export const fieldsToRule = (r: SfRecord): unknown => {
  const kind = String(r.Rule_Kind__c ?? '');
  if (kind in FIELD_RULE_KINDS) {
    const op = FIELD_RULE_KINDS[kind as keyof typeof FIELD_RULE_KINDS];
    const raw = r.Rule_Value__c === null || r.Rule_Value__c === undefined ? undefined : String(r.Rule_Value__c);
    const value = raw !== undefined && (op === 'gte' || op === 'lte') && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return op === 'in' ? { kind: 'field', field: r.Rule_Field__c ?? '', op, values: list(raw) } : { kind: 'field', field: r.Rule_Field__c ?? '', op, ...(value === undefined ? {} : { value }) };
  }
  switch (kind) {
    case 'Contact_Roles':
      return { kind: 'contactRoles', roles: list(r.Rule_Roles__c), atLeast: num(r.Rule_Min_Count__c) };
    case 'Stakeholders_Engaged':
      return { kind: 'stakeholders', atLeast: num(r.Rule_Min_Count__c), window: num(r.Rule_Window_Days__c) };
    case 'Executive_Engaged':
      return { kind: 'executive', window: num(r.Rule_Window_Days__c) };
    case 'Activity':
      return { kind: 'activity', types: list(r.Rule_Activity_Types__c).map((t) => t.toLowerCase()), atLeast: num(r.Rule_Min_Count__c), window: num(r.Rule_Window_Days__c) };
    case 'Meaningful_Conversation': {
      const seconds = num(r.Rule_Min_Call_Seconds__c);
      return { kind: 'meaningfulConversation', atLeast: num(r.Rule_Min_Count__c), window: num(r.Rule_Window_Days__c), ...(seconds === undefined ? {} : { minCallSeconds: seconds }) };
    }
    case 'Next_Step_Set':
      return { kind: 'nextStep' };
    case 'Attested':
      return { kind: 'attested' };
    case 'Composite':
      try {
        return JSON.parse(String(r.Rule_JSON__c ?? ''));
      } catch {
        return { kind: 'Composite: Rule JSON is not valid JSON' };
      }
    default:
      return { kind };
  }
};

export interface GateRecords {
  Stage_Gate__c: SfRecord[];
  Gate_Milestone__c: SfRecord[];
}

/** The playbook as records. Milestones point at their gate by Gate_Key__c in `Stage_Gate__c` (resolved on load). */
export const playbookToGateRecords = (playbook: Playbook): GateRecords => {
  const gates: SfRecord[] = [];
  const milestones: SfRecord[] = [];
  for (const process of playbook.processes) {
    const execFrom = process.stages.findIndex((s) => s.name === process.executiveFromStage);
    const threadFrom = process.stages.findIndex((s) => s.name === process.multiThreadFromStage);
    process.stages.forEach((stage, order) => {
      const key = gateKey(process.name, stage.name);
      gates.push({
        Name: `${process.name}: ${stage.name}`.slice(0, 80), Gate_Key__c: key, Sales_Process__c: process.name, Stage_Name__c: stage.name, Stage_Order__c: order + 1,
        Is_Closed__c: stage.closed, Is_Won__c: stage.won, Stall_Factor__c: playbook.settings.stallFactor, Active__c: true,
        Executive_Expected__c: order === execFrom, Multi_Threading_Expected__c: order === threadFrom,
      });
      stage.gate.milestones.forEach((m, i) => {
        milestones.push({
          Stage_Gate__c: key, Name: m.label, Milestone_Key__c: m.key, Action__c: m.action ?? null, Required__c: m.required, Weight__c: m.weight, Sort_Order__c: i + 1,
          Attestable__c: m.attestable, Guidance__c: m.guidance, Coaching_Questions__c: m.coachingQuestions.join('\n') || null, ...ruleToFields(m.rule),
        });
      });
    });
  }
  return { Stage_Gate__c: gates, Gate_Milestone__c: milestones };
};

export interface GateRecordProblem {
  object: 'Stage_Gate__c' | 'Gate_Milestone__c';
  /** The record's Id (or its gate key / milestone key when it has none). */
  id: string;
  message: string;
}

/**
 * Records back to a playbook. A bad record does not take the rest down: its problems are returned against the record
 * (for its Configuration_Error__c), it is left out, and the rest of the playbook still applies.
 */
export const gateRecordsToPlaybook = (records: GateRecords, base: Pick<Playbook, 'settings'>): { playbook: Playbook | null; problems: GateRecordProblem[] } => {
  const problems: GateRecordProblem[] = [];
  const gateRef = (g: SfRecord): string => String(g.Id ?? g.Gate_Key__c);
  const activeGates = records.Stage_Gate__c.filter((g) => g.Active__c !== false);
  const byProcess = new Map<string, SfRecord[]>();
  for (const g of activeGates) byProcess.set(String(g.Sales_Process__c ?? ''), [...(byProcess.get(String(g.Sales_Process__c ?? '')) ?? []), g]);
  const milestonesOf = (g: SfRecord): SfRecord[] =>
    records.Gate_Milestone__c.filter((m) => m.Stage_Gate__c === g.Id || m.Stage_Gate__c === g.Gate_Key__c).sort((a, b) => Number(a.Sort_Order__c ?? 0) - Number(b.Sort_Order__c ?? 0));

  const processes: SalesProcess[] = [];
  for (const [name, gates] of byProcess) {
    gates.sort((a, b) => Number(a.Stage_Order__c ?? 0) - Number(b.Stage_Order__c ?? 0));
    const stages = gates.map((g) => {
      const milestones: Milestone[] = [];
      for (const m of milestonesOf(g)) {
        const candidate = {
          key: m.Milestone_Key__c, label: m.Name, ...(m.Action__c ? { action: m.Action__c } : {}), required: m.Required__c !== false, weight: num(m.Weight__c) ?? 1,
          rule: fieldsToRule(m), guidance: m.Guidance__c ?? '', coachingQuestions: String(m.Coaching_Questions__c ?? '').split(/\r?\n/).map((q) => q.trim()).filter(Boolean), attestable: m.Attestable__c === true,
        };
        // Judge each milestone on its own, so one bad record is reported and the rest stands.
        const check = validatePlaybook({ version: 1, processes: [{ name: 'check', stages: [{ name: 'open', gate: { milestones: [candidate] } }, { name: 'won', closed: true, won: true }] }] });
        if (check.ok) milestones.push(check.playbook.processes[0]!.stages[0]!.gate.milestones[0]!);
        else problems.push({ object: 'Gate_Milestone__c', id: String(m.Id ?? m.Milestone_Key__c), message: describe(check.errors, 'processes[0].stages[0].gate.milestones[0].') });
      }
      return { name: String(g.Stage_Name__c ?? ''), closed: g.Is_Closed__c === true, won: g.Is_Won__c === true, gate: { milestones: g.Is_Closed__c === true ? [] : milestones } };
    });
    const exec = gates.find((g) => g.Executive_Expected__c === true);
    const thread = gates.find((g) => g.Multi_Threading_Expected__c === true);
    const process = { name, stages, ...(exec ? { executiveFromStage: String(exec.Stage_Name__c) } : {}), ...(thread ? { multiThreadFromStage: String(thread.Stage_Name__c) } : {}) };
    const check = validatePlaybook({ version: 1, settings: base.settings, processes: [process] });
    if (check.ok) processes.push(check.playbook.processes[0]!);
    else for (const g of gates) problems.push({ object: 'Stage_Gate__c', id: gateRef(g), message: `process ${name}: ${describe(check.errors, 'processes[0].')}` });
  }
  if (!processes.length) return { playbook: null, problems };
  const defaultIndex = Math.max(0, processes.findIndex((p) => p.name === 'Standard'));
  processes.forEach((p, i) => (p.default = i === defaultIndex));
  const result = validatePlaybook({ version: 1, settings: base.settings, processes });
  return { playbook: result.ok ? result.playbook : null, problems };
};

const describe = (errors: PlaybookError[], prefix: string): string =>
  errors.map((e) => `${e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path || formatPath([])}: ${e.message}`).join('; ').slice(0, 255);
