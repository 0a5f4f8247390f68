import { sql } from 'kysely';
import type { Tx } from '../../db/store.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { PICKABLE_ORDER_STATUSES } from './model.js';

/**
 * Orders waiting for a wave in a warehouse: confirmed (or partially shipped) with an open
 * reservation there that no pick task has taken yet. One rule for the automatic wave and for the
 * list a person chooses from, so the two never disagree.
 */
export function ordersWaitingForWave(db: Tx, orgId: number, warehouseId: number) {
  return db
    .selectFrom('sales_orders as o')
    .where('o.org_id', '=', orgId)
    .where('o.status', 'in', [...PICKABLE_ORDER_STATUSES])
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('reservations as r')
          .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.location_id'))
          .select('r.id')
          .whereRef('r.org_id', '=', 'o.org_id')
          .whereRef('r.document_id', '=', 'o.id')
          .where('r.document_type', '=', SALES_ORDER)
          .where('r.status', '=', 'open')
          .where('l.warehouse_id', '=', warehouseId)
          .where(sql<boolean>`not exists (select 1 from pick_tasks t where t.org_id = r.org_id and t.reservation_id = r.id)`),
      ),
    );
}
