import { sql, type Kysely } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num, type DB } from '../../db/schema.js';
import type { IncomingSupply, SupplyFilter } from '../stock/supply.js';
import { PURCHASE_ORDER } from './document-types.js';

/**
 * Stock expected from purchase orders: per line of an approved or partially received order, the
 * quantity ordered and not yet received, expected on the line's date or else the order's.
 * Over-received lines expect nothing; closed and cancelled orders expect nothing.
 */
export async function openPurchaseSupply(db: Kysely<DB>, orgId: number, filter: SupplyFilter): Promise<IncomingSupply[]> {
  let query = db
    .selectFrom('purchase_order_lines as l')
    .innerJoin('purchase_orders as o', (j) => j.onRef('o.org_id', '=', 'l.org_id').onRef('o.id', '=', 'l.order_id'))
    .select(['l.item_id', 'o.warehouse_id', 'l.quantity', 'l.received', 'l.expected_on as line_expected_on', 'o.expected_on as order_expected_on', 'o.id as order_id'])
    .where('l.org_id', '=', orgId)
    .where('o.status', 'in', ['approved', 'partially_received'])
    .where(sql<boolean>`l.quantity > l.received`);
  if (filter.itemId !== undefined) query = query.where('l.item_id', '=', filter.itemId);
  if (filter.warehouseId !== undefined) query = query.where('o.warehouse_id', '=', filter.warehouseId);
  const rows = await query.orderBy('o.id').orderBy('l.line_no').execute();
  return rows.map((r) => ({
    itemId: num(r.item_id),
    warehouseId: num(r.warehouse_id),
    quantity: toBigInt(r.quantity) - toBigInt(r.received),
    expectedOn: r.line_expected_on ?? r.order_expected_on,
    documentType: PURCHASE_ORDER,
    documentId: num(r.order_id),
  }));
}
