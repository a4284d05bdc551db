// Gate milestone rules for people: each Rule_Kind__c in plain words, which parameters it uses, and the checks an admin's
// edit must pass before it is saved. The companion evaluates the rules; nothing here decides whether one is met.
import { formatLabel } from 'c/ldsUtils';
import { RULE_TEXT, KIND_NAMES, MESSAGES, ANY_TYPE, MEANINGFUL_DEFAULT_TEXT } from './labels';

/** The parameters (Gate_Milestone__c fields) each rule kind reads. */
export const PARAMS_BY_KIND = {
    Field_Present: ['Rule_Field__c'],
    Field_Equals: ['Rule_Field__c', 'Rule_Value__c'],
    Field_In: ['Rule_Field__c', 'Rule_Value__c'],
    Field_At_Least: ['Rule_Field__c', 'Rule_Value__c'],
    Field_At_Most: ['Rule_Field__c', 'Rule_Value__c'],
    Field_Changed: ['Rule_Field__c', 'Rule_Window_Days__c'],
    Contact_Roles: ['Rule_Roles__c', 'Rule_Min_Count__c'],
    Stakeholders_Engaged: ['Rule_Min_Count__c', 'Rule_Window_Days__c'],
    Executive_Engaged: ['Rule_Window_Days__c'],
    Activity: ['Rule_Min_Count__c', 'Rule_Window_Days__c', 'Rule_Activity_Types__c'],
    Meaningful_Conversation: ['Rule_Min_Count__c', 'Rule_Window_Days__c', 'Rule_Min_Call_Seconds__c'],
    Next_Step_Set: [],
    Attested: [],
    Composite: ['Rule_JSON__c'],
};

/** Every rule parameter field, so an edit can clear the ones the chosen kind does not use. */
export const ALL_PARAMS = [...new Set(Object.values(PARAMS_BY_KIND).flat())];

export const RULE_KIND_OPTIONS = Object.keys(PARAMS_BY_KIND).map((value) => ({ value, label: KIND_NAMES[value] }));

const blank = (v) => v === null || v === undefined || String(v).trim() === '';
const shown = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));
const list = (v) => shown(v).split(';').map((s) => s.trim()).filter(Boolean).join(', ');

/** The rule of one milestone (its field values) as one sentence. */
export function describeRule(m) {
    const kind = m.Rule_Kind__c;
    const template = RULE_TEXT[kind];
    if (!template) return shown(kind);
    switch (kind) {
        case 'Field_In':
            return formatLabel(template, shown(m.Rule_Field__c), list(m.Rule_Value__c));
        case 'Field_Changed':
            return formatLabel(template, shown(m.Rule_Field__c), shown(m.Rule_Window_Days__c));
        case 'Contact_Roles':
            return formatLabel(template, shown(m.Rule_Min_Count__c), list(m.Rule_Roles__c));
        case 'Stakeholders_Engaged':
            return formatLabel(template, shown(m.Rule_Min_Count__c), shown(m.Rule_Window_Days__c));
        case 'Executive_Engaged':
            return formatLabel(template, shown(m.Rule_Window_Days__c));
        case 'Activity':
            return formatLabel(template, shown(m.Rule_Min_Count__c), m.Rule_Activity_Types__c ? list(m.Rule_Activity_Types__c) : ANY_TYPE, shown(m.Rule_Window_Days__c));
        case 'Meaningful_Conversation':
            if (blank(m.Rule_Min_Call_Seconds__c)) return formatLabel(MEANINGFUL_DEFAULT_TEXT, shown(m.Rule_Min_Count__c), shown(m.Rule_Window_Days__c));
            return formatLabel(template, shown(m.Rule_Min_Count__c), shown(m.Rule_Min_Call_Seconds__c), shown(m.Rule_Window_Days__c));
        default:
            return formatLabel(template, shown(m.Rule_Field__c), shown(m.Rule_Value__c));
    }
}

const wholeAtLeast = (v, min) => !blank(v) && Number.isInteger(Number(v)) && Number(v) >= min;

/** The weights an admin may give a milestone: relative weights, so a bounded range keeps one from drowning the rest. */
export const WEIGHT_MAX = 100;

const numberIn = (v, min, max) => {
    if (blank(v)) return false;
    const n = Number(String(v).trim());
    return Number.isFinite(n) && n >= min && n <= max;
};

/**
 * The problems an admin must fix before a milestone is saved, each against its field, in form order.
 * @param {object} m the draft's field values
 * @returns {{field: string, message: string}[]}
 */
export function fieldProblems(m) {
    const problems = [];
    const add = (field, message) => problems.push({ field, message });
    const uses = (field) => (PARAMS_BY_KIND[m.Rule_Kind__c] ?? []).includes(field);
    if (blank(m.Name)) add('Name', MESSAGES.nameRequired);
    if (blank(m.Milestone_Key__c)) add('Milestone_Key__c', MESSAGES.keyRequired);
    if (!PARAMS_BY_KIND[m.Rule_Kind__c]) add('Rule_Kind__c', MESSAGES.kindRequired);
    if (uses('Rule_Field__c') && blank(m.Rule_Field__c)) add('Rule_Field__c', MESSAGES.fieldRequired);
    if (uses('Rule_Value__c') && blank(m.Rule_Value__c)) add('Rule_Value__c', MESSAGES.valueRequired);
    if (uses('Rule_Roles__c') && blank(m.Rule_Roles__c)) add('Rule_Roles__c', MESSAGES.rolesRequired);
    if (uses('Rule_Min_Count__c') && !wholeAtLeast(m.Rule_Min_Count__c, 1)) add('Rule_Min_Count__c', MESSAGES.minCount);
    if (uses('Rule_Window_Days__c') && !wholeAtLeast(m.Rule_Window_Days__c, 1)) add('Rule_Window_Days__c', MESSAGES.window);
    if (uses('Rule_Min_Call_Seconds__c') && !blank(m.Rule_Min_Call_Seconds__c) && !wholeAtLeast(m.Rule_Min_Call_Seconds__c, 0)) {
        add('Rule_Min_Call_Seconds__c', MESSAGES.callSeconds);
    }
    if (uses('Rule_JSON__c')) {
        try {
            const parsed = JSON.parse(m.Rule_JSON__c);
            if (parsed === null || typeof parsed !== 'object') add('Rule_JSON__c', MESSAGES.json);
        } catch {
            add('Rule_JSON__c', MESSAGES.json);
        }
    }
    // "abc" is not a weight, nor is "2b" (which number fields may read as two billion): both are refused, not guessed.
    if (!numberIn(m.Weight__c, 0, WEIGHT_MAX)) add('Weight__c', MESSAGES.weight);
    if (!blank(m.Sort_Order__c) && !wholeAtLeast(m.Sort_Order__c, 0)) add('Sort_Order__c', MESSAGES.sortOrder);
    return problems;
}

/**
 * The problems an admin must fix before a milestone is saved, in form order; empty when it may be saved.
 * @param {object} m the draft's field values
 * @returns {string[]}
 */
export function validateMilestone(m) {
    return fieldProblems(m).map((p) => p.message);
}
