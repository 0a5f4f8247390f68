import { conflict, notFound } from '../../core/errors.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { renderPdf } from '../../print/pdf.js';
import { formatScaled } from '../../core/decimal.js';
import { num } from '../../db/schema.js';
import { loadLines } from './lines.js';
import { countReference, parseScope } from './model.js';
import { describeScope } from './scope.js';

const STATUS_TEXT: Record<string, string> = {
  draft: '草稿 Draft', in_progress: '盘点中 In progress', counted: '已盘 Counted', approved: '已审批 Approved', posted: '已过账 Posted', cancelled: '已取消 Cancelled',
};

/**
 * The printable count sheet, in walking order (location, SKU, lot), with an empty column to
 * write the counted quantity in. A blind count's sheet never prints book quantities, whoever
 * prints it: the paper goes to the counters.
 */
export async function countSheet(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'count.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'stock_counts', id); // warehouse scope: 403
  const db = ctx.store.read;
  const { orgId } = ctx.actor;
  const count = await db.selectFrom('stock_counts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!count) throw notFound(`stock count ${id}`);
  if (count.status === 'draft') throw conflict(`stock count ${countReference(id)} has not started: start it to take the snapshot the sheet lists`, { currentStatus: count.status });
  const warehouse = await db.selectFrom('warehouses').select(['code', 'name']).where('org_id', '=', orgId).where('id', '=', num(count.warehouse_id)).executeTakeFirstOrThrow();
  const blind = num(count.blind) === 1;
  const lines = await loadLines(db, orgId, id);
  const columns = [
    { header: '#', width: 1 },
    { header: '库位 Location', width: 5 },
    { header: '物料 SKU', width: 3 },
    { header: '品名 Name', width: 5 },
    { header: '批次 Lot', width: 3 },
    { header: '单位 Unit', width: 2 },
    ...(blind ? [] : [{ header: '账面 Book', width: 2, align: 'right' as const }]),
    { header: '实盘 Counted', width: 3, align: 'right' as const },
  ];
  const rows = lines
    .filter((l) => l.state !== 'excluded')
    .map((l) => [String(l.lineNo), l.location, l.sku, l.name, l.lot ?? '', l.unit, ...(blind ? [] : [formatScaled(l.snapshot)]), '']);
  const pdf = await renderPdf({
    title: '盘点单 Stock count sheet',
    number: countReference(id),
    fields: [
      ['仓库 Warehouse', `${warehouse.code} ${warehouse.name}`],
      ['范围 Scope', describeScope(parseScope(count.scope_type, count.scope))],
      ['状态 Status', STATUS_TEXT[count.status] ?? count.status],
      ['盲盘 Blind count', blind ? '是 Yes' : '否 No'],
      ['开始 Started', count.started_at ?? ''],
      ...(count.note ? [['备注 Note', count.note] as [string, string]] : []),
    ],
    columns,
    rows,
    footer: ['未列出的库存请另行记录 Stock found that is not listed: write location, item, lot and quantity below.', '', '盘点人 Counted by: ______________    日期 Date: __________', '', '复核人 Checked by: ______________    日期 Date: __________'],
  });
  return { pdf, fileName: `${countReference(id)}.pdf` };
}
