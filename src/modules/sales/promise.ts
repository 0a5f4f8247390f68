import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { openPurchaseSupply } from '../procurement/supply.js';
import { inTransitSupply } from '../transfers/transfers-supply.js';
import { compareQueue } from './backorders.js';
import { backordered, lineStates, type LineState } from './lines.js';

/**
 * Promise dates for backordered lines, from available to promise (docs/available-to-promise.md):
 * the first date on which the supply already on its way to the line's warehouse (open purchase
 * orders, transfers in transit; dated today or later) covers the backorders queued ahead of the
 * line (same item and warehouse, earlier in the fill order: priority, order time) plus the line's
 * own backorder. Null when no dated supply covers it: late and undated supply promise nothing.
 * Lines without a backorder are promised today.
 */
export async function promiseDates(tx: Tx, orgId: number, lines: LineState[], today: string): Promise<Map<number, string | null>> {
  const result = new Map<number, string | null>();
  const waiting = lines.filter((l) => backordered(l) > 0n);
  for (const l of lines) if (backordered(l) === 0n) result.set(l.id, today);
  if (waiting.length === 0) return result;

  const keys = [...new Set(waiting.map((l) => `${l.warehouseId}:${l.itemId}`))];
  for (const key of keys) {
    const [warehouseId, itemId] = key.split(':').map(Number) as [number, number];
    const queue = await queueOf(tx, orgId, warehouseId, itemId, waiting);
    const supply = [...(await openPurchaseSupply(tx, orgId, { itemId, warehouseId })), ...(await inTransitSupply(tx, orgId, { itemId, warehouseId }))]
      .filter((s): s is typeof s & { expectedOn: string } => s.expectedOn !== null && s.expectedOn >= today)
      .sort((a, b) => a.expectedOn.localeCompare(b.expectedOn));
    let ahead = 0n;
    for (const line of queue.lines) {
      ahead += backordered(line);
      if (!waiting.some((w) => w.id === line.id)) continue;
      let cumulative = 0n;
      const date = supply.find((s) => (cumulative += s.quantity) >= ahead)?.expectedOn ?? null;
      result.set(line.id, date);
    }
  }
  return result;
}

/** Every backordered line of confirmed / partially shipped orders for one item and warehouse, plus `extra`, in fill order. */
async function queueOf(tx: Tx, orgId: number, warehouseId: number, itemId: number, extra: LineState[]) {
  const ids = await tx
    .selectFrom('sales_order_lines')
    .select('id')
    .where('org_id', '=', orgId)
    .where('warehouse_id', '=', warehouseId)
    .where('item_id', '=', itemId)
    .where('order_id', 'in', (qb) => qb.selectFrom('sales_orders').select('id').where('org_id', '=', orgId).where('status', 'in', ['confirmed', 'partially_shipped']))
    .execute();
  const mine = extra.filter((l) => l.warehouseId === warehouseId && l.itemId === itemId);
  const others = (await lineStates(tx, orgId, { lineIds: ids.map((r) => num(r.id)) })).filter((l) => !mine.some((m) => m.id === l.id) && backordered(l) > 0n);
  const all = [...others, ...mine];
  const orders = await tx
    .selectFrom('sales_orders')
    .select(['id', 'priority', 'created_at'])
    .where('org_id', '=', orgId)
    .where('id', 'in', [...new Set(all.map((l) => l.orderId))])
    .execute();
  const rank = new Map(orders.map((o) => [num(o.id), { priority: num(o.priority), createdAt: o.created_at }]));
  return { lines: all.sort((a, b) => compareQueue(rank, a, b)) };
}
