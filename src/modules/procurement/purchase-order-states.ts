import { conflict, notFound } from '../../core/errors.js';
import type { PurchaseOrderStatus } from '../../db/tables/procurement.js';
import { lockRows, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { PURCHASE_ORDER } from './document-types.js';

/**
 * The purchase order's state machine, by action: from which states each action may be taken.
 * draft -> submitted -> approved -> partially_received -> received; submit approves at once at or
 * below the company's threshold; reject sends a submitted order back to draft; cancel only before
 * anything was received; close ends a (partly) received order short.
 */
export const ALLOWED_FROM = {
  edit: ['draft'],
  submit: ['draft'],
  approve: ['submitted'],
  reject: ['submitted'],
  cancel: ['draft', 'submitted', 'approved'],
  close: ['approved', 'partially_received'],
  receive: ['approved', 'partially_received'],
} as const satisfies Record<string, readonly PurchaseOrderStatus[]>;

export type PurchaseOrderAction = keyof typeof ALLOWED_FROM;

/**
 * Lock the order row (first, before any balance: one lock order on PostgreSQL) and check that the
 * action is allowed in its current state; 404 when it does not exist, 409 when the state forbids.
 */
export async function lockPurchaseOrder(lt: LedgerTx, orgId: number, id: number, action: PurchaseOrderAction) {
  const order = await lockRows(lt, lt.tx.selectFrom('purchase_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!order) throw notFound(`purchase order ${id}`);
  const allowed: readonly PurchaseOrderStatus[] = ALLOWED_FROM[action];
  if (!allowed.includes(order.status)) {
    throw conflict(
      `purchase order ${documentReference(PURCHASE_ORDER, id)} is ${order.status.replace('_', ' ')}: only ${allowed.map((s) => s.replace('_', ' ')).join(' or ')} orders can be ${PAST[action]}`,
      { currentStatus: order.status },
    );
  }
  return order;
}

const PAST: Record<PurchaseOrderAction, string> = {
  edit: 'edited',
  submit: 'submitted',
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
  close: 'closed',
  receive: 'received',
};
