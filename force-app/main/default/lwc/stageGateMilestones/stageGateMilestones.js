// Opportunity record page: the deal's stage gate as the companion computed it (Gate_Checklist__c and the owned fields).
// Renders only; no scoring here.
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import GATE_CHECKLIST from '@salesforce/schema/Opportunity.Gate_Checklist__c';
import GATE_STATUS from '@salesforce/schema/Opportunity.Gate_Status__c';
import GATE_SCORE from '@salesforce/schema/Opportunity.Gate_Score__c';
import MILESTONES_MET from '@salesforce/schema/Opportunity.Gate_Milestones_Met__c';
import MILESTONES_REQUIRED from '@salesforce/schema/Opportunity.Gate_Milestones_Required__c';
import RISK_FLAGS from '@salesforce/schema/Opportunity.Deal_Risk_Flags__c';
import NEXT_BEST_ACTION from '@salesforce/schema/Opportunity.Next_Best_Action__c';
import INDICATORS_AS_OF from '@salesforce/schema/Opportunity.Indicators_As_Of__c';
import STAKEHOLDERS_ENGAGED from '@salesforce/schema/Opportunity.Stakeholders_Engaged__c';
import EXECUTIVE_ENGAGED from '@salesforce/schema/Opportunity.Executive_Engaged__c';
import DAYS_IN_STAGE from '@salesforce/schema/Opportunity.Days_In_Stage__c';
import NEXT_STEP_SET from '@salesforce/schema/Opportunity.Next_Step_Set__c';
import IS_CLOSED from '@salesforce/schema/Opportunity.IsClosed';
import STAGE_NAME from '@salesforce/schema/Opportunity.StageName';
import { formatLabel } from 'c/ldsUtils';
import { LABELS, STATUS_LABELS, FLAG_LABELS, parseChecklist } from './checklist';

// The checklist is what the card needs; the other owned fields are optional so a profile without access to one of
// them still sees the gate (the checklist carries the same status, score and flags).
const FIELDS = [GATE_CHECKLIST];
const OPTIONAL_FIELDS = [GATE_STATUS, GATE_SCORE, MILESTONES_MET, MILESTONES_REQUIRED, RISK_FLAGS,
    NEXT_BEST_ACTION, INDICATORS_AS_OF, STAKEHOLDERS_ENGAGED, EXECUTIVE_ENGAGED, DAYS_IN_STAGE, NEXT_STEP_SET, IS_CLOSED, STAGE_NAME];
const STATUS_THEMES = { Met: 'slds-theme_success', At_Risk: 'slds-theme_error', Skipped: 'slds-theme_warning' };

export default class StageGateMilestones extends LightningElement {
    @api recordId;
    label = LABELS;

    @wire(getRecord, { recordId: '$recordId', fields: FIELDS, optionalFields: OPTIONAL_FIELDS })
    opportunity;

    field(field) {
        return getFieldValue(this.opportunity.data, field);
    }

    get parsed() {
        return parseChecklist(this.field(GATE_CHECKLIST));
    }
    get checklist() {
        return this.parsed.checklist;
    }
    get isEmpty() {
        return this.parsed.empty;
    }
    /** A closed deal has no gate to meet: say so instead of promising one after the next sync. */
    get closedText() {
        return this.field(IS_CLOSED) === true ? formatLabel(LABELS.closedDeal, this.field(STAGE_NAME) ?? '') : null;
    }
    get checklistProblem() {
        return this.parsed.problem;
    }
    get status() {
        return this.field(GATE_STATUS) ?? this.checklist.gate.status;
    }
    get statusLabel() {
        return STATUS_LABELS[this.status] ?? this.status;
    }
    get statusClass() {
        return STATUS_THEMES[this.status] ?? '';
    }
    get scoreFraction() {
        return (this.field(GATE_SCORE) ?? this.checklist.gate.score) / 100;
    }
    get metSummary() {
        const met = this.field(MILESTONES_MET) ?? this.checklist.gate.met;
        const required = this.field(MILESTONES_REQUIRED) ?? this.checklist.gate.required;
        return formatLabel(LABELS.metOfRequired, met, required);
    }
    get asOf() {
        // lightning-relative-date-time takes a timestamp or a Date; the field holds an ISO date-time string.
        const value = this.field(INDICATORS_AS_OF) ?? this.checklist.asOf;
        return value ? Date.parse(value) : undefined;
    }
    get steps() {
        // The path component marks steps before the current one as complete; a skipped gate is named in the label.
        return this.checklist.stages.map((s) => ({
            name: s.name,
            label: s.state === 'skipped' ? formatLabel(LABELS.stageSkipped, s.name) : s.name,
            state: s.state,
        }));
    }
    /** The path draws a skipped stage like a passed one; this line makes the difference visible. */
    get skippedText() {
        const skipped = this.checklist.stages.filter((s) => s.state === 'skipped').map((s) => s.name);
        return skipped.length ? formatLabel(LABELS.skippedStages, skipped.join(', ')) : null;
    }
    get pathSummary() {
        return this.checklist.stages.map((s) => `${s.name}: ${LABELS.stageStates[s.state]}`).join('; ');
    }
    get flags() {
        const raw = this.field(RISK_FLAGS);
        const keys = raw ? raw.split(';') : this.checklist.riskFlags;
        return keys.map((key) => ({ key, label: FLAG_LABELS[key] ?? key }));
    }
    get hasFlags() {
        return this.flags.length > 0;
    }
    get nextBestAction() {
        return this.field(NEXT_BEST_ACTION) ?? this.checklist.nextBestAction;
    }
    /** The win probability from the checklist, modestly: the number, the stage's typical deal, the two largest factors. */
    get winProbability() {
        const win = this.checklist.winProbability;
        if (!win || win.percent === null || win.percent === undefined) return null;
        const signed = (n) => `${n > 0 ? '+' : ''}${n}`;
        return {
            headline: formatLabel(LABELS.winProbability, win.percent, win.stageBaseline),
            factors: (win.factors ?? []).slice(0, 2).map((f) => `${f.label} ${signed(f.contribution)}`).join(' · '),
        };
    }
    get facts() {
        const yesNo = (v) => (v ? LABELS.yes : LABELS.no);
        return [
            { key: 'stakeholders', label: LABELS.stakeholdersEngaged, value: this.field(STAKEHOLDERS_ENGAGED) ?? '—' },
            { key: 'executive', label: LABELS.executiveEngaged, value: yesNo(this.field(EXECUTIVE_ENGAGED)) },
            { key: 'days', label: LABELS.daysInStage, value: this.field(DAYS_IN_STAGE) ?? '—' },
            { key: 'nextStep', label: LABELS.nextStepSet, value: yesNo(this.field(NEXT_STEP_SET)) },
        ];
    }
    get isAtRisk() {
        return this.status === 'At_Risk';
    }
}
