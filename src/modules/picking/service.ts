import { authorize, requireWarehouse, visibleWarehouseIds, type ServiceContext } from '../../app/context.js';
import { requireWarehouseCode } from '../users/scope.js';
import { listWaveRows, taskView, waveView } from './view.js';

/** Reading waves and tasks; writing is in waves.ts, scan.ts and short.ts. */
export async function getWave(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'pick.view');
  const view = await waveView(ctx.store.read, ctx.actor.orgId, id);
  requireWarehouse(ctx.actor, view.warehouseId);
  return view;
}

export async function listWaves(ctx: ServiceContext, filter: Parameters<typeof listWaveRows>[2]) {
  authorize(ctx.actor, 'pick.view');
  await requireWarehouseCode(ctx.store.read, ctx.actor, filter.warehouse);
  return listWaveRows(ctx.store.read, ctx.actor.orgId, { ...filter, warehouseIds: visibleWarehouseIds(ctx.actor) });
}

export async function getTask(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'pick.view');
  const view = await taskView(ctx.store.read, ctx.actor.orgId, id);
  requireWarehouse(ctx.actor, view.warehouseId);
  return view;
}
