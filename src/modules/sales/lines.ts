import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { SALES_ORDER } from './document-type.js';
import { prepared } from './prepared.js';

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
  /** The code of the line's warehouse ('' if it is gone). */
  warehouseCode: string;
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

/**
 * Lines with their item, their warehouse's code and the reserved and shipped sums of their
 * reservations, grouped by line over the orders concerned: of `orderIds`, or (by line ids) of the
 * orders those lines belong to.
 */
function lineQuery(db: Tx, orgId: number, by: { orderIds: number[] } | { lineIds: number[] }) {
  const query = db
    .selectFrom('sales_order_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .leftJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 's.org_id').onRef('w.id', '=', 's.warehouse_id'))
    .leftJoin(
      (eb) => {
        const claims = eb
          .selectFrom('reservations as r')
          .select([
            'r.line_id',
            sql<string | bigint | null>`sum(case when r.status = 'open' then r.quantity else 0 end)`.as('reserved'),
            sql<string | bigint | null>`sum(case when r.status = 'consumed' then r.quantity else 0 end)`.as('shipped'),
          ])
          .where('r.org_id', '=', orgId)
          .where('r.document_type', '=', SALES_ORDER)
          .where('r.status', 'in', ['open', 'consumed'])
          .groupBy('r.line_id');
        return ('orderIds' in by
          ? claims.where('r.document_id', 'in', by.orderIds)
          : claims.where('r.document_id', 'in', eb.selectFrom('sales_order_lines as o').select('o.order_id').where('o.org_id', '=', orgId).where('o.id', 'in', by.lineIds))
        ).as('c');
      },
      (j) => j.onRef('c.line_id', '=', 's.id'),
    )
    .select([
      's.id', 's.order_id', 's.line_no', 's.item_id', 'i.sku', 'i.unit', 'i.unit_precision', 's.warehouse_id', 'w.code as warehouse_code', 's.quantity',
      's.cancelled_quantity', 's.unit_price', 's.discount_percent', 's.requested_on', 's.promised_on', 'c.reserved', 'c.shipped',
    ])
    .where('s.org_id', '=', orgId);
  return ('orderIds' in by ? query.where('s.order_id', 'in', by.orderIds) : query.where('s.id', 'in', by.lineIds)).orderBy('s.order_id').orderBy('s.line_no');
}

const linesOfOrders = prepared((db, p: { orgId: number; orderIds: number[] }) => lineQuery(db, p.orgId, { orderIds: p.orderIds }));
const linesById = prepared((db, p: { orgId: number; lineIds: number[] }) => lineQuery(db, p.orgId, { lineIds: p.lineIds }));

/**
 * The lines of some orders (or some lines by id), in order then line number: one statement, the
 * line with its item, its warehouse's code and its reserved and shipped sums (reservations grouped
 * by line, over the orders concerned).
 */
export async function lineStates(tx: Tx, orgId: number, filter: { orderIds?: number[]; lineIds?: number[] }): Promise<LineState[]> {
  const { orderIds, lineIds } = filter;
  if ((orderIds && orderIds.length === 0) || (lineIds && lineIds.length === 0)) return [];
  let rows = orderIds ? await linesOfOrders(tx, { orgId, orderIds }) : await linesById(tx, { orgId, lineIds: lineIds! });
  if (orderIds && lineIds) rows = rows.filter((r) => lineIds.includes(num(r.id)));
  return rows.map((r) => ({
    id: num(r.id),
    orderId: num(r.order_id),
    lineNo: num(r.line_no),
    itemId: num(r.item_id),
    sku: r.sku,
    unit: r.unit,
    unitPrecision: num(r.unit_precision),
    warehouseId: num(r.warehouse_id),
    warehouseCode: r.warehouse_code ?? '',
    quantity: toBigInt(r.quantity),
    cancelled: toBigInt(r.cancelled_quantity),
    reserved: toBigInt(r.reserved),
    shipped: toBigInt(r.shipped),
    unitPrice: r.unit_price === null ? null : toBigInt(r.unit_price),
    discountPercent: toBigInt(r.discount_percent),
    requestedOn: r.requested_on,
    promisedOn: r.promised_on,
  }));
}

/** Per-line quantities of one order (what shipping's status refresh needs). */
export async function lineQuantities(tx: Tx, orgId: number, orderId: number): Promise<LineState[]> {
  return lineStates(tx, orgId, { orderIds: [orderId] });
}
