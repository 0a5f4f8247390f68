import { sql } from 'kysely';
import type { Stage } from './schemas.js';

/**
 * Where an order stands, in SQL so that the stage filter and keyset pagination agree. `o` is the
 * order. Open orders (confirmed, partially shipped) stand where their least advanced open part
 * is: backordered (open quantity without a reservation) < reserved (not in a wave) < picking (a
 * task open, or picked and not packed) < packed (waiting in a packed shipment). Fully shipped
 * orders stand where their shipments are: in_transit while any has left the dock and not all
 * arrived, delivered when all arrived. An exception on any shipment wins: someone must act.
 */
export const stageSql = sql<Stage>`(case
  when o.status = 'draft' then 'draft'
  when o.status = 'cancelled' then 'cancelled'
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.status = 'exception') then 'exception'
  when o.status in ('confirmed', 'partially_shipped') then (case
    when (select coalesce(sum(l.quantity - l.cancelled_quantity), 0) from sales_order_lines l where l.org_id = o.org_id and l.order_id = o.id)
       > (select coalesce(sum(r.quantity), 0) from reservations r where r.org_id = o.org_id and r.document_type = 'sales-order' and r.document_id = o.id and r.status in ('open', 'consumed'))
      then 'backordered'
    when exists (select 1 from reservations r where r.org_id = o.org_id and r.document_type = 'sales-order' and r.document_id = o.id and r.status = 'open'
      and not exists (select 1 from pick_tasks t where t.org_id = r.org_id and t.reservation_id = r.id)) then 'reserved'
    when exists (select 1 from pick_tasks t where t.org_id = o.org_id and t.order_id = o.id and (t.status = 'open' or (t.status = 'done' and t.picked_quantity > t.packed_quantity))) then 'picking'
    when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.status = 'packed') then 'packed'
    else 'reserved' end)
  when not exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id) then 'shipped'
  when not exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.status <> 'delivered') then 'delivered'
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.status in ('in_transit', 'delivered')) then 'in_transit'
  else 'shipped' end)`;

/**
 * Late (UTC dates): a shipment delivered after its promise, or one on its way past its promise;
 * or, for an order still open, a line not fully shipped whose promise date has passed.
 */
export const lateSql = (today: string) => sql<number>`(case
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.promised_on is not null
    and ((x.delivered_on is not null and x.delivered_on > x.promised_on) or (x.delivered_on is null and x.status <> 'packed' and x.promised_on < ${today}))) then 1
  when o.status in ('confirmed', 'partially_shipped') and exists (select 1 from sales_order_lines l where l.org_id = o.org_id and l.order_id = o.id
    and l.promised_on is not null and l.promised_on < ${today}
    and l.quantity - l.cancelled_quantity > (select coalesce(sum(r.quantity), 0) from reservations r where r.org_id = l.org_id and r.document_type = 'sales-order' and r.line_id = l.id and r.status = 'consumed')) then 1
  else 0 end)`;

/** The promise: the latest shipment's, else the earliest of the order's lines. */
export const promisedSql = sql<string | null>`coalesce(
  (select x.promised_on from shipments x where x.org_id = o.org_id and x.order_id = o.id order by x.id desc limit 1),
  (select min(l.promised_on) from sales_order_lines l where l.org_id = o.org_id and l.order_id = o.id))`;

/** All shipments delivered: false if any was late, true if any was promised (and none late), else null. */
export const onTimeSql = sql<number | null>`(case
  when not exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id) then null
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.status <> 'delivered') then null
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.on_time = 0) then 0
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.on_time = 1) then 1
  else null end)`;

/** When the last shipment arrived, once all have. */
export const deliveredAtSql = sql<string | null>`(case
  when exists (select 1 from shipments x where x.org_id = o.org_id and x.order_id = o.id and x.status <> 'delivered') then null
  else (select max(x.delivered_at) from shipments x where x.org_id = o.org_id and x.order_id = o.id) end)`;
