import { toJsonNumber } from '../../core/decimal.js';
import { forbidden, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { StockCountStatus } from '../../db/tables/counts.js';
import { authorize, requireWarehouse, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { readSettings } from '../settings/service.js';
import { loadLines } from './lines.js';
import { countReference } from './model.js';
import { lineVariance, varianceTotals } from './variances.js';
import { countSummary, countView, seesBook } from './view.js';

export async function getCount(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  return countView(ctx.store.read, ctx.actor, id);
}

export async function listCounts(ctx: ServiceContext, filter: { status?: StockCountStatus; warehouse?: string; after?: number; limit: number }) {
  authorize(ctx.actor, 'count.view');
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  let query = scopeToWarehouses(db.selectFrom('stock_counts').selectAll().where('org_id', '=', orgId), 'warehouse_id', ctx.actor);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.warehouse !== undefined) {
    const warehouse = await db.selectFrom('warehouses').select('id').where('org_id', '=', orgId).where('code', '=', filter.warehouse).executeTakeFirst();
    if (!warehouse) return { items: [] };
    requireWarehouse(ctx.actor, num(warehouse.id)); // warehouse scope: 403
    query = query.where('warehouse_id', '=', num(warehouse.id));
  }
  if (filter.after !== undefined) query = query.where('id', '<', filter.after);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = await Promise.all(rows.slice(0, filter.limit).map((r) => countSummary(db, ctx.actor, r)));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}

/**
 * The variance report: per line book (when counted), counted, variance quantity and value
 * (盘盈 gain / 盘亏 loss), totals by value and accuracy. While counting it covers the lines
 * counted so far. Blind counts show it only to those who approve variances.
 */
export async function varianceReport(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const count = await db.selectFrom('stock_counts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!count) throw notFound(`stock count ${id}`);
  if (!seesBook(ctx.actor, count)) throw forbidden('a blind count shows its variances only to those who approve them (count.approve)');
  const lines = await loadLines(db, orgId, id);
  const totals = varianceTotals(lines);
  const { countVarianceApprovalThreshold } = await readSettings(db, orgId);
  const submitted = count.status !== 'draft' && count.status !== 'in_progress';
  const j = toJsonNumber;
  return {
    id,
    number: countReference(id),
    status: count.status,
    approvalThreshold: j(countVarianceApprovalThreshold),
    approvalRequired: submitted ? num(count.approval_required) === 1 : totals.absoluteValue > countVarianceApprovalThreshold,
    lines: lines.map((l) => {
      const v = lineVariance(l);
      return {
        line: l.lineNo, location: l.location, sku: l.sku, name: l.name, lot: l.lot, found: l.found, state: l.state,
        snapshot: j(l.snapshot), book: l.book === null ? null : j(l.book), counted: l.counted === null ? null : j(l.counted),
        variance: v ? j(v.quantity) : null, unitCost: j(l.unitCost), varianceValue: v ? j(v.value) : null, kind: v ? v.kind : null,
      };
    }),
    totals: {
      lines: totals.lines, pending: totals.pending, excluded: totals.excluded, accurate: totals.accurate,
      gainLines: totals.gainLines, lossLines: totals.lossLines,
      bookValue: j(totals.bookValue), gainValue: j(totals.gainValue), lossValue: j(totals.lossValue),
      netValue: j(totals.netValue), absoluteValue: j(totals.absoluteValue),
    },
    accuracy: { linePercent: j(totals.lineAccuracy), valuePercent: j(totals.valueAccuracy) },
  };
}
