/**
 * Exact decimals for quantities and money.
 *
 * Every quantity and amount is stored as a bigint scaled by 10^SCALE (micro-units), so sums in SQL
 * and in code are integer arithmetic. A unit's precision (0..SCALE decimals) limits what input is
 * accepted; it never changes how a value is stored, so quantities of different items add up.
 */
export const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
/**
 * Largest magnitude accepted from outside: 10^12 units is 10^18 micro-units, below int64's 9.2 * 10^18.
 * Products (qty * cost) can exceed it and go through `valueOf`, which refuses what does not fit.
 */
export const MAX_INPUT_INTEGER_DIGITS = 12;
/** Largest value (qty * cost) a move may carry, scaled: 10^12 currency units, with room for sums. */
export const MAX_SCALED_VALUE = 10n ** 18n;
export const MAX_SIGNIFICANT_DIGITS = 15;

export type Scaled = bigint;

export class DecimalFormatError extends Error {}

/** Canonical decimal text of a JSON number or a string, without exponent. */
function decimalText(value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new DecimalFormatError('must be a finite number');
    // String(n) is the shortest text that round-trips, so 0.1 stays "0.1"; expand exponents.
    const text = String(value);
    return /e/i.test(text) ? expandExponent(text) : text;
  }
  const text = value.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new DecimalFormatError('must be a decimal number');
  }
  return /e/i.test(text) ? expandExponent(text) : text;
}

function expandExponent(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
  if (!match) throw new DecimalFormatError('must be a decimal number');
  const [, sign = '', intPart = '', fracPart = '', expText = '0'] = match;
  const exp = Number(expText);
  if (Math.abs(exp) > 40) throw new DecimalFormatError('is out of range');
  let digits = intPart + fracPart;
  let point = intPart.length + exp;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point) || '0';
  const frac = digits.slice(point);
  return `${sign}${whole}${frac ? '.' + frac : ''}`;
}

/** Number of decimals the value really carries (trailing zeros do not count). */
export function decimalPlaces(value: number | string): number {
  const text = decimalText(value);
  const frac = text.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length;
}

/**
 * Parse a decimal into scaled units, rejecting more than `maxDecimals` decimals and magnitudes
 * beyond MAX_INPUT_INTEGER_DIGITS integer digits.
 */
export function parseScaled(value: number | string, maxDecimals: number = SCALE): Scaled {
  const text = decimalText(value);
  const negative = text.startsWith('-');
  const unsigned = text.replace(/^[+-]/, '');
  const [wholeRaw = '0', fracRaw = ''] = unsigned.split('.');
  const frac = fracRaw.replace(/0+$/, '');
  if (frac.length > maxDecimals) {
    throw new DecimalFormatError(
      maxDecimals === 0 ? 'must be a whole number' : `allows at most ${maxDecimals} decimals`,
    );
  }
  const whole = wholeRaw.replace(/^0+/, '');
  if (whole.length > MAX_INPUT_INTEGER_DIGITS) throw new DecimalFormatError('is out of range');
  // A JSON number (a double) carries 15 significant digits exactly; more would not come back as sent.
  if ((whole + frac).replace(/^0+/, '').length > MAX_SIGNIFICANT_DIGITS) throw new DecimalFormatError(`has more than ${MAX_SIGNIFICANT_DIGITS} significant digits`);
  const scaled = BigInt(whole || '0') * FACTOR + BigInt((frac + '0'.repeat(SCALE)).slice(0, SCALE) || '0');
  return negative ? -scaled : scaled;
}

/** Scaled units as plain decimal text ("12.5", "-3", "0.000001"). */
export function formatScaled(value: Scaled): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

/**
 * Scaled units as a JSON number. The contract speaks JSON numbers; the text is exact and a double
 * represents every value we accept (at most 12 integer digits and 6 decimals) to that text.
 */
export function toJsonNumber(value: Scaled): number {
  return Number(formatScaled(value));
}

/** Coerce what a driver returns for a BIGINT column (bigint, number or string) into a bigint. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (value === null || value === undefined) return 0n;
  throw new Error(`not an integer: ${String(value)}`);
}

/** Product of two scaled values, rounded half away from zero back to the scale. */
export function multiplyScaled(a: Scaled, b: Scaled): Scaled {
  return divideRounded(a * b, FACTOR);
}

/** The value of `quantity` at `unitCost`, refused (out of range) when it would not fit a 64-bit column. */
export function valueOf(quantity: Scaled, unitCost: Scaled): Scaled {
  const value = multiplyScaled(quantity, unitCost);
  if (value > MAX_SCALED_VALUE || value < -MAX_SCALED_VALUE) throw new DecimalFormatError('makes a value out of range (quantity x unit cost above 10^12)');
  return value;
}

/** a / b rounded half away from zero. */
export function divideRounded(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('division by zero');
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA * 2n + absB) / (absB * 2n);
  return negative ? -q : q;
}

export const ONE: Scaled = FACTOR;
