import { sql, type Expression, type SqlBool } from 'kysely';
import { DecimalFormatError, parseScaled } from '../../core/decimal.js';
import { validationError, type FieldError } from '../../core/errors.js';
import { isCalendarDate } from '../../core/text.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import type { Item } from '../items/service.js';

/** What line checks need to know of an item. */
export type ItemRules = Pick<Item, 'sku' | 'unit' | 'unitPrecision' | 'tracking'>;

/** Collects field errors of one request and throws them together as one 422. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw validationError(this.list.map((e) => `${e.field}: ${e.message}`).join('; '), this.list);
  }
}

/** A quantity exact to the item's unit precision; `min` says whether zero is allowed. */
export function parseQuantity(errors: FieldErrors, field: string, value: number, item: ItemRules, min: 'positive' | 'zero-or-more' = 'positive'): bigint {
  try {
    const q = parseScaled(value, item.unitPrecision);
    if (min === 'positive' && q <= 0n) errors.add(field, 'must be greater than zero');
    if (min === 'zero-or-more' && q < 0n) errors.add(field, 'must not be negative');
    return q;
  } catch (e) {
    errors.add(field, `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${item.unitPrecision})`);
    return 0n;
  }
}

export function parseMoney(errors: FieldErrors, field: string, value: number): bigint {
  try {
    const m = parseScaled(value);
    if (m < 0n) errors.add(field, 'must not be negative');
    return m;
  } catch (e) {
    errors.add(field, e instanceof DecimalFormatError ? e.message : 'is invalid');
    return 0n;
  }
}

export function checkDate(errors: FieldErrors, field: string, value: string | null | undefined): void {
  if (value !== undefined && value !== null && !isCalendarDate(value)) errors.add(field, 'must be a date YYYY-MM-DD that exists');
}

/** Lot rules shared by every document line: tracked items name their lot, others do not. */
export function checkLot(errors: FieldErrors, prefix: string, item: ItemRules, line: { lot?: string; expiresOn?: string }): void {
  if (item.tracking === 'none' && line.lot !== undefined) errors.add(`${prefix}.lot`, `${item.sku} is not lot or serial tracked`);
  if (item.tracking !== 'none' && line.lot === undefined) errors.add(`${prefix}.lot`, `${item.sku} is ${item.tracking} tracked: name the ${item.tracking}`);
  if (line.expiresOn !== undefined) {
    if (line.lot === undefined) errors.add(`${prefix}.expiresOn`, 'an expiry date belongs to a lot');
    else checkDate(errors, `${prefix}.expiresOn`, line.expiresOn);
  }
}

/** The locations of a warehouse that receiving and inspection move stock between. */
export interface WarehouseLocations {
  stock: number;
  input: number;
  rejected: number;
}

export async function warehouseLocations(tx: Tx, orgId: number, warehouseId: number): Promise<WarehouseLocations> {
  const warehouse = await tx.selectFrom('warehouses').select('stock_location_id').where('org_id', '=', orgId).where('id', '=', warehouseId).executeTakeFirstOrThrow();
  const rows = await tx
    .selectFrom('locations')
    .select(['id', 'kind'])
    .where('org_id', '=', orgId)
    .where('warehouse_id', '=', warehouseId)
    .where('kind', 'in', ['inspection', 'rejected'])
    .orderBy('id')
    .execute();
  const input = rows.find((r) => r.kind === 'inspection');
  const rejected = rows.find((r) => r.kind === 'rejected');
  if (!input || !rejected) throw new Error(`warehouse ${warehouseId} has no Input or Rejected location`);
  return { stock: num(warehouse.stock_location_id), input: num(input.id), rejected: num(rejected.id) };
}

/** Case-insensitive substring match of `column` against user text (LIKE wildcards escaped). */
export function contains(column: string, text: string): Expression<SqlBool> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
}

/** The id a document reference names: `PO-000012`, `po-12` or `12` all name 12 for prefix PO. */
export function referencedId(text: string, prefix: string): number | undefined {
  const match = new RegExp(`^(?:${prefix}-?)?0*(\\d{1,15})$`, 'i').exec(text.trim());
  return match ? Number(match[1]) : undefined;
}

/** Filters on `created_at` by calendar dates (inclusive): timestamps are ISO text, dates sort before them. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
