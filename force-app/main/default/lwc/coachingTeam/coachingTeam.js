// A manager's coaching loop on the team page: inspection coverage per rep (from each rep's current scorecard), team
// goals with per-rep progress counted only in the quality-paired form (the companion's Progress__c), the plans the
// manager leads with their verdicts, and a peer each rep can learn from. Nothing is measured here: the companion wrote
// every figure; this card only sets goals (createRecord) and renders.
import { LightningElement, api, wire } from 'lwc';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { getFieldValue, createRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import REP from '@salesforce/schema/Rep_Scorecard__c.Rep__c';
import REP_NAME from '@salesforce/schema/Rep_Scorecard__c.Rep__r.Name';
import IS_CURRENT from '@salesforce/schema/Rep_Scorecard__c.Is_Current__c';
import PERIOD_START from '@salesforce/schema/Rep_Scorecard__c.Period_Start__c';
import BREAKDOWN from '@salesforce/schema/Rep_Scorecard__c.Score_Breakdown__c';
import GOAL from '@salesforce/schema/Team_Goal__c';
import GOAL_NAME from '@salesforce/schema/Team_Goal__c.Name';
import GOAL_MANAGER from '@salesforce/schema/Team_Goal__c.Manager__c';
import GOAL_SIGNAL from '@salesforce/schema/Team_Goal__c.Signal__c';
import GOAL_TARGET from '@salesforce/schema/Team_Goal__c.Target_Per_Week__c';
import GOAL_START from '@salesforce/schema/Team_Goal__c.Start_Date__c';
import GOAL_END from '@salesforce/schema/Team_Goal__c.End_Date__c';
import GOAL_PROGRESS from '@salesforce/schema/Team_Goal__c.Progress__c';
import GOAL_TEAM from '@salesforce/schema/Team_Goal__c.Team_Per_Week__c';
import GOAL_ON_TARGET from '@salesforce/schema/Team_Goal__c.Reps_On_Target__c';
import PLAN_NAME from '@salesforce/schema/Coaching_Plan__c.Name';
import PLAN_REP_NAME from '@salesforce/schema/Coaching_Plan__c.Rep__r.Name';
import PLAN_SIGNAL from '@salesforce/schema/Coaching_Plan__c.Signal__c';
import PLAN_STATUS from '@salesforce/schema/Coaching_Plan__c.Status__c';
import PLAN_BASELINE from '@salesforce/schema/Coaching_Plan__c.Baseline__c';
import PLAN_CURRENT from '@salesforce/schema/Coaching_Plan__c.Current_Value__c';
import PLAN_VERDICT from '@salesforce/schema/Coaching_Plan__c.Verdict__c';
import PLAN_DETAIL from '@salesforce/schema/Coaching_Plan__c.Verdict_Detail__c';
import PLAN_REVIEW from '@salesforce/schema/Coaching_Plan__c.Review_Date__c';
import PLAN_WEEKLY from '@salesforce/schema/Coaching_Plan__c.Weekly_Values__c';
import CURRENT_USER_ID from '@salesforce/user/Id';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import { LABELS, VERDICT_LABELS, GOAL_SIGNAL_LABELS } from './labels';

const qualified = (f) => `${f.objectApiName}.${f.fieldApiName}`;
const CARD_FIELDS = [REP, REP_NAME, IS_CURRENT, PERIOD_START, BREAKDOWN].map(qualified);
const GOAL_FIELDS = [GOAL_NAME, GOAL_SIGNAL, GOAL_TARGET, GOAL_START, GOAL_END, GOAL_PROGRESS, GOAL_TEAM, GOAL_ON_TARGET].map(qualified);
const PLAN_FIELDS = [PLAN_NAME, PLAN_REP_NAME, PLAN_SIGNAL, PLAN_STATUS, PLAN_BASELINE, PLAN_CURRENT, PLAN_VERDICT, PLAN_DETAIL, PLAN_REVIEW, PLAN_WEEKLY].map(qualified);
const DAY_MS = 86400000;

const parse = (json) => {
    try {
        return JSON.parse(json);
    } catch {
        return null;
    }
};
const today = (offsetDays = 0) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);
const display = (value) => (value === null || value === undefined ? '—' : String(Math.round(Number(value) * 10) / 10));

export default class CoachingTeam extends LightningElement {
    /** The manager: the User record of the page, or on an app page the person looking at it. */
    @api
    get recordId() {
        return this.managerId;
    }
    set recordId(value) {
        this.managerId = value;
    }
    managerId;
    label = LABELS;
    goalDraft = { name: '', signal: 'meaningfulConversations', target: 8, start: today(), end: today(27) };
    saving = false;
    problem;

    connectedCallback() {
        this.managerId = this.managerId ?? CURRENT_USER_ID;
    }

    @wire(getRelatedListRecords, { parentRecordId: '$managerId', relatedListId: 'Team_Scorecards__r', fields: CARD_FIELDS, sortBy: [`-${qualified(PERIOD_START)}`], pageSize: 200 })
    scorecards;

    @wire(getRelatedListRecords, { parentRecordId: '$managerId', relatedListId: 'Team_Goals__r', fields: GOAL_FIELDS, sortBy: [`-${qualified(GOAL_START)}`], pageSize: 10 })
    goals;

    @wire(getRelatedListRecords, { parentRecordId: '$managerId', relatedListId: 'Coaching_Plans_Led__r', fields: PLAN_FIELDS, sortBy: [`-${qualified(PLAN_REVIEW)}`], pageSize: 50 })
    plans;

    get loaded() {
        return !!this.scorecards?.data;
    }
    get error() {
        return this.scorecards?.error ?? this.goals?.error ?? this.plans?.error;
    }

    /** Each rep's current scorecard with its coaching section (what the last sync measured). */
    get reps() {
        return (this.scorecards?.data?.records ?? [])
            .filter((r) => getFieldValue(r, IS_CURRENT) === true)
            .map((r) => ({ id: getFieldValue(r, REP), name: getFieldValue(r, REP_NAME) ?? getFieldValue(r, REP), coaching: parse(getFieldValue(r, BREAKDOWN))?.coaching ?? null }))
            .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    }
    get coverageRows() {
        return this.reps.map((r) => {
            const c = r.coaching?.inspection;
            return { id: r.id, name: r.name, openDeals: c ? c.openDeals : '—', inspected: c ? c.inspected : '—', share: c && c.share !== null ? `${Math.round(c.share)} %` : '—', low: !!c && c.share !== null && c.share < 50 };
        });
    }
    get coverageTeam() {
        const measured = this.reps.map((r) => r.coaching?.inspection).filter(Boolean);
        const open = measured.reduce((s, c) => s + c.openDeals, 0);
        const inspected = measured.reduce((s, c) => s + c.inspected, 0);
        return formatLabel(LABELS.coverageTeam, inspected, open, open ? Math.round((inspected / open) * 100) : 0);
    }
    /** The org's inspected vs not-inspected win rates (deals closed in the last year; inspections before the close only). */
    get winRates() {
        const w = this.reps.map((r) => r.coaching?.inspectionWinRates).find(Boolean);
        if (!w) return null;
        const side = (s) => ({
            rate: s.rate === null ? '—' : `${Math.round(s.rate * 100)} %`,
            counts: formatLabel(LABELS.winCounts, s.won, s.closed),
            interval: s.interval ? formatLabel(LABELS.interval, Math.round(s.interval.low * 100), Math.round(s.interval.high * 100)) : '',
        });
        return {
            inspected: side(w.inspected),
            notInspected: side(w.notInspected),
            verdict: w.ratio === null ? LABELS.notEnough : formatLabel(w.separated ? LABELS.ratio : LABELS.ratioChance, Math.round(w.ratio * 10) / 10),
        };
    }
    get peerRows() {
        return this.reps.map((r) => {
            const peer = r.coaching?.peer;
            const first = peer?.peers?.[0];
            return { id: r.id, name: r.name, text: first ? formatLabel(LABELS.peerLine, peer.competencyLabel, first.repName, first.summary) : LABELS.noPeer, hasPeer: !!first };
        });
    }

    get goalItems() {
        return (this.goals?.data?.records ?? []).map((g) => {
            const progress = parse(getFieldValue(g, GOAL_PROGRESS));
            const signal = getFieldValue(g, GOAL_SIGNAL);
            const target = getFieldValue(g, GOAL_TARGET);
            return {
                id: g.id,
                name: getFieldValue(g, GOAL_NAME),
                line: formatLabel(LABELS.goalLine, GOAL_SIGNAL_LABELS[signal] ?? signal, target, getFieldValue(g, GOAL_START), getFieldValue(g, GOAL_END)),
                measured: !!progress,
                team: progress ? formatLabel(LABELS.perWeek, display(progress.team.perWeek), progress.team.repsOnTarget, progress.team.reps) : LABELS.notMeasured,
                reps: (progress?.reps ?? []).map((r) => ({
                    id: r.repId,
                    name: r.repName,
                    perWeek: display(r.perWeek),
                    status: r.onTarget ? LABELS.onTarget : LABELS.behind,
                    badge: r.onTarget ? 'slds-badge slds-theme_success' : 'slds-badge',
                    notCounted: r.notCounted?.zeroSecondCalls
                        ? formatLabel(LABELS.notCounted, r.notCounted.zeroSecondCalls)
                        : r.notCounted?.pastedNextSteps
                          ? formatLabel(LABELS.notCountedPasted, r.notCounted.pastedNextSteps)
                          : '',
                })),
            };
        });
    }
    get hasGoals() {
        return this.goalItems.length > 0;
    }
    get planRows() {
        return (this.plans?.data?.records ?? []).map((p) => {
            const verdict = getFieldValue(p, PLAN_VERDICT);
            const closed = getFieldValue(p, PLAN_STATUS) === 'Closed';
            return {
                id: p.id,
                name: getFieldValue(p, PLAN_NAME),
                rep: getFieldValue(p, PLAN_REP_NAME) ?? '',
                // The signal's label: as the companion wrote it with the weekly values, else the picklist's.
                signal: parse(getFieldValue(p, PLAN_WEEKLY))?.label ?? p.fields?.Signal__c?.displayValue ?? getFieldValue(p, PLAN_SIGNAL),
                baseline: display(getFieldValue(p, PLAN_BASELINE)),
                current: display(getFieldValue(p, PLAN_CURRENT)),
                verdict: closed ? LABELS.closed : (VERDICT_LABELS[verdict] ?? LABELS.notMeasured),
                detail: getFieldValue(p, PLAN_DETAIL) ?? '',
                badge: verdict === 'Moved' ? 'slds-badge slds-theme_success' : 'slds-badge',
                review: getFieldValue(p, PLAN_REVIEW) ?? '',
            };
        });
    }
    get hasPlans() {
        return this.planRows.length > 0;
    }
    get signalOptions() {
        return Object.entries(GOAL_SIGNAL_LABELS).map(([value, label]) => ({ value, label }));
    }

    handleDraft(event) {
        const field = event.target.dataset.field;
        const value = event.detail?.value ?? event.target.value;
        this.goalDraft = { ...this.goalDraft, [field]: field === 'target' ? Number(value) : value };
        this.problem = undefined;
    }

    async handleSetGoal() {
        const d = this.goalDraft;
        this.saving = true;
        try {
            await createRecord({
                apiName: GOAL.objectApiName,
                fields: {
                    [GOAL_NAME.fieldApiName]: d.name || formatLabel(LABELS.goalLine, GOAL_SIGNAL_LABELS[d.signal], d.target, d.start, d.end).slice(0, 80),
                    [GOAL_MANAGER.fieldApiName]: this.managerId,
                    [GOAL_SIGNAL.fieldApiName]: d.signal,
                    [GOAL_TARGET.fieldApiName]: d.target,
                    [GOAL_START.fieldApiName]: d.start,
                    [GOAL_END.fieldApiName]: d.end,
                },
            });
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.goalSaved, message: d.name, variant: 'success' }));
            await notifyRecordUpdateAvailable([{ recordId: this.managerId }]);
        } catch (error) {
            this.problem = formatLabel(LABELS.saveFailed, reduceErrors(error).join('; '));
        } finally {
            this.saving = false;
        }
    }
}
