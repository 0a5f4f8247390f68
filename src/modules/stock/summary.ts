import { toJsonNumber } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import { authorize, canSeeWarehouse, type ServiceContext } from '../../app/context.js';
import { requireWarehouseCode, warehouseFilter } from '../users/scope.js';
import { queryStock } from '../../ledger/queries.js';
import { isAvailableKind } from '../../ledger/locations.js';
import { openPurchaseSupply } from '../procurement/supply.js';
import { inTransitSupply } from '../transfers/transfers-supply.js';
import { findItemBySku } from '../items/service.js';
import type { IncomingSupply } from './supply.js';

interface SummaryRow {
  sku: string;
  warehouse: string;
  onHand: bigint;
  reserved: bigint;
  available: bigint;
  /** On hand in Input (awaiting inspection) and Rejected: counted in onHand, never available. */
  unavailable: bigint;
  incoming: bigint;
  nextIncomingOn: string | null;
}

/**
 * Per item and warehouse: on hand, reserved, available and incoming (open purchase order lines
 * and transfers on their way). The one place where the ledger's balances and the supply other
 * modules expect are put side by side.
 */
export async function stockSummary(ctx: ServiceContext, filter: { sku?: string; warehouse?: string }) {
  authorize(ctx.actor, 'stock.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  let itemId: number | undefined;
  if (filter.sku !== undefined) {
    const item = await findItemBySku(db, orgId, filter.sku);
    if (!item) return { items: [] };
    itemId = item.id;
  }
  let warehouseId: number | undefined;
  const warehouses = await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).execute();
  const codeOf = new Map(warehouses.map((w) => [num(w.id), w.code]));
  if (filter.warehouse !== undefined) {
    const found = warehouses.find((w) => w.code === filter.warehouse);
    if (!found) return { items: [] };
    warehouseId = num(found.id);
  }

  const rows = new Map<string, SummaryRow>();
  const row = (sku: string, warehouse: string) => {
    const key = `${sku}\u0000${warehouse}`;
    let r = rows.get(key);
    if (!r) {
      r = { sku, warehouse, onHand: 0n, reserved: 0n, available: 0n, unavailable: 0n, incoming: 0n, nextIncomingOn: null };
      rows.set(key, r);
    }
    return r;
  };
  for (const b of await queryStock(db, orgId, { sku: filter.sku, warehouse: filter.warehouse, limit: 100_000, warehouseIds: warehouseFilter(ctx.actor) })) {
    const r = row(b.sku, b.warehouse);
    r.onHand += b.onHand;
    r.reserved += b.reserved;
    r.available += b.available;
    if (!isAvailableKind(b.locationKind)) r.unavailable += b.onHand;
  }

  const supply: IncomingSupply[] = [
    ...(await openPurchaseSupply(db, orgId, { itemId, warehouseId })),
    ...(await inTransitSupply(db, orgId, { itemId, warehouseId })),
  ];
  if (supply.length > 0) {
    const ids = [...new Set(supply.map((s) => s.itemId))];
    const skus = new Map((await db.selectFrom('items').select(['id', 'sku']).where('org_id', '=', orgId).where('id', 'in', ids).execute()).map((i) => [num(i.id), i.sku]));
    for (const s of supply) {
      if (!canSeeWarehouse(ctx.actor, s.warehouseId)) continue; // warehouse scope
      const r = row(skus.get(s.itemId)!, codeOf.get(s.warehouseId)!);
      r.incoming += s.quantity;
      if (s.expectedOn && (r.nextIncomingOn === null || s.expectedOn < r.nextIncomingOn)) r.nextIncomingOn = s.expectedOn;
    }
  }

  const items = [...rows.values()]
    .sort((a, b) => a.sku.localeCompare(b.sku) || a.warehouse.localeCompare(b.warehouse))
    .map((r) => ({
      sku: r.sku,
      warehouse: r.warehouse,
      onHand: toJsonNumber(r.onHand),
      reserved: toJsonNumber(r.reserved),
      available: toJsonNumber(r.available),
      unavailable: toJsonNumber(r.unavailable),
      incoming: toJsonNumber(r.incoming),
      nextIncomingOn: r.nextIncomingOn,
    }));
  return { items };
}
