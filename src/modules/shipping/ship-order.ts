import { authorize, type ServiceContext } from '../../app/context.js';
import { runCommand } from '../../app/command.js';
import { consumeReservations } from '../../ledger/reservations.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { lockOrderForShipping, refreshOrderStatus } from '../sales/fulfilment.js';
import { SALES_ORDER, salesOrderView } from '../sales/service.js';
import { createShipment } from './create.js';
import { prepareShipment } from './model.js';
import type { ShipInput } from './schemas.js';

/**
 * `POST /sales-orders/{id}/ship`: move the reserved stock to the customer location, consuming the
 * reservations, and record the shipment (carrier, tracking, packages) in the same transaction.
 * The body is optional.
 */
export async function shipSalesOrder(ctx: ServiceContext, id: number, input: ShipInput = {}) {
  authorize(ctx.actor, 'sales.ship');
  const { orgId, userId } = ctx.actor;
  const prepared = prepareShipment(input);
  return runCommand(ctx, async (lt) => {
    await lockOrderForShipping(lt, orgId, id);
    const customer = await virtualLocation(lt.tx, orgId, 'customer');
    const moves = await consumeReservations(lt, { orgId, documentType: SALES_ORDER, documentId: id, postingKey: `${SALES_ORDER}:${id}:ship`, toLocationId: customer, postedBy: userId });
    await refreshOrderStatus(lt, orgId, id);
    const shipment = await createShipment(lt, { orgId, userId, orderId: id, shipment: prepared });
    const body = await salesOrderView(lt.tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'sales.ship', targetType: SALES_ORDER, targetId: id, detail: { moves: moves.map((m) => m.id), shipment: shipment.id } },
      events: [{ type: 'sales-order.shipped', payload: body }, { type: 'shipment.shipped', payload: shipment }],
    };
  });
}
