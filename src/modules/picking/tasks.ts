import { sql, type Selectable } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { PickTasksTable } from '../../db/tables/picking.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { lockReservationRows } from '../../ledger/reservation-parts.js';
import { documentReference } from '../../ledger/documents.js';
import { PICK_TASK, conflictAt } from './model.js';

/** A task row locked for the command (PostgreSQL: FOR UPDATE), so two pickers on it queue up. */
export async function lockTask(lt: LedgerTx, orgId: number, id: number): Promise<Selectable<PickTasksTable>> {
  const task = await lockRows(lt, lt.tx.selectFrom('pick_tasks').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!task) throw notFound(`pick task ${id}`);
  return task;
}

/** The warehouse of a task's bin. */
export async function taskWarehouse(lt: LedgerTx, orgId: number, task: Selectable<PickTasksTable>): Promise<number> {
  const row = await lt.tx.selectFrom('locations').select('warehouse_id').where('org_id', '=', orgId).where('id', '=', num(task.location_id)).executeTakeFirstOrThrow();
  return num(row.warehouse_id!);
}

/** The task is still to pick and its order still holds the reservation (not cancelled or shipped unpicked). */
export async function requirePickable(lt: LedgerTx, orgId: number, task: Selectable<PickTasksTable>) {
  const number = documentReference(PICK_TASK, num(task.id));
  if (task.status !== 'open') throw conflictAt('task', `${number} is ${task.status}: nothing left to pick`);
  const reservation = (await lockReservationRows(lt, orgId, [num(task.reservation_id)])).get(num(task.reservation_id));
  if (!reservation || reservation.status !== 'open') throw conflictAt('task', `${number}: its order no longer reserves this stock (cancelled or shipped)`);
  return reservation;
}

/** What shipments that left (not merely packed) took of a task's picked quantity. */
export async function shippedFromTask(lt: LedgerTx, orgId: number, taskId: number): Promise<bigint> {
  const row = await lt.tx
    .selectFrom('shipment_lines as l')
    .innerJoin('shipments as s', (j) => j.onRef('s.org_id', '=', 'l.org_id').onRef('s.id', '=', 'l.shipment_id'))
    .select(sql<string>`coalesce(sum(l.quantity), 0)`.as('q'))
    .where('l.org_id', '=', orgId)
    .where('l.task_id', '=', taskId)
    .where('s.status', '<>', 'packed')
    .executeTakeFirstOrThrow();
  return toBigInt(row.q);
}

/** A wave whose tasks are all done or closed is done. */
export async function completeWaveIfDone(lt: LedgerTx, orgId: number, waveId: number): Promise<void> {
  const open = await lt.tx
    .selectFrom('pick_tasks')
    .select('id')
    .where('org_id', '=', orgId)
    .where('wave_id', '=', waveId)
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  if (open) return;
  const at = nowIso();
  await lt.tx
    .updateTable('pick_waves')
    .set({ status: 'done', completed_at: at, updated_at: at })
    .where('org_id', '=', orgId)
    .where('id', '=', waveId)
    .where('status', '=', 'open')
    .execute();
}
