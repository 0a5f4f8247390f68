import { sql } from 'kysely';
import { num } from '../../db/schema.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { warehouseByCode } from '../warehouses/service.js';
import { PICKABLE_ORDER_STATUSES } from './model.js';
import { ordersWaitingForWave } from './waiting-orders.js';

export interface CandidateFilter {
  warehouse: string;
  /** Only orders this urgent or more (priority <= n; 1 is the most urgent). */
  priority?: number;
  /** Only orders requested on or before this date (orders without a requested date are left out). */
  requestedBy?: string;
  limit: number;
}

/**
 * The orders a wave could be cut from, so a person can choose which go in: confirmed (or partially
 * shipped) orders with open reservations in the warehouse that no task has taken yet — the same
 * rule `createWave` applies when no orders are named — in the same order (priority, then age).
 * Each with how many tasks it would make and which SKUs, enough to decide without opening it.
 */
export async function listWaveCandidates(ctx: ServiceContext, filter: CandidateFilter) {
  authorize(ctx.actor, 'pick.view');
  const { orgId } = ctx.actor;
  const db = ctx.store.read;
  const warehouse = await warehouseByCode(db, orgId, filter.warehouse);
  requireWarehouse(ctx.actor, warehouse.id);

  let query = ordersWaitingForWave(db, orgId, warehouse.id)
    .select(['o.id', 'o.customer', 'o.priority', 'o.requested_on', 'o.status', 'o.created_at']);
  if (filter.priority !== undefined) query = query.where('o.priority', '<=', filter.priority);
  if (filter.requestedBy !== undefined) query = query.where('o.requested_on', 'is not', null).where('o.requested_on', '<=', filter.requestedBy);
  const rows = await query.orderBy('o.priority').orderBy('o.created_at').orderBy('o.id').limit(filter.limit + 1).execute();
  const orders = rows.slice(0, filter.limit);
  if (orders.length === 0) return { items: [], more: false };

  const waiting = await db
    .selectFrom('reservations as r')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.location_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'r.org_id').onRef('i.id', '=', 'r.item_id'))
    .select(['r.document_id', 'r.line_id', 'i.sku'])
    .where('r.org_id', '=', orgId)
    .where('r.document_type', '=', SALES_ORDER)
    .where('r.document_id', 'in', orders.map((o) => num(o.id)))
    .where('r.status', '=', 'open')
    .where('l.warehouse_id', '=', warehouse.id)
    .where(sql<boolean>`not exists (select 1 from pick_tasks t where t.org_id = r.org_id and t.reservation_id = r.id)`)
    .execute();
  const byOrder = new Map<number, { tasks: number; lines: Set<number>; skus: Set<string> }>();
  for (const r of waiting) {
    const id = num(r.document_id);
    const entry = byOrder.get(id) ?? { tasks: 0, lines: new Set<number>(), skus: new Set<string>() };
    entry.tasks += 1;
    entry.lines.add(num(r.line_id));
    entry.skus.add(r.sku);
    byOrder.set(id, entry);
  }
  const items = orders.map((o) => {
    const id = num(o.id);
    const w = byOrder.get(id);
    return {
      id,
      number: documentReference(SALES_ORDER, id),
      customer: o.customer,
      status: o.status as (typeof PICKABLE_ORDER_STATUSES)[number],
      priority: num(o.priority),
      requestedOn: o.requested_on,
      createdAt: o.created_at,
      lines: w?.lines.size ?? 0,
      tasks: w?.tasks ?? 0,
      skus: [...(w?.skus ?? [])].sort(),
    };
  });
  return { items, more: rows.length > filter.limit };
}
