/**
 * The little GS1 the label printer needs: is an item barcode a GTIN, and the bracketed element
 * string bwip-js encodes as GS1-128 / GS1 DataMatrix / GS1 QR. (The full parser the scanners use
 * is web/src/scan/gs1.ts.)
 */

export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(digits.length - 1 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** A GTIN-8/12/13/14 with a valid check digit, as 14 digits; else null. */
export function gtin14(barcode: string | null): string | null {
  if (!barcode || !/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(barcode)) return null;
  if (gs1CheckDigit(barcode.slice(0, -1)) !== Number(barcode[barcode.length - 1])) return null;
  return barcode.padStart(14, '0');
}

/** GS1 character set 82: what AI 10, 21 and 240 may hold. */
export const isCs82 = (text: string, max: number) => text.length >= 1 && text.length <= max && /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/.test(text);

/** YYYY-MM-DD as the YYMMDD of AI 17, when a scanner reading it back gets the same century (GS1 7.12). */
export function gs1Date(iso: string | null, today = new Date()): string | null {
  if (!iso) return null;
  const year = Number(iso.slice(0, 4));
  const thisYear = today.getUTCFullYear();
  if (year < thisYear - 49 || year > thisYear + 50) return null;
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}
