// The indicators of one open deal as of asOf, and of every open deal in a snapshot.
import { OPPORTUNITY_FIELDS, type FieldValue } from '../fields.ts';
import type { Opportunity, OrgSnapshot } from '../model.ts';
import { DEFAULT_ENGAGEMENT_WINDOW_DAYS, engagedContacts, nextStepSet } from './engagement.ts';
import { buildOrgIndex, type OrgIndex } from './org-index.ts';
import { stagePosition } from './stage.ts';
import { toMs } from './time.ts';

export interface DealIndicators {
  opportunityId: string;
  stage: string;
  stakeholdersEngaged: number;
  executiveEngaged: boolean;
  daysInStage: number;
  nextStepSet: boolean;
}

export const computeDealIndicators = (opportunity: Opportunity, index: OrgIndex, asOfMs: number): DealIndicators => {
  const activities = index.activitiesByOpportunity.get(opportunity.id) ?? [];
  const engaged = engagedContacts(activities, asOfMs, DEFAULT_ENGAGEMENT_WINDOW_DAYS);
  const position = stagePosition(opportunity, index.historyByOpportunity.get(opportunity.id) ?? [], asOfMs);
  return {
    opportunityId: opportunity.id,
    stage: position.stage,
    stakeholdersEngaged: engaged.length,
    executiveEngaged: engaged.some((e) => index.executiveContactIds.has(e.contactId)),
    daysInStage: position.daysInStage,
    nextStepSet: nextStepSet(opportunity.nextStep, activities, asOfMs),
  };
};

/** Open deals that existed at asOf: the ones Stagecraft keeps indicators on. */
export const isTracked = (opportunity: Opportunity, asOfMs: number): boolean => !opportunity.isClosed && toMs(opportunity.createdDate) <= asOfMs;

/** Field values to write, keyed by (un-namespaced) API name. */
export const dealFieldValues = (d: DealIndicators, asOf: string): Record<string, FieldValue> => ({
  [OPPORTUNITY_FIELDS.stakeholdersEngaged.name]: d.stakeholdersEngaged,
  [OPPORTUNITY_FIELDS.executiveEngaged.name]: d.executiveEngaged,
  [OPPORTUNITY_FIELDS.daysInStage.name]: d.daysInStage,
  [OPPORTUNITY_FIELDS.nextStepSet.name]: d.nextStepSet,
  [OPPORTUNITY_FIELDS.indicatorsAsOf.name]: asOf,
});

export const computeOrgIndicators = (snapshot: OrgSnapshot, asOf: string, index: OrgIndex = buildOrgIndex(snapshot)): DealIndicators[] => {
  const asOfMs = toMs(asOf);
  return snapshot.opportunities.filter((o) => isTracked(o, asOfMs)).map((o) => computeDealIndicators(o, index, asOfMs));
};
