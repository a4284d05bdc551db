// Opportunity record page, for managers: mark the deal inspected — choose which coaching questions were asked (the
// current gate's, missing milestones first, then the standard ones) and note the answer — saved as a Deal_Inspection__c
// through LDS; past inspections below. Coverage and win rates are the companion's to measure, not this card's.
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, createRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import CHECKLIST from '@salesforce/schema/Opportunity.Gate_Checklist__c';
import LAST_INSPECTED from '@salesforce/schema/Opportunity.Last_Inspected__c';
import INSPECTION from '@salesforce/schema/Deal_Inspection__c';
import OPPORTUNITY from '@salesforce/schema/Deal_Inspection__c.Opportunity__c';
import QUESTIONS from '@salesforce/schema/Deal_Inspection__c.Questions_Asked__c';
import ANSWER from '@salesforce/schema/Deal_Inspection__c.Answer__c';
import INSPECTED_AT from '@salesforce/schema/Deal_Inspection__c.Inspected_At__c';
import INSPECTED_BY_NAME from '@salesforce/schema/Deal_Inspection__c.Inspected_By__r.Name';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import { LABELS, STANDARD_QUESTIONS } from './labels';

const qualified = (f) => `${f.objectApiName}.${f.fieldApiName}`;
const HISTORY_FIELDS = [QUESTIONS, ANSWER, INSPECTED_AT, INSPECTED_BY_NAME].map(qualified);

/** The gate's coaching questions for this deal, missing milestones first, then the standard ones; no repeats. */
export function questionsFor(checklistJson) {
    let milestones = [];
    try {
        milestones = JSON.parse(checklistJson)?.milestones ?? [];
    } catch {
        milestones = [];
    }
    const ordered = [...milestones].sort((a, b) => (a.status === 'missing' ? 0 : 1) - (b.status === 'missing' ? 0 : 1));
    const all = [...ordered.flatMap((m) => (Array.isArray(m.coachingQuestions) ? m.coachingQuestions : [])), ...STANDARD_QUESTIONS];
    return [...new Set(all.filter((q) => typeof q === 'string' && q.trim()))];
}

export default class DealInspection extends LightningElement {
    @api recordId;
    label = LABELS;
    chosen = [];
    answer = '';
    saving = false;
    problem;

    @wire(getRecord, { recordId: '$recordId', fields: [CHECKLIST, LAST_INSPECTED] })
    deal;

    @wire(getRelatedListRecords, { parentRecordId: '$recordId', relatedListId: 'Deal_Inspections__r', fields: HISTORY_FIELDS, sortBy: [`-${qualified(INSPECTED_AT)}`], pageSize: 5 })
    inspections;

    get options() {
        return questionsFor(getFieldValue(this.deal?.data, CHECKLIST)).map((q) => ({ label: q, value: q }));
    }
    get lastInspected() {
        const date = getFieldValue(this.deal?.data, LAST_INSPECTED);
        return date ? formatLabel(LABELS.last, date) : LABELS.never;
    }
    get history() {
        return (this.inspections?.data?.records ?? []).map((r) => ({
            id: r.id,
            when: r.fields.Inspected_At__c?.value ? String(r.fields.Inspected_At__c.value).slice(0, 10) : '',
            by: r.fields.Inspected_By__r?.value?.fields?.Name?.value ?? '',
            questions: (r.fields.Questions_Asked__c?.value ?? '').split('\n').filter(Boolean),
            answer: r.fields.Answer__c?.value ?? '',
        }));
    }
    get hasHistory() {
        return this.history.length > 0;
    }
    get markDisabled() {
        return this.saving;
    }

    handleQuestions(event) {
        this.chosen = event.detail.value;
        this.problem = undefined;
    }
    handleAnswer(event) {
        this.answer = event.detail.value ?? '';
        this.problem = undefined;
    }

    async handleMark() {
        if (!this.chosen.length) {
            this.problem = LABELS.chooseQuestion;
            return;
        }
        if (!this.answer.trim()) {
            this.problem = LABELS.noteAnswer;
            return;
        }
        this.saving = true;
        try {
            await createRecord({
                apiName: INSPECTION.objectApiName,
                fields: { [OPPORTUNITY.fieldApiName]: this.recordId, [QUESTIONS.fieldApiName]: this.chosen.join('\n'), [ANSWER.fieldApiName]: this.answer.trim() },
            });
            this.chosen = [];
            this.answer = '';
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.marked, message: LABELS.title, variant: 'success' }));
            // The deal's record and its related lists read again (the new inspection, and Last_Inspected__c after a sync).
            await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
        } catch (error) {
            this.problem = formatLabel(LABELS.failed, reduceErrors(error).join('; '));
        } finally {
            this.saving = false;
        }
    }
}
