import { formatScaled } from '../../core/decimal.js';
import { conflict, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { postMoves } from '../../ledger/post.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { checkLot, FieldErrors, parseQuantity, warehouseLocations } from '../procurement/common.js';
import { findLot } from '../stock/lots.js';
import { lineLotKey, lineTotal, orderLinesWithItems, returnedPerLineLot, SALES_ORDER, SALES_RETURN, shippedPerLineLot, type OrderLineRules } from './shared.js';
import { salesReturnView } from './view.js';

export interface SalesReturnInput {
  salesOrder: number;
  reason?: string;
  creditReference?: string;
  lines: Array<{ line: number; quantity: number; lot?: string }>;
}

interface ReturnLine {
  orderLine: OrderLineRules;
  lotId: number;
  quantity: bigint;
}

/** The credit reference finance uses when none is given: `CR-` and the digits of the RMA number. */
export const generatedCreditReference = (returnId: number) => `CR-${documentReference(SALES_RETURN, returnId).replace(/^\D+/, '')}`;

/**
 * Receive goods a customer sends back against a shipped order: from Partners/Customers into the
 * order warehouse's Input location, where they wait for inspection (valued at the item's last
 * cost). Per order line, and per lot for tracked items, never more than was shipped minus what
 * earlier returns took back (422).
 */
export async function receiveSalesReturn(ctx: ServiceContext, input: SalesReturnInput) {
  authorize(ctx.actor, 'receipt.post');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    // The order row first: returns against one order are checked one after the other.
    const order = await lockRows(lt, tx.selectFrom('sales_orders').selectAll().where('org_id', '=', orgId).where('id', '=', input.salesOrder)).executeTakeFirst();
    if (!order) throw notFound(`sales order ${input.salesOrder}`);
    requireWarehouse(ctx.actor, num(order.warehouse_id)); // warehouse scope: 403
    const orderNumber = documentReference(SALES_ORDER, input.salesOrder);
    // What was shipped can come back, also while the rest of the order is still open.
    if (order.status !== 'shipped' && order.status !== 'partially_shipped') {
      throw conflict(`sales order ${orderNumber} is ${order.status}: only a shipped or partially shipped order takes returns`, { currentStatus: order.status });
    }

    const orderLines = new Map((await orderLinesWithItems(tx, orgId, input.salesOrder)).map((l) => [l.lineNo, l]));
    const shipped = await shippedPerLineLot(tx, orgId, input.salesOrder);
    const returned = await returnedPerLineLot(tx, orgId, input.salesOrder);
    const errors = new FieldErrors();
    const lines: ReturnLine[] = [];
    for (const [i, entry] of input.lines.entries()) {
      const orderLine = orderLines.get(entry.line);
      if (!orderLine) {
        errors.add(`lines.${i}.line`, `${orderNumber} has no line ${entry.line}`);
        continue;
      }
      const quantity = parseQuantity(errors, `lines.${i}.quantity`, entry.quantity, orderLine);
      checkLot(errors, `lines.${i}`, orderLine, entry);
      let lotId = 0;
      if (orderLine.tracking !== 'none' && entry.lot !== undefined) {
        const lot = await findLot(tx, orgId, orderLine.itemId, entry.lot);
        const lotShipped = lot ? (shipped.get(lineLotKey(orderLine.id, lot.id)) ?? 0n) : 0n;
        if (!lot || lotShipped === 0n) {
          errors.add(`lines.${i}.lot`, `${orderLine.tracking} ${entry.lot} of ${orderLine.sku} was not shipped on line ${orderLine.lineNo}`);
          continue;
        }
        lotId = lot.id;
        const key = lineLotKey(orderLine.id, lotId);
        const left = lotShipped - (returned.get(key) ?? 0n);
        if (quantity > left) errors.add(`lines.${i}.quantity`, `only ${formatScaled(left)} of ${orderLine.tracking} ${entry.lot} on line ${orderLine.lineNo} (${orderLine.sku}) was shipped and not yet returned`);
        returned.set(key, (returned.get(key) ?? 0n) + quantity);
      }
      // Over the whole line too: lines of one request add up with earlier returns.
      const leftOnLine = lineTotal(shipped, orderLine.id) - lineTotal(returned, orderLine.id) + (lotId === 0 ? 0n : quantity);
      if (quantity > leftOnLine) errors.add(`lines.${i}.quantity`, `only ${formatScaled(leftOnLine < 0n ? 0n : leftOnLine)} of line ${orderLine.lineNo} (${orderLine.sku}) was shipped and not yet returned`);
      if (lotId === 0) returned.set(lineLotKey(orderLine.id, 0), (returned.get(lineLotKey(orderLine.id, 0)) ?? 0n) + quantity);
      lines.push({ orderLine, lotId, quantity });
    }
    errors.throwIfAny();

    const at = nowIso();
    const warehouseId = num(order.warehouse_id);
    const row = await tx
      .insertInto('sales_returns')
      .values({
        org_id: orgId, sales_order_id: input.salesOrder, warehouse_id: warehouseId, status: 'received', reason: input.reason ?? null,
        // Generated references need the id: a placeholder is replaced just below.
        credit_reference: input.creditReference ?? '', inspection_count: 0, created_by: userId, created_at: at, updated_at: at, closed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const returnId = num(row.id);
    if (input.creditReference === undefined) {
      await tx.updateTable('sales_returns').set({ credit_reference: generatedCreditReference(returnId) }).where('org_id', '=', orgId).where('id', '=', returnId).execute();
    }
    await tx
      .insertInto('sales_return_lines')
      .values(lines.map((l, i) => ({ org_id: orgId, return_id: returnId, line_no: i + 1, order_line_id: l.orderLine.id, item_id: l.orderLine.itemId, lot_id: l.lotId, quantity: l.quantity, restocked: 0n, scrapped: 0n })))
      .execute();

    const customers = await virtualLocation(tx, orgId, 'customer');
    const { input: inputLocation } = await warehouseLocations(tx, orgId, warehouseId);
    // From a virtual location nothing can be short; no unit cost: valued at the item's last cost.
    await postMoves(lt, {
      orgId, postingKey: `${SALES_RETURN}:${returnId}`, documentType: SALES_RETURN, documentId: returnId, postedBy: userId,
      moves: lines.map((l) => ({ itemId: l.orderLine.itemId, lotId: l.lotId, fromLocationId: customers, toLocationId: inputLocation, quantity: l.quantity })),
    });

    const body = await salesReturnView(tx, orgId, returnId);
    return {
      status: 201,
      body,
      audit: { action: 'sales-return.receive', targetType: SALES_RETURN, targetId: returnId, detail: { salesOrder: body.salesOrderNumber, reason: body.reason, creditReference: body.creditReference, lines: body.lines } },
      events: [{ type: 'sales-return.received', payload: body }],
    };
  });
}
