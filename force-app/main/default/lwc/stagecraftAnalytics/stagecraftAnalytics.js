// Admin/manager app page, for now a thin shell: says where analytics come from and summarises the milestone
// statistics the companion wrote back (which milestones predict wins in this org). Rich charts come later.
import { LightningElement, wire } from 'lwc';
import { gql, graphql } from 'lightning/graphql';
import { formatLabel } from 'c/ldsUtils';
import { LABELS } from './labels';

const percent = (v) => (v === null || v === undefined ? null : v / 100);

export default class StagecraftAnalytics extends LightningElement {
    label = LABELS;
    result;

    @wire(graphql, {
        query: gql`
            query milestoneStats {
                uiapi {
                    query {
                        Gate_Milestone__c(
                            first: 20
                            where: { Sample_Size__c: { ne: null } }
                            orderBy: { Lift__c: { order: DESC, nulls: LAST } }
                        ) {
                            edges {
                                node {
                                    Id
                                    Name { value }
                                    Lift__c { value }
                                    Win_Rate_Met__c { value }
                                    Win_Rate_Missed__c { value }
                                    Sample_Size__c { value }
                                    Predictive__c { value }
                                    Stage_Gate__r { Stage_Name__c { value } Sales_Process__c { value } }
                                }
                            }
                        }
                    }
                }
            }
        `,
    })
    wiredStats(result) {
        this.result = result;
    }

    get loaded() {
        return !!this.result?.data;
    }
    get errors() {
        return this.result?.errors;
    }
    get rows() {
        return this.result.data.uiapi.query.Gate_Milestone__c.edges.map(({ node }) => ({
            id: node.Id,
            name: node.Name.value,
            gate: `${node.Stage_Gate__r?.Sales_Process__c?.value ?? ''} · ${node.Stage_Gate__r?.Stage_Name__c?.value ?? ''}`,
            lift: node.Lift__c.value,
            winRateMet: percent(node.Win_Rate_Met__c.value),
            winRateMissed: percent(node.Win_Rate_Missed__c.value),
            sampleSize: node.Sample_Size__c.value,
            predictive: node.Predictive__c.value ? LABELS.yes : LABELS.no,
        }));
    }
    get hasRows() {
        return this.rows.length > 0;
    }
    get summary() {
        const predictive = this.rows.filter((r) => r.predictive === LABELS.yes).length;
        return formatLabel(LABELS.summary, this.rows.length, predictive);
    }
}
