// The attest use case: a rep's hand-made claim that a milestone is met, with the note that is its evidence. The
// record lands in the org (the embedded org here; in Salesforce the component writes it through Lightning Data
// Service) and the deal's next recompute counts it — "Sync now" recomputes only the deals that changed.
import type { OrgStore, SfRecord } from '../crm/embedded/store.ts';
import { KEY_PREFIX } from '../crm/sobjects.ts';
import { makeId, to18 } from '../crm/sf-id.ts';
import { AppError } from '../errors.ts';

export interface AttestationInput {
  opportunityId: string;
  milestoneKey: string;
  note: string;
  createdById?: string | null;
}

/** Records a rep's attestation; the next sync counts it. */
export const attest = (store: OrgStore, input: AttestationInput, now: Date): SfRecord => {
  const opportunityId = to18(input.opportunityId);
  if (!store.get('Opportunity', opportunityId)) throw new AppError('bad_input', `Opportunity__c: no opportunity ${input.opportunityId}`, { name: 'BadRequest', details: { path: 'Opportunity__c' } });
  let serial = store.count('Milestone_Attestation__c') + 1;
  while (store.get('Milestone_Attestation__c', makeId(KEY_PREFIX.Milestone_Attestation__c, serial))) serial++;
  const record: SfRecord = {
    Id: makeId(KEY_PREFIX.Milestone_Attestation__c, serial),
    Opportunity__c: opportunityId,
    Milestone_Key__c: input.milestoneKey,
    Note__c: input.note,
    CreatedById: input.createdById ?? null,
    CreatedDate: now.toISOString(),
  };
  store.insert('Milestone_Attestation__c', [record]);
  return store.get('Milestone_Attestation__c', record.Id as string)!;
};
