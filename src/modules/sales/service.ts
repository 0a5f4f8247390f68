import { sql, type Insertable } from 'kysely';
import { DecimalFormatError, parseScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { conflict, insufficientStock, notFound, type ShortLine } from '../../core/errors.js';
import { todayIso } from '../../core/text.js';
import { num, type SalesOrderLinesTable, type SalesOrdersTable, type SalesOrderStatus } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { releaseReservationParts } from '../../ledger/reservation-parts.js';
import { releaseReservations, reserveStock } from '../../ledger/reservations.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { shipmentsOfOrder } from '../shipping/view.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { fillBackorders } from './backorders.js';
import { SALES_ORDER } from './document-type.js';
import { checkRequestedOn, Problems, resolveCustomer, resolveLines, warehouseIdsByCode, type ResolvedLine } from './input.js';
import { backordered, lineStates, openQuantity, type LineState } from './lines.js';
import { orderLock, refuseWhenLocked } from './lock-period.js';
import { prepared } from './prepared.js';
import { promiseDates } from './promise.js';
import type { CreateOrderInput, UpdateOrderInput } from './schemas.js';
import { minExpiryFor } from './shelf-life.js';
import { getSalesOrder, listSalesOrders, orderView, readOrderHead, salesOrderView } from './view.js';

export { SALES_ORDER, getSalesOrder, listSalesOrders, salesOrderView };

/** The contract's body; every other field is optional (docs/sales-orders.md). */
export type SalesOrderInput = CreateOrderInput;

/** Which status may go to which: the order's state machine. */
const TRANSITIONS: Record<SalesOrderStatus, SalesOrderStatus[]> = {
  draft: ['confirmed', 'cancelled'],
  confirmed: ['partially_shipped', 'shipped', 'cancelled'],
  // The rest of a partially shipped order is cancelled by closing it as shipped.
  partially_shipped: ['partially_shipped', 'shipped'],
  shipped: [],
  cancelled: [],
};

export async function createSalesOrder(ctx: ServiceContext, input: SalesOrderInput) {
  authorize(ctx.actor, 'sales.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const problems = new Problems();
    const warehouseId = (await warehouseIdsByCode(tx, orgId, [input.warehouse])).get(input.warehouse) ?? null;
    if (warehouseId === null) problems.add('warehouse', `unknown warehouse ${input.warehouse}`);
    requireWarehouse(ctx.actor, warehouseId);
    const who = await resolveCustomer(tx, orgId, input, problems);
    checkRequestedOn(problems, 'requestedOn', input.requestedOn);
    const lines = await resolveLines(tx, orgId, input.lines, warehouseId, problems, input.warehouse);
    requireLineWarehouses(ctx, lines);
    problems.throwIfAny();
    const at = nowIso();
    const [row] = await insertOrder(tx, {
      org_id: orgId, customer: who.customer ?? input.customer ?? '', partner_id: who.partnerId ?? null, warehouse_id: warehouseId!, status: 'draft',
      priority: input.priority ?? 5, allow_backorder: input.allowBackorder ? 1 : 0, requested_on: input.requestedOn ?? null,
      reference: input.reference ?? null, note: input.note ?? null,
      created_by: userId, created_at: at, updated_at: at, confirmed_at: null, shipped_at: null, cancelled_at: null,
    });
    if (!row) throw new Error('the new sales order was not returned');
    const orderId = num(row.id);
    const states = await insertLines(tx, orgId, orderId, lines);
    // The view from what was just written (no read back): a new draft has no reservations, shipments or pick tasks.
    const head = { row, warehouseCode: input.warehouse, partner: row.partner_id === null ? null : (who.partner ?? null) };
    const lock = await orderLock(tx, orgId, { id: orderId, status: row.status, requestedOn: row.requested_on }, states, { picking: false });
    const body = orderView(head, states, lock, []);
    return { status: 201, body, audit: { action: 'sales.create', targetType: SALES_ORDER, targetId: orderId, detail: body }, events: [{ type: 'sales-order.created', payload: body }] };
  });
}

/** Every warehouse lines are served from must be the user's too (unknown ones are 0: left to the 422). */
function requireLineWarehouses(ctx: ServiceContext, lines: Array<{ warehouseId: number }>): void {
  for (const warehouseId of new Set(lines.map((l) => l.warehouseId))) if (warehouseId > 0) requireWarehouse(ctx.actor, warehouseId);
}

const insertOrder = prepared((db, p: Insertable<SalesOrdersTable>) => db.insertInto('sales_orders').values(p).returningAll());

const insertLineRows = prepared((db, p: { rows: Array<Insertable<SalesOrderLinesTable>> }) => db.insertInto('sales_order_lines').values(p.rows).returning(['id', 'line_no']));

/** Insert the order's lines (numbered 1..n); returns them as line states (nothing reserved, shipped or cancelled yet). */
async function insertLines(tx: Tx, orgId: number, orderId: number, lines: ResolvedLine[]): Promise<LineState[]> {
  const rows = await insertLineRows(tx, {
    rows: lines.map((l, i) => ({
      org_id: orgId, order_id: orderId, line_no: i + 1, item_id: l.itemId, warehouse_id: l.warehouseId, quantity: l.quantity, cancelled_quantity: 0n,
      unit_price: l.unitPrice, discount_percent: l.discountPercent, requested_on: l.requestedOn, promised_on: null,
    })),
  });
  const ids = new Map(rows.map((r) => [num(r.line_no), num(r.id)]));
  return lines.map((l, i) => ({
    id: ids.get(i + 1)!, orderId, lineNo: i + 1, itemId: l.itemId, sku: l.sku, unit: l.unit, unitPrecision: l.unitPrecision,
    warehouseId: l.warehouseId, warehouseCode: l.warehouseCode, quantity: l.quantity, cancelled: 0n, reserved: 0n, shipped: 0n,
    unitPrice: l.unitPrice, discountPercent: l.discountPercent, requestedOn: l.requestedOn, promisedOn: null,
  }));
}

/** Fields a confirmed order still takes (within the lock period rules); the rest only on drafts. */
const CONFIRMED_FIELDS = new Set(['priority', 'requestedOn', 'reference', 'note']);

/**
 * Change an order. Drafts: every field; `lines` replaces all lines. Confirmed and partially shipped
 * orders: priority, requested date, reference and note, unless locked (409); their quantities
 * change only by cancelling (a line or the rest). Shipped and cancelled orders: 409.
 */
export async function updateSalesOrder(ctx: ServiceContext, id: number, patch: UpdateOrderInput) {
  authorize(ctx.actor, 'sales.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_orders', id);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const order = await lockOrderRow(lt, orgId, id);
    // Checked again under the lock: the order may have moved to another warehouse meanwhile.
    requireWarehouse(ctx.actor, num(order.warehouse_id));
    const given = Object.keys(patch).filter((k) => patch[k as keyof UpdateOrderInput] !== undefined);
    const problems = new Problems();
    checkRequestedOn(problems, 'requestedOn', patch.requestedOn);
    let warehouseId = num(order.warehouse_id);
    if (patch.warehouse !== undefined) {
      const found = (await warehouseIdsByCode(tx, orgId, [patch.warehouse])).get(patch.warehouse);
      if (found === undefined) problems.add('warehouse', `unknown warehouse ${patch.warehouse}`);
      else warehouseId = found;
      // Moving the order (and the lines that follow it) needs the new warehouse too.
      requireWarehouse(ctx.actor, warehouseId);
    }
    const who = patch.customer !== undefined || patch.partner !== undefined ? await resolveCustomer(tx, orgId, patch, problems) : undefined;
    const lines = patch.lines ? await resolveLines(tx, orgId, patch.lines, warehouseId, problems) : undefined;
    if (lines) requireLineWarehouses(ctx, lines);
    problems.throwIfAny();

    if (order.status !== 'draft') {
      if (order.status === 'shipped' || order.status === 'cancelled') throw conflict(`sales order ${documentReference(SALES_ORDER, id)} is ${order.status} and cannot be changed`, { currentStatus: order.status });
      const refused = given.filter((k) => !CONFIRMED_FIELDS.has(k));
      if (refused.length > 0) {
        throw conflict(`sales order ${documentReference(SALES_ORDER, id)} is ${order.status}: only ${[...CONFIRMED_FIELDS].join(', ')} can change (cancel a line or the rest to lower quantities)`, { currentStatus: order.status, refused });
      }
      const states = await lineStates(tx, orgId, { orderIds: [id] });
      refuseWhenLocked(await orderLock(tx, orgId, { id, status: order.status, requestedOn: order.requested_on }, states), id, 'changed');
    }

    await tx
      .updateTable('sales_orders')
      .set({
        // Linking a partner keeps the customer text unless it is sent too.
        ...(patch.customer !== undefined ? { customer: patch.customer } : {}),
        ...(who?.partnerId !== undefined ? { partner_id: who.partnerId } : {}),
        ...(patch.warehouse !== undefined ? { warehouse_id: warehouseId } : {}),
        ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
        ...(patch.requestedOn !== undefined ? { requested_on: patch.requestedOn } : {}),
        ...(patch.allowBackorder !== undefined ? { allow_backorder: patch.allowBackorder ? 1 : 0 } : {}),
        ...(patch.reference !== undefined ? { reference: patch.reference } : {}),
        ...(patch.note !== undefined ? { note: patch.note } : {}),
        updated_at: nowIso(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    if (lines) {
      await tx.deleteFrom('sales_order_lines').where('org_id', '=', orgId).where('order_id', '=', id).execute();
      await insertLines(tx, orgId, id, lines);
    } else if (patch.warehouse !== undefined) {
      // Lines that followed the order's warehouse keep following it.
      await tx.updateTable('sales_order_lines').set({ warehouse_id: warehouseId }).where('org_id', '=', orgId).where('order_id', '=', id).where('warehouse_id', '=', num(order.warehouse_id)).execute();
    }
    const body = await salesOrderView(tx, orgId, id);
    return { status: 200, body, audit: { action: 'sales.update', targetType: SALES_ORDER, targetId: id, detail: { changed: given } }, events: [{ type: 'sales-order.updated', payload: body }] };
  });
}

async function lockOrderRow(lt: LedgerTx, orgId: number, id: number) {
  const order = await lockRows(lt, lt.tx.selectFrom('sales_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!order) throw notFound(`sales order ${id}`);
  return order;
}

/** 409 unless the state machine lets an order in `status` become `next`. */
function refuseTransition(id: number, status: SalesOrderStatus, next: SalesOrderStatus): void {
  if (!TRANSITIONS[status].includes(next)) {
    throw conflict(`sales order ${documentReference(SALES_ORDER, id)} is ${status} and cannot become ${next}`, { currentStatus: status });
  }
}

/** The order's lines locked (PostgreSQL) in id order, as backorder fills lock them, then re-read. */
async function lockLines(lt: LedgerTx, orgId: number, orderId: number): Promise<LineState[]> {
  await lockRows(lt, lt.tx.selectFrom('sales_order_lines').select('id').where('org_id', '=', orgId).where('order_id', '=', orderId).orderBy('id')).execute();
  return lineStates(lt.tx, orgId, { orderIds: [orderId] });
}

/** The column stamped with the time an order reaches a status (the others have none). */
const STAMPED: Partial<Record<SalesOrderStatus, 'confirmed_at' | 'shipped_at' | 'cancelled_at'>> = { confirmed: 'confirmed_at', shipped: 'shipped_at', cancelled: 'cancelled_at' };

/** One prepared UPDATE per status: the stamped column is part of the statement. */
const statusUpdate = (status: SalesOrderStatus) => {
  const stamp = STAMPED[status];
  return prepared((db, p: { orgId: number; id: number; at: string }) =>
    db.updateTable('sales_orders').set({ status, updated_at: p.at, ...(stamp ? { [stamp]: p.at } : {}) }).where('org_id', '=', p.orgId).where('id', '=', p.id),
  );
};
const statusUpdates: Record<SalesOrderStatus, ReturnType<typeof statusUpdate>> = {
  draft: statusUpdate('draft'), confirmed: statusUpdate('confirmed'), partially_shipped: statusUpdate('partially_shipped'),
  shipped: statusUpdate('shipped'), cancelled: statusUpdate('cancelled'),
};

/** Set the order's status (and its time stamp); returns the time written. */
export async function setStatus(tx: Tx, orgId: number, id: number, status: SalesOrderStatus): Promise<string> {
  const at = nowIso();
  await statusUpdates[status](tx, { orgId, id, at });
  return at;
}

const promiseAllLines = prepared((db, p: { orgId: number; orderId: number; date: string }) =>
  db.updateTable('sales_order_lines').set({ promised_on: p.date }).where('org_id', '=', p.orgId).where('order_id', '=', p.orderId),
);

/**
 * Confirm. Each line reserves in its own warehouse (FEFO, never expired lots, the customer's
 * minimum shelf life). Without allowBackorder: every line in full or nothing (409
 * insufficient-stock naming the short lines, across all warehouses). With allowBackorder: what is
 * there is reserved, the rest is backordered and filled as stock arrives. Every line gets its
 * promise date (today when reserved in full, else from available to promise).
 */
export async function confirmSalesOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.confirm');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_orders', id);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    // The order (locked) and its lines are read once; the answer is built from them and what this command wrote.
    const head = await readOrderHead(lt.tx, orgId, id, lt);
    const order = head.row;
    // Scope before status, under the lock: the order's warehouse and every warehouse its lines reserve in.
    requireWarehouse(ctx.actor, num(order.warehouse_id));
    const all = await lineStates(lt.tx, orgId, { orderIds: [id] });
    requireLineWarehouses(ctx, all);
    refuseTransition(id, order.status, 'confirmed');
    // No line locks needed: backorder fills only touch confirmed orders, and this one is a locked draft.
    const lines = all.filter((l) => openQuantity(l) > 0n);
    const partial = num(order.allow_backorder) === 1;
    const today = todayIso();
    const minExpiresOn = minExpiryFor(head.partner?.minShelfLifeDays ?? null, today);
    const byWarehouse = new Map<number, LineState[]>();
    for (const l of lines) byWarehouse.set(l.warehouseId, [...(byWarehouse.get(l.warehouseId) ?? []), l]);
    const shortLines: ShortLine[] = [];
    const claimed = new Map<number, bigint>();
    for (const warehouseId of [...byWarehouse.keys()].sort((a, b) => a - b)) {
      const group = byWarehouse.get(warehouseId)!;
      const result = await reserveStock(lt, {
        orgId, documentType: SALES_ORDER, documentId: id, warehouseId, today, partial, minExpiresOn,
        demands: group.map((l) => ({ lineId: l.id, itemId: l.itemId, quantity: openQuantity(l) })),
      });
      if (!result.ok) {
        const short = new Map(result.shortages.map((s) => [s.itemId, s]));
        for (const l of group.filter((g) => short.has(g.itemId))) {
          shortLines.push({ line: l.lineNo, sku: l.sku, requested: toJsonNumber(l.quantity), available: toJsonNumber(short.get(l.itemId)!.available) });
        }
      }
      for (const c of result.claimed) claimed.set(c.lineId, (claimed.get(c.lineId) ?? 0n) + c.quantity);
    }
    if (shortLines.length > 0) {
      // Throwing rolls back what the other warehouses reserved: all or nothing across warehouses.
      shortLines.sort((a, b) => a.line - b.line);
      throw insufficientStock(
        `not enough available stock for ${shortLines.map((s) => `line ${s.line} (${s.sku}: ${s.requested} requested, ${s.available} available)`).join(', ')}`,
        shortLines,
        shortLines.map((s) => ({ field: `lines.${s.line - 1}.quantity`, message: `only ${s.available} available` })),
      );
    }
    const at = await setStatus(lt.tx, orgId, id, 'confirmed');
    // The lines as they now stand: what was reserved before plus what this command claimed.
    const after = all.map((l) => ({ ...l, reserved: l.reserved + (claimed.get(l.id) ?? 0n) }));
    let waiting: Array<{ line: number; backordered: number }> = [];
    if (!partial) {
      // Everything is reserved: every line is promised today.
      await promiseAllLines(lt.tx, { orgId, orderId: id, date: today });
      for (const l of after) l.promisedOn = today;
    } else {
      const promises = await promiseDates(lt.tx, orgId, after.filter((l) => openQuantity(l) > 0n), today);
      for (const [lineId, date] of promises) {
        await lt.tx.updateTable('sales_order_lines').set({ promised_on: date }).where('org_id', '=', orgId).where('id', '=', lineId).execute();
      }
      for (const l of after) if (promises.has(l.id)) l.promisedOn = promises.get(l.id)!;
      waiting = after.filter((l) => backordered(l) > 0n).map((l) => ({ line: l.lineNo, backordered: toJsonNumber(backordered(l)) }));
    }
    // Only drafts confirm, and a draft never had a reservation (so no pick task holds one) nor a
    // shipment: nothing to read for them. The lines say so too; if they ever did not, both are read.
    const neverReserved = all.every((l) => l.reserved === 0n && l.shipped === 0n);
    const confirmed = { ...head, row: { ...order, status: 'confirmed' as const, updated_at: at, confirmed_at: at } };
    const lock = await orderLock(lt.tx, orgId, { id, status: 'confirmed', requestedOn: order.requested_on }, after, neverReserved ? { picking: false } : {});
    const body = orderView(confirmed, after, lock, neverReserved ? [] : await shipmentsOfOrder(lt.tx, orgId, id));
    return { status: 200, body, audit: { action: 'sales.confirm', targetType: SALES_ORDER, targetId: id, ...(waiting.length > 0 ? { detail: { backorders: waiting } } : {}) }, events: [{ type: 'sales-order.confirmed', payload: body }] };
  });
}

/**
 * Cancel the order, or what is left of it. A draft or a confirmed order with nothing shipped
 * becomes `cancelled`; a partially shipped order cancels its unshipped rest and closes as
 * `shipped` (everything it still asks for has shipped). Reservations are released and may fill
 * other orders' backorders. Locked orders (lock period, picking): 409.
 */
export async function cancelSalesOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.cancel');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_orders', id);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const order = await lockOrderRow(lt, orgId, id);
    requireWarehouse(ctx.actor, num(order.warehouse_id));
    const next: SalesOrderStatus = order.status === 'partially_shipped' ? 'shipped' : 'cancelled';
    refuseTransition(id, order.status, next);
    const lines = await lockLines(lt, orgId, id);
    refuseWhenLocked(await orderLock(lt.tx, orgId, { id, status: order.status, requestedOn: order.requested_on }, lines), id, 'cancelled');
    const released = await releaseReservations(lt, orgId, SALES_ORDER, id);
    for (const l of lines) {
      const rest = openQuantity(l);
      if (rest > 0n) await lt.tx.updateTable('sales_order_lines').set({ cancelled_quantity: sql`cancelled_quantity + ${rest}` }).where('org_id', '=', orgId).where('id', '=', l.id).execute();
    }
    await setStatus(lt.tx, orgId, id, next);
    await refill(lt, orgId, lines.filter((l) => l.reserved > 0n));
    const body = await salesOrderView(lt.tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'sales.cancel', targetType: SALES_ORDER, targetId: id, detail: { releasedReservations: released, ...(next === 'shipped' ? { rest: true } : {}) } },
      events: [{ type: next === 'cancelled' ? 'sales-order.cancelled' : 'sales-order.rest-cancelled', payload: body }],
    };
  });
}

/** Released stock goes to the backorders waiting for it (other orders), warehouse by warehouse. */
async function refill(lt: LedgerTx, orgId: number, lines: LineState[]) {
  const byWarehouse = new Map<number, number[]>();
  for (const l of lines) byWarehouse.set(l.warehouseId, [...(byWarehouse.get(l.warehouseId) ?? []), l.itemId]);
  for (const warehouseId of [...byWarehouse.keys()].sort((a, b) => a - b)) await fillBackorders(lt, orgId, { warehouseId, itemIds: byWarehouse.get(warehouseId)! });
}

/**
 * Cancel (part of) one line's unshipped rest on a confirmed or partially shipped order: the
 * reservations it no longer needs are released (the latest first) and may fill other backorders.
 * When nothing is left open on any line, the order closes: `shipped` if anything shipped, else
 * `cancelled`.
 */
export async function cancelSalesOrderLine(ctx: ServiceContext, id: number, lineNo: number, input: { quantity?: number }) {
  authorize(ctx.actor, 'sales.cancel');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_orders', id);
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const order = await lockOrderRow(lt, orgId, id);
    requireWarehouse(ctx.actor, num(order.warehouse_id));
    const lines = await lockLines(lt, orgId, id);
    const line = lines.find((l) => l.lineNo === lineNo);
    if (!line) throw notFound(`line ${lineNo} of sales order ${documentReference(SALES_ORDER, id)}`);
    const rest = openQuantity(line);
    let quantity = rest;
    if (input.quantity !== undefined) {
      const problems = new Problems();
      try {
        quantity = parseScaled(input.quantity, line.unitPrecision);
        if (quantity <= 0n) problems.add('quantity', 'must be greater than zero');
        else if (quantity > rest && rest > 0n) problems.add('quantity', `at most ${toJsonNumber(rest)} (the unshipped rest) can be cancelled`);
      } catch (e) {
        problems.add('quantity', `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${line.unit}, precision ${line.unitPrecision})`);
      }
      problems.throwIfAny();
    }
    if (order.status !== 'confirmed' && order.status !== 'partially_shipped') {
      throw conflict(`sales order ${documentReference(SALES_ORDER, id)} is ${order.status}: only lines of confirmed or partially shipped orders are cancelled (edit a draft instead)`, { currentStatus: order.status });
    }
    if (rest === 0n) throw conflict(`line ${lineNo} has nothing left to cancel (shipped ${toJsonNumber(line.shipped)}, cancelled ${toJsonNumber(line.cancelled)})`, { line: lineNo });
    refuseWhenLocked(await orderLock(lt.tx, orgId, { id, status: order.status, requestedOn: order.requested_on }, lines), id, 'changed');

    const surplus = line.reserved - (rest - quantity);
    if (surplus > 0n) await releaseFromLine(lt, orgId, id, line.id, surplus);
    await lt.tx.updateTable('sales_order_lines').set({ cancelled_quantity: line.cancelled + quantity }).where('org_id', '=', orgId).where('id', '=', line.id).execute();
    const after = await lineStates(lt.tx, orgId, { orderIds: [id] });
    if (after.every((l) => openQuantity(l) === 0n)) await setStatus(lt.tx, orgId, id, after.some((l) => l.shipped > 0n) ? 'shipped' : 'cancelled');
    if (surplus > 0n) await refill(lt, orgId, [line]);
    const body = await salesOrderView(lt.tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'sales.cancel-line', targetType: SALES_ORDER, targetId: id, detail: { line: lineNo, quantity: toJsonNumber(quantity), released: toJsonNumber(surplus > 0n ? surplus : 0n) } },
      events: [{ type: 'sales-order.line-cancelled', payload: body }],
    };
  });
}

/** Release `quantity` of a line's open reservations, the latest rows first (FEFO keeps the earliest). */
async function releaseFromLine(lt: LedgerTx, orgId: number, orderId: number, lineId: number, quantity: bigint) {
  const rows = await lt.tx
    .selectFrom('reservations')
    .select(['id', 'quantity'])
    .where('org_id', '=', orgId)
    .where('document_type', '=', SALES_ORDER)
    .where('document_id', '=', orderId)
    .where('line_id', '=', lineId)
    .where('status', '=', 'open')
    .orderBy('id', 'desc')
    .execute();
  const parts = [];
  let left = quantity;
  for (const r of rows) {
    if (left === 0n) break;
    const open = toBigInt(r.quantity);
    const q = open < left ? open : left;
    parts.push({ reservationId: num(r.id), quantity: q });
    left -= q;
  }
  await releaseReservationParts(lt, orgId, parts);
}
