import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, IdParams, Limit, LocationCode, LotCode, Quantity, Sku } from '../../http/schemas.js';
import { getScrap, listScraps, postScrap, scrapReasons, SCRAP_REASON_CODES } from './scrap-service.js';
import { DocumentMove, Note, Search } from './schemas.js';

const Reason = z.enum(SCRAP_REASON_CODES);
const ScrapView = z.object({
  id: z.number().int(), number: z.string(), warehouse: z.string(), location: z.string(), reason: Reason, note: z.string().nullable(),
  status: z.string().describe('posted; or pending_approval while an approval flow runs (no moves yet), then posted, rejected or cancelled'),
  approval: z.object({ id: z.number().int(), status: z.string(), rejectionReason: z.string().nullable() }).nullable().describe('The approval flow run (GET /approvals/{id}); null when no flow applied'),
  createdAt: z.string(), createdBy: z.number().int(),
  lines: z.array(z.object({ line: z.number().int(), sku: z.string(), name: z.string(), quantity: z.number(), lot: z.string().nullable(), expiresOn: z.string().nullable() })),
  value: z.number().describe('FIFO value of the scrapped stock'),
  moves: z.array(DocumentMove.extend({ value: z.number().nullable() })),
});

export const scrapRoutes = [
  defineRoute({
    method: 'POST', path: '/scraps', tag: 'warehouse moves', summary: 'Scrap stock: it moves to Virtual/Scrap; with a matching approval flow it waits as pending_approval and moves when the flow completes (docs/approvals.md)',
    body: z.strictObject({
      warehouse: Code,
      location: LocationCode.optional().describe('Stock location (default), a zone or bin, or the Rejected location of the warehouse'),
      reason: Reason.describe('See GET /scrap-reasons'),
      note: Note.optional(),
      lines: z.array(z.strictObject({ sku: Sku, quantity: Quantity, lot: LotCode.optional() })).min(1, 'at least one line').max(1000, 'at most 1000 lines'),
    }),
    responses: { 201: { description: 'Scrapped', schema: ScrapView } },
    handler: ({ ctx, body }) => postScrap(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/scraps', tag: 'warehouse moves', summary: 'List scraps, newest first',
    query: z.strictObject({ warehouse: Code.optional(), reason: Reason.optional(), sku: Sku.optional(), q: Search, after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of scraps', schema: z.object({ items: z.array(ScrapView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listScraps(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/scraps/{id}', tag: 'warehouse moves', summary: 'Get a scrap with its moves', params: IdParams,
    responses: { 200: { description: 'The scrap', schema: ScrapView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getScrap(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/scrap-reasons', tag: 'warehouse moves', summary: 'The reason codes a scrap may give',
    responses: { 200: { description: 'Reason codes', schema: z.object({ items: z.array(z.object({ code: Reason, name: z.string() })) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: scrapReasons(ctx) }),
  }),
];
