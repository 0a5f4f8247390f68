import { conflict, forbidden } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { nowIso, type LedgerTx } from '../../ledger/context.js';
import { documentReference } from '../../ledger/documents.js';
import { runCommand } from '../../app/command.js';
import { authorize, can, type Actor, type ServiceContext } from '../../app/context.js';
import { recordAudit } from './audit.js';
import { activeDelegators } from './delegations.js';
import { entryFor, namedIn, principalOf, stepComplete, type Principal } from './eligibility.js';
import { decisionsOf, instanceView, lockInstance, stepsOf, type InstanceRow } from './instances.js';
import { nextOpenStep } from './model.js';
import { approvalTarget } from './targets.js';
import { usersByName } from './users.js';

/**
 * Decisions on an approval. Each runs as one command: the instance row is locked first (FOR
 * UPDATE on PostgreSQL), so two approvers deciding at once are serialized and the second one sees
 * the first one's signature; the step completes once and the document's deferred action (approve
 * the order, post the adjustment or scrap) runs once, in the same transaction as the last signature.
 */
export async function approveApproval(ctx: ServiceContext, id: number, input: { comment?: string; onBehalfOf?: string }) {
  authorize(ctx.actor, 'approval.decide');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const instance = await pendingInstance(lt, orgId, id);
    const step = num(instance.current_step);
    const steps = stepsOf(instance);
    const number = documentReference(instance.document_type, num(instance.document_id));
    if (userId === num(instance.requested_by) || userId === num(instance.submitted_by)) {
      throw forbidden(`you ${userId === num(instance.requested_by) ? 'created' : 'submitted'} ${number}: someone else must approve it`);
    }
    const signer = await chooseSigner(lt, ctx.actor, instance, input.onBehalfOf, 'approve');
    await tx
      .insertInto('approval_decisions')
      .values({ org_id: orgId, instance_id: id, step, entry: signer.entry, decision: 'approve', decided_by: userId, on_behalf_of: signer.onBehalfOf, reason: input.comment ?? null, decided_at: nowIso() })
      .execute();
    const signatures = (await decisionsOf(tx, orgId, id)).filter((d) => d.step === step && d.decision === 'approve');
    const stepDone = stepComplete(steps[step]!, signatures);
    const next = stepDone ? nextOpenStep(steps, step + 1) : step;
    const completed = stepDone && next < 0;
    const at = nowIso();
    await tx
      .updateTable('approval_instances')
      .set({ updated_at: at, ...(completed ? { status: 'approved', completed_at: at } : { current_step: next }) })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const outcome = completed ? await approvalTarget(instance.document_type).complete(lt, ctx.actor, instance) : undefined;
    if (outcome) await recordAudit(tx, ctx.actor, outcome.audit);
    const body = await instanceView(tx, orgId, id);
    const detail = { document: number, documentType: instance.document_type, documentId: num(instance.document_id), step, stepName: steps[step]!.name, onBehalfOf: signer.onBehalfOfName, comment: input.comment ?? null, stepCompleted: stepDone, completed };
    return {
      status: 200,
      body,
      audit: { action: 'approval.approve', targetType: 'approval', targetId: id, detail },
      events: [
        { type: 'approval.signed', payload: { approval: id, ...detail } },
        ...(completed ? [{ type: 'approval.approved', payload: body }] : []),
        ...(outcome?.events ?? []),
      ],
    };
  });
}

/** Reject with a reason: the flow ends and the document goes back (order to draft) or is rejected. */
export async function rejectApproval(ctx: ServiceContext, id: number, input: { reason: string; onBehalfOf?: string }) {
  authorize(ctx.actor, 'approval.decide');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const instance = await pendingInstance(lt, orgId, id);
    const step = num(instance.current_step);
    const signer = await chooseSigner(lt, ctx.actor, instance, input.onBehalfOf, 'reject');
    const at = nowIso();
    await tx
      .insertInto('approval_decisions')
      .values({ org_id: orgId, instance_id: id, step, entry: null, decision: 'reject', decided_by: userId, on_behalf_of: signer.onBehalfOf, reason: input.reason, decided_at: at })
      .execute();
    await tx.updateTable('approval_instances').set({ status: 'rejected', completed_at: at, rejection_reason: input.reason, updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const outcome = await approvalTarget(instance.document_type).reject(lt, ctx.actor, instance, input.reason);
    await recordAudit(tx, ctx.actor, outcome.audit);
    const body = await instanceView(tx, orgId, id);
    const detail = { document: body.documentNumber, documentType: instance.document_type, documentId: num(instance.document_id), step, stepName: body.steps[step]!.name, onBehalfOf: signer.onBehalfOfName, reason: input.reason };
    return {
      status: 200,
      body,
      audit: { action: 'approval.reject', targetType: 'approval', targetId: id, detail },
      events: [{ type: 'approval.rejected', payload: body }, ...outcome.events],
    };
  });
}

/** Take a pending document back: its submitter or creator, or someone with approval.manage. */
export async function withdrawApproval(ctx: ServiceContext, id: number, input: { reason?: string }) {
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async (lt) => {
    const { tx } = lt;
    const instance = await pendingInstance(lt, orgId, id);
    const own = userId === num(instance.requested_by) || userId === num(instance.submitted_by);
    if (!own && !can(ctx.actor, 'approval.manage')) {
      throw forbidden(`only whoever created or submitted ${documentReference(instance.document_type, num(instance.document_id))}, or an approval manager, can withdraw it`);
    }
    const at = nowIso();
    await tx
      .insertInto('approval_decisions')
      .values({ org_id: orgId, instance_id: id, step: num(instance.current_step), entry: null, decision: 'withdraw', decided_by: userId, on_behalf_of: null, reason: input.reason ?? null, decided_at: at })
      .execute();
    await tx.updateTable('approval_instances').set({ status: 'cancelled', completed_at: at, updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const outcome = await approvalTarget(instance.document_type).withdraw(lt, ctx.actor, instance);
    await recordAudit(tx, ctx.actor, outcome.audit);
    const body = await instanceView(tx, orgId, id);
    return {
      status: 200,
      body,
      audit: { action: 'approval.withdraw', targetType: 'approval', targetId: id, detail: { document: body.documentNumber, reason: input.reason ?? null } },
      events: [{ type: 'approval.withdrawn', payload: body }, ...outcome.events],
    };
  });
}

async function pendingInstance(lt: LedgerTx, orgId: number, id: number): Promise<InstanceRow> {
  const instance = await lockInstance(lt, orgId, id);
  if (instance.status !== 'pending') {
    throw conflict(`approval ${id} of ${documentReference(instance.document_type, num(instance.document_id))} is ${instance.status}: only pending approvals take decisions`, { currentStatus: instance.status });
  }
  return instance;
}

/**
 * Whose signature this is: the acting user's own, or (with a delegation running today) that of
 * someone who delegated to them; `onBehalfOf` picks the delegator explicitly. A person signs a step
 * once, whether themselves or through a delegate.
 */
async function chooseSigner(lt: LedgerTx, actor: Actor, instance: InstanceRow, onBehalfOf: string | undefined, decision: 'approve' | 'reject') {
  const { tx } = lt;
  const { orgId, userId } = actor;
  const step = num(instance.current_step);
  const snapshot = stepsOf(instance)[step]!;
  const signatures = (await decisionsOf(tx, orgId, num(instance.id))).filter((d) => d.step === step && d.decision === 'approve');
  if (signatures.some((d) => d.decidedBy === userId)) throw conflict(`you already signed step ${step + 1} (${snapshot.name}) of approval ${num(instance.id)}`);
  const delegators = await activeDelegators(tx, orgId, userId);
  let candidates: Array<Principal & { username: string; self: boolean }>;
  if (onBehalfOf !== undefined) {
    const named = delegators.find((d) => d.username === onBehalfOf);
    if (!named) {
      const known = (await usersByName(tx, orgId, [onBehalfOf])).get(onBehalfOf);
      throw forbidden(known ? `${onBehalfOf} has not delegated approvals to you for today` : `unknown user ${onBehalfOf}`);
    }
    candidates = [{ id: named.id, role: named.role, username: named.username, self: false }];
  } else {
    candidates = [{ id: userId, role: actor.role, username: actor.username, self: true }, ...delegators.map((d) => ({ id: d.id, role: d.role, username: d.username, self: false }))];
  }
  const creators = new Set([num(instance.requested_by), num(instance.submitted_by)]);
  let alreadySigned: string | undefined;
  let ownDocument: string | undefined;
  for (const c of candidates) {
    if (!namedIn(snapshot, c)) continue;
    if (signatures.some((d) => principalOf(d) === c.id)) {
      alreadySigned = c.self ? 'you' : c.username;
      continue;
    }
    if (decision === 'approve' && creators.has(c.id)) {
      ownDocument = c.username;
      continue;
    }
    const entry = entryFor(snapshot, signatures, c);
    if (entry < 0) {
      alreadySigned ??= c.self ? `your role ${c.role}` : `${c.username}'s role ${c.role}`;
      continue;
    }
    return { entry, onBehalfOf: c.self ? null : c.id, onBehalfOfName: c.self ? null : c.username };
  }
  const where = `step ${step + 1} (${snapshot.name}) of approval ${num(instance.id)}`;
  if (ownDocument) throw forbidden(`${ownDocument} created or submitted ${documentReference(instance.document_type, num(instance.document_id))}: a delegate cannot approve it for them`);
  if (alreadySigned) throw conflict(`${alreadySigned} already signed ${where}`);
  throw forbidden(`you are not an approver of ${where}${onBehalfOf ? ` for ${onBehalfOf}` : ''}`);
}
