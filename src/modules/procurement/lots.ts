import { ONE } from '../../core/decimal.js';
import { DomainError, insufficientStock, type FieldError } from '../../core/errors.js';
import type { Tx } from '../../db/store.js';
import { createLot, findLot, serialOnHand, type Lot } from '../stock/lots.js';
import { FieldErrors } from './common.js';

export interface LotLine {
  itemId: number;
  sku: string;
  tracking: 'none' | 'lot' | 'serial';
  lotCode: string | null;
  expiresOn: string | null;
  quantity: bigint;
}

/** A serial number is one unit: each serial line receives or returns exactly 1. */
export function checkSerialQuantities(errors: FieldErrors, lines: LotLine[]): void {
  lines.forEach((l, i) => {
    if (l.tracking === 'serial' && l.quantity !== 0n && l.quantity !== ONE) errors.add(`lines.${i}.quantity`, 'a serial number is one unit: use 1');
  });
}

/**
 * The lot ids of incoming lines (0 for untracked items), creating lots met for the first time.
 * An expiry date must agree with the lot's; a serial may appear once per document (422) and must
 * not be in stock anywhere already (409).
 */
export async function incomingLots(tx: Tx, orgId: number, lines: LotLine[]): Promise<number[]> {
  const errors = new FieldErrors();
  const known = new Map<string, Lot | undefined>();
  const seen = new Map<string, number>();
  for (const [i, line] of lines.entries()) {
    if (line.lotCode === null) continue;
    const key = `${line.itemId}:${line.lotCode}`;
    if (!known.has(key)) known.set(key, await findLot(tx, orgId, line.itemId, line.lotCode));
    const lot = known.get(key);
    const expected = lot ? lot.expiresOn : lines[seen.get(key) ?? i]!.expiresOn;
    if (line.expiresOn !== null && (lot || seen.has(key)) && expected !== line.expiresOn) {
      errors.add(`lines.${i}.expiresOn`, `lot ${line.lotCode} of ${line.sku} expires on ${expected ?? 'no date'}`);
    }
    if (line.tracking === 'serial' && seen.has(key)) errors.add(`lines.${i}.lot`, `serial ${line.lotCode} of ${line.sku} is already on line ${seen.get(key)! + 1}`);
    if (!seen.has(key)) seen.set(key, i);
  }
  errors.throwIfAny();

  const inStock: FieldError[] = [];
  for (const [i, line] of lines.entries()) {
    const lot = line.lotCode === null ? undefined : known.get(`${line.itemId}:${line.lotCode}`);
    if (line.tracking === 'serial' && lot && (await serialOnHand(tx, orgId, line.itemId, lot.id)) > 0n) {
      inStock.push({ field: `lines.${i}.lot`, message: `serial ${line.lotCode} of ${line.sku} is already in stock` });
    }
  }
  if (inStock.length > 0) throw new DomainError('conflict', inStock.map((e) => e.message).join('; '), inStock);

  const ids: number[] = [];
  for (const line of lines) {
    if (line.lotCode === null) {
      ids.push(0);
      continue;
    }
    const key = `${line.itemId}:${line.lotCode}`;
    let lot = known.get(key);
    if (!lot) {
      lot = await createLot(tx, orgId, line.itemId, line.lotCode, lines[seen.get(key)!]!.expiresOn);
      known.set(key, lot);
    }
    ids.push(lot.id);
  }
  return ids;
}

/** The lot ids of outgoing lines: a lot that does not exist has no stock to give (409). */
export async function existingLots(tx: Tx, orgId: number, lines: LotLine[]): Promise<number[]> {
  const ids: number[] = [];
  const missing: FieldError[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.lotCode === null) {
      ids.push(0);
      continue;
    }
    const lot = await findLot(tx, orgId, line.itemId, line.lotCode);
    if (!lot) missing.push({ field: `lines.${i}.lot`, message: `no stock of lot ${line.lotCode} of ${line.sku}` });
    ids.push(lot?.id ?? 0);
  }
  if (missing.length > 0) throw insufficientStock(missing.map((e) => e.message).join('; '), undefined, missing);
  return ids;
}
