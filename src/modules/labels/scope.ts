import { sql } from 'kysely';
import { forbidden } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { canSeeWarehouse, visibleWarehouseIds, type Actor } from '../../app/context.js';

/**
 * A lot is not a document of one warehouse: its stock sits in the locations of its balances. A
 * scoped user may print its label when the lot is (or was: rows with nothing left stay) in a
 * location of a warehouse they may see, or in no warehouse at all (never stocked, or only in
 * virtual locations); a lot known only to other warehouses answers 403, like a bin of one.
 */
export async function requireLotWarehouse(db: Tx, actor: Actor, lotId: number): Promise<void> {
  if (visibleWarehouseIds(actor) === null) return;
  const rows = await db
    .selectFrom('balances as b')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
    .select('l.warehouse_id')
    .distinct()
    .where('b.org_id', '=', actor.orgId)
    .where('b.lot_id', '=', lotId)
    .where(sql<boolean>`l.warehouse_id is not null`)
    .execute();
  if (rows.length > 0 && !rows.some((r) => canSeeWarehouse(actor, num(r.warehouse_id!)))) throw forbidden('your user is not allowed in the warehouses this lot is in');
}
