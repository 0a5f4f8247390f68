import { conflict, notFound } from '../../core/errors.js';
import { lockRows, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { lineQuantities } from './lines.js';
import { SALES_ORDER, setStatus } from './service.js';

/** Statuses from which stock may still leave for the customer. */
export const SHIPPABLE_STATUSES = ['confirmed', 'partially_shipped'] as const;

/**
 * What shipping needs from a sales order, kept here so the order's state machine stays in the
 * sales module: lock the order for a shipment (confirmed or partially shipped orders only, else
 * 409), and settle its status after one.
 */
export async function lockOrderForShipping(lt: LedgerTx, orgId: number, orderId: number) {
  const order = await lockRows(lt, lt.tx.selectFrom('sales_orders').selectAll().where('org_id', '=', orgId).where('id', '=', orderId)).executeTakeFirst();
  if (!order) throw notFound(`sales order ${orderId}`);
  if (!(SHIPPABLE_STATUSES as readonly string[]).includes(order.status)) {
    throw conflict(`sales order ${documentReference(SALES_ORDER, orderId)} is ${order.status} and cannot be shipped`, { currentStatus: order.status });
  }
  return order;
}

/**
 * After a shipment was recorded (call with the order locked): `shipped` when every non-cancelled
 * quantity has shipped, else `partially_shipped` when something has; otherwise unchanged.
 */
export async function refreshOrderStatus(lt: LedgerTx, orgId: number, orderId: number): Promise<void> {
  const lines = await lineQuantities(lt.tx, orgId, orderId);
  const order = await lt.tx.selectFrom('sales_orders').select('status').where('org_id', '=', orgId).where('id', '=', orderId).executeTakeFirstOrThrow();
  const complete = lines.every((l) => l.shipped >= l.quantity - l.cancelled);
  const anyShipped = lines.some((l) => l.shipped > 0n);
  if (complete && anyShipped) {
    if (order.status !== 'shipped') await setStatus(lt.tx, orgId, orderId, 'shipped');
  } else if (anyShipped && order.status !== 'partially_shipped') {
    await setStatus(lt.tx, orgId, orderId, 'partially_shipped');
  }
}
