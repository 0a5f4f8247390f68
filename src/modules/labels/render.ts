import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { fieldError } from '../../core/errors.js';
import type { LabelContent, Symbology } from './content.js';

/**
 * Labels as a PDF: one page per label for roll printers (the page is the label, so the printer
 * driver needs no layout), or a grid on A4 sheets for office printers. Barcodes come from bwip-js
 * as PNG at print resolution; text is Noto Sans SC so Chinese names print.
 */
const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts() {
  fonts ??= {
    regular: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')),
    bold: readFileSync(require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')),
  };
  return fonts;
}

export interface LabelSize {
  id: string;
  description: string;
  widthMm: number;
  heightMm: number;
  /** Labels on a sheet: the page size and the grid; absent for one label per page (roll printers). */
  sheet?: { pageWidthMm: number; pageHeightMm: number; columns: number; rows: number; leftMm: number; topMm: number };
}

export const LABEL_SIZES: readonly LabelSize[] = [
  { id: '50x30', description: '50 × 30 mm roll label (thermal printers: Zebra, TSC, Deli, Gprinter)', widthMm: 50, heightMm: 30 },
  { id: '60x40', description: '60 × 40 mm roll label', widthMm: 60, heightMm: 40 },
  { id: '100x50', description: '100 × 50 mm roll label (bins, shelves)', widthMm: 100, heightMm: 50 },
  { id: '100x150', description: '100 × 150 mm (4 × 6 in) shipping-size label', widthMm: 100, heightMm: 150 },
  {
    id: 'a4-3x8', description: 'A4 sheet of 24 labels, 70 × 37 mm, 3 columns × 8 rows', widthMm: 70, heightMm: 37,
    sheet: { pageWidthMm: 210, pageHeightMm: 297, columns: 3, rows: 8, leftMm: 0, topMm: 0.5 },
  },
];
export const DEFAULT_SIZE = '50x30';

const pt = (mm: number) => (mm * 72) / 25.4;

function bcid(symbology: Symbology, gs1: boolean): string {
  if (symbology === 'code128') return gs1 ? 'gs1-128' : 'code128';
  if (symbology === 'qr') return gs1 ? 'gs1qrcode' : 'qrcode';
  return gs1 ? 'gs1datamatrix' : 'datamatrix';
}

/** The barcode as PNG. Code 128 takes ASCII only; 2D symbols carry other text as UTF-8 bytes. */
export async function barcodePng(content: LabelContent, symbology: Symbology, field: string): Promise<Buffer> {
  const { gs1, data } = content.barcode;
  const ascii = /^[\x20-\x7e]*$/.test(data);
  if (symbology === 'code128' && !ascii) throw fieldError(field, `Code 128 cannot encode "${data}": choose qr or datamatrix`);
  const text = ascii ? data : Buffer.from(data, 'utf8').toString('latin1');
  try {
    return await bwipjs.toBuffer({
      bcid: bcid(symbology, gs1),
      text,
      scale: 4,
      ...(symbology === 'code128' ? { height: 12 } : {}),
      ...(symbology === 'qr' ? { eclevel: 'M' } : {}),
      ...(content.barcode.internal ? { dontlint: true } : {}),
    } as Parameters<typeof bwipjs.toBuffer>[0]);
  } catch (error) {
    // bwip-js refuses data the symbology cannot carry (too long, bad GS1): the caller's input, not a server fault.
    throw fieldError(field, `cannot encode "${data}" as ${symbology}: ${String((error as Error).message ?? error).replace(/^bwipp\.\w+#\d+:\s*/, '')}`);
  }
}

interface Box { x: number; y: number; w: number; h: number }

function drawText(pdf: PDFKit.PDFDocument, text: string, font: 'regular' | 'bold', size: number, x: number, y: number, width: number): number {
  if (!text) return y;
  pdf.font(font).fontSize(size);
  const height = size * 1.25;
  pdf.text(text, x, y, { width, height, ellipsis: true, lineGap: 0 });
  return y + height;
}

function drawLabel(pdf: PDFKit.PDFDocument, content: LabelContent, png: Buffer, symbology: Symbology, box: Box): void {
  const pad = Math.min(pt(2), box.h * 0.07);
  const inner: Box = { x: box.x + pad, y: box.y + pad, w: box.w - 2 * pad, h: box.h - 2 * pad };
  const titleSize = Math.max(6, Math.min(14, inner.h * 0.13));
  const lineSize = Math.max(5, titleSize * 0.72);
  if (symbology === 'code128') {
    let y = drawText(pdf, content.title, 'bold', titleSize, inner.x, inner.y, inner.w);
    for (const line of content.lines) y = drawText(pdf, line, 'regular', lineSize, inner.x, y, inner.w);
    const readable = content.barcode.data;
    const readableSize = Math.max(5, lineSize * 0.9);
    const barTop = y + pad * 0.5;
    const barHeight = Math.max(pt(6), inner.y + inner.h - readableSize * 1.3 - barTop);
    // Stretched to the label's width: every module scales alike, so the symbol stays valid and as wide as it can be.
    pdf.image(png, inner.x, barTop, { width: inner.w, height: barHeight });
    drawText(pdf, readable, 'regular', readableSize, inner.x, barTop + barHeight + 1, inner.w);
    return;
  }
  const side = Math.min(inner.h, inner.w * 0.45);
  pdf.image(png, inner.x, inner.y + (inner.h - side) / 2, { width: side, height: side });
  const tx = inner.x + side + pad;
  const tw = inner.w - side - pad;
  let y = drawText(pdf, content.title, 'bold', titleSize, tx, inner.y, tw);
  for (const line of content.lines) y = drawText(pdf, line, 'regular', lineSize, tx, y, tw);
  // The encoded data may be long (GS1 with lot and expiry): it wraps into the space left.
  const dataSize = Math.max(5, lineSize * 0.85);
  const bottom = inner.y + inner.h;
  const dataHeight = Math.max(dataSize * 1.25, bottom - y);
  pdf.font('regular').fontSize(dataSize).text(content.barcode.data, tx, Math.min(y, bottom - dataSize * 1.25), { width: tw, height: dataHeight, ellipsis: true, lineGap: 0 });
}

export interface PrintRequest {
  labels: Array<{ content: LabelContent; copies: number; field: string }>;
  symbology: Symbology;
  size: LabelSize;
  title: string;
}

export async function renderLabels(request: PrintRequest): Promise<Buffer> {
  const { size, symbology } = request;
  // Encode every barcode first: a label that cannot be encoded refuses the whole request.
  const pngs = await Promise.all(request.labels.map((l) => barcodePng(l.content, symbology, l.field)));
  const { regular, bold } = loadFonts();
  const sheet = size.sheet;
  const pageSize: [number, number] = sheet ? [pt(sheet.pageWidthMm), pt(sheet.pageHeightMm)] : [pt(size.widthMm), pt(size.heightMm)];
  const pdf = new PDFDocument({ size: pageSize, margin: 0, autoFirstPage: false, info: { Title: request.title, Producer: 'Cangku' } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', regular);
  pdf.registerFont('bold', bold);
  let slot = 0;
  const perPage = sheet ? sheet.columns * sheet.rows : 1;
  request.labels.forEach((label, i) => {
    for (let copy = 0; copy < label.copies; copy++, slot++) {
      if (slot % perPage === 0) pdf.addPage({ size: pageSize, margin: 0 });
      const cell = slot % perPage;
      const box: Box = sheet
        ? { x: pt(sheet.leftMm + (cell % sheet.columns) * size.widthMm), y: pt(sheet.topMm + Math.floor(cell / sheet.columns) * size.heightMm), w: pt(size.widthMm), h: pt(size.heightMm) }
        : { x: 0, y: 0, w: pageSize[0], h: pageSize[1] };
      drawLabel(pdf, label.content, pngs[i]!, symbology, box);
    }
  });
  pdf.end();
  return done;
}
