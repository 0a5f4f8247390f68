import { sql, type Kysely, type Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import type { ShipmentsTable } from '../../db/tables/shipping.js';
import { documentReference } from '../../ledger/documents.js';
import { queryMoves } from '../../ledger/queries.js';
import { ORDER_DOCUMENT, SHIPMENT } from './model.js';

type Db = Kysely<DB>;
const scaled = (value: unknown) => (value === null || value === undefined ? null : toJsonNumber(toBigInt(value)));

/** The shipment with the order it ships: customer and warehouse come from the order. */
async function summaryOf(db: Db, orgId: number, row: Selectable<ShipmentsTable>) {
  const orderId = num(row.order_id);
  const order = await db
    .selectFrom('sales_orders as o')
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'o.org_id').onRef('w.id', '=', 'o.warehouse_id'))
    .select(['o.customer', 'w.code as warehouse'])
    .where('o.org_id', '=', orgId)
    .where('o.id', '=', orderId)
    .executeTakeFirstOrThrow();
  const id = num(row.id);
  return {
    id,
    number: documentReference(SHIPMENT, id),
    status: row.status,
    orderId,
    order: documentReference(ORDER_DOCUMENT, orderId),
    customer: order.customer,
    warehouse: order.warehouse,
    carrier: row.carrier,
    service: row.service,
    trackingNumber: row.tracking_number,
    promisedOn: row.promised_on,
    shippedAt: row.shipped_at,
    deliveredAt: row.delivered_at,
    deliveredOn: row.delivered_on,
    onTime: row.on_time === null ? null : num(row.on_time) === 1,
  };
}

export async function shipmentRow(db: Db, orgId: number, id: number) {
  const row = await db.selectFrom('shipments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`shipment ${id}`);
  return row;
}

/** The shipment with its packages, its tracking events and the order's ship moves. */
export async function shipmentView(db: Db, orgId: number, id: number) {
  const row = await shipmentRow(db, orgId, id);
  const summary = await summaryOf(db, orgId, row);
  const packages = await db.selectFrom('shipment_packages').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', id).orderBy('package_no').execute();
  const events = await db.selectFrom('shipment_events').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', id).orderBy('id').execute();
  const { moves } = await queryMoves(db, orgId, { documentType: ORDER_DOCUMENT, documentId: summary.orderId, limit: 10_000 });
  return {
    ...summary,
    packages: packages.map((p) => ({
      package: num(p.package_no),
      weightKg: scaled(p.weight_kg),
      lengthCm: scaled(p.length_cm),
      widthCm: scaled(p.width_cm),
      heightCm: scaled(p.height_cm),
      reference: p.reference,
    })),
    events: events.map((e) => ({ id: num(e.id), status: e.status, at: e.at, location: e.location, note: e.note, source: e.source, recordedAt: e.recorded_at })),
    moves: moves.map((m) => ({ id: m.id, sku: m.sku, from: m.from, to: m.to, quantity: toJsonNumber(m.quantity), lot: m.lot })),
  };
}
export type ShipmentViewBody = Awaited<ReturnType<typeof shipmentView>>;

/** What a sales order shows of its shipments. */
export async function shipmentsOfOrder(db: Db, orgId: number, orderId: number) {
  const rows = await db
    .selectFrom('shipments')
    .select(['id', 'status', 'carrier', 'tracking_number'])
    .where('org_id', '=', orgId)
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: num(r.id), number: documentReference(SHIPMENT, num(r.id)), status: r.status, carrier: r.carrier, trackingNumber: r.tracking_number }));
}

export interface ShipmentFilter {
  status?: Selectable<ShipmentsTable>['status'];
  carrier?: string;
  q?: string;
  after?: number;
  limit: number;
}

/** Newest first, keyset-paginated by id. */
export async function listShipmentRows(db: Db, orgId: number, filter: ShipmentFilter) {
  let query = db
    .selectFrom('shipments as s')
    .innerJoin('sales_orders as o', (j) => j.onRef('o.org_id', '=', 's.org_id').onRef('o.id', '=', 's.order_id'))
    .selectAll('s')
    .where('s.org_id', '=', orgId);
  if (filter.status) query = query.where('s.status', '=', filter.status);
  if (filter.carrier) query = query.where('s.carrier', '=', filter.carrier);
  if (filter.q) {
    const q = filter.q;
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const byNumber = /^SH-?0*(\d{1,15})$/i.exec(q);
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(s.tracking_number)`, 'like', sql`lower(${pattern}) escape '\\'`),
        eb(sql`lower(o.customer)`, 'like', sql`lower(${pattern}) escape '\\'`),
        ...(byNumber ? [eb('s.id', '=', Number(byNumber[1]))] : []),
      ]),
    );
  }
  if (filter.after !== undefined) query = query.where('s.id', '<', filter.after);
  const rows = await query.orderBy('s.id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => summaryOf(db, orgId, r)));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
