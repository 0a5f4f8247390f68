import { valueOf } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import type { LedgerTx } from '../../ledger/context.js';
import { lastUnitCost } from '../../ledger/valuation.js';
import type { DocumentFields } from './model.js';

/** The fields conditions look at: the amount the document module computed, warehouse, line categories. */
export async function documentFields(tx: Tx, orgId: number, doc: { number: string; warehouseId: number; amount: bigint; itemIds: number[] }): Promise<DocumentFields> {
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', doc.warehouseId).executeTakeFirstOrThrow();
  const ids = [...new Set(doc.itemIds)];
  const rows = ids.length === 0 ? [] : await tx.selectFrom('items').select('category').where('org_id', '=', orgId).where('id', 'in', ids).execute();
  const categories = [...new Set(rows.flatMap((r) => (r.category === null ? [] : [r.category])))].sort();
  return { number: doc.number, amount: doc.amount.toString(), warehouse: warehouse.code, categories };
}

/**
 * What stock lines are worth for a condition on amount: |quantity| × the line's unit cost, else the
 * item's last known cost. An estimate (stock leaving is valued FIFO when it posts), good enough
 * to pick a flow; the posted value is in the moves.
 */
export async function estimatedValue(lt: LedgerTx, orgId: number, lines: Array<{ itemId: number; quantity: bigint; unitCost?: bigint | null }>): Promise<bigint> {
  const costs = new Map<number, bigint>();
  let total = 0n;
  for (const line of lines) {
    let cost = line.unitCost ?? costs.get(line.itemId);
    if (cost === undefined || cost === null) {
      cost = await lastUnitCost(lt, orgId, num(line.itemId));
      costs.set(line.itemId, cost);
    }
    total += valueOf(line.quantity < 0n ? -line.quantity : line.quantity, cost);
  }
  return total;
}
