import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { Code, IdParams } from '../../http/schemas.js';
import { Password } from '../auth/routes.js';
import { listTokens, revokeToken } from '../auth/service.js';
import { PERMISSIONS } from '../auth/permissions.js';
import { createUser, getUser, listUsers, resetPassword, updateUser } from './service.js';
import { createRole, deleteRole, listRoles, updateRole } from './roles.js';

const UserView = z.object({
  id: z.number().int(), username: z.string(), role: z.string(), disabled: z.boolean(), mustChangePassword: z.boolean(),
  warehouses: z.array(z.string()).nullable().describe('Codes of the warehouses the user may see and touch; null: all'),
  createdAt: z.string(), updatedAt: z.string().nullable(),
});
const Username = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_.@-]+$/u, 'letters, digits, _ . @ -');
const RoleName = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_. -]+$/u, 'letters, digits, space, _ . -');
const Warehouses = z.array(Code).max(1000).nullable().describe('Warehouse codes; null or absent: every warehouse');
const Right = z.string().max(64).describe(`One of: ${PERMISSIONS.join(', ')}`);
const RoleView = z.object({ name: z.string(), builtIn: z.boolean(), description: z.string().nullable(), permissions: z.array(z.string()), users: z.number().int() });
const UserTokenParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), tokenId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const RoleParams = z.strictObject({ name: RoleName });

export const userRoutes: RouteSpec[] = [
  defineRoute({
    method: 'POST', path: '/users', tag: 'users', summary: 'Create a user (user.manage)',
    body: z.strictObject({ username: Username, password: Password, role: z.string().trim().min(1).max(64), warehouses: Warehouses.optional(), mustChangePassword: z.boolean().optional() }),
    responses: { 201: { description: 'Created', schema: UserView } },
    handler: ({ ctx, body }) => createUser(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/users', tag: 'users', summary: 'List users (user.manage)',
    query: z.strictObject({ role: z.string().max(64).optional(), disabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
    responses: { 200: { description: 'Users', schema: z.object({ items: z.array(UserView) }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: { items: await listUsers(ctx, query) } }),
  }),
  defineRoute({
    method: 'GET', path: '/users/{id}', tag: 'users', summary: 'One user (user.manage)', params: IdParams,
    responses: { 200: { description: 'The user', schema: UserView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getUser(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/users/{id}', tag: 'users', summary: 'Change role, warehouse scope, or disable (ends every token) / enable a user', params: IdParams,
    body: z.strictObject({ role: z.string().trim().min(1).max(64).optional(), warehouses: Warehouses.optional(), disabled: z.boolean().optional() }),
    responses: { 200: { description: 'The user', schema: UserView } },
    handler: ({ ctx, params, body }) => updateUser(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/users/{id}/reset-password', tag: 'users', summary: 'Set a temporary password: revokes every token; the user must change it before doing anything else', params: IdParams,
    body: z.strictObject({ password: Password }),
    responses: { 200: { description: 'The user', schema: UserView } },
    handler: ({ ctx, params, body }) => resetPassword(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', path: '/users/{id}/tokens', tag: 'users', summary: "A user's live sessions and API tokens (user.manage)", params: IdParams,
    responses: { 200: { description: 'Tokens (never their secret)' } },
    handler: async ({ ctx, params }) => ({ status: 200, body: { items: await listTokens(ctx, params.id) } }),
  }),
  defineRoute({
    method: 'DELETE', path: '/users/{id}/tokens/{tokenId}', tag: 'users', summary: "Revoke one of a user's sessions or API tokens (user.manage)", params: UserTokenParams,
    responses: { 204: { description: 'Revoked' } },
    handler: ({ ctx, params }) => revokeToken(ctx, params.id, params.tokenId),
  }),
  defineRoute({
    method: 'GET', path: '/roles', tag: 'users', summary: 'Built-in and custom roles with their rights',
    responses: { 200: { description: 'Roles', schema: z.object({ items: z.array(RoleView) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: { items: await listRoles(ctx) } }),
  }),
  defineRoute({
    method: 'POST', path: '/roles', tag: 'users', summary: 'Create a custom role with a list of rights',
    body: z.strictObject({ name: RoleName, description: z.string().trim().max(500).optional(), permissions: z.array(Right).max(PERMISSIONS.length * 2) }),
    responses: { 201: { description: 'Created', schema: RoleView } },
    handler: ({ ctx, body }) => createRole(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', path: '/roles/{name}', tag: 'users', summary: 'Change a custom role (built-in roles: 409)', params: RoleParams,
    body: z.strictObject({ description: z.string().trim().max(500).nullable().optional(), permissions: z.array(Right).max(PERMISSIONS.length * 2).optional() }),
    responses: { 200: { description: 'The role', schema: RoleView } },
    handler: ({ ctx, params, body }) => updateRole(ctx, params.name, body),
  }),
  defineRoute({
    method: 'DELETE', path: '/roles/{name}', tag: 'users', summary: 'Delete a custom role no user has (else 409)', params: RoleParams,
    responses: { 204: { description: 'Deleted' } },
    handler: ({ ctx, params }) => deleteRole(ctx, params.name),
  }),
];
