import { sql } from 'kysely';
import { toBigInt } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { releaseReservationParts } from '../../ledger/reservation-parts.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { minExpiryFor, shelfLifeByOrder } from '../sales/shelf-life.js';
import { completeWaveIfDone } from './tasks.js';

/**
 * Before a wave is cut: a lot reserved weeks ago may have expired since, or no longer have the
 * shelf life its customer demands. Such reservations are released, so FEFO never sends a picker
 * to them: those not in a wave yet, and those whose task in an earlier wave is untouched (nothing
 * picked or reported short; the task is closed). Returns the items released, for a backorder fill.
 */
export async function releaseUnfitReservations(lt: LedgerTx, orgId: number, warehouseId: number, orderIds: number[], today: string) {
  if (orderIds.length === 0) return [];
  const rows = await lt.tx
    .selectFrom('reservations as r')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.location_id'))
    .innerJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 'r.org_id').onRef('lot.id', '=', 'r.lot_id'))
    .leftJoin('pick_tasks as t', (j) => j.onRef('t.org_id', '=', 'r.org_id').onRef('t.reservation_id', '=', 'r.id'))
    .select(['r.id', 'r.document_id', 'r.item_id', 'r.quantity', 'lot.expires_on', 't.id as task_id'])
    .where('r.org_id', '=', orgId)
    .where('r.document_type', '=', SALES_ORDER)
    .where('r.document_id', 'in', orderIds)
    .where('r.status', '=', 'open')
    .where('l.warehouse_id', '=', warehouseId)
    .where('lot.expires_on', 'is not', null)
    .where(sql<boolean>`(t.id is null or (t.status = 'open' and t.picked_quantity = 0 and t.short_quantity = 0))`)
    .execute();
  if (rows.length === 0) return [];
  const shelfLife = await shelfLifeByOrder(lt.tx, orgId, orderIds);
  // Usable through expires_on: expired means expires_on < today; a minimum of N days needs expires_on >= today + N.
  let unfit = rows.filter((r) => r.expires_on! < (minExpiryFor(shelfLife.get(num(r.document_id)) ?? null, today) ?? today));
  const taskIds = unfit.filter((r) => r.task_id !== null).map((r) => num(r.task_id!)).sort((a, b) => a - b);
  if (taskIds.length > 0) {
    // Lock the tasks and keep those still untouched: a picker may have scanned one meanwhile.
    const untouched = await lockRows(
      lt,
      lt.tx
        .selectFrom('pick_tasks')
        .select(['id', 'wave_id'])
        .where('org_id', '=', orgId)
        .where('id', 'in', taskIds)
        .where('status', '=', 'open')
        .where('picked_quantity', '=', 0)
        .where('short_quantity', '=', 0)
        .orderBy('id'),
    ).execute();
    const closable = new Set(untouched.map((t) => num(t.id)));
    unfit = unfit.filter((r) => r.task_id === null || closable.has(num(r.task_id)));
    if (closable.size > 0) {
      await lt.tx.updateTable('pick_tasks').set({ status: 'closed', updated_at: nowIso() }).where('org_id', '=', orgId).where('id', 'in', [...closable]).execute();
      for (const waveId of new Set(untouched.map((t) => num(t.wave_id)))) await completeWaveIfDone(lt, orgId, waveId);
    }
  }
  if (unfit.length === 0) return [];
  await releaseReservationParts(lt, orgId, unfit.map((r) => ({ reservationId: num(r.id), quantity: toBigInt(r.quantity) })));
  return [...new Set(unfit.map((r) => num(r.item_id)))];
}
