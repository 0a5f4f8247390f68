import { renderPdf } from '../../print/pdf.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { pdfReply, printNumber, usernames } from './print.js';
import { receiptView } from './receipts-view.js';

/** The goods receipt on paper: what came in, its lots, and what inspection accepted and rejected. */
export async function receiptPdf(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'receipts', id); // warehouse scope: 403
  const { orgId } = ctx.actor;
  const db = ctx.store.read;
  const receipt = await receiptView(db, orgId, id);
  const people = await usernames(db, orgId, [receipt.createdBy, ...receipt.inspections.map((i) => i.createdBy)]);
  const who = (userId: number) => people.get(userId) ?? String(userId);
  const reasons = receipt.inspections.flatMap((i) =>
    i.lines.map((l) => `${i.number} ${i.createdAt} ${who(i.createdBy)}: line ${l.line} accepted ${printNumber(l.accepted)}, rejected ${printNumber(l.rejected)}${l.reason ? ` (${l.reason})` : ''}`),
  );
  const pdf = await renderPdf({
    title: receipt.kind === 'purchase' ? '收货单 Goods receipt' : '客户退货 Customer return',
    number: receipt.number,
    fields: [
      [receipt.kind === 'purchase' ? '供应商 Supplier' : '客户 Customer', `${receipt.partner} ${receipt.partnerName}`],
      ...(receipt.purchaseOrderNumber ? [['采购订单 Purchase order', receipt.purchaseOrderNumber] as [string, string]] : []),
      ['仓库 Warehouse', receipt.warehouse],
      ['收货 Received', `${receipt.createdAt} ${who(receipt.createdBy)}`],
      ['检验 Inspection', receipt.inspectionStatus],
      ...(receipt.reason ? [['原因 Reason', receipt.reason] as [string, string]] : []),
    ],
    columns: [
      { header: '#', width: 1 },
      { header: '物料 SKU', width: 3 },
      { header: '名称 Name', width: 4 },
      { header: '批次 Lot', width: 3 },
      { header: '有效期 Expires', width: 2.5 },
      { header: '数量 Qty', width: 2, align: 'right' },
      { header: '合格 Accepted', width: 2, align: 'right' },
      { header: '不合格 Rejected', width: 2, align: 'right' },
      { header: '待检 Pending', width: 2, align: 'right' },
    ],
    rows: receipt.lines.map((l) => [
      String(l.line), l.sku, l.name, l.lot ?? '', l.expiresOn ?? '', `${printNumber(l.quantity)} ${l.unit}`,
      printNumber(l.accepted), printNumber(l.rejected), printNumber(l.uninspected),
    ]),
    footer: [...(reasons.length > 0 ? ['检验记录 Inspections:', ...reasons, ''] : []), '收货人 Received by: ____________        质检 Inspected by: ____________'],
  });
  return pdfReply(pdf, receipt.number);
}
