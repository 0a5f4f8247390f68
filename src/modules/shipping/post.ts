import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { DomainError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { LedgerTx } from '../../ledger/context.js';
import { consumeReservationParts, lockReservationRows } from '../../ledger/reservation-parts.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { SHIPMENT } from './model.js';

/** The posting key of a shipment's moves: each shipment posts once. */
export const shipmentPostingKey = (shipmentId: number) => `${SHIPMENT}:${shipmentId}:ship`;

/**
 * Post a shipment's lines: exactly their quantities move from their bins to Partners/Customers,
 * consuming the same quantities of their reservations (split rows). If a reservation no longer
 * holds its line's quantity (the order was cancelled meanwhile), 409 and nothing is written.
 * The moves belong to the sales order (document `sales-order`), as they always have.
 */
export async function postShipmentLines(lt: LedgerTx, orgId: number, userId: number, shipmentId: number) {
  const lines = await lt.tx
    .selectFrom('shipment_lines')
    .select(['reservation_id', 'quantity'])
    .where('org_id', '=', orgId)
    .where('shipment_id', '=', shipmentId)
    .orderBy('id')
    .execute();
  const parts = lines.map((l) => ({ reservationId: num(l.reservation_id), quantity: toBigInt(l.quantity) }));
  const wanted = new Map<number, bigint>();
  for (const p of parts) wanted.set(p.reservationId, (wanted.get(p.reservationId) ?? 0n) + p.quantity);
  const rows = await lockReservationRows(lt, orgId, [...wanted.keys()]);
  for (const [id, quantity] of wanted) {
    const row = rows.get(id);
    if (!row || row.status !== 'open' || row.quantity < quantity) {
      throw new DomainError('conflict', `the order no longer reserves what this shipment carries (reservation ${id}: ${toJsonNumber(quantity)} needed, ${row?.status === 'open' ? toJsonNumber(row.quantity) : 0} open); was it cancelled?`);
    }
  }
  const customer = await virtualLocation(lt.tx, orgId, 'customer');
  return consumeReservationParts(lt, { orgId, postingKey: shipmentPostingKey(shipmentId), toLocationId: customer, postedBy: userId, parts });
}
