// A manager's team: each direct report's current Rep_Scorecard__c (through the Team_Scorecards related list of the
// manager's User record) with the composite and six competency scores, the week-on-week trend, diagnosis and focus,
// sortable by any column; each name links to the rep. Nothing is scored here: the companion wrote every value.
import { LightningElement, api, wire } from 'lwc';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { getFieldValue } from 'lightning/uiRecordApi';
import REP from '@salesforce/schema/Rep_Scorecard__c.Rep__c';
import REP_NAME from '@salesforce/schema/Rep_Scorecard__c.Rep__r.Name';
import IS_CURRENT from '@salesforce/schema/Rep_Scorecard__c.Is_Current__c';
import PERIOD_START from '@salesforce/schema/Rep_Scorecard__c.Period_Start__c';
import BEHAVIOUR from '@salesforce/schema/Rep_Scorecard__c.Behaviour_Score__c';
import PIPELINE from '@salesforce/schema/Rep_Scorecard__c.Pipeline_Score__c';
import COVERAGE from '@salesforce/schema/Rep_Scorecard__c.Account_Coverage_Score__c';
import DISCOVERY from '@salesforce/schema/Rep_Scorecard__c.Discovery_Score__c';
import STAKEHOLDERS from '@salesforce/schema/Rep_Scorecard__c.Stakeholder_Engagement_Score__c';
import EXECUTIVE from '@salesforce/schema/Rep_Scorecard__c.Executive_Access_Score__c';
import GROWTH from '@salesforce/schema/Rep_Scorecard__c.Growth_Score__c';
import DIAGNOSIS from '@salesforce/schema/Rep_Scorecard__c.Coaching_Diagnosis__c';
import FOCUS from '@salesforce/schema/Rep_Scorecard__c.Coaching_Focus__c';
import BREAKDOWN from '@salesforce/schema/Rep_Scorecard__c.Score_Breakdown__c';
import CURRENT_USER_ID from '@salesforce/user/Id';
import { formatLabel } from 'c/ldsUtils';
import { LABELS, COMPETENCY_LABELS, DIAGNOSIS_LABELS } from './labels';

const qualified = (f) => `${f.objectApiName}.${f.fieldApiName}`;
const SCORE_COLUMNS = [
    { key: 'composite', field: BEHAVIOUR, label: LABELS.composite },
    { key: 'pipeline', field: PIPELINE, label: COMPETENCY_LABELS.pipeline },
    { key: 'accountCoverage', field: COVERAGE, label: COMPETENCY_LABELS.accountCoverage },
    { key: 'discovery', field: DISCOVERY, label: COMPETENCY_LABELS.discovery },
    { key: 'stakeholderEngagement', field: STAKEHOLDERS, label: COMPETENCY_LABELS.stakeholderEngagement },
    { key: 'executiveAccess', field: EXECUTIVE, label: COMPETENCY_LABELS.executiveAccess },
    { key: 'growth', field: GROWTH, label: COMPETENCY_LABELS.growth },
];
const FIELDS = [REP, REP_NAME, IS_CURRENT, PERIOD_START, DIAGNOSIS, FOCUS, BREAKDOWN, ...SCORE_COLUMNS.map((c) => c.field)].map(qualified);
/** A team's scorecards over the weeks the trend needs; the current ones are picked out below. */
const PAGE_SIZE = 200;

/** The trend of one scorecard: the change between its breakdown's last two weekly scores. */
export function trendOf(breakdownJson) {
    let trend = [];
    try {
        trend = JSON.parse(breakdownJson)?.trend ?? [];
    } catch {
        trend = [];
    }
    if (!Array.isArray(trend) || trend.length < 2) return { change: null, icon: null, text: LABELS.noTrend };
    const [previous, latest] = trend.slice(-2);
    const change = Math.round((Number(latest.score) - Number(previous.score)) * 10) / 10;
    if (change > 0) return { change, icon: 'utility:arrowup', text: formatLabel(LABELS.up, change, previous.period) };
    if (change < 0) return { change, icon: 'utility:arrowdown', text: formatLabel(LABELS.down, -change, previous.period) };
    return { change, icon: 'utility:forward', text: formatLabel(LABELS.flat, previous.period) };
}

export default class TeamScorecards extends LightningElement {
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
    sortKey = 'composite';
    sortDirection = 'desc';

    connectedCallback() {
        this.managerId = this.managerId ?? CURRENT_USER_ID;
    }

    @wire(getRelatedListRecords, {
        parentRecordId: '$managerId',
        relatedListId: 'Team_Scorecards__r',
        fields: FIELDS,
        sortBy: [`-${qualified(PERIOD_START)}`],
        pageSize: PAGE_SIZE,
    })
    scorecards;

    get loaded() {
        return !!this.scorecards?.data;
    }
    get error() {
        return this.scorecards?.error;
    }
    get members() {
        const current = this.scorecards.data.records.filter((r) => getFieldValue(r, IS_CURRENT) === true);
        return current.map((r) => {
            const repId = getFieldValue(r, REP);
            const diagnosis = getFieldValue(r, DIAGNOSIS);
            const trend = trendOf(getFieldValue(r, BREAKDOWN));
            return {
                id: r.id,
                repId,
                name: getFieldValue(r, REP_NAME) ?? repId,
                href: `/lightning/r/User/${repId}/view`,
                scores: SCORE_COLUMNS.map((c) => ({ key: c.key, value: getFieldValue(r, c.field) })),
                trend,
                diagnosis: diagnosis ?? '',
                diagnosisText: DIAGNOSIS_LABELS[diagnosis] ?? diagnosis ?? '',
                focus: getFieldValue(r, FOCUS) ?? '',
            };
        });
    }
    get hasMembers() {
        return this.members.length > 0;
    }
    get countText() {
        return formatLabel(LABELS.count, this.members.length);
    }
    get columns() {
        const all = [{ key: 'name', label: LABELS.rep }, ...SCORE_COLUMNS.map((c) => ({ key: c.key, label: c.label })), { key: 'trend', label: LABELS.trend }, { key: 'diagnosis', label: LABELS.diagnosis }, { key: 'focus', label: LABELS.focus }];
        return all.map((c) => {
            const sorted = c.key === this.sortKey;
            return {
                ...c,
                ariaSort: sorted ? (this.sortDirection === 'asc' ? 'ascending' : 'descending') : 'none',
                icon: sorted ? (this.sortDirection === 'asc' ? 'utility:arrowup' : 'utility:arrowdown') : null,
                buttonLabel: formatLabel(LABELS.sortBy, c.label),
                className: `slds-is-sortable col-${c.key}`,
            };
        });
    }
    valueFor(member, key) {
        if (key === 'name' || key === 'diagnosis' || key === 'focus') return member[key];
        if (key === 'trend') return member.trend.change;
        return member.scores.find((s) => s.key === key)?.value;
    }
    get rows() {
        const sign = this.sortDirection === 'asc' ? 1 : -1;
        return [...this.members].sort((a, b) => {
            const x = this.valueFor(a, this.sortKey);
            const y = this.valueFor(b, this.sortKey);
            // Blanks last whichever way.
            if (x === null || x === undefined || x === '') return y === null || y === undefined || y === '' ? 0 : 1;
            if (y === null || y === undefined || y === '') return -1;
            return sign * (typeof x === 'number' ? x - y : String(x).localeCompare(String(y)));
        });
    }

    handleSort(event) {
        const key = event.currentTarget.dataset.key;
        if (key === this.sortKey) this.sortDirection = this.sortDirection === 'asc' ? 'desc' : 'asc';
        else {
            this.sortKey = key;
            // Names read A→Z first; scores highest first.
            this.sortDirection = ['name', 'diagnosis', 'focus'].includes(key) ? 'asc' : 'desc';
        }
    }
}
