import { authorize, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';
import { requireShipmentWarehouse } from '../users/scope.js';
import { listShipmentRows, shipmentView, type ShipmentFilter } from './view.js';

/** Reading shipments; writing is in packing.ts, ship.ts, ship-order.ts and tracking.ts. */
export async function getShipment(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  await requireShipmentWarehouse(ctx.store.read, ctx.actor, id);
  return shipmentView(ctx.store.read, ctx.actor.orgId, id);
}

/** Only shipments of the warehouses the user may see. */
export async function listShipments(ctx: ServiceContext, filter: Omit<ShipmentFilter, 'warehouseIds'>) {
  authorize(ctx.actor, 'sales.view');
  return listShipmentRows(ctx.store.read, ctx.actor.orgId, { ...filter, warehouseIds: visibleWarehouseIds(ctx.actor) });
}
