import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { toBigInt } from '../../core/decimal.js';
import { isPhysical } from '../../ledger/locations.js';
import { StockShortage, type MoveRequest, type Shortage } from '../../ledger/post.js';

/**
 * A document that waits for approval posts nothing yet, but asking people to approve taking out
 * stock that is not there wastes their time: check now, the way postMoves will (summed per item,
 * location and lot, against on hand - reserved), without writing. Posting checks again later.
 */
export async function availabilityShortage(tx: Tx, orgId: number, moves: MoveRequest[]): Promise<StockShortage | undefined> {
  const demand = new Map<string, { itemId: number; locationId: number; lotId: number; quantity: bigint }>();
  for (const m of moves) {
    const key = `${m.itemId}:${m.fromLocationId}:${m.lotId}`;
    const d = demand.get(key) ?? { itemId: m.itemId, locationId: m.fromLocationId, lotId: m.lotId, quantity: 0n };
    d.quantity += m.quantity;
    demand.set(key, d);
  }
  if (demand.size === 0) return undefined;
  const locationIds = [...new Set([...demand.values()].map((d) => d.locationId))];
  const kinds = new Map(
    (await tx.selectFrom('locations').select(['id', 'kind']).where('org_id', '=', orgId).where('id', 'in', locationIds).execute()).map((l) => [num(l.id), l.kind]),
  );
  const shortages: Shortage[] = [];
  for (const d of demand.values()) {
    const kind = kinds.get(d.locationId);
    if (!kind || !isPhysical(kind)) continue;
    const balance = await tx
      .selectFrom('balances')
      .select(['on_hand', 'reserved'])
      .where('org_id', '=', orgId)
      .where('item_id', '=', d.itemId)
      .where('location_id', '=', d.locationId)
      .where('lot_id', '=', d.lotId)
      .executeTakeFirst();
    const available = balance ? toBigInt(balance.on_hand) - toBigInt(balance.reserved) : 0n;
    if (available < d.quantity) shortages.push({ itemId: d.itemId, locationId: d.locationId, lotId: d.lotId, requested: d.quantity, available: available < 0n ? 0n : available });
  }
  return shortages.length > 0 ? new StockShortage(shortages) : undefined;
}
