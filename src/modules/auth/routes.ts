import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { createUser, listUsers, type TokenService } from './service.js';
import { ROLES } from './permissions.js';

const UserView = z.object({ id: z.number().int(), username: z.string(), role: z.string(), disabled: z.boolean(), createdAt: z.string() });
const Username = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_.@-]+$/u, 'letters, digits, _ . @ -');

export function authRoutes(tokens: TokenService): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST', path: '/auth/login', tag: 'auth', summary: 'Log in; returns a bearer token', public: true,
      body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024), company: z.string().min(1).max(64).optional() }),
      responses: { 200: { description: 'A bearer token', schema: z.object({ token: z.string(), expiresAt: z.string() }) } },
      handler: async ({ body, request }) => ({ status: 200, body: await tokens.login(body.username, body.password, body.company, request.id) }),
    }),
    defineRoute({
      method: 'POST', path: '/auth/logout', tag: 'auth', summary: 'Revoke the token of this request',
      responses: { 204: { description: 'Revoked' } },
      handler: async ({ ctx, request }) => tokens.revoke(ctx, (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '')),
    }),
    defineRoute({
      method: 'GET', path: '/auth/me', tag: 'auth', summary: 'Who the token belongs to',
      responses: { 200: { description: 'The acting user', schema: z.object({ userId: z.number(), username: z.string(), role: z.string() }) } },
      handler: async ({ ctx }) => ({ status: 200, body: { userId: ctx.actor.userId, username: ctx.actor.username, role: ctx.actor.role } }),
    }),
    defineRoute({
      method: 'POST', path: '/users', tag: 'auth', summary: 'Create a user (admin)',
      body: z.strictObject({ username: Username, password: z.string().min(8, 'at least 8 characters').max(1024), role: z.enum(ROLES) }),
      responses: { 201: { description: 'Created', schema: UserView } },
      handler: ({ ctx, body }) => createUser(ctx, body),
    }),
    defineRoute({
      method: 'GET', path: '/users', tag: 'auth', summary: 'List users (admin)',
      responses: { 200: { description: 'Users', schema: z.object({ items: z.array(UserView) }) } },
      handler: async ({ ctx }) => ({ status: 200, body: { items: await listUsers(ctx) } }),
    }),
  ];
}
