import { sql, type Kysely } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { num, type DB } from '../../db/schema.js';
import type { ShipmentStatus } from '../../db/tables/shipping.js';
import { documentReference } from '../../ledger/documents.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { SHIPMENT } from '../shipping/model.js';

type Db = Kysely<DB>;

interface LineView {
  line: number; sku: string; quantity: number; cancelled: number; reserved: number; picked: number; packed: number; shipped: number; backordered: number;
}
interface ShipmentView {
  number: string; carrier: string | null; trackingNumber: string | null; status: ShipmentStatus;
  promisedOn: string | null; shippedAt: string | null; deliveredOn: string | null; onTime: boolean | null;
}

function push<T>(map: Map<number, T[]>, key: number, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Lines and shipments of a page of orders, in four set-based queries whatever the page size. Per
 * line: reserved = open claims, shipped = consumed claims (as the sales order shows them), picked
 * = picked by pick tasks (shipped or not), packed = in shipments packed and not yet shipped,
 * backordered = quantity − cancelled − shipped − reserved.
 */
export async function pageDetails(db: Db, orgId: number, orderIds: number[]) {
  const lines = new Map<number, LineView[]>();
  const shipments = new Map<number, ShipmentView[]>();
  if (orderIds.length === 0) return { lines, shipments };
  const [lineRows, claimRows, pickRows, shipmentRows] = await Promise.all([
    db
      .selectFrom('sales_order_lines as l')
      .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'l.org_id').onRef('i.id', '=', 'l.item_id'))
      .select(['l.id', 'l.order_id', 'l.line_no', 'i.sku', 'l.quantity', 'l.cancelled_quantity'])
      .where('l.org_id', '=', orgId)
      .where('l.order_id', 'in', orderIds)
      .orderBy('l.order_id')
      .orderBy('l.line_no')
      .execute(),
    db
      .selectFrom('reservations')
      .select(['line_id', 'status', sql<string>`sum(quantity)`.as('q')])
      .where('org_id', '=', orgId)
      .where('document_type', '=', SALES_ORDER)
      .where('document_id', 'in', orderIds)
      .where('status', 'in', ['open', 'consumed'])
      .groupBy(['line_id', 'status'])
      .execute(),
    db
      .selectFrom('pick_tasks as t')
      .select(['t.line_id', sql<string>`sum(t.picked_quantity)`.as('picked'),
        sql<string>`(select coalesce(sum(sl.quantity), 0) from shipment_lines sl inner join shipments s on s.org_id = sl.org_id and s.id = sl.shipment_id
          where sl.org_id = t.org_id and sl.line_id = t.line_id and s.status = 'packed')`.as('packed')])
      .where('t.org_id', '=', orgId)
      .where('t.order_id', 'in', orderIds)
      .groupBy(['t.org_id', 't.line_id'])
      .execute(),
    db
      .selectFrom('shipments')
      .select(['id', 'order_id', 'status', 'carrier', 'tracking_number', 'promised_on', 'shipped_at', 'delivered_on', 'on_time'])
      .where('org_id', '=', orgId)
      .where('order_id', 'in', orderIds)
      .orderBy('id')
      .execute(),
  ]);
  // Line ids are unique per company, so the claims are keyed by line alone.
  const claimed = new Map<string, bigint>(claimRows.map((c) => [`${num(c.line_id)}:${c.status}`, toBigInt(c.q)]));
  const claim = (lineId: number, status: string) => claimed.get(`${lineId}:${status}`) ?? 0n;
  const picks = new Map(pickRows.map((p) => [num(p.line_id), { picked: toBigInt(p.picked), packed: toBigInt(p.packed) }]));
  for (const l of lineRows) {
    const id = num(l.id);
    const quantity = toBigInt(l.quantity);
    const cancelled = toBigInt(l.cancelled_quantity);
    const reserved = claim(id, 'open');
    const shipped = claim(id, 'consumed');
    const waiting = quantity - cancelled - shipped - reserved;
    push(lines, num(l.order_id), {
      line: num(l.line_no),
      sku: l.sku,
      quantity: toJsonNumber(quantity),
      cancelled: toJsonNumber(cancelled),
      reserved: toJsonNumber(reserved),
      picked: toJsonNumber(picks.get(id)?.picked ?? 0n),
      packed: toJsonNumber(picks.get(id)?.packed ?? 0n),
      shipped: toJsonNumber(shipped),
      backordered: toJsonNumber(waiting > 0n ? waiting : 0n),
    });
  }
  for (const s of shipmentRows) {
    push(shipments, num(s.order_id), {
      number: documentReference(SHIPMENT, num(s.id)), carrier: s.carrier, trackingNumber: s.tracking_number, status: s.status,
      promisedOn: s.promised_on, shippedAt: s.status === 'packed' ? null : s.shipped_at, deliveredOn: s.delivered_on,
      onTime: s.on_time === null ? null : num(s.on_time) === 1,
    });
  }
  return { lines, shipments };
}
