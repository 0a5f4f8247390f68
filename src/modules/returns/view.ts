import type { Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { SalesReturnsTable, SalesReturnStatus } from '../../db/tables/returns.js';
import type { Tx } from '../../db/store.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { documentMoves } from '../procurement/moves.js';
import { SALES_ORDER, SALES_RETURN } from './shared.js';

export async function salesReturnView(tx: Tx, orgId: number, id: number) {
  const row = await tx.selectFrom('sales_returns').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`sales return ${id}`);
  return toView(tx, orgId, row);
}

async function toView(tx: Tx, orgId: number, row: Selectable<SalesReturnsTable>) {
  const id = num(row.id);
  const orderId = num(row.sales_order_id);
  const order = await tx.selectFrom('sales_orders').select('customer').where('org_id', '=', orgId).where('id', '=', orderId).executeTakeFirstOrThrow();
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(row.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await tx
    .selectFrom('sales_return_lines as r')
    .innerJoin('sales_order_lines as o', (j) => j.onRef('o.org_id', '=', 'r.org_id').onRef('o.id', '=', 'r.order_line_id'))
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'r.org_id').onRef('i.id', '=', 'r.item_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.lot_id'))
    .select(['r.line_no', 'o.line_no as order_line_no', 'i.sku', 'l.code as lot', 'r.quantity', 'r.restocked', 'r.scrapped'])
    .where('r.org_id', '=', orgId)
    .where('r.return_id', '=', id)
    .orderBy('r.line_no')
    .execute();
  const inspected = await tx
    .selectFrom('sales_return_inspection_lines')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('return_id', '=', id)
    .orderBy('id')
    .execute();
  const inspections = new Map<number, { inspection: number; createdBy: number; createdAt: string; lines: Array<{ line: number; restocked: number; scrapped: number; reason: string | null }> }>();
  for (const r of inspected) {
    const no = num(r.inspection_no);
    const entry = inspections.get(no) ?? { inspection: no, createdBy: num(r.created_by), createdAt: r.created_at, lines: [] };
    entry.lines.push({ line: num(r.return_line_no), restocked: toJsonNumber(toBigInt(r.restocked)), scrapped: toJsonNumber(toBigInt(r.scrapped)), reason: r.reason });
    inspections.set(no, entry);
  }
  return {
    id,
    number: documentReference(SALES_RETURN, id),
    salesOrder: orderId,
    salesOrderNumber: documentReference(SALES_ORDER, orderId),
    customer: order.customer,
    warehouse: warehouse.code,
    status: row.status,
    reason: row.reason,
    creditReference: row.credit_reference,
    createdBy: num(row.created_by),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    lines: lines.map((l) => {
      const returned = toBigInt(l.quantity);
      const restocked = toBigInt(l.restocked);
      const scrapped = toBigInt(l.scrapped);
      return {
        line: num(l.line_no),
        orderLine: num(l.order_line_no),
        sku: l.sku,
        lot: l.lot ?? null,
        returned: toJsonNumber(returned),
        restocked: toJsonNumber(restocked),
        scrapped: toJsonNumber(scrapped),
        uninspected: toJsonNumber(returned - restocked - scrapped),
      };
    }),
    inspections: [...inspections.values()],
    moves: await documentMoves(tx, orgId, SALES_RETURN, [id]),
  };
}

export async function getSalesReturn(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'sales.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'sales_returns', id); // warehouse scope: 403
  return salesReturnView(ctx.store.read, ctx.actor.orgId, id);
}

export async function listSalesReturns(ctx: ServiceContext, filter: { salesOrder?: number; status?: SalesReturnStatus; after?: number; limit: number }) {
  authorize(ctx.actor, 'sales.view');
  const db = ctx.store.read;
  let query = scopeToWarehouses(db.selectFrom('sales_returns').selectAll().where('org_id', '=', ctx.actor.orgId), 'warehouse_id', ctx.actor);
  if (filter.salesOrder !== undefined) query = query.where('sales_order_id', '=', filter.salesOrder);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.after !== undefined) query = query.where('id', '<', filter.after);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = [];
  for (const row of rows.slice(0, filter.limit)) items.push(await toView(db, ctx.actor.orgId, row));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
