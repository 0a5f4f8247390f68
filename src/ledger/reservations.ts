import { sql } from 'kysely';
import { toBigInt } from '../core/decimal.js';
import { num } from '../db/schema.js';
import { lockRows, nowIso, type LedgerTx } from './context.js';
import { AVAILABLE_KINDS } from './locations.js';
import { postMoves, type MoveRequest, type PostedMove } from './post.js';

export interface Demand {
  lineId: number;
  itemId: number;
  quantity: bigint;
}

export interface ItemShortage {
  itemId: number;
  requested: bigint;
  available: bigint;
}

export interface ReserveResult {
  ok: boolean;
  /** Every item whose summed demand exceeds what is available in the warehouse. */
  shortages: ItemShortage[];
  /** What each demand line got (summed over lots and locations); empty when ok=false. */
  claimed: Array<{ lineId: number; itemId: number; quantity: bigint }>;
}

interface Candidate {
  locationId: number;
  lotId: number;
  available: bigint;
  expiresOn: string | null;
}

/**
 * Reserve a document's demand in one warehouse: all lines or none. Demand is summed per item, so
 * two lines on one item are checked against availability together. Candidate balances are locked
 * (PostgreSQL) item by item in (location, lot) order, then allocated first-expired-first-out
 * (lots without expiry: oldest lot, then location). Expired lots are never reserved. Each claim
 * is one conditional UPDATE whose row count is checked.
 *
 * Every item is checked before anything is claimed, so a shortage returns ok=false with all short
 * items and has written nothing. With `partial`, what is available is claimed in demand order and
 * the rest is left to the caller (backorders).
 */
export async function reserveStock(
  lt: LedgerTx,
  request: {
    orgId: number; documentType: string; documentId: number; warehouseId: number; demands: Demand[]; today: string;
    /**
     * Reserve what is available and leave the rest (backorders): never ok=false, `shortages` lists
     * the items not covered in full and `claimed` says what each line got. Default: all or nothing.
     */
    partial?: boolean;
    /** Lots expiring before this date (YYYY-MM-DD) are not reserved (a customer's minimum shelf life). */
    minExpiresOn?: string | null;
  },
): Promise<ReserveResult> {
  const { orgId } = request;
  const perItem = new Map<number, Demand[]>();
  for (const demand of request.demands) {
    if (demand.quantity <= 0n) throw new Error('reservation quantities must be positive');
    perItem.set(demand.itemId, [...(perItem.get(demand.itemId) ?? []), demand]);
  }
  const itemIds = [...perItem.keys()].sort((a, b) => a - b);
  const shortages: ItemShortage[] = [];
  const claims: Array<{ demand: Demand; candidate: Candidate; quantity: bigint }> = [];

  for (const itemId of itemIds) {
    const demands = perItem.get(itemId)!;
    const requested = demands.reduce((sum, d) => sum + d.quantity, 0n);
    const minExpiresOn = request.minExpiresOn && request.minExpiresOn > request.today ? request.minExpiresOn : request.today;
    const candidates = await lockCandidates(lt, orgId, itemId, request.warehouseId, minExpiresOn);
    const available = candidates.reduce((sum, c) => sum + c.available, 0n);
    if (available < requested) {
      shortages.push({ itemId, requested, available });
      if (!request.partial) continue;
    }
    if (shortages.length > 0 && !request.partial) continue; // still count the other shortages, claim nothing more
    candidates.sort(
      (a, b) =>
        (a.expiresOn ?? '9999-12-31').localeCompare(b.expiresOn ?? '9999-12-31') ||
        a.lotId - b.lotId ||
        a.locationId - b.locationId,
    );
    let index = 0;
    for (const demand of demands) {
      let left = demand.quantity;
      while (left > 0n && index < candidates.length) {
        const candidate = candidates[index]!;
        const take = left < candidate.available ? left : candidate.available;
        if (take > 0n) {
          claims.push({ demand, candidate, quantity: take });
          candidate.available -= take;
          left -= take;
        }
        if (candidate.available === 0n) index++;
      }
    }
  }
  if (shortages.length > 0 && !request.partial) return { ok: false, shortages, claimed: [] };

  const createdAt = nowIso();
  for (const claim of claims) {
    const result = await lt.tx
      .updateTable('balances')
      .set({ reserved: sql`reserved + ${claim.quantity}` })
      .where('org_id', '=', orgId)
      .where('item_id', '=', claim.demand.itemId)
      .where('location_id', '=', claim.candidate.locationId)
      .where('lot_id', '=', claim.candidate.lotId)
      .where(sql<boolean>`on_hand - reserved >= ${claim.quantity}`)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) {
      // Rows are locked (PostgreSQL) or we are the only writer (SQLite): this cannot race.
      throw new Error('reservation lost a race it cannot lose; the ledger is being written around');
    }
  }
  if (claims.length > 0) {
    await lt.tx
      .insertInto('reservations')
      .values(
        claims.map((claim) => ({
          org_id: orgId,
          document_type: request.documentType,
          document_id: request.documentId,
          line_id: claim.demand.lineId,
          item_id: claim.demand.itemId,
          location_id: claim.candidate.locationId,
          lot_id: claim.candidate.lotId,
          quantity: claim.quantity,
          status: 'open' as const,
          created_at: createdAt,
        })),
      )
      .execute();
  }
  const claimed = new Map<number, { lineId: number; itemId: number; quantity: bigint }>();
  for (const claim of claims) {
    const found = claimed.get(claim.demand.lineId);
    if (found) found.quantity += claim.quantity;
    else claimed.set(claim.demand.lineId, { lineId: claim.demand.lineId, itemId: claim.demand.itemId, quantity: claim.quantity });
  }
  return { ok: true, shortages, claimed: [...claimed.values()] };
}

/** Reservable balances of an item in a warehouse, locked; lots expiring before `minExpiresOn` left out. */
async function lockCandidates(lt: LedgerTx, orgId: number, itemId: number, warehouseId: number, minExpiresOn: string): Promise<Candidate[]> {
  const rows = await lockRows(
    lt,
    lt.tx
      .selectFrom('balances')
      .select(['location_id', 'lot_id', 'on_hand', 'reserved'])
      .where('org_id', '=', orgId)
      .where('item_id', '=', itemId)
      .where('location_id', 'in', (qb) =>
        qb
          .selectFrom('locations')
          .select('id')
          .where('org_id', '=', orgId)
          .where('warehouse_id', '=', warehouseId)
          .where('kind', 'in', [...AVAILABLE_KINDS]),
      )
      .where(sql<boolean>`on_hand > reserved`)
      .orderBy('location_id')
      .orderBy('lot_id'),
  ).execute();
  const lotIds = [...new Set(rows.map((r) => num(r.lot_id)).filter((id) => id !== 0))];
  const expiry = new Map<number, string | null>();
  if (lotIds.length > 0) {
    const lots = await lt.tx.selectFrom('lots').select(['id', 'expires_on']).where('org_id', '=', orgId).where('id', 'in', lotIds).execute();
    for (const lot of lots) expiry.set(num(lot.id), lot.expires_on);
  }
  return rows
    .map((r) => ({
      locationId: num(r.location_id),
      lotId: num(r.lot_id),
      available: toBigInt(r.on_hand) - toBigInt(r.reserved),
      expiresOn: expiry.get(num(r.lot_id)) ?? null,
    }))
    .filter((c) => c.expiresOn === null || c.expiresOn >= minExpiresOn);
}

interface OpenReservation {
  id: number;
  lineId: number;
  itemId: number;
  locationId: number;
  lotId: number;
  quantity: bigint;
}

async function openReservations(lt: LedgerTx, orgId: number, documentType: string, documentId: number): Promise<OpenReservation[]> {
  const rows = await lt.tx
    .selectFrom('reservations')
    .select(['id', 'line_id', 'item_id', 'location_id', 'lot_id', 'quantity'])
    .where('org_id', '=', orgId)
    .where('document_type', '=', documentType)
    .where('document_id', '=', documentId)
    .where('status', '=', 'open')
    .execute();
  return rows
    .map((r) => ({
      id: num(r.id),
      lineId: num(r.line_id),
      itemId: num(r.item_id),
      locationId: num(r.location_id),
      lotId: num(r.lot_id),
      quantity: toBigInt(r.quantity),
    }))
    .sort((a, b) => a.itemId - b.itemId || a.locationId - b.locationId || a.lotId - b.lotId || a.id - b.id);
}

async function closeReservations(lt: LedgerTx, orgId: number, ids: number[], status: 'released' | 'consumed') {
  if (ids.length === 0) return;
  await lt.tx.updateTable('reservations').set({ status }).where('org_id', '=', orgId).where('id', 'in', ids).execute();
}

/** Give a document's open reservations back to available stock. Returns how many were released. */
export async function releaseReservations(lt: LedgerTx, orgId: number, documentType: string, documentId: number): Promise<number> {
  const open = await openReservations(lt, orgId, documentType, documentId);
  for (const r of open) {
    const result = await lt.tx
      .updateTable('balances')
      .set({ reserved: sql`reserved - ${r.quantity}` })
      .where('org_id', '=', orgId)
      .where('item_id', '=', r.itemId)
      .where('location_id', '=', r.locationId)
      .where('lot_id', '=', r.lotId)
      .where(sql<boolean>`reserved >= ${r.quantity}`)
      .executeTakeFirst();
    if (result.numUpdatedRows !== 1n) throw new Error(`reservation ${r.id} is not backed by its balance`);
  }
  await closeReservations(lt, orgId, open.map((r) => r.id), 'released');
  return open.length;
}

/**
 * Move a document's reserved stock to `toLocationId` (e.g. the customer location), consuming
 * the reservations in the same posting.
 */
export async function consumeReservations(
  lt: LedgerTx,
  request: { orgId: number; documentType: string; documentId: number; postingKey: string; toLocationId: number; postedBy: number },
): Promise<PostedMove[]> {
  const open = await openReservations(lt, request.orgId, request.documentType, request.documentId);
  if (open.length === 0) return [];
  const moves: MoveRequest[] = open.map((r) => ({
    itemId: r.itemId,
    lotId: r.lotId,
    fromLocationId: r.locationId,
    toLocationId: request.toLocationId,
    quantity: r.quantity,
    fromReservation: true,
  }));
  const posted = await postMoves(lt, {
    orgId: request.orgId,
    postingKey: request.postingKey,
    documentType: request.documentType,
    documentId: request.documentId,
    postedBy: request.postedBy,
    moves,
  });
  await closeReservations(lt, request.orgId, open.map((r) => r.id), 'consumed');
  return posted.moves;
}
