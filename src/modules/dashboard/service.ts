import { sql } from 'kysely';
import { divideRounded, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import { authorize, can, requireWarehouse, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';
import { AVAILABLE_KINDS, PHYSICAL_KINDS } from '../../ledger/locations.js';
import { todayIso } from '../../core/text.js';
import { notFound } from '../../core/errors.js';

export interface DashboardFilter {
  /** Warehouse code; all warehouses when absent. */
  warehouse?: string;
  /**
   * An item without a reorder point is low on stock when what is available in the scope is at or
   * below this (default 0); items with one use their own reorder point.
   */
  lowStockAt: number;
  /** Lots expiring within this many days (default 30); expired lots still on hand are included. */
  expiringDays: number;
  /** Days of inbound/outbound trend (default 30). */
  trendDays: number;
  /** Rows in the low-stock and expiring lists (default 10). */
  top: number;
}

const physical = [...PHYSICAL_KINDS];
const availableKinds = [...AVAILABLE_KINDS];

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Everything the dashboard shows, in one read: stock value and SKUs in stock, stock per
 * warehouse, low-stock and expiring items, orders by status and the inbound/outbound trend.
 * Aggregates run in the database (group by), so the answer stays small for a large catalogue.
 */
export async function dashboard(ctx: ServiceContext, filter: DashboardFilter) {
  authorize(ctx.actor, 'stock.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const showCost = can(ctx.actor, 'report.view_cost');

  const warehouses = await db.selectFrom('warehouses').select(['id', 'code', 'name']).where('org_id', '=', orgId).orderBy('code').execute();
  const scope = filter.warehouse === undefined ? undefined : warehouses.find((w) => w.code === filter.warehouse);
  if (filter.warehouse !== undefined && !scope) throw notFound(`warehouse ${filter.warehouse}`);
  if (scope) requireWarehouse(ctx.actor, num(scope.id)); // warehouse scope: 403
  // The warehouses counted: the one asked for, else every warehouse the user may see (all: undefined).
  const visible = visibleWarehouseIds(ctx.actor);
  const scopeIds: readonly number[] | undefined = scope ? [num(scope.id)] : visible === null ? undefined : visible.length > 0 ? visible : [-1];
  const inScopeIds = (id: unknown) => scopeIds === undefined || scopeIds.includes(num(id as number));

  // Per item and warehouse: on hand, and available (stock, zones and bins less reservations).
  let balances = db
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .select([
      'b.item_id',
      'l.warehouse_id',
      sql<string>`sum(b.on_hand)`.as('on_hand'),
      sql<string>`sum(case when l.kind in (${sql.join(availableKinds)}) then b.on_hand - b.reserved else 0 end)`.as('available'),
    ])
    .where('b.org_id', '=', orgId)
    .where('l.kind', 'in', physical)
    .groupBy(['b.item_id', 'l.warehouse_id']);
  if (scopeIds !== undefined) balances = balances.where('l.warehouse_id', 'in', [...scopeIds]);
  const stockRows = (await balances.execute()).map((r) => ({ itemId: num(r.item_id), warehouseId: num(r.warehouse_id), onHand: toBigInt(r.on_hand), available: toBigInt(r.available) }));

  // Average cost per item from the open FIFO layers (what the books carry).
  const layers = await db
    .selectFrom('valuation_layers')
    .select(['item_id', sql<string>`sum(remaining_quantity)`.as('quantity'), sql<string>`sum(remaining_value)`.as('value')])
    .where('org_id', '=', orgId)
    .groupBy('item_id')
    .execute();
  const unitCost = new Map<number, { quantity: bigint; value: bigint }>();
  let booksValue = 0n;
  for (const l of layers) {
    const quantity = toBigInt(l.quantity);
    const value = toBigInt(l.value);
    booksValue += value;
    unitCost.set(num(l.item_id), { quantity, value });
  }
  const valueOf = (itemId: number, onHand: bigint) => {
    const c = unitCost.get(itemId);
    return c && c.quantity > 0n ? divideRounded(onHand * c.value, c.quantity) : 0n;
  };

  const perWarehouse = new Map<number, { skus: Set<number>; onHand: bigint; value: bigint }>();
  const skusInStock = new Set<number>();
  const perItem = new Map<number, { onHand: bigint; available: bigint }>();
  let scopeValue = 0n;
  for (const r of stockRows) {
    const w = perWarehouse.get(r.warehouseId) ?? { skus: new Set<number>(), onHand: 0n, value: 0n };
    const value = valueOf(r.itemId, r.onHand);
    if (r.onHand !== 0n) {
      w.skus.add(r.itemId);
      skusInStock.add(r.itemId);
    }
    w.onHand += r.onHand;
    w.value += value;
    scopeValue += value;
    perWarehouse.set(r.warehouseId, w);
    const i = perItem.get(r.itemId) ?? { onHand: 0n, available: 0n };
    i.onHand += r.onHand;
    i.available += r.available;
    perItem.set(r.itemId, i);
  }

  // Low stock: items that have been stocked in the scope (a balance exists) and now have little
  // available. "Little" is the item's reorder point where set, else the `lowStockAt` parameter;
  // below the item's safety stock is critical (and low even above the threshold).
  const threshold = BigInt(Math.round(filter.lowStockAt * 1_000_000));
  const reorderRows = await db
    .selectFrom('items')
    .select(['id', 'reorder_point', 'safety_stock', 'reorder_quantity'])
    .where('org_id', '=', orgId)
    .where((eb) => eb.or([eb('reorder_point', 'is not', null), eb('safety_stock', 'is not', null), eb('reorder_quantity', 'is not', null)]))
    .execute();
  const scaledOrNull = (v: unknown) => (v === null || v === undefined ? null : toBigInt(v));
  const reorderOf = new Map(
    reorderRows.map((r) => [num(r.id), { point: scaledOrNull(r.reorder_point), safety: scaledOrNull(r.safety_stock), quantity: scaledOrNull(r.reorder_quantity) }]),
  );
  const lowEntries = [...perItem.entries()].flatMap(([id, v]) => {
    const reorder = reorderOf.get(id);
    const critical = reorder?.safety != null && v.available < reorder.safety;
    const low = v.available <= (reorder?.point ?? threshold) || critical;
    return low ? [{ id, ...v, reorder, critical }] : [];
  });
  // Critical first, then the least available.
  const low = lowEntries.sort((a, b) => (a.critical !== b.critical ? (a.critical ? -1 : 1) : a.available < b.available ? -1 : a.available > b.available ? 1 : a.id - b.id));
  const lowTop = low.slice(0, filter.top);
  const lowIds = lowTop.map((l) => l.id);
  const itemRows = lowIds.length === 0 ? [] : await db.selectFrom('items').select(['id', 'sku', 'name', 'unit']).where('org_id', '=', orgId).where('id', 'in', lowIds).where('archived', '=', 0).execute();
  const itemById = new Map(itemRows.map((i) => [num(i.id), i]));
  const jsonOrNull = (v: bigint | null) => (v === null ? null : toJsonNumber(v));
  const lowStock = lowTop.flatMap((l) => {
    const item = itemById.get(l.id);
    if (!item) return [];
    const row = { sku: item.sku, name: item.name, unit: item.unit, onHand: toJsonNumber(l.onHand), available: toJsonNumber(l.available) };
    if (!l.reorder) return [row]; // no reorder settings: the row as before reorder points existed
    // Suggest the item's reorder quantity, else what brings it back up to its reorder point.
    const suggested = l.reorder.quantity ?? (l.reorder.point !== null ? l.reorder.point - l.available : null);
    return [{
      ...row,
      reorderPoint: jsonOrNull(l.reorder.point),
      safetyStock: jsonOrNull(l.reorder.safety),
      reorderQuantity: jsonOrNull(l.reorder.quantity),
      suggestedQuantity: jsonOrNull(suggested),
      critical: l.critical,
    }];
  });

  // Lots on hand that expire within the window (or already expired).
  const today = todayIso();
  const until = addDays(today, filter.expiringDays);
  let expiringQuery = db
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .innerJoin('lots as t', (j) => j.onRef('t.org_id', '=', 'b.org_id').onRef('t.id', '=', 'b.lot_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'b.org_id').onRef('i.id', '=', 'b.item_id'))
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'l.org_id').onRef('w.id', '=', 'l.warehouse_id'))
    .select(['i.sku', 'i.name', 'w.code as warehouse', 't.code as lot', 't.expires_on', sql<string>`sum(b.on_hand)`.as('on_hand')])
    .where('b.org_id', '=', orgId)
    .where('l.kind', 'in', physical)
    .where('t.expires_on', 'is not', null)
    .where('t.expires_on', '<=', until)
    .where('b.on_hand', '>', 0)
    .groupBy(['i.sku', 'i.name', 'w.code', 't.code', 't.expires_on'])
    .orderBy('t.expires_on')
    .orderBy('i.sku')
    .limit(filter.top);
  if (scopeIds !== undefined) expiringQuery = expiringQuery.where('l.warehouse_id', 'in', [...scopeIds]);
  const expiring = (await expiringQuery.execute()).map((r) => {
    const expiresOn = r.expires_on!;
    const daysLeft = Math.round((Date.parse(`${expiresOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
    return { sku: r.sku, name: r.name, warehouse: r.warehouse, lot: r.lot, expiresOn, daysLeft, onHand: toJsonNumber(toBigInt(r.on_hand)) };
  });

  // Orders by status.
  let sales = db.selectFrom('sales_orders').select(['status', sql<string>`count(*)`.as('n')]).where('org_id', '=', orgId).groupBy('status');
  if (scopeIds !== undefined) sales = sales.where('warehouse_id', 'in', [...scopeIds]);
  let purchases = db.selectFrom('purchase_orders').select(['status', sql<string>`count(*)`.as('n')]).where('org_id', '=', orgId).groupBy('status');
  if (scopeIds !== undefined) purchases = purchases.where('warehouse_id', 'in', [...scopeIds]);
  const counts = (rows: Array<{ status: string; n: string | number | bigint }>) => Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const salesOrders = counts(await sales.execute());
  const purchaseOrders = counts(await purchases.execute());

  // Inbound (into a physical location from outside the scope) and outbound, per day.
  const since = addDays(today, -(filter.trendDays - 1));
  const trendRows = await db
    .selectFrom('moves as m')
    .innerJoin('locations as f', (j) => j.onRef('f.org_id', '=', 'm.org_id').onRef('f.id', '=', 'm.from_location_id'))
    .innerJoin('locations as t', (j) => j.onRef('t.org_id', '=', 'm.org_id').onRef('t.id', '=', 'm.to_location_id'))
    .select([
      sql<string>`substr(m.posted_at, 1, 10)`.as('day'),
      'f.kind as from_kind', 'f.warehouse_id as from_wh', 't.kind as to_kind', 't.warehouse_id as to_wh',
      sql<string>`sum(m.quantity)`.as('quantity'), sql<string>`count(*)`.as('n'),
    ])
    .where('m.org_id', '=', orgId)
    .where('m.posted_at', '>=', since)
    .groupBy([sql`substr(m.posted_at, 1, 10)`, 'f.kind', 'f.warehouse_id', 't.kind', 't.warehouse_id'])
    .execute();
  const inScope = (kind: string, wh: unknown) => physical.includes(kind as (typeof physical)[number]) && inScopeIds(wh);
  const byDay = new Map<string, { inbound: bigint; outbound: bigint; inboundMoves: number; outboundMoves: number }>();
  for (let d = since; d <= today; d = addDays(d, 1)) byDay.set(d, { inbound: 0n, outbound: 0n, inboundMoves: 0, outboundMoves: 0 });
  for (const r of trendRows) {
    const day = byDay.get(r.day);
    if (!day) continue;
    const fromIn = inScope(r.from_kind, r.from_wh);
    const toIn = inScope(r.to_kind, r.to_wh);
    if (toIn && !fromIn) {
      day.inbound += toBigInt(r.quantity);
      day.inboundMoves += Number(r.n);
    } else if (fromIn && !toIn) {
      day.outbound += toBigInt(r.quantity);
      day.outboundMoves += Number(r.n);
    }
  }

  const itemCount = await db.selectFrom('items').select(sql<string>`count(*)`.as('n')).where('org_id', '=', orgId).where('archived', '=', 0).executeTakeFirst();

  return {
    warehouse: scope?.code ?? null,
    itemCount: Number(itemCount?.n ?? 0),
    skusInStock: skusInStock.size,
    /** Value of the stock in the scope at average cost; all warehouses: the books (incl. in transit). */
    stockValue: showCost ? toJsonNumber(scopeIds === undefined ? booksValue : scopeValue) : null,
    warehouses: warehouses
      .filter((w) => inScopeIds(w.id))
      .map((w) => {
        const s = perWarehouse.get(num(w.id));
        return { code: w.code, name: w.name, skus: s?.skus.size ?? 0, onHand: toJsonNumber(s?.onHand ?? 0n), value: showCost ? toJsonNumber(s?.value ?? 0n) : null };
      }),
    lowStockAt: filter.lowStockAt,
    lowStock,
    lowStockCount: low.length,
    expiringDays: filter.expiringDays,
    expiring,
    salesOrders,
    purchaseOrders,
    trend: [...byDay.entries()].map(([date, d]) => ({ date, inbound: toJsonNumber(d.inbound), outbound: toJsonNumber(d.outbound), inboundMoves: d.inboundMoves, outboundMoves: d.outboundMoves })),
  };
}
