import { sql } from 'kysely';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireWarehouseCode } from '../users/scope.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { pageDetails } from './details.js';
import type { LogisticsFilter } from './schemas.js';
import { deliveredAtSql, lateSql, onTimeSql, promisedSql, stageSql } from './stage.js';

/** A page of orders with their logistics stage: one query for the page, four for its lines and shipments. */
export async function listOrderLogistics(ctx: ServiceContext, filter: LogisticsFilter) {
  authorize(ctx.actor, 'sales.view');
  const db = ctx.store.read;
  const orgId = ctx.actor.orgId;
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  const late = lateSql(todayIso());
  let query = db
    .selectFrom('sales_orders as o')
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'o.org_id').onRef('w.id', '=', 'o.warehouse_id'))
    .select([
      'o.id', 'o.customer', 'o.status', 'o.confirmed_at', 'o.shipped_at', 'w.code as warehouse',
      promisedSql.as('promised_on'), deliveredAtSql.as('delivered_at'), onTimeSql.as('on_time'), stageSql.as('stage'), late.as('late'),
    ])
    .where('o.org_id', '=', orgId);
  // Orders of the warehouses the user may see (the order's warehouse, as the sales order list filters).
  query = scopeToWarehouses(query, 'o.warehouse_id', ctx.actor);
  query = filter.stage ? query.where(stageSql, '=', filter.stage) : query.where('o.status', '<>', 'cancelled');
  if (filter.late !== undefined) query = query.where(late, '=', filter.late ? 1 : 0);
  if (filter.warehouse) query = query.where('w.code', '=', filter.warehouse);
  if (filter.customer) {
    const pattern = `%${filter.customer.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql`lower(o.customer)`, 'like', sql`lower(${pattern}) escape '\\'`);
  }
  if (filter.after !== undefined) query = query.where('o.id', '<', filter.after);
  const found = await query.orderBy('o.id', 'desc').limit(filter.limit + 1).execute();
  const rows = found.slice(0, filter.limit);
  const ids = rows.map((r) => num(r.id));
  const details = await pageDetails(db, orgId, ids);
  const items = rows.map((r) => {
    const id = num(r.id);
    return {
      id,
      number: documentReference(SALES_ORDER, id),
      customer: r.customer,
      warehouse: r.warehouse,
      orderStatus: r.status,
      stage: r.stage,
      partiallyShipped: r.status === 'partially_shipped',
      promisedOn: r.promised_on,
      confirmedAt: r.confirmed_at,
      shippedAt: r.shipped_at,
      deliveredAt: r.delivered_at,
      onTime: r.on_time === null ? null : num(r.on_time) === 1,
      late: num(r.late) === 1,
      shipments: details.shipments.get(id) ?? [],
      lines: details.lines.get(id) ?? [],
    };
  });
  return { items, next: found.length > filter.limit ? String(ids[ids.length - 1]) : undefined };
}
