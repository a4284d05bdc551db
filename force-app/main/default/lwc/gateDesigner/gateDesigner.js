// Admin app page: every sales process's stage gates in stage order, each gate's milestones with their rule in plain
// words and the stats the companion wrote back; edit or add a milestone (c/gateMilestoneEditor).
import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { deleteRecord } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import { describeRule } from 'c/gateRules';
import { LABELS } from './labels';

const MILESTONE_FIELDS = `Name { value } Milestone_Key__c { value } Required__c { value } Weight__c { value }
    Sort_Order__c { value } Attestable__c { value } Rule_Kind__c { value } Rule_Field__c { value } Rule_Value__c { value }
    Rule_Roles__c { value } Rule_Min_Count__c { value } Rule_Window_Days__c { value } Rule_Activity_Types__c { value }
    Rule_Min_Call_Seconds__c { value } Rule_JSON__c { value } Guidance__c { value } Coaching_Questions__c { value }
    Share_Open_Deals_Met__c { value } Win_Rate_Met__c { value } Win_Rate_Missed__c { value } Lift__c { value }
    Sample_Size__c { value } Predictive__c { value } Configuration_Error__c { value } Stats_As_Of__c { value }`;

/** Flattens a UI API GraphQL node ({ Field: { value } }) into { Id, Field: value }. */
export function flatten(node) {
    const record = { Id: node.Id };
    Object.entries(node).forEach(([key, v]) => {
        if (v && typeof v === 'object' && 'value' in v) record[key] = v.value;
    });
    return record;
}

/** Fields the companion writes back: shown, never edited. */
const WRITTEN_BACK = new Set(['Share_Open_Deals_Met__c', 'Win_Rate_Met__c', 'Win_Rate_Missed__c', 'Lift__c', 'Sample_Size__c',
    'Predictive__c', 'Configuration_Error__c', 'Stats_As_Of__c']);
const percent = (v) => (v === null || v === undefined ? null : v / 100);

export default class GateDesigner extends LightningElement {
    label = LABELS;
    result;
    editing = null;
    /** Saved values by milestone id, shown until the next read of the gates carries them. */
    savedValues = {};
    /** Milestones created or removed since the last read. */
    added = [];
    removed = new Set();
    removing = null;

    @wire(graphql, {
        query: gql`
            query stageGates {
                uiapi {
                    query {
                        Stage_Gate__c(first: 200, orderBy: { Sales_Process__c: { order: ASC }, Stage_Order__c: { order: ASC } }) {
                            edges {
                                node {
                                    Id
                                    Name { value }
                                    Sales_Process__c { value }
                                    Stage_Name__c { value }
                                    Stage_Order__c { value }
                                    Active__c { value }
                                    Is_Closed__c { value }
                                    Configuration_Error__c { value }
                                    Gate_Milestones__r(first: 100, orderBy: { Sort_Order__c: { order: ASC } }) {
                                        edges { node { Id ${MILESTONE_FIELDS} } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        `,
    })
    wiredGates(result) {
        this.result = result;
        // A fresh read carries what was saved: drop the local copies.
        if (result?.data) {
            this.savedValues = {};
            this.added = [];
            this.removed = new Set();
        }
    }

    get errors() {
        return this.result?.errors;
    }
    get loaded() {
        return !!this.result?.data;
    }
    get processes() {
        const byProcess = new Map();
        this.result.data.uiapi.query.Stage_Gate__c.edges.forEach(({ node }) => {
            const gate = flatten(node);
            const read = (node.Gate_Milestones__r?.edges ?? []).map((e) => flatten(e.node));
            const pending = this.added.filter((m) => m.Stage_Gate__c === gate.Id && !read.some((r) => r.Id === m.Id));
            const milestones = [...read, ...pending]
                .filter((m) => !this.removed.has(m.Id))
                .map((m) => this.milestoneView({ ...m, ...(this.savedValues[m.Id] ?? {}) }, gate.Id));
            const closed = gate.Is_Closed__c === true;
            const name = gate.Sales_Process__c ?? '';
            if (!byProcess.has(name)) byProcess.set(name, { name, gates: [] });
            byProcess.get(name).gates.push({
                ...gate,
                heading: formatLabel(LABELS.gateHeading, gate.Stage_Order__c, gate.Stage_Name__c),
                inactive: gate.Active__c === false,
                milestones,
                hasMilestones: milestones.length > 0,
                closed,
                open: !closed,
                adding: this.editing?.gateId === gate.Id && !this.editing.milestone,
            });
        });
        // The query orders by stage already; sorting again keeps the path right if a gate's order was edited meanwhile.
        byProcess.forEach((p) => p.gates.sort((a, b) => (a.Stage_Order__c ?? 0) - (b.Stage_Order__c ?? 0)));
        return [...byProcess.values()];
    }
    get isEmpty() {
        return this.processes.length === 0;
    }

    milestoneView(m, gateId) {
        return {
            ...m,
            record: m,
            gateId,
            rule: describeRule(m),
            requirement: formatLabel(LABELS.requirement, m.Required__c ? LABELS.required : LABELS.optional, m.Weight__c ?? 0),
            hasStats: m.Sample_Size__c !== null && m.Sample_Size__c !== undefined,
            shareMet: percent(m.Share_Open_Deals_Met__c),
            winRateMet: percent(m.Win_Rate_Met__c),
            winRateMissed: percent(m.Win_Rate_Missed__c),
            liftText: this.liftText(m),
            editing: this.editing?.milestone?.Id === m.Id,
            confirmingRemoval: this.removing === m.Id,
            removeQuestion: formatLabel(LABELS.removeConfirm, m.Name),
        };
    }

    /** The lift in words; without one, why: every closed deal had the milestone, none had it, or none were judged. */
    liftText(m) {
        const blank = (v) => v === null || v === undefined;
        if (!blank(m.Lift__c)) return formatLabel(LABELS.lift, m.Lift__c, m.Sample_Size__c);
        if (m.Sample_Size__c > 0 && blank(m.Win_Rate_Missed__c) && !blank(m.Win_Rate_Met__c)) return formatLabel(LABELS.noLiftAll, m.Sample_Size__c);
        if (m.Sample_Size__c > 0 && blank(m.Win_Rate_Met__c) && !blank(m.Win_Rate_Missed__c)) return formatLabel(LABELS.noLiftNone, m.Sample_Size__c);
        return formatLabel(LABELS.noLift, m.Sample_Size__c ?? 0);
    }

    handleEdit(event) {
        const { gateId, milestoneId } = event.target.dataset;
        const gate = this.processes.flatMap((p) => p.gates).find((g) => g.Id === gateId);
        const milestone = gate.milestones.find((m) => m.Id === milestoneId);
        const editable = Object.entries(milestone.record).filter(([key]) => !WRITTEN_BACK.has(key));
        this.editing = { gateId, milestone: Object.fromEntries(editable) };
    }
    get editingMilestone() {
        return this.editing?.milestone;
    }
    handleAdd(event) {
        this.editing = { gateId: event.target.dataset.gateId, milestone: null };
    }
    handleCancel() {
        this.editing = null;
    }
    handleSaved(event) {
        const { id, fields } = event.detail ?? {};
        if (id && fields) {
            const known = this.processes.flatMap((p) => p.gates).some((g) => g.milestones.some((m) => m.Id === id));
            if (known) this.savedValues = { ...this.savedValues, [id]: fields };
            else this.added = [...this.added, { ...fields, Id: id, Stage_Gate__c: this.editing?.gateId }];
        }
        this.editing = null;
        return this.result?.refresh?.();
    }

    handleRemove(event) {
        this.removing = event.target.dataset.milestoneId;
    }
    handleKeep() {
        this.removing = null;
    }
    async handleConfirmRemove(event) {
        const id = event.target.dataset.milestoneId;
        this.removing = null;
        try {
            await deleteRecord(id);
            this.removed = new Set([...this.removed, id]);
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.removed, variant: 'success' }));
            await this.result?.refresh?.();
        } catch (error) {
            this.dispatchEvent(new ShowToastEvent({ title: LABELS.removeFailed, message: reduceErrors(error).join(', '), variant: 'error' }));
        }
    }
}
