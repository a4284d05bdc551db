// CSV in and out, in the dialect of Salesforce's Data Loader and Data Export: a header row, RFC 4180 quoting, UTF-8
// (with or without a byte-order mark), CRLF or LF.
import { AppError } from './errors.ts';
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

export const toCsv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  stringify([header as unknown[], ...(rows as unknown[][])], { record_delimiter: 'unix' });
