import { toJsonNumber, toBigInt } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { PICK_TASK, PICK_WAVE, conflictAt } from './model.js';
import { waveView } from './view.js';

/**
 * Cancel a pick wave cut by mistake, or whose orders must go another way. Only a wave where
 * nothing was picked can be cancelled (409 otherwise): picked goods are at the packing bench,
 * still booked in their bins and counted on their tasks, and a half-cancelled wave would leave
 * them without a route to packing. Tasks reported short (done, nothing picked) and closed tasks
 * stay as they are.
 *
 * The open tasks are deleted, not marked: one task per reservation row (unique index), so a task
 * left behind would keep its reservation out of every later wave. They are untouched (nothing
 * picked, nothing short), so no scan, shipment line or count suggestion names them; the audit
 * keeps what they were. Reservations stay with their orders (nothing in the ledger changes): the
 * orders go back to the candidates of a new wave, and their logistics stage back to reserved.
 */
export async function cancelWave(ctx: ServiceContext, id: number, input: { reason?: string }) {
  authorize(ctx.actor, 'pick.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const found = await lt.tx.selectFrom('pick_waves').select(['id', 'warehouse_id']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!found) throw notFound(`pick wave ${id}`);
    requireWarehouse(ctx.actor, num(found.warehouse_id));
    const number = documentReference(PICK_WAVE, id);
    // Tasks first (id order), then the wave: the order a scan takes (its task, then the wave's completion).
    const tasks = await lockRows(
      lt,
      lt.tx.selectFrom('pick_tasks').select(['id', 'order_id', 'reservation_id', 'quantity', 'picked_quantity', 'short_quantity', 'status']).where('org_id', '=', orgId).where('wave_id', '=', id).orderBy('id'),
    ).execute();
    const wave = await lockRows(lt, lt.tx.selectFrom('pick_waves').select(['status']).where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirstOrThrow();
    if (wave.status !== 'open') throw conflictAt('wave', `${number} is ${wave.status}: only an open wave can be cancelled`);
    const picked = tasks.filter((t) => toBigInt(t.picked_quantity) > 0n);
    if (picked.length > 0) {
      throw conflictAt('wave', `${number} has picked tasks (${picked.map((t) => documentReference(PICK_TASK, num(t.id))).join(', ')}): pack or ship what was picked; only a wave with nothing picked can be cancelled`);
    }
    const open = tasks.filter((t) => t.status === 'open');
    if (open.length > 0) await lt.tx.deleteFrom('pick_tasks').where('org_id', '=', orgId).where('id', 'in', open.map((t) => num(t.id))).where('status', '=', 'open').execute();
    const at = nowIso();
    await lt.tx.updateTable('pick_waves').set({ status: 'cancelled', updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).where('status', '=', 'open').execute();

    const orders = [...new Set(open.map((t) => num(t.order_id)))].sort((a, b) => a - b).map((o) => documentReference(SALES_ORDER, o));
    const body = await waveView(lt.tx, orgId, id);
    const reason = input.reason ?? null;
    return {
      status: 200,
      body,
      audit: {
        action: 'pick.wave.cancel', targetType: PICK_WAVE, targetId: id,
        detail: {
          reason, orders,
          tasks: open.map((t) => ({ task: documentReference(PICK_TASK, num(t.id)), order: documentReference(SALES_ORDER, num(t.order_id)), reservation: num(t.reservation_id), quantity: toJsonNumber(toBigInt(t.quantity)) })),
        },
      },
      events: [{ type: 'pick-wave.cancelled', payload: { id, number, warehouse: body.warehouse, orders, tasks: open.length, reason } }],
    };
  });
}
