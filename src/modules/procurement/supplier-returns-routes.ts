import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, IdParams, Limit, LotCode, Quantity, Sku } from '../../http/schemas.js';
import { getSupplierReturn, listSupplierReturns, postSupplierReturn } from './supplier-returns-service.js';
import { DateFrom, DateTo, MoveView, Reason } from './schemas.js';

const OrderId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const SupplierReturnView = z.object({
  id: z.number().int(), number: z.string(), supplier: z.string(), supplierName: z.string(), warehouse: z.string(),
  purchaseOrder: z.number().int().nullable(), purchaseOrderNumber: z.string().nullable(), reason: z.string().nullable(),
  createdBy: z.number().int(), createdAt: z.string(),
  lines: z.array(z.object({ line: z.number().int(), sku: z.string(), quantity: z.number(), lot: z.string().nullable() })),
  moves: z.array(MoveView),
});

export const supplierReturnRoutes = [
  defineRoute({
    method: 'POST', path: '/supplier-returns', tag: 'procurement',
    summary: 'Return rejected stock to a supplier: from the warehouse\'s Rejected location (409 insufficient-stock beyond what is there); a named PO is not reopened',
    body: z.strictObject({
      supplier: Code, warehouse: Code,
      purchaseOrder: OrderId.optional().describe('The order the goods came with (for reference; it is not reopened)'),
      reason: Reason.optional(),
      lines: z.array(z.strictObject({ sku: Sku, quantity: Quantity, lot: LotCode.optional() })).min(1, 'at least one line').max(1000, 'at most 1000 lines'),
    }),
    responses: { 201: { description: 'Posted', schema: SupplierReturnView } },
    handler: ({ ctx, body }) => postSupplierReturn(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/supplier-returns', tag: 'procurement', summary: 'List returns to suppliers, newest first; q searches the RTV number and the supplier code and name',
    query: z.strictObject({
      supplier: Code.optional(), warehouse: Code.optional(), purchaseOrder: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      from: DateFrom, to: DateTo, q: z.string().trim().max(100).optional(), after: Cursor, limit: Limit,
    }),
    responses: { 200: { description: 'A page of returns', schema: z.object({ items: z.array(SupplierReturnView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listSupplierReturns(ctx, { ...query, q: query.q || undefined }) }),
  }),
  defineRoute({
    method: 'GET', path: '/supplier-returns/{id}', tag: 'procurement', summary: 'Get a return to a supplier with its moves', params: IdParams,
    responses: { 200: { description: 'The return', schema: SupplierReturnView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getSupplierReturn(ctx, params.id) }),
  }),
];
