import { sql } from 'kysely';
import { conflict } from '../../core/errors.js';
import type { Tx } from '../../db/store.js';
import { documentReference } from '../../ledger/documents.js';
import { readSettings } from '../settings/service.js';
import { SALES_ORDER } from './document-type.js';
import { openQuantity, type LineState } from './lines.js';

/**
 * The order lock period (docs/sales-orders.md): once the warehouse may be working on an order,
 * sales no longer changes or cancels it. A confirmed or partially shipped order is locked
 *  - from `salesOrderLockHours` (a company setting, default 24) before the start (00:00 UTC) of
 *    its earliest requested date (the order's or an open line's), and
 *  - while picking is under way: a pick task holds one of its open reservations.
 * Drafts are never locked; orders without a requested date lock only by picking.
 */
export interface OrderLock {
  lockedFrom: string | null;
  picking: boolean;
  locked: boolean;
}

export function earliestRequestedOn(orderRequestedOn: string | null, lines: LineState[]): string | null {
  const dates = [orderRequestedOn, ...lines.filter((l) => openQuantity(l) > 0n).map((l) => l.requestedOn)].filter((d): d is string => d !== null);
  return dates.length === 0 ? null : dates.sort()[0]!;
}

export function lockedFrom(requestedOn: string | null, lockHours: bigint): string | null {
  if (requestedOn === null) return null;
  return new Date(Date.parse(`${requestedOn}T00:00:00Z`) - Number(lockHours) * 3_600_000).toISOString();
}

/** The company's lock period in whole hours. */
export async function lockHours(tx: Tx, orgId: number): Promise<bigint> {
  return (await readSettings(tx, orgId)).salesOrderLockHours / 1_000_000n;
}

/**
 * The order's lock. What the caller already knows is not read again: `lockHours` (e.g. once for a
 * page of orders), `picking` (e.g. an order that was a draft until now has no pick task).
 */
export async function orderLock(
  tx: Tx,
  orgId: number,
  order: { id: number; status: string; requestedOn: string | null },
  lines: LineState[],
  known: { lockHours?: bigint | undefined; picking?: boolean } = {},
): Promise<OrderLock> {
  const earliest = earliestRequestedOn(order.requestedOn, lines);
  // Without a requested date the lock hours change nothing: the settings are not read.
  const from = earliest === null ? null : lockedFrom(earliest, known.lockHours ?? (await lockHours(tx, orgId)));
  if (order.status !== 'confirmed' && order.status !== 'partially_shipped') return { lockedFrom: from, picking: false, locked: false };
  const picking = known.picking ?? (await pickingUnderWay(tx, orgId, order.id));
  return { lockedFrom: from, picking, locked: picking || (from !== null && new Date().toISOString() >= from) };
}

/** A pick task holds an open reservation of the order: the warehouse is working on it. */
async function pickingUnderWay(tx: Tx, orgId: number, orderId: number): Promise<boolean> {
  const row = await tx
    .selectFrom('pick_tasks as t')
    .innerJoin('reservations as r', (j) => j.onRef('r.org_id', '=', 't.org_id').onRef('r.id', '=', 't.reservation_id'))
    .select(sql<number>`1`.as('one'))
    .where('t.org_id', '=', orgId)
    .where('t.order_id', '=', orderId)
    .where('r.status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** 409 when sales may no longer change the order. */
export function refuseWhenLocked(lock: OrderLock, orderId: number, action: string): void {
  if (!lock.locked) return;
  const why = lock.picking ? 'picking is under way' : `it is locked since ${lock.lockedFrom} (lock period before the requested date)`;
  throw conflict(`sales order ${documentReference(SALES_ORDER, orderId)} cannot be ${action}: ${why}`, { lockedFrom: lock.lockedFrom, picking: lock.picking });
}
