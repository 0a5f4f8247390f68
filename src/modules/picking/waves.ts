import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { fillBackorders } from '../sales/backorders.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { warehouseByCode } from '../warehouses/service.js';
import { DEFAULT_WAVE_ORDERS, PICKABLE_ORDER_STATUSES, PICK_WAVE, fieldErrors } from './model.js';
import { releaseUnfitReservations } from './shelf-check.js';
import { ordersWaitingForWave } from './waiting-orders.js';
import { waveView } from './view.js';

export interface NewWave {
  warehouse: string;
  /** Sales order ids; omitted: confirmed orders with open reservations here, by priority, up to `limit`. */
  orders?: number[];
  limit?: number;
  note?: string;
}

/**
 * Cut a pick wave in one warehouse: one task per open reservation row of the orders (order line,
 * bin, lot) that is not in a wave yet, sorted by bin code (the picker's route), then SKU and lot.
 * Expired or too-short-dated reserved lots are released and re-reserved first (FEFO).
 */
export async function createWave(ctx: ServiceContext, input: NewWave) {
  authorize(ctx.actor, 'pick.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const warehouse = await warehouseByCode(lt.tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id);
    const orderIds = input.orders ? await lockNamedOrders(lt, orgId, input.orders) : await lockWaitingOrders(lt, orgId, warehouse.id, input.limit ?? DEFAULT_WAVE_ORDERS);

    const today = todayIso();
    const released = await releaseUnfitReservations(lt, orgId, warehouse.id, orderIds, today);
    if (released.length > 0) {
      await fillBackorders(lt, orgId, { warehouseId: warehouse.id, itemIds: released });
      // What the fill found is FEFO within each customer's minimum; this second look only guards it.
      await releaseUnfitReservations(lt, orgId, warehouse.id, orderIds, today);
    }

    const open = orderIds.length === 0 ? [] : await untaskedReservations(lt, orgId, warehouse.id, orderIds);
    if (open.length === 0) {
      throw fieldErrors([{ field: input.orders ? 'orders' : 'warehouse', message: `nothing to pick in ${warehouse.code}: no open reservation of these orders is waiting for a wave` }]);
    }
    const at = nowIso();
    const wave = await lt.tx
      .insertInto('pick_waves')
      .values({ org_id: orgId, warehouse_id: warehouse.id, status: 'open', note: input.note ?? null, created_by: userId, created_at: at, updated_at: at, completed_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const waveId = num(wave.id);
    const rows = open.map((r, i) => ({
      org_id: orgId, wave_id: waveId, seq: i + 1, order_id: r.orderId, line_id: r.lineId, reservation_id: r.id, item_id: r.itemId,
      location_id: r.locationId, lot_id: r.lotId, quantity: r.quantity, picked_quantity: 0n, short_quantity: 0n, packed_quantity: 0n,
      status: 'open' as const, created_at: at, updated_at: at,
    }));
    for (let i = 0; i < rows.length; i += 500) await lt.tx.insertInto('pick_tasks').values(rows.slice(i, i + 500)).execute();
    const body = await waveView(lt.tx, orgId, waveId);
    return {
      status: 201,
      body,
      audit: { action: 'pick.wave.create', targetType: PICK_WAVE, targetId: waveId, detail: { warehouse: warehouse.code, orders: body.orders, tasks: rows.length, releasedUnfitItems: released } },
      events: [{ type: 'pick-wave.created', payload: { id: waveId, number: body.number, warehouse: warehouse.code, orders: body.orders, tasks: rows.length } }],
    };
  });
}

/** Named orders, locked in id order; unknown or not pickable ones are field errors. */
async function lockNamedOrders(lt: LedgerTx, orgId: number, ids: number[]): Promise<number[]> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  const rows = await lockRows(lt, lt.tx.selectFrom('sales_orders').select(['id', 'status']).where('org_id', '=', orgId).where('id', 'in', unique).orderBy('id')).execute();
  const status = new Map(rows.map((r) => [num(r.id), r.status]));
  const errors = ids.flatMap((id, i) => {
    const s = status.get(id);
    if (s === undefined) return [{ field: `orders.${i}`, message: `no sales order ${id}` }];
    if (!(PICKABLE_ORDER_STATUSES as readonly string[]).includes(s)) return [{ field: `orders.${i}`, message: `${documentReference(SALES_ORDER, id)} is ${s}; only confirmed or partially shipped orders are picked` }];
    return [];
  });
  if (errors.length > 0) throw fieldErrors(errors);
  return unique;
}

/** Confirmed (or partially shipped) orders with open reservations here not in a wave: priority, then age. */
async function lockWaitingOrders(lt: LedgerTx, orgId: number, warehouseId: number, limit: number): Promise<number[]> {
  const waiting = await ordersWaitingForWave(lt.tx, orgId, warehouseId)
    .select('o.id')
    .orderBy('o.priority')
    .orderBy('o.created_at')
    .orderBy('o.id')
    .limit(limit)
    .execute();
  const ids = waiting.map((r) => num(r.id)).sort((a, b) => a - b);
  if (ids.length === 0) return [];
  // Lock, then keep those still pickable (a cancel may have come first).
  const locked = await lockRows(lt, lt.tx.selectFrom('sales_orders').select(['id', 'status']).where('org_id', '=', orgId).where('id', 'in', ids).orderBy('id')).execute();
  return locked.filter((r) => (PICKABLE_ORDER_STATUSES as readonly string[]).includes(r.status)).map((r) => num(r.id));
}

interface OpenReservation { id: number; orderId: number; lineId: number; itemId: number; locationId: number; lotId: number; quantity: bigint }

/** Open reservations of the orders in the warehouse without a task, in route order. */
async function untaskedReservations(lt: LedgerTx, orgId: number, warehouseId: number, orderIds: number[]): Promise<OpenReservation[]> {
  const rows = await lt.tx
    .selectFrom('reservations as r')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.location_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'r.org_id').onRef('i.id', '=', 'r.item_id'))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 'r.org_id').onRef('lot.id', '=', 'r.lot_id'))
    .select(['r.id', 'r.document_id', 'r.line_id', 'r.item_id', 'r.location_id', 'r.lot_id', 'r.quantity', 'l.code as bin', 'i.sku', 'lot.code as lot'])
    .where('r.org_id', '=', orgId)
    .where('r.document_type', '=', SALES_ORDER)
    .where('r.document_id', 'in', orderIds)
    .where('r.status', '=', 'open')
    .where('l.warehouse_id', '=', warehouseId)
    .where(sql<boolean>`not exists (select 1 from pick_tasks t where t.org_id = r.org_id and t.reservation_id = r.id)`)
    .execute();
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows
    .sort((a, b) => cmp(a.bin, b.bin) || cmp(a.sku, b.sku) || cmp(a.lot ?? '', b.lot ?? '') || num(a.document_id) - num(b.document_id) || num(a.id) - num(b.id))
    .map((r) => ({
      id: num(r.id), orderId: num(r.document_id), lineId: num(r.line_id), itemId: num(r.item_id), locationId: num(r.location_id),
      lotId: num(r.lot_id), quantity: toBigInt(r.quantity),
    }));
}
