import type { Selectable } from 'kysely';
import { conflict, forbidden, notFound } from '../../core/errors.js';
import { isCalendarDate, todayIso } from '../../core/text.js';
import { num } from '../../db/schema.js';
import type { ApprovalDelegationsTable } from '../../db/tables/approvals.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { FieldErrors } from './errors.js';
import { usersById, usersByName, type UserRef } from './users.js';

/**
 * Delegation while away (代理审批): from one user to another for a range of days (UTC dates,
 * inclusive). While it runs, the delegate can sign wherever the delegator could, recorded as
 * "by the delegate on behalf of the delegator". Delegations do not chain.
 */
export interface DelegationInput {
  to: string;
  startsOn: string;
  endsOn: string;
  note?: string;
}

export async function createDelegation(ctx: ServiceContext, input: DelegationInput) {
  authorize(ctx.actor, 'approval.decide');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const errors = new FieldErrors();
    const to = (await usersByName(tx, orgId, [input.to])).get(input.to);
    if (!to) errors.add('to', `unknown user ${input.to}`);
    else if (to.id === userId) errors.add('to', 'you cannot delegate to yourself');
    else if (to.disabled) errors.add('to', `user ${input.to} is disabled`);
    if (!isCalendarDate(input.startsOn)) errors.add('startsOn', 'must be a date YYYY-MM-DD');
    if (!isCalendarDate(input.endsOn)) errors.add('endsOn', 'must be a date YYYY-MM-DD');
    else if (input.endsOn < input.startsOn) errors.add('endsOn', 'must not be before startsOn');
    else if (input.endsOn < todayIso()) errors.add('endsOn', 'must not be in the past');
    errors.throwIfAny();
    const row = await tx
      .insertInto('approval_delegations')
      .values({ org_id: orgId, from_user_id: userId, to_user_id: to!.id, starts_on: input.startsOn, ends_on: input.endsOn, note: input.note ?? null, created_at: nowIso(), revoked_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const body = await delegationView(tx, orgId, num(row.id));
    return { status: 201, body, audit: { action: 'approval.delegate', targetType: 'approval-delegation', targetId: body.id, detail: body }, events: [{ type: 'approval-delegation.created', payload: body }] };
  });
}

/** Only the delegator (or someone with approval.manage) ends a delegation early. */
export async function revokeDelegation(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'approval.decide');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const before = await delegationView(tx, orgId, id);
    if (before.fromUserId !== userId) {
      try {
        authorize(ctx.actor, 'approval.manage');
      } catch {
        throw forbidden(`delegation ${id} is ${before.from}'s: only they or an approval manager can revoke it`);
      }
    }
    if (before.revokedAt !== null) throw conflict(`delegation ${id} is already revoked`);
    await tx.updateTable('approval_delegations').set({ revoked_at: nowIso() }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const body = await delegationView(tx, orgId, id);
    return { status: 200, body, audit: { action: 'approval.delegation.revoke', targetType: 'approval-delegation', targetId: id, detail: body }, events: [{ type: 'approval-delegation.revoked', payload: body }] };
  });
}

/** Delegations I gave and delegations given to me (newest first); approval.manage may list all. */
export async function listDelegations(ctx: ServiceContext, filter: { all?: boolean }) {
  authorize(ctx.actor, 'approval.decide');
  if (filter.all) authorize(ctx.actor, 'approval.manage');
  const { orgId, userId } = ctx.actor;
  let query = ctx.store.read.selectFrom('approval_delegations').selectAll().where('org_id', '=', orgId);
  if (!filter.all) query = query.where((eb) => eb.or([eb('from_user_id', '=', userId), eb('to_user_id', '=', userId)]));
  const rows = await query.orderBy('id', 'desc').limit(1000).execute();
  const users = await usersById(ctx.store.read, orgId, rows.flatMap((r) => [num(r.from_user_id), num(r.to_user_id)]));
  return { items: rows.map((r) => toView(r, users)) };
}

/** Users who delegated to `userId` for today (not revoked, not disabled). */
export async function activeDelegators(tx: Tx, orgId: number, userId: number, today = todayIso()): Promise<UserRef[]> {
  const rows = await tx
    .selectFrom('approval_delegations')
    .select('from_user_id')
    .where('org_id', '=', orgId)
    .where('to_user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('starts_on', '<=', today)
    .where('ends_on', '>=', today)
    .orderBy('id')
    .execute();
  const users = await usersById(tx, orgId, rows.map((r) => num(r.from_user_id)));
  return [...users.values()].filter((u) => !u.disabled);
}

async function delegationView(tx: Tx, orgId: number, id: number) {
  const row = await tx.selectFrom('approval_delegations').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`delegation ${id}`);
  return toView(row, await usersById(tx, orgId, [num(row.from_user_id), num(row.to_user_id)]));
}

function toView(row: Selectable<ApprovalDelegationsTable>, users: Map<number, UserRef>) {
  const from = num(row.from_user_id);
  const to = num(row.to_user_id);
  const today = todayIso();
  return {
    id: num(row.id),
    from: users.get(from)?.username ?? `#${from}`,
    fromUserId: from,
    to: users.get(to)?.username ?? `#${to}`,
    toUserId: to,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    note: row.note,
    active: row.revoked_at === null && row.starts_on <= today && row.ends_on >= today,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
