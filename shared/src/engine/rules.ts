// Evidence rules: is a milestone true of a deal at a moment, which records prove it, and — when it is not — what
// exactly is missing, said specifically enough to act on. Only data dated on or before the moment is used, so the same
// evaluation answers "now" and "when the deal left that stage" (gate-skipped checks, backtests).
import type { EvidenceItem } from '../checklist.ts';
import type { Attestation, ContactRole, Opportunity } from '../model.ts';
import type { Rule, Settings } from '../playbook/schema.ts';
import { engagedContacts, isScheduledAfter, nextStepSet, wasHeld } from './engagement.ts';
import type { IndexedActivity, IndexedFieldChange, IndexedHistory, OrgIndex } from './org-index.ts';
import { dayOfMs, toMs } from './time.ts';

/** One deal's own records, as the rules read them. */
export interface DealRecords {
  opportunity: Opportunity;
  activities: readonly IndexedActivity[];
  history: readonly IndexedHistory[];
  roles: readonly ContactRole[];
  attestations: readonly Attestation[];
  /** Field history of the deal's tracked fields, oldest first (absent: none). */
  fieldHistory?: readonly IndexedFieldChange[];
}

export interface RuleContext {
  deal: DealRecords;
  index: Pick<OrgIndex, 'contactsById' | 'executiveContactIds' | 'contactsByAccount'>;
  settings: Settings;
  /** The moment evaluated (epoch ms) and its UTC day. */
  atMs: number;
  atDay: number;
  /** When the deal entered the stage it was in at `atMs` (for "changed since stage entry"). */
  stageEnteredMs: number;
  /** The milestone being evaluated, for attestations. */
  milestoneKey: string;
}

export interface RuleOutcome {
  met: boolean;
  evidence: EvidenceItem[];
  /** What is missing, specific to this deal ("no meeting in 21 days"). Empty when met. */
  shortfall: string;
}

export const dealRecords = (opportunity: Opportunity, index: OrgIndex): DealRecords => ({
  opportunity,
  activities: index.activitiesByOpportunity.get(opportunity.id) ?? [],
  history: index.historyByOpportunity.get(opportunity.id) ?? [],
  roles: index.rolesByOpportunity.get(opportunity.id) ?? [],
  attestations: index.attestationsByOpportunity.get(opportunity.id) ?? [],
  fieldHistory: index.fieldHistoryByOpportunity?.get(opportunity.id) ?? [],
});

const MAX_EVIDENCE = 5;
const KIND_NOUN: Record<string, string> = { call: 'Call', meeting: 'Meeting', email: 'Email', task: 'Task' };
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const list = (items: readonly string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);

const personLabel = (ctx: RuleContext, contactId: string): string => {
  const c = ctx.index.contactsById.get(contactId);
  if (!c) return 'an unknown contact';
  return c.title ? `${c.name} (${c.title})` : c.name;
};

const activityEvidence = (ctx: RuleContext, a: IndexedActivity): EvidenceItem => {
  const people = a.activity.contactIds.map((id) => personLabel(ctx, id));
  const what = a.activity.kind === 'call' && a.activity.callDurationSeconds ? `Call (${Math.round(a.activity.callDurationSeconds / 60)} min)` : KIND_NOUN[a.activity.kind]!;
  return { kind: 'activity', recordId: a.activity.id, date: a.activity.date, label: people.length ? `${what} with ${people.join(', ')}` : what };
};

/** Held activities on the deal dated in [at − window, at], most recent first. */
const heldInWindow = (ctx: RuleContext, window: number): IndexedActivity[] =>
  ctx.deal.activities.filter((a) => a.day >= ctx.atDay - window && wasHeld(a, ctx.atMs)).sort((x, y) => y.ms - x.ms || (x.activity.id < y.activity.id ? -1 : 1));

/** A meaningful conversation: a held meeting with a contact, or a connected call at least `seconds` long. */
export const isMeaningfulConversation = (a: IndexedActivity, seconds: number): boolean =>
  (a.activity.kind === 'meeting' && a.activity.contactIds.length > 0) ||
  (a.activity.kind === 'call' && a.activity.callConnected === true && (a.activity.callDurationSeconds ?? 0) >= seconds);

// Standard deal fields by their Salesforce API names; anything else is looked up among the CRM's custom fields.
const STANDARD_FIELDS: Record<string, (o: Opportunity) => unknown> = {
  Name: (o) => o.name,
  AccountId: (o) => o.accountId,
  OwnerId: (o) => o.ownerId,
  StageName: (o) => o.stage,
  Amount: (o) => o.amount,
  Probability: (o) => o.probability,
  CloseDate: (o) => o.closeDate,
  NextStep: (o) => o.nextStep,
  LeadSource: (o) => o.leadSource,
};

/** A field's value at `atMs`: Amount and CloseDate from the stage history where it has them, the rest as they are now. */
const fieldValue = (ctx: RuleContext, field: string, atMs: number): unknown => {
  // Field history (tracked fields): the value after the last change up to that moment, or before the first change after it.
  const changes = ctx.deal.fieldHistory;
  if (changes?.length) {
    const name = field.toLowerCase();
    let before: IndexedFieldChange | undefined;
    let after: IndexedFieldChange | undefined;
    for (const c of changes) {
      if (c.field !== name) continue;
      if (c.ms <= atMs) before = c;
      else {
        after = c;
        break;
      }
    }
    if (before) return before.newValue;
    if (after) return after.oldValue;
  }
  // With nothing recorded after that moment, the deal's current value is the value then (and the truth if history is partial).
  const last = ctx.deal.history.at(-1);
  if ((field === 'Amount' || field === 'CloseDate') && last && last.ms > atMs) {
    let value: unknown;
    let found = false;
    for (const row of ctx.deal.history) {
      if (row.ms > atMs) break;
      const v = field === 'Amount' ? row.entry.amount : row.entry.closeDate;
      if (v !== undefined && v !== null) {
        value = v;
        found = true;
      }
    }
    // History is the record of the past; with none up to that moment, the current value is the best we have.
    if (found) return value;
  }
  // Own properties only: a field named `hasOwnProperty` or `__proto__` must not reach Object.prototype.
  const standard = Object.hasOwn(STANDARD_FIELDS, field) ? STANDARD_FIELDS[field] : undefined;
  const custom = ctx.deal.opportunity.customFields;
  return standard ? standard(ctx.deal.opportunity) : custom && Object.hasOwn(custom, field) ? custom[field] : undefined;
};

const isBlank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

const comparable = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? (Number.isFinite(Number(v)) ? Number(v) : toMs(v)) : Number.NaN);

const evaluateField = (rule: Extract<Rule, { kind: 'field' }>, ctx: RuleContext): RuleOutcome => {
  const value = fieldValue(ctx, rule.field, ctx.atMs);
  const shown = isBlank(value) ? 'empty' : String(value);
  const evidence: EvidenceItem[] = [{ kind: 'field', recordId: null, date: null, label: `${rule.field}: ${shown}` }];
  const outcome = (met: boolean, shortfall: string): RuleOutcome => ({ met, evidence: met ? evidence : [], shortfall: met ? '' : shortfall });
  switch (rule.op) {
    case 'present':
      return outcome(!isBlank(value), `${rule.field} is empty`);
    case 'equals':
      return outcome(!isBlank(value) && String(value).toLowerCase() === String(rule.value).toLowerCase(), `${rule.field} is ${shown}, not ${String(rule.value)}`);
    case 'in':
      return outcome(!isBlank(value) && rule.values!.some((v) => v.toLowerCase() === String(value).toLowerCase()), `${rule.field} is ${shown}, not ${list(rule.values!)}`);
    case 'gte':
      return outcome(comparable(value) >= comparable(rule.value), `${rule.field} is ${shown}, below ${String(rule.value)}`);
    case 'lte':
      return outcome(comparable(value) <= comparable(rule.value), `${rule.field} is ${shown}, above ${String(rule.value)}`);
    case 'changed': {
      const before = fieldValue(ctx, rule.field, ctx.stageEnteredMs);
      return outcome(!isBlank(value) && String(before) !== String(value), `${rule.field} has not changed since the deal entered this stage`);
    }
  }
};

const evaluateRoles = (rule: Extract<Rule, { kind: 'contactRoles' }>, ctx: RuleContext): RuleOutcome => {
  const wanted = new Set(rule.roles.map((r) => r.toLowerCase()));
  const matching = ctx.deal.roles.filter((r) => r.role && wanted.has(r.role.toLowerCase()) && (!r.createdDate || toMs(r.createdDate) <= ctx.atMs));
  const people = new Map<string, ContactRole>();
  for (const r of matching) if (!people.has(r.contactId)) people.set(r.contactId, r);
  const met = people.size >= rule.atLeast;
  const evidence: EvidenceItem[] = [...people.values()].slice(0, MAX_EVIDENCE).map((r) => ({ kind: 'contactRole', recordId: r.contactId, date: r.createdDate ?? null, label: `${personLabel(ctx, r.contactId)}: ${r.role}` }));
  const roles = rule.roles.length > 3 ? `${rule.roles.slice(0, 3).join(', ')} or another committee role` : list(rule.roles);
  const shortfall = people.size === 0 ? `no contact role of ${roles} yet` : `${plural(people.size, 'contact')} in the roles ${roles}, ${rule.atLeast} needed`;
  return { met, evidence: met ? evidence : [], shortfall: met ? '' : shortfall };
};

const evaluateStakeholders = (rule: Extract<Rule, { kind: 'stakeholders' }>, ctx: RuleContext): RuleOutcome => {
  const engaged = engagedContacts(ctx.deal.activities, ctx.atMs, rule.window);
  const met = engaged.length >= rule.atLeast;
  const evidence = engaged.slice(0, MAX_EVIDENCE).map((e): EvidenceItem => ({ kind: 'contact', recordId: e.contactId, date: e.activity.activity.date, label: `${personLabel(ctx, e.contactId)}, last engaged by ${KIND_NOUN[e.activity.activity.kind]!.toLowerCase()}` }));
  const names = engaged.slice(0, 2).map((e) => ctx.index.contactsById.get(e.contactId)?.name ?? 'unknown');
  const shortfall = engaged.length === 0 ? `nobody engaged in ${rule.window} days` : `only ${plural(engaged.length, 'contact')} engaged in ${rule.window} days (${names.join(', ')}), ${rule.atLeast} needed`;
  return { met, evidence: met ? evidence : [], shortfall: met ? '' : shortfall };
};

const evaluateExecutive = (rule: Extract<Rule, { kind: 'executive' }>, ctx: RuleContext): RuleOutcome => {
  const engaged = engagedContacts(ctx.deal.activities, ctx.atMs, rule.window).filter((e) => ctx.index.executiveContactIds.has(e.contactId));
  if (engaged.length > 0) return { met: true, evidence: engaged.slice(0, MAX_EVIDENCE).map((e) => activityEvidence(ctx, e.activity)), shortfall: '' };
  // Say who to go back to: the executive engaged most recently before the window, or one on the account never engaged.
  let last: { contactId: string; ms: number } | null = null;
  for (const a of ctx.deal.activities) {
    if (!wasHeld(a, ctx.atMs)) continue;
    for (const id of a.activity.contactIds) if (ctx.index.executiveContactIds.has(id) && (!last || a.ms > last.ms || (a.ms === last.ms && id < last.contactId))) last = { contactId: id, ms: a.ms };
  }
  let hint = '; no executive has been engaged on this deal';
  if (last) hint = `; ${personLabel(ctx, last.contactId)} was last engaged ${dayOfMs(ctx.atMs) - dayOfMs(last.ms)} days ago`;
  else {
    const accountId = ctx.deal.opportunity.accountId;
    const candidate = accountId ? ctx.index.contactsByAccount.get(accountId)?.find((c) => ctx.index.executiveContactIds.has(c.id)) : undefined;
    if (candidate) hint = `; ${personLabel(ctx, candidate.id)} is on the account and has not been engaged`;
  }
  return { met: false, evidence: [], shortfall: `no director-level contact in ${rule.window} days${hint}` };
};

const evaluateActivity = (rule: Extract<Rule, { kind: 'activity' }>, ctx: RuleContext): RuleOutcome => {
  const types = new Set(rule.types);
  const found = heldInWindow(ctx, rule.window).filter((a) => types.has(a.activity.kind));
  const met = found.length >= rule.atLeast;
  const noun = list(rule.types.map((t) => KIND_NOUN[t]!.toLowerCase()));
  const shortfall = found.length === 0 ? `no ${noun} in ${rule.window} days` : `${found.length} of ${rule.atLeast} ${noun}s in ${rule.window} days`;
  return { met, evidence: met ? found.slice(0, MAX_EVIDENCE).map((a) => activityEvidence(ctx, a)) : [], shortfall: met ? '' : shortfall };
};

const evaluateConversation = (rule: Extract<Rule, { kind: 'meaningfulConversation' }>, ctx: RuleContext): RuleOutcome => {
  const seconds = rule.minCallSeconds ?? ctx.settings.meaningfulCallSeconds;
  const held = heldInWindow(ctx, rule.window);
  const found = held.filter((a) => isMeaningfulConversation(a, seconds));
  const met = found.length >= rule.atLeast;
  if (met) return { met, evidence: found.slice(0, MAX_EVIDENCE).map((a) => activityEvidence(ctx, a)), shortfall: '' };
  // Effort is not progress: say how much activity there was without a real conversation.
  const calls = held.filter((a) => a.activity.kind === 'call').length;
  const effort = calls > 0 && found.length === 0 ? ` (${plural(calls, 'call')}, none connected for ${Math.round(seconds / 60)}+ minutes)` : '';
  return { met, evidence: [], shortfall: `${found.length} of ${rule.atLeast} meaningful conversation${rule.atLeast === 1 ? '' : 's'} in ${rule.window} days${effort}` };
};

const evaluateNextStep = (ctx: RuleContext): RuleOutcome => {
  const text = ctx.deal.opportunity.nextStep?.trim();
  const met = nextStepSet(text, ctx.deal.activities, ctx.atMs);
  if (met) {
    const scheduled = ctx.deal.activities.filter((a) => isScheduledAfter(a, ctx.atMs)).sort((x, y) => x.ms - y.ms || (x.activity.id < y.activity.id ? -1 : 1))[0];
    const evidence: EvidenceItem[] = [{ kind: 'field', recordId: null, date: null, label: `Next Step: ${text}` }];
    if (scheduled) evidence.push({ ...activityEvidence(ctx, scheduled), label: `${activityEvidence(ctx, scheduled).label} (scheduled)` });
    return { met, evidence, shortfall: '' };
  }
  return { met, evidence: [], shortfall: text ? 'nothing is on the calendar after today' : 'Next Step is empty' };
};

const evaluateAttested = (ctx: RuleContext): RuleOutcome => {
  const attestation = latestAttestation(ctx.deal.attestations, ctx.milestoneKey, ctx.atMs);
  if (!attestation) return { met: false, evidence: [], shortfall: 'not confirmed with the customer yet' };
  return { met: true, evidence: [attestationEvidence(attestation)], shortfall: '' };
};

export const latestAttestation = (attestations: readonly Attestation[], key: string, atMs: number): Attestation | undefined =>
  attestations.filter((a) => a.milestoneKey === key && toMs(a.attestedAt) <= atMs).sort((a, b) => toMs(b.attestedAt) - toMs(a.attestedAt))[0];

export const attestationEvidence = (a: Attestation): EvidenceItem => ({ kind: 'attestation', recordId: a.id, date: a.attestedAt, label: a.note?.trim() ? `Attested: ${a.note.trim()}` : 'Attested by the rep' });

export const evaluateRule = (rule: Rule, ctx: RuleContext): RuleOutcome => {
  switch (rule.kind) {
    case 'field':
      return evaluateField(rule, ctx);
    case 'contactRoles':
      return evaluateRoles(rule, ctx);
    case 'stakeholders':
      return evaluateStakeholders(rule, ctx);
    case 'executive':
      return evaluateExecutive(rule, ctx);
    case 'activity':
      return evaluateActivity(rule, ctx);
    case 'meaningfulConversation':
      return evaluateConversation(rule, ctx);
    case 'nextStep':
      return evaluateNextStep(ctx);
    case 'attested':
      return evaluateAttested(ctx);
    case 'all': {
      const outcomes = rule.rules.map((r) => evaluateRule(r, ctx));
      const met = outcomes.every((o) => o.met);
      return { met, evidence: met ? outcomes.flatMap((o) => o.evidence).slice(0, MAX_EVIDENCE) : [], shortfall: outcomes.filter((o) => !o.met).map((o) => o.shortfall).join('; ') };
    }
    case 'any': {
      const outcomes = rule.rules.map((r) => evaluateRule(r, ctx));
      const first = outcomes.find((o) => o.met);
      return first ? first : { met: false, evidence: [], shortfall: outcomes[0]!.shortfall };
    }
  }
};


/**
 * Only the verdict: is the rule met at ctx.atMs? The same tests as evaluateRule, without building evidence or
 * explanations, for the places that judge many gates and need nothing but the answer (the path walk, the backtest).
 */
export const ruleMet = (rule: Rule, ctx: RuleContext): boolean => {
  switch (rule.kind) {
    case 'field':
      return evaluateField(rule, ctx).met;
    case 'contactRoles': {
      const wanted = new Set(rule.roles.map((r) => r.toLowerCase()));
      const people = new Set<string>();
      for (const r of ctx.deal.roles) if (r.role && wanted.has(r.role.toLowerCase()) && (!r.createdDate || toMs(r.createdDate) <= ctx.atMs)) people.add(r.contactId);
      return people.size >= rule.atLeast;
    }
    case 'stakeholders':
      return engagedContacts(ctx.deal.activities, ctx.atMs, rule.window).length >= rule.atLeast;
    case 'executive':
      return engagedContacts(ctx.deal.activities, ctx.atMs, rule.window).some((e) => ctx.index.executiveContactIds.has(e.contactId));
    case 'activity': {
      let n = 0;
      for (const a of ctx.deal.activities) if (a.day >= ctx.atDay - rule.window && wasHeld(a, ctx.atMs) && rule.types.includes(a.activity.kind) && ++n >= rule.atLeast) return true;
      return false;
    }
    case 'meaningfulConversation': {
      const seconds = rule.minCallSeconds ?? ctx.settings.meaningfulCallSeconds;
      let n = 0;
      for (const a of ctx.deal.activities) if (a.day >= ctx.atDay - rule.window && wasHeld(a, ctx.atMs) && isMeaningfulConversation(a, seconds) && ++n >= rule.atLeast) return true;
      return false;
    }
    case 'nextStep':
      return nextStepSet(ctx.deal.opportunity.nextStep, ctx.deal.activities, ctx.atMs);
    case 'attested':
      return latestAttestation(ctx.deal.attestations, ctx.milestoneKey, ctx.atMs) !== undefined;
    case 'all':
      return rule.rules.every((r) => ruleMet(r, ctx));
    case 'any':
      return rule.rules.some((r) => ruleMet(r, ctx));
  }
};
