import { sql } from 'kysely';
import { DomainError, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { runCommand } from '../../app/command.js';
import { completeWaveIfDone } from '../picking/tasks.js';
import { lockOrderForShipping, refreshOrderStatus } from '../sales/fulfilment.js';
import { SALES_ORDER, salesOrderView } from '../sales/service.js';
import { insertShipment, type NewShipmentLine } from './create.js';
import { prepareShipment } from './model.js';
import { postShipmentLines } from './post.js';
import type { ShipInput } from './schemas.js';
import { earliestPromise, shippableReservations } from './shippable.js';
import { shipmentView } from './view.js';

/**
 * `POST /sales-orders/{id}/ship` (the contract): ship everything the order still has reserved and
 * not packed into another shipment, picked or not, in one shipment per warehouse, posting the
 * moves to Partners/Customers and consuming those reservation quantities. Pick tasks of the
 * shipped reservations are closed (what was picked of them left with this shipment). Packed
 * shipments ship through `POST /shipments/{id}/ship`. The body is optional.
 */
export async function shipSalesOrder(ctx: ServiceContext, id: number, input: ShipInput = {}) {
  authorize(ctx.actor, 'sales.ship');
  const { orgId, userId } = ctx.actor;
  const prepared = prepareShipment(input);
  return runCommand(ctx, async (lt) => {
    // Scope before status: the order's warehouse, then every warehouse stock would leave from
    // (lines may ship from other warehouses than the order's), so a refused user learns nothing.
    await requireDocumentWarehouse(lt.tx, ctx.actor, 'sales_orders', id);
    await lockOrderForShipping(lt, orgId, id);
    const free = (await shippableReservations(lt.tx, orgId, id)).filter((r) => r.free > 0n);
    const warehouses = [...new Set(free.map((r) => r.warehouseId))].sort((a, b) => a - b);
    for (const warehouseId of warehouses) requireWarehouse(ctx.actor, warehouseId);
    if (free.length === 0) throw new DomainError('conflict', `${documentReference(SALES_ORDER, id)} has nothing reserved left to ship (backordered, or packed into shipments that ship on their own)`);
    if (warehouses.length > 1 && prepared.trackingNumber !== null) {
      throw validationError('trackingNumber: the order ships from several warehouses, one shipment each; pack and ship them one by one to give each its tracking number', [
        { field: 'trackingNumber', message: 'the order ships from several warehouses: ship them one by one' },
      ]);
    }
    const tasks = await tasksOf(lt, orgId, free.map((r) => r.id));
    const shipments: number[] = [];
    const moveIds: number[] = [];
    for (const warehouseId of warehouses) {
      const lines: NewShipmentLine[] = free
        .filter((r) => r.warehouseId === warehouseId)
        .map((r) => ({ lineId: r.lineId, taskId: tasks.get(r.id) ?? null, reservationId: r.id, itemId: r.itemId, locationId: r.locationId, lotId: r.lotId, quantity: r.free }));
      const shipmentId = await insertShipment(lt, {
        orgId, userId, orderId: id, warehouseId, status: 'shipped', carrier: prepared.carrier, service: prepared.service,
        trackingNumber: prepared.trackingNumber, promisedOn: prepared.promisedOn ?? (await earliestPromise(lt.tx, orgId, lines.map((l) => l.lineId))),
        // Packages describe the parcels of one shipment: with several warehouses they go with the first.
        packages: shipments.length === 0 ? prepared.packages : [], lines,
      });
      const moves = await postShipmentLines(lt, orgId, userId, shipmentId);
      shipments.push(shipmentId);
      moveIds.push(...moves.map((m) => m.id));
    }
    await closeShippedTasks(lt, orgId, [...tasks.values()]);
    await refreshOrderStatus(lt, orgId, id);
    const body = await salesOrderView(lt.tx, orgId, id);
    const views = await Promise.all(shipments.map((s) => shipmentView(lt.tx, orgId, s)));
    return {
      status: 200,
      body,
      audit: { action: 'sales.ship', targetType: SALES_ORDER, targetId: id, detail: { moves: moveIds, shipments } },
      events: [{ type: `sales-order.${body.status}`, payload: body }, ...views.map((v) => ({ type: 'shipment.shipped', payload: v }))],
    };
  });
}

/** Pick tasks of some reservation rows, by reservation id. */
async function tasksOf(lt: LedgerTx, orgId: number, reservationIds: number[]): Promise<Map<number, number>> {
  if (reservationIds.length === 0) return new Map();
  const rows = await lt.tx.selectFrom('pick_tasks').select(['id', 'reservation_id']).where('org_id', '=', orgId).where('reservation_id', 'in', reservationIds).execute();
  return new Map(rows.map((r) => [num(r.reservation_id), num(r.id)]));
}

/** Their reservations left unpacked: nothing more to pick, and what was picked counts as packed. */
async function closeShippedTasks(lt: LedgerTx, orgId: number, taskIds: number[]): Promise<void> {
  if (taskIds.length === 0) return;
  const at = nowIso();
  await lt.tx
    .updateTable('pick_tasks')
    .set({ packed_quantity: sql`picked_quantity`, status: sql<'open' | 'done' | 'closed'>`case when status = 'open' then 'closed' else status end`, updated_at: at })
    .where('org_id', '=', orgId)
    .where('id', 'in', taskIds)
    .execute();
  const waves = await lt.tx.selectFrom('pick_tasks').select('wave_id').distinct().where('org_id', '=', orgId).where('id', 'in', taskIds).execute();
  for (const w of waves) await completeWaveIfDone(lt, orgId, num(w.wave_id));
}
