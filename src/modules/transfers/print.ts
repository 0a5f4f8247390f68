import { renderPdf } from '../../print/pdf.js';
import type { InternalTransferView } from './internal-transfers-service.js';
import type { TransferView } from './transfers-view.js';

/** Paper for the warehouse floor: the put-away list a worker walks with, the slip that travels with a transfer. */

const date = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + ' UTC' : '-');

export function putawayListPdf(view: InternalTransferView): Promise<Buffer> {
  return renderPdf({
    title: '上架移库单 Put-away list',
    number: view.number,
    fields: [
      ['仓库 Warehouse', view.warehouse],
      ['日期 Date', date(view.createdAt)],
      ...(view.note ? [['备注 Note', view.note] as [string, string]] : []),
    ],
    columns: [
      { header: '#', width: 4, align: 'right' },
      { header: 'SKU', width: 12 },
      { header: '品名 Name', width: 18 },
      { header: '批次 Lot', width: 10 },
      { header: '从 From', width: 16 },
      { header: '到 To', width: 16 },
      { header: '数量 Qty', width: 9, align: 'right' },
      { header: '完成 Done', width: 7, align: 'center' },
    ],
    rows: view.lines.map((l) => [String(l.line), l.sku, l.name, l.lot ?? '', l.from, l.to, `${l.quantity} ${l.unit}`, '[  ]']),
    footer: ['', '执行人 Moved by: ____________________    日期 Date: ____________'],
  });
}

const STATUS: Record<string, string> = {
  draft: '草稿 Draft', shipped: '已发货 Shipped', partially_received: '部分收货 Partially received', received: '已收货 Received', closed: '已关闭 Closed', cancelled: '已取消 Cancelled',
};

export function transferSlipPdf(view: TransferView): Promise<Buffer> {
  const differences = view.lines.filter((l) => l.difference !== 0);
  return renderPdf({
    title: '调拨单 Transfer slip',
    number: view.number,
    fields: [
      ['发出仓库 From', view.from],
      ['接收仓库 To', view.to],
      ['状态 Status', STATUS[view.status] ?? view.status],
      ['预计到达 Expected', view.expectedOn ?? '-'],
      ['发货 Shipped', date(view.shippedAt)],
      ...(view.note ? [['备注 Note', view.note] as [string, string]] : []),
    ],
    columns: [
      { header: '#', width: 4, align: 'right' },
      { header: 'SKU', width: 12 },
      { header: '品名 Name', width: 18 },
      { header: '批次 Lots', width: 16 },
      { header: '数量 Qty', width: 9, align: 'right' },
      { header: '已发 Shipped', width: 9, align: 'right' },
      { header: '已收 Received', width: 9, align: 'right' },
      { header: '差异 Difference', width: 9, align: 'right' },
    ],
    rows: view.lines.map((l) => [
      String(l.line), l.sku, l.name, l.lots.map((x) => `${x.lot} x ${x.shipped}`).join(', '), `${l.quantity} ${l.unit}`, String(l.shipped), String(l.received), String(l.difference),
    ]),
    footer: [
      ...(differences.length > 0 ? [`差异已记入库存调整 Differences written off: ${differences.map((l) => `#${l.line} ${l.sku} ${l.difference}`).join(', ')}`] : []),
      '',
      '发货人 Shipped by: ________________    收货人 Received by: ________________',
    ],
  });
}
