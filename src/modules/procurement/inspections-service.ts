import { formatScaled, toJsonNumber } from '../../core/decimal.js';
import { conflict, notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { InspectionStatus } from '../../db/tables/procurement.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import type { MoveRequest } from '../../ledger/post.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { FieldErrors, parseQuantity, warehouseLocations } from './common.js';
import { receiptLines, receiptView } from './receipts-view.js';
import { postOrShort } from './shortage.js';
import { RECEIPT, INSPECTION } from './document-types.js';
import { fillBackordersAfterMoves } from '../sales/backorders.js';

export interface InspectionInput {
  lines: Array<{ line: number; accept?: number; reject?: number; reason?: string }>;
}

/**
 * Inspect received goods: per receipt line, what is accepted moves from Input to the warehouse's
 * stock location and what is rejected to its Rejected location. Never more than is still
 * uninspected on the line (422); a receipt takes several inspections until all is inspected.
 */
export async function inspectReceipt(ctx: ServiceContext, receiptId: number, input: InspectionInput) {
  authorize(ctx.actor, 'receipt.post');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'receipts', receiptId); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const receipt = await lockRows(lt, tx.selectFrom('receipts').selectAll().where('org_id', '=', orgId).where('id', '=', receiptId)).executeTakeFirst();
    if (!receipt) throw notFound(`receipt ${receiptId}`);
    const number = documentReference(RECEIPT, receiptId);
    if (receipt.inspection_status === 'inspected') throw conflict(`receipt ${number} is already inspected in full`, { inspectionStatus: receipt.inspection_status });

    const lines = await receiptLines(tx, orgId, receiptId);
    const byNo = new Map(lines.map((l) => [l.lineNo, l]));
    const errors = new FieldErrors();
    const taken = new Map<number, bigint>();
    const results = input.lines.map((entry, i) => {
      const line = byNo.get(entry.line);
      if (!line) {
        errors.add(`lines.${i}.line`, `${number} has no line ${entry.line}`);
        return undefined;
      }
      const accept = entry.accept === undefined ? 0n : parseQuantity(errors, `lines.${i}.accept`, entry.accept, line, 'zero-or-more');
      const reject = entry.reject === undefined ? 0n : parseQuantity(errors, `lines.${i}.reject`, entry.reject, line, 'zero-or-more');
      if (accept + reject === 0n) errors.add(`lines.${i}.accept`, 'accept or reject a quantity');
      const before = taken.get(line.lineNo) ?? line.accepted + line.rejected;
      const left = line.quantity - before;
      if (accept + reject > left) {
        errors.add(`lines.${i}.${reject > 0n ? 'reject' : 'accept'}`, `only ${formatScaled(left < 0n ? 0n : left)} of line ${line.lineNo} (${line.sku}) is still uninspected`);
      }
      taken.set(line.lineNo, before + accept + reject);
      return { index: i, line, accept, reject, reason: entry.reason ?? null };
    });
    errors.throwIfAny();
    const inspected = results.map((r) => r!);

    const at = nowIso();
    const inspection = await tx.insertInto('inspections').values({ org_id: orgId, receipt_id: receiptId, created_by: userId, created_at: at }).returning('id').executeTakeFirstOrThrow();
    const inspectionId = num(inspection.id);
    await tx
      .insertInto('inspection_lines')
      .values(inspected.map((r) => ({ org_id: orgId, inspection_id: inspectionId, receipt_line_no: r.line.lineNo, accepted: r.accept, rejected: r.reject, reason: r.reason })))
      .execute();

    const places = await warehouseLocations(tx, orgId, num(receipt.warehouse_id));
    const moves: MoveRequest[] = [];
    const lineOfMove: Array<{ index: number; sku: string; field: string }> = [];
    for (const r of inspected) {
      for (const [quantity, to, field] of [[r.accept, places.stock, 'accept'], [r.reject, places.rejected, 'reject']] as const) {
        if (quantity === 0n) continue;
        moves.push({ itemId: r.line.itemId, lotId: r.line.lotId, fromLocationId: places.input, toLocationId: to, quantity });
        lineOfMove.push({ index: r.index, sku: r.line.sku, field });
      }
    }
    // Input stock can only be short if something else moved it away after receipt.
    await postOrShort(lt, { orgId, postingKey: `${INSPECTION}:${inspectionId}`, documentType: INSPECTION, documentId: inspectionId, postedBy: userId, moves }, (_m, i) => lineOfMove[i]!);
    await fillBackordersAfterMoves(lt, orgId, moves); // accepted goods may serve waiting sales orders

    for (const r of inspected) {
      r.line.accepted += r.accept;
      r.line.rejected += r.reject;
      await tx.updateTable('receipt_lines').set({ accepted: r.line.accepted, rejected: r.line.rejected }).where('org_id', '=', orgId).where('id', '=', r.line.id).execute();
    }
    const done = lines.filter((l) => l.accepted + l.rejected >= l.quantity).length;
    const status: InspectionStatus = done === lines.length ? 'inspected' : 'partially_inspected';
    await tx.updateTable('receipts').set({ inspection_status: status }).where('org_id', '=', orgId).where('id', '=', receiptId).execute();

    const body = await receiptView(tx, orgId, receiptId);
    const summary = inspected.map((r) => ({ line: r.line.lineNo, sku: r.line.sku, accepted: toJsonNumber(r.accept), rejected: toJsonNumber(r.reject), reason: r.reason }));
    return {
      status: 201,
      body,
      audit: { action: 'receipt.inspect', targetType: RECEIPT, targetId: receiptId, detail: { inspection: documentReference(INSPECTION, inspectionId), lines: summary } },
      events: [{ type: 'receipt.inspected', payload: { receipt: body.number, inspection: documentReference(INSPECTION, inspectionId), inspectionStatus: status, lines: summary } }],
    };
  });
}
