import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, DateText, IdParams, Limit, LocationCode, LotCode, Money, Quantity, Sku } from '../../http/schemas.js';
import { getAdjustment, listAdjustments, postAdjustment } from './service.js';

const AdjustmentBody = z.strictObject({
  warehouse: Code,
  location: LocationCode.optional().describe('Code of a stock location, zone or bin of the warehouse; its stock location by default'),
  reason: z.string().trim().min(1).max(500).optional(),
  lines: z
    .array(
      z.strictObject({
        sku: Sku,
        quantity: Quantity.describe('Positive adds stock, negative removes it (never below what is available)'),
        lot: LotCode.optional().describe('Lot or serial number; required for tracked items'),
        expiresOn: DateText.optional(),
        unitCost: Money.optional().describe('Cost per unit of stock added; defaults to the last known cost'),
      }),
    )
    .min(1, 'at least one line')
    .max(1000, 'at most 1000 lines'),
});
const AdjustmentView = z.object({
  id: z.number().int(), number: z.string(), warehouse: z.string(), reason: z.string().nullable(),
  status: z.string().describe('posted; or pending_approval while an approval flow runs (no moves yet), then posted, rejected or cancelled'),
  approval: z.object({ id: z.number().int(), status: z.string(), rejectionReason: z.string().nullable() }).nullable().describe('The approval flow run (GET /approvals/{id}); null when no flow applied'),
  createdAt: z.string(), createdBy: z.number().int(),
  lines: z.array(z.object({ line: z.number().int(), sku: z.string(), quantity: z.number(), lot: z.string().nullable(), expiresOn: z.string().nullable(), unitCost: z.number().nullable() })),
  moves: z.array(z.object({ id: z.number().int(), sku: z.string(), from: z.string(), to: z.string(), quantity: z.number(), lot: z.string().nullable() })),
});

export const adjustmentRoutes = [
  defineRoute({
    method: 'POST', path: '/inventory-adjustments', tag: 'stock', summary: 'Post an inventory adjustment; with a matching approval flow it is created pending_approval and posts when the flow completes (docs/approvals.md)', body: AdjustmentBody,
    responses: { 201: { description: 'Posted (or pending approval)', schema: AdjustmentView } },
    handler: ({ ctx, body }) => postAdjustment(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/inventory-adjustments', tag: 'stock', summary: 'List inventory adjustments, newest first',
    query: z.strictObject({ after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of adjustments', schema: z.object({ items: z.array(AdjustmentView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listAdjustments(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/inventory-adjustments/{id}', tag: 'stock', summary: 'Get an inventory adjustment with its moves', params: IdParams,
    responses: { 200: { description: 'The adjustment', schema: AdjustmentView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getAdjustment(ctx, params.id) }),
  }),
];
