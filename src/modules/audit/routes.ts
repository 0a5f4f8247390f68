import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Cursor, Limit } from '../../http/schemas.js';
import { auditTrail } from './service.js';

const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, 'an ISO date or UTC timestamp');

export const auditRoutes = [
  defineRoute({
    method: 'GET', path: '/audit', tag: 'audit', summary: 'Search the append-only audit trail, newest first; pass `next` back as `before`',
    query: z.strictObject({
      action: z.string().max(64).optional().describe('Exact action, or a prefix ending in * (user.*)'),
      targetType: z.string().max(64).optional(), targetId: z.string().max(64).optional(),
      userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().describe('Who'),
      requestId: z.string().max(64).optional(), ip: z.string().max(64).optional().describe('From where'),
      from: Instant.optional().describe('At or after (inclusive)'), to: Instant.optional().describe('Before (exclusive)'),
      before: Cursor, limit: Limit,
    }),
    responses: { 200: { description: 'A page of audit records; master-data updates carry `changes` (field, before, after)' } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await auditTrail(ctx, query) }),
  }),
];
