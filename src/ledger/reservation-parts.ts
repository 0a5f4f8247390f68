import { sql } from 'kysely';
import { toBigInt } from '../core/decimal.js';
import { num } from '../db/schema.js';
import { lockRows, nowIso, type LedgerTx } from './context.js';
import { postMoves, type MoveRequest, type PostedMove } from './post.js';

/**
 * Partial operations on single reservation rows, for picking and split shipments: consume (ship)
 * or release a quantity of one row. A part that is less than the row splits it: the row keeps
 * its id and the open remainder, and a new row records the part with its final status (consumed
 * or released). So an id held elsewhere (a pick task, a shipment line) always names the open
 * remainder, and the history of what shipped and what was given back stays in rows.
 */
export interface ReservationRow {
  id: number;
  documentType: string;
  documentId: number;
  lineId: number;
  itemId: number;
  locationId: number;
  lotId: number;
  quantity: bigint;
  status: 'open' | 'released' | 'consumed';
}

export interface ReservationPart {
  reservationId: number;
  quantity: bigint;
}

/** Reservation rows by id, locked (PostgreSQL) in id order. Missing ids are left out. */
export async function lockReservationRows(lt: LedgerTx, orgId: number, ids: number[]): Promise<Map<number, ReservationRow>> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const found = new Map<number, ReservationRow>();
  if (unique.length === 0) return found;
  const rows = await lockRows(
    lt,
    lt.tx.selectFrom('reservations').selectAll().where('org_id', '=', orgId).where('id', 'in', unique).orderBy('id'),
  ).execute();
  for (const r of rows) {
    found.set(num(r.id), {
      id: num(r.id),
      documentType: r.document_type,
      documentId: num(r.document_id),
      lineId: num(r.line_id),
      itemId: num(r.item_id),
      locationId: num(r.location_id),
      lotId: num(r.lot_id),
      quantity: toBigInt(r.quantity),
      status: r.status,
    });
  }
  return found;
}

/** Sum the parts per reservation and check each against its open quantity; throws on misuse. */
async function checkedParts(lt: LedgerTx, orgId: number, parts: ReservationPart[]) {
  const perRow = new Map<number, bigint>();
  for (const part of parts) {
    if (part.quantity <= 0n) throw new Error('reservation parts must be positive');
    perRow.set(part.reservationId, (perRow.get(part.reservationId) ?? 0n) + part.quantity);
  }
  const rows = await lockReservationRows(lt, orgId, [...perRow.keys()]);
  for (const [id, quantity] of perRow) {
    const row = rows.get(id);
    // Services check this first and answer 409; reaching it means a caller skipped the check.
    if (!row || row.status !== 'open' || row.quantity < quantity) throw new Error(`reservation ${id} has no open ${quantity} to take`);
  }
  return { perRow, rows };
}

/** Take `quantity` off an open row: close it when all of it goes, else shrink it and record the part. */
async function splitOff(lt: LedgerTx, orgId: number, row: ReservationRow, quantity: bigint, status: 'released' | 'consumed') {
  if (quantity === row.quantity) {
    const done = await lt.tx
      .updateTable('reservations')
      .set({ status })
      .where('org_id', '=', orgId)
      .where('id', '=', row.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (done.numUpdatedRows !== 1n) throw new Error(`reservation ${row.id} changed under a lock`);
    return;
  }
  const shrunk = await lt.tx
    .updateTable('reservations')
    .set({ quantity: sql`quantity - ${quantity}` })
    .where('org_id', '=', orgId)
    .where('id', '=', row.id)
    .where('status', '=', 'open')
    .where('quantity', '=', row.quantity)
    .executeTakeFirst();
  if (shrunk.numUpdatedRows !== 1n) throw new Error(`reservation ${row.id} changed under a lock`);
  await lt.tx
    .insertInto('reservations')
    .values({
      org_id: orgId, document_type: row.documentType, document_id: row.documentId, line_id: row.lineId, item_id: row.itemId,
      location_id: row.locationId, lot_id: row.lotId, quantity, status, created_at: nowIso(),
    })
    .execute();
}

/**
 * Give `quantity` of each named open reservation back to available stock (balance reserved goes
 * down by one conditional statement per row) and split the rows. All or nothing, in the caller's
 * transaction.
 */
export async function releaseReservationParts(lt: LedgerTx, orgId: number, parts: ReservationPart[]): Promise<void> {
  const { perRow, rows } = await checkedParts(lt, orgId, parts);
  const ordered = [...perRow.entries()]
    .map(([id, quantity]) => ({ row: rows.get(id)!, quantity }))
    .sort((a, b) => a.row.itemId - b.row.itemId || a.row.locationId - b.row.locationId || a.row.lotId - b.row.lotId || a.row.id - b.row.id);
  for (const { row, quantity } of ordered) {
    const result = await lt.tx
      .updateTable('balances')
      .set({ reserved: sql`reserved - ${quantity}` })
      .where('org_id', '=', orgId)
      .where('item_id', '=', row.itemId)
      .where('location_id', '=', row.locationId)
      .where('lot_id', '=', row.lotId)
      .where(sql<boolean>`reserved >= ${quantity}`)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new Error(`reservation ${row.id} is not backed by its balance`);
    await splitOff(lt, orgId, row, quantity, 'released');
  }
}

/**
 * Move `quantity` of each named open reservation from its location to `toLocationId` (the customer)
 * in one posting that consumes exactly those reserved quantities, and split the rows. The moves
 * belong to the reservations' document (one document per call).
 */
export async function consumeReservationParts(
  lt: LedgerTx,
  request: { orgId: number; postingKey: string; toLocationId: number; postedBy: number; parts: ReservationPart[] },
): Promise<PostedMove[]> {
  const { orgId } = request;
  const { perRow, rows } = await checkedParts(lt, orgId, request.parts);
  const documents = new Set([...rows.values()].map((r) => `${r.documentType}:${r.documentId}`));
  if (documents.size !== 1) throw new Error('one posting consumes the reservations of one document');
  const first = rows.values().next().value!;
  const moves: MoveRequest[] = [...perRow.entries()].map(([id, quantity]) => {
    const row = rows.get(id)!;
    return { itemId: row.itemId, lotId: row.lotId, fromLocationId: row.locationId, toLocationId: request.toLocationId, quantity, fromReservation: true };
  });
  const posted = await postMoves(lt, {
    orgId, postingKey: request.postingKey, documentType: first.documentType, documentId: first.documentId, postedBy: request.postedBy, moves,
  });
  for (const [id, quantity] of perRow) await splitOff(lt, orgId, rows.get(id)!, quantity, 'consumed');
  return posted.moves;
}
