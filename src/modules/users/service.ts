import { conflict, notFound, validationError, type FieldError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { isBuiltInRole, ROLES } from '../auth/permissions.js';
import { forgetUser } from '../auth/service.js';

export interface UserView {
  id: number; username: string; role: string; disabled: boolean; mustChangePassword: boolean;
  /** Warehouse codes the user is limited to; null: every warehouse. */
  warehouses: string[] | null;
  createdAt: string; updatedAt: string | null;
}

async function loadUser(db: Tx, orgId: number, id: number): Promise<UserView> {
  const row = await db.selectFrom('users').select(['id', 'username', 'role', 'disabled', 'must_change_password', 'all_warehouses', 'created_at', 'updated_at'])
    .where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`user ${id}`);
  return (await views(db, orgId, [row]))[0]!;
}

async function views(db: Tx, orgId: number, rows: Array<{ id: unknown; username: string; role: string; disabled: unknown; must_change_password: unknown; all_warehouses: unknown; created_at: string; updated_at: string | null }>): Promise<UserView[]> {
  const scoped = rows.filter((r) => num(r.all_warehouses as number) === 0).map((r) => num(r.id as number));
  const codes = new Map<number, string[]>();
  if (scoped.length > 0) {
    const links = await db.selectFrom('user_warehouses as uw').innerJoin('warehouses as w', (j) => j.onRef('w.org_id', '=', 'uw.org_id').onRef('w.id', '=', 'uw.warehouse_id'))
      .select(['uw.user_id', 'w.code']).where('uw.org_id', '=', orgId).where('uw.user_id', 'in', scoped).orderBy('w.code').execute();
    for (const l of links) codes.set(num(l.user_id), [...(codes.get(num(l.user_id)) ?? []), l.code]);
  }
  return rows.map((r) => ({
    id: num(r.id as number), username: r.username, role: r.role, disabled: num(r.disabled as number) === 1, mustChangePassword: num(r.must_change_password as number) === 1,
    warehouses: num(r.all_warehouses as number) === 1 ? null : (codes.get(num(r.id as number)) ?? []),
    createdAt: r.created_at, updatedAt: r.updated_at,
  }));
}

/** A role name must be built in or a custom role of the company. */
async function checkRole(db: Tx, orgId: number, role: string, errors: FieldError[]): Promise<void> {
  if (isBuiltInRole(role)) return;
  const custom = await db.selectFrom('roles').select('id').where('org_id', '=', orgId).where('name', '=', role).executeTakeFirst();
  if (!custom) errors.push({ field: 'role', message: `unknown role ${role}: one of ${ROLES.join(', ')} or a custom role` });
}

async function warehouseIds(db: Tx, orgId: number, codes: string[], errors: FieldError[]): Promise<number[]> {
  const unique = [...new Set(codes)];
  const rows = unique.length === 0 ? [] : await db.selectFrom('warehouses').select(['id', 'code']).where('org_id', '=', orgId).where('code', 'in', unique).execute();
  const byCode = new Map(rows.map((r) => [r.code, num(r.id)]));
  codes.forEach((c, i) => { if (!byCode.has(c)) errors.push({ field: `warehouses.${i}`, message: `unknown warehouse ${c}` }); });
  return unique.map((c) => byCode.get(c)!).filter((id) => id !== undefined);
}

async function setWarehouses(tx: Tx, orgId: number, userId: number, ids: number[] | null): Promise<void> {
  await tx.deleteFrom('user_warehouses').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
  if (ids && ids.length > 0) await tx.insertInto('user_warehouses').values(ids.map((id) => ({ org_id: orgId, user_id: userId, warehouse_id: id }))).execute();
  await tx.updateTable('users').set({ all_warehouses: ids === null ? 1 : 0 }).where('org_id', '=', orgId).where('id', '=', userId).execute();
}

export async function createUser(ctx: ServiceContext, input: { username: string; password: string; role: string; warehouses?: string[] | null; mustChangePassword?: boolean }) {
  authorize(ctx.actor, 'user.manage');
  const passwordHash = await hashPassword(input.password); // before the transaction: hashing is slow
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const errors: FieldError[] = [];
    await checkRole(tx, orgId, input.role, errors);
    const ids = input.warehouses === undefined || input.warehouses === null ? null : await warehouseIds(tx, orgId, input.warehouses, errors);
    if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const existing = await tx.selectFrom('users').select('id').where('org_id', '=', orgId).where('username', '=', input.username).executeTakeFirst();
    if (existing) throw conflict(`user ${input.username} already exists`);
    const at = nowIso();
    const row = await tx.insertInto('users')
      .values({ org_id: orgId, username: input.username, password_hash: passwordHash, role: input.role, disabled: 0, created_at: at, updated_at: at, must_change_password: input.mustChangePassword ? 1 : 0 })
      .returning('id').executeTakeFirstOrThrow();
    const id = num(row.id);
    await setWarehouses(tx, orgId, id, ids);
    const body = await loadUser(tx, orgId, id);
    return { status: 201, body, audit: { action: 'user.create', targetType: 'user', targetId: id, detail: { after: body } }, events: [{ type: 'user.created', payload: body }] };
  });
}

export async function getUser(ctx: ServiceContext, id: number): Promise<UserView> {
  authorize(ctx.actor, 'user.manage');
  return loadUser(ctx.store.read, ctx.actor.orgId, id);
}

export async function listUsers(ctx: ServiceContext, filter: { role?: string; disabled?: boolean } = {}): Promise<UserView[]> {
  authorize(ctx.actor, 'user.manage');
  let q = ctx.store.read.selectFrom('users').select(['id', 'username', 'role', 'disabled', 'must_change_password', 'all_warehouses', 'created_at', 'updated_at']).where('org_id', '=', ctx.actor.orgId);
  if (filter.role) q = q.where('role', '=', filter.role);
  if (filter.disabled !== undefined) q = q.where('disabled', '=', filter.disabled ? 1 : 0);
  return views(ctx.store.read, ctx.actor.orgId, await q.orderBy('username').limit(10_000).execute());
}

/** Change role, warehouse scope or disable/enable. Your own user cannot be demoted, scoped or disabled (no self lock-out). */
export async function updateUser(ctx: ServiceContext, id: number, input: { role?: string; warehouses?: string[] | null; disabled?: boolean }) {
  authorize(ctx.actor, 'user.manage');
  const { orgId } = ctx.actor;
  const result = await runCommand(ctx, async ({ tx }) => {
    const before = await loadUser(tx, orgId, id);
    const errors: FieldError[] = [];
    if (input.role !== undefined) await checkRole(tx, orgId, input.role, errors);
    const ids = input.warehouses === undefined || input.warehouses === null ? null : await warehouseIds(tx, orgId, input.warehouses, errors);
    if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    if (id === ctx.actor.userId && ((input.role !== undefined && input.role !== before.role) || input.disabled === true || (input.warehouses !== undefined && input.warehouses !== null))) {
      throw conflict('you cannot change the role, warehouses or disable your own user: ask another administrator');
    }
    const at = nowIso();
    await tx.updateTable('users').set({ ...(input.role !== undefined ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled ? 1 : 0 } : {}), updated_at: at })
      .where('org_id', '=', orgId).where('id', '=', id).execute();
    if (input.warehouses !== undefined) await setWarehouses(tx, orgId, id, ids);
    // Disabling ends every session and token at once.
    if (input.disabled === true) await tx.updateTable('api_tokens').set({ revoked_at: at }).where('org_id', '=', orgId).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    const after = await loadUser(tx, orgId, id);
    return { status: 200, body: after, audit: { action: 'user.update', targetType: 'user', targetId: id, detail: { before, after } }, events: [{ type: 'user.updated', payload: after }] };
  });
  forgetUser(orgId, id);
  return result;
}

/** An administrator sets a temporary password: every token of the user is revoked and the user must change it at next login. */
export async function resetPassword(ctx: ServiceContext, id: number, input: { password: string }) {
  authorize(ctx.actor, 'user.manage');
  const passwordHash = await hashPassword(input.password);
  const { orgId } = ctx.actor;
  const result = await runCommand(ctx, async ({ tx }) => {
    await loadUser(tx, orgId, id);
    const at = nowIso();
    await tx.updateTable('users').set({ password_hash: passwordHash, must_change_password: id === ctx.actor.userId ? 0 : 1, updated_at: at }).where('org_id', '=', orgId).where('id', '=', id).execute();
    const revoked = await tx.updateTable('api_tokens').set({ revoked_at: at }).where('org_id', '=', orgId).where('user_id', '=', id).where('revoked_at', 'is', null)
      .$if(id === ctx.actor.userId && ctx.actor.tokenId !== undefined, (q) => q.where('id', '!=', ctx.actor.tokenId!)).executeTakeFirst();
    const body = await loadUser(tx, orgId, id);
    return { status: 200, body, audit: { action: 'user.reset_password', targetType: 'user', targetId: id, detail: { revokedTokens: Number(revoked.numUpdatedRows) } } };
  });
  forgetUser(orgId, id);
  return result;
}

/** Change your own password (needs the current one); ends your other sessions and tokens. */
export async function changeOwnPassword(ctx: ServiceContext, input: { currentPassword: string; newPassword: string }) {
  const { orgId, userId } = ctx.actor;
  const user = await ctx.store.read.selectFrom('users').select('password_hash').where('org_id', '=', orgId).where('id', '=', userId).executeTakeFirst();
  if (!user) throw notFound(`user ${userId}`);
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) throw validationError('currentPassword: wrong password', [{ field: 'currentPassword', message: 'wrong password' }]);
  if (input.newPassword === input.currentPassword) throw validationError('newPassword: must differ from the current password', [{ field: 'newPassword', message: 'must differ from the current password' }]);
  const passwordHash = await hashPassword(input.newPassword);
  const result = await runCommand(ctx, async ({ tx }) => {
    const at = nowIso();
    await tx.updateTable('users').set({ password_hash: passwordHash, must_change_password: 0, updated_at: at }).where('org_id', '=', orgId).where('id', '=', userId).execute();
    await tx.updateTable('api_tokens').set({ revoked_at: at }).where('org_id', '=', orgId).where('user_id', '=', userId).where('revoked_at', 'is', null)
      .$if(ctx.actor.tokenId !== undefined, (q) => q.where('id', '!=', ctx.actor.tokenId!)).execute();
    return { status: 204, body: null, audit: { action: 'user.change_password', targetType: 'user', targetId: userId } };
  });
  forgetUser(orgId, userId);
  return result;
}

