import { sql, type Kysely } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num, type DB } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import type { IncomingSupply, SupplyFilter } from '../stock/supply.js';
import { TRANSFER } from './transfers-view.js';

/**
 * Stock on its way to a warehouse: per shipped transfer line, what is still in transit (shipped,
 * not yet received nor written off at close), for the destination warehouse, with the expected date.
 */
export async function inTransitSupply(db: Kysely<DB> | Tx, orgId: number, filter: SupplyFilter): Promise<IncomingSupply[]> {
  let query = db
    .selectFrom('transfers as t')
    .innerJoin('transfer_lines as l', (j) => j.onRef('l.org_id', '=', 't.org_id').onRef('l.transfer_id', '=', 't.id'))
    .innerJoin('transfer_line_lots as x', (j) => j.onRef('x.org_id', '=', 'l.org_id').onRef('x.line_id', '=', 'l.id'))
    .select(['t.id', 't.to_warehouse_id', 't.expected_on', 'l.id as line_id', 'l.item_id', sql<string>`sum(x.shipped - x.received - x.difference)`.as('q')])
    .where('t.org_id', '=', orgId)
    .where('t.status', 'in', ['shipped', 'partially_received']);
  if (filter.itemId !== undefined) query = query.where('l.item_id', '=', filter.itemId);
  if (filter.warehouseId !== undefined) query = query.where('t.to_warehouse_id', '=', filter.warehouseId);
  const rows = await query
    .groupBy(['t.id', 't.to_warehouse_id', 't.expected_on', 'l.id', 'l.item_id'])
    .orderBy('t.id')
    .orderBy('l.id')
    .execute();
  return rows
    .map((r) => ({
      itemId: num(r.item_id),
      warehouseId: num(r.to_warehouse_id),
      quantity: toBigInt(r.q),
      expectedOn: r.expected_on,
      documentType: TRANSFER,
      documentId: num(r.id),
    }))
    .filter((s) => s.quantity > 0n);
}
