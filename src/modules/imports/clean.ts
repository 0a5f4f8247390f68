/**
 * Cleaning of spreadsheet cells before they are validated. Pure functions, no I/O.
 *
 * Chinese spreadsheets often carry full-width characters (ＡＢＣ１２３, full-width spaces and
 * punctuation) typed with an IME, stray spaces and inconsistent case in codes. NFKC folds the
 * full-width forms to their ASCII twins; runs of white space become one space; the ends are trimmed.
 */
export function cleanCell(raw: string): string {
  if (ASCII.test(raw) && !/^ | $|  /.test(raw)) return raw; // the common case, nothing to clean
  return raw.normalize('NFKC').replace(/[\s\u200b\ufeff]+/gu, ' ').trim();
}

export type CodeCase = 'keep' | 'upper' | 'lower';

export function applyCodeCase(code: string, codeCase: CodeCase): string {
  return codeCase === 'upper' ? code.toUpperCase() : codeCase === 'lower' ? code.toLowerCase() : code;
}

/**
 * The form two codes or names are compared in to find near-duplicates: case-folded, without
 * white space and the separators people use interchangeably (- _ . / space). "AB-01", "ab01" and
 * "ＡＢ_０１" all become "ab01".
 */
export function comparableForm(text: string): string {
  const folded = ASCII.test(text) ? text : text.normalize('NFKC');
  return folded.toLowerCase().replace(/[\s\-_./\\·・]+/gu, '');
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * A decimal cell as text the exact parser accepts: "1,234.5" (thousands separators) becomes
 * "1234.5". Anything else is returned unchanged for parseScaled to accept or refuse.
 */
export function decimalCell(text: string): string {
  return /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replace(/,/g, '') : text;
}

/** A header cell reduced to what is compared with the known names of a column. */
export function headerKey(text: string): string {
  return cleanCell(text)
    .replace(/[(（][^)）]*[)）]/gu, '') // "数量 (qty)" -> "数量"
    .replace(/[*＊:：]/gu, '')
    .toLowerCase()
    .replace(/[\s\-_.]+/gu, '');
}
