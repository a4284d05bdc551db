// User record page: the rep's coaching plans. A plan is made from the diagnosis and the coaching focus the companion
// wrote on the current scorecard (competency, signal, what to do), with the agreed actions, a target and a review
// date; each sync then records the signal's weekly value, the baseline and the verdict, which this card shows as they
// are. Closing a plan keeps its outcome for the quarterly review.
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue, createRecord, updateRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import USER_NAME from '@salesforce/schema/User.Name';
import USER_DIAGNOSIS from '@salesforce/schema/User.Coaching_Diagnosis__c';
import CARD_PERIOD_START from '@salesforce/schema/Rep_Scorecard__c.Period_Start__c';
import CARD_BREAKDOWN from '@salesforce/schema/Rep_Scorecard__c.Score_Breakdown__c';
import PLAN from '@salesforce/schema/Coaching_Plan__c';
import NAME from '@salesforce/schema/Coaching_Plan__c.Name';
import REP from '@salesforce/schema/Coaching_Plan__c.Rep__c';
import MANAGER from '@salesforce/schema/Coaching_Plan__c.Manager__c';
import DIAGNOSIS from '@salesforce/schema/Coaching_Plan__c.Diagnosis__c';
import COMPETENCY from '@salesforce/schema/Coaching_Plan__c.Competency__c';
import SIGNAL from '@salesforce/schema/Coaching_Plan__c.Signal__c';
import ACTIONS from '@salesforce/schema/Coaching_Plan__c.Actions__c';
import TARGET from '@salesforce/schema/Coaching_Plan__c.Target__c';
import START from '@salesforce/schema/Coaching_Plan__c.Start_Date__c';
import REVIEW from '@salesforce/schema/Coaching_Plan__c.Review_Date__c';
import STATUS from '@salesforce/schema/Coaching_Plan__c.Status__c';
import OUTCOME from '@salesforce/schema/Coaching_Plan__c.Outcome__c';
import BASELINE from '@salesforce/schema/Coaching_Plan__c.Baseline__c';
import CURRENT from '@salesforce/schema/Coaching_Plan__c.Current_Value__c';
import WEEKLY from '@salesforce/schema/Coaching_Plan__c.Weekly_Values__c';
import VERDICT from '@salesforce/schema/Coaching_Plan__c.Verdict__c';
import DETAIL from '@salesforce/schema/Coaching_Plan__c.Verdict_Detail__c';
import CURRENT_USER_ID from '@salesforce/user/Id';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import { LABELS, VERDICT_LABELS, OUTCOME_LABELS } from './labels';

const qualified = (f) => `${f.objectApiName}.${f.fieldApiName}`;
const PLAN_FIELDS = [NAME, SIGNAL, STATUS, OUTCOME, ACTIONS, TARGET, START, REVIEW, BASELINE, CURRENT, WEEKLY, VERDICT, DETAIL].map(qualified);
const DAY_MS = 86400000;
/** A plan is reviewed four weeks on by default: the verdict needs a few weeks since the start. */
const DEFAULT_REVIEW_DAYS = 28;

const parse = (json) => {
    try {
        return JSON.parse(json);
    } catch {
        return null;
    }
};
const dateIn = (days) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const shown = (v) => (v === null || v === undefined ? '—' : String(Math.round(Number(v) * 10) / 10));

export default class CoachingPlans extends LightningElement {
    @api
    get recordId() {
        return this.repId;
    }
    set recordId(value) {
        this.repId = value;
    }
    repId;
    label = LABELS;
    draft = { actions: null, target: null, review: dateIn(DEFAULT_REVIEW_DAYS) };
    saving = false;
    problem;

    connectedCallback() {
        this.repId = this.repId ?? CURRENT_USER_ID;
    }

    @wire(getRecord, { recordId: '$repId', fields: [USER_NAME, USER_DIAGNOSIS] })
    user;

    @wire(getRelatedListRecords, { parentRecordId: '$repId', relatedListId: 'Rep_Scorecards__r', fields: [CARD_PERIOD_START, CARD_BREAKDOWN].map(qualified), sortBy: [`-${qualified(CARD_PERIOD_START)}`], pageSize: 1 })
    scorecards;

    @wire(getRelatedListRecords, { parentRecordId: '$repId', relatedListId: 'Coaching_Plans__r', fields: PLAN_FIELDS, sortBy: [`-${qualified(START)}`], pageSize: 20 })
    plans;

    /** The focus of the latest scorecard, with the labels of its competency and signal. */
    get focus() {
        const breakdown = parse(getFieldValue(this.scorecards?.data?.records?.[0], CARD_BREAKDOWN));
        const focus = breakdown?.focus;
        if (!focus?.signal) return null;
        const competency = (breakdown.competencies ?? []).find((c) => c.key === focus.competency);
        const signal = competency?.signals?.find((s) => s.key === focus.signal);
        return { ...focus, competencyLabel: competency?.label ?? focus.competency, signalLabel: signal?.label ?? focus.signal, value: signal?.value ?? null };
    }
    get hasFocus() {
        return !!this.focus;
    }
    get focusLine() {
        const f = this.focus;
        return f ? formatLabel(LABELS.signalLine, f.competencyLabel, f.signalLabel, shown(f.value)) : '';
    }
    get actionsValue() {
        return this.draft.actions ?? this.focus?.behaviour ?? '';
    }
    get loaded() {
        return !!this.plans?.data && !!this.user?.data;
    }
    get error() {
        return this.user?.error ?? this.plans?.error;
    }
    get items() {
        return (this.plans?.data?.records ?? []).map((p) => {
            const doc = parse(getFieldValue(p, WEEKLY));
            const verdict = getFieldValue(p, VERDICT);
            const status = getFieldValue(p, STATUS);
            const outcome = getFieldValue(p, OUTCOME);
            const baseline = getFieldValue(p, BASELINE);
            const max = Math.max(1, ...(doc?.weeks ?? []).map((w) => Number(w.value) || 0), Number(baseline) || 0);
            return {
                id: p.id,
                name: getFieldValue(p, NAME),
                signal: doc?.label ?? p.fields?.Signal__c?.displayValue ?? getFieldValue(p, SIGNAL),
                actions: getFieldValue(p, ACTIONS) ?? '',
                review: getFieldValue(p, REVIEW) ?? '',
                baseline: formatLabel(LABELS.baseline, shown(baseline), doc?.baseline?.length ?? 0),
                weeks: (doc?.weeks ?? []).map((w) => ({ period: w.period, value: shown(w.value), style: `width: ${Math.round(((Number(w.value) || 0) / max) * 100)}%` })),
                measured: !!doc,
                verdict: VERDICT_LABELS[verdict] ?? LABELS.notMeasured,
                badge: verdict === 'Moved' ? 'slds-badge slds-theme_success' : 'slds-badge',
                detail: getFieldValue(p, DETAIL) ?? '',
                active: status !== 'Closed',
                closedText: status === 'Closed' ? formatLabel(LABELS.closedAs, OUTCOME_LABELS[outcome] ?? outcome ?? '') : '',
            };
        });
    }
    get hasPlans() {
        return this.items.length > 0;
    }

    handleDraft(event) {
        const field = event.target.dataset.field;
        this.draft = { ...this.draft, [field]: event.detail?.value ?? event.target.value };
        this.problem = undefined;
    }

    async handleCreate() {
        const focus = this.focus;
        if (!focus) return;
        this.saving = true;
        try {
            const target = this.draft.target === null || this.draft.target === '' ? null : Number(this.draft.target);
            await createRecord({
                apiName: PLAN.objectApiName,
                fields: {
                    [NAME.fieldApiName]: `${focus.competencyLabel}: ${focus.signalLabel}`.slice(0, 80),
                    [REP.fieldApiName]: this.repId,
                    ...(CURRENT_USER_ID && CURRENT_USER_ID !== this.repId ? { [MANAGER.fieldApiName]: CURRENT_USER_ID } : {}),
                    [DIAGNOSIS.fieldApiName]: getFieldValue(this.user.data, USER_DIAGNOSIS) ?? 'None',
                    [COMPETENCY.fieldApiName]: focus.competency,
                    [SIGNAL.fieldApiName]: focus.signal,
                    [ACTIONS.fieldApiName]: this.actionsValue,
                    [TARGET.fieldApiName]: target,
                    [START.fieldApiName]: dateIn(0),
                    [REVIEW.fieldApiName]: this.draft.review,
                },
            });
            this.draft = { actions: null, target: null, review: dateIn(DEFAULT_REVIEW_DAYS) };
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.created, message: focus.signalLabel, variant: 'success' }));
            await notifyRecordUpdateAvailable([{ recordId: this.repId }]);
        } catch (error) {
            this.problem = formatLabel(LABELS.failed, reduceErrors(error).join('; '));
        } finally {
            this.saving = false;
        }
    }

    async handleClose(event) {
        const { plan, outcome } = event.target.dataset;
        try {
            await updateRecord({ fields: { Id: plan, [STATUS.fieldApiName]: 'Closed', [OUTCOME.fieldApiName]: outcome } });
            await notifyRecordUpdateAvailable([{ recordId: this.repId }]);
        } catch (error) {
            this.problem = formatLabel(LABELS.failed, reduceErrors(error).join('; '));
        }
    }
}
