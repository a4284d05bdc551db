// Edits or adds one gate milestone: only the parameters its rule kind uses are shown and saved; the admin's input is
// checked (c/gateRules.validateMilestone) before updateRecord / createRecord is called.
import { LightningElement, api } from 'lwc';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import GATE_MILESTONE from '@salesforce/schema/Gate_Milestone__c';
import STAGE_GATE from '@salesforce/schema/Gate_Milestone__c.Stage_Gate__c';
import { reduceErrors } from 'c/ldsUtils';
import { PARAMS_BY_KIND, ALL_PARAMS, RULE_KIND_OPTIONS, validateMilestone } from 'c/gateRules';
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
    saving = false;

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
        this.draft = { ...this.draft, [field]: value };
    }

    handleCancel() {
        this.dispatchEvent(new CustomEvent('cancel'));
    }

    async handleSave() {
        this.errors = validateMilestone(this.draft);
        if (this.hasErrors) return;
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
            this.dispatchEvent(new CustomEvent('saved', { detail: { id } }));
        } catch (error) {
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.saveFailed, message: reduceErrors(error).join(', '), variant: 'error' }));
        } finally {
            this.saving = false;
        }
    }
}
