import type { Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { StockCountsTable } from '../../db/tables/counts.js';
import type { Tx } from '../../db/store.js';
import { queryMoves } from '../../ledger/queries.js';
import { can, type Actor } from '../../app/context.js';
import { countReference, parseScope, STOCK_COUNT } from './model.js';
import { loadLines } from './lines.js';
import { lineVariance } from './variances.js';

/**
 * Blind counting: counters must not see what the books say, or they count towards it. Book
 * quantities (and what reveals them: variances) are shown only to those who approve variances.
 */
export function seesBook(actor: Actor, count: { blind: unknown }): boolean {
  return num(count.blind as number) === 0 || can(actor, 'count.approve'); // custom roles too
}

const n = (v: bigint | null) => (v === null ? null : toJsonNumber(v));
const id = (v: unknown) => (v === null || v === undefined ? null : num(v as number));

async function loadCount(tx: Tx, orgId: number, countId: number) {
  const row = await tx.selectFrom('stock_counts').selectAll().where('org_id', '=', orgId).where('id', '=', countId).executeTakeFirst();
  if (!row) throw notFound(`stock count ${countId}`);
  return row;
}

/** The document without lines: what lists show. */
export async function countSummary(tx: Tx, actor: Actor, row: Selectable<StockCountsTable>) {
  const countId = num(row.id);
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', actor.orgId).where('id', '=', num(row.warehouse_id)).executeTakeFirstOrThrow();
  const book = seesBook(actor, row);
  return {
    id: countId,
    number: countReference(countId),
    warehouse: warehouse.code,
    scope: parseScope(row.scope_type, row.scope),
    blind: num(row.blind) === 1,
    note: row.note,
    status: row.status,
    bookVisible: book,
    approvalRequired: num(row.approval_required) === 1,
    varianceValue: book && row.variance_value !== null ? toJsonNumber(toBigInt(row.variance_value)) : null,
    uncounted: row.uncounted,
    reasonCode: row.reason_code,
    accuracy:
      row.line_accuracy === null
        ? null
        : { lines: num(row.lines_total), accurateLines: num(row.lines_accurate), linePercent: toJsonNumber(toBigInt(row.line_accuracy)), valuePercent: toJsonNumber(toBigInt(row.value_accuracy)) },
    createdAt: row.created_at, createdBy: num(row.created_by),
    startedAt: row.started_at, startedBy: id(row.started_by),
    submittedAt: row.submitted_at, submittedBy: id(row.submitted_by),
    approvedAt: row.approved_at, approvedBy: id(row.approved_by),
    rejectedAt: row.rejected_at, rejectedBy: id(row.rejected_by), rejectionReason: row.rejection_reason,
    postedAt: row.posted_at, postedBy: id(row.posted_by),
    cancelledAt: row.cancelled_at, cancelledBy: id(row.cancelled_by),
  };
}

/** The count with its lines, the history of entries and (once posted) its moves. */
export async function countView(tx: Tx, actor: Actor, countId: number) {
  const row = await loadCount(tx, actor.orgId, countId);
  const summary = await countSummary(tx, actor, row);
  const book = summary.bookVisible;
  const lines = await loadLines(tx, actor.orgId, countId);
  const lineNo = new Map(lines.map((l) => [l.id, l.lineNo]));
  const entries = await tx
    .selectFrom('stock_count_entries')
    .select(['id', 'line_id', 'quantity', 'book_quantity', 'entered_by', 'entered_at'])
    .where('org_id', '=', actor.orgId)
    .where('count_id', '=', countId)
    .orderBy('id')
    .execute();
  const { moves } = await queryMoves(tx, actor.orgId, { documentType: STOCK_COUNT, documentId: countId, limit: 100_000 });
  return {
    ...summary,
    lines: lines.map((l) => {
      const v = lineVariance(l);
      return {
        line: l.lineNo,
        location: l.location,
        sku: l.sku,
        name: l.name,
        unit: l.unit,
        lot: l.lot,
        found: l.found,
        state: l.state,
        counted: n(l.counted),
        countedAt: l.countedAt,
        countedBy: l.countedBy,
        unitCost: toJsonNumber(l.unitCost),
        snapshot: book ? toJsonNumber(l.snapshot) : null,
        book: book ? n(l.book) : null,
        variance: book && v ? toJsonNumber(v.quantity) : null,
      };
    }),
    entries: entries.map((e) => ({
      id: num(e.id),
      line: lineNo.get(num(e.line_id)) ?? 0,
      quantity: toJsonNumber(toBigInt(e.quantity)),
      book: book ? toJsonNumber(toBigInt(e.book_quantity)) : null,
      enteredBy: num(e.entered_by),
      enteredAt: e.entered_at,
    })),
    moves: moves.map((m) => ({ id: m.id, sku: m.sku, from: m.from, to: m.to, quantity: toJsonNumber(m.quantity), lot: m.lot, value: n(m.value) })),
  };
}
