import { toJsonNumber } from '../../core/decimal.js';
import { forbidden } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { ApprovalStatus } from '../../db/tables/approvals.js';
import { documentReference } from '../../ledger/documents.js';
import { authorize, can, type Actor, type ServiceContext } from '../../app/context.js';
import { activeDelegators } from './delegations.js';
import { entryFor, principalOf } from './eligibility.js';
import { decisionsOf, fieldsOf, instanceView, stepsOf, toInstanceView } from './instances.js';
import { APPROVAL_DOCUMENT_TYPES, APPROVAL_DOCUMENT_TYPE_CODES, type ApprovalDocumentType } from './model.js';
import { usersById } from './users.js';

/** Document types whose documents this user may see (an approval shows its document's fields); custom roles included. */
const visibleTypes = (actor: Actor) => APPROVAL_DOCUMENT_TYPE_CODES.filter((t) => can(actor, APPROVAL_DOCUMENT_TYPES[t].viewPermission));

/** At most this many pending approvals are looked at for one inbox. */
const INBOX_SCAN_LIMIT = 5000;

/**
 * What waits for me: pending approvals whose current step I can sign now, myself or for someone
 * who delegated to me today; never documents I created or submitted, never a step I (or the person
 * I would sign for) already signed. Oldest first: whatever waits longest comes first.
 */
export async function inbox(ctx: ServiceContext) {
  authorize(ctx.actor, 'approval.decide');
  const db = ctx.store.read;
  const { orgId, userId, role, username } = ctx.actor;
  const delegators = await activeDelegators(db, orgId, userId);
  const candidates = [{ id: userId, role, username, self: true }, ...delegators.map((d) => ({ id: d.id, role: d.role, username: d.username, self: false }))];
  const rows = await db.selectFrom('approval_instances').selectAll().where('org_id', '=', orgId).where('status', '=', 'pending').orderBy('id').limit(INBOX_SCAN_LIMIT).execute();
  const items = [];
  for (const row of rows) {
    const creators = new Set([num(row.requested_by), num(row.submitted_by)]);
    if (creators.has(userId)) continue;
    const step = num(row.current_step);
    const snapshot = stepsOf(row)[step]!;
    const signatures = (await decisionsOf(db, orgId, num(row.id))).filter((d) => d.step === step && d.decision === 'approve');
    if (signatures.some((d) => d.decidedBy === userId)) continue;
    const forWhom = candidates.filter((c) => !creators.has(c.id) && !signatures.some((d) => principalOf(d) === c.id) && entryFor(snapshot, signatures, c) >= 0);
    if (forWhom.length === 0) continue;
    const fields = fieldsOf(row);
    const users = await usersById(db, orgId, [num(row.submitted_by)]);
    items.push({
      approval: num(row.id),
      documentType: row.document_type,
      documentId: num(row.document_id),
      documentNumber: documentReference(row.document_type, num(row.document_id)),
      flowName: row.flow_name,
      step,
      stepName: snapshot.name,
      mode: snapshot.mode,
      signed: signatures.length,
      needed: snapshot.mode === 'any' ? 1 : snapshot.approvers.length,
      amount: toJsonNumber(BigInt(fields.amount)),
      warehouse: fields.warehouse,
      categories: fields.categories,
      submittedBy: users.get(num(row.submitted_by))?.username ?? `#${num(row.submitted_by)}`,
      submittedAt: row.submitted_at,
      /** I can sign as myself, and/or for these delegators (usernames). */
      asSelf: forWhom.some((c) => c.self),
      onBehalfOf: forWhom.filter((c) => !c.self).map((c) => c.username),
    });
  }
  return { items };
}

export async function getApproval(ctx: ServiceContext, id: number) {
  const body = await instanceView(ctx.store.read, ctx.actor.orgId, id);
  if (!visibleTypes(ctx.actor).includes(body.documentType as ApprovalDocumentType)) throw forbidden(`role ${ctx.actor.role} cannot see ${body.documentType} documents`);
  return body;
}

export async function listApprovals(ctx: ServiceContext, filter: { documentType?: ApprovalDocumentType; documentId?: number; status?: ApprovalStatus; after?: number; limit: number }) {
  const types = visibleTypes(ctx.actor).filter((t) => filter.documentType === undefined || t === filter.documentType);
  if (types.length === 0) throw forbidden(`role ${ctx.actor.role} cannot see ${filter.documentType ?? 'any approvable'} documents`);
  const db = ctx.store.read;
  let query = db.selectFrom('approval_instances').selectAll().where('org_id', '=', ctx.actor.orgId).where('document_type', 'in', types);
  if (filter.documentId !== undefined) query = query.where('document_id', '=', filter.documentId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.after !== undefined) query = query.where('id', '<', filter.after);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = [];
  for (const row of rows.slice(0, filter.limit)) items.push(await toInstanceView(db, ctx.actor.orgId, row));
  return { items, ...(rows.length > filter.limit ? { next: String(items[items.length - 1]!.id) } : {}) };
}

export function documentTypes(ctx: ServiceContext) {
  authorize(ctx.actor, 'approval.manage');
  return { items: APPROVAL_DOCUMENT_TYPE_CODES.map((code) => ({ code, name: APPROVAL_DOCUMENT_TYPES[code].name, amount: APPROVAL_DOCUMENT_TYPES[code].amount })) };
}
