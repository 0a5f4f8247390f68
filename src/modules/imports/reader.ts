import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { DomainError } from '../../core/errors.js';

export type FileFormat = 'csv' | 'xlsx';

/** A row of a sheet: its row number in the file (the header is row 1) and its cells as text. */
export interface SheetRow {
  rowNo: number;
  cells: string[];
}

export interface SheetReader {
  /** Rows in batches (of up to 1000), in file order. */
  batches: AsyncGenerator<SheetRow[]>;
  /** Bytes of the file consumed so far (progress). */
  bytesRead(): number;
}

/** XLSX files are ZIP archives: they start with "PK\x03\x04". Everything else is read as CSV. */
export async function sniffFormat(path: string): Promise<FileFormat> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ? 'xlsx' : 'csv';
  } finally {
    await handle.close();
  }
}

/**
 * Stream the rows of the first sheet of a file, one at a time: memory stays bounded by a row and
 * the parsers' buffers, whatever the file size. Empty rows are skipped.
 */
export async function readSheet(path: string, format: FileFormat): Promise<SheetReader> {
  let bytes = 0;
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const counted = file.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    }),
  );
  counted.on('close', () => file.destroy());
  const rows = format === 'xlsx' ? xlsxRows(counted) : csvRows(counted, await sniffCsv(path));
  return { batches: unreadableAsInput(rows, format), bytesRead: () => bytes };
}

/** A file the parser cannot read (a broken ZIP, an unterminated quote) is bad input, reported on the job. */
async function* unreadableAsInput(rows: AsyncGenerator<SheetRow[]>, format: FileFormat): AsyncGenerator<SheetRow[]> {
  try {
    yield* rows;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('validation', `the file cannot be read as ${format.toUpperCase()}: ${(error as Error)?.message ?? String(error)}`);
  }
}

interface CsvShape {
  encoding: 'utf-8' | 'gb18030';
  delimiter: string;
}

/**
 * Excel on a Chinese Windows saves "CSV" in GB18030 (GBK), not UTF-8, and some tools write tabs or
 * semicolons. The first 64 KiB decide: not valid UTF-8 means GB18030; the delimiter is the most
 * frequent of , ; and tab on the first line.
 */
async function sniffCsv(path: string): Promise<CsvShape> {
  const handle = await open(path, 'r');
  try {
    const sample = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    const head = sample.subarray(0, bytesRead);
    let encoding: CsvShape['encoding'] = 'utf-8';
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    } catch {
      encoding = 'gb18030';
      text = new TextDecoder('gb18030').decode(head, { stream: true });
    }
    const firstLine = text.replace(/^\ufeff/, '').split(/\r?\n/, 1)[0] ?? '';
    const counts = [',', ';', '\t'].map((d) => ({ d, n: firstLine.split(d).length }));
    counts.sort((a, b) => b.n - a.n);
    return { encoding, delimiter: counts[0]!.n > 1 ? counts[0]!.d : ',' };
  } finally {
    await handle.close();
  }
}

function decoder(encoding: CsvShape['encoding']): Transform {
  const text = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, text.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, text.decode());
    },
  });
}

/**
 * Records are taken from the parser in batches (every record it has ready), not one promise per
 * record: for-await over a stream of 100,000 small records costs more than the parsing itself.
 */
async function* csvRows(file: Readable, shape: CsvShape): AsyncGenerator<SheetRow[]> {
  const parser = parse({ bom: true, delimiter: shape.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  file.pipe(decoder(shape.encoding)).pipe(parser);
  let rowNo = 0;
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  parser.on('readable', () => wake?.());
  parser.on('end', () => {
    ended = true;
    wake?.();
  });
  parser.on('error', (error) => {
    failure = error;
    wake?.();
  });
  try {
    for (;;) {
      const batch: SheetRow[] = [];
      let record: string[] | null;
      while (batch.length < 1000 && (record = parser.read() as string[] | null) !== null) {
        rowNo++;
        if (record.every((cell) => cell.trim() === '')) continue;
        batch.push({ rowNo, cells: record });
      }
      if (failure) throw failure;
      if (batch.length > 0) {
        yield batch;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    parser.destroy();
    file.destroy();
  }
}

async function* xlsxRows(file: Readable): AsyncGenerator<SheetRow[]> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let batch: SheetRow[] = [];
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (cells.every((cell) => cell.trim() === '')) continue;
        batch.push({ rowNo: row.number, cells });
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break; // the first sheet holds the data; later sheets (instructions) are not read
    }
  } finally {
    file.destroy();
  }
}

/** The text of an XLSX cell value: numbers as their shortest exact text, dates as YYYY-MM-DD. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}
