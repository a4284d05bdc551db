// CSV in and out, in the dialect of Salesforce's Data Loader and Data Export: a header row, RFC 4180 quoting, UTF-8
// (with or without a byte-order mark), CRLF or LF. Also read, because spreadsheets save them: UTF-16 with its
// byte-order mark (Excel's "Unicode text"), and semicolon- or tab-separated columns (Excel in locales whose decimal
// separator is a comma). Anything else is refused in one line naming the file — never imported as garbage.
import { AppError } from './errors.ts';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
    const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
    records = parse(text, { bom: true, delimiter: detectDelimiter(firstLine), relax_column_count: false, skip_empty_lines: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
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

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * The encoding of a file from its first bytes: a UTF-16 byte-order mark says which UTF-16; NUL bytes without one are
 * UTF-16 nobody can read reliably (refused); anything else is read as UTF-8 and checked byte by byte.
 */
export const detectEncoding = (head: Uint8Array, file: string): CsvEncoding => {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head.subarray(0, 4096).includes(0)) throw new CsvError(file, null, 'holds NUL bytes: it looks like UTF-16 without a byte-order mark, or not text at all; save it as CSV UTF-8');
  return 'utf-8';
};

/** The offset of the first byte that is not part of valid UTF-8 in `bytes` (a sequence cut by the block end is valid). */
export const invalidUtf8At = (bytes: Uint8Array): number => {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -1;
      const c = bytes[i + k]!;
      const low = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
      const high = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
      if (c < low || c > high) return i;
    }
    i += need + 1;
  }
  return -1;
};

const countByte = (bytes: Uint8Array, byte: number, end = bytes.length): number => {
  let n = 0;
  for (let i = bytes.indexOf(byte); i >= 0 && i < end; i = bytes.indexOf(byte, i + 1)) n++;
  return n;
};

/** The column separator, from the header line: commas, else semicolons or tabs when the header has those only. */
export const detectDelimiter = (headerLine: string): ',' | ';' | '\t' => {
  const outside = headerLine.replace(/"[^"]*"/g, '');
  const count = (c: string): number => outside.split(c).length - 1;
  if (count(',') > 0) return ',';
  if (count(';') > 0 && count(';') >= count('\t')) return ';';
  if (count('\t') > 0) return '\t';
  return ',';
};

/**
 * Reads a CSV file a block at a time and hands over its header, then each row with its line number. A block ends at
 * the last line break outside quotes (RFC 4180 doubles a quote inside a quoted field, so quote parity tells), and is
 * parsed by csv-parse like a whole file would be; line numbers run on across blocks.
 */
export const readCsvRows = (path: string, file: string, onHeader: (header: string[]) => void, onRow: (row: string[], line: number) => void): number => {
  let fd: number;
  try {
    fd = openSync(path, 'r');
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw new CsvError(file, null, 'is a folder (or a device), not a file');
    }
  } catch (error) {
    if (error instanceof CsvError) throw error;
    throw new CsvError(file, null, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const buffer = Buffer.alloc(BLOCK);
  let carry = '';
  let quoted = false;
  let firstLine = 1;
  let header: string[] | null = null;
  let rows = 0;
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  let encoding: CsvEncoding = 'utf-8';
  let delimiter: string | null = null;
  /** Line breaks in the bytes read before this block: where an invalid byte is, in lines. */
  let linesBefore = 0;
  const parseBlock = (text: string, last: boolean): void => {
    if (!text) return;
    delimiter ??= detectDelimiter(text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length));
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, { bom: firstLine === 1, delimiter, relax_column_count: false, skip_empty_lines: true, info: true }) as unknown as typeof records;
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
      const bytes = buffer.subarray(0, n);
      if (!decoder) {
        encoding = detectEncoding(bytes, file);
        decoder = new TextDecoder(encoding, { fatal: true });
      }
      let decoded: string;
      try {
        decoded = decoder.decode(bytes, { stream: n > 0 });
      } catch {
        const at = encoding === 'utf-8' ? invalidUtf8At(bytes) : -1;
        const line = linesBefore + 1 + (at >= 0 ? countByte(bytes, 10, at) : 0);
        throw new CsvError(file, at >= 0 ? line : null, encoding === 'utf-8' ? 'is not valid UTF-8 here (a byte no character starts with); save the file as CSV UTF-8' : `is not valid ${encoding.toUpperCase()}`);
      }
      if (encoding === 'utf-8') linesBefore += countByte(bytes, 10);
      const text = carry + decoded;
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
