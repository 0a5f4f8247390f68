import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DecimalFormatError,
  MAX_INPUT_INTEGER_DIGITS,
  MAX_SCALED_VALUE,
  MAX_SIGNIFICANT_DIGITS,
  ONE,
  SCALE,
  decimalPlaces,
  divideRounded,
  formatScaled,
  multiplyScaled,
  parseScaled,
  toBigInt,
  toJsonNumber,
  valueOf,
} from '../../src/core/decimal.js';

const FACTOR = 10n ** BigInt(SCALE);
/** Every value with at most 12 integer digits and 6 decimals (what the grammar allows), scaled. */
const MAX_SCALED = 10n ** BigInt(MAX_INPUT_INTEGER_DIGITS) * FACTOR - 1n;
/** Largest magnitude parseScaled accepts: 12 integer digits, then as many decimals as fit in 15 significant digits. */
const MAX_ACCEPTED = 999_999_999_999_999_000n; // 999999999999.999
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

const abs = (v: bigint) => (v < 0n ? -v : v);
/** Any scaled value of the grammar's range, accepted or not. */
const scaledInRange = fc.bigInt({ min: -MAX_SCALED, max: MAX_SCALED });
/**
 * Exactly the values parseScaled accepts: at most 12 integer digits, 6 decimals and 15 significant
 * digits, i.e. m * 10^k micro-units with |m| < 10^15 and k >= 3 once there are 12 integer digits.
 */
const acceptedScaled = fc
  .tuple(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 3 }))
  .map(([m, k]) => m * 10n ** BigInt(k));

/** Significant digits of a canonical decimal text (leading zeros and trailing fraction zeros do not count). */
function significantDigits(text: string): number {
  const [whole = '', frac = ''] = text.replace('-', '').split('.');
  return ((whole === '0' ? '' : whole) + frac.replace(/0+$/, '')).replace(/^0+/, '').length;
}

/** Reference rounding: truncate, then step away from zero when the remainder is at least half. */
function referenceDivide(a: bigint, b: bigint): bigint {
  const q = a / b; // truncates toward zero
  const r = a % b;
  if (2n * abs(r) >= abs(b)) return q + ((a < 0n) !== (b < 0n) ? -1n : 1n);
  return q;
}

/** Reference for `${mantissa}e${exp}`: the exact scaled value, or undefined when it needs more than maxDecimals. */
function referenceExponent(mantissa: bigint, exp: number, maxDecimals: number): bigint | undefined {
  // value = mantissa * 10^exp; with trailing zeros of the mantissa removed first, decimals = max(0, -exp').
  let m = mantissa;
  let e = exp;
  while (m !== 0n && m % 10n === 0n) {
    m /= 10n;
    e += 1;
  }
  if (m === 0n) return 0n;
  if (-e > maxDecimals) return undefined;
  const shift = e + SCALE;
  return shift >= 0 ? m * 10n ** BigInt(shift) : m / 10n ** BigInt(-shift);
}

function expectFormatError(fn: () => unknown, message?: string | RegExp) {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected a DecimalFormatError').toBeInstanceOf(DecimalFormatError);
  if (message !== undefined) expect((thrown as Error).message).toMatch(message);
}

describe('parseScaled', () => {
  it('parses plain decimals from strings and numbers', () => {
    expect(parseScaled('1')).toBe(1_000_000n);
    expect(parseScaled(1)).toBe(1_000_000n);
    expect(parseScaled('0')).toBe(0n);
    expect(parseScaled('0.000001')).toBe(1n);
    expect(parseScaled(0.000001)).toBe(1n); // String(0.000001) is "0.000001"
    expect(parseScaled(1.5)).toBe(1_500_000n);
    expect(parseScaled(0.1)).toBe(100_000n);
    expect(parseScaled(12.34, 2)).toBe(12_340_000n);
    expect(parseScaled('+3')).toBe(3_000_000n);
    expect(parseScaled('.5')).toBe(500_000n);
    expect(parseScaled('5.')).toBe(5_000_000n);
    expect(parseScaled('  7.25 ')).toBe(7_250_000n);
    expect(parseScaled('007.5')).toBe(7_500_000n);
  });

  it('parses negative numbers', () => {
    expect(parseScaled('-2.25')).toBe(-2_250_000n);
    expect(parseScaled(-2.25)).toBe(-2_250_000n);
    expect(parseScaled('-0.000001')).toBe(-1n);
    expect(parseScaled(-7, 0)).toBe(-7_000_000n);
    expect(parseScaled('-0')).toBe(0n);
    expect(parseScaled(-0)).toBe(0n);
    expect(parseScaled('-.5')).toBe(-500_000n);
  });

  it('rejects text that is not a decimal number', () => {
    for (const bad of ['', ' ', 'abc', '1.2.3', '1e', 'e5', '--1', '+-1', '1,5', '0x10', '1_000', '.', '-', 'Infinity', 'NaN', '1 2', '½']) {
      expectFormatError(() => parseScaled(bad), /decimal number/);
    }
    expectFormatError(() => parseScaled(Number.NaN), /finite/);
    expectFormatError(() => parseScaled(Number.POSITIVE_INFINITY), /finite/);
    expectFormatError(() => parseScaled(Number.NEGATIVE_INFINITY), /finite/);
  });

  it('rejects more decimals than allowed, ignoring trailing zeros', () => {
    expectFormatError(() => parseScaled('1.5', 0), 'must be a whole number');
    expectFormatError(() => parseScaled(1.5, 0), 'must be a whole number');
    expectFormatError(() => parseScaled('1.25', 1), 'allows at most 1 decimals');
    expectFormatError(() => parseScaled(1.005, 2), 'allows at most 2 decimals');
    expectFormatError(() => parseScaled('-0.001', 2), 'allows at most 2 decimals');
    expectFormatError(() => parseScaled('0.0000001'), 'allows at most 6 decimals');
    expectFormatError(() => parseScaled('1.0000001'));
    expect(parseScaled('1.500', 1)).toBe(1_500_000n);
    expect(parseScaled('2.000000000', 0)).toBe(2_000_000n);
    expect(parseScaled('1.10', 1)).toBe(1_100_000n);
    expect(parseScaled('0.000001', 6)).toBe(1n);
  });

  it('accepts exponent notation and expands it exactly', () => {
    expect(parseScaled('1.5e3')).toBe(1_500_000_000n);
    expect(parseScaled(1.5e3, 0)).toBe(1_500_000_000n);
    expect(parseScaled('1.5E3', 0)).toBe(1_500_000_000n);
    expect(parseScaled('1e+2', 0)).toBe(100_000_000n);
    expect(parseScaled('1e-6')).toBe(1n);
    expect(parseScaled(1e-6)).toBe(1n); // String(1e-6) is "0.000001"
    expect(parseScaled(2e-6)).toBe(2n);
    expect(parseScaled(1.5e-5)).toBe(15n); // String(1.5e-5) is "0.000015"
    expect(parseScaled('-2.5E-2', 3)).toBe(-25_000n);
    expect(parseScaled('.5e1', 0)).toBe(5_000_000n);
    expect(parseScaled('5.e1', 0)).toBe(50_000_000n);
    expect(parseScaled('0.00012e2', 3)).toBe(12_000n); // 0.012
    expect(parseScaled('123e-2', 2)).toBe(1_230_000n);
    expect(parseScaled('1200e-2', 0)).toBe(12_000_000n);
  });

  it('rejects exponent notation that carries too many decimals (1e-7)', () => {
    expect(String(1e-7)).toBe('1e-7'); // the number path really sees an exponent
    expectFormatError(() => parseScaled(1e-7), 'allows at most 6 decimals');
    expectFormatError(() => parseScaled('1e-7'), 'allows at most 6 decimals');
    expectFormatError(() => parseScaled(-1e-7), 'allows at most 6 decimals');
    expectFormatError(() => parseScaled(1.5e-5, 5), 'allows at most 5 decimals');
    expectFormatError(() => parseScaled('1.5e-1', 0), 'must be a whole number');
  });

  it('enforces the bounds: at most 12 integer digits and 15 significant digits, exponents within range', () => {
    expect(MAX_INPUT_INTEGER_DIGITS).toBe(12);
    expect(MAX_SIGNIFICANT_DIGITS).toBe(15);
    expect(parseScaled('999999999999.999')).toBe(MAX_ACCEPTED);
    expect(parseScaled('-999999999999.999')).toBe(-MAX_ACCEPTED);
    expect(parseScaled('999999999.999999')).toBe(999_999_999_999_999n);
    expect(parseScaled('999999999999', 0)).toBe(999_999_999_999_000_000n);
    expect(parseScaled('100000000000.000000')).toBe(10n ** 17n); // trailing zeros are not significant
    expect(parseScaled('0000000000000000001', 0)).toBe(ONE); // leading zeros are not digits
    expectFormatError(() => parseScaled('999999999999.9999'), 'has more than 15 significant digits');
    expectFormatError(() => parseScaled('999999999999.999999'), 'has more than 15 significant digits');
    expectFormatError(() => parseScaled('1234567890.123456'), 'has more than 15 significant digits');
    expectFormatError(() => parseScaled(12345678901.000002), 'has more than 15 significant digits');
    expectFormatError(() => parseScaled('1000000000000'), 'is out of range');
    expectFormatError(() => parseScaled('-1000000000000'), 'is out of range');
    expectFormatError(() => parseScaled(1e12), 'is out of range');
    expectFormatError(() => parseScaled(1e21), 'is out of range'); // String(1e21) is "1e+21"
    expectFormatError(() => parseScaled(-1e21), 'is out of range');
    expectFormatError(() => parseScaled(Number.MAX_VALUE), 'is out of range');
    expectFormatError(() => parseScaled('1e13'), 'is out of range');
    expectFormatError(() => parseScaled('1e41'), 'is out of range');
    expectFormatError(() => parseScaled(Number.MIN_VALUE)); // 5e-324: far too many decimals
    expectFormatError(() => parseScaled(0.1 + 0.2)); // 0.30000000000000004
    expect(parseScaled('1e11', 0)).toBe(10n ** 11n * FACTOR);
  });

  it('property: a value of the grammar is accepted exactly when it has at most 15 significant digits', () => {
    fc.assert(
      fc.property(fc.oneof(scaledInRange, acceptedScaled), (v) => {
        const text = formatScaled(v);
        if (significantDigits(text) <= MAX_SIGNIFICANT_DIGITS) expect(parseScaled(text)).toBe(v);
        else expectFormatError(() => parseScaled(text), 'has more than 15 significant digits');
      }),
      { numRuns: 2000, examples: [[MAX_SCALED], [MAX_ACCEPTED], [MAX_ACCEPTED + 1n], [999_999_999_999_999n], [1_000_000_000_000_001n]] },
    );
  });

  it('property: every accepted value survives formatScaled -> parseScaled', () => {
    fc.assert(
      fc.property(acceptedScaled, (v) => {
        expect(parseScaled(formatScaled(v))).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a value is accepted with d decimals exactly when it is a multiple of 10^(6-d)', () => {
    fc.assert(
      fc.property(acceptedScaled, fc.integer({ min: 0, max: SCALE }), (v, d) => {
        const fits = v % 10n ** BigInt(SCALE - d) === 0n;
        const text = formatScaled(v);
        if (fits) {
          expect(parseScaled(text, d)).toBe(v);
          expect(decimalPlaces(text)).toBeLessThanOrEqual(d);
        } else {
          expectFormatError(() => parseScaled(text, d), d === 0 ? 'must be a whole number' : `allows at most ${d} decimals`);
          expect(decimalPlaces(text)).toBeGreaterThan(d);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: trailing zeros and leading zeros never change the value', () => {
    fc.assert(
      fc.property(acceptedScaled, fc.nat(8), fc.nat(8), (v, trailing, leading) => {
        const text = formatScaled(v);
        const negative = text.startsWith('-');
        const unsigned = negative ? text.slice(1) : text;
        const [whole, frac = ''] = unsigned.split('.');
        const padded = `${negative ? '-' : ''}${'0'.repeat(leading)}${whole}.${frac}${'0'.repeat(trailing)}`;
        expect(parseScaled(padded)).toBe(v);
        expect(decimalPlaces(padded)).toBe(frac.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: exponent notation equals its exact expansion (or is rejected for too many decimals)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -999_999n, max: 999_999n }),
        fc.integer({ min: -12, max: 6 }),
        fc.integer({ min: 0, max: SCALE }),
        fc.constantFrom('e', 'E'),
        (mantissa, exp, maxDecimals, e) => {
          const text = `${mantissa}${e}${exp >= 0 && exp % 2 === 0 ? '+' : ''}${exp}`;
          const expected = referenceExponent(mantissa, exp, maxDecimals);
          if (expected === undefined) expectFormatError(() => parseScaled(text, maxDecimals));
          else expect(parseScaled(text, maxDecimals)).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: a number and its shortest text parse alike', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        let fromNumber: bigint | Error;
        let fromText: bigint | Error;
        try {
          fromNumber = parseScaled(x);
        } catch (e) {
          fromNumber = e as Error;
        }
        try {
          fromText = parseScaled(String(x));
        } catch (e) {
          fromText = e as Error;
        }
        if (typeof fromNumber === 'bigint') expect(fromText).toBe(fromNumber);
        else {
          expect(fromNumber).toBeInstanceOf(DecimalFormatError);
          expect(fromText).toBeInstanceOf(DecimalFormatError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: integers and cents given as JSON numbers parse exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999_999, max: 999_999_999 }), (n) => {
        expect(parseScaled(n, 0)).toBe(BigInt(n) * FACTOR);
        expect(parseScaled(n / 100, 2)).toBe(BigInt(n) * 10_000n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('formatScaled', () => {
  it('prints plain canonical decimals', () => {
    expect(formatScaled(0n)).toBe('0');
    expect(formatScaled(1n)).toBe('0.000001');
    expect(formatScaled(-1n)).toBe('-0.000001');
    expect(formatScaled(1_500_000n)).toBe('1.5');
    expect(formatScaled(-3_000_000n)).toBe('-3');
    expect(formatScaled(12_345_678n)).toBe('12.345678');
    expect(formatScaled(100_000_000n)).toBe('100');
    expect(formatScaled(MAX_SCALED)).toBe('999999999999.999999');
  });

  it('property: output is canonical (no exponent, no redundant zeros, no -0)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (v) => {
        const text = formatScaled(v);
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d{0,5}[1-9])?$/);
        expect(text === '-0').toBe(false);
        expect(text.startsWith('-')).toBe(v < 0n);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('decimalPlaces', () => {
  it('counts the decimals a value really carries', () => {
    expect(decimalPlaces('10')).toBe(0);
    expect(decimalPlaces('1.500')).toBe(1);
    expect(decimalPlaces(0.25)).toBe(2);
    expect(decimalPlaces(1e-7)).toBe(7);
    expect(decimalPlaces('1.5e3')).toBe(0);
    expect(decimalPlaces('-1.25e-1')).toBe(3);
  });
});

describe('toBigInt', () => {
  it('coerces what drivers return', () => {
    expect(toBigInt(5n)).toBe(5n);
    expect(toBigInt(5)).toBe(5n);
    expect(toBigInt('-12')).toBe(-12n);
    expect(toBigInt(null)).toBe(0n);
    expect(toBigInt(undefined)).toBe(0n);
    expect(() => toBigInt(1.5)).toThrow();
    expect(() => toBigInt(2 ** 60)).toThrow();
    expect(() => toBigInt('1.5')).toThrow();
  });
});

describe('divideRounded', () => {
  it('rounds half away from zero', () => {
    expect(divideRounded(5n, 2n)).toBe(3n); // 2.5 -> 3
    expect(divideRounded(-5n, 2n)).toBe(-3n); // -2.5 -> -3
    expect(divideRounded(5n, -2n)).toBe(-3n);
    expect(divideRounded(-5n, -2n)).toBe(3n);
    expect(divideRounded(7n, 2n)).toBe(4n); // 3.5 -> 4
    expect(divideRounded(25n, 10n)).toBe(3n); // banker's rounding would give 2
    expect(divideRounded(-25n, 10n)).toBe(-3n);
    expect(divideRounded(1n, 3n)).toBe(0n);
    expect(divideRounded(2n, 3n)).toBe(1n);
    expect(divideRounded(-2n, 3n)).toBe(-1n);
    expect(divideRounded(-1n, 3n)).toBe(0n);
    expect(divideRounded(0n, 5n)).toBe(0n);
    expect(divideRounded(14n, 10n)).toBe(1n);
    expect(divideRounded(-15n, 10n)).toBe(-2n);
    expect(divideRounded(-16n, 10n)).toBe(-2n);
    expect(() => divideRounded(1n, 0n)).toThrow(/division by zero/);
  });

  it('property: equals the reference rounding, is odd-symmetric and within half a unit', () => {
    const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
    const divisor = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).filter((b) => b !== 0n);
    fc.assert(
      fc.property(big, divisor, (a, b) => {
        const q = divideRounded(a, b);
        expect(q).toBe(referenceDivide(a, b));
        expect(divideRounded(-a, b)).toBe(-q);
        expect(divideRounded(a, -b)).toBe(-q);
        // |a - q*b| <= |b|/2
        expect(2n * abs(a - q * b) <= abs(b)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: exact halves always go away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (k, h) => {
        // (2k+1)/2 * (2h)/(2h): a = (2k+1)*h, b = 2h -> exactly k + 1/2
        const q = divideRounded((2n * k + 1n) * h, 2n * h);
        expect(q).toBe(k >= 0n ? k + 1n : k);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('multiplyScaled', () => {
  it('multiplies and rounds half away from zero to the scale', () => {
    expect(multiplyScaled(parseScaled('1.5'), parseScaled('2'))).toBe(parseScaled('3'));
    expect(multiplyScaled(parseScaled('0.1'), parseScaled('0.2'))).toBe(parseScaled('0.02'));
    expect(multiplyScaled(parseScaled('-1.5'), parseScaled('2'))).toBe(parseScaled('-3'));
    expect(multiplyScaled(1n, parseScaled('0.5'))).toBe(1n); // 0.0000005 -> 0.000001
    expect(multiplyScaled(-1n, parseScaled('0.5'))).toBe(-1n);
    expect(multiplyScaled(1n, parseScaled('0.4'))).toBe(0n);
    expect(multiplyScaled(5n, parseScaled('0.5'))).toBe(3n); // 2.5 micro -> 3 (banker's: 2)
    expect(multiplyScaled(-5n, parseScaled('0.5'))).toBe(-3n);
    expect(multiplyScaled(3n, parseScaled('0.5'))).toBe(2n);
    expect(multiplyScaled(parseScaled('3'), parseScaled('0.333333'))).toBe(parseScaled('0.999999'));
    expect(multiplyScaled(parseScaled('0.333333'), parseScaled('0.333333'))).toBe(parseScaled('0.111111')); // 0.111110888889
    expect(multiplyScaled(parseScaled('0.000001'), parseScaled('0.000001'))).toBe(0n);
  });

  it('property: one is neutral, zero absorbs, it commutes and rounds like divideRounded', () => {
    fc.assert(
      fc.property(scaledInRange, scaledInRange, (a, b) => {
        expect(multiplyScaled(a, ONE)).toBe(a);
        expect(multiplyScaled(a, 0n)).toBe(0n);
        expect(multiplyScaled(a, b)).toBe(multiplyScaled(b, a));
        expect(multiplyScaled(a, b)).toBe(referenceDivide(a * b, FACTOR));
        expect(multiplyScaled(-a, b)).toBe(-multiplyScaled(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toJsonNumber', () => {
  it('prints small values exactly', () => {
    expect(toJsonNumber(0n)).toBe(0);
    expect(toJsonNumber(1n)).toBe(0.000001);
    expect(toJsonNumber(-1_500_000n)).toBe(-1.5);
    expect(toJsonNumber(12_340_000n)).toBe(12.34);
  });

  it('property: values with at most 15 significant digits round-trip through a JSON number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (v) => {
        const n = toJsonNumber(v);
        expect(parseScaled(n)).toBe(v);
        expect(parseScaled(JSON.parse(JSON.stringify(n)) as number)).toBe(v);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: every value parseScaled accepts round-trips through a JSON number', () => {
    fc.assert(
      fc.property(acceptedScaled, (v) => {
        expect(parseScaled(toJsonNumber(v))).toBe(v);
      }),
      { numRuns: 2000, examples: [[MAX_ACCEPTED], [-MAX_ACCEPTED], [999_999_999_999_999n], [12_345_678_901_000_100n]] },
    );
  });
});

describe('bounds of accepted input', () => {
  // Quantities and costs each fit int64; their product may not, so valueOf refuses what would not.
  it('property: valueOf of any accepted quantity and cost fits int64 or is refused as out of range', () => {
    fc.assert(
      fc.property(acceptedScaled, acceptedScaled, (qty, cost) => {
        let value: bigint;
        try {
          value = valueOf(qty, cost);
        } catch (error) {
          expect(error).toBeInstanceOf(DecimalFormatError);
          expect(multiplyScaled(qty, cost) > MAX_SCALED_VALUE || multiplyScaled(qty, cost) < -MAX_SCALED_VALUE).toBe(true);
          return;
        }
        expect(value).toBe(multiplyScaled(qty, cost));
        expect(value >= INT64_MIN && value <= INT64_MAX, `${formatScaled(qty)} x ${formatScaled(cost)} = ${formatScaled(value)}`).toBe(true);
      }),
      { numRuns: 1000, examples: [[parseScaled('10000000'), parseScaled('10000000')], [parseScaled('1000000'), parseScaled('1000000')]] },
    );
    expect(valueOf(parseScaled('1000000'), parseScaled('1000000'))).toBe(MAX_SCALED_VALUE);
    expect(() => valueOf(parseScaled('1000000'), parseScaled('1000000.000001'))).toThrow(DecimalFormatError);
  });
});
