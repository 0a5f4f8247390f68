import { formatScaled, ONE } from '../../core/decimal.js';
import { DomainError, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { ReceiptKind } from '../../db/tables/procurement.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { postMoves } from '../../ledger/post.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { readSettings } from '../settings/service.js';
import { itemsBySku } from '../items/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { checkLot, FieldErrors, parseQuantity, warehouseLocations } from './common.js';
import { checkSerialQuantities, incomingLots, type LotLine } from './lots.js';
import { partnerByCode } from './partners-service.js';
import { orderLines } from './purchase-order-lines.js';
import { lockPurchaseOrder } from './purchase-order-states.js';
import { receiptView } from './receipts-view.js';
import { PURCHASE_ORDER, RECEIPT } from './document-types.js';

export interface ReceiptLineInput {
  /** PO line number (receipts against a purchase order). */
  line?: number;
  /** Item (customer returns); on a PO receipt, if given, it must be the PO line's item. */
  sku?: string;
  quantity: number;
  lot?: string;
  expiresOn?: string;
}

export interface ReceiptInput {
  purchaseOrder?: number;
  customer?: string;
  warehouse?: string;
  reason?: string;
  lines: ReceiptLineInput[];
}

interface ReceivedLine extends LotLine {
  orderLineNo: number | null;
  unitCost: bigint | null;
}

interface Source {
  kind: ReceiptKind;
  partnerId: number;
  warehouseId: number;
  orderId: number | null;
  fromLocationId: number;
  lines: ReceivedLine[];
}

/**
 * Post a goods receipt: against a purchase order, or a customer return without one. The stock
 * moves from the partner location into the warehouse's Input location, where it waits for
 * inspection; a PO's received quantities and status change in the same transaction.
 */
export async function postReceipt(ctx: ServiceContext, input: ReceiptInput) {
  authorize(ctx.actor, 'receipt.post');
  checkShape(input);
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const source = input.purchaseOrder !== undefined ? await fromPurchaseOrder(lt, orgId, input.purchaseOrder, input) : await fromCustomer(lt, orgId, input);
    requireWarehouse(ctx.actor, source.warehouseId); // warehouse scope: 403
    const lotIds = await incomingLots(tx, orgId, source.lines);
    const { input: inputLocation } = await warehouseLocations(tx, orgId, source.warehouseId);

    const receipt = await tx
      .insertInto('receipts')
      .values({
        org_id: orgId, kind: source.kind, purchase_order_id: source.orderId, partner_id: source.partnerId, warehouse_id: source.warehouseId,
        reason: input.reason ?? null, inspection_status: 'pending', created_by: userId, created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const receiptId = num(receipt.id);
    await tx
      .insertInto('receipt_lines')
      .values(source.lines.map((l, i) => ({
        org_id: orgId, receipt_id: receiptId, line_no: i + 1, order_line_no: l.orderLineNo, item_id: l.itemId, lot_id: lotIds[i]!,
        quantity: l.quantity, unit_cost: l.unitCost, accepted: 0n, rejected: 0n,
      })))
      .execute();
    await postMoves(lt, {
      orgId, postingKey: `${RECEIPT}:${receiptId}`, documentType: RECEIPT, documentId: receiptId, postedBy: userId,
      // Customer returns carry no cost: the ledger values them at the item's last cost.
      moves: source.lines.map((l, i) => ({ itemId: l.itemId, lotId: lotIds[i]!, fromLocationId: source.fromLocationId, toLocationId: inputLocation, quantity: l.quantity, unitCost: l.unitCost })),
    });

    const orderReceived = source.orderId !== null && (await recordReceived(lt, orgId, source.orderId, source.lines));
    const body = await receiptView(tx, orgId, receiptId);
    return {
      status: 201,
      body,
      audit: { action: 'receipt.post', targetType: RECEIPT, targetId: receiptId, detail: { purchaseOrder: body.purchaseOrder, kind: body.kind, lines: body.lines } },
      events: [
        { type: 'receipt.posted', payload: body },
        ...(orderReceived ? [{ type: 'purchase-order.received', payload: { id: source.orderId, number: body.purchaseOrderNumber } }] : []),
      ],
    };
  });
}

/** Which fields go with which kind of receipt; refused before anything is read. */
function checkShape(input: ReceiptInput): void {
  const errors = new FieldErrors();
  const po = input.purchaseOrder !== undefined;
  if (po && input.customer !== undefined) errors.add('customer', 'a receipt is against a purchase order or a customer return, not both');
  if (!po && input.customer === undefined) errors.add('purchaseOrder', 'name the purchase order, or the customer for a return without one');
  if (!po && input.customer !== undefined && input.warehouse === undefined) errors.add('warehouse', 'a customer return names the warehouse it comes into');
  input.lines.forEach((l, i) => {
    if (po && l.line === undefined) errors.add(`lines.${i}.line`, 'name the purchase order line received');
    if (!po && l.line !== undefined) errors.add(`lines.${i}.line`, 'only receipts against a purchase order name order lines');
    if (!po && l.sku === undefined) errors.add(`lines.${i}.sku`, 'name the item returned');
  });
  errors.throwIfAny();
}

async function fromPurchaseOrder(lt: LedgerTx, orgId: number, orderId: number, input: ReceiptInput): Promise<Source> {
  const { tx } = lt;
  const order = await lockPurchaseOrder(lt, orgId, orderId, 'receive').catch((error: unknown) => {
    // A purchase order named in the body that does not exist is a field error, not a missing page.
    if (error instanceof DomainError && error.code === 'not-found') throw validationError(`unknown purchase order ${orderId}`, [{ field: 'purchaseOrder', message: `unknown purchase order ${orderId}` }]);
    throw error;
  });
  const errors = new FieldErrors();
  if (input.warehouse !== undefined) {
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    if (warehouse.id !== num(order.warehouse_id)) errors.add('warehouse', `${documentReference(PURCHASE_ORDER, orderId)} is delivered to another warehouse`);
  }
  const orderLinesByNo = new Map((await orderLines(tx, orgId, orderId)).map((l) => [l.lineNo, l]));
  const lines: ReceivedLine[] = input.lines.map((line, i) => {
    const orderLine = orderLinesByNo.get(line.line!);
    if (!orderLine) {
      errors.add(`lines.${i}.line`, `${documentReference(PURCHASE_ORDER, orderId)} has no line ${line.line}`);
      return { itemId: 0, sku: '', tracking: 'none', lotCode: null, expiresOn: null, quantity: 0n, orderLineNo: null, unitCost: null };
    }
    if (line.sku !== undefined && line.sku !== orderLine.sku) errors.add(`lines.${i}.sku`, `line ${orderLine.lineNo} orders ${orderLine.sku}, not ${line.sku}`);
    const quantity = parseQuantity(errors, `lines.${i}.quantity`, line.quantity, orderLine);
    checkLot(errors, `lines.${i}`, orderLine, line);
    return {
      itemId: orderLine.itemId, sku: orderLine.sku, tracking: orderLine.tracking, lotCode: line.lot ?? null, expiresOn: line.expiresOn ?? null,
      quantity, orderLineNo: orderLine.lineNo, unitCost: orderLine.unitPrice,
    };
  });
  checkSerialQuantities(errors, lines);
  errors.throwIfAny();

  // Over-receipt: in total over all receipts, at most the tolerance above the ordered quantity.
  const { overReceiptTolerancePercent: tolerance } = await readSettings(tx, orgId);
  const receiving = new Map<number, { total: bigint; last: number }>();
  lines.forEach((l, i) => {
    const r = receiving.get(l.orderLineNo!) ?? { total: 0n, last: i };
    receiving.set(l.orderLineNo!, { total: r.total + l.quantity, last: i });
  });
  for (const [lineNo, r] of receiving) {
    const orderLine = orderLinesByNo.get(lineNo)!;
    const after = orderLine.received + r.total;
    // (after - ordered) / ordered <= tolerance / 100, in integers: no rounding either way.
    if ((after - orderLine.quantity) * 100n * ONE > orderLine.quantity * tolerance) {
      const most = orderLine.quantity + (orderLine.quantity * tolerance) / (100n * ONE);
      errors.add(
        `lines.${r.last}.quantity`,
        `line ${lineNo} (${orderLine.sku}): ${formatScaled(after)} received in total would exceed the ${formatScaled(orderLine.quantity)} ordered by more than the ${formatScaled(tolerance)}% tolerance (at most ${formatScaled(most)}; ${formatScaled(orderLine.received)} received so far)`,
      );
    }
  }
  errors.throwIfAny();
  return { kind: 'purchase', partnerId: num(order.supplier_id), warehouseId: num(order.warehouse_id), orderId, fromLocationId: await virtualLocation(tx, orgId, 'supplier'), lines };
}

async function fromCustomer(lt: LedgerTx, orgId: number, input: ReceiptInput): Promise<Source> {
  const { tx } = lt;
  const customer = await partnerByCode(tx, orgId, input.customer!, 'customer', 'customer');
  const warehouse = await warehouseByCode(tx, orgId, input.warehouse!);
  const items = await itemsBySku(tx, orgId, input.lines.map((l) => ({ sku: l.sku! })));
  const errors = new FieldErrors();
  const lines: ReceivedLine[] = input.lines.map((line, i) => {
    const item = items[i]!;
    const quantity = parseQuantity(errors, `lines.${i}.quantity`, line.quantity, item);
    checkLot(errors, `lines.${i}`, item, line);
    return { itemId: item.id, sku: item.sku, tracking: item.tracking, lotCode: line.lot ?? null, expiresOn: line.expiresOn ?? null, quantity, orderLineNo: null, unitCost: null };
  });
  checkSerialQuantities(errors, lines);
  errors.throwIfAny();
  return { kind: 'customer-return', partnerId: customer.id, warehouseId: warehouse.id, orderId: null, fromLocationId: await virtualLocation(tx, orgId, 'customer'), lines };
}

/** Add what came in to the order lines; the order is received when every line is. Returns that. */
async function recordReceived(lt: LedgerTx, orgId: number, orderId: number, lines: ReceivedLine[]): Promise<boolean> {
  const { tx } = lt;
  const added = new Map<number, bigint>();
  for (const l of lines) added.set(l.orderLineNo!, (added.get(l.orderLineNo!) ?? 0n) + l.quantity);
  const current = await orderLines(tx, orgId, orderId);
  for (const line of current) {
    const more = added.get(line.lineNo);
    if (more === undefined) continue;
    line.received += more;
    await tx.updateTable('purchase_order_lines').set({ received: line.received }).where('org_id', '=', orgId).where('id', '=', line.id).execute();
  }
  const complete = current.every((l) => l.received >= l.quantity);
  const at = nowIso();
  await tx
    .updateTable('purchase_orders')
    .set({ status: complete ? 'received' : 'partially_received', updated_at: at, ...(complete ? { received_at: at } : {}) })
    .where('org_id', '=', orgId)
    .where('id', '=', orderId)
    .execute();
  return complete;
}
