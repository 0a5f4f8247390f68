import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Cursor, Limit } from '../../http/schemas.js';
import { auditTrail } from './service.js';

export const auditRoutes = [
  defineRoute({
    method: 'GET', path: '/audit', tag: 'audit', summary: 'The audit trail, newest first; pass `next` back as `before`',
    query: z.strictObject({ action: z.string().max(64).optional(), targetType: z.string().max(64).optional(), targetId: z.string().max(64).optional(), before: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of audit records' } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await auditTrail(ctx, query) }),
  }),
];
