import { sql } from 'kysely';
import { DecimalFormatError, formatScaled, parseScaled, toJsonNumber, ONE } from '../../core/decimal.js';
import { insufficientStock, validationError, type FieldError } from '../../core/errors.js';
import { num, type LocationKind } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { DOCUMENT_PREFIX } from '../../ledger/documents.js';
import type { MoveRequest, StockShortage } from '../../ledger/post.js';
import type { MoveRow } from '../../ledger/queries.js';
import { toItem, type Item } from '../items/service.js';
import { findLot } from '../stock/lots.js';

/** Helpers the warehouse documents of this module share: line checks, lookups by code, views. */

export function throwIfErrors(errors: FieldError[]): void {
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** A quantity > 0, exact to the item's unit precision; problems become a field error. */
export function positiveQuantity(value: number | string, item: Item, field: string, errors: FieldError[]): bigint {
  try {
    const quantity = parseScaled(value, item.unitPrecision);
    if (quantity <= 0n) {
      errors.push({ field, message: 'must be greater than zero' });
      return 0n;
    }
    return quantity;
  } catch (e) {
    errors.push({ field, message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${item.unitPrecision})` });
    return 0n;
  }
}

/** A line naming one serial number moves exactly one unit. */
export function oneSerial(item: Item, quantity: bigint, field: string, errors: FieldError[]): void {
  if (item.tracking === 'serial' && quantity !== 0n && quantity !== ONE) errors.push({ field, message: 'a serial number is one unit: use 1' });
}

/**
 * Items named on document lines by SKU or (when `byBarcode`) by barcode, as a scanner reads them.
 * Archived items may still be moved or scrapped: their stock exists until it is gone.
 */
export async function itemsByCode(tx: Tx, orgId: number, codes: string[], fields: (i: number) => string, byBarcode: boolean): Promise<Item[]> {
  const unique = [...new Set(codes)];
  const rows = unique.length === 0 ? [] : await tx.selectFrom('items').selectAll().where('org_id', '=', orgId).where('sku', 'in', unique).execute();
  const found = new Map(rows.map((r) => [r.sku, toItem(r)]));
  const missing = unique.filter((c) => !found.has(c));
  if (byBarcode && missing.length > 0) {
    const byCode = await tx.selectFrom('items').selectAll().where('org_id', '=', orgId).where('barcode', 'in', missing).orderBy('id').execute();
    for (const row of byCode) if (row.barcode !== null && !found.has(row.barcode)) found.set(row.barcode, toItem(row));
  }
  const errors = codes.flatMap((c, i) => (found.has(c) ? [] : [{ field: fields(i), message: `unknown ${byBarcode ? 'SKU or barcode' : 'sku'} ${c}` }]));
  throwIfErrors(errors);
  return codes.map((c) => found.get(c)!);
}

export interface WarehouseRef {
  id: number;
  code: string;
  stockLocationId: number;
}

export interface LocationRef {
  id: number;
  code: string;
  kind: LocationKind;
}

/**
 * A location of `warehouse` by its full code, of one of the `allowed` kinds. An unknown code, a
 * location of another warehouse or of another kind is a field error (the request names it).
 */
export async function warehouseLocation(
  tx: Tx, orgId: number, warehouse: WarehouseRef, code: string, allowed: readonly LocationKind[], field: string, errors: FieldError[],
): Promise<LocationRef | undefined> {
  const row = await tx.selectFrom('locations').select(['id', 'code', 'kind', 'warehouse_id']).where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  if (!row) {
    errors.push({ field, message: `unknown location ${code}` });
    return undefined;
  }
  if (row.warehouse_id === null || num(row.warehouse_id) !== warehouse.id) {
    errors.push({ field, message: `${code} is not a location of warehouse ${warehouse.code}` });
    return undefined;
  }
  if (!allowed.includes(row.kind)) {
    errors.push({ field, message: `${code} is a ${row.kind} location; use ${allowed.join(', ')}` });
    return undefined;
  }
  return { id: num(row.id), code: row.code, kind: row.kind };
}

/** The lot a line takes stock from: required for tracked items, refused for others, must exist. */
export async function existingLot(tx: Tx, orgId: number, item: Item, lotCode: string | undefined, field: string, errors: FieldError[]): Promise<number> {
  if (item.tracking === 'none') {
    if (lotCode !== undefined) errors.push({ field, message: `${item.sku} is not lot or serial tracked` });
    return 0;
  }
  if (lotCode === undefined) {
    errors.push({ field, message: `${item.sku} is ${item.tracking} tracked: name the ${item.tracking}` });
    return 0;
  }
  const lot = await findLot(tx, orgId, item.id, lotCode);
  if (!lot) {
    errors.push({ field, message: `${item.sku} has no ${item.tracking} ${lotCode}` });
    return 0;
  }
  return lot.id;
}

/** A StockShortage of a posting, told per line (`lines.i.quantity`) as the contract wants it. */
export function shortageProblem(error: StockShortage, moves: MoveRequest[], skus: string[], where: (locationId: number) => string) {
  const errors: FieldError[] = error.shortages.flatMap((s) =>
    moves.flatMap((m, i) =>
      m.itemId === s.itemId && m.lotId === s.lotId && m.fromLocationId === s.locationId
        ? [{ field: `lines.${i}.quantity`, message: `only ${formatScaled(s.available)} of ${skus[i]} available in ${where(s.locationId)} (reserved stock stays put)` }]
        : [],
    ),
  );
  return insufficientStock(`not enough stock: ${errors.map((e) => e.message).join('; ')}`, undefined, errors);
}

/** The id a search text names as a document reference ("TR-000012", "tr-12") or a bare number. */
export function referencedId(q: string, documentType: string): number | undefined {
  const prefix = DOCUMENT_PREFIX[documentType] ?? '';
  const match = new RegExp(`^(?:${prefix}-?)?0*(\\d{1,15})$`, 'i').exec(q.trim());
  return match ? Number(match[1]) : undefined;
}

/** A case-insensitive substring pattern for LIKE ... ESCAPE '\'. */
export const containsPattern = (q: string) => `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
export const likeLower = (pattern: string) => sql`lower(${pattern}) escape '\\'`;

export function moveView(m: MoveRow) {
  return { id: m.id, sku: m.sku, from: m.from, to: m.to, quantity: toJsonNumber(m.quantity), lot: m.lot, postedAt: m.postedAt };
}

/** Codes of locations by id, for views and messages. */
export async function locationCodes(tx: Tx, orgId: number, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.selectFrom('locations').select(['id', 'code']).where('org_id', '=', orgId).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [num(r.id), r.code]));
}
