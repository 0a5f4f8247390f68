/**
 * GS1 element strings (GS1-128, GS1 DataMatrix, GS1 QR Code, and the human-readable "(01)…(10)…"
 * form) parsed into the fields a warehouse screen fills: GTIN, lot, expiry, serial, counts,
 * weights, SSCC.
 *
 * Pure TypeScript without imports: the browser scanner and Node unit tests use the same code.
 * Rules follow the GS1 General Specifications (section 3 for the AIs, 7.8 for separators and the
 * predefined-length table, 7.9 for check digits, 7.12 for the century of YY dates).
 */

/** ASCII 29, Group Separator: how FNC1 reaches us between variable-length elements. */
export const GS = '\u001d';
/** The visible "symbol for group separator" some scanner apps type instead of ASCII 29. */
const GS_SYMBOL = '\u241d';

export type Gs1Symbology = 'gs1-128' | 'gs1-datamatrix' | 'gs1-qr' | 'gs1-databar' | 'gs1-dotcode' | 'human-readable' | 'unknown';

export type Gs1ErrorCode =
  | 'empty'
  | 'not-gs1'
  | 'unknown-ai'
  | 'check-digit'
  | 'format'
  | 'length'
  | 'date'
  | 'charset';

export class Gs1Error extends Error {
  constructor(
    readonly code: Gs1ErrorCode,
    message: string,
    readonly ai?: string,
    /** Character offset in the element string (after the symbology identifier). */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'Gs1Error';
  }
}

type Kind = 'text' | 'int' | 'date' | 'decimal' | 'id' | 'digits';

interface AiSpec {
  title: string;
  /** N: digits only; X: GS1 character set 82. */
  charset: 'N' | 'X';
  /** Exact data length (fixed) or maximum (variable). */
  length: number;
  fixed: boolean;
  kind: Kind;
  /** Last digit is a GS1 mod-10 check digit (GTIN, SSCC, GLN). */
  check?: boolean;
  /** Unit of a measure AI (310n kg, 320n lb, ...). */
  unit?: string;
}

const n = (title: string, length: number, kind: Kind = 'digits', extra: Partial<AiSpec> = {}): AiSpec => ({ title, charset: 'N', length, fixed: true, kind, ...extra });
const nv = (title: string, length: number): AiSpec => ({ title, charset: 'N', length, fixed: false, kind: 'int' });
const xv = (title: string, length: number): AiSpec => ({ title, charset: 'X', length, fixed: false, kind: 'text' });

/** The application identifiers we understand; anything else is refused as unknown. */
const AIS: Record<string, AiSpec> = {
  '00': n('SSCC', 18, 'id', { check: true }),
  '01': n('GTIN', 14, 'id', { check: true }),
  '02': n('CONTENT', 14, 'id', { check: true }),
  '10': xv('BATCH/LOT', 20),
  '11': n('PROD DATE', 6, 'date'),
  '12': n('DUE DATE', 6, 'date'),
  '13': n('PACK DATE', 6, 'date'),
  '15': n('BEST BEFORE or BEST BY', 6, 'date'),
  '16': n('SELL BY', 6, 'date'),
  '17': n('USE BY OR EXPIRY', 6, 'date'),
  '20': n('VARIANT', 2),
  '21': xv('SERIAL', 20),
  '22': xv('CPV', 20),
  '240': xv('ADDITIONAL ID', 30),
  '241': xv('CUST. PART No.', 30),
  '250': xv('SECONDARY SERIAL', 30),
  '251': xv('REF. TO SOURCE', 30),
  '254': xv('GLN EXTENSION COMPONENT', 20),
  '30': nv('VAR. COUNT', 8),
  '37': nv('COUNT', 8),
  '400': xv("ORDER NUMBER", 30),
  '401': xv('GINC', 30),
  '402': n('GSIN', 17, 'id', { check: true }),
  '403': xv('ROUTE', 30),
  '410': n('SHIP TO LOC', 13, 'id', { check: true }),
  '411': n('BILL TO', 13, 'id', { check: true }),
  '412': n('PURCHASE FROM', 13, 'id', { check: true }),
  '413': n('SHIP FOR LOC', 13, 'id', { check: true }),
  '414': n('LOC No.', 13, 'id', { check: true }),
  '415': n('PAY TO', 13, 'id', { check: true }),
  '416': n('PROD/SERV LOC', 13, 'id', { check: true }),
  '420': xv('SHIP TO POST', 20),
  '422': n('ORIGIN', 3),
  '7003': n('EXPIRY TIME', 10),
  '8005': n('PRICE PER UNIT', 6),
  '8020': xv('REF No.', 25),
  '90': xv('INTERNAL', 30),
};
for (let i = 91; i <= 99; i++) AIS[String(i)] = xv('INTERNAL', 90);

/** Measures: 4-digit AIs whose last digit says where the decimal point goes (0-5). */
const MEASURES: Record<string, { title: string; unit: string }> = {
  '310': { title: 'NET WEIGHT (kg)', unit: 'kg' },
  '311': { title: 'LENGTH (m)', unit: 'm' },
  '312': { title: 'WIDTH (m)', unit: 'm' },
  '313': { title: 'HEIGHT (m)', unit: 'm' },
  '314': { title: 'AREA (m²)', unit: 'm2' },
  '315': { title: 'NET VOLUME (l)', unit: 'l' },
  '316': { title: 'NET VOLUME (m³)', unit: 'm3' },
  '320': { title: 'NET WEIGHT (lb)', unit: 'lb' },
  '330': { title: 'GROSS WEIGHT (kg)', unit: 'kg' },
};

/**
 * Total element length (AI + data) by the AI's first two digits, for the AIs that never need an
 * FNC1 after them (GS1 General Specifications, figure 7.8.5-2). All others end at FNC1/GS or at
 * the end of the symbol.
 */
const PREDEFINED_LENGTH: Record<string, number> = {
  '00': 20, '01': 16, '02': 16, '03': 16, '04': 18,
  '11': 8, '12': 8, '13': 8, '14': 8, '15': 8, '16': 8, '17': 8, '18': 8, '19': 8,
  '20': 4, '31': 10, '32': 10, '33': 10, '34': 10, '35': 10, '36': 10, '41': 16,
};

/** GS1 AI encodable character set 82. */
const CS82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

export interface Gs1Element {
  ai: string;
  title: string;
  /** The data as it was in the symbol. */
  raw: string;
  /** date: YYYY-MM-DD; decimal: exact decimal text ("1.250"); otherwise the raw data. */
  value: string;
  /** Decimal measures: the unit (kg, lb, m, ...). */
  unit?: string;
  /** Dates given with day 00: the value is the last day of that month. */
  dayOmitted?: boolean;
}

export interface Gs1Data {
  symbology: Gs1Symbology;
  elements: Gs1Element[];
  gtin?: string;
  content?: string;
  sscc?: string;
  lot?: string;
  serial?: string;
  /** AI 17 as YYYY-MM-DD (day 00: last day of the month). */
  expiry?: string;
  bestBefore?: string;
  productionDate?: string;
  packDate?: string;
  /** AI 37 (count of trade items in a logistic unit) or AI 30 (variable count). */
  count?: number;
  /** AI 310n as exact decimal text in kg. */
  netWeightKg?: string;
  netWeightLb?: string;
  /** AI 240, which Cangku's own lot labels use for the SKU of items without a GTIN. */
  additionalId?: string;
}

export interface ParseOptions {
  /** "Today" for the century of YY dates (GS1 7.12); defaults to now. */
  today?: Date;
  /** Extra characters a scanner was configured to send for FNC1 (e.g. '|' or '~'). */
  separators?: string[];
}

// --- check digits -------------------------------------------------------------------------------

/** GS1 mod-10 check digit of the digits before it (weights 3,1,3,… from the right). */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!/^\d+$/.test(digitsWithoutCheck)) throw new Gs1Error('format', 'check digit of non-digits');
  let sum = 0;
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const d = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && gs1CheckDigit(digits.slice(0, -1)) === Number(digits[digits.length - 1]);
}

/** GTIN-8, -12 (UPC-A), -13 (EAN-13) or -14 with a valid check digit, as GTIN-14; else undefined. */
export function toGtin14(code: string): string | undefined {
  const c = code.trim();
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(c) || !hasValidCheckDigit(c)) return undefined;
  return c.padStart(14, '0');
}

/**
 * The forms one GTIN may be stored in as an item barcode: the 14 digits and, when it has leading
 * zeros, EAN-13, UPC-A and EAN-8. An item created with barcode "6901234567892" is found by
 * "(01)06901234567892".
 */
export function gtinForms(gtin14: string): string[] {
  const forms = [gtin14];
  for (const len of [13, 12, 8]) if (gtin14.slice(0, 14 - len) === '0'.repeat(14 - len)) forms.push(gtin14.slice(14 - len));
  return forms;
}

// --- dates --------------------------------------------------------------------------------------

/** YYMMDD -> YYYY-MM-DD with the GS1 century rule; day 00 means the last day of the month. */
export function gs1Date(yymmdd: string, today: Date = new Date()): { date: string; dayOmitted: boolean } {
  if (!/^\d{6}$/.test(yymmdd)) throw new Gs1Error('date', `date ${yymmdd} is not YYMMDD`);
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  const thisYear = today.getUTCFullYear();
  const century = Math.floor(thisYear / 100) * 100;
  const diff = yy - (thisYear % 100);
  // 7.12: more than 50 years ahead means the previous century; 50 or more behind, the next.
  const year = diff >= 51 ? century - 100 + yy : diff <= -50 ? century + 100 + yy : century + yy;
  if (mm < 1 || mm > 12) throw new Gs1Error('date', `date ${yymmdd}: month ${mm} does not exist`);
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd > lastDay) throw new Gs1Error('date', `date ${yymmdd}: day ${dd} does not exist in ${year}-${String(mm).padStart(2, '0')}`);
  const day = dd === 0 ? lastDay : dd;
  return { date: `${year}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`, dayOmitted: dd === 0 };
}

// --- the element string -------------------------------------------------------------------------

const SYMBOLOGY_IDS: Record<string, Gs1Symbology> = {
  ']C1': 'gs1-128',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']e0': 'gs1-databar',
  ']J1': 'gs1-dotcode',
};

/** Splits off an AIM symbology identifier (`]C1`, `]d2`, `]Q3`, ...) if the scanner sent one. */
export function splitSymbologyId(input: string): { id?: string; gs1?: Gs1Symbology; rest: string } {
  const m = /^\][A-Za-z][0-9A-Za-z]/.exec(input);
  if (!m) return { rest: input };
  return { id: m[0], gs1: SYMBOLOGY_IDS[m[0]], rest: input.slice(3) };
}

function specFor(ai: string): AiSpec | undefined {
  const measure = MEASURES[ai.slice(0, 3)];
  if (ai.length === 4 && measure && /[0-5]/.test(ai[3]!)) return { title: measure.title, charset: 'N', length: 6, fixed: true, kind: 'decimal', unit: measure.unit };
  return AIS[ai];
}

/** The AI at the start of `s`: AIs are prefix-free, so the first 2-, 3- or 4-digit match is it. */
function readAi(s: string, position: number): { ai: string; spec: AiSpec } {
  for (const len of [2, 3, 4]) {
    const ai = s.slice(0, len);
    if (ai.length < len || !/^\d+$/.test(ai)) break;
    const spec = specFor(ai);
    if (spec) return { ai, spec };
  }
  const shown = s.slice(0, 4);
  if (!/^\d{2}/.test(shown)) throw new Gs1Error('format', `expected an application identifier at position ${position}, found "${shown}"`, undefined, position);
  throw new Gs1Error('unknown-ai', `unknown application identifier ${/^\d{4}/.test(shown) ? shown : shown.slice(0, 2)}… at position ${position}`, shown, position);
}

function decimalText(digits: string, decimals: number): string {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (decimals === 0) return trimmed;
  const padded = trimmed.padStart(decimals + 1, '0');
  return `${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}

function element(ai: string, spec: AiSpec, raw: string, position: number, today: Date): Gs1Element {
  if (raw.length === 0) throw new Gs1Error('length', `(${ai}) ${spec.title} is empty`, ai, position);
  if (spec.fixed && raw.length !== spec.length) throw new Gs1Error('length', `(${ai}) ${spec.title} needs ${spec.length} digits, got ${raw.length}`, ai, position);
  if (!spec.fixed && raw.length > spec.length) throw new Gs1Error('length', `(${ai}) ${spec.title} is at most ${spec.length} characters, got ${raw.length}`, ai, position);
  if (spec.charset === 'N' && !/^\d+$/.test(raw)) throw new Gs1Error('format', `(${ai}) ${spec.title} must be digits: "${raw}"`, ai, position);
  if (spec.charset === 'X' && !CS82.test(raw)) throw new Gs1Error('charset', `(${ai}) ${spec.title} has a character outside the GS1 character set: "${raw}"`, ai, position);
  if (spec.check && !hasValidCheckDigit(raw)) {
    throw new Gs1Error('check-digit', `(${ai}) ${spec.title} ${raw}: check digit should be ${gs1CheckDigit(raw.slice(0, -1))}, not ${raw.slice(-1)}`, ai, position);
  }
  const base = { ai, title: spec.title, raw };
  switch (spec.kind) {
    case 'date': {
      try {
        const { date, dayOmitted } = gs1Date(raw, today);
        return { ...base, value: date, ...(dayOmitted ? { dayOmitted } : {}) };
      } catch (e) {
        throw new Gs1Error('date', `(${ai}) ${(e as Error).message}`, ai, position);
      }
    }
    case 'decimal':
      return { ...base, value: decimalText(raw, Number(ai[3])), unit: spec.unit };
    case 'int':
      return { ...base, value: String(Number(raw)) };
    default:
      return { ...base, value: raw };
  }
}

/** Parses the bracketed form "(01)09501101530003(17)140704(10)AB-123". */
function parseHumanReadable(input: string, today: Date): Gs1Element[] {
  const elements: Gs1Element[] = [];
  const re = /\((\d{2,4})\)/g;
  const marks: Array<{ ai: string; start: number; end: number }> = [];
  for (let m = re.exec(input); m; m = re.exec(input)) marks.push({ ai: m[1]!, start: m.index, end: m.index + m[0].length });
  if (marks.length === 0 || marks[0]!.start !== 0) throw new Gs1Error('format', 'a bracketed element string starts with (AI)', undefined, 0);
  // A lot may itself contain "(nn)"; only parentheses around a known AI start a new element.
  const known = marks.filter((mk, i) => i === 0 || specFor(mk.ai));
  known.forEach((mk, i) => {
    const spec = specFor(mk.ai);
    if (!spec) throw new Gs1Error('unknown-ai', `unknown application identifier (${mk.ai})`, mk.ai, mk.start);
    const raw = input.slice(mk.end, i + 1 < known.length ? known[i + 1]!.start : input.length);
    elements.push(element(mk.ai, spec, raw, mk.end, today));
  });
  return elements;
}

/** Parses the raw form: AIs back to back, variable-length data ended by GS (FNC1). */
function parseRaw(input: string, today: Date): Gs1Element[] {
  const elements: Gs1Element[] = [];
  let pos = 0;
  while (pos < input.length) {
    if (input[pos] === GS) {
      pos++; // FNC1 after a predefined-length element is allowed, and a double one is harmless
      continue;
    }
    const { ai, spec } = readAi(input.slice(pos), pos);
    const dataStart = pos + ai.length;
    const predefined = PREDEFINED_LENGTH[ai.slice(0, 2)];
    let dataEnd: number;
    if (predefined !== undefined) {
      dataEnd = pos + predefined;
      if (dataEnd > input.length) throw new Gs1Error('length', `(${ai}) ${spec.title} needs ${predefined - ai.length} digits, got ${input.length - dataStart}`, ai, dataStart);
      const gsInside = input.slice(dataStart, dataEnd).indexOf(GS);
      if (gsInside >= 0) throw new Gs1Error('length', `(${ai}) ${spec.title} needs ${predefined - ai.length} digits, got ${gsInside}`, ai, dataStart);
    } else {
      const gs = input.indexOf(GS, dataStart);
      dataEnd = gs < 0 ? input.length : gs;
    }
    elements.push(element(ai, spec, input.slice(dataStart, dataEnd), dataStart, today));
    pos = dataEnd;
  }
  return elements;
}

function summarize(symbology: Gs1Symbology, elements: Gs1Element[]): Gs1Data {
  const data: Gs1Data = { symbology, elements };
  const seen = new Map<string, string>();
  for (const e of elements) {
    const before = seen.get(e.ai);
    // The same AI twice with different data is contradictory (GS1 7.8.6 forbids it).
    if (before !== undefined && before !== e.raw) throw new Gs1Error('format', `(${e.ai}) appears twice with different values`, e.ai);
    seen.set(e.ai, e.raw);
    switch (e.ai) {
      case '00': data.sscc = e.value; break;
      case '01': data.gtin = e.value; break;
      case '02': data.content = e.value; break;
      case '10': data.lot = e.value; break;
      case '11': data.productionDate = e.value; break;
      case '13': data.packDate = e.value; break;
      case '15': data.bestBefore = e.value; break;
      case '17': data.expiry = e.value; break;
      case '21': data.serial = e.value; break;
      case '30': data.count ??= Number(e.value); break;
      case '37': data.count = Number(e.value); break;
      case '240': data.additionalId = e.value; break;
      default:
        if (e.ai.startsWith('310')) data.netWeightKg = e.value;
        else if (e.ai.startsWith('320')) data.netWeightLb = e.value;
    }
  }
  return data;
}

/**
 * Parses a scanned or typed GS1 element string. Accepts an AIM symbology identifier (`]C1`,
 * `]d2`, `]Q3`, `]e0`), a leading FNC1, GS (ASCII 29) separators (or the ␝ symbol, or the
 * separators in `options`), and the bracketed human-readable form. Throws Gs1Error on unknown
 * AIs, bad check digits, impossible dates, wrong lengths and characters outside the GS1 set.
 */
export function parseGs1(input: string, options: ParseOptions = {}): Gs1Data {
  const today = options.today ?? new Date();
  let text = input.replace(/[\r\n]+$/g, '');
  if (text.trim() === '') throw new Gs1Error('empty', 'nothing scanned');
  const { id, gs1, rest } = splitSymbologyId(text);
  if (id && !gs1) throw new Gs1Error('not-gs1', `symbology ${id} does not carry GS1 data`);
  text = rest.split(GS_SYMBOL).join(GS);
  for (const sep of options.separators ?? []) if (sep) text = text.split(sep).join(GS);
  text = text.replace(/^\u001d+/, ''); // FNC1 in first position only flags the symbol as GS1
  if (text.startsWith('(')) return summarize(gs1 ?? 'human-readable', parseHumanReadable(text, today));
  return summarize(gs1 ?? 'unknown', parseRaw(text, today));
}

/** The bracketed human-readable form of parsed elements, e.g. for showing what was scanned. */
export function toHumanReadable(elements: ReadonlyArray<Pick<Gs1Element, 'ai' | 'raw'>>): string {
  return elements.map((e) => `(${e.ai})${e.raw}`).join('');
}
