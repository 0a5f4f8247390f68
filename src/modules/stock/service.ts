import { toJsonNumber } from '../../core/decimal.js';
import { validationError, type FieldError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
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

export interface MoveHistoryQuery {
  sku?: string;
  /** Warehouse code: moves from or into one of its locations. */
  warehouse?: string;
  /** Full location code: moves from or into exactly that location. */
  location?: string;
  lot?: string;
  /** Calendar dates (UTC), both inclusive. */
  from?: string;
  to?: string;
  after?: number;
  limit: number;
}

/**
 * Moves in posting order, narrowed on the server so that keyset pages stay whole: a page holds
 * `limit` matching moves, never a page of all moves filtered afterwards. Naming a warehouse or a
 * location of a warehouse outside the user's scope is 403; a warehouse, location or lot that does
 * not exist is 422 (a typo should not look like "no moves"). An unknown SKU stays an empty list.
 */
export async function moveHistory(ctx: ServiceContext, query: MoveHistoryQuery) {
  authorize(ctx.actor, 'stock.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const errors: FieldError[] = [];

  let warehouseId: number | undefined;
  if (query.warehouse !== undefined) {
    const row = await db.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', query.warehouse).executeTakeFirst();
    if (!row) errors.push({ field: 'query.warehouse', message: `unknown warehouse ${query.warehouse}` });
    else {
      warehouseId = num(row.id);
      requireWarehouse(ctx.actor, warehouseId);
    }
  }
  let locationId: number | undefined;
  if (query.location !== undefined) {
    const row = await db.selectFrom('locations').select(['id', 'warehouse_id']).where('org_id', '=', orgId).where('code', '=', query.location).executeTakeFirst();
    if (!row) errors.push({ field: 'query.location', message: `unknown location ${query.location} (full code, e.g. WH1/Stock/A-01)` });
    else {
      locationId = num(row.id);
      // Virtual locations (Virtual/Customers) belong to no warehouse: the list's scope still applies.
      requireWarehouse(ctx.actor, row.warehouse_id === null ? null : num(row.warehouse_id), 'location');
    }
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) errors.push({ field: 'query.to', message: `must not be before from (${query.from})` });

  let itemId: number | undefined;
  let unknownSku = false;
  if (query.sku !== undefined) {
    const item = await findItemBySku(db, orgId, query.sku);
    if (item) itemId = item.id;
    else unknownSku = true;
  }
  if (query.lot !== undefined && !unknownSku) {
    let lots = db.selectFrom('lots').select('id').where('org_id', '=', orgId).where('code', '=', query.lot);
    if (itemId !== undefined) lots = lots.where('item_id', '=', itemId);
    if (!(await lots.limit(1).executeTakeFirst())) errors.push({ field: 'query.lot', message: `unknown lot ${query.lot}${query.sku !== undefined ? ` of ${query.sku}` : ''}` });
  }
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  if (unknownSku) return { items: [] };

  const { moves, hasMore } = await queryMoves(db, orgId, {
    itemId, warehouseId, locationId, lot: query.lot,
    postedFrom: query.from, postedBefore: query.to === undefined ? undefined : dayAfter(query.to),
    afterId: query.after, limit: query.limit, warehouseIds: warehouseFilter(ctx.actor),
  });
  const items = moves.map(moveJson);
  return { items, ...(hasMore ? { next: String(items[items.length - 1]!.id) } : {}) };
}

/** The day after a calendar date: posting times are ISO text, so `< next day` includes all of `date`. */
function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
