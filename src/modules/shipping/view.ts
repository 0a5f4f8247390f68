import { sql, type Kysely, type Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type DB } from '../../db/schema.js';
import type { ShipmentsTable } from '../../db/tables/shipping.js';
import { documentReference } from '../../ledger/documents.js';
import { queryMoves } from '../../ledger/queries.js';
import { ORDER_DOCUMENT, SHIPMENT } from './model.js';
import { shipmentPostingKey } from './post.js';

type Db = Kysely<DB>;
const scaled = (value: unknown) => (value === null || value === undefined ? null : toJsonNumber(toBigInt(value)));

/** The shipment with the order it ships: the customer comes from the order, the warehouse from the shipment (older ones: the order's). */
async function summaryOf(db: Db, orgId: number, row: Selectable<ShipmentsTable>) {
  const orderId = num(row.order_id);
  const order = await db.selectFrom('sales_orders').select(['customer', 'warehouse_id']).where('org_id', '=', orgId).where('id', '=', orderId).executeTakeFirstOrThrow();
  const warehouseId = row.warehouse_id === null ? num(order.warehouse_id) : num(row.warehouse_id);
  const warehouse = await db.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', warehouseId).executeTakeFirstOrThrow();
  const id = num(row.id);
  return {
    id,
    number: documentReference(SHIPMENT, id),
    status: row.status,
    orderId,
    order: documentReference(ORDER_DOCUMENT, orderId),
    customer: order.customer,
    warehouse: warehouse.code,
    carrier: row.carrier,
    service: row.service,
    trackingNumber: row.tracking_number,
    promisedOn: row.promised_on,
    packedAt: row.packed_at,
    // While packed, shipped_at only holds the packing time (see create.ts).
    shippedAt: row.status === 'packed' ? null : row.shipped_at,
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

/** What the shipment carries: order line, SKU, bin, lot and quantity. */
export async function shipmentLines(db: Db, orgId: number, id: number) {
  const rows = await db
    .selectFrom('shipment_lines as s')
    .innerJoin('sales_order_lines as ol', (j) => j.onRef('ol.org_id', '=', 's.org_id').onRef('ol.id', '=', 's.line_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 's.org_id').onRef('l.id', '=', 's.location_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 's.org_id').onRef('lot.id', '=', 's.lot_id'))
    .select(['s.id', 'ol.line_no', 'i.sku', 'i.name', 'i.unit', 'l.code as bin', 'lot.code as lot', 's.quantity', 's.task_id'])
    .where('s.org_id', '=', orgId)
    .where('s.shipment_id', '=', id)
    .orderBy('ol.line_no')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    line: num(r.line_no), sku: r.sku, name: r.name, unit: r.unit, bin: r.bin, lot: r.lot ?? null,
    quantity: toJsonNumber(toBigInt(r.quantity)), taskId: r.task_id === null ? null : num(r.task_id),
  }));
}

/** The shipment's own moves (its posting); shipments from before split shipping show their order's ship moves. */
async function shipmentMoves(db: Db, orgId: number, id: number, orderId: number, hasLines: boolean) {
  if (!hasLines) {
    const { moves } = await queryMoves(db, orgId, { documentType: ORDER_DOCUMENT, documentId: orderId, limit: 10_000 });
    return moves.map((m) => ({ id: m.id, sku: m.sku, from: m.from, to: m.to, quantity: toJsonNumber(m.quantity), lot: m.lot }));
  }
  const rows = await db
    .selectFrom('moves as m')
    .innerJoin('postings as p', (j) => j.onRef('p.org_id', '=', 'm.org_id').onRef('p.id', '=', 'm.posting_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'm.org_id').onRef('i.id', '=', 'm.item_id'))
    .innerJoin('locations as f', (j) => j.onRef('f.org_id', '=', 'm.org_id').onRef('f.id', '=', 'm.from_location_id'))
    .innerJoin('locations as t', (j) => j.onRef('t.org_id', '=', 'm.org_id').onRef('t.id', '=', 'm.to_location_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 'm.org_id').onRef('lot.id', '=', 'm.lot_id'))
    .select(['m.id', 'i.sku', 'f.code as from', 't.code as to', 'm.quantity', 'lot.code as lot'])
    .where('m.org_id', '=', orgId)
    .where('p.posting_key', '=', shipmentPostingKey(id))
    .orderBy('m.id')
    .execute();
  return rows.map((m) => ({ id: num(m.id), sku: m.sku, from: m.from, to: m.to, quantity: toJsonNumber(toBigInt(m.quantity)), lot: m.lot ?? null }));
}

/** The shipment with its lines, packages, tracking events and moves. */
export async function shipmentView(db: Db, orgId: number, id: number) {
  const row = await shipmentRow(db, orgId, id);
  const summary = await summaryOf(db, orgId, row);
  const packages = await db.selectFrom('shipment_packages').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', id).orderBy('package_no').execute();
  const events = await db.selectFrom('shipment_events').selectAll().where('org_id', '=', orgId).where('shipment_id', '=', id).orderBy('id').execute();
  const lines = await shipmentLines(db, orgId, id);
  return {
    ...summary,
    lines,
    packages: packages.map((p) => ({
      package: num(p.package_no),
      weightKg: scaled(p.weight_kg),
      lengthCm: scaled(p.length_cm),
      widthCm: scaled(p.width_cm),
      heightCm: scaled(p.height_cm),
      reference: p.reference,
    })),
    events: events.map((e) => ({ id: num(e.id), status: e.status, at: e.at, location: e.location, note: e.note, source: e.source, recordedAt: e.recorded_at })),
    moves: row.status === 'packed' ? [] : await shipmentMoves(db, orgId, id, summary.orderId, lines.length > 0),
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
  /** Only shipments of these warehouses (the shipment's, or its order's for older ones); null or undefined: all. */
  warehouseIds?: readonly number[] | null;
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
  if (filter.warehouseIds) query = query.where(sql`coalesce(s.warehouse_id, o.warehouse_id)`, 'in', [-1, ...filter.warehouseIds]);
  if (filter.after !== undefined) query = query.where('s.id', '<', filter.after);
  const rows = await query.orderBy('s.id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => summaryOf(db, orgId, r)));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
