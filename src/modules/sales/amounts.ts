import { divideRounded, ONE } from '../../core/decimal.js';

const HUNDRED = 100n * ONE;

/**
 * A line's amount, exact in bigint: quantity × unit price × (100 − discount%) / 100, all three
 * scaled by 10^6, rounded once, half away from zero, to 6 decimals (the money scale). Null when the
 * line has no price.
 */
export function lineAmount(quantity: bigint, unitPrice: bigint | null, discountPercent: bigint): bigint | null {
  if (unitPrice === null) return null;
  return divideRounded(quantity * unitPrice * (HUNDRED - discountPercent), ONE * HUNDRED);
}

/** The same line before its discount (for the order's gross total). */
export function grossAmount(quantity: bigint, unitPrice: bigint | null): bigint | null {
  if (unitPrice === null) return null;
  return divideRounded(quantity * unitPrice, ONE);
}
