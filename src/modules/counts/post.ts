import { formatScaled, ONE, toJsonNumber } from '../../core/decimal.js';
import { conflict, insufficientStock, type ShortLine } from '../../core/errors.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { postMoves, StockShortage, type MoveRequest } from '../../ledger/post.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { lotOnHand } from '../stock/lots.js';
import { loadLines, type CountLine } from './lines.js';
import { countReference, lockCount, STOCK_COUNT } from './model.js';
import { lineVariance, varianceTotals } from './variances.js';
import { countView } from './view.js';
import { fillBackordersAfterMoves } from '../sales/backorders.js';

/**
 * Post the variances: each line's stock is adjusted by its variance (counted - book when it was
 * counted), not set to the counted number, so whatever moved after counting stays moved. Gains
 * come from `Virtual/Inventory adjustment` at the line's unit cost, losses go there (valued FIFO).
 * A loss needing stock that is reserved is refused: 409 naming the lines, nothing written.
 */
export async function postCount(ctx: ServiceContext, id: number, input: { reasonCode?: string }) {
  authorize(ctx.actor, 'count.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  const reasonCode = input.reasonCode ?? 'count';
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const count = await lockCount(lt, orgId, id, 'posted');
    if (count.status === 'counted' && Number(count.approval_required) === 1) {
      throw conflict(`stock count ${countReference(id)} has variances above the approval threshold: it needs approval before posting`, { currentStatus: count.status, approvalRequired: true });
    }
    const lines = await loadLines(tx, orgId, id);
    const adjustment = await virtualLocation(tx, orgId, 'adjustment');
    const moved: Array<{ line: CountLine; move: MoveRequest }> = [];
    for (const line of lines) {
      const v = lineVariance(line);
      if (!v || v.quantity === 0n) continue;
      const gain = v.quantity > 0n;
      moved.push({
        line,
        move: {
          itemId: line.itemId,
          lotId: line.lotId,
          fromLocationId: gain ? adjustment : line.locationId,
          toLocationId: gain ? line.locationId : adjustment,
          quantity: gain ? v.quantity : -v.quantity,
          ...(gain ? { unitCost: line.unitCost } : {}),
        },
      });
    }

    if (moved.length > 0) {
      try {
        await postMoves(lt, { orgId, postingKey: `${STOCK_COUNT}:${id}:post`, documentType: STOCK_COUNT, documentId: id, postedBy: userId, moves: moved.map((m) => m.move) });
      } catch (error) {
        if (!(error instanceof StockShortage)) throw error;
        throw shortageProblem(error, moved);
      }
      await refuseDuplicateSerials(tx, orgId, moved);
      await fillBackordersAfterMoves(lt, orgId, moved.map((m) => m.move)); // gains may serve waiting sales orders
    }

    const totals = varianceTotals(lines);
    const at = nowIso();
    await tx
      .updateTable('stock_counts')
      .set({
        status: 'posted', reason_code: reasonCode, posted_by: userId, posted_at: at, updated_at: at, variance_value: totals.absoluteValue,
        lines_total: totals.lines, lines_accurate: totals.accurate, line_accuracy: totals.lineAccuracy, value_accuracy: totals.valueAccuracy,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const body = await countView(tx, ctx.actor, id);
    return {
      status: 200,
      body,
      audit: {
        action: 'count.post', targetType: STOCK_COUNT, targetId: id,
        detail: { reasonCode, moves: moved.length, gainValue: formatScaled(totals.gainValue), lossValue: formatScaled(totals.lossValue), lineAccuracy: formatScaled(totals.lineAccuracy), valueAccuracy: formatScaled(totals.valueAccuracy) },
      },
      events: [{ type: 'stock-count.posted', payload: { id, number: body.number, reasonCode, accuracy: body.accuracy } }],
    };
  });
}

function shortageProblem(error: StockShortage, moved: Array<{ line: CountLine; move: MoveRequest }>) {
  const shortLines: ShortLine[] = [];
  for (const s of error.shortages) {
    const hit = moved.find((m) => m.move.itemId === s.itemId && m.move.lotId === s.lotId && m.move.fromLocationId === s.locationId);
    if (hit) shortLines.push({ line: hit.line.lineNo, sku: hit.line.sku, requested: toJsonNumber(s.requested), available: toJsonNumber(s.available) });
  }
  return insufficientStock(
    `the loss of ${shortLines.map((s) => `line ${s.line} (${s.sku}: ${s.requested} to write off, ${s.available} available)`).join(', ')} needs reserved stock: release or ship the reservations first`,
    shortLines,
    shortLines.map((s) => ({ field: `lines.${s.line - 1}.variance`, message: `only ${s.available} available` })),
  );
}

/** A serial number found in one bin while still on the books in another (not in this count) would be in stock twice. */
async function refuseDuplicateSerials(tx: Tx, orgId: number, moved: Array<{ line: CountLine; move: MoveRequest }>) {
  for (const { line, move } of moved) {
    if (line.tracking !== 'serial' || move.toLocationId !== line.locationId) continue;
    if ((await lotOnHand(tx, orgId, line.itemId, line.lotId)) > ONE) {
      throw conflict(`serial ${line.lot} of ${line.sku} found at ${line.location} is still in stock elsewhere: count or move it there first`, { line: line.lineNo });
    }
  }
}
