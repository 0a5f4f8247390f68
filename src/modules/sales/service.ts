import { sql, type Selectable } from 'kysely';
import { DecimalFormatError, parseScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { conflict, insufficientStock, notFound, validationError, type FieldError, type ShortLine } from '../../core/errors.js';
import { todayIso } from '../../core/text.js';
import { num, type SalesOrdersTable, type SalesOrderStatus } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { releaseReservations, reserveStock } from '../../ledger/reservations.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { itemsBySku } from '../items/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { shipmentsOfOrder } from '../shipping/view.js';

export const SALES_ORDER = 'sales-order';

export interface SalesOrderInput {
  customer: string;
  warehouse: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** Which status may go to which: the order's state machine. */
const TRANSITIONS: Record<SalesOrderStatus, SalesOrderStatus[]> = {
  draft: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: [],
  cancelled: [],
};

export async function createSalesOrder(ctx: ServiceContext, input: SalesOrderInput) {
  authorize(ctx.actor, 'sales.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    const items = await itemsBySku(tx, orgId, input.lines);
    const errors: FieldError[] = [];
    const quantities = input.lines.map((line, i) => {
      const item = items[i]!;
      try {
        const q = parseScaled(line.quantity, item.unitPrecision);
        if (q <= 0n) errors.push({ field: `lines.${i}.quantity`, message: 'must be greater than zero' });
        return q;
      } catch (e) {
        errors.push({ field: `lines.${i}.quantity`, message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${item.unitPrecision})` });
        return 0n;
      }
    });
    if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const at = nowIso();
    const order = await tx
      .insertInto('sales_orders')
      .values({ org_id: orgId, customer: input.customer, warehouse_id: warehouse.id, status: 'draft', created_by: userId, created_at: at, updated_at: at, confirmed_at: null, shipped_at: null, cancelled_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const orderId = num(order.id);
    await tx
      .insertInto('sales_order_lines')
      .values(input.lines.map((_, i) => ({ org_id: orgId, order_id: orderId, line_no: i + 1, item_id: items[i]!.id, quantity: quantities[i]! })))
      .execute();
    const body = await salesOrderView(tx, orgId, orderId);
    return { status: 201, body, audit: { action: 'sales.create', targetType: SALES_ORDER, targetId: orderId, detail: body }, events: [{ type: 'sales-order.created', payload: body }] };
  });
}

export async function lockOrder(lt: LedgerTx, orgId: number, id: number, next: SalesOrderStatus) {
  const order = await lockRows(lt, lt.tx.selectFrom('sales_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!order) throw notFound(`sales order ${id}`);
  if (!TRANSITIONS[order.status].includes(next)) {
    throw conflict(`sales order ${documentReference(SALES_ORDER, id)} is ${order.status} and cannot become ${next}`, { currentStatus: order.status });
  }
  return order;
}

export async function setStatus(tx: Tx, orgId: number, id: number, status: SalesOrderStatus) {
  const at = nowIso();
  const stamp = status === 'confirmed' ? { confirmed_at: at } : status === 'shipped' ? { shipped_at: at } : status === 'cancelled' ? { cancelled_at: at } : {};
  await tx.updateTable('sales_orders').set({ status, updated_at: at, ...stamp }).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/** Reserve every line or nothing; a shortage answers 409 naming the short lines. */
export async function confirmSalesOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.confirm');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const order = await lockOrder(lt, orgId, id, 'confirmed');
    const lines = await orderLines(lt.tx, orgId, id);
    const result = await reserveStock(lt, {
      orgId,
      documentType: SALES_ORDER,
      documentId: id,
      warehouseId: num(order.warehouse_id),
      demands: lines.map((l) => ({ lineId: l.id, itemId: l.itemId, quantity: l.quantity })),
      today: todayIso(),
    });
    if (!result.ok) {
      const short = new Map(result.shortages.map((s) => [s.itemId, s]));
      const shortLines: ShortLine[] = lines
        .filter((l) => short.has(l.itemId))
        .map((l) => ({ line: l.lineNo, sku: l.sku, requested: toJsonNumber(l.quantity), available: toJsonNumber(short.get(l.itemId)!.available) }));
      throw insufficientStock(
        `not enough available stock for ${shortLines.map((s) => `line ${s.line} (${s.sku}: ${s.requested} requested, ${s.available} available)`).join(', ')}`,
        shortLines,
        shortLines.map((s) => ({ field: `lines.${s.line - 1}.quantity`, message: `only ${s.available} available` })),
      );
    }
    await setStatus(lt.tx, orgId, id, 'confirmed');
    const body = await salesOrderView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'sales.confirm', targetType: SALES_ORDER, targetId: id }, events: [{ type: 'sales-order.confirmed', payload: body }] };
  });
}

export async function cancelSalesOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.cancel');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    await lockOrder(lt, orgId, id, 'cancelled');
    const released = await releaseReservations(lt, orgId, SALES_ORDER, id);
    await setStatus(lt.tx, orgId, id, 'cancelled');
    const body = await salesOrderView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'sales.cancel', targetType: SALES_ORDER, targetId: id, detail: { releasedReservations: released } }, events: [{ type: 'sales-order.cancelled', payload: body }] };
  });
}

interface OrderLine {
  id: number;
  lineNo: number;
  itemId: number;
  sku: string;
  quantity: bigint;
}

async function orderLines(tx: Tx, orgId: number, orderId: number): Promise<OrderLine[]> {
  const rows = await tx
    .selectFrom('sales_order_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .select(['s.id', 's.line_no', 's.item_id', 'i.sku', 's.quantity'])
    .where('s.org_id', '=', orgId)
    .where('s.order_id', '=', orderId)
    .orderBy('s.line_no')
    .execute();
  return rows.map((r) => ({ id: num(r.id), lineNo: num(r.line_no), itemId: num(r.item_id), sku: r.sku, quantity: toBigInt(r.quantity) }));
}

export async function salesOrderView(tx: Tx, orgId: number, id: number) {
  const order = await tx.selectFrom('sales_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!order) throw notFound(`sales order ${id}`);
  return toView(tx, orgId, order);
}

async function toView(tx: Tx, orgId: number, order: Selectable<SalesOrdersTable>) {
  const id = num(order.id);
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(order.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await orderLines(tx, orgId, id);
  const claims = await tx
    .selectFrom('reservations')
    .select(['line_id', 'status', sql<string>`sum(quantity)`.as('q')])
    .where('org_id', '=', orgId)
    .where('document_type', '=', SALES_ORDER)
    .where('document_id', '=', id)
    .where('status', 'in', ['open', 'consumed'])
    .groupBy(['line_id', 'status'])
    .execute();
  const sum = (lineId: number, status: string) => toBigInt(claims.find((c) => num(c.line_id) === lineId && c.status === status)?.q ?? 0);
  return {
    id,
    number: documentReference(SALES_ORDER, id),
    status: order.status,
    customer: order.customer,
    warehouse: warehouse.code,
    lines: lines.map((l) => ({
      line: l.lineNo,
      sku: l.sku,
      quantity: toJsonNumber(l.quantity),
      reserved: toJsonNumber(sum(l.id, 'open')),
      shipped: toJsonNumber(sum(l.id, 'consumed')),
    })),
    createdAt: order.created_at,
    confirmedAt: order.confirmed_at,
    shippedAt: order.shipped_at,
    cancelledAt: order.cancelled_at,
    shipments: await shipmentsOfOrder(tx, orgId, id),
  };
}

export async function getSalesOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  return salesOrderView(ctx.store.read, ctx.actor.orgId, id);
}

export async function listSalesOrders(ctx: ServiceContext, filter: { status?: SalesOrderStatus; after?: number; limit: number }) {
  authorize(ctx.actor, 'sales.view');
  let query = ctx.store.read.selectFrom('sales_orders').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.after !== undefined) query = query.where('id', '<', filter.after);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => toView(ctx.store.read, ctx.actor.orgId, r)));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
