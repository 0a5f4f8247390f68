import { num } from '../../db/schema.js';
import type { Actor } from '../../app/context.js';
import type { LedgerTx } from '../../ledger/context.js';
import { closePendingAdjustment, postPendingAdjustment, ADJUSTMENT } from '../adjustments/service.js';
import { finishPurchaseOrderApproval, returnPurchaseOrderToDraft } from '../procurement/purchase-orders-service.js';
import { PURCHASE_ORDER } from '../procurement/document-types.js';
import { closePendingScrap, postPendingScrap, SCRAP } from '../transfers/scrap-service.js';
import type { AuditEntry } from './audit.js';
import type { InstanceRow } from './instances.js';

/**
 * What finishing a flow does to each kind of document: the one place where approvals meet the
 * document modules (each module keeps its own state changes and ledger code; this only calls them).
 */
export interface TargetOutcome {
  audit: AuditEntry;
  events: Array<{ type: string; payload: unknown }>;
}

export interface ApprovalTarget {
  /** The last step was signed: approve the order, post the adjustment or scrap. */
  complete(lt: LedgerTx, actor: Actor, instance: InstanceRow): Promise<TargetOutcome>;
  reject(lt: LedgerTx, actor: Actor, instance: InstanceRow, reason: string): Promise<TargetOutcome>;
  withdraw(lt: LedgerTx, actor: Actor, instance: InstanceRow): Promise<TargetOutcome>;
}

const docId = (i: InstanceRow) => num(i.document_id);

const TARGETS: Record<string, ApprovalTarget> = {
  [PURCHASE_ORDER]: {
    async complete(lt, actor, instance) {
      const body = await finishPurchaseOrderApproval(lt, actor.orgId, docId(instance), actor.userId);
      return { audit: { action: 'purchase.approve', targetType: PURCHASE_ORDER, targetId: body.id, detail: { total: body.total, approval: num(instance.id) } }, events: [{ type: 'purchase-order.approved', payload: body }] };
    },
    async reject(lt, actor, instance, reason) {
      const body = await returnPurchaseOrderToDraft(lt, actor.orgId, docId(instance), actor.userId, reason);
      return { audit: { action: 'purchase.reject', targetType: PURCHASE_ORDER, targetId: body.id, detail: { reason, approval: num(instance.id) } }, events: [{ type: 'purchase-order.rejected', payload: body }] };
    },
    async withdraw(lt, actor, instance) {
      const body = await returnPurchaseOrderToDraft(lt, actor.orgId, docId(instance), actor.userId, null);
      return { audit: { action: 'purchase.withdraw', targetType: PURCHASE_ORDER, targetId: body.id, detail: { approval: num(instance.id) } }, events: [{ type: 'purchase-order.updated', payload: body }] };
    },
  },
  [ADJUSTMENT]: {
    async complete(lt, actor, instance) {
      const body = await postPendingAdjustment(lt, actor.orgId, docId(instance), JSON.parse(instance.action_data ?? '{}'));
      return { audit: { action: 'stock.adjust', targetType: ADJUSTMENT, targetId: body.id, detail: { reason: body.reason, lines: body.lines, approval: num(instance.id) } }, events: [{ type: 'stock.adjusted', payload: body }] };
    },
    async reject(lt, actor, instance, reason) {
      const body = await closePendingAdjustment(lt, actor.orgId, docId(instance), 'rejected');
      return { audit: { action: 'stock.adjust.reject', targetType: ADJUSTMENT, targetId: body.id, detail: { reason, approval: num(instance.id) } }, events: [{ type: 'stock.adjustment-rejected', payload: body }] };
    },
    async withdraw(lt, actor, instance) {
      const body = await closePendingAdjustment(lt, actor.orgId, docId(instance), 'cancelled');
      return { audit: { action: 'stock.adjust.cancel', targetType: ADJUSTMENT, targetId: body.id, detail: { approval: num(instance.id) } }, events: [{ type: 'stock.adjustment-cancelled', payload: body }] };
    },
  },
  [SCRAP]: {
    async complete(lt, actor, instance) {
      const body = await postPendingScrap(lt, actor.orgId, docId(instance));
      return { audit: { action: 'stock.scrap', targetType: SCRAP, targetId: body.id, detail: { reason: body.reason, location: body.location, lines: body.lines, value: body.value, approval: num(instance.id) } }, events: [{ type: 'stock.scrapped', payload: body }] };
    },
    async reject(lt, actor, instance, reason) {
      const body = await closePendingScrap(lt, actor.orgId, docId(instance), 'rejected');
      return { audit: { action: 'stock.scrap.reject', targetType: SCRAP, targetId: body.id, detail: { reason, approval: num(instance.id) } }, events: [{ type: 'stock.scrap-rejected', payload: body }] };
    },
    async withdraw(lt, actor, instance) {
      const body = await closePendingScrap(lt, actor.orgId, docId(instance), 'cancelled');
      return { audit: { action: 'stock.scrap.cancel', targetType: SCRAP, targetId: body.id, detail: { approval: num(instance.id) } }, events: [{ type: 'stock.scrap-cancelled', payload: body }] };
    },
  },
};

export function approvalTarget(documentType: string): ApprovalTarget {
  const target = TARGETS[documentType];
  if (!target) throw new Error(`no approval target for document type ${documentType}`);
  return target;
}
