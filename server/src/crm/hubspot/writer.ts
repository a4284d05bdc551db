// Writing to a portal: the `stagecraft` property group and its deal properties are provisioned idempotently (created
// when missing, their options brought to the Salesforce value sets when they differ), then only changed values are
// sent with batch update, at most 100 inputs a call. A value HubSpot refuses fails only its batch's records, reported.
import { NotOwnedFieldError, type RecordChange } from '../../../../shared/src/write-back/planner.ts';
import type { WriteResult } from '../port.ts';
import type { HubSpotApi } from './api.ts';
import { dealPropertyOf, DEAL_PROPERTIES, optionsOf, PROPERTY_GROUP, toHubSpot } from './fields.ts';
import { BATCH_MAX } from './reader.ts';

/** Creates the group and any missing property; brings enumeration options in line. Returns the calls' count. */
export const provisionDealProperties = async (api: HubSpotApi): Promise<{ created: string[]; updated: string[] }> => {
  // GET /crm/v3/properties/deals/groups
  const groups = await api.call('properties', (c) => c.crm.properties.groupsApi.getAll('deals'));
  if (!groups.results.some((g) => g.name === PROPERTY_GROUP.name)) {
    // POST /crm/v3/properties/deals/groups
    await api.call('properties', (c) => c.crm.properties.groupsApi.create('deals', { ...PROPERTY_GROUP }));
  }
  // GET /crm/v3/properties/deals
  const existing = new Map((await api.call('properties', (c) => c.crm.properties.coreApi.getAll('deals'))).results.map((p) => [p.name, p]));
  const missing = DEAL_PROPERTIES.filter((p) => !existing.has(p.name));
  if (missing.length) {
    const inputs = missing.map((p) => ({ name: p.name, label: p.label, description: p.description, groupName: PROPERTY_GROUP.name, type: p.type, fieldType: p.fieldType, ...(optionsOf(p) ? { options: optionsOf(p) } : {}) }));
    // POST /crm/v3/properties/deals/batch/create
    await api.call('properties', (c) => c.crm.properties.batchApi.create('deals', { inputs } as never));
  }
  const updated: string[] = [];
  for (const p of DEAL_PROPERTIES) {
    const have = existing.get(p.name);
    const want = optionsOf(p);
    if (!have || !want || p.type === 'bool') continue;
    const values = (have.options ?? []).map((o) => o.value).sort().join(';');
    if (values === want.map((o) => o.value).sort().join(';')) continue;
    // PATCH /crm/v3/properties/deals/{name}: an admin's edit of the options is put back (the engine writes only these values)
    await api.call('properties', (c) => c.crm.properties.coreApi.update('deals', p.name, { options: want } as never));
    updated.push(p.name);
  }
  return { created: missing.map((p) => p.name), updated };
};

/** Deal changes → batch update calls of ≤ 100 inputs, each carrying only its changed properties. */
export const writeDeals = async (api: HubSpotApi, records: readonly RecordChange[]): Promise<WriteResult> => {
  const before = api.counts.total ?? 0;
  const inputs = records.map((r) => {
    const properties: Record<string, string> = {};
    for (const c of r.changes) {
      const p = dealPropertyOf(c.field);
      // The planner already refuses foreign fields; the adapter checks again because it is the last line.
      if (!p) throw new NotOwnedFieldError(r.object, c.field);
      properties[p.name] = toHubSpot(p, c.to);
    }
    return { id: r.id, properties };
  });
  const result: WriteResult = { recordsWritten: 0, fieldsWritten: 0, failures: [], apiCalls: 0 };
  for (let i = 0; i < inputs.length; i += BATCH_MAX) {
    const batch = inputs.slice(i, i + BATCH_MAX);
    try {
      // POST /crm/v3/objects/deals/batch/update (207: ids that no longer exist come back in errors)
      const reply = (await api.call('batchUpdate', (c) => c.crm.objects.batchApi.update('deals', { inputs: batch }))) as { results: { id: string }[]; errors?: { message: string; context?: { ids?: string[] } }[] };
      const written = new Set(reply.results.map((r) => r.id));
      for (const input of batch) {
        if (written.has(input.id)) {
          result.recordsWritten++;
          result.fieldsWritten += Object.keys(input.properties).length;
        } else {
          const error = reply.errors?.find((e) => e.context?.ids?.includes(input.id));
          result.failures.push({ object: 'Opportunity', id: input.id, message: error?.message ?? 'not written (the deal no longer exists)' });
        }
      }
    } catch (error) {
      if ((error as { kind?: string }).kind === 'budget') throw error;
      // HubSpot validates a whole batch before writing any of it: the batch's records failed, the rest go on.
      for (const input of batch) result.failures.push({ object: 'Opportunity', id: input.id, message: (error as Error).message });
    }
  }
  result.apiCalls = (api.counts.total ?? 0) - before;
  return result;
};
