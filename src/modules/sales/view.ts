import { sql, type Selectable } from 'kysely';
import { toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type SalesOrdersTable, type SalesOrderStatus } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { shipmentsOfOrder } from '../shipping/view.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { grossAmount, lineAmount } from './amounts.js';
import { SALES_ORDER } from './document-type.js';
import { backordered, lineStates, openQuantity, type LineState } from './lines.js';
import { orderLock } from './lock-period.js';

const WAITING: SalesOrderStatus[] = ['confirmed', 'partially_shipped'];

export async function salesOrderView(tx: Tx, orgId: number, id: number) {
  const order = await tx.selectFrom('sales_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!order) throw notFound(`sales order ${id}`);
  return toView(tx, orgId, order);
}

async function toView(tx: Tx, orgId: number, order: Selectable<SalesOrdersTable>) {
  const id = num(order.id);
  const lines = await lineStates(tx, orgId, { orderIds: [id] });
  const warehouseIds = [...new Set([num(order.warehouse_id), ...lines.map((l) => l.warehouseId)])];
  const warehouses = new Map(
    (await tx.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).where('id', 'in', warehouseIds).execute()).map((w) => [num(w.id), w.code]),
  );
  const partner =
    order.partner_id === null
      ? undefined
      : await tx.selectFrom('partners').select(['id', 'code', 'name', 'min_shelf_life_days']).where('org_id', '=', orgId).where('id', '=', num(order.partner_id)).executeTakeFirst();
  const waiting = WAITING.includes(order.status);
  const waitingFor = (l: LineState) => (waiting ? backordered(l) : 0n);
  let gross = 0n;
  let net = 0n;
  const lineViews = lines.map((l) => {
    const billed = l.quantity - l.cancelled;
    const amount = lineAmount(billed, l.unitPrice, l.discountPercent);
    gross += grossAmount(billed, l.unitPrice) ?? 0n;
    net += amount ?? 0n;
    return {
      line: l.lineNo,
      sku: l.sku,
      warehouse: warehouses.get(l.warehouseId) ?? '',
      quantity: toJsonNumber(l.quantity),
      reserved: toJsonNumber(l.reserved),
      shipped: toJsonNumber(l.shipped),
      cancelled: toJsonNumber(l.cancelled),
      open: toJsonNumber(openQuantity(l)),
      backordered: toJsonNumber(waitingFor(l)),
      unitPrice: l.unitPrice === null ? null : toJsonNumber(l.unitPrice),
      discountPercent: toJsonNumber(l.discountPercent),
      amount: amount === null ? null : toJsonNumber(amount),
      requestedOn: l.requestedOn,
      promisedOn: l.promisedOn,
    };
  });
  const lock = await orderLock(tx, orgId, { id, status: order.status, requestedOn: order.requested_on }, lines);
  return {
    id,
    number: documentReference(SALES_ORDER, id),
    status: order.status,
    customer: order.customer,
    partner: partner
      ? { id: num(partner.id), code: partner.code, name: partner.name, minShelfLifeDays: partner.min_shelf_life_days === null ? null : num(partner.min_shelf_life_days) }
      : null,
    warehouse: warehouses.get(num(order.warehouse_id)) ?? '',
    priority: num(order.priority),
    requestedOn: order.requested_on,
    allowBackorder: num(order.allow_backorder) === 1,
    reference: order.reference,
    note: order.note,
    lockedFrom: lock.lockedFrom,
    locked: lock.locked,
    lines: lineViews,
    totals: { gross: toJsonNumber(gross), discount: toJsonNumber(gross - net), net: toJsonNumber(net), backordered: lines.filter((l) => waitingFor(l) > 0n).length },
    createdAt: order.created_at,
    confirmedAt: order.confirmed_at,
    shippedAt: order.shipped_at,
    cancelledAt: order.cancelled_at,
    shipments: await shipmentsOfOrder(tx, orgId, id),
  };
}

export async function getSalesOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_orders', id);
  return salesOrderView(ctx.store.read, ctx.actor.orgId, id);
}

export interface SalesOrderFilter {
  status?: SalesOrderStatus;
  customer?: string;
  warehouse?: string;
  backordered?: 'true' | 'false';
  after?: number;
  limit: number;
}

/** Newest first, keyset-paginated by id. */
export async function listSalesOrders(ctx: ServiceContext, filter: SalesOrderFilter) {
  authorize(ctx.actor, 'sales.view');
  const db = ctx.store.read;
  const orgId = ctx.actor.orgId;
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  // Orders of the warehouses the user may see (the order's own warehouse).
  let query = scopeToWarehouses(db.selectFrom('sales_orders as o').selectAll('o').where('o.org_id', '=', orgId), 'o.warehouse_id', ctx.actor);
  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.customer) {
    const pattern = `%${filter.customer.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const code = filter.customer;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(o.customer)`, 'like', sql`lower(${pattern}) escape '\\'`),
        eb('o.partner_id', 'in', eb.selectFrom('partners').select('id').where('org_id', '=', orgId).where('code', '=', code)),
      ]),
    );
  }
  if (filter.warehouse) {
    const code = filter.warehouse;
    const warehouse = db.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', code);
    query = query.where((eb) =>
      eb.or([
        eb('o.warehouse_id', 'in', warehouse),
        eb.exists(eb.selectFrom('sales_order_lines as l').select('l.id').whereRef('l.org_id', '=', 'o.org_id').whereRef('l.order_id', '=', 'o.id').where('l.warehouse_id', 'in', warehouse)),
      ]),
    );
  }
  if (filter.backordered === 'true') {
    query = query.where('o.status', 'in', WAITING).where(
      sql<boolean>`exists (select 1 from sales_order_lines l where l.org_id = o.org_id and l.order_id = o.id
        and l.quantity - l.cancelled_quantity > coalesce((select sum(r.quantity) from reservations r
          where r.org_id = l.org_id and r.document_type = ${SALES_ORDER} and r.document_id = l.order_id and r.line_id = l.id
            and r.status in ('open', 'consumed')), 0))`,
    );
  }
  if (filter.after !== undefined) query = query.where('o.id', '<', filter.after);
  const rows = await query.orderBy('o.id', 'desc').limit(filter.limit + 1).execute();
  const items = [];
  for (const r of rows.slice(0, filter.limit)) items.push(await toView(db, orgId, r));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
