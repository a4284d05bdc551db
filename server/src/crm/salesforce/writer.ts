// Executing a write-back: sObject Collections (≤200 records a call, allOrNone=false, every per-record result read) for
// small sets, Bulk API 2.0 above a threshold. Records are ordered by parent account so one account's children travel
// together (fewer UNABLE_TO_LOCK_ROW), per-record lock errors are retried with jittered backoff, and validation
// failures are reported once, never retried forever.
import { parse } from 'csv-parse/sync';
import type { FieldValue } from '../../../../shared/src/fields.ts';
import type { SalesforceApi } from './api.ts';
import type { Names } from './objects.ts';

export interface WriteOp {
  /** Un-namespaced object name. */
  object: string;
  /** Update by Id, or upsert by an external id field (un-namespaced) and its value. */
  id?: string;
  externalId?: { field: string; value: string };
  values: Record<string, FieldValue>;
  /** Parent account (or any lock parent) the record is grouped by. */
  group: string;
}

export interface WriteOutcome {
  recordsWritten: number;
  fieldsWritten: number;
  failures: { object: string; id: string; message: string }[];
}

export interface WriterOptions {
  /** More records than this for one object go through Bulk API 2.0 (default 2,000 = 10 collection calls). */
  bulkThreshold?: number;
  /** Rounds of per-record UNABLE_TO_LOCK_ROW retries (default 4). */
  lockRounds?: number;
  /** Bulk uploads are split below this many bytes (Salesforce's cap is 150 MB of base64; CSV ≤ 100 MB stays clear). */
  maxUploadBytes?: number;
  sleep: (ms: number) => Promise<void>;
  backoffMs: (attempt: number) => number;
  /** Journals a bulk job the moment it exists, and its later states. */
  /** Journals a Bulk job's state (awaited: a job is on record before its data is uploaded). */
  onJob: (jobId: string, object: string, state: string) => void | Promise<void>;
  /** Wait between job status polls (doubling, capped at 10 s). */
  pollMs?: number;
}

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields?: string[] }[];
}

const COLLECTION_SIZE = 200;
const keyOf = (op: WriteOp): string => op.id ?? op.externalId!.value;

export class Writer {
  private readonly api: SalesforceApi;
  private readonly names: Names;
  private readonly options: Required<Omit<WriterOptions, 'sleep' | 'backoffMs' | 'onJob'>> & Pick<WriterOptions, 'sleep' | 'backoffMs' | 'onJob'>;

  constructor(api: SalesforceApi, names: Names, options: WriterOptions) {
    this.api = api;
    this.names = names;
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as WriterOptions;
    this.options = { bulkThreshold: 2000, lockRounds: 4, maxUploadBytes: 100 * 1024 * 1024, pollMs: 250, ...given };
  }

  async execute(ops: readonly WriteOp[]): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { recordsWritten: 0, fieldsWritten: 0, failures: [] };
    const byTarget = new Map<string, WriteOp[]>();
    for (const op of ops) {
      const target = `${op.object}|${op.externalId?.field ?? 'Id'}`;
      const list = byTarget.get(target);
      if (list) list.push(op);
      else byTarget.set(target, [op]);
    }
    for (const group of byTarget.values()) {
      // Children of one account together, in a stable order: chunks lock as few parents as possible.
      const sorted = [...group].sort((a, b) => (a.group === b.group ? (keyOf(a) < keyOf(b) ? -1 : 1) : a.group < b.group ? -1 : 1));
      const retry = sorted.length > this.options.bulkThreshold ? await this.bulk(sorted, outcome) : sorted;
      await this.collections(retry, outcome);
    }
    return outcome;
  }

  private body(op: WriteOp): Record<string, unknown> {
    const record: Record<string, unknown> = { attributes: { type: this.names.object(op.object) } };
    if (op.id) record.Id = op.id;
    if (op.externalId) record[this.names.field(op.object, op.externalId.field)] = op.externalId.value;
    for (const [field, value] of Object.entries(op.values)) record[this.names.field(op.object, field)] = value;
    return record;
  }

  private succeeded(op: WriteOp, outcome: WriteOutcome): void {
    outcome.recordsWritten++;
    outcome.fieldsWritten += Object.keys(op.values).length;
  }

  /** sObject Collections, allOrNone=false: every record's result is read; lock failures go round again. */
  private async collections(ops: readonly WriteOp[], outcome: WriteOutcome): Promise<void> {
    let pending = [...ops];
    for (let round = 0; pending.length > 0; round++) {
      const locked: WriteOp[] = [];
      for (let i = 0; i < pending.length; i += COLLECTION_SIZE) {
        const chunk = pending.slice(i, i + COLLECTION_SIZE);
        const first = chunk[0]!;
        const body = { allOrNone: false, records: chunk.map((op) => this.body(op)) };
        const results = first.externalId
          ? // PATCH /composite/sobjects/{object}/{externalIdField}  (upsert)
            await this.api.json<SaveResult[]>('collections', 'PATCH', `/composite/sobjects/${this.names.object(first.object)}/${this.names.field(first.object, first.externalId.field)}`, body)
          : // PATCH /composite/sobjects  (update)
            await this.api.json<SaveResult[]>('collections', 'PATCH', '/composite/sobjects', body);
        chunk.forEach((op, k) => {
          const r = results[k];
          if (r?.success) return this.succeeded(op, outcome);
          const error = r?.errors[0];
          if (error?.statusCode === 'UNABLE_TO_LOCK_ROW' && round + 1 < this.options.lockRounds) locked.push(op);
          else outcome.failures.push({ object: op.object, id: keyOf(op), message: error ? `${error.statusCode}: ${error.message}` : 'no result returned' });
        });
      }
      if (locked.length) await this.options.sleep(this.options.backoffMs(round));
      pending = locked;
    }
  }

  private csv(ops: readonly WriteOp[]): { header: string; rows: string[] } {
    const first = ops[0]!;
    const fields = [...new Set(ops.flatMap((op) => Object.keys(op.values)))].sort();
    const key = first.externalId ? first.externalId.field : 'Id';
    const cell = (v: FieldValue | undefined): string => {
      // Bulk 2.0: an empty cell leaves the field alone, #N/A sets it to null.
      if (v === undefined) return '';
      if (v === null) return '#N/A';
      const s = String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    const header = [this.names.field(first.object, key), ...fields.map((f) => this.names.field(first.object, f))].join(',');
    const rows = ops.map((op) => [cell(keyOf(op)), ...fields.map((f) => cell(op.values[f]))].join(','));
    return { header, rows };
  }

  /** Bulk API 2.0 ingest; returns the records to retry through collections (row lock failures). */
  private async bulk(ops: readonly WriteOp[], outcome: WriteOutcome): Promise<WriteOp[]> {
    const { header, rows } = this.csv(ops);
    const retry: WriteOp[] = [];
    // Split uploads by size; each part is one job (create, upload, close, poll, failures).
    let start = 0;
    while (start < rows.length) {
      let bytes = header.length + 1;
      let end = start;
      while (end < rows.length && bytes + rows[end]!.length + 1 <= this.options.maxUploadBytes) bytes += rows[end++]!.length + 1;
      if (end === start) end = start + 1;
      retry.push(...(await this.bulkJob(ops.slice(start, end), `${header}\n${rows.slice(start, end).join('\n')}\n`, outcome)));
      start = end;
    }
    return retry;
  }

  private async bulkJob(ops: readonly WriteOp[], csv: string, outcome: WriteOutcome): Promise<WriteOp[]> {
    const first = ops[0]!;
    const object = this.names.object(first.object);
    // POST /jobs/ingest
    const job = await this.api.json<{ id: string }>('bulk', 'POST', '/jobs/ingest', {
      object, operation: first.externalId ? 'upsert' : 'update', contentType: 'CSV', lineEnding: 'LF',
      ...(first.externalId ? { externalIdFieldName: this.names.field(first.object, first.externalId.field) } : {}),
    });
    await this.options.onJob(job.id, first.object, 'Open');
    // PUT /jobs/ingest/{id}/batches
    await this.api.request('bulk', { method: 'PUT', path: `/jobs/ingest/${job.id}/batches`, body: csv, headers: { 'Content-Type': 'text/csv' } });
    // PATCH /jobs/ingest/{id}
    await this.api.json('bulk', 'PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    await this.options.onJob(job.id, first.object, 'UploadComplete');
    const final = await waitForJob(this.api, job.id, this.options.sleep, this.options.pollMs);
    await this.options.onJob(job.id, first.object, final.state);
    if (final.state !== 'JobComplete') {
      for (const op of ops) outcome.failures.push({ object: op.object, id: keyOf(op), message: `Bulk job ${job.id} ${final.state}: ${final.errorMessage ?? ''}` });
      return [];
    }
    const failed = new Map<string, string>();
    if ((final.numberRecordsFailed ?? 0) > 0) {
      // GET /jobs/ingest/{id}/failedResults
      // jsforce would guess the CSV delimiter among , ; | ^ — JSON and multi-select values hold those, so parse here.
      const text = await this.api.request<string>('bulk', { method: 'GET', path: `/jobs/ingest/${job.id}/failedResults`, text: true });
      const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      const keyColumn = first.externalId ? this.names.field(first.object, first.externalId.field) : 'Id';
      for (const row of rows) failed.set(String(row[keyColumn] || row.sf__Id), String(row.sf__Error ?? ''));
    }
    const retry: WriteOp[] = [];
    for (const op of ops) {
      const error = failed.get(keyOf(op));
      if (error === undefined) this.succeeded(op, outcome);
      else if (error.startsWith('UNABLE_TO_LOCK_ROW')) retry.push(op);
      else outcome.failures.push({ object: op.object, id: keyOf(op), message: error.replace(/:?\s*--\s*$/, '') });
    }
    return retry;
  }
}

export interface JobInfo {
  id: string;
  state: string;
  numberRecordsFailed?: number;
  numberRecordsProcessed?: number;
  errorMessage?: string;
}

/** Polls a job until it completes, fails or is aborted; the wait doubles from pollMs up to 10 s. */
export const waitForJob = async (api: SalesforceApi, id: string, sleep: (ms: number) => Promise<void>, pollMs: number): Promise<JobInfo> => {
  for (let i = 0; ; i++) {
    await sleep(Math.min(10_000, pollMs * 2 ** i));
    // GET /jobs/ingest/{id}
    const info = (await api.get('bulk', `/jobs/ingest/${id}`)) as JobInfo;
    if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted') return info;
  }
};
