import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

export type Cell = string | number | boolean | null | undefined;
export type TableFormat = 'csv' | 'xlsx';

export const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A table written row by row into a stream (an HTTP response), never held whole in memory. */
export interface TableWriter {
  readonly stream: Readable;
  row(cells: Cell[]): Promise<void>;
  /** A further sheet (XLSX only; CSV has one table and ignores it). */
  sheet?(name: string, rows: Cell[][]): void;
  end(): Promise<void>;
}

export function tableWriter(format: TableFormat, sheetName: string): TableWriter {
  return format === 'xlsx' ? xlsxWriter(sheetName) : csvWriter();
}

/**
 * A cell as CSV text. Text that a spreadsheet would run as a formula (= + - @ at the start) gets a
 * leading apostrophe (OWASP CSV injection), unless it is a plain number such as -5.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly; CRLF line ends (RFC 4180). */
function csvWriter(): TableWriter {
  const stream = new PassThrough();
  let buffer = '\ufeff';
  const flush = async () => {
    if (buffer === '') return;
    const ok = stream.write(buffer);
    buffer = '';
    if (!ok) await once(stream, 'drain');
  };
  return {
    stream,
    async row(cells) {
      buffer += cells.map(csvCell).join(',') + '\r\n';
      if (buffer.length > 64 * 1024) await flush();
    },
    async end() {
      await flush();
      stream.end();
    },
  };
}

/** ExcelJS's streaming writer: rows are committed (written out) as they come. */
function xlsxWriter(sheetName: string): TableWriter {
  const stream = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const main = workbook.addWorksheet(sheetName.slice(0, 31));
  const later: Array<{ name: string; rows: Cell[][] }> = [];
  let rows = 0;
  return {
    stream,
    async row(cells) {
      main.addRow(cells.map((c) => (c === undefined ? null : c))).commit();
      // Let the zip stream drain now and then; ExcelJS itself does not wait for the reader.
      if (++rows % 1000 === 0 && stream.writableNeedDrain) await once(stream, 'drain');
    },
    sheet(name, sheetRows) {
      later.push({ name, rows: sheetRows });
    },
    async end() {
      main.commit();
      for (const extra of later) {
        const sheet = workbook.addWorksheet(extra.name.slice(0, 31));
        for (const r of extra.rows) sheet.addRow(r.map((c) => (c === undefined ? null : c))).commit();
        sheet.commit();
      }
      await workbook.commit();
    },
  };
}
