import { conflict, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireShipmentWarehouse } from '../users/scope.js';
import { lockOrderForShipping, refreshOrderStatus } from '../sales/fulfilment.js';
import { refuseTakenTracking } from './create.js';
import { SHIPMENT, prepareShipment } from './model.js';
import { postShipmentLines } from './post.js';
import type { ShipPackedInput } from './schemas.js';
import { earliestPromise } from './shippable.js';
import { shipmentView } from './view.js';

/**
 * Ship a packed shipment: post exactly its lines (bins -> Partners/Customers, consuming those
 * reservation quantities), give it carrier, service, tracking and promise (default: the earliest
 * promise date of its order lines), and settle the order's status (partially shipped or shipped).
 */
export async function shipPackedShipment(ctx: ServiceContext, id: number, input: ShipPackedInput = {}) {
  authorize(ctx.actor, 'sales.ship');
  const { orgId, userId } = ctx.actor;
  const prepared = prepareShipment(input);
  return runCommand(ctx, async (lt) => {
    const first = await lt.tx.selectFrom('shipments').select('order_id').where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!first) throw notFound(`shipment ${id}`);
    // Scope before status (the shipment's warehouse, or its order's for shipments from before split shipping).
    await requireShipmentWarehouse(lt.tx, ctx.actor, id);
    // The order first (every ship path locks it first), then the shipment.
    await lockOrderForShipping(lt, orgId, num(first.order_id));
    const row = await lockRows(lt, lt.tx.selectFrom('shipments').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirstOrThrow();
    if (row.status !== 'packed') throw conflict(`shipment ${id} is ${row.status}; only a packed shipment can ship`, { currentStatus: row.status });
    await refuseTakenTracking(lt, orgId, prepared.carrier, prepared.trackingNumber);
    const lines = await lt.tx.selectFrom('shipment_lines').select('line_id').where('org_id', '=', orgId).where('shipment_id', '=', id).execute();
    const moves = await postShipmentLines(lt, orgId, userId, id);
    const at = nowIso();
    await lt.tx
      .updateTable('shipments')
      .set({
        status: 'shipped', shipped_at: at, updated_at: at, carrier: prepared.carrier, service: prepared.service, tracking_number: prepared.trackingNumber,
        promised_on: prepared.promisedOn ?? (await earliestPromise(lt.tx, orgId, lines.map((l) => num(l.line_id)))),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    await lt.tx
      .insertInto('shipment_events')
      .values({ org_id: orgId, shipment_id: id, status: 'shipped', at, location: null, note: null, source: 'ship', recorded_by: userId, recorded_at: at })
      .execute();
    await refreshOrderStatus(lt, orgId, num(row.order_id));
    const body = await shipmentView(lt.tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'sales.ship', targetType: SHIPMENT, targetId: id, detail: { order: body.order, moves: moves.map((m) => m.id) } },
      events: [{ type: 'shipment.shipped', payload: body }],
    };
  });
}
