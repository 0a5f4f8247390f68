import { sql } from 'kysely';
import { DecimalFormatError, parseScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import type { Tx } from '../../db/store.js';
import { postMoves } from '../../ledger/post.js';
import { releaseReservationParts } from '../../ledger/reservation-parts.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { fillBackorders } from '../sales/backorders.js';
import { SALES_ORDER } from '../sales/document-type.js';
import { holdLocation } from './hold-location.js';
import { PICK_TASK, fieldErrors } from './model.js';
import { suggestionView } from './suggestions-view.js';
import { completeWaveIfDone, lockTask, requirePickable, taskWarehouse } from './tasks.js';
import { taskView } from './view.js';

/**
 * The picker did not find all of a task at its bin. `found` is what they found of the rest (and
 * take now, besides earlier scans; default 0); everything else is missing. In one transaction:
 * the missing quantity's reservation is released; the missing quantity moves from the bin to the
 * warehouse's Discrepancy location (on hand unchanged, never available, so it cannot be reserved
 * again before the bin is counted); a count suggestion for the bin is recorded; and the order's
 * line is re-reserved from other stock by the backorder fill, or stays backordered.
 */
export async function shortPick(ctx: ServiceContext, id: number, input: { found?: number }) {
  authorize(ctx.actor, 'pick.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const task = await lockTask(lt, orgId, id);
    const warehouseId = await taskWarehouse(lt, orgId, task);
    requireWarehouse(ctx.actor, warehouseId);
    const item = await lt.tx
      .selectFrom('items')
      .select(['sku', 'unit', 'unit_precision', 'tracking'])
      .where('org_id', '=', orgId)
      .where('id', '=', num(task.item_id))
      .executeTakeFirstOrThrow();
    let found = 0n;
    try {
      found = parseScaled(input.found ?? 0, num(item.unit_precision));
    } catch (e) {
      throw fieldErrors([{ field: 'found', message: `${e instanceof DecimalFormatError ? e.message : 'is invalid'} (unit ${item.unit}, precision ${num(item.unit_precision)})` }]);
    }
    if (found < 0n) throw fieldErrors([{ field: 'found', message: 'must not be negative' }]);
    const reservation = await requirePickable(lt, orgId, task);
    const left = toBigInt(task.quantity) - toBigInt(task.picked_quantity) - toBigInt(task.short_quantity);
    if (found >= left) throw fieldErrors([{ field: 'found', message: `nothing is missing: ${toJsonNumber(left)} ${item.unit} left on this task; scan what you found instead` }]);
    const missing = left - found;
    const lineReservedBefore = await openOnLine(lt.tx, orgId, num(task.line_id));

    // 1. The missing quantity is no longer the order's; 2. it leaves the bin for Discrepancy.
    await releaseReservationParts(lt, orgId, [{ reservationId: reservation.id, quantity: missing }]);
    const hold = await holdLocation(lt, orgId, warehouseId);
    const posting = await postMoves(lt, {
      orgId, postingKey: `${PICK_TASK}:${id}:short`, documentType: PICK_TASK, documentId: id, postedBy: userId,
      moves: [{ itemId: num(task.item_id), lotId: num(task.lot_id), fromLocationId: num(task.location_id), toLocationId: hold, quantity: missing }],
    });

    const at = nowIso();
    const updated = await lt.tx
      .updateTable('pick_tasks')
      .set({ picked_quantity: sql`picked_quantity + ${found}`, short_quantity: sql`short_quantity + ${missing}`, status: 'done', updated_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where(sql<boolean>`picked_quantity + short_quantity + ${found + missing} = quantity`)
      .executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) throw new Error(`pick task ${id} changed under its lock`);
    const scans = [
      ...(found > 0n ? [{ kind: 'pick' as const, quantity: found }] : []),
      { kind: 'short' as const, quantity: missing },
    ];
    await lt.tx
      .insertInto('pick_scans')
      .values(scans.map((s) => ({ org_id: orgId, task_id: id, wave_id: num(task.wave_id), kind: s.kind, quantity: s.quantity, scanned_by: userId, scanned_at: at })))
      .execute();
    const suggestion = await lt.tx
      .insertInto('count_suggestions')
      .values({
        org_id: orgId, warehouse_id: warehouseId, location_id: num(task.location_id), item_id: num(task.item_id), lot_id: num(task.lot_id),
        hold_location_id: hold, quantity: missing, task_id: id, status: 'open', count_id: null, found_quantity: null,
        created_by: userId, created_at: at, resolved_by: null, resolved_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const suggestionId = num(suggestion.id);

    // 3. Other stock for the order (FEFO, the customer's shelf life), or a backorder.
    await fillBackorders(lt, orgId, { warehouseId, itemIds: [num(task.item_id)] });
    const lineReservedAfter = await openOnLine(lt.tx, orgId, num(task.line_id));
    const reReserved = lineReservedAfter - (lineReservedBefore - missing);
    await completeWaveIfDone(lt, orgId, num(task.wave_id));

    const body = {
      task: await taskView(lt.tx, orgId, id),
      missing: toJsonNumber(missing),
      reReserved: toJsonNumber(reReserved),
      backordered: toJsonNumber(missing - reReserved),
      countSuggestion: await suggestionView(lt.tx, orgId, suggestionId),
    };
    return {
      status: 200,
      body,
      audit: {
        action: 'pick.short', targetType: PICK_TASK, targetId: id,
        detail: { order: documentReference(SALES_ORDER, num(task.order_id)), found: toJsonNumber(found), missing: body.missing, reReserved: body.reReserved, moves: posting.moves.map((m) => m.id), countSuggestion: suggestionId },
      },
      events: [
        { type: 'pick-task.short', payload: body },
        { type: 'count-suggestion.created', payload: { id: suggestionId, number: body.countSuggestion.number, bin: body.countSuggestion.bin, sku: item.sku } },
      ],
    };
  });
}

async function openOnLine(tx: Tx, orgId: number, lineId: number): Promise<bigint> {
  const row = await tx
    .selectFrom('reservations')
    .select(sql<string>`coalesce(sum(quantity), 0)`.as('q'))
    .where('org_id', '=', orgId)
    .where('document_type', '=', SALES_ORDER)
    .where('line_id', '=', lineId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return toBigInt(row.q);
}
