import { renderPdf } from '../../print/pdf.js';
import { hideCosts } from '../../app/cost-visibility.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { pdfReply, printNumber, usernames } from './print.js';
import { purchaseOrderView } from './purchase-orders-view.js';

/** The purchase order on paper: supplier, delivery, lines with prices, total, signatures. */
export async function purchaseOrderPdf(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId } = ctx.actor;
  const db = ctx.store.read;
  // Prices and amounts print blank for roles without report.view_cost.
  const po = hideCosts(await purchaseOrderView(db, orgId, id), ctx.actor);
  const people = await usernames(db, orgId, [po.createdBy, po.approvedBy]);
  const approval = po.autoApproved ? `auto-approved ${po.approvedAt ?? ''}` : po.approvedBy !== null ? `${people.get(po.approvedBy) ?? po.approvedBy} ${po.approvedAt ?? ''}` : '';
  const pdf = await renderPdf({
    title: '采购订单 Purchase order',
    number: po.number,
    fields: [
      ['供应商 Supplier', `${po.supplier} ${po.supplierName}`],
      ['收货仓库 Deliver to', po.warehouse],
      ['状态 Status', po.status],
      ['要求到货 Expected on', po.expectedOn ?? ''],
      ['制单 Created by', `${people.get(po.createdBy) ?? po.createdBy} ${po.createdAt}`],
      ['审批 Approved', approval],
      ...(po.notes ? [['备注 Notes', po.notes] as [string, string]] : []),
    ],
    columns: [
      { header: '#', width: 1 },
      { header: '物料 SKU', width: 3 },
      { header: '名称 Name', width: 5 },
      { header: '数量 Qty', width: 2, align: 'right' },
      { header: '单位 Unit', width: 1.5 },
      { header: '单价 Price', width: 2, align: 'right' },
      { header: '金额 Amount', width: 2.5, align: 'right' },
      { header: '已收 Received', width: 2, align: 'right' },
      { header: '到货 Expected', width: 2.5 },
    ],
    rows: po.lines.map((l) => [String(l.line), l.sku, l.name, printNumber(l.quantity), l.unit, printNumber(l.unitPrice), printNumber(l.amount), printNumber(l.received), l.expectedOn ?? '']),
    footer: [`合计 Total: ${printNumber(po.total)}`, '', '采购 Buyer: ____________        供应商确认 Supplier: ____________'],
  });
  return pdfReply(pdf, po.number);
}
