import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import type { Tracking } from '../items/service.js';

export const SALES_RETURN = 'sales-return';
export const SALES_ORDER = 'sales-order';

/** A sales order line with what return checks need of its item. */
export interface OrderLineRules {
  id: number;
  lineNo: number;
  itemId: number;
  sku: string;
  unit: string;
  unitPrecision: number;
  tracking: Tracking;
}

export async function orderLinesWithItems(tx: Tx, orgId: number, orderId: number): Promise<OrderLineRules[]> {
  const rows = await tx
    .selectFrom('sales_order_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .select(['s.id', 's.line_no', 's.item_id', 'i.sku', 'i.unit', 'i.unit_precision', 'i.tracking'])
    .where('s.org_id', '=', orgId)
    .where('s.order_id', '=', orderId)
    .orderBy('s.line_no')
    .execute();
  return rows.map((r) => ({ id: num(r.id), lineNo: num(r.line_no), itemId: num(r.item_id), sku: r.sku, unit: r.unit, unitPrecision: num(r.unit_precision), tracking: r.tracking }));
}

/** Quantities per order line and lot (lot 0: not tracked), keyed `lineId:lotId`. */
export type PerLineLot = Map<string, bigint>;
export const lineLotKey = (lineId: number, lotId: number) => `${lineId}:${lotId}`;

/** What the order shipped: its consumed reservations, per order line and lot. */
export async function shippedPerLineLot(tx: Tx, orgId: number, orderId: number): Promise<PerLineLot> {
  const rows = await tx
    .selectFrom('reservations')
    .select(['line_id', 'lot_id', sql<string>`sum(quantity)`.as('q')])
    .where('org_id', '=', orgId)
    .where('document_type', '=', SALES_ORDER)
    .where('document_id', '=', orderId)
    .where('status', '=', 'consumed')
    .groupBy(['line_id', 'lot_id'])
    .execute();
  return new Map(rows.map((r) => [lineLotKey(num(r.line_id), num(r.lot_id)), toBigInt(r.q)]));
}

/** What all returns against the order took back so far, per order line and lot. */
export async function returnedPerLineLot(tx: Tx, orgId: number, orderId: number): Promise<PerLineLot> {
  const rows = await tx
    .selectFrom('sales_return_lines as l')
    .innerJoin('sales_returns as r', (j) => j.onRef('r.org_id', '=', 'l.org_id').onRef('r.id', '=', 'l.return_id'))
    .select(['l.order_line_id', 'l.lot_id', sql<string>`sum(l.quantity)`.as('q')])
    .where('l.org_id', '=', orgId)
    .where('r.sales_order_id', '=', orderId)
    .groupBy(['l.order_line_id', 'l.lot_id'])
    .execute();
  return new Map(rows.map((r) => [lineLotKey(num(r.order_line_id), num(r.lot_id)), toBigInt(r.q)]));
}

/** Sum of a per-line-and-lot map over all lots of one line. */
export function lineTotal(map: PerLineLot, lineId: number): bigint {
  let total = 0n;
  for (const [key, q] of map) if (key.startsWith(`${lineId}:`)) total += q;
  return total;
}
