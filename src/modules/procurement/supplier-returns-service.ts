import type { Selectable } from 'kysely';
import { toBigInt, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { SupplierReturnsTable } from '../../db/tables/procurement.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { runCommand } from '../../app/command.js';
import { authorize, scopeToWarehouses, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse, requireWarehouseCode } from '../users/scope.js';
import { itemsBySku } from '../items/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { virtualLocation } from '../../ledger/virtual-locations.js';
import { checkLot, contains, dayAfter, FieldErrors, parseQuantity, referencedId, warehouseLocations } from './common.js';
import { checkSerialQuantities, existingLots, type LotLine } from './lots.js';
import { documentMoves } from './moves.js';
import { partnerByCode } from './partners-service.js';
import { postOrShort } from './shortage.js';
import { PURCHASE_ORDER, SUPPLIER_RETURN } from './document-types.js';

export interface SupplierReturnInput {
  supplier: string;
  warehouse: string;
  purchaseOrder?: number;
  reason?: string;
  lines: Array<{ sku: string; quantity: number; lot?: string }>;
}

/**
 * Send rejected stock back to its supplier: from the warehouse's Rejected location to
 * Partners/Suppliers, never more than is there (409). Naming a purchase order only links the
 * return to it; the order's received quantities and status do not change (it is not reopened).
 */
export async function postSupplierReturn(ctx: ServiceContext, input: SupplierReturnInput) {
  authorize(ctx.actor, 'receipt.post');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const supplier = await partnerByCode(tx, orgId, input.supplier, 'supplier', 'supplier');
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    const errors = new FieldErrors();
    if (input.purchaseOrder !== undefined) {
      const order = await tx.selectFrom('purchase_orders').select('supplier_id').where('org_id', '=', orgId).where('id', '=', input.purchaseOrder).executeTakeFirst();
      if (!order) errors.add('purchaseOrder', `unknown purchase order ${input.purchaseOrder}`);
      else if (num(order.supplier_id) !== supplier.id) errors.add('purchaseOrder', `${documentReference(PURCHASE_ORDER, input.purchaseOrder)} is not an order to ${supplier.code}`);
    }
    const items = await itemsBySku(tx, orgId, input.lines);
    const lines: LotLine[] = input.lines.map((line, i) => {
      const item = items[i]!;
      const quantity = parseQuantity(errors, `lines.${i}.quantity`, line.quantity, item);
      checkLot(errors, `lines.${i}`, item, line);
      return { itemId: item.id, sku: item.sku, tracking: item.tracking, lotCode: line.lot ?? null, expiresOn: null, quantity };
    });
    checkSerialQuantities(errors, lines);
    errors.throwIfAny();
    const lotIds = await existingLots(tx, orgId, lines);

    const row = await tx
      .insertInto('supplier_returns')
      .values({ org_id: orgId, supplier_id: supplier.id, warehouse_id: warehouse.id, purchase_order_id: input.purchaseOrder ?? null, reason: input.reason ?? null, created_by: userId, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const returnId = num(row.id);
    await tx
      .insertInto('supplier_return_lines')
      .values(lines.map((l, i) => ({ org_id: orgId, return_id: returnId, line_no: i + 1, item_id: l.itemId, lot_id: lotIds[i]!, quantity: l.quantity })))
      .execute();
    const { rejected } = await warehouseLocations(tx, orgId, warehouse.id);
    const suppliers = await virtualLocation(tx, orgId, 'supplier');
    await postOrShort(
      lt,
      {
        orgId, postingKey: `${SUPPLIER_RETURN}:${returnId}`, documentType: SUPPLIER_RETURN, documentId: returnId, postedBy: userId,
        moves: lines.map((l, i) => ({ itemId: l.itemId, lotId: lotIds[i]!, fromLocationId: rejected, toLocationId: suppliers, quantity: l.quantity })),
      },
      (_m, i) => ({ index: i, sku: lines[i]!.sku, field: 'quantity' }),
    );
    const body = await supplierReturnView(tx, orgId, returnId);
    return {
      status: 201,
      body,
      audit: { action: 'supplier-return.post', targetType: SUPPLIER_RETURN, targetId: returnId, detail: { supplier: body.supplier, purchaseOrder: body.purchaseOrder, reason: body.reason, lines: body.lines } },
      events: [{ type: 'supplier-return.posted', payload: body }],
    };
  });
}

export async function supplierReturnView(tx: Tx, orgId: number, id: number) {
  const row = await tx.selectFrom('supplier_returns').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`supplier return ${id}`);
  return toView(tx, orgId, row);
}

async function toView(tx: Tx, orgId: number, row: Selectable<SupplierReturnsTable>) {
  const id = num(row.id);
  const supplier = await tx.selectFrom('partners').select(['code', 'name']).where('org_id', '=', orgId).where('id', '=', num(row.supplier_id)).executeTakeFirstOrThrow();
  const warehouse = await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('id', '=', num(row.warehouse_id)).executeTakeFirstOrThrow();
  const lines = await tx
    .selectFrom('supplier_return_lines as s')
    .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 's.org_id').onRef('i.id', '=', 's.item_id'))
    .leftJoin('lots as l', (j) => j.onRef('l.org_id', '=', 's.org_id').onRef('l.id', '=', 's.lot_id'))
    .select(['s.line_no', 'i.sku', 's.quantity', 'l.code as lot'])
    .where('s.org_id', '=', orgId)
    .where('s.return_id', '=', id)
    .orderBy('s.line_no')
    .execute();
  const orderId = row.purchase_order_id === null ? null : num(row.purchase_order_id);
  return {
    id,
    number: documentReference(SUPPLIER_RETURN, id),
    supplier: supplier.code,
    supplierName: supplier.name,
    warehouse: warehouse.code,
    purchaseOrder: orderId,
    purchaseOrderNumber: orderId === null ? null : documentReference(PURCHASE_ORDER, orderId),
    reason: row.reason,
    createdBy: num(row.created_by),
    createdAt: row.created_at,
    lines: lines.map((l) => ({ line: num(l.line_no), sku: l.sku, quantity: toJsonNumber(toBigInt(l.quantity)), lot: l.lot ?? null })),
    moves: await documentMoves(tx, orgId, SUPPLIER_RETURN, [id]),
  };
}

export async function getSupplierReturn(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.view');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'supplier_returns', id); // warehouse scope: 403
  return supplierReturnView(ctx.store.read, ctx.actor.orgId, id);
}

export async function listSupplierReturns(
  ctx: ServiceContext,
  filter: { supplier?: string; warehouse?: string; purchaseOrder?: number; from?: string; to?: string; q?: string; after?: number; limit: number },
) {
  authorize(ctx.actor, 'purchase.view');
  const db = ctx.store.read;
  let query = db
    .selectFrom('supplier_returns as r')
    .innerJoin('partners as p', (j) => j.onRef('p.org_id', '=', 'r.org_id').onRef('p.id', '=', 'r.supplier_id'))
    .innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'r.org_id').onRef('w.id', '=', 'r.warehouse_id'))
    .selectAll('r')
    .where('r.org_id', '=', ctx.actor.orgId);
  await requireWarehouseCode(db, ctx.actor, filter.warehouse);
  query = scopeToWarehouses(query, 'r.warehouse_id', ctx.actor);
  if (filter.supplier) query = query.where('p.code', '=', filter.supplier);
  if (filter.warehouse) query = query.where('w.code', '=', filter.warehouse);
  if (filter.purchaseOrder !== undefined) query = query.where('r.purchase_order_id', '=', filter.purchaseOrder);
  if (filter.from) query = query.where('r.created_at', '>=', filter.from);
  if (filter.to) query = query.where('r.created_at', '<', dayAfter(filter.to));
  if (filter.q) {
    const q = filter.q;
    const id = referencedId(q, 'RTV');
    query = query.where((eb) => eb.or([contains('p.code', q), contains('p.name', q), ...(id !== undefined ? [eb('r.id', '=', id)] : [])]));
  }
  if (filter.after !== undefined) query = query.where('r.id', '<', filter.after);
  const rows = await query.orderBy('r.id', 'desc').limit(filter.limit + 1).execute();
  const items = [];
  for (const row of rows.slice(0, filter.limit)) items.push(await toView(db, ctx.actor.orgId, row));
  return { items, next: rows.length > filter.limit ? String(items[items.length - 1]!.id) : undefined };
}
