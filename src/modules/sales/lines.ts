import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { SALES_ORDER } from './document-type.js';

/**
 * Where a sales order line stands. Only `quantity` and `cancelled` are stored on the line;
 * reserved (open reservations) and shipped (consumed reservations) come from the ledger's
 * reservations, whose line_id is the line's id. Backordered is always derived, never stored:
 * open = quantity − cancelled − shipped, backordered = open − reserved.
 */
export interface LineState {
  id: number;
  orderId: number;
  lineNo: number;
  itemId: number;
  sku: string;
  unit: string;
  unitPrecision: number;
  warehouseId: number;
  quantity: bigint;
  cancelled: bigint;
  reserved: bigint;
  shipped: bigint;
  unitPrice: bigint | null;
  discountPercent: bigint;
  requestedOn: string | null;
  promisedOn: string | null;
}

/** Quantity still to ship (not cancelled, not shipped). */
export const openQuantity = (l: LineState) => l.quantity - l.cancelled - l.shipped;
/** Open quantity without a reservation: waits for stock. */
export const backordered = (l: LineState) => {
  const b = openQuantity(l) - l.reserved;
  return b > 0n ? b : 0n;
};

/** The lines of some orders (or some lines by id), in order then line number. */
export async function lineStates(tx: Tx, orgId: number, filter: { orderIds?: number[]; lineIds?: number[] }): Promise<LineState[]> {
  if ((filter.orderIds && filter.orderIds.length === 0) || (filter.lineIds && filter.lineIds.length === 0)) return [];
  let query = tx
    .selectFrom('sales_order_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .select([
      's.id', 's.order_id', 's.line_no', 's.item_id', 'i.sku', 'i.unit', 'i.unit_precision', 's.warehouse_id', 's.quantity', 's.cancelled_quantity',
      's.unit_price', 's.discount_percent', 's.requested_on', 's.promised_on',
    ])
    .where('s.org_id', '=', orgId);
  if (filter.orderIds) query = query.where('s.order_id', 'in', filter.orderIds);
  if (filter.lineIds) query = query.where('s.id', 'in', filter.lineIds);
  const rows = await query.orderBy('s.order_id').orderBy('s.line_no').execute();
  if (rows.length === 0) return [];
  const orderIds = [...new Set(rows.map((r) => num(r.order_id)))];
  const claims = await tx
    .selectFrom('reservations')
    .select(['line_id', 'status', sql<string>`sum(quantity)`.as('q')])
    .where('org_id', '=', orgId)
    .where('document_type', '=', SALES_ORDER)
    .where('document_id', 'in', orderIds)
    .where('status', 'in', ['open', 'consumed'])
    .groupBy(['line_id', 'status'])
    .execute();
  const sums = new Map(claims.map((c) => [`${num(c.line_id)}:${c.status}`, toBigInt(c.q)]));
  return rows.map((r) => {
    const id = num(r.id);
    return {
      id,
      orderId: num(r.order_id),
      lineNo: num(r.line_no),
      itemId: num(r.item_id),
      sku: r.sku,
      unit: r.unit,
      unitPrecision: num(r.unit_precision),
      warehouseId: num(r.warehouse_id),
      quantity: toBigInt(r.quantity),
      cancelled: toBigInt(r.cancelled_quantity),
      reserved: sums.get(`${id}:open`) ?? 0n,
      shipped: sums.get(`${id}:consumed`) ?? 0n,
      unitPrice: r.unit_price === null ? null : toBigInt(r.unit_price),
      discountPercent: toBigInt(r.discount_percent),
      requestedOn: r.requested_on,
      promisedOn: r.promised_on,
    };
  });
}

/** Per-line quantities of one order (what shipping's status refresh needs). */
export async function lineQuantities(tx: Tx, orgId: number, orderId: number): Promise<LineState[]> {
  return lineStates(tx, orgId, { orderIds: [orderId] });
}
