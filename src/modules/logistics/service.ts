import { sql } from 'kysely';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { SALES_ORDER } from '../sales/service.js';
import { pageDetails } from './details.js';
import type { LogisticsFilter, Stage } from './schemas.js';

/**
 * Where the order stands, from its own status and, once shipped, its shipment's status. Kept in SQL
 * so that the stage filter and keyset pagination agree.
 */
const stageSql = sql<Stage>`(case o.status when 'draft' then 'draft' when 'confirmed' then 'reserved' when 'cancelled' then 'cancelled' else coalesce(s.status, 'shipped') end)`;

/** Late: a promise exists and it was delivered after it, or it is not delivered and the date has passed (UTC). */
const lateSql = (today: string) =>
  sql<number>`(case when s.promised_on is not null and ((s.delivered_on is not null and s.delivered_on > s.promised_on) or (s.delivered_on is null and s.promised_on < ${today})) then 1 else 0 end)`;

/** A page of orders with their logistics stage: one query for the page, three for its lines and shipments. */
export async function listOrderLogistics(ctx: ServiceContext, filter: LogisticsFilter) {
  authorize(ctx.actor, 'sales.view');
  const db = ctx.store.read;
  const orgId = ctx.actor.orgId;
  const late = lateSql(todayIso());
  let query = db
    .selectFrom('sales_orders as o')
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'o.org_id').onRef('w.id', '=', 'o.warehouse_id'))
    // One shipment per order today; the latest one speaks for the order if that ever changes.
    .leftJoin('shipments as s', (j) =>
      j
        .onRef('s.org_id', '=', 'o.org_id')
        .onRef('s.order_id', '=', 'o.id')
        .on(sql<boolean>`s.id = (select max(s2.id) from shipments s2 where s2.org_id = o.org_id and s2.order_id = o.id)`),
    )
    .select([
      'o.id', 'o.customer', 'o.status', 'o.confirmed_at', 'o.shipped_at', 'w.code as warehouse',
      's.promised_on', 's.delivered_at', 's.on_time', stageSql.as('stage'), late.as('late'),
    ])
    .where('o.org_id', '=', orgId);
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
