import { sql } from 'kysely';
import { DecimalFormatError, ONE, parseScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound, type FieldError } from '../../core/errors.js';
import { todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { PICK_TASK, conflictAt, fieldErrors } from './model.js';
import { completeWaveIfDone, lockTask, requirePickable, shippedFromTask, taskWarehouse } from './tasks.js';
import { taskView } from './view.js';

export interface Scan {
  /** Bin code as scanned. */
  bin: string;
  /** SKU or barcode as scanned. */
  item: string;
  /** Lot or serial number; required for tracked items. */
  lot?: string;
  /** Default 1 (one scan, one unit). */
  quantity?: number;
}

/**
 * Pick by scan: the scanned bin, item and lot must be the task's (422 naming the wrong field), and
 * the quantity must fit what is left of the task (409). The task row is locked and the picked
 * quantity raised by one conditional UPDATE whose row count is checked, so two pickers scanning
 * the same task never pick more than it holds, and a serial (a task of exactly 1) is picked once.
 * Picking records quantities; stock stays in the bin, reserved, until the shipment posts it
 * (docs/picking.md explains why).
 */
export async function scanTask(ctx: ServiceContext, id: number, scan: Scan) {
  authorize(ctx.actor, 'pick.write');
  return runCommand(ctx, (lt) => applyScan(lt, ctx, id, scan));
}

/**
 * Scan against a whole wave, as a scanner gun does: the bin, item and lot find the wave's first
 * open task (route order) that matches and has room for the quantity; then it is a task scan.
 * Nothing in the wave at that bin, of that item there, or of that lot: 422 naming the field.
 */
export async function scanWave(ctx: ServiceContext, waveId: number, scan: Scan) {
  authorize(ctx.actor, 'pick.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const wave = await lt.tx.selectFrom('pick_waves').select(['id', 'warehouse_id']).where('org_id', '=', orgId).where('id', '=', waveId).executeTakeFirst();
    if (!wave) throw notFound(`pick wave ${waveId}`);
    requireWarehouse(ctx.actor, num(wave.warehouse_id));
    const open = await lt.tx
      .selectFrom('pick_tasks as t')
      .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 't.org_id').onRef('l.id', '=', 't.location_id'))
      .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 't.org_id').onRef('i.id', '=', 't.item_id'))
      .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 't.org_id').onRef('lot.id', '=', 't.lot_id'))
      .select(['t.id', 't.quantity', 't.picked_quantity', 't.short_quantity', 'l.code as bin', 'i.sku', 'i.barcode', 'i.unit_precision', 'lot.code as lot'])
      .where('t.org_id', '=', orgId)
      .where('t.wave_id', '=', waveId)
      .where('t.status', '=', 'open')
      .orderBy('t.seq')
      .execute();
    const atBin = open.filter((t) => t.bin === scan.bin);
    if (atBin.length === 0) throw fieldErrors([{ field: 'bin', message: `nothing left to pick at ${scan.bin} in this wave` }]);
    const ofItem = atBin.filter((t) => t.sku === scan.item || (t.barcode !== null && t.barcode === scan.item));
    if (ofItem.length === 0) throw fieldErrors([{ field: 'item', message: `nothing of ${scan.item} left to pick at ${scan.bin}; there: ${[...new Set(atBin.map((t) => t.sku))].join(', ')}` }]);
    const ofLot = ofItem.filter((t) => t.lot === null || t.lot === scan.lot);
    if (ofLot.length === 0) {
      throw fieldErrors([{ field: 'lot', message: scan.lot === undefined ? 'scan the lot or serial number' : `lot ${scan.lot} is not to be picked here; wanted: ${ofItem.map((t) => t.lot).join(', ')}` }]);
    }
    let quantity: bigint | undefined;
    try {
      quantity = parseScaled(scan.quantity ?? 1, num(ofLot[0]!.unit_precision));
    } catch {
      quantity = undefined; // the task scan names the problem
    }
    const left = (t: (typeof ofLot)[number]) => toBigInt(t.quantity) - toBigInt(t.picked_quantity) - toBigInt(t.short_quantity);
    const task = ofLot.find((t) => quantity !== undefined && left(t) >= quantity) ?? ofLot[0]!;
    return applyScan(lt, ctx, num(task.id), scan);
  });
}

/** One scan on one task, inside the caller's command. */
async function applyScan(lt: LedgerTx, ctx: ServiceContext, id: number, scan: Scan) {
  const { orgId, userId } = ctx.actor;
  const task = await lockTask(lt, orgId, id);
  requireWarehouse(ctx.actor, await taskWarehouse(lt, orgId, task));
  const expected = await lt.tx
    .selectFrom('items as i')
    .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'i.org_id').on('l.id', '=', num(task.location_id)))
    .leftJoin('lots as lot', (j) => j.onRef('lot.org_id', '=', 'i.org_id').on('lot.id', '=', num(task.lot_id)))
    .select(['i.sku', 'i.barcode', 'i.tracking', 'i.unit', 'i.unit_precision', 'l.code as bin', 'lot.code as lot', 'lot.expires_on'])
    .where('i.org_id', '=', orgId)
    .where('i.id', '=', num(task.item_id))
    .executeTakeFirstOrThrow();

  const errors: FieldError[] = [];
  if (scan.bin !== expected.bin) errors.push({ field: 'bin', message: `wrong bin ${scan.bin}: this task picks from ${expected.bin}` });
  if (scan.item !== expected.sku && (expected.barcode === null || scan.item !== expected.barcode)) {
    errors.push({ field: 'item', message: `wrong item ${scan.item}: this task picks ${expected.sku}` });
  }
  if (expected.lot === null && scan.lot !== undefined) errors.push({ field: 'lot', message: `${expected.sku} is not lot or serial tracked` });
  if (expected.lot !== null && scan.lot === undefined) errors.push({ field: 'lot', message: `scan the ${expected.tracking === 'serial' ? 'serial' : 'lot'} number (${expected.lot})` });
  if (expected.lot !== null && scan.lot !== undefined && scan.lot !== expected.lot) {
    errors.push({ field: 'lot', message: `wrong ${expected.tracking === 'serial' ? 'serial' : 'lot'} ${scan.lot}: this task picks ${expected.lot}` });
  }
  let quantity = ONE;
  try {
    quantity = parseScaled(scan.quantity ?? 1, num(expected.unit_precision));
    if (quantity <= 0n) errors.push({ field: 'quantity', message: 'must be greater than zero' });
    if (expected.tracking === 'serial' && quantity !== ONE) errors.push({ field: 'quantity', message: 'a serial number is one unit: use 1' });
  } catch (e) {
    errors.push({ field: 'quantity', message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${expected.unit}, precision ${num(expected.unit_precision)})` });
  }
  if (errors.length > 0) throw fieldErrors(errors);

  const reservation = await requirePickable(lt, orgId, task);
  // The wave checked the lot; if it expired since, it must not leave: a new wave re-reserves the order.
  if (expected.expires_on && expected.expires_on < todayIso()) {
    throw conflictAt('lot', `lot ${expected.lot} expired on ${expected.expires_on}: do not pick it; a new wave for the order re-reserves other stock`);
  }
  const left = toBigInt(task.quantity) - toBigInt(task.picked_quantity) - toBigInt(task.short_quantity);
  if (quantity > left) throw conflictAt('quantity', `only ${toJsonNumber(left)} ${expected.unit} left to pick on this task`);
  // The order may have given back part of the reservation meanwhile (a line cancelled in part):
  // what is picked and still on hand must stay covered by it.
  const stillHeld = reservation.quantity - (toBigInt(task.picked_quantity) - (await shippedFromTask(lt, orgId, id)));
  if (quantity > stillHeld) throw conflictAt('quantity', `the order reserves only ${toJsonNumber(stillHeld > 0n ? stillHeld : 0n)} ${expected.unit} more here`);

  const at = nowIso();
  const updated = await lt.tx
    .updateTable('pick_tasks')
    .set({
      picked_quantity: sql`picked_quantity + ${quantity}`,
      status: sql<'done' | 'open'>`case when picked_quantity + short_quantity + ${quantity} = quantity then 'done' else 'open' end`,
      updated_at: at,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where(sql<boolean>`picked_quantity + short_quantity + ${quantity} <= quantity`)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw conflictAt('quantity', 'another picker took this quantity first');
  await lt.tx
    .insertInto('pick_scans')
    .values({ org_id: orgId, task_id: id, wave_id: num(task.wave_id), kind: 'pick', quantity, scanned_by: userId, scanned_at: at })
    .execute();
  await completeWaveIfDone(lt, orgId, num(task.wave_id));
  const body = await taskView(lt.tx, orgId, id);
  return {
    status: 200,
    body,
    audit: { action: 'pick.scan', targetType: PICK_TASK, targetId: id, detail: { bin: scan.bin, item: scan.item, lot: scan.lot ?? null, quantity: toJsonNumber(quantity) } },
    events: body.status === 'done' ? [{ type: 'pick-task.done', payload: body }] : [],
  };
}
