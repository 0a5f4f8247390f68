import { toJsonNumber } from '../../core/decimal.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { queryMoves, queryStock } from '../../ledger/queries.js';
import { findItemBySku } from '../items/service.js';
import { moveJson } from './move-json.js';
import { requireWarehouseCode, warehouseFilter } from '../users/scope.js';

export async function stockLevels(ctx: ServiceContext, filter: { sku?: string; warehouse?: string; nonZero?: boolean }) {
  authorize(ctx.actor, 'stock.view');
  await requireWarehouseCode(ctx.store.read, ctx.actor, filter.warehouse);
  const rows = await queryStock(ctx.store.read, ctx.actor.orgId, { ...filter, warehouseIds: warehouseFilter(ctx.actor) });
  return {
    items: rows.map((r) => ({
      sku: r.sku,
      warehouse: r.warehouse,
      location: r.location,
      lot: r.lot,
      expiresOn: r.expiresOn,
      onHand: toJsonNumber(r.onHand),
      reserved: toJsonNumber(r.reserved),
      available: toJsonNumber(r.available),
    })),
  };
}

export async function moveHistory(ctx: ServiceContext, filter: { sku?: string; after?: number; limit: number }) {
  authorize(ctx.actor, 'stock.view');
  let itemId: number | undefined;
  if (filter.sku !== undefined) {
    const item = await findItemBySku(ctx.store.read, ctx.actor.orgId, filter.sku);
    if (!item) return { items: [] };
    itemId = item.id;
  }
  const { moves, hasMore } = await queryMoves(ctx.store.read, ctx.actor.orgId, { itemId, afterId: filter.after, limit: filter.limit, warehouseIds: warehouseFilter(ctx.actor) });
  const items = moves.map(moveJson);
  return { items, ...(hasMore ? { next: String(items[items.length - 1]!.id) } : {}) };
}
