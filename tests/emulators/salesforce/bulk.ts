// Bulk API 2.0 ingest jobs: create (Open) → upload CSV → UploadComplete → InProgress → JobComplete (or Failed /
// Aborted), processed asynchronously after a configurable delay, with successful / failed / unprocessed results as CSV.
import { SfError } from './errors.ts';
import { parseCsv, toCsv } from './csv.ts';
import type { RecordFault } from './faults.ts';
import type { Org } from './org.ts';
import { planRecord, type Operation, type WriteScope } from './writes.ts';

type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

interface Job {
  id: string;
  object: string;
  operation: Operation;
  externalIdFieldName: string | undefined;
  lineEnding: 'LF' | 'CRLF';
  state: JobState;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  apiVersion: number;
  uploads: string[];
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  errorMessage: string | undefined;
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  recordFaults: RecordFault[];
  userId: string;
}

export interface BulkOptions {
  /** Milliseconds between UploadComplete and the job being processed. */
  processingDelayMs: number;
  /** Largest accepted upload, bytes (Salesforce: 150 MB). */
  maxUploadBytes: number;
}

export class BulkIngest {
  private readonly jobs = new Map<string, Job>();
  private readonly org: Org;
  readonly options: BulkOptions;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(org: Org, options: BulkOptions) {
    this.org = org;
    this.options = options;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  private info(job: Job): Record<string, unknown> {
    return {
      id: job.id, operation: job.operation, object: job.object, createdById: job.createdById, createdDate: job.createdDate.replace(/Z$/, '+0000'),
      systemModstamp: job.systemModstamp.replace(/Z$/, '+0000'), state: job.state, concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: job.apiVersion,
      jobType: 'V2Ingest', lineEnding: job.lineEnding, columnDelimiter: 'COMMA',
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
      numberRecordsProcessed: job.numberRecordsProcessed, numberRecordsFailed: job.numberRecordsFailed, retries: 0,
      totalProcessingTime: 0, apiActiveProcessingTime: 0, apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    };
  }

  private job(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return job;
  }

  create(body: unknown, version: string, userId: string): Record<string, unknown> {
    const b = (body ?? {}) as Record<string, unknown>;
    const def = typeof b.object === 'string' ? this.org.object(b.object) : undefined;
    const operation = String(b.operation ?? '');
    if (!def) throw new SfError(400, 'INVALIDJOB', `InvalidJob : Invalid Object Type: ${String(b.object ?? '')}`);
    if (!['insert', 'update', 'upsert'].includes(operation)) throw new SfError(400, 'INVALIDJOB', `InvalidJob : Invalid operation: ${operation} (the emulator implements insert, update, upsert)`);
    if ((b.contentType ?? 'CSV') !== 'CSV') throw new SfError(400, 'INVALIDJOB', 'InvalidJob : Content type must be CSV');
    const lineEnding = (b.lineEnding ?? 'LF') as string;
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF') throw new SfError(400, 'INVALIDJOB', `InvalidJob : Invalid line ending: ${lineEnding}`);
    if ((b.columnDelimiter ?? 'COMMA') !== 'COMMA') throw new SfError(400, 'INVALIDJOB', 'InvalidJob : the emulator implements columnDelimiter COMMA only');
    let externalIdFieldName: string | undefined;
    if (operation === 'upsert') {
      const f = def.fields.get(String(b.externalIdFieldName ?? '').toLowerCase());
      if (!f || (!f.externalId && f.name !== 'Id')) throw new SfError(400, 'INVALIDJOB', `InvalidJob : External ID was blank or not an External ID field for ${def.name}: ${String(b.externalIdFieldName ?? '')}`);
      externalIdFieldName = f.name;
    }
    const now = this.org.stamp();
    const job: Job = {
      id: this.org.ids.make('750'), object: def.name, operation: operation as Operation, externalIdFieldName, lineEnding, state: 'Open',
      createdById: userId, createdDate: now, systemModstamp: now, apiVersion: Number(version), uploads: [], numberRecordsProcessed: 0,
      numberRecordsFailed: 0, errorMessage: undefined, header: [], successful: [], failed: [], unprocessed: [], recordFaults: [], userId,
    };
    this.jobs.set(job.id, job);
    return this.info(job);
  }

  get(id: string): Record<string, unknown> {
    return this.info(this.job(id));
  }

  list(): Record<string, unknown> {
    return { done: true, records: [...this.jobs.values()].map((j) => this.info(j)), nextRecordsUrl: null };
  }

  upload(id: string, body: Buffer): void {
    const job = this.job(id);
    if (job.state !== 'Open') throw new SfError(409, 'INVALIDJOBSTATE', `Job's state ${job.state} does not allow data upload`);
    if (body.length > this.options.maxUploadBytes) throw new SfError(400, 'INVALIDJOB', `InvalidJob : the upload exceeds ${this.options.maxUploadBytes} bytes`);
    job.uploads.push(body.toString('utf8'));
  }

  setState(id: string, body: unknown, recordFaults: RecordFault[]): Record<string, unknown> {
    const job = this.job(id);
    const state = String((body as { state?: unknown } | undefined)?.state ?? '');
    if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed') throw new SfError(409, 'INVALIDJOBSTATE', `Job is already ${job.state}`);
      job.state = 'Aborted';
    } else if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw new SfError(409, 'INVALIDJOBSTATE', `Job's state ${job.state} cannot change to UploadComplete`);
      job.state = 'UploadComplete';
      job.recordFaults = recordFaults;
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (job.state !== 'UploadComplete') return;
        job.state = 'InProgress';
        const t2 = setTimeout(() => { this.timers.delete(t2); this.process(job); }, Math.ceil(this.options.processingDelayMs / 2));
        this.timers.add(t2);
      }, Math.floor(this.options.processingDelayMs / 2));
      this.timers.add(t);
    } else {
      throw new SfError(400, 'INVALIDJOBSTATE', `Invalid state: ${state}`);
    }
    job.systemModstamp = this.org.stamp();
    return this.info(job);
  }

  delete(id: string): void {
    const job = this.job(id);
    if (!['UploadComplete', 'JobComplete', 'Aborted', 'Failed'].includes(job.state)) throw new SfError(409, 'INVALIDJOBSTATE', `Job's state ${job.state} does not allow delete`);
    this.jobs.delete(id);
  }

  results(id: string, kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords'): string {
    const job = this.job(id);
    if (kind !== 'unprocessedrecords' && job.state !== 'JobComplete' && job.state !== 'Failed') {
      throw new SfError(409, 'INVALIDJOBSTATE', `Job's state ${job.state} does not have results yet`);
    }
    if (kind === 'successfulResults') return toCsv(['sf__Id', 'sf__Created', ...job.header], job.successful, job.lineEnding);
    if (kind === 'failedResults') return toCsv(['sf__Id', 'sf__Error', ...job.header], job.failed, job.lineEnding);
    const pending = job.state === 'Open' || job.state === 'UploadComplete' || job.state === 'Aborted' ? this.rows(job).rows : job.unprocessed;
    return toCsv(job.header.length ? job.header : this.rows(job).header, pending, job.lineEnding);
  }

  private rows(job: Job): { header: string[]; rows: string[][] } {
    const all = job.uploads.flatMap((u, i) => {
      const parsed = parseCsv(u);
      return i === 0 ? parsed : parsed.slice(1);
    });
    return { header: all[0] ?? [], rows: all.slice(1).filter((r) => !(r.length === 1 && r[0] === '')) };
  }

  private process(job: Job): void {
    if (job.state !== 'InProgress') return;
    const def = this.org.object(job.object)!;
    const { header, rows } = this.rows(job);
    job.header = header;
    const columns = header.map((h) => (h.includes('.') || h.includes(':') ? undefined : def.fields.get(h.toLowerCase())));
    const bad = header.find((h, i) => !columns[i]);
    if (!header.length || bad !== undefined) {
      job.state = 'Failed';
      job.errorMessage = header.length ? `InvalidBatch : Field name not found : ${bad}` : 'InvalidBatch : no data uploaded';
      job.unprocessed = rows;
      return;
    }
    const scope: WriteScope = { org: this.org, ctx: { userId: job.userId, automation: true }, recordFaults: job.recordFaults };
    const claims = new Map<string, string>();
    rows.forEach((row, i) => {
      const input: Record<string, unknown> = {};
      header.forEach((h, c) => {
        const v = row[c] ?? '';
        // In Bulk API CSV an empty cell leaves the field alone; #N/A sets it to null.
        if (v === '#N/A') input[columns[c]!.name] = null;
        else if (v !== '') input[columns[c]!.name] = v;
      });
      const plan = planRecord(scope, job.operation, def, input, i, claims, job.externalIdFieldName);
      if (plan.ok) {
        const r = plan.apply();
        job.successful.push([r.id ?? '', String(r.created ?? job.operation === 'insert'), ...row]);
      } else {
        const e = plan.error;
        job.failed.push([plan.id ?? '', `${e.statusCode}:${e.message}:${e.fields.join(',')} --`, ...row]);
      }
    });
    job.numberRecordsProcessed = rows.length;
    job.numberRecordsFailed = job.failed.length;
    job.state = 'JobComplete';
    job.systemModstamp = this.org.stamp();
  }
}
