// The HubSpot connector: reads a portal into the neutral model (in full, or only the deals a change touched), and
// writes a write-back plan — deal properties to the portal in batches; weekly rep scorecards to the portal's
// `stagecraft_rep_scorecard` custom object when it has one, else to the companion store; rep scores (the User fields)
// to the companion store (HubSpot owners carry no custom properties; the app card shows them from there). A daily-limit stop
// leaves the run resumable with its asOf: the rerun ends where the uninterrupted one would have.
import { randomUUID } from 'node:crypto';
import type { Attestation } from '../../../../shared/src/model.ts';
import { ownedField, USER_FIELDS, type FieldValue } from '../../../../shared/src/fields.ts';
import { NotOwnedFieldError, type WriteBackPlan } from '../../../../shared/src/write-back/planner.ts';
import type { ConnectorStateRepository, StoredRecord } from '../../store/companion-store.ts';
import type { ChangeSet, CrmAdapter, OrgRead, OwnedValues, ReadScope, StoredScorecard, WriteResult } from '../port.ts';
import type { HubSpotApi } from './api.ts';
import { dealsOfEvents } from './events.ts';
import { dealPropertyOf, ENGAGEMENT_TYPES } from './fields.ts';
import { readAssociations, readDeals, readPeople, readPipelines, readPortal, searchAll, type People, type StageInfo, type StageMapping } from './reader.ts';
import { findScorecardObject, readScorecards, writeScorecards } from './scorecards.ts';
import { provisionDealProperties, writeDeals } from './writer.ts';

const CRM = 'hubspot';

export interface HubSpotAdapterOptions {
  api: HubSpotApi;
  store: ConnectorStateRepository;
  /** The portal this adapter serves: its state is kept under this key (default "hubspot"). */
  tenant?: string;
  mapping?: StageMapping;
  /** Incremental searches start this far behind the cursor: HubSpot's search index lags writes (default 5 min). */
  lookbackMs?: number;
  /** How long pipelines, owners and teams are reused by deal-scoped reads (default 60 s). */
  shapeTtlMs?: number;
  now?: () => Date;
}

/** Companion-store objects standing in for what a portal cannot hold. */
const STORED_OBJECTS = ['User', 'Rep_Scorecard__c'] as const;

/**
 * Attestations made on the deal card, kept by the companion under the portal's tenant (HubSpot has no object for
 * them): the read merges them into the snapshot, so the engine counts them as Salesforce's Milestone_Attestation__c.
 */
const ATTESTATIONS = 'Milestone_Attestation__c';

/** One attestation as the companion stores it (Salesforce's field names, so both connectors speak the same record). */
export interface StoredAttestation { Id: string; Opportunity__c: string; Milestone_Key__c: string; Note__c: string; CreatedById: string | null; CreatedDate: string }

/** One owner as the rep scorecard card shows them: Stagecraft's stored scores by field name. */
export interface RepScores { id: string; name: string; managerId: string | null; scores: Record<string, FieldValue> }

export class HubSpotAdapter implements CrmAdapter {
  readonly name = CRM;
  readonly api: HubSpotApi;
  readonly store: ConnectorStateRepository;
  readonly tenant: string;
  private readonly options: HubSpotAdapterOptions;
  private readonly now: () => Date;
  private runId: number | null = null;
  private provisioned = false;
  private shape: { at: number; stages: Map<string, StageInfo>; people: People } | null = null;
  private scorecardType: string | null | undefined;

  constructor(options: HubSpotAdapterOptions) {
    this.options = options;
    this.api = options.api;
    this.store = options.store;
    this.tenant = options.tenant ?? CRM;
    this.now = options.now ?? (() => new Date());
  }

  /** One deal's name and the gate checklist Stagecraft last wrote on it (the deal app card's read); null: no such deal. */
  async dealChecklist(dealId: string): Promise<{ id: string; name: string | null; checklist: string | null; modifiedAt: string | null } | null> {
    const property = dealPropertyOf('Gate_Checklist__c')!.name;
    const page = await this.api.call('batchRead', (c) => c.crm.objects.batchApi.read('deals', { inputs: [{ id: dealId }], properties: ['dealname', 'hs_lastmodifieddate', property], propertiesWithHistory: [] }, false));
    const deal = (page as { results: { id: string; properties: Record<string, string | null> }[] }).results[0];
    return deal ? { id: deal.id, name: deal.properties.dealname ?? null, checklist: deal.properties[property] ?? null, modifiedAt: deal.properties.hs_lastmodifieddate ?? null } : null;
  }

  /**
   * The rep scorecard card's read: the HubSpot user's owner, the owners reporting to them (teams, as the sync reads
   * them) and each one's scores as the last sync stored them. Null: the user owns nothing in the portal.
   */
  async repWithTeam(userId: string): Promise<{ rep: RepScores; members: RepScores[] } | null> {
    // The card asks for the scorecard and the team at once: owners and teams from the same kept portal shape.
    const { people } = await this.portalShape();
    const ownerId = people.ownerOfUser.get(userId);
    const owner = ownerId ? people.users.find((u) => u.id === ownerId) : undefined;
    if (!owner) return null;
    const stored = new Map((await this.store.mirrored(this.tenant, 'User')).map((r) => [String(r.Id), r]));
    const scored = (u: People['users'][number]): RepScores => ({
      id: u.id, name: u.name, managerId: u.managerId ?? null,
      scores: Object.fromEntries(Object.values(USER_FIELDS).map((f) => [f.name, (stored.get(u.id)?.[f.name] as FieldValue | undefined) ?? null])),
    });
    return { rep: scored(owner), members: people.users.filter((u) => u.managerId === owner.id && u.isActive).map(scored) };
  }

  /** Keeps a rep's attestation for the portal; the next read of the deal counts it. */
  async attest(input: { dealId: string; milestoneKey: string; note: string; userId: string | null }): Promise<StoredAttestation> {
    const record: StoredAttestation = { Id: `hs-att-${randomUUID()}`, Opportunity__c: input.dealId, Milestone_Key__c: input.milestoneKey, Note__c: input.note, CreatedById: input.userId, CreatedDate: this.now().toISOString() };
    await this.store.applyChanges(this.tenant, ATTESTATIONS, [record as unknown as StoredRecord & { Id: string }], []);
    return record;
  }

  /** The stored attestations of the deals read (all of them for a full read). */
  private async attestationsOf(dealIds: ReadonlySet<string>): Promise<Attestation[]> {
    return ((await this.store.mirrored(this.tenant, ATTESTATIONS)) as unknown as StoredAttestation[])
      .filter((a) => dealIds.has(a.Opportunity__c))
      .map((a) => ({ id: a.Id, opportunityId: a.Opportunity__c, milestoneKey: a.Milestone_Key__c, note: a.Note__c, attestedById: a.CreatedById, attestedAt: a.CreatedDate }));
  }

  async resumableAsOf(): Promise<string | null> {
    return (await this.store.unfinishedRun(this.tenant))?.asOf ?? null;
  }

  async beginRun(asOf: string): Promise<void> {
    const unfinished = await this.store.unfinishedRun(this.tenant);
    if (unfinished && unfinished.asOf === asOf) {
      this.runId = unfinished.id;
      await this.store.resumeRun(unfinished.id);
    } else {
      this.runId = await this.store.startRun(this.tenant, asOf, this.now().toISOString());
    }
  }

  async commitRun(): Promise<void> {
    if (this.runId !== null) await this.store.finishRun(this.runId, 'done', this.now().toISOString());
    this.runId = null;
  }

  async stopRun(reason: string): Promise<void> {
    if (this.runId !== null) await this.store.finishRun(this.runId, 'stopped', this.now().toISOString(), reason);
  }

  async read(readAt: string, onProgress?: (done: number, total: number) => void, scope?: ReadScope): Promise<OrgRead> {
    const mapped: Awaited<ReturnType<typeof readDeals>> = scope?.dealIds ? await readDeals(this.api, this.options.mapping ?? {}, readAt, scope.dealIds, await this.portalShape(), scope.ownersOfDeals === true) : await readPortal(this.api, this.options.mapping ?? {}, readAt, onProgress);
    const { owned, scorecards: stored } = await this.storedValues(mapped.owned);
    // A deal-scoped read writes scorecards only when it rescores the owners (ownersOfDeals): otherwise it need not read them.
    const objectTypeId = scope?.dealIds && !scope.ownersOfDeals ? null : await this.scorecardObject();
    const scorecards = objectTypeId ? await readScorecards(this.api, objectTypeId, owned) : stored;
    const attestations = await this.attestationsOf(new Set(mapped.snapshot.opportunities.map((o) => o.id)));
    return { snapshot: { ...mapped.snapshot, attestations: [...mapped.snapshot.attestations, ...attestations] }, owned, scorecards, reviews: [], dataQuality: mapped.dataQuality, counts: mapped.counts, activitiesCounted: scope?.dealIds ? true : undefined, ...(mapped.contextDealIds ? { contextDealIds: mapped.contextDealIds } : {}) };
  }

  /**
   * Pipelines, owners and teams for deal-scoped reads: they change rarely, and a webhook's recompute should not spend
   * four of its calls on them each time. Kept for `shapeTtlMs` (default one minute); a full read always reads them.
   */
  private async portalShape(): Promise<{ stages: Map<string, StageInfo>; people: People }> {
    const now = this.now().getTime();
    if (!this.shape || now - this.shape.at > (this.options.shapeTtlMs ?? 60_000)) {
      this.shape = { at: now, stages: await readPipelines(this.api, this.options.mapping ?? {}), people: await readPeople(this.api) };
    }
    return this.shape;
  }

  /** What the companion store holds for the portal: rep scores and their weekly scorecards. */
  private async storedValues(owned: OwnedValues): Promise<{ owned: OwnedValues; scorecards: StoredScorecard[] }> {
    const scorecards: StoredScorecard[] = [];
    for (const object of STORED_OBJECTS) {
      for (const r of await this.store.mirrored(this.tenant, object)) {
        const { Id, ...values } = r as StoredRecord & { Id: string };
        owned.set(`${object}:${Id}`, values as Record<string, FieldValue>);
        if (object === 'Rep_Scorecard__c') {
          scorecards.push({ id: Id, key: Id, repId: String(values.Rep__c ?? ''), period: String(values.Period__c ?? ''), periodStart: String(values.Period_Start__c ?? ''), behaviourScore: values.Behaviour_Score__c === null || values.Behaviour_Score__c === undefined ? null : Number(values.Behaviour_Score__c), isCurrent: values.Is_Current__c === true });
        }
      }
    }
    return { owned, scorecards };
  }

  /** The portal's scorecard custom object, looked up once per adapter (null: none, the companion store keeps them). */
  private async scorecardObject(): Promise<string | null> {
    if (this.scorecardType === undefined) this.scorecardType = await findScorecardObject(this.api);
    return this.scorecardType;
  }

  async write(plan: WriteBackPlan): Promise<WriteResult> {
    const before = this.api.counts.total ?? 0;
    const deals = plan.records.filter((r) => r.object === 'Opportunity');
    const objectTypeId = plan.records.some((r) => r.object === 'Rep_Scorecard__c') ? await this.scorecardObject() : null;
    const inPortal = objectTypeId ? plan.records.filter((r) => r.object === 'Rep_Scorecard__c') : [];
    const stored = plan.records.filter((r) => (STORED_OBJECTS as readonly string[]).includes(r.object) && !inPortal.includes(r));
    const other = plan.records.find((r) => r.object !== 'Opportunity' && !(STORED_OBJECTS as readonly string[]).includes(r.object));
    if (other) throw new NotOwnedFieldError(other.object, other.changes[0]?.field ?? '');
    const result: WriteResult = { recordsWritten: 0, fieldsWritten: 0, failures: [], apiCalls: 0 };
    if (deals.length) {
      if (!this.provisioned) await provisionDealProperties(this.api);
      this.provisioned = true;
      const written = await writeDeals(this.api, deals);
      result.recordsWritten += written.recordsWritten;
      result.fieldsWritten += written.fieldsWritten;
      result.failures.push(...written.failures);
    }
    if (objectTypeId && inPortal.length) {
      const written = await writeScorecards(this.api, objectTypeId, inPortal);
      result.recordsWritten += written.recordsWritten;
      result.fieldsWritten += written.fieldsWritten;
      result.failures.push(...written.failures);
    }
    if (stored.length) {
      await this.store.transaction(async () => {
        for (const object of STORED_OBJECTS) {
          const held = new Map((await this.store.mirrored(this.tenant, object)).map((r) => [String(r.Id), r]));
          const upserts = stored.filter((r) => r.object === object).map((r) => {
            const values: StoredRecord & { Id: string } = { ...(held.get(r.id) ?? {}), Id: r.id };
            for (const c of r.changes) {
              if (!ownedField(object, c.field)) throw new NotOwnedFieldError(object, c.field);
              values[c.field] = c.to;
            }
            result.recordsWritten++;
            result.fieldsWritten += r.changes.length;
            return values;
          });
          if (upserts.length) await this.store.applyChanges(this.tenant, object, upserts, []);
        }
      });
    }
    result.apiCalls = (this.api.counts.total ?? 0) - before;
    return result;
  }

  /**
   * Deals changed since `cursor`, by CRM search on hs_lastmodifieddate with a lookback: deals themselves, and deals
   * whose engagements changed (HubSpot sends no legacy webhook for engagements). null: the current position.
   */
  async changesSince(cursor: string | null): Promise<ChangeSet> {
    const nowIso = this.now().toISOString();
    if (cursor === null) return { dealIds: [], changed: {}, cursor: nowIso };
    const since = Date.parse(cursor) - (this.options.lookbackMs ?? 5 * 60_000);
    const dealIds = new Set<string>();
    const changed: Record<string, number> = {};
    let latest = 0;
    for (const type of ['deals', ...ENGAGEMENT_TYPES]) {
      // Deals and engagements both carry hs_lastmodifieddate (contacts do not; their changes reach deals by association).
      // Paged by id, so more than 10,000 changes are all found.
      const records = await searchAll(this.api, type, ['hs_object_id', 'hs_lastmodifieddate'], since);
      changed[type] = records.length;
      for (const r of records) latest = Math.max(latest, Date.parse(r.properties.hs_lastmodifieddate ?? '') || 0);
      if (type === 'deals') for (const r of records) dealIds.add(r.id);
      else if (records.length) for (const list of (await readAssociations(this.api, type, 'deals', records.map((r) => r.id))).values()) for (const a of list) dealIds.add(a.id);
    }
    // The cursor is in HubSpot's time when its clock runs ahead of ours (the search compares its own stamps).
    return { dealIds: [...dealIds], changed, cursor: new Date(Math.max(Date.parse(nowIso), latest)).toISOString(), latestAt: latest ? new Date(latest).toISOString() : null };
  }

  /** The deals pushed change events (webhook deliveries) touch: a webhook names an engagement or a contact, not its deal. */
  dealsOfChanges(events: readonly unknown[]): Promise<{ dealIds: string[]; latestAt: string | null }> {
    return dealsOfEvents(this.api, events);
  }

  apiCalls(): Record<string, number> {
    return { ...this.api.counts };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
