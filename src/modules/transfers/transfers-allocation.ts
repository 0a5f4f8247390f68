import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import { lockRows, type LedgerTx } from '../../ledger/context.js';
import { AVAILABLE_KINDS } from '../../ledger/locations.js';

export interface LineDemand {
  lineId: number;
  itemId: number;
  quantity: bigint;
}

export interface Allocation {
  lineId: number;
  itemId: number;
  locationId: number;
  lotId: number;
  quantity: bigint;
}

export interface ItemShortage {
  itemId: number;
  requested: bigint;
  available: bigint;
}

/**
 * Decide which stock of a warehouse a shipment takes: per item, the demand of all lines together
 * against what is available in the warehouse's stock location, zones and bins, first-expired-
 * first-out (lots without expiry after, then oldest lot, then location); expired lots are never
 * taken. Every item is checked before anything is allocated: any shortage allocates nothing.
 *
 * On PostgreSQL the balances are locked in (item, location, lot) order — the order postMoves
 * updates them in — together with the in-transit balances of the same items, which the shipment
 * posts to: transit's id sorts before the warehouse's, so locking it only later, inside postMoves,
 * could cross a receipt that holds transit and waits for this warehouse.
 */
export async function allocateShipment(
  lt: LedgerTx,
  request: { orgId: number; warehouseId: number; transitLocationId: number; demands: LineDemand[]; today: string },
): Promise<{ allocations: Allocation[]; shortages: ItemShortage[] }> {
  const { orgId } = request;
  const itemIds = [...new Set(request.demands.map((d) => d.itemId))].sort((a, b) => a - b);
  const rows = await lockRows(
    lt,
    lt.tx
      .selectFrom('balances')
      .select(['item_id', 'location_id', 'lot_id', 'on_hand', 'reserved'])
      .where('org_id', '=', orgId)
      .where('item_id', 'in', itemIds)
      .where((eb) =>
        eb.or([
          eb('location_id', '=', request.transitLocationId),
          eb('location_id', 'in', eb.selectFrom('locations').select('id').where('org_id', '=', orgId).where('warehouse_id', '=', request.warehouseId).where('kind', 'in', [...AVAILABLE_KINDS])),
        ]),
      )
      .orderBy('item_id')
      .orderBy('location_id')
      .orderBy('lot_id'),
  ).execute();
  const candidates = rows
    .filter((r) => num(r.location_id) !== request.transitLocationId)
    .map((r) => ({ itemId: num(r.item_id), locationId: num(r.location_id), lotId: num(r.lot_id), available: toBigInt(r.on_hand) - toBigInt(r.reserved), expiresOn: null as string | null }))
    .filter((c) => c.available > 0n);
  const lotIds = [...new Set(candidates.map((c) => c.lotId).filter((id) => id !== 0))];
  if (lotIds.length > 0) {
    const lots = await lt.tx.selectFrom('lots').select(['id', 'expires_on']).where('org_id', '=', orgId).where('id', 'in', lotIds).execute();
    const expiry = new Map(lots.map((l) => [num(l.id), l.expires_on]));
    for (const c of candidates) c.expiresOn = expiry.get(c.lotId) ?? null;
  }
  const usable = candidates
    .filter((c) => c.expiresOn === null || c.expiresOn >= request.today)
    .sort((a, b) => (a.expiresOn ?? '9999-12-31').localeCompare(b.expiresOn ?? '9999-12-31') || a.lotId - b.lotId || a.locationId - b.locationId);

  const shortages: ItemShortage[] = [];
  const allocations: Allocation[] = [];
  for (const itemId of itemIds) {
    const demands = request.demands.filter((d) => d.itemId === itemId);
    const requested = demands.reduce((sum, d) => sum + d.quantity, 0n);
    const stock = usable.filter((c) => c.itemId === itemId);
    const available = stock.reduce((sum, c) => sum + c.available, 0n);
    if (available < requested) {
      shortages.push({ itemId, requested, available });
      continue;
    }
    let index = 0;
    for (const demand of demands) {
      let left = demand.quantity;
      while (left > 0n) {
        const candidate = stock[index]!;
        const take = left < candidate.available ? left : candidate.available;
        if (take > 0n) {
          allocations.push({ lineId: demand.lineId, itemId, locationId: candidate.locationId, lotId: candidate.lotId, quantity: take });
          candidate.available -= take;
          left -= take;
        }
        if (candidate.available === 0n) index++;
      }
    }
  }
  return shortages.length > 0 ? { allocations: [], shortages } : { allocations, shortages };
}

