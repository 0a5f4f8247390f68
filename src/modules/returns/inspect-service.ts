import { formatScaled, toBigInt, toJsonNumber } from '../../core/decimal.js';
import { conflict, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { SalesReturnStatus } from '../../db/tables/returns.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import type { MoveRequest } from '../../ledger/post.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { FieldErrors, parseQuantity, warehouseLocations } from '../procurement/common.js';
import { postOrShort } from '../procurement/shortage.js';
import { SALES_RETURN } from './shared.js';
import { salesReturnView } from './view.js';
import { fillBackordersAfterMoves } from '../sales/backorders.js';

export interface SalesReturnInspectionInput {
  lines: Array<{ line: number; restock?: number; scrap?: number; reason?: string }>;
}

/**
 * Inspect returned goods: per return line, what is restocked moves from Input to the warehouse's
 * stock location (available again) and what is scrapped to Virtual/Scrap. Never more than is
 * still uninspected on the line (422); the return closes when everything is inspected.
 */
export async function inspectSalesReturn(ctx: ServiceContext, returnId: number, input: SalesReturnInspectionInput) {
  authorize(ctx.actor, 'receipt.post');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_returns', returnId); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const doc = await lockRows(lt, tx.selectFrom('sales_returns').selectAll().where('org_id', '=', orgId).where('id', '=', returnId)).executeTakeFirst();
    if (!doc) throw notFound(`sales return ${returnId}`);
    const number = documentReference(SALES_RETURN, returnId);
    if (doc.status === 'closed') throw conflict(`sales return ${number} is closed: everything on it is inspected`, { currentStatus: doc.status });

    const rows = await tx
      .selectFrom('sales_return_lines as l')
      .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'l.org_id').onRef('i.id', '=', 'l.item_id'))
      .select(['l.id', 'l.line_no', 'l.item_id', 'l.lot_id', 'l.quantity', 'l.restocked', 'l.scrapped', 'i.sku', 'i.unit', 'i.unit_precision', 'i.tracking'])
      .where('l.org_id', '=', orgId)
      .where('l.return_id', '=', returnId)
      .orderBy('l.line_no')
      .execute();
    const lines = rows.map((r) => ({
      id: num(r.id), lineNo: num(r.line_no), itemId: num(r.item_id), lotId: num(r.lot_id), quantity: toBigInt(r.quantity),
      restocked: toBigInt(r.restocked), scrapped: toBigInt(r.scrapped), sku: r.sku, unit: r.unit, unitPrecision: num(r.unit_precision), tracking: r.tracking,
    }));
    const byNo = new Map(lines.map((l) => [l.lineNo, l]));

    const errors = new FieldErrors();
    const taken = new Map<number, bigint>();
    const decisions = [];
    for (const [i, entry] of input.lines.entries()) {
      const line = byNo.get(entry.line);
      if (!line) {
        errors.add(`lines.${i}.line`, `${number} has no line ${entry.line}`);
        continue;
      }
      const restock = entry.restock === undefined ? 0n : parseQuantity(errors, `lines.${i}.restock`, entry.restock, line, 'zero-or-more');
      const scrap = entry.scrap === undefined ? 0n : parseQuantity(errors, `lines.${i}.scrap`, entry.scrap, line, 'zero-or-more');
      if (restock + scrap === 0n) errors.add(`lines.${i}.restock`, 'restock or scrap a quantity');
      const before = taken.get(line.lineNo) ?? line.restocked + line.scrapped;
      const left = line.quantity - before;
      if (restock + scrap > left) {
        errors.add(`lines.${i}.${scrap > 0n ? 'scrap' : 'restock'}`, `only ${formatScaled(left < 0n ? 0n : left)} of line ${line.lineNo} (${line.sku}) is still uninspected`);
      }
      taken.set(line.lineNo, before + restock + scrap);
      decisions.push({ index: i, line, restock, scrap, reason: entry.reason ?? null });
    }
    errors.throwIfAny();

    const inspectionNo = num(doc.inspection_count) + 1;
    const at = nowIso();
    await tx
      .insertInto('sales_return_inspection_lines')
      .values(decisions.map((d) => ({ org_id: orgId, return_id: returnId, inspection_no: inspectionNo, return_line_no: d.line.lineNo, restocked: d.restock, scrapped: d.scrap, reason: d.reason, created_by: userId, created_at: at })))
      .execute();

    const places = await warehouseLocations(tx, orgId, num(doc.warehouse_id));
    const scrapLocation = await virtualLocation(tx, orgId, 'scrap');
    const moves: MoveRequest[] = [];
    const lineOfMove: Array<{ index: number; sku: string; field: string }> = [];
    for (const d of decisions) {
      for (const [quantity, to, field] of [[d.restock, places.stock, 'restock'], [d.scrap, scrapLocation, 'scrap']] as const) {
        if (quantity === 0n) continue;
        moves.push({ itemId: d.line.itemId, lotId: d.line.lotId, fromLocationId: places.input, toLocationId: to, quantity });
        lineOfMove.push({ index: d.index, sku: d.line.sku, field });
      }
    }
    // Input stock can only be short if something else moved it away after the return arrived.
    await postOrShort(
      lt,
      { orgId, postingKey: `${SALES_RETURN}:${returnId}:inspect:${inspectionNo}`, documentType: SALES_RETURN, documentId: returnId, postedBy: userId, moves },
      (_m, i) => lineOfMove[i]!,
    );
    await fillBackordersAfterMoves(lt, orgId, moves); // restocked goods may serve waiting sales orders

    for (const d of decisions) {
      d.line.restocked += d.restock;
      d.line.scrapped += d.scrap;
      await tx.updateTable('sales_return_lines').set({ restocked: d.line.restocked, scrapped: d.line.scrapped }).where('org_id', '=', orgId).where('id', '=', d.line.id).execute();
    }
    const closed = lines.every((l) => l.restocked + l.scrapped >= l.quantity);
    const status: SalesReturnStatus = closed ? 'closed' : 'partially_inspected';
    await tx
      .updateTable('sales_returns')
      .set({ status, inspection_count: inspectionNo, updated_at: at, closed_at: closed ? at : null })
      .where('org_id', '=', orgId)
      .where('id', '=', returnId)
      .execute();

    const body = await salesReturnView(tx, orgId, returnId);
    const summary = decisions.map((d) => ({ line: d.line.lineNo, sku: d.line.sku, restocked: toJsonNumber(d.restock), scrapped: toJsonNumber(d.scrap), reason: d.reason }));
    return {
      status: 200,
      body,
      audit: { action: 'sales-return.inspect', targetType: SALES_RETURN, targetId: returnId, detail: { inspection: inspectionNo, lines: summary } },
      events: [{ type: 'sales-return.inspected', payload: { salesReturn: body.number, inspection: inspectionNo, status, creditReference: body.creditReference, lines: summary } }],
    };
  });
}
