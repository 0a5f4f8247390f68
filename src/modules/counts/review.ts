import { forbidden, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { readSettings } from '../settings/service.js';
import { loadLines } from './lines.js';
import { lastMoveId, lockCount, onHandNow, STOCK_COUNT } from './model.js';
import { varianceTotals } from './variances.js';
import { countView } from './view.js';

/**
 * Counting is done. Lines nobody counted are counted as zero by default: the sheet listed them,
 * and stock the counters did not find is stock the warehouse does not have (a full count must
 * account for every balance, so `exclude` is refused for it). A cycle count (zone, items, ABC) may
 * `exclude` them instead: they post nothing and do not weigh on accuracy.
 * A total absolute variance value above the company's threshold needs a second person's approval.
 */
export async function submitCount(ctx: ServiceContext, id: number, input: { uncounted?: 'zero' | 'exclude' }) {
  authorize(ctx.actor, 'count.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const count = await lockCount(lt, orgId, id, 'counted');
    const uncounted = input.uncounted ?? 'zero';
    if (uncounted === 'exclude' && count.scope_type === 'full') {
      throw validationError('a full count cannot exclude uncounted lines', [{ field: 'uncounted', message: 'a full count accounts for every balance: uncounted lines count as zero' }]);
    }
    const at = nowIso();
    const pending = await tx.selectFrom('stock_count_lines').select(['id', 'item_id', 'location_id', 'lot_id']).where('org_id', '=', orgId).where('count_id', '=', id).where('state', '=', 'pending').execute();
    if (uncounted === 'zero') {
      const watermark = await lastMoveId(tx, orgId);
      for (const line of pending) {
        const book = await onHandNow(tx, orgId, { itemId: num(line.item_id), locationId: num(line.location_id), lotId: num(line.lot_id) });
        await tx
          .updateTable('stock_count_lines')
          .set({ state: 'zeroed', counted_quantity: 0n, book_quantity: book, counted_move_id: watermark, counted_by: userId, counted_at: at })
          .where('org_id', '=', orgId)
          .where('id', '=', num(line.id))
          .execute();
      }
    } else if (pending.length > 0) {
      await tx.updateTable('stock_count_lines').set({ state: 'excluded' }).where('org_id', '=', orgId).where('count_id', '=', id).where('state', '=', 'pending').execute();
    }
    const totals = varianceTotals(await loadLines(tx, orgId, id));
    const { countVarianceApprovalThreshold } = await readSettings(tx, orgId);
    const approvalRequired = totals.absoluteValue > countVarianceApprovalThreshold;
    await tx
      .updateTable('stock_counts')
      .set({ status: 'counted', uncounted, approval_required: approvalRequired ? 1 : 0, variance_value: totals.absoluteValue, submitted_by: userId, submitted_at: at, updated_at: at })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const body = await countView(tx, ctx.actor, id);
    return {
      status: 200,
      body,
      audit: { action: 'count.submit', targetType: STOCK_COUNT, targetId: id, detail: { uncounted, uncountedLines: pending.length, approvalRequired, absoluteVarianceValue: String(totals.absoluteValue) } },
      events: [{ type: 'stock-count.submitted', payload: { id, number: body.number, approvalRequired } }],
    };
  });
}

/** Four eyes: whoever submitted the count cannot approve its variances. */
export async function approveCount(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.approve');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const count = await lockCount(lt, orgId, id, 'approved');
    if (count.submitted_by !== null && num(count.submitted_by) === userId) throw forbidden('the person who submitted a count cannot approve it');
    const at = nowIso();
    await lt.tx.updateTable('stock_counts').set({ status: 'approved', approved_by: userId, approved_at: at, updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const body = await countView(lt.tx, ctx.actor, id);
    return { status: 200, body, audit: { action: 'count.approve', targetType: STOCK_COUNT, targetId: id }, events: [{ type: 'stock-count.approved', payload: { id, number: body.number } }] };
  });
}

/** Send a submitted count back to counting: lines zeroed or excluded at submit are open again. */
export async function rejectCount(ctx: ServiceContext, id: number, input: { reason: string }) {
  authorize(ctx.actor, 'count.approve');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const count = await lockCount(lt, orgId, id, 'in_progress');
    const at = nowIso();
    await tx
      .updateTable('stock_count_lines')
      .set({ state: 'pending', counted_quantity: null, book_quantity: null, counted_move_id: null, counted_by: null, counted_at: null })
      .where('org_id', '=', orgId)
      .where('count_id', '=', id)
      .where('state', 'in', ['zeroed', 'excluded'])
      .execute();
    await tx
      .updateTable('stock_counts')
      .set({
        status: 'in_progress', rejected_by: userId, rejected_at: at, rejection_reason: input.reason, uncounted: null, approval_required: 0,
        variance_value: null, submitted_by: null, submitted_at: null, approved_by: null, approved_at: null, updated_at: at,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const body = await countView(tx, ctx.actor, id);
    return { status: 200, body, audit: { action: 'count.reject', targetType: STOCK_COUNT, targetId: id, detail: { reason: input.reason, was: count.status } }, events: [{ type: 'stock-count.rejected', payload: { id, number: body.number, reason: input.reason } }] };
  });
}

export async function cancelCount(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const count = await lockCount(lt, orgId, id, 'cancelled');
    const at = nowIso();
    await lt.tx.updateTable('stock_counts').set({ status: 'cancelled', cancelled_by: userId, cancelled_at: at, updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const body = await countView(lt.tx, ctx.actor, id);
    return { status: 200, body, audit: { action: 'count.cancel', targetType: STOCK_COUNT, targetId: id, detail: { was: count.status } }, events: [{ type: 'stock-count.cancelled', payload: { id, number: body.number } }] };
  });
}
