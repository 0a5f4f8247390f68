import type { LedgerTx } from '../../ledger/context.js';
import { lockOrder, setStatus } from './service.js';

/**
 * What shipping needs from a sales order, kept here so the order's state machine stays in the
 * sales module: lock the order for a shipment, and settle its status after one.
 */
export async function lockOrderForShipping(lt: LedgerTx, orgId: number, orderId: number) {
  return lockOrder(lt, orgId, orderId, 'shipped');
}

/** After a shipment was recorded: the order's status follows what is shipped. */
export async function refreshOrderStatus(lt: LedgerTx, orgId: number, orderId: number): Promise<void> {
  await setStatus(lt.tx, orgId, orderId, 'shipped');
}
