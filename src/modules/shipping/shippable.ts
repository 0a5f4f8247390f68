import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { ORDER_DOCUMENT } from './model.js';

/** An open reservation row of an order and how much of it is still free to pack or ship. */
export interface ShippableReservation {
  id: number;
  lineId: number;
  itemId: number;
  locationId: number;
  lotId: number;
  warehouseId: number;
  open: bigint;
  /** Held by shipments that are packed and not shipped yet (still reserved, about to leave). */
  packedPending: bigint;
  /** open − packedPending: what another shipment may still take. */
  free: bigint;
}

/** The order's open reservations with what packed-but-unshipped shipments already hold of each. */
export async function shippableReservations(tx: Tx, orgId: number, orderId: number): Promise<ShippableReservation[]> {
  const rows = await tx
    .selectFrom('reservations as r')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.location_id'))
    .select([
      'r.id', 'r.line_id', 'r.item_id', 'r.location_id', 'r.lot_id', 'l.warehouse_id', 'r.quantity',
      sql<string>`(select coalesce(sum(sl.quantity), 0) from shipment_lines sl inner join shipments s on s.org_id = sl.org_id and s.id = sl.shipment_id
        where sl.org_id = r.org_id and sl.reservation_id = r.id and s.status = 'packed')`.as('packed'),
    ])
    .where('r.org_id', '=', orgId)
    .where('r.document_type', '=', ORDER_DOCUMENT)
    .where('r.document_id', '=', orderId)
    .where('r.status', '=', 'open')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => {
    const open = toBigInt(r.quantity);
    const packedPending = toBigInt(r.packed);
    return {
      id: num(r.id), lineId: num(r.line_id), itemId: num(r.item_id), locationId: num(r.location_id), lotId: num(r.lot_id),
      warehouseId: num(r.warehouse_id!), open, packedPending, free: open - packedPending,
    };
  });
}

/** The earliest promise date of some order lines (what the customer was told), or null. */
export async function earliestPromise(tx: Tx, orgId: number, lineIds: number[]): Promise<string | null> {
  if (lineIds.length === 0) return null;
  const row = await tx
    .selectFrom('sales_order_lines')
    .select(sql<string | null>`min(promised_on)`.as('promised'))
    .where('org_id', '=', orgId)
    .where('id', 'in', [...new Set(lineIds)])
    .executeTakeFirst();
  return row?.promised ?? null;
}
