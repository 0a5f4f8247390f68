import { gs1Date, gtin14, isCs82 } from './gs1.js';

/** What one label says: printed text and the data its barcode carries. Pure: no I/O. */
export type Symbology = 'code128' | 'qr' | 'datamatrix';
export const SYMBOLOGIES: readonly Symbology[] = ['code128', 'qr', 'datamatrix'];

export interface LabelContent {
  /** Printed largest (an item's name, a bin's code). */
  title: string;
  /** Smaller lines under the title. */
  lines: string[];
  /** `gs1`: `data` is a bracketed element string "(01)…(10)…" encoded as GS1 (FNC1) symbols. */
  barcode: { gs1: boolean; data: string; /** GS1 structure without a GTIN: not checked against the AI association rules. */ internal?: boolean };
}

/** Fits a GS1 AI, and no parentheses (the bracketed form bwip-js reads would split there). */
const fitsAi = (text: string, max: number) => isCs82(text, max) && !/[()]/.test(text);

export interface ItemLabelData { sku: string; name: string; unit: string; barcode: string | null; category: string | null }
export interface LocationLabelData { code: string; name: string; kind: string; warehouseCode: string; warehouseName: string }
export interface LotLabelData { code: string; expiresOn: string | null; item: ItemLabelData & { tracking: 'none' | 'lot' | 'serial' } }

/** An item: a GTIN barcode makes it a GS1 "(01)" label; otherwise the barcode is the SKU. */
export function itemLabel(item: ItemLabelData): LabelContent {
  const gtin = gtin14(item.barcode);
  return {
    title: item.name,
    lines: [item.sku, [item.unit, item.category].filter(Boolean).join(' · ')],
    barcode: gtin ? { gs1: true, data: `(01)${gtin}` } : { gs1: false, data: item.sku },
  };
}

/** A bin (or zone, or stock location): the barcode is its full code, what scan screens and the API take. */
export function locationLabel(location: LocationLabelData): LabelContent {
  const lastSegment = location.code.split('/').pop();
  return {
    title: location.code,
    lines: [location.name !== lastSegment ? location.name : '', `${location.warehouseCode} ${location.warehouseName}`].filter(Boolean),
    barcode: { gs1: false, data: location.code },
  };
}

/**
 * A lot or serial: GS1 "(01)GTIN(17)expiry(10)lot" (or (21) for a serial) when the item has a
 * GTIN; without one, AI 240 (additional product identification) carries the SKU so the scanner
 * still fills item and lot in one scan. A SKU or lot outside the GS1 character set (e.g. Chinese)
 * falls back to the lot code alone.
 */
export function lotLabel(lot: LotLabelData, today = new Date()): LabelContent {
  const { item } = lot;
  const serial = item.tracking === 'serial';
  const lotAi = serial ? '21' : '10';
  const gtin = gtin14(item.barcode);
  const expiry = gs1Date(lot.expiresOn, today);
  const lines = [item.sku, `${serial ? '序列号 S/N' : '批次 Lot'} ${lot.code}`];
  if (lot.expiresOn) lines.push(`有效期 EXP ${lot.expiresOn}`);
  const tail = `${expiry ? `(17)${expiry}` : ''}(${lotAi})${lot.code}`;
  let barcode: LabelContent['barcode'] = { gs1: false, data: lot.code };
  if (fitsAi(lot.code, 20)) {
    if (gtin) barcode = { gs1: true, data: `(01)${gtin}${tail}` };
    // Not a conformant GS1 string (AI 240, 17 and 10 require a GTIN), but its structure is GS1, so
    // Cangku's scanner (and any GS1 parser) fills item, expiry and lot from one scan.
    else if (fitsAi(item.sku, 30)) barcode = { gs1: true, data: `(240)${item.sku}${tail}`, internal: true };
  }
  return { title: item.name, lines, barcode };
}
