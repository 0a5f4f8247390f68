import { sql } from 'kysely';
import { DecimalFormatError, toBigInt, valueOf } from '../core/decimal.js';
import { DomainError, validationError } from '../core/errors.js';
import { num, type LocationKind } from '../db/schema.js';
import { nowIso, type LedgerTx } from './context.js';
import { canHoldStock, isPhysical, isValued } from './locations.js';
import { consumeLayers, lastUnitCost, openLayer } from './valuation.js';

export interface MoveRequest {
  itemId: number;
  /** 0 when the item is not lot/serial tracked. */
  lotId: number;
  fromLocationId: number;
  toLocationId: number;
  /** Scaled, > 0. */
  quantity: bigint;
  /** Scaled unit cost of stock entering the company's hands; defaults to the last known cost. */
  unitCost?: bigint | null;
  /** The quantity was reserved at the source and the reservation is consumed by this move. */
  fromReservation?: boolean;
  reversesMoveId?: number | null;
}

export interface PostingRequest {
  orgId: number;
  /** Unique per company: the same key never posts twice (invariant 5). */
  postingKey: string;
  documentType: string;
  documentId: number;
  postedBy: number;
  moves: MoveRequest[];
}

export interface PostedMove extends MoveRequest {
  id: number;
  value: bigint | null;
  unitCost: bigint | null;
}

export interface Shortage {
  itemId: number;
  locationId: number;
  lotId: number;
  requested: bigint;
  available: bigint;
}

/** Not enough available stock for a posting; services translate the shortages to their lines. */
export class StockShortage extends DomainError {
  constructor(readonly shortages: Shortage[]) {
    super('insufficient-stock', 'not enough available stock for this posting');
  }
}

const balanceKey = (itemId: number, locationId: number, lotId: number) => `${itemId}:${locationId}:${lotId}`;

interface Delta {
  itemId: number;
  locationId: number;
  lotId: number;
  /** Net change of on hand. */
  onHand: bigint;
  /** Everything leaving the balance: must be covered by what was there before this posting. */
  out: bigint;
  reserved: bigint;
  physical: boolean;
}

/**
 * Post a document's moves: one posting row, the moves, every balance they touch and the valuation
 * layers, all inside the caller's transaction. Balance changes are summed per (item, location,
 * lot) first, so two lines on the same stock cannot each pass against the same availability, and
 * applied in that key order, so that concurrent postings lock rows in one order and never deadlock.
 */
export async function postMoves(lt: LedgerTx, request: PostingRequest): Promise<{ postingId: number; moves: PostedMove[] }> {
  const { orgId } = request;
  if (request.moves.length === 0) throw validationError('a posting needs at least one move');
  for (const move of request.moves) {
    if (move.quantity <= 0n) throw new Error('move quantities must be positive');
    if (move.fromLocationId === move.toLocationId) throw validationError('a move needs two different locations');
  }
  const postedAt = nowIso();
  const kinds = await locationKinds(lt, orgId, request.moves);

  const posting = await lt.tx
    .insertInto('postings')
    .values({
      org_id: orgId,
      posting_key: request.postingKey,
      document_type: request.documentType,
      document_id: request.documentId,
      move_count: request.moves.length,
      quantity_total: request.moves.reduce((sum, m) => sum + m.quantity, 0n),
      posted_at: postedAt,
      posted_by: request.postedBy,
    })
    .onConflict((oc) => oc.columns(['org_id', 'posting_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!posting) throw new DomainError('conflict', `${request.postingKey} has already been posted`);
  const postingId = num(posting.id);

  await applyBalanceDeltas(lt, orgId, collectDeltas(request.moves, kinds));

  // Valuation, item by item in id order (after all balances: one lock order for every posting).
  const values = new Map<MoveRequest, { unitCost: bigint | null; value: bigint | null }>();
  const byItem = [...request.moves].sort((a, b) => a.itemId - b.itemId);
  for (const move of byItem) {
    const fromValued = isValued(kinds.get(move.fromLocationId)!);
    const toValued = isValued(kinds.get(move.toLocationId)!);
    if (fromValued && !toValued) {
      const value = await consumeLayers(lt, orgId, move.itemId, move.quantity);
      values.set(move, { unitCost: null, value });
    } else if (!fromValued && toValued) {
      const unitCost = move.unitCost ?? (await lastUnitCost(lt, orgId, move.itemId));
      try {
        values.set(move, { unitCost, value: valueOf(move.quantity, unitCost) });
      } catch (error) {
        if (error instanceof DecimalFormatError) throw validationError(`the value of ${move.quantity} at ${unitCost} ${error.message}`);
        throw error;
      }
    } else {
      values.set(move, { unitCost: null, value: null }); // stays within the company's value
    }
  }

  const inserted = await lt.tx
    .insertInto('moves')
    .values(
      request.moves.map((move) => ({
        org_id: orgId,
        posting_id: postingId,
        item_id: move.itemId,
        lot_id: move.lotId,
        from_location_id: move.fromLocationId,
        to_location_id: move.toLocationId,
        quantity: move.quantity,
        unit_cost: values.get(move)!.unitCost,
        value: values.get(move)!.value,
        document_type: request.documentType,
        document_id: request.documentId,
        reverses_move_id: move.reversesMoveId ?? null,
        posted_at: postedAt,
        posted_by: request.postedBy,
      })),
    )
    .returning('id')
    .execute();

  const posted: PostedMove[] = request.moves.map((move, i) => ({
    ...move,
    id: num(inserted[i]!.id),
    unitCost: values.get(move)!.unitCost,
    value: values.get(move)!.value,
  }));
  for (const move of posted) {
    if (!isValued(kinds.get(move.fromLocationId)!) && isValued(kinds.get(move.toLocationId)!)) {
      await openLayer(lt, orgId, { itemId: move.itemId, moveId: move.id, quantity: move.quantity, unitCost: move.unitCost ?? 0n, value: move.value ?? 0n }, postedAt);
    }
  }
  return { postingId, moves: posted };
}

async function locationKinds(lt: LedgerTx, orgId: number, moves: MoveRequest[]): Promise<Map<number, LocationKind>> {
  const ids = [...new Set(moves.flatMap((m) => [m.fromLocationId, m.toLocationId]))];
  const rows = await lt.tx
    .selectFrom('locations')
    .select(['id', 'kind'])
    .where('org_id', '=', orgId)
    .where('id', 'in', ids)
    .execute();
  const kinds = new Map(rows.map((r) => [num(r.id), r.kind] as const));
  for (const id of ids) {
    const kind = kinds.get(id);
    if (!kind) throw validationError(`location ${id} does not exist`);
    if (!canHoldStock(kind)) throw validationError(`location ${id} is a warehouse view and cannot hold stock`);
  }
  return kinds;
}

function collectDeltas(moves: MoveRequest[], kinds: Map<number, LocationKind>): Delta[] {
  const deltas = new Map<string, Delta>();
  const add = (itemId: number, locationId: number, lotId: number, onHand: bigint, reserved: bigint) => {
    const key = balanceKey(itemId, locationId, lotId);
    const delta = deltas.get(key) ?? { itemId, locationId, lotId, onHand: 0n, out: 0n, reserved: 0n, physical: isPhysical(kinds.get(locationId)!) };
    delta.onHand += onHand;
    if (onHand < 0n) delta.out -= onHand;
    delta.reserved += reserved;
    deltas.set(key, delta);
  };
  for (const move of moves) {
    add(move.itemId, move.fromLocationId, move.lotId, -move.quantity, move.fromReservation ? -move.quantity : 0n);
    add(move.itemId, move.toLocationId, move.lotId, move.quantity, 0n);
  }
  return [...deltas.values()].sort(
    (a, b) => a.itemId - b.itemId || a.locationId - b.locationId || a.lotId - b.lotId,
  );
}

/**
 * Physical balances that stock leaves are changed by one conditional statement that keeps
 * 0 <= reserved <= on hand (invariant 3); no balance is read, decided on and written back. What
 * leaves must be covered by what was there before the posting (stock arriving in the same posting
 * does not count), so outgoing stock is always covered by existing valuation layers too.
 * Balances stock only enters, and virtual balances, are upserted.
 */
async function applyBalanceDeltas(lt: LedgerTx, orgId: number, deltas: Delta[]): Promise<void> {
  const shortages: Shortage[] = [];
  for (const d of deltas) {
    if (d.onHand === 0n && d.out === 0n && d.reserved === 0n) continue;
    if (d.physical && (d.out > 0n || d.reserved < 0n)) {
      const result = await lt.tx
        .updateTable('balances')
        .set({ on_hand: sql`on_hand + ${d.onHand}`, reserved: sql`reserved + ${d.reserved}` })
        .where('org_id', '=', orgId)
        .where('item_id', '=', d.itemId)
        .where('location_id', '=', d.locationId)
        .where('lot_id', '=', d.lotId)
        .where(sql<boolean>`reserved + ${d.reserved} >= 0`)
        .where(sql<boolean>`on_hand - ${d.out} >= reserved + ${d.reserved}`)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        const row = await lt.tx
          .selectFrom('balances')
          .select(['on_hand', 'reserved'])
          .where('org_id', '=', orgId)
          .where('item_id', '=', d.itemId)
          .where('location_id', '=', d.locationId)
          .where('lot_id', '=', d.lotId)
          .executeTakeFirst();
        const available = row
          ? toBigInt(row.on_hand) - toBigInt(row.reserved) + (d.reserved < 0n ? -d.reserved : 0n)
          : 0n;
        shortages.push({ itemId: d.itemId, locationId: d.locationId, lotId: d.lotId, requested: d.out, available });
      }
    } else {
      await lt.tx
        .insertInto('balances')
        .values({ org_id: orgId, item_id: d.itemId, location_id: d.locationId, lot_id: d.lotId, on_hand: d.onHand, reserved: d.reserved })
        .onConflict((oc) =>
          oc.columns(['org_id', 'item_id', 'location_id', 'lot_id']).doUpdateSet({
            on_hand: sql`balances.on_hand + excluded.on_hand`,
            reserved: sql`balances.reserved + excluded.reserved`,
          }),
        )
        .execute();
    }
  }
  if (shortages.length > 0) throw new StockShortage(shortages);
}
