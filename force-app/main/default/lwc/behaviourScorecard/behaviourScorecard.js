// User record page: the rep's behaviour scorecard as the companion wrote it (User score fields + latest Rep_Scorecard__c).
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getRecords, getFieldValue } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import BEHAVIOUR_SCORE from '@salesforce/schema/User.Behaviour_Score__c';
import COACHING_DIAGNOSIS from '@salesforce/schema/User.Coaching_Diagnosis__c';
import COACHING_FOCUS from '@salesforce/schema/User.Coaching_Focus__c';
import SCORES_AS_OF from '@salesforce/schema/User.Scores_As_Of__c';
import SCORE_BREAKDOWN from '@salesforce/schema/Rep_Scorecard__c.Score_Breakdown__c';
import PERIOD from '@salesforce/schema/Rep_Scorecard__c.Period__c';
import CARD_BEHAVIOUR_SCORE from '@salesforce/schema/Rep_Scorecard__c.Behaviour_Score__c';
import PERIOD_START from '@salesforce/schema/Rep_Scorecard__c.Period_Start__c';
import OPPORTUNITY_NAME from '@salesforce/schema/Opportunity.Name';
import CURRENT_USER_ID from '@salesforce/user/Id';
import { formatLabel } from 'c/ldsUtils';
import { parseBreakdown, competencyRows, trendLine, tidyNumbers, attainmentView } from './scorecard';
import { LABELS, DIAGNOSIS_LABELS } from './labels';

const USER_FIELDS = [BEHAVIOUR_SCORE, COACHING_DIAGNOSIS, COACHING_FOCUS, SCORES_AS_OF];
const qualified = (f) => `${f.objectApiName}.${f.fieldApiName}`;
const SCORECARD_FIELDS = [SCORE_BREAKDOWN, PERIOD, CARD_BEHAVIOUR_SCORE, PERIOD_START].map(qualified);
// The latest period first: "-" sorts descending in UI API related-list queries.
const SORT_BY = [`-${qualified(PERIOD_START)}`];
const DEAL_PREFIX = '006';
const recordLink = (id) => `/lightning/r/${id}/view`;

export default class BehaviourScorecard extends LightningElement {
    /** The rep: the User record of the page, or on an app page the person looking at it. */
    @api
    get recordId() {
        return this.userId;
    }
    set recordId(value) {
        this.userId = value;
    }
    userId;
    label = LABELS;

    connectedCallback() {
        this.userId = this.userId ?? CURRENT_USER_ID;
    }

    @wire(getRecord, { recordId: '$userId', fields: USER_FIELDS })
    user;

    @wire(getRelatedListRecords, {
        parentRecordId: '$userId',
        relatedListId: 'Rep_Scorecards__r',
        fields: SCORECARD_FIELDS,
        sortBy: SORT_BY,
        pageSize: 1,
    })
    scorecards;

    // The names of the deals behind each signal (the breakdown carries their ids), so each links by name.
    @wire(getRecords, { records: '$dealQuery' })
    deals;

    get dealQuery() {
        if (!this.scorecards?.data?.records?.length || !this.breakdown) return undefined;
        const ids = [...new Set(this.breakdown.competencies.flatMap((c) => (c.signals ?? []).flatMap((s) => s.recordIds ?? [])).filter((id) => String(id).startsWith(DEAL_PREFIX)))];
        return ids.length ? [{ recordIds: ids, optionalFields: [qualified(OPPORTUNITY_NAME)] }] : undefined;
    }
    get dealNames() {
        const names = new Map();
        (this.deals?.data?.results ?? []).forEach((r) => {
            if (r.statusCode === 200 && r.result) names.set(r.result.id, getFieldValue(r.result, OPPORTUNITY_NAME));
        });
        return names;
    }

    get error() {
        return this.user?.error ?? this.scorecards?.error;
    }
    get loaded() {
        return !!(this.user?.data && this.scorecards?.data);
    }
    get latest() {
        return this.scorecards.data.records[0];
    }
    get parsed() {
        return this.latest ? parseBreakdown(getFieldValue(this.latest, SCORE_BREAKDOWN)) : parseBreakdown(null);
    }
    get breakdown() {
        return this.parsed.breakdown;
    }
    get behaviourScore() {
        return getFieldValue(this.user.data, BEHAVIOUR_SCORE) ?? getFieldValue(this.latest, CARD_BEHAVIOUR_SCORE);
    }
    get asOf() {
        // lightning-relative-date-time takes a timestamp or a Date; the field holds an ISO date-time string.
        const value = getFieldValue(this.user.data, SCORES_AS_OF) ?? this.breakdown.asOf;
        return value ? Date.parse(value) : undefined;
    }
    get periodText() {
        return formatLabel(LABELS.period, getFieldValue(this.latest, PERIOD));
    }
    get peerGroupText() {
        const group = this.breakdown.peerGroup;
        return formatLabel(LABELS.peerGroup, group.name, group.size);
    }
    get comparable() {
        return this.breakdown.peerGroup.comparable === true;
    }
    get competencies() {
        const names = this.dealNames;
        return competencyRows(this.breakdown).map((c) => ({
            ...c,
            signals: c.signals.map((s) => {
                const deals = s.recordIds.filter((id) => id.startsWith(DEAL_PREFIX)).map((id) => ({ id, href: recordLink(id), name: names.get(id) ?? id }));
                const others = s.recordIds.length - deals.length;
                return { ...s, deals, hasDeals: deals.length > 0, activitiesText: others > 0 ? formatLabel(LABELS.activities, others) : '', noRecords: s.recordIds.length === 0 };
            }),
        }));
    }
    get comparisons() {
        return (Array.isArray(this.breakdown.comparisons) ? this.breakdown.comparisons : []).map((text, i) => ({ key: `c${i}`, text: tidyNumbers(text) }));
    }
    get hasComparisons() {
        return this.comparisons.length > 0;
    }
    get attainment() {
        return attainmentView(this.breakdown.attainment);
    }
    get attainmentHeading() {
        return formatLabel(LABELS.attainment, this.attainment?.quarter ?? '');
    }
    get hasTrend() {
        return this.breakdown.trend.length > 1;
    }
    get trend() {
        return trendLine(this.breakdown.trend);
    }
    get diagnosis() {
        const kind = this.breakdown.diagnosis?.kind ?? getFieldValue(this.user.data, COACHING_DIAGNOSIS) ?? 'None';
        // "None" covers at par, behind on behaviours only, and not enough data: the companion's headline says which.
        const headline = kind === 'None' ? this.breakdown.diagnosis?.headline : undefined;
        return { label: headline ?? DIAGNOSIS_LABELS[kind] ?? kind, evidence: (this.breakdown.diagnosis?.evidence ?? []).map(tidyNumbers) };
    }
    get focus() {
        const focus = this.breakdown.focus;
        if (!focus) {
            const behaviour = getFieldValue(this.user.data, COACHING_FOCUS);
            return behaviour ? { competency: '', behaviour, coachingQuestions: [] } : null;
        }
        const competency = this.breakdown.competencies.find((c) => c.key === focus.competency);
        return { ...focus, competency: competency?.label ?? focus.competency, coachingQuestions: focus.coachingQuestions ?? [] };
    }
    get hasFlags() {
        return this.breakdown.flags.length > 0;
    }
}
