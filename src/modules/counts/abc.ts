import { sql } from 'kysely';
import { divideRounded, multiplyScaled, ONE, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { AVAILABLE_KINDS } from '../../ledger/locations.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { unitCosts } from './costs.js';
import type { AbcClass } from './model.js';
import { warehouseByCode } from '../warehouses/service.js';

/** Cumulative value shares (percent) where class A ends and class B ends. */
export const A_SHARE = 80n;
export const B_SHARE = 95n;

export interface AbcRow {
  itemId: number;
  sku: string;
  name: string;
  quantity: bigint;
  unitCost: bigint;
  value: bigint;
  cumulativeBefore: bigint;
  class: AbcClass;
}

/**
 * ABC classes of the items held in one warehouse, by their share of its stock value: quantity on
 * hand in its stock, zones and bins (what a count covers) times the count unit cost (costs.ts).
 * Items are ranked by value, highest first (SKU breaks ties); an item is A while the value of the
 * items ranked before it is under 80% of the total (so the top item is always A, and the item that
 * crosses 80% is A too), B while it is under 95%, and C after. Items without value are C.
 */
export async function classifyAbc(tx: Tx, orgId: number, warehouseId: number): Promise<{ rows: AbcRow[]; total: bigint }> {
  const held = await tx
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'b.org_id').onRef('i.id', '=', 'b.item_id'))
    .select(['b.item_id', 'i.sku', 'i.name', sql<string>`sum(b.on_hand)`.as('q')])
    .where('b.org_id', '=', orgId)
    .where('l.warehouse_id', '=', warehouseId)
    .where('l.kind', 'in', [...AVAILABLE_KINDS])
    .groupBy(['b.item_id', 'i.sku', 'i.name'])
    .execute();
  const costs = await unitCosts(tx, orgId, held.map((r) => num(r.item_id)));
  const rows = held.map((r) => {
    const itemId = num(r.item_id);
    const quantity = toBigInt(r.q);
    const unitCost = costs.get(itemId) ?? 0n;
    return { itemId, sku: r.sku, name: r.name, quantity, unitCost, value: multiplyScaled(quantity, unitCost), cumulativeBefore: 0n, class: 'C' as AbcClass };
  });
  rows.sort((a, b) => (a.value === b.value ? a.sku.localeCompare(b.sku) : a.value > b.value ? -1 : 1));
  const total = rows.reduce((s, r) => s + r.value, 0n);
  let cumulative = 0n;
  for (const row of rows) {
    row.cumulativeBefore = cumulative;
    if (row.value > 0n) row.class = cumulative * 100n < total * A_SHARE ? 'A' : cumulative * 100n < total * B_SHARE ? 'B' : 'C';
    cumulative += row.value;
  }
  return { rows, total };
}

const percent = (part: bigint, total: bigint) => (total === 0n ? 0 : toJsonNumber(divideRounded(part * 100n * ONE, total)));

export async function abcReport(ctx: ServiceContext, warehouseCode: string) {
  authorize(ctx.actor, 'count.view');
  const db = ctx.store.read;
  const warehouse = await warehouseByCode(db, ctx.actor.orgId, warehouseCode, 'query.warehouse');
  requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
  const { rows, total } = await classifyAbc(db, ctx.actor.orgId, warehouse.id);
  const sum = (c: AbcClass) => rows.filter((r) => r.class === c).reduce((s, r) => s + r.value, 0n);
  return {
    warehouse: warehouse.code,
    totalValue: toJsonNumber(total),
    rule: { aUpToPercent: Number(A_SHARE), bUpToPercent: Number(B_SHARE) },
    classes: (['A', 'B', 'C'] as const).map((c) => ({ class: c, items: rows.filter((r) => r.class === c).length, value: toJsonNumber(sum(c)), sharePercent: percent(sum(c), total) })),
    items: rows.map((r) => ({
      sku: r.sku,
      name: r.name,
      quantity: toJsonNumber(r.quantity),
      unitCost: toJsonNumber(r.unitCost),
      value: toJsonNumber(r.value),
      sharePercent: percent(r.value, total),
      cumulativePercent: percent(r.cumulativeBefore + r.value, total),
      class: r.class,
    })),
  };
}
