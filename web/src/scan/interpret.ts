/**
 * What a scan is: GS1 data (fills GTIN, lot, expiry, serial, count), a plain code (a SKU, an item
 * barcode such as EAN-13, a location code), or an error to show. Pure: no DOM, no network.
 */
import { GS, Gs1Error, gtinForms, parseGs1, splitSymbologyId, toGtin14, type Gs1Data, type ParseOptions } from './gs1.js';

export type Scan =
  | { kind: 'gs1'; raw: string; data: Gs1Data; /** codes to look the item up by (GTIN forms, or the AI 240 SKU) */ itemCodes: string[] }
  | { kind: 'plain'; raw: string; code: string; /** set when the code is a GTIN with a valid check digit */ gtin?: string; itemCodes: string[] }
  | { kind: 'error'; raw: string; error: Gs1Error };

function looksLikeGs1(text: string): boolean {
  if (text.includes(GS) || text.includes('\u241d')) return true;
  if (/^\(\d{2,4}\)/.test(text)) return true;
  return false;
}

function itemCodesOf(data: Gs1Data): string[] {
  const codes = data.gtin ? gtinForms(data.gtin) : [];
  if (data.additionalId) codes.push(data.additionalId);
  return codes;
}

/**
 * Classifies one scan. GS1 symbology identifiers, GS separators and "(01)…" always mean GS1 (and
 * a parse error is shown as such). A bare digit string of more than 14 digits that starts with
 * (00)/(01)/(02) and parses cleanly is GS1 too (scanners often drop the identifier); anything else
 * is a plain code.
 */
export function interpretScan(input: string, options: ParseOptions = {}): Scan {
  const raw = input.replace(/[\r\n]+$/g, '');
  const trimmed = raw.trim();
  const { id, gs1 } = splitSymbologyId(trimmed);
  const custom = (options.separators ?? []).some((s) => s && trimmed.includes(s));
  if (gs1 || looksLikeGs1(trimmed) || custom) {
    try {
      const data = parseGs1(trimmed, options);
      return { kind: 'gs1', raw, data, itemCodes: itemCodesOf(data) };
    } catch (error) {
      if (error instanceof Gs1Error) return { kind: 'error', raw, error };
      throw error;
    }
  }
  const code = id ? trimmed.slice(3) : trimmed;
  if (code === '') return { kind: 'error', raw, error: new Gs1Error('empty', 'nothing scanned') };
  if (/^0[012]\d{14,}/.test(code)) {
    try {
      const data = parseGs1(code, options);
      if (data.gtin || data.sscc || data.content) return { kind: 'gs1', raw, data, itemCodes: itemCodesOf(data) };
    } catch {
      /* not GS1 after all: a plain code */
    }
  }
  const gtin = toGtin14(code);
  const itemCodes = [code];
  if (gtin) for (const form of gtinForms(gtin)) if (!itemCodes.includes(form)) itemCodes.push(form);
  return { kind: 'plain', raw, code, ...(gtin ? { gtin } : {}), itemCodes };
}
