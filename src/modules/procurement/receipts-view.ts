import type { Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { InspectionStatus, ReceiptKind, ReceiptsTable } from '../../db/tables/procurement.js';
import type { Tx } from '../../db/store.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, scopeToWarehouses, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { contains, dayAfter, referencedId } from './common.js';
import { documentMoves } from './moves.js';
import { PURCHASE_ORDER, RECEIPT, INSPECTION } from './document-types.js';

export interface ReceiptLine {
  id: number;
  lineNo: number;
  orderLineNo: number | null;
  itemId: number;
  sku: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'lot' | 'serial';
  lotId: number;
  lot: string | null;
  expiresOn: string | null;
  quantity: bigint;
  unitCost: bigint | null;
  accepted: bigint;
  rejected: bigint;
}

export async function receiptLines(tx: Tx, orgId: number, receiptId: number): Promise<ReceiptLine[]> {
  const rows = await tx
    .selectFrom('receipt_lines as r')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'r.org_id').onRef('i.id', '=', 'r.item_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 'r.org_id').onRef('l.id', '=', 'r.lot_id'))
    .select(['r.id', 'r.line_no', 'r.order_line_no', 'r.item_id', 'i.sku', 'i.name', 'i.unit', 'i.unit_precision', 'i.tracking', 'r.lot_id', 'l.code as lot', 'l.expires_on', 'r.quantity', 'r.unit_cost', 'r.accepted', 'r.rejected'])
    .where('r.org_id', '=', orgId)
    .where('r.receipt_id', '=', receiptId)
    .orderBy('r.line_no')
    .execute();
  return rows.map((r) => ({
    id: num(r.id),
    lineNo: num(r.line_no),
    orderLineNo: r.order_line_no === null ? null : num(r.order_line_no),
    itemId: num(r.item_id),
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    unitPrecision: num(r.unit_precision),
    tracking: r.tracking,
    lotId: num(r.lot_id),
    lot: r.lot ?? null,
    expiresOn: r.expires_on ?? null,
    quantity: toBigInt(r.quantity),
    unitCost: r.unit_cost === null ? null : toBigInt(r.unit_cost),
    accepted: toBigInt(r.accepted),
    rejected: toBigInt(r.rejected),
  }));
}

export async function receiptView(tx: Tx, orgId: number, id: number) {
  const row = await tx.selectFrom('receipts').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`receipt ${id}`);
  return toView(tx, orgId, row);
}

export type ReceiptView = Awaited<ReturnType<typeof toView>>;

async function toView(tx: Tx, orgId: number, row: Selectable<ReceiptsTable>) {
  const id = num(row.id);
  const partner = await tx.selectFrom('partners').select(['code', 'name']).where('org_id', '=', orgId).where('id', '=', num(row.partner_id)).executeTakeFirstOrThrow();
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(row.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await receiptLines(tx, orgId, id);
  const inspections = await tx.selectFrom('inspections').selectAll().where('org_id', '=', orgId).where('receipt_id', '=', id).orderBy('id').execute();
  const inspectionIds = inspections.map((i) => num(i.id));
  const inspected = inspectionIds.length === 0
    ? []
    : await tx.selectFrom('inspection_lines').selectAll().where('org_id', '=', orgId).where('inspection_id', 'in', inspectionIds).orderBy('id').execute();
  const orderId = row.purchase_order_id === null ? null : num(row.purchase_order_id);
  return {
    id,
    number: documentReference(RECEIPT, id),
    kind: row.kind,
    purchaseOrder: orderId,
    purchaseOrderNumber: orderId === null ? null : documentReference(PURCHASE_ORDER, orderId),
    /** The supplier (receipts against a PO) or the customer (customer returns). */
    partner: partner.code,
    partnerName: partner.name,
    warehouse: warehouse.code,
    reason: row.reason,
    inspectionStatus: row.inspection_status,
    createdBy: num(row.created_by),
    createdAt: row.created_at,
    lines: lines.map((l) => ({
      line: l.lineNo,
      orderLine: l.orderLineNo,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: toJsonNumber(l.quantity),
      lot: l.lot,
      expiresOn: l.expiresOn,
      unitCost: l.unitCost === null ? null : toJsonNumber(l.unitCost),
      accepted: toJsonNumber(l.accepted),
      rejected: toJsonNumber(l.rejected),
      uninspected: toJsonNumber(l.quantity - l.accepted - l.rejected),
    })),
    inspections: inspections.map((i) => ({
      id: num(i.id),
      number: documentReference(INSPECTION, num(i.id)),
      createdBy: num(i.created_by),
      createdAt: i.created_at,
      lines: inspected
        .filter((l) => num(l.inspection_id) === num(i.id))
        .map((l) => ({ line: num(l.receipt_line_no), accepted: toJsonNumber(toBigInt(l.accepted)), rejected: toJsonNumber(toBigInt(l.rejected)), reason: l.reason })),
    })),
    /** The receipt's moves into Input, then its inspections' moves to Stock and Rejected. */
    moves: [...(await documentMoves(tx, orgId, RECEIPT, [id])), ...(await documentMoves(tx, orgId, INSPECTION, inspectionIds))],
  };
}

export async function getReceipt(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'receipts', id); // warehouse scope: 403
  return receiptView(ctx.store.read, ctx.actor.orgId, id);
}

export interface ReceiptFilter {
  kind?: ReceiptKind;
  inspectionStatus?: InspectionStatus;
  /** Partner code: the supplier or the returning customer. */
  partner?: string;
  /** Supplier code: receipts against that supplier's purchase orders. */
  supplier?: string;
  warehouse?: string;
  purchaseOrder?: number;
  from?: string;
  to?: string;
  /** A receipt number (GR-...), a PO number (PO-...), or text in the partner's code or name. */
  q?: string;
  after?: number;
  limit: number;
}

export async function listReceipts(ctx: ServiceContext, filter: ReceiptFilter) {
  authorize(ctx.actor, 'purchase.view');
  const db = ctx.store.read;
  let query = db
    .selectFrom('receipts as r')
    .innerJoin('partners as p', (j) => j.onRef('p.org_id', '=', 'r.org_id').onRef('p.id', '=', 'r.partner_id'))
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'r.org_id').onRef('w.id', '=', 'r.warehouse_id'))
    .selectAll('r')
    .where('r.org_id', '=', ctx.actor.orgId);
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  query = scopeToWarehouses(query, 'r.warehouse_id', ctx.actor);
  if (filter.kind) query = query.where('r.kind', '=', filter.kind);
  if (filter.inspectionStatus) query = query.where('r.inspection_status', '=', filter.inspectionStatus);
  if (filter.partner) query = query.where('p.code', '=', filter.partner);
  if (filter.supplier) query = query.where('p.code', '=', filter.supplier).where('r.kind', '=', 'purchase');
  if (filter.warehouse) query = query.where('w.code', '=', filter.warehouse);
  if (filter.purchaseOrder !== undefined) query = query.where('r.purchase_order_id', '=', filter.purchaseOrder);
  if (filter.from) query = query.where('r.created_at', '>=', filter.from);
  if (filter.to) query = query.where('r.created_at', '<', dayAfter(filter.to));
  if (filter.q) {
    const q = filter.q;
    const receiptId = referencedId(q, 'GR');
    const orderId = /^po/i.test(q) ? referencedId(q, 'PO') : undefined;
    query = query.where((eb) =>
      eb.or([
        contains('p.code', q), contains('p.name', q),
        ...(receiptId !== undefined ? [eb('r.id', '=', receiptId)] : []),
        ...(orderId !== undefined ? [eb('r.purchase_order_id', '=', orderId)] : []),
      ]),
    );
  }
  if (filter.after !== undefined) query = query.where('r.id', '<', filter.after);
  const rows = await query.orderBy('r.id', 'desc').limit(filter.limit + 1).execute();
  const items = [];
  for (const row of rows.slice(0, filter.limit)) items.push(await toView(db, ctx.actor.orgId, row));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
