import { sql, type Selectable } from 'kysely';
import { toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num, type SalesOrdersTable, type SalesOrderStatus } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import type { LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { shipmentsOfOrder } from '../shipping/view.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { grossAmount, lineAmount } from './amounts.js';
import { SALES_ORDER } from './document-type.js';
import { backordered, lineStates, openQuantity, type LineState } from './lines.js';
import { earliestRequestedOn, lockHours, orderLock, type OrderLock } from './lock-period.js';
import { prepared } from './prepared.js';

const WAITING: SalesOrderStatus[] = ['confirmed', 'partially_shipped'];

/** The order's partner as the view shows it. */
export interface OrderPartner {
  id: number;
  code: string;
  name: string;
  minShelfLifeDays: number | null;
}

/** An order's own row with what the view shows of its warehouse and partner. */
export interface OrderHead {
  row: Selectable<SalesOrdersTable>;
  /** The code of the order's warehouse ('' if it is gone). */
  warehouseCode: string;
  /** Null without a partner (or when the partner is gone). */
  partner: OrderPartner | null;
}

/** Orders with their warehouse's code and their partner in one statement (callers that lock, lock only `o`). */
export function orderHeads(db: Tx, orgId: number) {
  return db
    .selectFrom('sales_orders as o')
    .leftJoin('warehouses as ow', (j) => j.onRef('ow.org_id', '=', 'o.org_id').onRef('ow.id', '=', 'o.warehouse_id'))
    .leftJoin('partners as op', (j) => j.onRef('op.org_id', '=', 'o.org_id').onRef('op.id', '=', 'o.partner_id'))
    .selectAll('o')
    .select(['ow.code as head_warehouse_code', 'op.id as head_partner_id', 'op.code as head_partner_code', 'op.name as head_partner_name', 'op.min_shelf_life_days as head_partner_min_shelf_life_days'])
    .where('o.org_id', '=', orgId);
}

type HeadRow = Awaited<ReturnType<ReturnType<typeof orderHeads>['executeTakeFirstOrThrow']>>;

/** A row of `orderHeads` as an order head (the row keeps the joined columns: nothing reads them). */
export function toOrderHead(row: HeadRow): OrderHead {
  return {
    row,
    warehouseCode: row.head_warehouse_code ?? '',
    partner:
      row.partner_id === null || row.head_partner_id === null
        ? null
        : {
            id: num(row.head_partner_id),
            code: row.head_partner_code ?? '',
            name: row.head_partner_name ?? '',
            minShelfLifeDays: row.head_partner_min_shelf_life_days === null ? null : num(row.head_partner_min_shelf_life_days),
          },
  };
}

const orderHead = prepared((db, p: { orgId: number; id: number }) => orderHeads(db, p.orgId).where('o.id', '=', p.id));
const lockedOrderHead = prepared((db, p: { orgId: number; id: number }) => orderHeads(db, p.orgId).where('o.id', '=', p.id).forUpdate('o'));

/** One order with its warehouse code and partner; 404 when there is none. `lock`: FOR UPDATE of the order row (PostgreSQL). */
export async function readOrderHead(tx: Tx, orgId: number, id: number, lock?: LedgerTx): Promise<OrderHead> {
  const [row] = await (lock?.dialect === 'postgres' ? lockedOrderHead : orderHead)(tx, { orgId, id });
  if (!row) throw notFound(`sales order ${id}`);
  return toOrderHead(row);
}

/** The order as the API shows it, read from the database. */
export async function salesOrderView(tx: Tx, orgId: number, id: number) {
  const head = await readOrderHead(tx, orgId, id);
  const lines = await lineStates(tx, orgId, { orderIds: [id] });
  const lock = await orderLock(tx, orgId, { id, status: head.row.status, requestedOn: head.row.requested_on }, lines);
  return orderView(head, lines, lock, await shipmentsOfOrder(tx, orgId, id));
}

export type Shipments = Awaited<ReturnType<typeof shipmentsOfOrder>>;

/**
 * The order as the API shows it, from what a command already read or wrote (nothing is read
 * here): commands build it from their own data instead of reading the order back.
 */
export function orderView(head: OrderHead, lines: LineState[], lock: Pick<OrderLock, 'lockedFrom' | 'locked'>, shipments: Shipments) {
  const order = head.row;
  const id = num(order.id);
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
      warehouse: l.warehouseCode,
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
  return {
    id,
    number: documentReference(SALES_ORDER, id),
    status: order.status,
    customer: order.customer,
    partner: head.partner ? { ...head.partner } : null,
    warehouse: head.warehouseCode,
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
    shipments,
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
  let query = scopeToWarehouses(orderHeads(db, orgId), 'o.warehouse_id', ctx.actor);
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
  const heads = rows.slice(0, filter.limit).map(toOrderHead);
  // The page's lines in one statement, and the lock hours once (only when some order has a requested date).
  const linesOf = new Map<number, LineState[]>();
  for (const l of await lineStates(db, orgId, { orderIds: heads.map((h) => num(h.row.id)) })) linesOf.set(l.orderId, [...(linesOf.get(l.orderId) ?? []), l]);
  const withDates = heads.some((h) => earliestRequestedOn(h.row.requested_on, linesOf.get(num(h.row.id)) ?? []) !== null);
  const hours = withDates ? await lockHours(db, orgId) : undefined;
  const items = [];
  for (const head of heads) {
    const id = num(head.row.id);
    const lines = linesOf.get(id) ?? [];
    const lock = await orderLock(db, orgId, { id, status: head.row.status, requestedOn: head.row.requested_on }, lines, { lockHours: hours });
    items.push(orderView(head, lines, lock, await shipmentsOfOrder(db, orgId, id)));
  }
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
