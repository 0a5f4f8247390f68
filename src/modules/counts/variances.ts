import { divideRounded, multiplyScaled, ONE } from '../../core/decimal.js';
import type { CountLine } from './lines.js';

export type VarianceKind = 'gain' | 'loss' | 'none';

/** Variance of a counted line: counted - book at the moment it was counted; null until counted. */
export function lineVariance(line: CountLine): { quantity: bigint; value: bigint; kind: VarianceKind } | null {
  if ((line.state !== 'counted' && line.state !== 'zeroed') || line.counted === null || line.book === null) return null;
  const quantity = line.counted - line.book;
  return { quantity, value: multiplyScaled(quantity, line.unitCost), kind: quantity > 0n ? 'gain' : quantity < 0n ? 'loss' : 'none' };
}

export interface VarianceTotals {
  /** Lines counted (entered or zeroed at submit); pending and excluded lines are not. */
  lines: number;
  pending: number;
  excluded: number;
  accurate: number;
  gainLines: number;
  lossLines: number;
  bookValue: bigint;
  /** 盘盈: value of the stock found beyond the book. */
  gainValue: bigint;
  /** 盘亏: value of the stock missing (negative). */
  lossValue: bigint;
  netValue: bigint;
  /** Sum of |variance value|: what the approval threshold is compared with. */
  absoluteValue: bigint;
  /** Share of counted lines without variance, percent (scaled). */
  lineAccuracy: bigint;
  /** 100% - absolute variance value / book value, floored at 0 (scaled percent). */
  valueAccuracy: bigint;
}

const HUNDRED = 100n * ONE;

export function varianceTotals(lines: CountLine[]): VarianceTotals {
  const t = { lines: 0, pending: 0, excluded: 0, accurate: 0, gainLines: 0, lossLines: 0, bookValue: 0n, gainValue: 0n, lossValue: 0n };
  for (const line of lines) {
    if (line.state === 'pending') t.pending++;
    if (line.state === 'excluded') t.excluded++;
    const v = lineVariance(line);
    if (!v) continue;
    t.lines++;
    t.bookValue += multiplyScaled(line.book ?? 0n, line.unitCost);
    if (v.kind === 'none') t.accurate++;
    if (v.kind === 'gain') { t.gainLines++; t.gainValue += v.value; }
    if (v.kind === 'loss') { t.lossLines++; t.lossValue += v.value; }
  }
  const absoluteValue = t.gainValue - t.lossValue;
  const lineAccuracy = t.lines === 0 ? HUNDRED : divideRounded(BigInt(t.accurate) * HUNDRED, BigInt(t.lines));
  let valueAccuracy: bigint;
  if (t.bookValue <= 0n) valueAccuracy = absoluteValue === 0n ? HUNDRED : 0n;
  else {
    valueAccuracy = HUNDRED - divideRounded(absoluteValue * HUNDRED, t.bookValue);
    if (valueAccuracy < 0n) valueAccuracy = 0n;
  }
  return { ...t, netValue: t.gainValue + t.lossValue, absoluteValue, lineAccuracy, valueAccuracy };
}
