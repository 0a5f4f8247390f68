import { conflict } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { lockRows, type LedgerTx } from '../../ledger/context.js';
import { countReference, OPEN_STATUSES } from './model.js';

/**
 * Serialize the commands that add lines to counts of one warehouse (start, found stock) on
 * PostgreSQL by locking the warehouse row after the count row, so that the overlap check below
 * sees the lines of a count started at the same moment.
 */
export async function lockWarehouseCounts(lt: LedgerTx, orgId: number, warehouseId: number): Promise<void> {
  await lockRows(lt, lt.tx.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('id', '=', warehouseId)).execute();
}

/**
 * A balance may be in one open count only: two counts of the same bin would both post their
 * variance and adjust the stock twice. 409 naming the other count and some of the balances.
 */
export async function refuseOverlap(lt: LedgerTx, orgId: number, countId: number): Promise<void> {
  const clashes = await lt.tx
    .selectFrom('stock_count_lines as mine')
    .innerJoin('stock_count_lines as other', (j) =>
      j.onRef('other.org_id', '=', 'mine.org_id').onRef('other.item_id', '=', 'mine.item_id').onRef('other.location_id', '=', 'mine.location_id').onRef('other.lot_id', '=', 'mine.lot_id'),
    )
    .innerJoin('stock_counts as c', (j) => j.onRef('c.org_id', '=', 'other.org_id').onRef('c.id', '=', 'other.count_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'mine.org_id').onRef('i.id', '=', 'mine.item_id'))
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'mine.org_id').onRef('l.id', '=', 'mine.location_id'))
    .select(['other.count_id', 'i.sku', 'l.code'])
    .where('mine.org_id', '=', orgId)
    .where('mine.count_id', '=', countId)
    .where('other.count_id', '!=', countId)
    .where('other.state', '!=', 'excluded')
    .where('c.status', 'in', OPEN_STATUSES)
    .orderBy('l.code')
    .orderBy('i.sku')
    .limit(5)
    .execute();
  if (clashes.length === 0) return;
  const others = [...new Set(clashes.map((c) => countReference(num(c.count_id))))];
  throw conflict(
    `${clashes.map((c) => `${c.sku} at ${c.code}`).join(', ')} ${clashes.length === 1 ? 'is' : 'are'} already being counted by ${others.join(', ')}: post or cancel it first`,
    { countedBy: others },
  );
}
