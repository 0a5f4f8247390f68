import { tableWriter, type Cell, type TableFormat, type TableWriter } from '../exports/writers.js';
import { COLUMNS, type ImportKind } from './columns.js';

export type HeaderLanguage = 'en' | 'zh';

export const headerOf = (kind: ImportKind, key: string, lang: HeaderLanguage) => {
  const column = COLUMNS[kind].find((c) => c.key === key);
  return column ? (lang === 'zh' ? column.zh : column.en) : key;
};

/** Write a table in the background and hand out its stream at once (the reader drains it). */
export function streamTable(format: TableFormat, sheetName: string, write: (writer: TableWriter) => Promise<void>) {
  const writer = tableWriter(format, sheetName);
  void write(writer).then(() => writer.end()).catch((error: unknown) => writer.stream.destroy(error as Error));
  return writer.stream;
}

/**
 * A template to fill in: the header row (English or Chinese names; both are accepted on import,
 * required columns marked with *). The XLSX template has a second sheet describing each column
 * with an example; it is never read back (only the first sheet is imported).
 */
export function template(kind: ImportKind, format: TableFormat, lang: HeaderLanguage) {
  const columns = COLUMNS[kind];
  return streamTable(format, lang === 'zh' ? '数据' : 'data', async (writer) => {
    await writer.row(columns.map((c) => `${lang === 'zh' ? c.zh : c.en}${c.required ? '*' : ''}`));
    const help: Cell[][] = [['Column', '列名', 'Required 必填', 'Description', 'Example 示例']];
    for (const c of columns) help.push([c.en, c.zh, c.required ? 'yes 是' : '', c.description, c.example]);
    writer.sheet?.(lang === 'zh' ? '说明' : 'help', help);
  });
}
