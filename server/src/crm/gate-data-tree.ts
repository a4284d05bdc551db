// The playbook as `sf data tree import` files: Stage_Gate__c records with reference ids, Gate_Milestone__c records
// pointing at them, and the plan that loads them in that order.
import type { Playbook } from '../../../shared/src/playbook/schema.ts';
import { playbookToGateRecords } from './gate-records.ts';

const withoutNulls = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined));

export const gateDataTree = (playbook: Playbook): Record<string, unknown> => {
  const { Stage_Gate__c: gates, Gate_Milestone__c: milestones } = playbookToGateRecords(playbook);
  const refOf = new Map(gates.map((g, i) => [String(g.Gate_Key__c), `GateRef${i + 1}`]));
  return {
    'Stage_Gate__c.json': { records: gates.map((g) => ({ attributes: { type: 'Stage_Gate__c', referenceId: refOf.get(String(g.Gate_Key__c)) }, ...withoutNulls(g) })) },
    'Gate_Milestone__c.json': {
      records: milestones.map((m, i) => ({ attributes: { type: 'Gate_Milestone__c', referenceId: `MilestoneRef${i + 1}` }, ...withoutNulls({ ...m, Stage_Gate__c: `@${refOf.get(String(m.Stage_Gate__c))}` }) })),
    },
    'gates-plan.json': [
      { sobject: 'Stage_Gate__c', saveRefs: true, resolveRefs: false, files: ['Stage_Gate__c.json'] },
      { sobject: 'Gate_Milestone__c', saveRefs: false, resolveRefs: true, files: ['Gate_Milestone__c.json'] },
    ],
  };
};
