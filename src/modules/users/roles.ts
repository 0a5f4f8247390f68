import { conflict, notFound, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { builtInRights, isBuiltInRole, isPermission, ROLES } from '../auth/permissions.js';
import { forgetUser } from '../auth/service.js';

export interface RoleView { name: string; builtIn: boolean; description: string | null; permissions: string[]; users: number }

function checkPermissions(permissions: string[]): string[] {
  const errors = permissions.flatMap((p, i) => (isPermission(p) ? [] : [{ field: `permissions.${i}`, message: `unknown right ${p}` }]));
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return [...new Set(permissions)].sort();
}

export async function listRoles(ctx: ServiceContext): Promise<RoleView[]> {
  authorize(ctx.actor, 'user.manage');
  const db = ctx.store.read;
  const counts = await db.selectFrom('users').select(['role', (eb) => eb.fn.countAll().as('n')]).where('org_id', '=', ctx.actor.orgId).groupBy('role').execute();
  const users = new Map(counts.map((c) => [c.role, num(c.n as never)]));
  const custom = await db.selectFrom('roles').selectAll().where('org_id', '=', ctx.actor.orgId).orderBy('name').execute();
  return [
    ...ROLES.map((r) => ({ name: r, builtIn: true, description: null, permissions: [...builtInRights(r)!].sort(), users: users.get(r) ?? 0 })),
    ...custom.map((r) => ({ name: r.name, builtIn: false, description: r.description, permissions: JSON.parse(r.permissions) as string[], users: users.get(r.name) ?? 0 })),
  ];
}

export async function createRole(ctx: ServiceContext, input: { name: string; description?: string; permissions: string[] }) {
  authorize(ctx.actor, 'user.manage');
  if (isBuiltInRole(input.name)) throw conflict(`${input.name} is a built-in role`);
  const permissions = checkPermissions(input.permissions);
  return runCommand(ctx, async ({ tx }) => {
    const existing = await tx.selectFrom('roles').select('id').where('org_id', '=', ctx.actor.orgId).where('name', '=', input.name).executeTakeFirst();
    if (existing) throw conflict(`role ${input.name} already exists`);
    const at = nowIso();
    await tx.insertInto('roles').values({ org_id: ctx.actor.orgId, name: input.name, description: input.description ?? null, permissions: JSON.stringify(permissions), created_at: at, updated_at: at }).execute();
    const body: RoleView = { name: input.name, builtIn: false, description: input.description ?? null, permissions, users: 0 };
    return { status: 201, body, audit: { action: 'role.create', targetType: 'role', targetId: input.name, detail: { after: body } } };
  });
}

/** Changes a custom role; its users get the new rights within seconds (their cached tokens are evicted here at once). */
export async function updateRole(ctx: ServiceContext, name: string, input: { description?: string | null; permissions?: string[] }) {
  authorize(ctx.actor, 'user.manage');
  if (isBuiltInRole(name)) throw conflict(`${name} is a built-in role and cannot be changed: create a custom role`);
  const permissions = input.permissions === undefined ? undefined : checkPermissions(input.permissions);
  let userIds: number[] = [];
  const result = await runCommand(ctx, async ({ tx }) => {
    const row = await tx.selectFrom('roles').selectAll().where('org_id', '=', ctx.actor.orgId).where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`role ${name}`);
    const users = await tx.selectFrom('users').select('id').where('org_id', '=', ctx.actor.orgId).where('role', '=', name).execute();
    userIds = users.map((u) => num(u.id));
    const before: RoleView = { name, builtIn: false, description: row.description, permissions: JSON.parse(row.permissions) as string[], users: users.length };
    const after: RoleView = { ...before, ...(input.description !== undefined ? { description: input.description } : {}), ...(permissions ? { permissions } : {}) };
    await tx.updateTable('roles').set({ description: after.description, permissions: JSON.stringify(after.permissions), updated_at: nowIso() }).where('org_id', '=', ctx.actor.orgId).where('name', '=', name).execute();
    return { status: 200, body: after, audit: { action: 'role.update', targetType: 'role', targetId: name, detail: { before, after } } };
  });
  for (const u of userIds) forgetUser(ctx.actor.orgId, u);
  return result;
}

export async function deleteRole(ctx: ServiceContext, name: string) {
  authorize(ctx.actor, 'user.manage');
  if (isBuiltInRole(name)) throw conflict(`${name} is a built-in role`);
  return runCommand(ctx, async ({ tx }) => {
    const row = await tx.selectFrom('roles').selectAll().where('org_id', '=', ctx.actor.orgId).where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`role ${name}`);
    const user = await tx.selectFrom('users').select('username').where('org_id', '=', ctx.actor.orgId).where('role', '=', name).executeTakeFirst();
    if (user) throw conflict(`role ${name} is still given to ${user.username}: give those users another role first`);
    await tx.deleteFrom('roles').where('org_id', '=', ctx.actor.orgId).where('name', '=', name).execute();
    return { status: 204, body: null, audit: { action: 'role.delete', targetType: 'role', targetId: name, detail: { before: { name, description: row.description, permissions: JSON.parse(row.permissions) as string[] } } } };
  });
}
