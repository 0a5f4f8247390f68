import { authorize, type ServiceContext } from '../../app/context.js';
import { listShipmentRows, shipmentView, type ShipmentFilter } from './view.js';

/** Reading shipments; writing happens when an order ships (sales) and in tracking.ts. */
export async function getShipment(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  return shipmentView(ctx.store.read, ctx.actor.orgId, id);
}

export async function listShipments(ctx: ServiceContext, filter: ShipmentFilter) {
  authorize(ctx.actor, 'sales.view');
  return listShipmentRows(ctx.store.read, ctx.actor.orgId, filter);
}
