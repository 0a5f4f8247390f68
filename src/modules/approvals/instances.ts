import type { Selectable } from 'kysely';
import { toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { ApprovalInstancesTable } from '../../db/tables/approvals.js';
import type { Tx } from '../../db/store.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { matchingFlow } from './flows.js';
import { conditionsHold, nextOpenStep, type ApprovalDocumentType, type DocumentFields, type StepSnapshot } from './model.js';
import { usersById } from './users.js';

export type InstanceRow = Selectable<ApprovalInstancesTable>;

export interface ApprovalRequest {
  documentType: ApprovalDocumentType;
  documentId: number;
  /** Computed only when some active flow exists for the type (it may cost a few queries). */
  fields: () => Promise<DocumentFields>;
  /** Who created the document: they can never approve it. */
  requestedBy: number;
  /** Who submitted it (often the creator): they cannot approve it either. */
  submittedBy: number;
  /** What the document needs to finish its deferred action later (kept as JSON). */
  actionData?: unknown;
}

/**
 * Start the approval flow that applies to a document, inside the document's own command. Returns
 * undefined when no active flow matches, or when every step of the one that does was skipped by
 * its step condition: then the document goes on as if there were no flow.
 */
export async function startApproval(lt: LedgerTx, orgId: number, request: ApprovalRequest): Promise<{ id: number; flowName: string } | undefined> {
  const { tx } = lt;
  const flow = await matchingFlow(tx, orgId, request.documentType, request.fields);
  if (!flow) return undefined;
  const fields = flow.fields;
  const users = await usersById(tx, orgId, flow.steps.flatMap((s) => s.approvers.flatMap((a) => ('userId' in a ? [a.userId] : []))));
  const steps: StepSnapshot[] = flow.steps.map((s) => ({
    name: s.name,
    mode: s.mode,
    approvers: s.approvers.map((a) => ('userId' in a ? { userId: a.userId, username: users.get(a.userId)?.username ?? `#${a.userId}` } : { role: a.role })),
    ...(s.condition ? { condition: s.condition } : {}),
    skipped: !conditionsHold(s.condition, fields),
  }));
  const first = nextOpenStep(steps, 0);
  if (first < 0) return undefined;
  const at = nowIso();
  const row = await tx
    .insertInto('approval_instances')
    .values({
      org_id: orgId, flow_id: flow.id, flow_name: flow.name, document_type: request.documentType, document_id: request.documentId,
      status: 'pending', current_step: first, steps: JSON.stringify(steps), fields: JSON.stringify(fields),
      action_data: request.actionData === undefined ? null : JSON.stringify(request.actionData),
      requested_by: request.requestedBy, submitted_by: request.submittedBy, submitted_at: at, completed_at: null, rejection_reason: null, updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: num(row.id), flowName: flow.name };
}

/** The pending instance of a document, locked (instance rows are always locked before documents). */
export async function lockPendingApproval(lt: LedgerTx, orgId: number, documentType: ApprovalDocumentType, documentId: number) {
  return lockRows(
    lt,
    lt.tx.selectFrom('approval_instances').selectAll().where('org_id', '=', orgId).where('document_type', '=', documentType).where('document_id', '=', documentId).where('status', '=', 'pending'),
  ).executeTakeFirst();
}

/**
 * Cancel the pending flow of a document that is cancelled by its own module (a purchase order
 * cancelled while it waits). Locks the instance; call before locking the document.
 */
export async function cancelApprovalOf(lt: LedgerTx, actor: { orgId: number; userId: number }, documentType: ApprovalDocumentType, documentId: number, reason: string | null) {
  const instance = await lockPendingApproval(lt, actor.orgId, documentType, documentId);
  if (!instance) return undefined;
  const at = nowIso();
  await lt.tx
    .insertInto('approval_decisions')
    .values({ org_id: actor.orgId, instance_id: instance.id, step: num(instance.current_step), entry: null, decision: 'withdraw', decided_by: actor.userId, on_behalf_of: null, reason, decided_at: at })
    .execute();
  await lt.tx.updateTable('approval_instances').set({ status: 'cancelled', completed_at: at, updated_at: at }).where('org_id', '=', actor.orgId).where('id', '=', instance.id).execute();
  return num(instance.id);
}

/** An instance row locked for a decision; 404 when it does not exist. */
export async function lockInstance(lt: LedgerTx, orgId: number, id: number): Promise<InstanceRow> {
  const row = await lockRows(lt, lt.tx.selectFrom('approval_instances').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!row) throw notFound(`approval ${id}`);
  return row;
}

/** The latest instance of a document (any status), for the document's own view. */
export async function latestApproval(tx: Tx, orgId: number, documentType: ApprovalDocumentType, documentId: number) {
  const row = await tx
    .selectFrom('approval_instances')
    .select(['id', 'status', 'rejection_reason'])
    .where('org_id', '=', orgId)
    .where('document_type', '=', documentType)
    .where('document_id', '=', documentId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { id: num(row.id), status: row.status, rejectionReason: row.rejection_reason } : null;
}

export async function decisionsOf(tx: Tx, orgId: number, instanceId: number) {
  const rows = await tx.selectFrom('approval_decisions').selectAll().where('org_id', '=', orgId).where('instance_id', '=', instanceId).orderBy('id').execute();
  return rows.map((r) => ({
    id: num(r.id),
    step: num(r.step),
    entry: r.entry === null ? null : num(r.entry),
    decision: r.decision,
    decidedBy: num(r.decided_by),
    onBehalfOf: r.on_behalf_of === null ? null : num(r.on_behalf_of),
    reason: r.reason,
    decidedAt: r.decided_at,
  }));
}

export const stepsOf = (row: InstanceRow) => JSON.parse(row.steps) as StepSnapshot[];
export const fieldsOf = (row: InstanceRow) => JSON.parse(row.fields) as DocumentFields;

export async function instanceView(tx: Tx, orgId: number, id: number) {
  const row = await tx.selectFrom('approval_instances').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`approval ${id}`);
  return toInstanceView(tx, orgId, row);
}

export async function toInstanceView(tx: Tx, orgId: number, row: InstanceRow) {
  const id = num(row.id);
  const steps = stepsOf(row);
  const fields = fieldsOf(row);
  const decisions = await decisionsOf(tx, orgId, id);
  const users = await usersById(tx, orgId, [num(row.requested_by), num(row.submitted_by), ...decisions.flatMap((d) => [d.decidedBy, ...(d.onBehalfOf === null ? [] : [d.onBehalfOf])])]);
  const name = (userId: number) => users.get(userId)?.username ?? `#${userId}`;
  const current = num(row.current_step);
  const decisionView = (d: (typeof decisions)[number]) => ({
    step: d.step,
    decision: d.decision,
    by: name(d.decidedBy),
    byUserId: d.decidedBy,
    onBehalfOf: d.onBehalfOf === null ? null : name(d.onBehalfOf),
    onBehalfOfUserId: d.onBehalfOf,
    reason: d.reason,
    at: d.decidedAt,
  });
  return {
    id,
    documentType: row.document_type,
    documentId: num(row.document_id),
    documentNumber: documentReference(row.document_type, num(row.document_id)),
    flowId: num(row.flow_id),
    flowName: row.flow_name,
    status: row.status,
    /** Index of the step that waits for signatures (null unless pending). */
    currentStep: row.status === 'pending' ? current : null,
    fields: { amount: toJsonNumber(BigInt(fields.amount)), warehouse: fields.warehouse, categories: fields.categories },
    steps: steps.map((s, i) => {
      const signed = decisions.filter((d) => d.step === i && d.decision === 'approve');
      return {
        step: i,
        name: s.name,
        mode: s.mode,
        state: s.skipped ? 'skipped' : stepState(row, i, current, decisions.some((d) => d.step === i && d.decision === 'reject')),
        approvers: s.approvers.map((a, entry) => {
          const by = signed.find((d) => d.entry === entry);
          return { ...('userId' in a ? { user: a.username, userId: a.userId } : { role: a.role }), signedBy: by ? name(by.decidedBy) : null, onBehalfOf: by?.onBehalfOf ? name(by.onBehalfOf) : null };
        }),
      };
    }),
    decisions: decisions.map(decisionView),
    requestedBy: name(num(row.requested_by)),
    requestedByUserId: num(row.requested_by),
    submittedBy: name(num(row.submitted_by)),
    submittedByUserId: num(row.submitted_by),
    submittedAt: row.submitted_at,
    completedAt: row.completed_at,
    rejectionReason: row.rejection_reason,
  };
}

function stepState(row: InstanceRow, i: number, current: number, rejectedHere: boolean): 'approved' | 'waiting' | 'rejected' | 'not reached' | 'cancelled' {
  if (rejectedHere) return 'rejected';
  if (row.status === 'approved') return 'approved';
  if (i < current) return 'approved';
  if (i > current) return 'not reached';
  return row.status === 'pending' ? 'waiting' : row.status === 'cancelled' ? 'cancelled' : 'not reached';
}
