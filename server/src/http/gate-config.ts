// The gate configuration objects (Stage_Gate__c, Gate_Milestone__c) in the embedded org: there they are not stored
// but derived from the playbook in force, with stable ids (from gate key and milestone key), so the gate designer reads
// and edits the same thing the sync applies. An edit is applied to the records, mapped back to a playbook, validated,
// and saved only when the whole playbook is valid; otherwise it is refused the way the UI API refuses a record save.
import { createHash } from 'node:crypto';
import type { Playbook, PlaybookError } from '../../../shared/src/playbook/schema.ts';
import { gateRecordsToPlaybook, playbookToGateRecords, type GateRecordProblem } from '../crm/gate-records.ts';
import type { SfRecord, SfValue } from '../crm/embedded/store.ts';
import { to18 } from '../crm/sf-id.ts';
import type { FieldDef, ObjectDef } from '../metadata/force-app.ts';
import { loadPlaybook, savePlaybook } from '../playbook-store.ts';
import { writableFieldsOf } from '../../../shared/src/fields.ts';
import { UiApiError, type RecordExceptionError } from './ui-errors.ts';

export const GATE_OBJECTS = ['Stage_Gate__c', 'Gate_Milestone__c'] as const;
export type GateObject = (typeof GATE_OBJECTS)[number];

/** Key prefixes for the derived records; the embedded org stores no records with these. */
export const GATE_KEY_PREFIX: Record<GateObject, string> = { Stage_Gate__c: 'a0A', Gate_Milestone__c: 'a0B' };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A well-formed 18-character id that is the same for the same key on every run and every machine. */
export const stableId = (prefix: string, key: string): string => {
  const digest = createHash('sha256').update(key).digest();
  let body = '';
  for (let i = 0; i < 12; i++) body += BASE62[digest[i]! % 62];
  return to18(prefix + body);
};

export const gateIdOf = (key: string): string => stableId(GATE_KEY_PREFIX.Stage_Gate__c, `gate:${key}`);
export const milestoneIdOf = (key: string, milestoneKey: string): string => stableId(GATE_KEY_PREFIX.Gate_Milestone__c, `milestone:${key}/${milestoneKey}`);

export const gateObjectOfId = (id: string): GateObject | undefined => GATE_OBJECTS.find((o) => id.startsWith(GATE_KEY_PREFIX[o]));

/** Written back by the companion: never edited through the UI. */
const WRITTEN_BACK: Record<GateObject, ReadonlySet<string>> = {
  Stage_Gate__c: new Set(writableFieldsOf('Stage_Gate__c')),
  Gate_Milestone__c: new Set(writableFieldsOf('Gate_Milestone__c')),
};
/** Set when a record is created, fixed afterwards (the keys the ids derive from, and the master record). */
const CREATE_ONLY: Record<GateObject, ReadonlySet<string>> = {
  Stage_Gate__c: new Set(['Gate_Key__c', 'Sales_Process__c', 'Stage_Name__c']),
  Gate_Milestone__c: new Set(['Milestone_Key__c', 'Stage_Gate__c']),
};

/** Win-rate statistics per milestone, written back on the milestone records (percent fields hold 0–100). */
export interface MilestoneStats {
  Share_Open_Deals_Met__c?: number | null;
  Win_Rate_Met__c: number | null;
  Win_Rate_Missed__c: number | null;
  Lift__c: number | null;
  Sample_Size__c: number;
  Predictive__c: boolean;
  Stats_As_Of__c: string;
}

export interface GateRecordSet {
  playbook: Playbook;
  Stage_Gate__c: SfRecord[];
  Gate_Milestone__c: SfRecord[];
}

/** The playbook as records with ids; milestones point at their gate's id. */
export const recordsOfPlaybook = (playbook: Playbook, stats?: ReadonlyMap<string, MilestoneStats>): GateRecordSet => {
  const records = playbookToGateRecords(playbook);
  const gates = records.Stage_Gate__c.map((g) => ({ Id: gateIdOf(String(g.Gate_Key__c)), ...g, Configuration_Error__c: null }));
  const milestones = records.Gate_Milestone__c.map((m) => {
    const key = String(m.Stage_Gate__c);
    const id = milestoneIdOf(key, String(m.Milestone_Key__c));
    const s = stats?.get(`${key}/${String(m.Milestone_Key__c)}`);
    return {
      Id: id, ...m, Stage_Gate__c: gateIdOf(key), Configuration_Error__c: null,
      Share_Open_Deals_Met__c: s?.Share_Open_Deals_Met__c ?? null, Win_Rate_Met__c: s?.Win_Rate_Met__c ?? null, Win_Rate_Missed__c: s?.Win_Rate_Missed__c ?? null,
      Lift__c: s?.Lift__c ?? null, Sample_Size__c: s?.Sample_Size__c ?? null, Predictive__c: s?.Predictive__c ?? false, Stats_As_Of__c: s?.Stats_As_Of__c ?? null,
    };
  });
  return { playbook, Stage_Gate__c: gates, Gate_Milestone__c: milestones };
};

export const gateRecordsInForce = (dataDir: string, stats?: ReadonlyMap<string, MilestoneStats>): GateRecordSet => recordsOfPlaybook(loadPlaybook(dataDir).playbook, stats);

/** Which Gate_Milestone__c field a playbook path inside a milestone belongs to ("rule.window" → Rule_Window_Days__c). */
const FIELD_OF_PATH: [RegExp, string][] = [
  [/^key\b/, 'Milestone_Key__c'],
  [/^label\b/, 'Name'],
  [/^action\b/, 'Action__c'],
  [/^weight\b/, 'Weight__c'],
  [/^guidance\b/, 'Guidance__c'],
  [/^coachingQuestions\b/, 'Coaching_Questions__c'],
  [/^rule\.window\b/, 'Rule_Window_Days__c'],
  [/^rule\.atLeast\b/, 'Rule_Min_Count__c'],
  [/^rule\.minCallSeconds\b/, 'Rule_Min_Call_Seconds__c'],
  [/^rule\.roles\b/, 'Rule_Roles__c'],
  [/^rule\.types\b/, 'Rule_Activity_Types__c'],
  [/^rule\.field\b/, 'Rule_Field__c'],
  [/^rule\.values?\b/, 'Rule_Value__c'],
  [/^rule\.rules\b/, 'Rule_JSON__c'],
  [/^rule\b/, 'Rule_Kind__c'],
];

export class GateConfig {
  readonly dataDir: string;
  readonly objects: () => readonly ObjectDef[];
  readonly stats: () => ReadonlyMap<string, MilestoneStats> | undefined;

  constructor(dataDir: string, objects: () => readonly ObjectDef[], stats: () => ReadonlyMap<string, MilestoneStats> | undefined = () => undefined) {
    this.dataDir = dataDir;
    this.objects = objects;
    this.stats = stats;
  }

  current(): GateRecordSet {
    return gateRecordsInForce(this.dataDir, this.stats());
  }

  fieldDefs(object: GateObject): FieldDef[] {
    return this.objects().find((o) => o.apiName === object)?.fields ?? [];
  }

  fieldNames(object: GateObject): Set<string> {
    return new Set(['Id', ...this.fieldDefs(object).map((f) => f.apiName)]);
  }

  private label(object: GateObject, field: string): string | null {
    return this.fieldDefs(object).find((f) => f.apiName === field)?.label ?? null;
  }

  private fieldError(object: GateObject, field: string | null, errorCode: string, message: string): RecordExceptionError {
    return { constituentField: null, duplicateRecordError: null, errorCode, field, fieldLabel: field ? this.label(object, field) : null, message };
  }

  /** Unknown, written-back and (on update) create-only fields are refused before anything is applied. */
  private checkFields(object: GateObject, fields: Record<string, SfValue>, creating: boolean): void {
    const names = this.fieldNames(object);
    const bad: RecordExceptionError[] = [];
    for (const field of Object.keys(fields)) {
      if (field === 'Id') continue;
      if (!names.has(field)) bad.push(this.fieldError(object, field, 'INVALID_FIELD', `No such column '${field}' on entity '${object}'.`));
      else if (WRITTEN_BACK[object].has(field)) bad.push(this.fieldError(object, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${field} is written by the Stagecraft companion and cannot be edited.`));
      else if (!creating && CREATE_ONLY[object].has(field)) bad.push(this.fieldError(object, field, 'INVALID_FIELD_FOR_INSERT_UPDATE', `${field} is set when the record is created and cannot be changed.`));
    }
    if (bad.length) throw UiApiError.record(400, bad);
  }

  /** PATCH /ui-api/records/{id} for a gate record. Answers the updated record, or throws a UiApiError. */
  update(id: string, fields: Record<string, SfValue>): { object: GateObject; record: SfRecord } {
    const object = gateObjectOfId(id);
    if (object !== 'Gate_Milestone__c') throw UiApiError.record(400, [this.fieldError('Stage_Gate__c', null, 'INSUFFICIENT_ACCESS_OR_READONLY', 'Stage gates follow the playbook\'s sales processes; edit their milestones, or the playbook itself (PUT /api/playbook).')]);
    this.checkFields(object, fields, false);
    const set = this.current();
    const index = set.Gate_Milestone__c.findIndex((m) => m.Id === id);
    if (index < 0) throw UiApiError.notFound(id);
    const next = { ...set, Gate_Milestone__c: set.Gate_Milestone__c.map((m, i) => (i === index ? { ...m, ...fields, Id: id } : m)) };
    this.apply(set, next, id);
    return { object, record: this.current().Gate_Milestone__c.find((m) => m.Id === id)! };
  }

  /** POST /ui-api/records with apiName Gate_Milestone__c: a new milestone on a gate. */
  create(object: string, fields: Record<string, SfValue>): { object: GateObject; record: SfRecord } {
    if (object !== 'Gate_Milestone__c') throw UiApiError.record(400, [this.fieldError('Stage_Gate__c', null, 'INSUFFICIENT_ACCESS_OR_READONLY', 'Stage gates follow the playbook\'s sales processes; add milestones to them, or edit the playbook itself.')]);
    this.checkFields(object, fields, true);
    const set = this.current();
    const gate = set.Stage_Gate__c.find((g) => g.Id === fields.Stage_Gate__c);
    if (!gate) throw UiApiError.record(400, [this.fieldError(object, 'Stage_Gate__c', 'FIELD_INTEGRITY_EXCEPTION', `Stage Gate: no stage gate with id ${String(fields.Stage_Gate__c ?? '(blank)')}.`)]);
    const milestoneKey = String(fields.Milestone_Key__c ?? '');
    const id = milestoneIdOf(String(gate.Gate_Key__c), milestoneKey);
    if (set.Gate_Milestone__c.some((m) => m.Id === id)) {
      throw UiApiError.record(400, [this.fieldError(object, 'Milestone_Key__c', 'DUPLICATE_VALUE', `duplicate value found: ${gate.Name} already has a milestone "${milestoneKey}".`)]);
    }
    const siblings = set.Gate_Milestone__c.filter((m) => m.Stage_Gate__c === gate.Id);
    const sortOrder = fields.Sort_Order__c ?? Math.max(0, ...siblings.map((m) => Number(m.Sort_Order__c ?? 0))) + 1;
    const record: SfRecord = { Id: id, Required__c: true, Attestable__c: false, Weight__c: 1, ...fields, Sort_Order__c: sortOrder, Stage_Gate__c: gate.Id };
    this.apply(set, { ...set, Gate_Milestone__c: [...set.Gate_Milestone__c, record] }, id);
    return { object, record: this.current().Gate_Milestone__c.find((m) => m.Id === id)! };
  }

  /** DELETE /ui-api/records/{id} for a gate milestone: the playbook without it, saved only if still valid. */
  remove(id: string): void {
    if (gateObjectOfId(id) !== 'Gate_Milestone__c') throw UiApiError.record(400, [this.fieldError('Stage_Gate__c', null, 'INSUFFICIENT_ACCESS_OR_READONLY', 'Stage gates follow the playbook\'s sales processes; remove milestones from them, or edit the playbook itself.')]);
    const set = this.current();
    if (!set.Gate_Milestone__c.some((m) => m.Id === id)) throw UiApiError.notFound(id);
    this.apply(set, { ...set, Gate_Milestone__c: set.Gate_Milestone__c.filter((m) => m.Id !== id) }, id);
  }

  /** Maps the edited records back to a playbook; saves it only when every record and the whole playbook validate. */
  private apply(before: GateRecordSet, after: GateRecordSet, changedId: string): void {
    const { playbook, problems } = gateRecordsToPlaybook({ Stage_Gate__c: after.Stage_Gate__c, Gate_Milestone__c: after.Gate_Milestone__c }, before.playbook);
    if (problems.length || !playbook) throw UiApiError.record(400, this.describeProblems(after, problems, changedId));
    // The records do not say which process is the default; keep the playbook's choice.
    const defaults = new Set(before.playbook.processes.filter((p) => p.default).map((p) => p.name));
    if (defaults.size) for (const p of playbook.processes) p.default = defaults.has(p.name);
    const saved = savePlaybook(this.dataDir, playbook);
    if (!saved.ok) throw UiApiError.record(400, saved.errors.map((e) => this.playbookError(e)));
  }

  /** Each problem with the full playbook path, against the field it belongs to when there is one. */
  private describeProblems(set: GateRecordSet, problems: GateRecordProblem[], changedId: string): RecordExceptionError[] {
    const errors: RecordExceptionError[] = [];
    // The changed record's problems first: they are the ones the person just caused.
    const ordered = [...problems].sort((a, b) => Number(b.id === changedId) - Number(a.id === changedId));
    for (const problem of ordered) {
      if (problem.object === 'Stage_Gate__c') {
        errors.push(this.fieldError('Stage_Gate__c', null, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', problem.message));
        continue;
      }
      const prefix = this.pathOf(set, problem.id);
      // The mapping joins a record's errors with "; "; a message may hold "; " itself, so split only before a path.
      for (const part of problem.message.split(/; (?=[A-Za-z][\w.[\]]*: )/)) {
        const field = FIELD_OF_PATH.find(([re]) => re.test(part))?.[1] ?? null;
        errors.push(this.fieldError('Gate_Milestone__c', field, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', `${prefix}${part}`));
      }
    }
    return errors;
  }

  /** processes[p].stages[s].gate.milestones[m]. of a milestone record, as the playbook file would have it. */
  private pathOf(set: GateRecordSet, milestoneId: string): string {
    const milestone = set.Gate_Milestone__c.find((m) => m.Id === milestoneId);
    const gate = milestone && set.Stage_Gate__c.find((g) => g.Id === milestone.Stage_Gate__c);
    if (!milestone || !gate) return '';
    const processes = [...new Set(set.Stage_Gate__c.map((g) => String(g.Sales_Process__c)))];
    const stages = set.Stage_Gate__c.filter((g) => g.Sales_Process__c === gate.Sales_Process__c).sort((a, b) => Number(a.Stage_Order__c) - Number(b.Stage_Order__c));
    const siblings = set.Gate_Milestone__c.filter((m) => m.Stage_Gate__c === gate.Id).sort((a, b) => Number(a.Sort_Order__c ?? 0) - Number(b.Sort_Order__c ?? 0));
    return `processes[${processes.indexOf(String(gate.Sales_Process__c))}].stages[${stages.indexOf(gate)}].gate.milestones[${siblings.indexOf(milestone)}].`;
  }

  private playbookError(e: PlaybookError): RecordExceptionError {
    const inMilestone = /^processes\[\d+\]\.stages\[\d+\]\.gate\.milestones\[\d+\]\.(.*)$/.exec(e.path)?.[1];
    const field = inMilestone === undefined ? null : (FIELD_OF_PATH.find(([re]) => re.test(inMilestone))?.[1] ?? null);
    return this.fieldError('Gate_Milestone__c', field, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', `${e.path || '(playbook)'}: ${e.message}`);
  }
}
