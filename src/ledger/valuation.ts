import { sql } from 'kysely';
import { divideRounded, toBigInt } from '../core/decimal.js';
import { num } from '../db/schema.js';
import { lockRows, type LedgerTx } from './context.js';

/**
 * FIFO valuation layers, per item and company. Stock entering the company's hands opens a layer
 * at its unit cost; stock leaving consumes the oldest layers first. Fully consumed layers take
 * their exact remaining value, so rounding never drifts (invariant 6).
 */
export async function consumeLayers(lt: LedgerTx, orgId: number, itemId: number, quantity: bigint): Promise<bigint> {
  const layers = await lockRows(
    lt,
    lt.tx
      .selectFrom('valuation_layers')
      .select(['id', 'remaining_quantity', 'remaining_value'])
      .where('org_id', '=', orgId)
      .where('item_id', '=', itemId)
      .where(sql<boolean>`remaining_quantity > 0`) // a literal, so that valuation_layers_open_idx applies
      .orderBy('id'),
  ).execute();
  let left = quantity;
  let value = 0n;
  for (const layer of layers) {
    if (left === 0n) break;
    const remainingQty = toBigInt(layer.remaining_quantity);
    const remainingValue = toBigInt(layer.remaining_value);
    const take = left < remainingQty ? left : remainingQty;
    const takeValue = take === remainingQty ? remainingValue : divideRounded(remainingValue * take, remainingQty);
    await lt.tx
      .updateTable('valuation_layers')
      .set({ remaining_quantity: remainingQty - take, remaining_value: remainingValue - takeValue })
      .where('org_id', '=', orgId)
      .where('id', '=', num(layer.id))
      .execute();
    left -= take;
    value += takeValue;
  }
  if (left > 0n) {
    // Balances were checked first, and layers track valued on-hand exactly; this is a broken ledger.
    throw new Error(`valuation layers of item ${itemId} are short by ${left} for a balance that was sufficient`);
  }
  return value;
}

export interface NewLayer {
  itemId: number;
  moveId: number;
  quantity: bigint;
  unitCost: bigint;
  /** quantity x unitCost, as valued on the move. */
  value: bigint;
}

export async function openLayer(lt: LedgerTx, orgId: number, layer: NewLayer, at: string): Promise<void> {
  const { value } = layer;
  await lt.tx
    .insertInto('valuation_layers')
    .values({
      org_id: orgId,
      item_id: layer.itemId,
      move_id: layer.moveId,
      quantity: layer.quantity,
      unit_cost: layer.unitCost,
      value,
      remaining_quantity: layer.quantity,
      remaining_value: value,
      created_at: at,
    })
    .execute();
}

/** Cost for stock that arrives without one: the item's latest layer cost (last known cost), else 0. */
export async function lastUnitCost(lt: LedgerTx, orgId: number, itemId: number): Promise<bigint> {
  const row = await lt.tx
    .selectFrom('valuation_layers')
    .select('unit_cost')
    .where('org_id', '=', orgId)
    .where('item_id', '=', itemId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toBigInt(row.unit_cost) : 0n;
}
