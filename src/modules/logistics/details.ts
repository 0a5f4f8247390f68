import { sql, type Kysely } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { num, type DB } from '../../db/schema.js';
import { documentReference } from '../../ledger/documents.js';
import { SALES_ORDER } from '../sales/service.js';
import { SHIPMENT } from '../shipping/model.js';

type Db = Kysely<DB>;

interface LineView { line: number; sku: string; quantity: number; reserved: number; shipped: number }
interface ShipmentView { number: string; carrier: string | null; trackingNumber: string | null; status: 'shipped' | 'in_transit' | 'exception' | 'delivered' }

function push<T>(map: Map<number, T[]>, key: number, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Lines (with reserved = open claims, shipped = consumed claims, as the sales order shows them) and
 * shipments of a page of orders, in three set-based queries whatever the page size.
 */
export async function pageDetails(db: Db, orgId: number, orderIds: number[]) {
  const lines = new Map<number, LineView[]>();
  const shipments = new Map<number, ShipmentView[]>();
  if (orderIds.length === 0) return { lines, shipments };
  const [lineRows, claimRows, shipmentRows] = await Promise.all([
    db
      .selectFrom('sales_order_lines as l')
      .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'l.org_id').onRef('i.id', '=', 'l.item_id'))
      .select(['l.id', 'l.order_id', 'l.line_no', 'i.sku', 'l.quantity'])
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
      .selectFrom('shipments')
      .select(['id', 'order_id', 'status', 'carrier', 'tracking_number'])
      .where('org_id', '=', orgId)
      .where('order_id', 'in', orderIds)
      .orderBy('id')
      .execute(),
  ]);
  // Line ids are unique per company, so the claims are keyed by line alone.
  const claimed = new Map<string, bigint>(claimRows.map((c) => [`${num(c.line_id)}:${c.status}`, toBigInt(c.q)]));
  const claim = (lineId: number, status: string) => claimed.get(`${lineId}:${status}`) ?? 0n;
  for (const l of lineRows) {
    const id = num(l.id);
    push(lines, num(l.order_id), {
      line: num(l.line_no),
      sku: l.sku,
      quantity: toJsonNumber(toBigInt(l.quantity)),
      reserved: toJsonNumber(claim(id, 'open')),
      shipped: toJsonNumber(claim(id, 'consumed')),
    });
  }
  for (const s of shipmentRows) {
    push(shipments, num(s.order_id), { number: documentReference(SHIPMENT, num(s.id)), carrier: s.carrier, trackingNumber: s.tracking_number, status: s.status });
  }
  return { lines, shipments };
}
