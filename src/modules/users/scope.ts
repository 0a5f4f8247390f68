import { forbidden } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { canSeeWarehouse, visibleWarehouseIds, type Actor } from '../../app/context.js';

/**
 * Warehouse scope helpers that need the database (the pure ones are in src/app/context.ts).
 * Rule everywhere: lists show only visible warehouses ("sees nothing" of the others); naming
 * another warehouse directly (a query filter, a document's warehouse, a document id) answers 403.
 */

/** For `warehouseIds` filters of ledger queries: undefined when the actor sees every warehouse. */
export function warehouseFilter(actor: Actor): readonly number[] | undefined {
  return visibleWarehouseIds(actor) ?? undefined;
}

/** 403 when `code` names an existing warehouse the actor may not see; unknown codes are left to the caller (404/422). */
export async function requireWarehouseCode(db: Tx, actor: Actor, code: string | undefined | null): Promise<void> {
  if (code === undefined || code === null || visibleWarehouseIds(actor) === null) return;
  const row = await db.selectFrom('warehouses').select('id').where('org_id', '=', actor.orgId).where('code', '=', code).executeTakeFirst();
  if (row && !canSeeWarehouse(actor, num(row.id))) throw forbidden(`your user is not allowed in warehouse ${code}`);
}

/** 403 unless the actor may see the warehouse of this location (virtual locations: allowed). */
export async function requireLocationWarehouse(db: Tx, actor: Actor, locationId: number): Promise<void> {
  if (visibleWarehouseIds(actor) === null) return;
  const row = await db.selectFrom('locations').select('warehouse_id').where('org_id', '=', actor.orgId).where('id', '=', locationId).executeTakeFirst();
  if (row && row.warehouse_id !== null && !canSeeWarehouse(actor, num(row.warehouse_id))) throw forbidden('your user is not allowed in the warehouse of this location');
}

/** Document tables that carry the warehouse they happen in. */
export type WarehouseDocumentTable =
  | 'adjustments' | 'purchase_orders' | 'receipts' | 'supplier_returns' | 'sales_returns' | 'stock_counts'
  | 'internal_transfers' | 'scraps' | 'putaway_rules' | 'sales_orders' | 'pick_waves' | 'count_suggestions';

/**
 * 403 when the document `id` of `table` belongs to a warehouse the actor may not see. An unknown
 * id passes: the caller answers 404 as before.
 */
export async function requireDocumentWarehouse(db: Tx, actor: Actor, table: WarehouseDocumentTable, id: number): Promise<void> {
  if (visibleWarehouseIds(actor) === null) return;
  const row = await (db as unknown as import('kysely').Kysely<Record<string, { org_id: number; id: number; warehouse_id: number | null }>>)
    .selectFrom(table).select('warehouse_id').where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
  if (row && row.warehouse_id !== null && !canSeeWarehouse(actor, num(row.warehouse_id))) throw forbidden('your user is not allowed in the warehouse of this document');
}

/**
 * Transfers between warehouses: shipping (and cancelling a draft) needs the source warehouse,
 * receiving and closing need the destination; seeing one needs either side.
 */
export async function requireTransferWarehouse(db: Tx, actor: Actor, id: number, side: 'from' | 'to' | 'either'): Promise<void> {
  if (visibleWarehouseIds(actor) === null) return;
  const row = await db.selectFrom('transfers').select(['from_warehouse_id', 'to_warehouse_id']).where('org_id', '=', actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const from = canSeeWarehouse(actor, num(row.from_warehouse_id));
  const to = canSeeWarehouse(actor, num(row.to_warehouse_id));
  const allowed = side === 'from' ? from : side === 'to' ? to : from || to;
  if (!allowed) throw forbidden(side === 'either' ? 'your user is not allowed in either warehouse of this transfer' : `your user is not allowed in the ${side === 'from' ? 'source' : 'destination'} warehouse of this transfer`);
}

/** A shipment happens in its own warehouse, or (null) in its sales order's. */
export async function requireShipmentWarehouse(db: Tx, actor: Actor, shipmentId: number): Promise<void> {
  if (visibleWarehouseIds(actor) === null) return;
  const row = await db.selectFrom('shipments as s')
    .innerJoin('sales_orders as o', (j) => j.onRef('o.org_id', '=', 's.org_id').onRef('o.id', '=', 's.order_id'))
    .select(['s.warehouse_id', 'o.warehouse_id as order_warehouse_id'])
    .where('s.org_id', '=', actor.orgId).where('s.id', '=', shipmentId).executeTakeFirst();
  if (row && !canSeeWarehouse(actor, num(row.warehouse_id ?? row.order_warehouse_id))) throw forbidden('your user is not allowed in the warehouse of this shipment');
}

/** A pick task belongs to the warehouse of its wave. */
export async function requirePickTaskWarehouse(db: Tx, actor: Actor, taskId: number): Promise<void> {
  if (visibleWarehouseIds(actor) === null) return;
  const row = await db.selectFrom('pick_tasks as t')
    .innerJoin('pick_waves as w', (j) => j.onRef('w.org_id', '=', 't.org_id').onRef('w.id', '=', 't.wave_id'))
    .select('w.warehouse_id').where('t.org_id', '=', actor.orgId).where('t.id', '=', taskId).executeTakeFirst();
  if (row && !canSeeWarehouse(actor, num(row.warehouse_id))) throw forbidden('your user is not allowed in the warehouse of this pick task');
}
