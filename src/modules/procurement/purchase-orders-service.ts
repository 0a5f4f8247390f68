import type { Updateable } from 'kysely';
import { toJsonNumber } from '../../core/decimal.js';
import { conflict, forbidden } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { PurchaseOrderStatus, PurchaseOrdersTable } from '../../db/tables/procurement.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { runCommand } from '../../app/command.js';
import { authorize, requireWarehouse, type ServiceContext } from '../../app/context.js';
import { requireDocumentWarehouse } from '../users/scope.js';
import { readSettings } from '../settings/service.js';
import { warehouseByCode } from '../warehouses/service.js';
import { checkDate, FieldErrors } from './common.js';
import { partnerByCode } from './partners-service.js';
import { insertOrderLines, orderLines, orderTotal, prepareOrderLines, type OrderLineInput } from './purchase-order-lines.js';
import { lockPurchaseOrder } from './purchase-order-states.js';
import { purchaseOrderView } from './purchase-orders-view.js';
import { PURCHASE_ORDER } from './document-types.js';
import { documentFields } from '../approvals/fields.js';
import { cancelApprovalOf, lockPendingApproval, startApproval } from '../approvals/instances.js';
import type { LedgerTx } from '../../ledger/context.js';

export interface PurchaseOrderInput {
  supplier: string;
  warehouse: string;
  expectedOn?: string;
  notes?: string;
  lines: OrderLineInput[];
}

export interface PurchaseOrderChanges {
  supplier?: string;
  warehouse?: string;
  expectedOn?: string | null;
  notes?: string | null;
  /** Replaces every line. */
  lines?: OrderLineInput[];
}

export async function createPurchaseOrder(ctx: ServiceContext, input: PurchaseOrderInput) {
  authorize(ctx.actor, 'purchase.write');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const supplier = await partnerByCode(tx, orgId, input.supplier, 'supplier', 'supplier');
    const warehouse = await warehouseByCode(tx, orgId, input.warehouse);
    requireWarehouse(ctx.actor, warehouse.id); // warehouse scope: 403
    const errors = new FieldErrors();
    checkDate(errors, 'expectedOn', input.expectedOn);
    const lines = await prepareOrderLines(tx, orgId, input.lines, errors);
    errors.throwIfAny();
    const at = nowIso();
    const row = await tx
      .insertInto('purchase_orders')
      .values({
        org_id: orgId, supplier_id: supplier.id, warehouse_id: warehouse.id, status: 'draft', expected_on: input.expectedOn ?? null,
        notes: input.notes || null, auto_approved: 0, created_by: userId, created_at: at, updated_at: at,
        submitted_by: null, submitted_at: null, approved_by: null, approved_at: null, rejected_by: null, rejected_at: null,
        rejection_reason: null, received_at: null, closed_at: null, cancelled_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = num(row.id);
    await insertOrderLines(tx, orgId, id, lines);
    const body = await purchaseOrderView(tx, orgId, id);
    return { status: 201, body, audit: { action: 'purchase.create', targetType: PURCHASE_ORDER, targetId: id, detail: body }, events: [{ type: 'purchase-order.created', payload: body }] };
  });
}

/** Change a draft: its header fields, or all its lines at once. */
export async function updatePurchaseOrder(ctx: ServiceContext, id: number, changes: PurchaseOrderChanges) {
  authorize(ctx.actor, 'purchase.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    await lockPurchaseOrder(lt, orgId, id, 'edit');
    const before = await purchaseOrderView(tx, orgId, id);
    const set: Updateable<PurchaseOrdersTable> = { updated_at: nowIso() };
    if (changes.supplier !== undefined) set.supplier_id = (await partnerByCode(tx, orgId, changes.supplier, 'supplier', 'supplier')).id;
    if (changes.warehouse !== undefined) set.warehouse_id = (await warehouseByCode(tx, orgId, changes.warehouse)).id;
    if (set.warehouse_id !== undefined) requireWarehouse(ctx.actor, Number(set.warehouse_id)); // warehouse scope: 403
    const errors = new FieldErrors();
    if (changes.expectedOn !== undefined) {
      checkDate(errors, 'expectedOn', changes.expectedOn);
      set.expected_on = changes.expectedOn;
    }
    if (changes.notes !== undefined) set.notes = changes.notes || null;
    const lines = changes.lines === undefined ? undefined : await prepareOrderLines(tx, orgId, changes.lines, errors);
    errors.throwIfAny();
    await tx.updateTable('purchase_orders').set(set).where('org_id', '=', orgId).where('id', '=', id).execute();
    if (lines) {
      await tx.deleteFrom('purchase_order_lines').where('org_id', '=', orgId).where('order_id', '=', id).execute();
      await insertOrderLines(tx, orgId, id, lines);
    }
    const body = await purchaseOrderView(tx, orgId, id);
    return { status: 200, body, audit: { action: 'purchase.update', targetType: PURCHASE_ORDER, targetId: id, detail: { before, after: body } }, events: [{ type: 'purchase-order.updated', payload: body }] };
  });
}

async function setStatus(tx: Tx, orgId: number, id: number, status: PurchaseOrderStatus, extra: Updateable<PurchaseOrdersTable> = {}) {
  await tx.updateTable('purchase_orders').set({ status, updated_at: nowIso(), ...extra }).where('org_id', '=', orgId).where('id', '=', id).execute();
}

/**
 * Submit a draft. At or below the company's approval threshold it is approved at once (and marked
 * auto-approved); above it, it waits for someone else with `purchase.approve`.
 */
export async function submitPurchaseOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const order = await lockPurchaseOrder(lt, orgId, id, 'submit');
    const lines = await orderLines(tx, orgId, id);
    const total = orderTotal(lines);
    const { purchaseApprovalThreshold } = await readSettings(tx, orgId);
    const at = nowIso();
    // A matching approval flow (docs/approvals.md) replaces the threshold: only the flow approves.
    const fields = () => documentFields(tx, orgId, { number: documentReference(PURCHASE_ORDER, id), warehouseId: num(order.warehouse_id), amount: total, itemIds: lines.map((l) => l.itemId) });
    const approval = await startApproval(lt, orgId, { documentType: PURCHASE_ORDER, documentId: id, fields, requestedBy: num(order.created_by), submittedBy: userId });
    const auto = !approval && total <= purchaseApprovalThreshold;
    await setStatus(tx, orgId, id, auto ? 'approved' : 'submitted', {
      submitted_by: userId, submitted_at: at,
      ...(auto ? { approved_by: null, approved_at: at, auto_approved: 1 } : {}),
    });
    const body = await purchaseOrderView(tx, orgId, id);
    const detail = { total: toJsonNumber(total), threshold: toJsonNumber(purchaseApprovalThreshold), autoApproved: auto, approval: approval?.id ?? null, flow: approval?.flowName ?? null };
    return {
      status: 200,
      body,
      audit: { action: 'purchase.submit', targetType: PURCHASE_ORDER, targetId: id, detail },
      events: [
        { type: 'purchase-order.submitted', payload: body },
        ...(auto ? [{ type: 'purchase-order.approved', payload: body }] : []),
        ...(approval ? [{ type: 'approval.started', payload: { approval: approval.id, flow: approval.flowName, documentType: PURCHASE_ORDER, documentId: id, document: body.number } }] : []),
      ],
    };
  });
}

/** Four eyes: whoever created or submitted the order cannot approve it. */
export async function approvePurchaseOrder(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'purchase.approve');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    await refuseWhileInFlow(lt, orgId, id);
    const order = await lockPurchaseOrder(lt, orgId, id, 'approve');
    const number = documentReference(PURCHASE_ORDER, id);
    if (num(order.created_by) === userId) throw forbidden(`you created ${number}: someone else with purchase.approve must approve it`);
    if (num(order.submitted_by) === userId) throw forbidden(`you submitted ${number}: someone else with purchase.approve must approve it`);
    await setStatus(lt.tx, orgId, id, 'approved', { approved_by: userId, approved_at: nowIso(), auto_approved: 0 });
    const body = await purchaseOrderView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'purchase.approve', targetType: PURCHASE_ORDER, targetId: id, detail: { total: body.total } }, events: [{ type: 'purchase-order.approved', payload: body }] };
  });
}

/** Send a submitted order back to draft with the reason, for its author to change and resubmit. */
export async function rejectPurchaseOrder(ctx: ServiceContext, id: number, reason: string) {
  authorize(ctx.actor, 'purchase.approve');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    await refuseWhileInFlow(lt, orgId, id);
    await lockPurchaseOrder(lt, orgId, id, 'reject');
    await setStatus(lt.tx, orgId, id, 'draft', { rejected_by: userId, rejected_at: nowIso(), rejection_reason: reason, submitted_by: null, submitted_at: null });
    const body = await purchaseOrderView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'purchase.reject', targetType: PURCHASE_ORDER, targetId: id, detail: { reason } }, events: [{ type: 'purchase-order.rejected', payload: body }] };
  });
}

/** Cancel an order nothing was received against (draft, submitted or approved). */
export async function cancelPurchaseOrder(ctx: ServiceContext, id: number, reason?: string) {
  authorize(ctx.actor, 'purchase.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    // A cancelled order's pending approval ends with it (instance locked before the order).
    const approval = await cancelApprovalOf(lt, ctx.actor, PURCHASE_ORDER, id, reason ?? 'order cancelled');
    await lockPurchaseOrder(lt, orgId, id, 'cancel');
    await setStatus(lt.tx, orgId, id, 'cancelled', { cancelled_at: nowIso() });
    const body = await purchaseOrderView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'purchase.cancel', targetType: PURCHASE_ORDER, targetId: id, detail: { reason: reason ?? null, ...(approval ? { approval } : {}) } }, events: [{ type: 'purchase-order.cancelled', payload: body }] };
  });
}

/** End an approved or partly received order short: what was not received is no longer expected. */
export async function closePurchaseOrder(ctx: ServiceContext, id: number, reason?: string) {
  authorize(ctx.actor, 'purchase.write');
  await requireDocumentWarehouse(ctx.store.read, ctx.actor, 'purchase_orders', id); // warehouse scope: 403
  const { orgId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    await lockPurchaseOrder(lt, orgId, id, 'close');
    const short = (await orderLines(lt.tx, orgId, id))
      .filter((l) => l.received < l.quantity)
      .map((l) => ({ line: l.lineNo, sku: l.sku, notReceived: toJsonNumber(l.quantity - l.received) }));
    await setStatus(lt.tx, orgId, id, 'closed', { closed_at: nowIso() });
    const body = await purchaseOrderView(lt.tx, orgId, id);
    return { status: 200, body, audit: { action: 'purchase.close', targetType: PURCHASE_ORDER, targetId: id, detail: { reason: reason ?? null, short } }, events: [{ type: 'purchase-order.closed', payload: body }] };
  });
}

/** An order waiting in an approval flow is approved or rejected only through the flow. */
async function refuseWhileInFlow(lt: LedgerTx, orgId: number, id: number) {
  const pending = await lockPendingApproval(lt, orgId, PURCHASE_ORDER, id);
  if (pending) {
    throw conflict(`${documentReference(PURCHASE_ORDER, id)} waits in approval flow "${pending.flow_name}": decide it through /approvals/${num(pending.id)}`, { approval: num(pending.id) });
  }
}

/** The approval flow of a submitted order completed (src/modules/approvals): the order is approved. */
export async function finishPurchaseOrderApproval(lt: LedgerTx, orgId: number, id: number, approvedBy: number) {
  await lockPurchaseOrder(lt, orgId, id, 'approve');
  await setStatus(lt.tx, orgId, id, 'approved', { approved_by: approvedBy, approved_at: nowIso(), auto_approved: 0 });
  return purchaseOrderView(lt.tx, orgId, id);
}

/** The flow was rejected (with its reason) or withdrawn (reason null): the order is a draft again. */
export async function returnPurchaseOrderToDraft(lt: LedgerTx, orgId: number, id: number, by: number, reason: string | null) {
  await lockPurchaseOrder(lt, orgId, id, 'reject');
  await setStatus(lt.tx, orgId, id, 'draft', {
    submitted_by: null, submitted_at: null,
    ...(reason !== null ? { rejected_by: by, rejected_at: nowIso(), rejection_reason: reason } : {}),
  });
  return purchaseOrderView(lt.tx, orgId, id);
}
