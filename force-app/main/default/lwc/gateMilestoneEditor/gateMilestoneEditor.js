// Edits or adds one gate milestone: only the parameters its rule kind uses are shown and saved; the admin's input is
// checked (c/gateRules.validateMilestone) before updateRecord / createRecord is called.
import { LightningElement, api } from 'lwc';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import GATE_MILESTONE from '@salesforce/schema/Gate_Milestone__c';
import STAGE_GATE from '@salesforce/schema/Gate_Milestone__c.Stage_Gate__c';
import { reduceErrors } from 'c/ldsUtils';
import { PARAMS_BY_KIND, ALL_PARAMS, RULE_KIND_OPTIONS, WEIGHT_MAX, fieldProblems } from 'c/gateRules';
import { LABELS } from './labels';

const BASE_FIELDS = ['Name', 'Rule_Kind__c', 'Required__c', 'Attestable__c', 'Weight__c', 'Sort_Order__c', 'Guidance__c', 'Coaching_Questions__c'];
const NUMBER_FIELDS = new Set(['Weight__c', 'Sort_Order__c', 'Rule_Min_Count__c', 'Rule_Window_Days__c', 'Rule_Min_Call_Seconds__c']);
const ACTIVITY_TYPES = ['Call', 'Meeting', 'Email', 'Task'];

const normalise = (field, value) => {
    if (value === undefined || value === '') return null;
    return NUMBER_FIELDS.has(field) && value !== null ? Number(value) : value;
};

export default class GateMilestoneEditor extends LightningElement {
    @api gateId;
    label = LABELS;
    kindOptions = RULE_KIND_OPTIONS;
    activityTypeOptions = ACTIVITY_TYPES.map((t) => ({ value: t, label: LABELS.activityTypes[t] }));
    draft = { Required__c: true, Attestable__c: false, Weight__c: 1 };
    errors = [];
    /** Messages the companion gave per field on the last save, shown on the field until it is changed. */
    serverErrors = {};
    saving = false;
    weightMax = WEIGHT_MAX;

    /** The milestone's current field values (with Id), or nothing to add a new one. */
    @api
    get milestone() {
        return this.draft;
    }
    set milestone(value) {
        this.draft = value ? { ...value } : { Required__c: true, Attestable__c: false, Weight__c: 1 };
    }

    get isNew() {
        return !this.draft.Id;
    }
    get isExisting() {
        return !this.isNew;
    }
    get heading() {
        return this.isNew ? LABELS.addHeading : LABELS.editHeading;
    }
    uses(field) {
        return (PARAMS_BY_KIND[this.draft.Rule_Kind__c] ?? []).includes(field);
    }
    get showField() {
        return this.uses('Rule_Field__c');
    }
    get showValue() {
        return this.uses('Rule_Value__c');
    }
    get showRoles() {
        return this.uses('Rule_Roles__c');
    }
    get showMinCount() {
        return this.uses('Rule_Min_Count__c');
    }
    get showWindow() {
        return this.uses('Rule_Window_Days__c');
    }
    get showActivityTypes() {
        return this.uses('Rule_Activity_Types__c');
    }
    get showCallSeconds() {
        return this.uses('Rule_Min_Call_Seconds__c');
    }
    get showJson() {
        return this.uses('Rule_JSON__c');
    }
    get activityTypes() {
        return this.draft.Rule_Activity_Types__c ? this.draft.Rule_Activity_Types__c.split(';') : [];
    }
    get hasErrors() {
        return this.errors.length > 0;
    }

    handleChange(event) {
        const field = event.target.dataset.field;
        let value = event.detail.checked ?? event.detail.value;
        if (Array.isArray(value)) value = value.join(';');
        // What was typed, not what a number field made of it: "2b" must be refused, not read as two billion.
        if (NUMBER_FIELDS.has(field) && typeof event.target.value === 'string' && event.target.value !== '') value = event.target.value;
        this.draft = { ...this.draft, [field]: value };
        if (this.serverErrors[field]) this.serverErrors = { ...this.serverErrors, [field]: undefined };
        // Checked as the person types: the field says at once what is wrong with it.
        this.showOnField(field, fieldProblems(this.draft).find((p) => p.field === field)?.message);
        if (this.errors.length) this.errors = fieldProblems(this.draft).map((p) => p.message);
    }

    /** Puts a message on the field (an empty one clears it), the way lightning-input shows its own. */
    showOnField(field, message) {
        const input = this.template.querySelector(`[data-field="${field}"]`);
        if (!input || typeof input.setCustomValidity !== 'function') return;
        input.setCustomValidity(message ?? '');
        input.reportValidity();
    }

    /** True when every field passes: the form's own rules, and each input's own check (a letter in a number field). */
    checkAll() {
        const problems = fieldProblems(this.draft);
        const byField = new Map();
        problems.forEach((p) => byField.set(p.field, byField.get(p.field) ?? p.message));
        let browserProblems = 0;
        this.template.querySelectorAll('[data-field]').forEach((input) => {
            const field = input.dataset.field;
            this.showOnField(field, byField.get(field) ?? this.serverErrors[field]);
            if (typeof input.checkValidity === 'function' && input.checkValidity() === false && !byField.has(field)) browserProblems++;
        });
        this.errors = problems.map((p) => p.message);
        return problems.length === 0 && browserProblems === 0;
    }

    /** The companion's refusal, on the fields it names, in words (the playbook path it also gives is for files, not forms). */
    showServerErrors(error) {
        const fieldErrors = error?.body?.output?.fieldErrors ?? {};
        const inWords = (message) => String(message).replace(/^[\w.[\]]+: /, '');
        const onFields = {};
        Object.entries(fieldErrors).forEach(([field, list]) => {
            onFields[field] = list.map((e) => inWords(e.message)).join('; ');
        });
        this.serverErrors = onFields;
        Object.entries(onFields).forEach(([field, message]) => this.showOnField(field, message));
        const general = (error?.body?.output?.errors ?? []).map((e) => e.message);
        const shown = Object.keys(onFields).filter((f) => this.template.querySelector(`[data-field="${f}"]`));
        const elsewhere = Object.entries(onFields).filter(([f]) => !shown.includes(f)).map(([, m]) => m);
        const messages = Object.keys(fieldErrors).length || general.length ? [...shown.map((f) => `${this.fieldLabel(f)}: ${onFields[f]}`), ...elsewhere, ...general] : reduceErrors(error);
        this.errors = messages;
        this.dispatchEvent(new ShowToastEvent({ title: LABELS.saveFailed, message: LABELS.notSaved, variant: 'error' }));
    }
    fieldLabel(field) {
        return this.template.querySelector(`[data-field="${field}"]`)?.label ?? field;
    }

    handleCancel() {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    async handleSave() {
        this.serverErrors = {};
        if (!this.checkAll()) return;
        const params = PARAMS_BY_KIND[this.draft.Rule_Kind__c];
        const fields = {};
        BASE_FIELDS.forEach((f) => (fields[f] = normalise(f, this.draft[f])));
        ALL_PARAMS.forEach((f) => (fields[f] = params.includes(f) ? normalise(f, this.draft[f]) : null));
        this.saving = true;
        try {
            let id = this.draft.Id;
            if (id) {
                await updateRecord({ fields: { Id: id, ...fields } });
            } else {
                const created = await createRecord({
                    apiName: GATE_MILESTONE.objectApiName,
                    fields: { [STAGE_GATE.fieldApiName]: this.gateId, Milestone_Key__c: this.draft.Milestone_Key__c, ...fields },
                });
                id = created.id;
            }
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.saved, message: fields.Name, variant: 'success' }));
            // The values just saved, so the designer shows them at once instead of waiting for its next read.
            this.dispatchEvent(new CustomEvent('saved', { detail: { id, fields: { ...fields, Milestone_Key__c: this.draft.Milestone_Key__c } } }));
        } catch (error) {
            this.showServerErrors(error);
        } finally {
            this.saving = false;
        }
    }
}
