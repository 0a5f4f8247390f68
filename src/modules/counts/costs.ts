import { sql } from 'kysely';
import { divideRounded, ONE, toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';

/**
 * Unit cost used to value count variances, per item: the remaining value of its FIFO layers
 * divided by their remaining quantity (what a unit on the shelf is worth now), or, with no stock
 * left, the cost of its newest layer (last cost), else 0. Scaled like every amount.
 */
export async function unitCosts(tx: Tx, orgId: number, itemIds: number[]): Promise<Map<number, bigint>> {
  const costs = new Map<number, bigint>();
  const ids = [...new Set(itemIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const remaining = await tx
      .selectFrom('valuation_layers')
      .select(['item_id', sql<string>`sum(remaining_quantity)`.as('q'), sql<string>`sum(remaining_value)`.as('v')])
      .where('org_id', '=', orgId)
      .where('item_id', 'in', chunk)
      .where('remaining_quantity', '>', 0)
      .groupBy('item_id')
      .execute();
    for (const r of remaining) {
      const q = toBigInt(r.q);
      if (q > 0n) costs.set(num(r.item_id), divideRounded(toBigInt(r.v) * ONE, q));
    }
    const missing = chunk.filter((id) => !costs.has(id));
    if (missing.length === 0) continue;
    const last = await tx
      .selectFrom('valuation_layers as v')
      .select(['v.item_id', 'v.unit_cost'])
      .where('v.org_id', '=', orgId)
      .where('v.id', 'in', (eb) =>
        eb.selectFrom('valuation_layers').select(sql<string>`max(id)`.as('id')).where('org_id', '=', orgId).where('item_id', 'in', missing).groupBy('item_id'),
      )
      .execute();
    for (const r of last) costs.set(num(r.item_id), toBigInt(r.unit_cost));
  }
  for (const id of ids) if (!costs.has(id)) costs.set(id, 0n);
  return costs;
}
