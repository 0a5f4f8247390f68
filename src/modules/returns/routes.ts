import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Cursor, IdParams, Limit, LotCode, Quantity } from '../../http/schemas.js';
import { LineNo, MoveView, Reason, Text } from '../procurement/schemas.js';
import { inspectSalesReturn } from './inspect-service.js';
import { receiveSalesReturn } from './receive-service.js';
import { getSalesReturn, listSalesReturns } from './view.js';

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Status = z.enum(['received', 'partially_inspected', 'closed']);

const SalesReturnView = z.object({
  id: z.number().int(), number: z.string(), salesOrder: z.number().int(), salesOrderNumber: z.string(), customer: z.string(),
  warehouse: z.string(), status: Status, reason: z.string().nullable(),
  creditReference: z.string().describe('The reference finance credits the customer under'),
  createdBy: z.number().int(), createdAt: z.string(), updatedAt: z.string(), closedAt: z.string().nullable(),
  lines: z.array(z.object({
    line: z.number().int(), orderLine: z.number().int(), sku: z.string(), lot: z.string().nullable(),
    returned: z.number(), restocked: z.number(), scrapped: z.number(), uninspected: z.number(),
  })),
  inspections: z.array(z.object({
    inspection: z.number().int(), createdBy: z.number().int(), createdAt: z.string(),
    lines: z.array(z.object({ line: z.number().int(), restocked: z.number(), scrapped: z.number(), reason: z.string().nullable() })),
  })),
  moves: z.array(MoveView).describe('Partners/Customers -> Input on receipt, then Input -> Stock or Virtual/Scrap on inspection'),
});

export const returnsRoutes = [
  defineRoute({
    method: 'POST', path: '/sales-returns', tag: 'sales',
    summary: 'Receive a customer return (RMA) against a shipped sales order into the warehouse Input location; never more per line and lot than shipped minus returned (422)',
    body: z.strictObject({
      salesOrder: Id.describe('Id of a shipped sales order (409 otherwise)'),
      reason: Reason.optional(),
      creditReference: Text(64).optional().describe('Reference for the customer credit; CR- and the RMA number digits if not given'),
      lines: z.array(z.strictObject({
        line: LineNo.describe('Sales order line number'),
        quantity: Quantity,
        lot: LotCode.optional().describe('Lot or serial shipped on that line; required for tracked items'),
      })).min(1, 'at least one line').max(1000, 'at most 1000 lines'),
    }),
    responses: { 201: { description: 'Received', schema: SalesReturnView } },
    handler: ({ ctx, body }) => receiveSalesReturn(ctx, body),
  }),
  defineRoute({
    method: 'POST', path: '/sales-returns/{id}/inspect', tag: 'sales',
    summary: 'Inspect returned goods: restock (Input -> Stock) or scrap (Input -> Virtual/Scrap), never more than uninspected (422)',
    params: IdParams,
    body: z.strictObject({
      lines: z.array(z.strictObject({
        line: LineNo.describe('Return line number'),
        restock: Quantity.optional(),
        scrap: Quantity.optional(),
        reason: Reason.optional(),
      })).min(1, 'at least one line').max(1000, 'at most 1000 lines'),
    }),
    responses: { 200: { description: 'Inspected', schema: SalesReturnView } },
    handler: ({ ctx, params, body }) => inspectSalesReturn(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', path: '/sales-returns', tag: 'sales', summary: 'List customer returns, newest first',
    query: z.strictObject({
      salesOrder: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(), status: Status.optional(), after: Cursor, limit: Limit,
    }),
    responses: { 200: { description: 'A page of returns', schema: z.object({ items: z.array(SalesReturnView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listSalesReturns(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/sales-returns/{id}', tag: 'sales', summary: 'Get a customer return with its lines, inspections and moves', params: IdParams,
    responses: { 200: { description: 'The return', schema: SalesReturnView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getSalesReturn(ctx, params.id) }),
  }),
];
