// Which deal fields a playbook's field rules name, and which of them the CRM cannot supply. A rule on a field the org
// lacks (or the integration user cannot read) is a configuration error to name, not a milestone every deal "misses".
import type { Opportunity } from '../model.ts';
import type { Playbook, Rule } from './schema.ts';

/** Fields the neutral model carries for every deal, whatever the CRM (rules.ts reads them from the Opportunity). */
export const MODEL_FIELDS: readonly string[] = ['Name', 'AccountId', 'OwnerId', 'StageName', 'Amount', 'Probability', 'CloseDate', 'NextStep', 'LeadSource'];

export interface FieldReference {
  field: string;
  process: string;
  stage: string;
  milestoneKey: string;
  /** The playbook path of the milestone, as validation errors name it. */
  path: string;
}

const fieldsOf = (rule: Rule): string[] => {
  if (rule.kind === 'field') return [rule.field];
  if (rule.kind === 'all' || rule.kind === 'any') return rule.rules.flatMap(fieldsOf);
  return [];
};

/** Every field a field rule names, with the milestone naming it. */
export const fieldReferences = (playbook: Playbook): FieldReference[] =>
  playbook.processes.flatMap((process, p) =>
    process.stages.flatMap((stage, s) =>
      stage.gate.milestones.flatMap((m, i) =>
        [...new Set(fieldsOf(m.rule))].map((field) => ({ field, process: process.name, stage: stage.name, milestoneKey: m.key, path: `processes[${p}].stages[${s}].gate.milestones[${i}].rule` })),
      ),
    ),
  );

/** The distinct fields the playbook names that the model does not carry itself: what a CRM read must add. */
export const extraRuleFields = (playbook: Playbook): string[] =>
  [...new Set(fieldReferences(playbook).map((r) => r.field))].filter((f) => !MODEL_FIELDS.some((m) => m.toLowerCase() === f.toLowerCase())).sort();

/**
 * References to fields the CRM does not have (or cannot show this user), each as one line naming the field and the
 * milestone: `available` is every Opportunity field name the CRM offers (compared without case, as the API does).
 */
export const missingFieldProblems = (playbook: Playbook, available: Iterable<string>): (FieldReference & { message: string })[] => {
  const have = new Set([...available, ...MODEL_FIELDS].map((f) => f.toLowerCase()));
  return fieldReferences(playbook)
    .filter((r) => !have.has(r.field.toLowerCase()))
    .map((r) => ({ ...r, message: `${r.path}: Opportunity has no field ${r.field}, or the integration user cannot read it (milestone ${r.milestoneKey} in ${r.process} · ${r.stage})` }));
};

/** What a field rule reads on a deal: the model's own fields by API name, anything else from customFields. */
const valueOn = (o: Opportunity, field: string): unknown => {
  const model: Record<string, unknown> = { name: o.name, accountid: o.accountId, ownerid: o.ownerId, stagename: o.stage, amount: o.amount, probability: o.probability, closedate: o.closeDate, nextstep: o.nextStep, leadsource: o.leadSource };
  const key = field.toLowerCase();
  // Own properties only: a rule naming `hasOwnProperty` or `constructor` is a field no deal has, not a function.
  if (Object.hasOwn(model, key)) return model[key];
  const custom = o.customFields ?? {};
  const name = Object.keys(custom).find((k) => k.toLowerCase() === key);
  return name === undefined ? undefined : custom[name];
};

/**
 * `playbook check|set`: one warning per field a rule names that no deal has a value in — a misspelt API name, a field
 * the import did not carry, or one nobody fills in. Every milestone on it would be missed by every deal.
 */
export const unusedFieldWarnings = (playbook: Playbook, opportunities: readonly Opportunity[]): string[] => {
  const refs = fieldReferences(playbook);
  const byField = new Map<string, FieldReference[]>();
  for (const r of refs) byField.set(r.field, [...(byField.get(r.field) ?? []), r]);
  return [...byField.entries()]
    .filter(([field]) => !opportunities.some((o) => {
      const v = valueOn(o, field);
      return v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '');
    }))
    .map(([field, where]) => `no deal has a value in ${field}; ${where.map((r) => `${r.path} (${r.milestoneKey})`).join(', ')} will be missed by every deal`);
};
