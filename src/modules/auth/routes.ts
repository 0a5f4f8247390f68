import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import { requireActive } from './service.js';
import { createApiToken, listTokens, revokeToken, type TokenService } from './service.js';
import { changeOwnPassword } from '../users/service.js';

export const Password = z.string().min(8, 'at least 8 characters').max(1024);
const TokenView = z.object({
  id: z.number().int(), kind: z.enum(['session', 'api']), name: z.string().nullable(), createdAt: z.string(), expiresAt: z.string(), lastUsedAt: z.string().nullable(),
  current: z.boolean().describe('The token of this request'),
});

export function authRoutes(tokens: TokenService): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST', path: '/auth/login', tag: 'auth', summary: 'Log in; returns a bearer token (429 with Retry-After after repeated failures)', public: true,
      body: z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024), company: z.string().min(1).max(64).optional() }),
      responses: { 200: { description: 'A bearer token', schema: z.object({ token: z.string(), expiresAt: z.string(), idleTimeoutSeconds: z.number(), mustChangePassword: z.boolean() }) } },
      handler: async ({ body, request }) => ({ status: 200, body: await tokens.login(body.username, body.password, body.company, request.id, request.ip) }),
    }),
    defineRoute({
      method: 'POST', path: '/auth/logout', tag: 'auth', summary: 'Revoke the token of this request',
      responses: { 204: { description: 'Revoked' } },
      handler: async ({ ctx, request }) => tokens.revoke(ctx, (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '')),
    }),
    defineRoute({
      method: 'GET', path: '/auth/me', tag: 'auth', summary: 'Who the token belongs to: role, rights, warehouses, company',
      responses: {
        200: {
          description: 'The acting user',
          schema: z.object({
            userId: z.number(), username: z.string(), role: z.string(), permissions: z.array(z.string()), warehouseIds: z.array(z.number()).nullable(), mustChangePassword: z.boolean(),
            company: z.object({ code: z.string(), name: z.string() }).describe('The company the token belongs to (accounts are per company)'),
          }),
        },
      },
      handler: async ({ ctx }) => {
        const org = await ctx.store.read.selectFrom('orgs').select(['code', 'name']).where('id', '=', ctx.actor.orgId).executeTakeFirstOrThrow();
        return {
          status: 200,
          body: {
            userId: ctx.actor.userId, username: ctx.actor.username, role: ctx.actor.role, permissions: [...(ctx.actor.permissions ?? [])].sort(),
            warehouseIds: ctx.actor.warehouseIds ?? null, mustChangePassword: ctx.actor.mustChangePassword === true,
            company: { code: org.code, name: org.name },
          },
        };
      },
    }),
    defineRoute({
      method: 'POST', path: '/auth/change-password', tag: 'auth', summary: 'Change your own password; ends your other sessions and tokens',
      body: z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: Password }),
      responses: { 204: { description: 'Changed' } },
      handler: ({ ctx, body }) => changeOwnPassword(ctx, body),
    }),
    defineRoute({
      method: 'GET', path: '/auth/tokens', tag: 'auth', summary: 'Your live sessions and API tokens',
      responses: { 200: { description: 'Tokens (never their secret)', schema: z.object({ items: z.array(TokenView) }) } },
      handler: async ({ ctx }) => ({ status: 200, body: { items: await listTokens(ctx, ctx.actor.userId) } }),
    }),
    defineRoute({
      method: 'POST', path: '/auth/tokens', tag: 'auth', summary: 'Create a named API token acting as you; the secret is shown once (Idempotency-Key is ignored)',
      body: z.strictObject({ name: z.string().trim().min(1).max(100), expiresInDays: z.number().int().min(1).max(366).default(90) }),
      responses: { 201: { description: 'The token with its secret', schema: TokenView.omit({ lastUsedAt: true, current: true }).extend({ token: z.string() }) } },
      handler: ({ ctx, body }) => createApiToken(ctx, body),
    }),
    defineRoute({
      method: 'DELETE', path: '/auth/tokens/{id}', tag: 'auth', summary: 'Revoke one of your sessions or API tokens', params: IdParams,
      responses: { 204: { description: 'Revoked' } },
      handler: ({ ctx, params }) => {
        requireActive(ctx.actor);
        return revokeToken(ctx, ctx.actor.userId, params.id);
      },
    }),
  ];
}
