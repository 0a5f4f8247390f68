import { validationError, type FieldError } from '../../core/errors.js';
import { num, type LocationKind } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { AVAILABLE_KINDS } from '../../ledger/locations.js';
import type { AbcClass, CountScope } from './model.js';

/** A physical location a count may cover: the warehouse's stock location, a zone or a bin. */
export interface CountLocation {
  id: number;
  code: string;
  kind: LocationKind;
}

/** The countable locations of a warehouse by code (stock, zones, bins; never Input or Rejected). */
export async function countableLocations(tx: Tx, orgId: number, warehouseId: number): Promise<Map<string, CountLocation>> {
  const rows = await tx
    .selectFrom('locations')
    .select(['id', 'code', 'kind'])
    .where('org_id', '=', orgId)
    .where('warehouse_id', '=', warehouseId)
    .where('kind', 'in', [...AVAILABLE_KINDS])
    .execute();
  return new Map(rows.map((r) => [r.code, { id: num(r.id), code: r.code, kind: r.kind }]));
}

/** A zone scope covers its locations and everything below them (codes are PARENT/CHILD). */
export function locationInScope(scope: CountScope, code: string): boolean {
  if (scope.type !== 'zone') return true;
  return scope.locations.some((root) => code === root || code.startsWith(`${root}/`));
}

/** Which items a count covers: all (undefined) or a set of item ids. */
export function itemInScope(scope: CountScope, itemId: number, scopeItems: Set<number> | undefined, abcClasses: Map<number, AbcClass> | undefined): boolean {
  if (scope.type === 'items') return scopeItems?.has(itemId) ?? false;
  if (scope.type === 'abc') return scope.classes.includes(abcClasses?.get(itemId) ?? 'C'); // no value in the warehouse at start: C
  return true;
}

/** Check a requested scope against the warehouse; unknown locations and SKUs are field errors. */
export async function checkScope(tx: Tx, orgId: number, warehouse: { id: number; code: string }, scope: CountScope): Promise<CountScope> {
  const errors: FieldError[] = [];
  if (scope.type === 'zone') {
    const locations = await countableLocations(tx, orgId, warehouse.id);
    scope.locations.forEach((code, i) => {
      if (!locations.has(code)) errors.push({ field: `scope.locations.${i}`, message: `no stock location, zone or bin ${code} in warehouse ${warehouse.code}` });
    });
    if (errors.length === 0) return { type: 'zone', locations: [...new Set(scope.locations)] };
  } else if (scope.type === 'items') {
    const found = await skuIds(tx, orgId, scope.skus);
    scope.skus.forEach((sku, i) => {
      if (!found.has(sku)) errors.push({ field: `scope.skus.${i}`, message: `unknown sku ${sku}` });
    });
    if (errors.length === 0) return { type: 'items', skus: [...new Set(scope.skus)] };
  } else if (scope.type === 'abc') {
    const order: AbcClass[] = ['A', 'B', 'C'];
    return { type: 'abc', classes: order.filter((c) => scope.classes.includes(c)) };
  } else {
    return { type: 'full' };
  }
  throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** Item ids by SKU (SKUs never change, so a scope stores SKUs). */
export async function skuIds(tx: Tx, orgId: number, skus: string[]): Promise<Map<string, number>> {
  const unique = [...new Set(skus)];
  const rows = unique.length === 0 ? [] : await tx.selectFrom('items').select(['id', 'sku']).where('org_id', '=', orgId).where('sku', 'in', unique).execute();
  return new Map(rows.map((r) => [r.sku, num(r.id)]));
}

/** Human text of a scope, for the sheet and lists. */
export function describeScope(scope: CountScope): string {
  switch (scope.type) {
    case 'full': return '全盘 Full';
    case 'zone': return `库区 Zone: ${scope.locations.join(', ')}`;
    case 'items': return `物料 Items: ${scope.skus.join(', ')}`;
    case 'abc': return `ABC: ${scope.classes.join(', ')}`;
  }
}
