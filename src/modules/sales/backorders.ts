import { sql } from 'kysely';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import { lockRows, type LedgerTx } from '../../ledger/context.js';
import { isAvailableKind } from '../../ledger/locations.js';
import { reserveStock } from '../../ledger/reservations.js';
import { SALES_ORDER } from './document-type.js';
import { backordered, lineStates, type LineState } from './lines.js';
import { minExpiryFor, shelfLifeByOrder } from './shelf-life.js';

/** Order statuses whose open lines wait for stock. */
const WAITING = ['confirmed', 'partially_shipped'] as const;

/**
 * Stock became available for some items in a warehouse (a receipt was put away, a transfer
 * arrived, stock was found, a reservation was released): reserve it for the backorders waiting
 * there. A line's backorder is its open quantity without a reservation (quantity − cancelled −
 * shipped − reserved), always derived, so a released reservation is a backorder at once.
 *
 * Lines are served by order priority (1 first), then order creation time, then order id and line
 * number; each takes what its customer accepts (minimum remaining shelf life; never expired lots)
 * FEFO, as much as is there. Call it inside the command that made the stock available, after its
 * moves are posted.
 *
 * Concurrency (PostgreSQL): the candidate lines are locked FOR UPDATE in id order (every caller
 * locks them in the same order) and re-read after locking, so two fills, or a fill and a line
 * cancellation, never reserve the same open quantity twice; the balances are locked by
 * reserveStock. On SQLite commands are serialized.
 */
export async function fillBackorders(lt: LedgerTx, orgId: number, scope: { warehouseId: number; itemIds: number[] }): Promise<void> {
  const itemIds = [...new Set(scope.itemIds)].sort((a, b) => a - b);
  if (itemIds.length === 0) return;
  // Only lines with a backorder are locked: lines reserved in full stay free for picking and shipping.
  // A line that gets a backorder after this read got it from a release, whose command fills it itself.
  const candidates = await lt.tx
    .selectFrom('sales_order_lines as l')
    .select('l.id')
    .where('l.org_id', '=', orgId)
    .where('l.warehouse_id', '=', scope.warehouseId)
    .where('l.item_id', 'in', itemIds)
    .where('l.order_id', 'in', (qb) => qb.selectFrom('sales_orders').select('id').where('org_id', '=', orgId).where('status', 'in', [...WAITING]))
    .where(sql<boolean>`l.quantity - l.cancelled_quantity > coalesce((select sum(r.quantity) from reservations r
      where r.org_id = l.org_id and r.document_type = ${SALES_ORDER} and r.document_id = l.order_id and r.line_id = l.id
        and r.status in ('open', 'consumed')), 0)`)
    .execute();
  if (candidates.length === 0) return;
  const locked = await lockRows(
    lt,
    lt.tx.selectFrom('sales_order_lines').select('id').where('org_id', '=', orgId).where('id', 'in', candidates.map((r) => num(r.id))).orderBy('id'),
  ).execute();

  // Re-read after locking: quantities, reservations and the order's status may have changed.
  const lines = (await lineStates(lt.tx, orgId, { lineIds: locked.map((r) => num(r.id)) })).filter((l) => backordered(l) > 0n);
  if (lines.length === 0) return;
  const orderIds = [...new Set(lines.map((l) => l.orderId))];
  const orders = await lt.tx
    .selectFrom('sales_orders')
    .select(['id', 'status', 'priority', 'created_at'])
    .where('org_id', '=', orgId)
    .where('id', 'in', orderIds)
    .execute();
  const rank = new Map(orders.filter((o) => (WAITING as readonly string[]).includes(o.status)).map((o) => [num(o.id), { priority: num(o.priority), createdAt: o.created_at }]));
  const queue = lines.filter((l) => rank.has(l.orderId)).sort((a, b) => compareQueue(rank, a, b));
  const shelfLife = await shelfLifeByOrder(lt.tx, orgId, orderIds);

  const today = todayIso();
  // Items with nothing left for a customer without a shelf-life minimum have nothing for anyone.
  const exhausted = new Set<number>();
  for (const line of queue) {
    if (exhausted.has(line.itemId)) continue;
    const minExpiresOn = minExpiryFor(shelfLife.get(line.orderId) ?? null, today);
    const wanted = backordered(line);
    const result = await reserveStock(lt, {
      orgId,
      documentType: SALES_ORDER,
      documentId: line.orderId,
      warehouseId: line.warehouseId,
      demands: [{ lineId: line.id, itemId: line.itemId, quantity: wanted }],
      today,
      partial: true,
      minExpiresOn,
    });
    const got = result.claimed.reduce((s, c) => s + c.quantity, 0n);
    if (got < wanted && minExpiresOn === null) exhausted.add(line.itemId);
    // A line covered in full is ready today: that is now its promise.
    if (got === wanted) {
      await lt.tx.updateTable('sales_order_lines').set({ promised_on: today }).where('org_id', '=', orgId).where('id', '=', line.id).execute();
    }
  }
}

/** The backorder queue: priority (1 first), order creation time, order id, line number. */
export function compareQueue(rank: Map<number, { priority: number; createdAt: string }>, a: LineState, b: LineState): number {
  const ra = rank.get(a.orderId)!;
  const rb = rank.get(b.orderId)!;
  return ra.priority - rb.priority || ra.createdAt.localeCompare(rb.createdAt) || a.orderId - b.orderId || a.lineNo - b.lineNo;
}

/**
 * The hook other modules call after posting moves: every move that brings stock into a
 * warehouse's available locations from outside them (a put-away from inspection, a transfer
 * receipt, an adjustment or count gain, a restocked return) lets that warehouse's backorders of
 * the item fill. Moves between available locations of one warehouse change nothing and are skipped.
 */
export async function fillBackordersAfterMoves(lt: LedgerTx, orgId: number, moves: ReadonlyArray<{ itemId: number; fromLocationId: number; toLocationId: number }>): Promise<void> {
  if (moves.length === 0) return;
  const locationIds = [...new Set(moves.flatMap((m) => [m.fromLocationId, m.toLocationId]))];
  const rows = await lt.tx.selectFrom('locations').select(['id', 'kind', 'warehouse_id']).where('org_id', '=', orgId).where('id', 'in', locationIds).execute();
  const places = new Map(rows.map((r) => [num(r.id), { available: isAvailableKind(r.kind), warehouseId: r.warehouse_id === null ? null : num(r.warehouse_id) }]));
  const byWarehouse = new Map<number, Set<number>>();
  for (const m of moves) {
    const to = places.get(m.toLocationId);
    const from = places.get(m.fromLocationId);
    if (!to || !to.available || to.warehouseId === null) continue;
    if (from && from.available && from.warehouseId === to.warehouseId) continue;
    byWarehouse.set(to.warehouseId, (byWarehouse.get(to.warehouseId) ?? new Set()).add(m.itemId));
  }
  for (const warehouseId of [...byWarehouse.keys()].sort((a, b) => a - b)) {
    await fillBackorders(lt, orgId, { warehouseId, itemIds: [...byWarehouse.get(warehouseId)!] });
  }
}
