import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

/**
 * Printable documents (PO, receipt, put-away list, count sheet, ...) for the paper that still walks
 * the warehouse floor. A4, one title block, a table of lines; Noto Sans SC so Chinese prints.
 */
const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');

export interface PrintColumn {
  header: string;
  /** Share of the table width (the shares are normalized). */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface PrintableDocument {
  /** e.g. "采购订单 Purchase order" */
  title: string;
  /** The document's reference, e.g. PO-000012. */
  number: string;
  /** Label/value pairs printed under the title (supplier, warehouse, dates, status...). */
  fields: Array<[string, string]>;
  columns: PrintColumn[];
  rows: string[][];
  /** Lines printed after the table (totals, notes, signature lines). */
  footer?: string[];
}

const MARGIN = 40;

export function renderPdf(doc: PrintableDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${doc.title} ${doc.number}`, Producer: 'Cangku' } });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.registerFont('regular', FONT_REGULAR);
    pdf.registerFont('bold', FONT_BOLD);

    pdf.font('bold').fontSize(16).text(doc.title, { continued: false });
    pdf.font('regular').fontSize(11).text(doc.number);
    pdf.moveDown(0.5);
    pdf.fontSize(9);
    for (const [label, value] of doc.fields) pdf.font('bold').text(`${label}: `, { continued: true }).font('regular').text(value);
    pdf.moveDown();

    const tableWidth = pdf.page.width - 2 * MARGIN;
    const total = doc.columns.reduce((s, c) => s + c.width, 0);
    const widths = doc.columns.map((c) => (c.width / total) * tableWidth);
    const drawRow = (cells: string[], font: 'regular' | 'bold') => {
      pdf.font(font).fontSize(9);
      const heights = cells.map((cell, i) => pdf.heightOfString(cell, { width: widths[i]! - 6 }));
      const height = Math.max(14, ...heights) + 4;
      if (pdf.y + height > pdf.page.height - MARGIN) pdf.addPage();
      const top = pdf.y;
      let x = MARGIN;
      cells.forEach((cell, i) => {
        pdf.text(cell, x + 3, top + 2, { width: widths[i]! - 6, align: doc.columns[i]?.align ?? 'left' });
        x += widths[i]!;
      });
      pdf.moveTo(MARGIN, top + height).lineTo(MARGIN + tableWidth, top + height).lineWidth(0.5).stroke('#999999');
      pdf.x = MARGIN;
      pdf.y = top + height;
    };
    drawRow(doc.columns.map((c) => c.header), 'bold');
    for (const row of doc.rows) drawRow(row, 'regular');

    if (doc.footer?.length) {
      pdf.moveDown();
      pdf.font('regular').fontSize(9);
      for (const line of doc.footer) pdf.text(line, MARGIN);
    }
    pdf.end();
  });
}
