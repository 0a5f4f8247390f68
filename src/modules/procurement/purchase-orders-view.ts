import type { Selectable } from 'kysely';
import { toJsonNumber, valueOf } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { PurchaseOrdersTable, PurchaseOrderStatus } from '../../db/tables/procurement.js';
import type { Tx } from '../../db/store.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { contains, dayAfter, referencedId } from './common.js';
import { documentMoves } from './moves.js';
import { orderLines, orderTotal } from './purchase-order-lines.js';
import { PURCHASE_ORDER, RECEIPT, SUPPLIER_RETURN } from './document-types.js';
import { latestApproval } from '../approvals/instances.js';

const OPEN: PurchaseOrderStatus[] = ['approved', 'partially_received'];
const nullableId = (v: unknown) => (v === null || v === undefined ? null : num(v as number));

export async function purchaseOrderView(tx: Tx, orgId: number, id: number) {
  const order = await tx.selectFrom('purchase_orders').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!order) throw notFound(`purchase order ${id}`);
  return toView(tx, orgId, order);
}

export type PurchaseOrderView = Awaited<ReturnType<typeof toView>>;

async function toView(tx: Tx, orgId: number, order: Selectable<PurchaseOrdersTable>) {
  const id = num(order.id);
  const supplier = await tx.selectFrom('partners').select(['code', 'name']).where('org_id', '=', orgId).where('id', '=', num(order.supplier_id)).executeTakeFirstOrThrow();
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(order.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await orderLines(tx, orgId, id);
  const receipts = await tx.selectFrom('receipts').select(['id', 'created_at']).where('org_id', '=', orgId).where('purchase_order_id', '=', id).orderBy('id').execute();
  const returns = await tx.selectFrom('supplier_returns').select(['id', 'created_at']).where('org_id', '=', orgId).where('purchase_order_id', '=', id).orderBy('id').execute();
  const open = OPEN.includes(order.status);
  return {
    id,
    number: documentReference(PURCHASE_ORDER, id),
    status: order.status,
    supplier: supplier.code,
    supplierName: supplier.name,
    warehouse: warehouse.code,
    expectedOn: order.expected_on,
    notes: order.notes,
    total: toJsonNumber(orderTotal(lines)),
    autoApproved: num(order.auto_approved) === 1,
    lines: lines.map((l) => ({
      line: l.lineNo,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: toJsonNumber(l.quantity),
      unitPrice: toJsonNumber(l.unitPrice),
      amount: toJsonNumber(valueOf(l.quantity, l.unitPrice)),
      expectedOn: l.expectedOn ?? order.expected_on,
      received: toJsonNumber(l.received),
      // Still expected: only while the order is open; a closed order expects nothing more.
      remaining: toJsonNumber(open && l.received < l.quantity ? l.quantity - l.received : 0n),
    })),
    receipts: receipts.map((r) => ({ id: num(r.id), number: documentReference(RECEIPT, num(r.id)), createdAt: r.created_at })),
    supplierReturns: returns.map((r) => ({ id: num(r.id), number: documentReference(SUPPLIER_RETURN, num(r.id)), createdAt: r.created_at })),
    createdBy: num(order.created_by),
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    submittedBy: nullableId(order.submitted_by),
    submittedAt: order.submitted_at,
    approvedBy: nullableId(order.approved_by),
    approvedAt: order.approved_at,
    rejectedBy: nullableId(order.rejected_by),
    rejectedAt: order.rejected_at,
    rejectionReason: order.rejection_reason,
    /** The order's latest approval flow run (docs/approvals.md), null when none ever applied. */
    approval: await latestApproval(tx, orgId, PURCHASE_ORDER, id),
    receivedAt: order.received_at,
    closedAt: order.closed_at,
    cancelledAt: order.cancelled_at,
    /** Moves of the order's receipts (what came in against it) and of the returns tied to it. */
    moves: [
      ...(await documentMoves(tx, orgId, RECEIPT, receipts.map((r) => num(r.id)))),
      ...(await documentMoves(tx, orgId, SUPPLIER_RETURN, returns.map((r) => num(r.id)))),
    ].sort((a, b) => a.id - b.id),
  };
}

export async function getPurchaseOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  return purchaseOrderView(ctx.store.read, ctx.actor.orgId, id);
}

export interface PurchaseOrderFilter {
  status?: PurchaseOrderStatus;
  supplier?: string;
  warehouse?: string;
  from?: string;
  to?: string;
  /** A PO number, or text in the supplier's code or name. */
  q?: string;
  after?: number;
  limit: number;
}

export async function listPurchaseOrders(ctx: ServiceContext, filter: PurchaseOrderFilter) {
  authorize(ctx.actor, 'purchase.view');
  const db = ctx.store.read;
  let query = db
    .selectFrom('purchase_orders as o')
    .innerJoin('partners as p', (j) => j.onRef('p.org_id', '=', 'o.org_id').onRef('p.id', '=', 'o.supplier_id'))
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'o.org_id').onRef('w.id', '=', 'o.warehouse_id'))
    .selectAll('o')
    .where('o.org_id', '=', ctx.actor.orgId);
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  query = scopeToWarehouses(query, 'o.warehouse_id', ctx.actor);
  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.supplier) query = query.where('p.code', '=', filter.supplier);
  if (filter.warehouse) query = query.where('w.code', '=', filter.warehouse);
  if (filter.from) query = query.where('o.created_at', '>=', filter.from);
  if (filter.to) query = query.where('o.created_at', '<', dayAfter(filter.to));
  if (filter.q) {
    const q = filter.q;
    const id = referencedId(q, 'PO');
    query = query.where((eb) => eb.or([contains('p.code', q), contains('p.name', q), ...(id !== undefined ? [eb('o.id', '=', id)] : [])]));
  }
  if (filter.after !== undefined) query = query.where('o.id', '<', filter.after);
  const rows = await query.orderBy('o.id', 'desc').limit(filter.limit + 1).execute();
  const items = [];
  for (const row of rows.slice(0, filter.limit)) items.push(await toView(db, ctx.actor.orgId, row));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
