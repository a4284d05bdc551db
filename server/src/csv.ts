// CSV in and out, in the dialect of Salesforce's Data Loader and Data Export: a header row, RFC 4180 quoting, UTF-8
// (with or without a byte-order mark), CRLF or LF.
import { AppError } from './errors.ts';
import { closeSync, openSync, readSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export interface CsvRow {
  /** 1-based line in the file where the row starts (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

export class CsvError extends AppError {
  readonly file: string;
  readonly line: number | null;
  constructor(file: string, line: number | null, message: string) {
    super('bad_input', `${file}${line ? `, line ${line}` : ''}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

export const parseCsv = (text: string, file: string): { header: string[]; rows: CsvRow[] } => {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new CsvError(file, e.lines ?? null, e.message.replace(/^Invalid (Record Length|Closing Quote|Opening Quote):\s*/i, (m) => m));
  }
  const [head, ...body] = records;
  if (!head) throw new CsvError(file, null, 'the file is empty (no header row)');
  const header = head.record.map((h) => h.trim());
  return {
    header,
    rows: body.map(({ record, info }) => ({
      line: info.lines,
      values: Object.fromEntries(header.map((h, i) => [h, record[i] ?? ''])),
    })),
  };
};

/** Rows as CSV text, after a header row unless `header` is null (the next block of a file being written). */
export const toCsv = (header: readonly string[] | null, rows: readonly (readonly unknown[])[]): string =>
  stringify(header ? [header as unknown[], ...(rows as unknown[][])] : (rows as unknown[][]), { record_delimiter: 'unix' });

/** Bytes read and parsed at a time: a file of any size is held one block at a time. */
const BLOCK = 8 << 20;

/**
 * Reads a CSV file a block at a time and hands over its header, then each row with its line number. A block ends at
 * the last line break outside quotes (RFC 4180 doubles a quote inside a quoted field, so quote parity tells), and is
 * parsed by csv-parse like a whole file would be; line numbers run on across blocks.
 */
export const readCsvRows = (path: string, file: string, onHeader: (header: string[]) => void, onRow: (row: string[], line: number) => void): number => {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(BLOCK);
  let carry = '';
  let quoted = false;
  let firstLine = 1;
  let header: string[] | null = null;
  let rows = 0;
  const decoder = new TextDecoder('utf-8');
  const parseBlock = (text: string, last: boolean): void => {
    if (!text) return;
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { bom: firstLine === 1, relax_column_count: false, skip_empty_lines: true, info: true }) as unknown as typeof records;
    } catch (error) {
      const e = error as { lines?: number; message: string };
      throw new CsvError(file, e.lines === undefined ? null : e.lines + firstLine - 1, e.message);
    }
    for (const { record, info } of records) {
      if (!header) {
        header = record.map((h) => h.trim());
        onHeader(header);
        continue;
      }
      // csv-parse checks column counts within a block; across blocks the header's count is the rule.
      if (record.length !== header.length) throw new CsvError(file, info.lines + firstLine - 1, `Invalid Record Length: expect ${header.length}, got ${record.length}`);
      rows++;
      onRow(record, info.lines + firstLine - 1);
    }
    if (!last) firstLine += countLines(text);
  };
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, BLOCK, null);
      const text = carry + decoder.decode(buffer.subarray(0, n), { stream: n > 0 });
      if (n === 0) {
        parseBlock(text, true);
        break;
      }
      // The last line break outside quotes, scanning from where the carried-over text left off.
      let cut = -1;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) quoted = !quoted;
        else if (c === 10 && !quoted) cut = i;
      }
      // The carried tail starts right after a line break outside quotes: it is rescanned from there next time.
      if (cut < 0) {
        carry = text;
        quoted = false;
        continue;
      }
      parseBlock(text.slice(0, cut + 1), false);
      carry = text.slice(cut + 1);
      quoted = false;
    }
  } finally {
    closeSync(fd);
  }
  if (!header) throw new CsvError(file, null, 'the file is empty (no header row)');
  return rows;
};

const countLines = (text: string): number => {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
};
