// User record page: this quarter's review — objectives against measured actuals, the rep's and manager's reflections,
// saved through LDS (updateRecord, or createRecord when the quarter has no review yet).
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_NAME from '@salesforce/schema/User.Name';
import REVIEW from '@salesforce/schema/Quarterly_Review__c';
import NAME from '@salesforce/schema/Quarterly_Review__c.Name';
import REVIEW_KEY from '@salesforce/schema/Quarterly_Review__c.Review_Key__c';
import REP from '@salesforce/schema/Quarterly_Review__c.Rep__c';
import QUARTER from '@salesforce/schema/Quarterly_Review__c.Quarter__c';
import STATUS from '@salesforce/schema/Quarterly_Review__c.Status__c';
import OBJECTIVES from '@salesforce/schema/Quarterly_Review__c.Objectives__c';
import ACTUALS from '@salesforce/schema/Quarterly_Review__c.Measured_Actuals__c';
import WHAT_WORKED from '@salesforce/schema/Quarterly_Review__c.What_Worked__c';
import WHAT_DID_NOT_WORK from '@salesforce/schema/Quarterly_Review__c.What_Did_Not_Work__c';
import LESSONS from '@salesforce/schema/Quarterly_Review__c.Lessons_Learned__c';
import NEXT_PLAN from '@salesforce/schema/Quarterly_Review__c.Next_Quarter_Plan__c';
import MANAGER_NOTES from '@salesforce/schema/Quarterly_Review__c.Manager_Notes__c';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import { quarterOf, objectiveRows, planResults } from './review';
import { LABELS, STATUS_LABELS } from './labels';

const TEXT_FIELDS = [WHAT_WORKED, WHAT_DID_NOT_WORK, LESSONS, NEXT_PLAN, MANAGER_NOTES];
const REVIEW_FIELDS = [QUARTER, STATUS, OBJECTIVES, ACTUALS, ...TEXT_FIELDS].map((f) => `${f.objectApiName}.${f.fieldApiName}`);
const NEXT_STATUS = { Draft: 'Submitted', Submitted: 'Reviewed' };
/** Who may still write what, by status: the rep writes a draft; once submitted only the manager's notes stay open. */
const EDITABLE = { Draft: null, Submitted: new Set([MANAGER_NOTES.fieldApiName]), Reviewed: new Set() };

export default class QuarterlyReview extends LightningElement {
    @api recordId;
    label = LABELS;
    quarter = quarterOf(new Date());
    reviews = {};
    reviewId;
    status = 'Draft';
    review;
    draft = {};
    saving = false;
    dirty = false;

    connectedCallback() {
        // Unsaved review text is not dropped silently: the browser asks before the page goes.
        this.onBeforeUnload = (event) => {
            if (!this.dirty) return undefined;
            event.preventDefault();
            event.returnValue = LABELS.leaveWarning;
            return LABELS.leaveWarning;
        };
        window.addEventListener('beforeunload', this.onBeforeUnload);
    }
    disconnectedCallback() {
        window.removeEventListener('beforeunload', this.onBeforeUnload);
    }

    @wire(getRecord, { recordId: '$recordId', fields: [USER_NAME] })
    user;

    @wire(getRelatedListRecords, { parentRecordId: '$recordId', relatedListId: 'Quarterly_Reviews__r', fields: REVIEW_FIELDS })
    wiredReviews(result) {
        this.reviews = result;
        const record = result.data?.records.find((r) => getFieldValue(r, QUARTER) === this.quarter);
        if (record && record.id !== this.reviewId && !this.dirty) {
            this.review = record;
            this.reviewId = record.id;
            this.status = getFieldValue(record, STATUS) ?? 'Draft';
            this.draft = Object.fromEntries(TEXT_FIELDS.map((f) => [f.fieldApiName, getFieldValue(record, f) ?? '']));
        }
    }

    get title() {
        return formatLabel(LABELS.title, this.quarter);
    }
    get statusLabel() {
        return STATUS_LABELS[this.status] ?? this.status;
    }
    get objectives() {
        return objectiveRows(getFieldValue(this.review, OBJECTIVES), getFieldValue(this.review, ACTUALS));
    }
    /** This quarter's coaching plans, measured: what worked and what did not, beside the reflections. */
    get plans() {
        const results = planResults(getFieldValue(this.review, ACTUALS));
        return { ...results, any: results.worked.length + results.didNotWork.length > 0 };
    }
    get textAreas() {
        const editable = EDITABLE[this.status];
        return TEXT_FIELDS.map((f) => ({
            name: f.fieldApiName,
            label: LABELS.fields[f.fieldApiName],
            value: this.draft[f.fieldApiName] ?? '',
            readOnly: !!editable && !editable.has(f.fieldApiName),
        }));
    }
    get canSave() {
        return this.status !== 'Reviewed';
    }
    get lockedText() {
        if (this.status === 'Submitted') return LABELS.locked;
        if (this.status === 'Reviewed') return LABELS.closed;
        return null;
    }
    get nextStatusLabel() {
        return this.status === 'Draft' ? LABELS.submit : LABELS.markReviewed;
    }
    get canAdvance() {
        return !!this.reviewId && !!NEXT_STATUS[this.status];
    }

    handleChange(event) {
        this.draft = { ...this.draft, [event.target.dataset.name]: event.detail.value };
        this.dirty = true;
    }

    handleSave() {
        return this.save(this.status);
    }

    handleAdvance() {
        return this.save(NEXT_STATUS[this.status]);
    }

    async save(status) {
        this.saving = true;
        try {
            if (this.reviewId) {
                await updateRecord({ fields: { Id: this.reviewId, ...this.draft, [STATUS.fieldApiName]: status } });
            } else {
                const created = await createRecord({ apiName: REVIEW.objectApiName, fields: this.newReviewFields(status) });
                this.reviewId = created.id;
            }
            const advanced = status !== this.status;
            this.status = status;
            this.dirty = false;
            // Say what happened: a submission is not just a save.
            this.dispatchEvent(new ShowToastEvent({ title: advanced ? (LABELS.savedAs[status] ?? LABELS.saved) : LABELS.saved, message: this.title, variant: 'success' }));
        } catch (error) {
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.saveFailed, message: reduceErrors(error).join(', '), variant: 'error' }));
        } finally {
            this.saving = false;
        }
    }

    newReviewFields(status) {
        const name = getFieldValue(this.user?.data, USER_NAME);
        return {
            [NAME.fieldApiName]: name ? `${name} — ${this.quarter}` : this.quarter,
            [REVIEW_KEY.fieldApiName]: `${this.recordId}:${this.quarter}`,
            [REP.fieldApiName]: this.recordId,
            [QUARTER.fieldApiName]: this.quarter,
            [STATUS.fieldApiName]: status,
            ...this.draft,
        };
    }
}
