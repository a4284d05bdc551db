// The Salesforce connector: reads an org (full the first time, then incremental by SystemModstamp into a mirror in the
// companion store) into the neutral model, and writes a write-back plan of owned fields. Cursors and the mirror are
// committed only after a successful write-back; the run journal lets a killed or budget-stopped run resume.
import { note } from '../../../../shared/src/data-quality.ts';
import { ownedField, type FieldValue } from '../../../../shared/src/fields.ts';
import { NotOwnedFieldError, type WriteBackPlan } from '../../../../shared/src/write-back/planner.ts';
import { DEFAULT_PLAYBOOK } from '../../../../shared/src/playbook/default-playbook.ts';
import { extraRuleFields, missingFieldProblems } from '../../../../shared/src/playbook/fields.ts';
import type { Playbook } from '../../../../shared/src/playbook/schema.ts';
import type { ConnectorStateRepository } from '../../store/companion-store.ts';
import { gateKey, gateRecordsToPlaybook } from '../gate-records.ts';
import type { ChangeStream, CrmAdapter, OrgRead, ReadScope, WriteResult } from '../port.ts';
import { mapSalesforceRecords, type SalesforceRecords, type SfRecord } from '../salesforce-shape.ts';
import { SalesforceApi } from './api.ts';
import { SalesforceChangeStream } from './cdc.ts';
import { isWritable, Names, PACKAGE_WRITES, READ_SPECS } from './objects.ts';
import { describeOrg, parseSfInstant, readObject, soqlDateTime, type ReadPlan } from './reader.ts';
import { waitForJob, Writer, type WriteOp } from './writer.ts';
import { dealNeighbourhood } from './scope.ts';

const CRM = 'salesforce';
const DAY = 86_400_000;
/** Read first: the playbook they hold says which Opportunity fields the rules need. */
const GATE_OBJECTS = new Set(['Stage_Gate__c', 'Gate_Milestone__c']);
const RULE_FIELDS_META = 'ruleFields';
/** Change Data Capture replay ids by channel, stored with the mirror and cursors of the run that covered them. */
const STREAM_POSITIONS_META = 'cdcReplayIds';
/** Moves with every committed mirror change: an in-memory copy of the mirror is good while it matches. */
const MIRROR_VERSION_META = 'mirrorVersion';

type MirrorRecord = Record<string, unknown>;

export interface SalesforceAdapterOptions {
  api: SalesforceApi;
  store: ConnectorStateRepository;
  /** The org this adapter serves: its state is kept under this key (default "salesforce", one org per companion). */
  tenant?: string;
  namespace?: string | null;
  /** Incremental reads start this far behind the cursor: records can commit behind an advanced cursor (default 5 min). */
  lookbackMs?: number;
  /** Older cursors mean a full re-read: deleted records leave the recycle bin after 15 days (default 14 days). */
  maxCursorAgeMs?: number;
  bulkThreshold?: number;
  /** Wait between Bulk job status polls (first; doubles). */
  bulkPollMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** A record the package's own objects receive (Rep_Scorecard__c upserted by its key; Gate_Milestone__c stats by Id). */
export interface PackageRecordWrite {
  object: string;
  /** Id for updates; the external id value for upserts. */
  key: string;
  values: Record<string, FieldValue>;
}

interface PendingCommit {
  full: boolean;
  readAt: string;
  plans: ReadPlan[];
  /** The rule fields the Opportunity mirror holds after this read. */
  ruleFields: string[];
  changes: Map<string, { upserts: Record<string, unknown>[]; deletedIds: string[]; maxModstamp: number }>;
  /** Objects this read re-read whole (a gap or overflow event asked for it). */
  resynced: string[];
}

export class SalesforceAdapter implements CrmAdapter {
  readonly name = CRM;
  readonly api: SalesforceApi;
  readonly store: ConnectorStateRepository;
  readonly tenant: string;
  readonly names: Names;
  private readonly options: SalesforceAdapterOptions;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private runId: number | null = null;
  /** The run in progress was taken up again (a killed or stopped one): its moment must survive another failure. */
  private resumedRun = false;
  private pending: PendingCommit | null = null;
  private accountOf = new Map<string, string>();
  private configErrors: PackageRecordWrite[] = [];
  /** Fields of each object the integration user cannot see, from the last describe. */
  hiddenFields: string[] = [];
  private playbook: Playbook | null = null;
  /** Objects the next read re-reads whole instead of by SystemModstamp (gap and overflow events). */
  private readonly resyncObjects = new Set<string>();
  /** Change Data Capture positions the next committed run stores (its read started after those events arrived). */
  private coveredPositions = new Map<string, number>();
  /**
   * The mirror kept in memory between runs: loading and parsing it from SQLite is most of an incremental read's time.
   * Tagged with the stored mirror version, so a commit by another process (a CLI sync) makes it reload.
   */
  private mirrorCache: { version: string; objects: Map<string, Map<string, MirrorRecord>> } | null = null;
  private readVersion = '';

  constructor(options: SalesforceAdapterOptions) {
    this.options = options;
    this.api = options.api;
    this.store = options.store;
    this.tenant = options.tenant ?? CRM;
    this.names = new Names(options.namespace ?? null);
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The asOf of a run that was killed or stopped by the budget: resuming with it makes the end state that run's. */
  async resumableAsOf(): Promise<string | null> {
    return (await this.store.unfinishedRun(this.tenant))?.asOf ?? null;
  }

  async beginRun(asOf: string): Promise<void> {
    const unfinished = await this.store.unfinishedRun(this.tenant);
    this.resumedRun = !!unfinished && unfinished.asOf === asOf;
    this.runId = unfinished && unfinished.asOf === asOf ? unfinished.id : await this.store.startRun(this.tenant, asOf, this.now().toISOString());
    if (unfinished && unfinished.asOf === asOf) await this.store.resumeRun(unfinished.id);
  }

  /** A run this attempt began and that failed before writing: closed, so its moment does not outlive it. */
  async failRun(reason: string): Promise<void> {
    if (this.runId === null || this.resumedRun) return;
    await this.store.finishRun(this.runId, 'done', this.now().toISOString(), `failed before writing: ${reason.slice(0, 200)}`);
    this.runId = null;
  }

  /** Bulk jobs a killed run left behind are settled before anything is read, so the read sees their outcome. */
  private async settleOpenJobs(): Promise<void> {
    for (const job of await this.store.openJobs()) {
      if (job.state === 'Open') {
        // PATCH /jobs/ingest/{id}: a job whose upload never completed is aborted (its data was never applied)
        try {
          await this.api.json('bulk', 'PATCH', `/jobs/ingest/${job.jobId}`, { state: 'Aborted' });
          await this.store.recordJob(job.runId, job.jobId, job.object, 'Aborted');
          continue;
        } catch {
          // It may have reached UploadComplete after all: wait for it below.
        }
      }
      const info = await waitForJob(this.api, job.jobId, this.sleep, this.options.bulkPollMs ?? 250);
      await this.store.recordJob(job.runId, job.jobId, job.object, info.state);
    }
  }

  /** The locally configured playbook (the org's own Stage_Gate__c records win when it has them). */
  usePlaybook(playbook: Playbook): void {
    this.playbook = playbook;
  }

  /**
   * With `scope.dealIds` (an incremental recompute): the org's changes are read and merged as always, and the records
   * returned are those of the given deals and of every deal the changes read now touch — not the whole mirror.
   */
  async read(readAt: string, _onProgress?: (done: number, total: number) => void, scope?: ReadScope): Promise<OrgRead> {
    return this.readOrg(readAt, false, scope?.dealIds, scope?.ownersOfDeals ? { since: scope.activitiesSince } : undefined);
  }

  private async mirrorOf(object: string): Promise<Map<string, MirrorRecord>> {
    const version = (await this.store.getValue(this.tenant, MIRROR_VERSION_META)) ?? '';
    if (!this.mirrorCache || this.mirrorCache.version !== version) this.mirrorCache = { version, objects: new Map() };
    this.readVersion = version;
    let mirror = this.mirrorCache.objects.get(object);
    if (!mirror) {
      mirror = new Map((await this.store.mirrored(this.tenant, object)).map((r) => [String(r.Id), r]));
      this.mirrorCache.objects.set(object, mirror);
    }
    return mirror;
  }

  private async readOrg(readAt: string, forceFull: boolean, dealIds?: readonly string[], owners?: { since: string }): Promise<OrgRead> {
    await this.settleOpenJobs();
    const cursors = await this.store.cursors(this.tenant);
    const storedPlans = await this.store.getValue(this.tenant, 'plans');
    const nowMs = this.now().getTime();
    const known = storedPlans ? (JSON.parse(storedPlans) as ReadPlan[]) : [];
    const lastRead = Date.parse((await this.store.getValue(this.tenant, 'lastReadAt')) ?? '') || 0;
    // Plans stored before Opportunity's described field list was kept need one describe to learn it.
    const full = forceFull || known.length === 0 || cursors.size === 0 || nowMs - lastRead > (this.options.maxCursorAgeMs ?? 14 * DAY) || !known.some((p) => p.object === 'Opportunity' && p.available);
    let plans: ReadPlan[];
    if (full) {
      const described = await describeOrg(this.api, this.names, READ_SPECS);
      plans = described.plans;
      this.hiddenFields = described.hidden;
    } else {
      plans = known;
    }

    const lookback = this.options.lookbackMs ?? 5 * 60_000;
    const changes: PendingCommit['changes'] = new Map();
    const records: Record<string, Record<string, unknown>[]> = {};
    /** Each object's mirror before this read's changes (what a scoped read compares them with). */
    const previous = new Map<string, Map<string, MirrorRecord>>();
    const counts: Record<string, number> = {};
    const available = plans.find((p) => p.object === 'Opportunity')?.available ?? [];
    let gatesRead: { org: OrgRead['orgPlaybook']; ruleFields: string[] } | null = null;
    for (const listed of [...plans].sort((a, b) => Number(!GATE_OBJECTS.has(a.object)) - Number(!GATE_OBJECTS.has(b.object)))) {
      let plan = listed;
      let filter: string | undefined;
      if (!GATE_OBJECTS.has(plan.object) && !gatesRead) {
        // The playbook in force names the fields to add: any Opportunity field describe shows, standard or custom.
        const org = this.orgPlaybook(records, available);
        const byLower = new Map(available.map((f) => [f.toLowerCase(), f]));
        const ruleFields = extraRuleFields(org?.playbook ?? this.playbook ?? DEFAULT_PLAYBOOK).flatMap((f) => byLower.get(f.toLowerCase()) ?? []);
        // The mirror holds the fields the last read asked for; a rule on a new field needs them for every deal.
        if (!full && ruleFields.join(',') !== ((await this.store.getValue(this.tenant, RULE_FIELDS_META)) ?? '')) return this.readOrg(readAt, true, dealIds, owners);
        gatesRead = { org, ruleFields };
      }
      if (plan.object === 'Opportunity') plan = { ...plan, fields: [...new Set([...plan.fields, ...gatesRead!.ruleFields])] };
      if (plan.object === 'OpportunityFieldHistory') {
        // Only the history of fields a rule names: the backtest judges those as they were when a deal left a stage.
        if (!gatesRead!.ruleFields.length) {
          records[plan.object] = [];
          continue;
        }
        filter = `Field IN (${gatesRead!.ruleFields.map((f) => `'${f}'`).join(', ')})`;
      }
      const resync = !full && this.resyncObjects.has(plan.object);
      const cursor = full || resync ? undefined : cursors.get(plan.object);
      const since = cursor ? Date.parse(cursor) - lookback : null;
      const got = await readObject(this.api, this.names, plan, since, filter);
      if (resync) {
        // Re-read whole: what the mirror holds and the org no longer returns was deleted (or purged) meanwhile.
        const live = new Set(got.records.map((r) => String(r.Id)));
        got.deletedIds.push(...[...(await this.mirrorOf(plan.object)).keys()].filter((id) => !live.has(id)));
      }
      counts[plan.object] = got.records.length + got.deletedIds.length;
      // An object with nothing in it yet starts its cursor at the read's start (the lookback covers clock skew).
      changes.set(plan.object, { upserts: got.records, deletedIds: got.deletedIds, maxModstamp: Math.max(got.maxModstamp, cursor ? Date.parse(cursor) : 0) || nowMs });
      if (full) {
        records[plan.object] = got.records;
      } else {
        // Merge into the mirror: later copies win (de-duplication across the lookback window), deletes drop out.
        const mirror = await this.mirrorOf(plan.object);
        const byId = new Map(mirror);
        for (const r of got.records) byId.set(String(r.Id), r);
        for (const id of got.deletedIds) byId.delete(id);
        records[plan.object] = [...byId.values()];
        previous.set(plan.object, mirror);
      }
    }
    this.pending = { full, readAt: new Date(nowMs).toISOString(), plans, changes, ruleFields: gatesRead?.ruleFields ?? [], resynced: full ? [...this.resyncObjects] : plans.map((p) => p.object).filter((o) => this.resyncObjects.has(o)) };
    this.accountOf = new Map((records.Opportunity ?? []).map((o) => [String(o.Id), String(o.AccountId ?? '')]));

    // A scoped read hands over only the neighbourhood of the deals concerned (whole when the gate configuration changed).
    const { records: scoped, contextDealIds } = dealIds && !full ? dealNeighbourhood(records, changes, previous, dealIds, owners) : { records, contextDealIds: undefined };
    const shaped = Object.fromEntries(READ_SPECS.map((s) => [s.object, scoped[s.object] ?? []])) as unknown as SalesforceRecords;
    const mapped = mapSalesforceRecords(shaped, readAt);
    if (this.hiddenFields.length) note(mapped.dataQuality, `fields the integration user cannot read, skipped (${this.hiddenFields.join(', ')})`, this.hiddenFields.length);
    return { ...mapped, counts, orgPlaybook: gatesRead?.org ?? this.orgPlaybook(records, available), opportunityFields: available, ...(contextDealIds ? { contextDealIds } : {}) };
  }

  /**
   * Stage_Gate__c / Gate_Milestone__c → the playbook (same schema as the local one); each bad record's message is queued
   * for its Configuration_Error__c — a rule naming an Opportunity field the org lacks or this user cannot read included.
   */
  private orgPlaybook(records: Record<string, Record<string, unknown>[]>, opportunityFields: readonly string[]): OrgRead['orgPlaybook'] {
    const gates = (records.Stage_Gate__c ?? []) as SfRecord[];
    const milestones = (records.Gate_Milestone__c ?? []) as SfRecord[];
    this.configErrors = [];
    if (gates.length === 0) return undefined;
    const { playbook, problems } = gateRecordsToPlaybook({ Stage_Gate__c: gates, Gate_Milestone__c: milestones }, DEFAULT_PLAYBOOK);
    if (playbook && opportunityFields.length) {
      for (const p of missingFieldProblems(playbook, opportunityFields)) {
        const gate = gates.find((g) => g.Gate_Key__c === gateKey(p.process, p.stage));
        const record = milestones.find((m) => m.Stage_Gate__c === gate?.Id && m.Milestone_Key__c === p.milestoneKey);
        problems.push({ object: 'Gate_Milestone__c', id: String(record?.Id ?? p.milestoneKey), message: `Rule_Field__c: Opportunity has no field ${p.field}, or the integration user cannot read it` });
      }
    }
    const messages = new Map(problems.map((p) => [`${p.object}:${p.id}`, p.message.slice(0, 255)]));
    for (const [object, list] of [['Stage_Gate__c', gates], ['Gate_Milestone__c', milestones]] as const) {
      for (const r of list) {
        const wanted = messages.get(`${object}:${String(r.Id)}`) ?? null;
        // Written only when it differs: a fixed record gets its error cleared, an unchanged one is left alone.
        if ((r.Configuration_Error__c ?? null) !== wanted) this.configErrors.push({ object, key: String(r.Id), values: { Configuration_Error__c: wanted } });
      }
    }
    return { playbook, problems };
  }

  private writer(): Writer {
    return new Writer(this.api, this.names, {
      bulkThreshold: this.options.bulkThreshold,
      pollMs: this.options.bulkPollMs,
      sleep: this.sleep,
      backoffMs: (attempt) => this.api.backoffMs(attempt),
      onJob: (jobId, object, state) => this.store.recordJob(this.runId ?? 0, jobId, object, state),
    });
  }

  async write(plan: WriteBackPlan): Promise<WriteResult> {
    const before = this.api.counts.total;
    const ops: WriteOp[] = plan.records.map((record) => {
      const values: Record<string, FieldValue> = {};
      for (const c of record.changes) {
        // The planner already refuses foreign fields; the adapter checks again because it is the last line.
        if (!ownedField(record.object, c.field)) throw new NotOwnedFieldError(record.object, c.field);
        values[c.field] = c.to;
      }
      const how = PACKAGE_WRITES[record.object];
      // Package records planned by key (Rep_Scorecard__c) are upserted by that external id; the rest update by Id.
      if (how?.mode === 'upsert') return { object: record.object, externalId: { field: how.externalId, value: record.id }, values, group: '' };
      return { object: record.object, id: record.id, values, group: record.object === 'Opportunity' ? this.accountOf.get(record.id) ?? '' : '' };
    });
    const outcome = await this.writer().execute(ops);
    return { ...outcome, apiCalls: this.api.counts.total - before };
  }

  /** Writes records of the package's own objects: only their companion-written fields, by Id or external id. */
  async writePackageRecords(records: readonly PackageRecordWrite[]): Promise<WriteResult> {
    const before = this.api.counts.total;
    const ops: WriteOp[] = records.map((r) => {
      const how = PACKAGE_WRITES[r.object];
      if (!how) throw new Error(`refusing to write ${r.object}: not a package object the companion writes`);
      for (const field of Object.keys(r.values)) if (!isWritable(r.object, field)) throw new NotOwnedFieldError(r.object, field);
      return how.mode === 'upsert'
        ? { object: r.object, externalId: { field: how.externalId, value: r.key }, values: r.values, group: '' }
        : { object: r.object, id: r.key, values: r.values, group: '' };
    });
    const outcome = await this.writer().execute(ops);
    return { ...outcome, apiCalls: this.api.counts.total - before };
  }

  /** After a successful write-back: configuration errors are written, then the mirror takes the read's changes and the cursors advance, in one transaction. */
  async commitRun(): Promise<void> {
    if (this.configErrors.length) {
      const result = await this.writePackageRecords(this.configErrors);
      this.configErrors = [];
      for (const f of result.failures) throw new Error(`could not write ${f.object} ${f.id} Configuration_Error__c: ${f.message}`);
    }
    const pending = this.pending;
    const covered = new Map(this.coveredPositions);
    const version = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    let othersCommitted = false;
    await this.store.transaction(async () => {
      othersCommitted = ((await this.store.getValue(this.tenant, MIRROR_VERSION_META)) ?? '') !== this.readVersion;
      if (pending) await this.store.setValue(this.tenant, MIRROR_VERSION_META, version);
      if (pending) {
        if (pending.full) await this.store.resetMirror(this.tenant);
        for (const [object, change] of pending.changes) {
          // The lookback window re-reads records unchanged (the companion's own write-backs, mostly): not stored again.
          const cached = !pending.full && !othersCommitted ? this.mirrorCache?.objects.get(object) : undefined;
          const upserts = cached ? change.upserts.filter((r) => JSON.stringify(r) !== JSON.stringify(cached.get(String(r.Id)))) : change.upserts;
          await this.store.applyChanges(this.tenant, object, upserts as (Record<string, unknown> & { Id: string })[], change.deletedIds);
          if (change.maxModstamp > 0) await this.store.setCursor(this.tenant, object, new Date(change.maxModstamp).toISOString());
        }
        await this.store.setValue(this.tenant, 'plans', JSON.stringify(pending.plans));
        await this.store.setValue(this.tenant, RULE_FIELDS_META, pending.ruleFields.join(','));
        await this.store.setValue(this.tenant, 'lastReadAt', pending.readAt);
      }
      if (covered.size) await this.savePositions(covered);
      if (this.runId !== null) await this.store.finishRun(this.runId, 'done', this.now().toISOString());
    });
    if (pending) this.updateMirrorCache(pending, version, othersCommitted);
    for (const object of pending?.resynced ?? []) this.resyncObjects.delete(object);
    for (const [channel, id] of covered) if (this.coveredPositions.get(channel) === id) this.coveredPositions.delete(channel);
    this.pending = null;
  }

  /** The committed changes, applied to the in-memory mirror too (or it is dropped when another process committed). */
  private updateMirrorCache(pending: PendingCommit, version: string, othersCommitted: boolean): void {
    if (!pending.full && (othersCommitted || !this.mirrorCache)) {
      this.mirrorCache = null;
      return;
    }
    if (pending.full || !this.mirrorCache) this.mirrorCache = { version, objects: new Map() };
    this.mirrorCache.version = version;
    for (const [object, change] of pending.changes) {
      const cached = this.mirrorCache.objects.get(object);
      if (pending.full) {
        this.mirrorCache.objects.set(object, new Map(change.upserts.map((r) => [String(r.Id), r])));
        continue;
      }
      if (!cached) continue;
      for (const r of change.upserts) cached.set(String(r.Id), r);
      for (const id of change.deletedIds) cached.delete(id);
    }
  }

  /** Change Data Capture for this org (the objects it is enabled for; the rest are polled). */
  changeStream(notice?: (error: Error) => void): ChangeStream {
    return new SalesforceChangeStream({
      api: this.api,
      ...(notice ? { onError: notice } : {}),
      names: this.names,
      loadPositions: () => this.streamPositions(),
      savePositions: (positions) => this.savePositions(positions),
      coverPositions: (positions) => {
        for (const [channel, id] of positions) if (id > (this.coveredPositions.get(channel) ?? -Infinity)) this.coveredPositions.set(channel, id);
      },
      resync: (objects) => {
        for (const o of objects) this.resyncObjects.add(o);
      },
    });
  }

  async streamPositions(): Promise<Map<string, number>> {
    const raw = await this.store.getValue(this.tenant, STREAM_POSITIONS_META);
    return new Map(raw ? (Object.entries(JSON.parse(raw)) as [string, number][]) : []);
  }

  /** Replay ids only move forward: a stale batch committed late never rewinds the stream. */
  private async savePositions(positions: Map<string, number>): Promise<void> {
    const stored = await this.streamPositions();
    for (const [channel, id] of positions) if (id > (stored.get(channel) ?? -Infinity)) stored.set(channel, id);
    await this.store.setValue(this.tenant, STREAM_POSITIONS_META, JSON.stringify(Object.fromEntries(stored)));
  }

  /** A budget stop: the run stays resumable, nothing advances. */
  async stopRun(reason: string): Promise<void> {
    if (this.runId !== null) await this.store.finishRun(this.runId, 'stopped', this.now().toISOString(), reason);
  }

  /**
   * "Recalculate now": whether an attestation was created or changed since the last committed read — one query.
   * The change feed then runs an incremental sync, which picks the attestation up and recomputes its deal.
   */
  async recalculationRequested(): Promise<boolean> {
    const cursor = (await this.store.cursors(this.tenant)).get('Milestone_Attestation__c');
    if (!cursor) return false;
    const object = this.names.object('Milestone_Attestation__c');
    // GET /query?q=SELECT SystemModstamp FROM Milestone_Attestation__c WHERE SystemModstamp >= … ORDER BY SystemModstamp DESC LIMIT 1
    // (SOQL literals have whole seconds: the millisecond comparison happens here.)
    const soql = `SELECT Id, SystemModstamp FROM ${object} WHERE SystemModstamp >= ${soqlDateTime(Date.parse(cursor))} ORDER BY SystemModstamp DESC LIMIT 1`;
    const page = (await this.api.get('query', `/query?q=${encodeURIComponent(soql)}`)) as { records: { SystemModstamp?: string }[] };
    const latest = page.records[0]?.SystemModstamp;
    return latest !== undefined && parseSfInstant(latest) > Date.parse(cursor);
  }

  apiCalls(): Record<string, number> {
    return { ...this.api.counts };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
