// One milestone of the current gate: status, evidence, guidance, coaching questions, and the rep's "Attest" form.
import { LightningElement, api } from 'lwc';
import { createRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import ATTESTATION from '@salesforce/schema/Milestone_Attestation__c';
import ATT_OPPORTUNITY from '@salesforce/schema/Milestone_Attestation__c.Opportunity__c';
import ATT_MILESTONE_KEY from '@salesforce/schema/Milestone_Attestation__c.Milestone_Key__c';
import ATT_NOTE from '@salesforce/schema/Milestone_Attestation__c.Note__c';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import { LABELS, STATUS_LABELS } from './labels';

const STATUS_THEMES = { met: 'slds-theme_success', attested: 'slds-theme_info', missing: 'slds-theme_warning' };

export default class GateMilestoneItem extends LightningElement {
    /** One entry of the checklist's `milestones`. */
    @api
    get milestone() {
        return this._milestone;
    }
    set milestone(value) {
        this._milestone = value;
        // The attestation is no longer pending once a recalculated checklist counts it.
        if (value?.status !== 'missing') this.pending = false;
    }
    @api opportunityId;
    _milestone;

    label = LABELS;
    showForm = false;
    note = '';
    noteMissing = false;
    saving = false;
    pending = false;

    get statusLabel() {
        return this.pending ? LABELS.pending : STATUS_LABELS[this.milestone.status];
    }
    get statusClass() {
        return this.pending ? 'slds-theme_info' : STATUS_THEMES[this.milestone.status];
    }
    get requirement() {
        const kind = this.milestone.required ? LABELS.required : LABELS.optional;
        return formatLabel(LABELS.requirement, kind, this.milestone.weight);
    }
    get isMissing() {
        return this.milestone.status === 'missing' && !this.pending;
    }
    get canAttest() {
        return this.isMissing && this.milestone.attestable && !this.showForm;
    }
    get evidence() {
        return this.milestone.evidence.map((item, index) => ({
            ...item,
            key: `${index}`,
            url: item.recordId ? `/lightning/r/${item.recordId}/view` : null,
        }));
    }
    get hasEvidence() {
        return this.milestone.evidence.length > 0;
    }
    get hasCoachingQuestions() {
        return this.milestone.coachingQuestions.length > 0;
    }

    handleAttest() {
        this.showForm = true;
    }
    handleCancel() {
        this.showForm = false;
        this.note = '';
        this.noteMissing = false;
    }
    handleNoteChange(event) {
        this.note = event.detail.value;
    }

    async handleSubmit() {
        const note = (this.note ?? '').trim();
        this.noteMissing = note === '';
        if (this.noteMissing) {
            this.template.querySelector('lightning-textarea').reportValidity();
            return;
        }
        this.saving = true;
        try {
            await createRecord({
                apiName: ATTESTATION.objectApiName,
                fields: {
                    [ATT_OPPORTUNITY.fieldApiName]: this.opportunityId,
                    [ATT_MILESTONE_KEY.fieldApiName]: this.milestone.key,
                    [ATT_NOTE.fieldApiName]: note,
                },
            });
            this.pending = true;
            this.showForm = false;
            this.toast(LABELS.attestedTitle, formatLabel(LABELS.attestedMessage, this.milestone.label), 'success');
        } catch (error) {
            this.toast(LABELS.attestFailed, reduceErrors(error).join(', '), 'error');
        } finally {
            this.saving = false;
        }
    }

    toast(title, message, variant) {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }
}
