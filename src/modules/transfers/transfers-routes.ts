import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, DateText, IdParams, Limit, LotCode, Quantity, Sku } from '../../http/schemas.js';
import { cancelTransfer, closeTransfer, createTransfer, receiveTransfer, shipTransfer } from './transfers-service.js';
import { getTransfer, listTransfers } from './transfers-view.js';
import { transferSlipPdf } from './print.js';
import { DocumentMove, Note, Search } from './schemas.js';

const Status = z.enum(['draft', 'shipped', 'partially_received', 'received', 'closed', 'cancelled']);
const TransferView = z.object({
  id: z.number().int(), number: z.string(), status: Status, from: z.string(), to: z.string(), expectedOn: z.string().nullable(), note: z.string().nullable(),
  lines: z.array(z.object({
    line: z.number().int(), sku: z.string(), name: z.string(), unit: z.string(), quantity: z.number(), shipped: z.number(), received: z.number(), inTransit: z.number(),
    difference: z.number().describe('Written off at close: shipped but never received'),
    lots: z.array(z.object({ lot: z.string(), expiresOn: z.string().nullable(), shipped: z.number(), received: z.number(), inTransit: z.number(), difference: z.number() })),
  })),
  receipts: z.number().int(), createdAt: z.string(), createdBy: z.number().int(),
  shippedAt: z.string().nullable(), receivedAt: z.string().nullable(), closedAt: z.string().nullable(), cancelledAt: z.string().nullable(),
  moves: z.array(DocumentMove),
});
const NoBody = z.strictObject({}).optional();

export const transferRoutes = [
  defineRoute({
    method: 'POST', path: '/transfers', tag: 'transfers', summary: 'Create a draft transfer between two warehouses',
    body: z.strictObject({
      from: Code.describe('Source warehouse'),
      to: Code.describe('Destination warehouse'),
      expectedOn: DateText.optional().describe('When it is expected to arrive'),
      note: Note.optional(),
      lines: z.array(z.strictObject({ sku: Sku, quantity: Quantity })).min(1, 'at least one line').max(500, 'at most 500 lines'),
    }),
    responses: { 201: { description: 'Created as draft', schema: TransferView } },
    handler: ({ ctx, body }) => createTransfer(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/transfers', tag: 'transfers', summary: 'List transfers, newest first',
    query: z.strictObject({ status: Status.optional(), from: Code.optional(), to: Code.optional(), sku: Sku.optional(), q: Search, after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of transfers', schema: z.object({ items: z.array(TransferView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listTransfers(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/transfers/{id}', tag: 'transfers', summary: 'Get a transfer with its lines, lots, differences and moves', params: IdParams,
    responses: { 200: { description: 'The transfer', schema: TransferView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getTransfer(ctx, params.id) }),
  }),
  defineRoute({
    method: 'POST', path: '/transfers/{id}/ship', tag: 'transfers',
    summary: 'Ship a draft: every line leaves the source warehouse for Virtual/In transit (FEFO), or nothing (409 insufficient-stock naming the short lines)', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Shipped', schema: TransferView } },
    handler: ({ ctx, params }) => shipTransfer(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/transfers/{id}/receive', tag: 'transfers',
    summary: 'Receive shipped stock into the destination stock location, partly or all; the lots are those shipped on the line', params: IdParams,
    body: z.strictObject({
      lines: z
        .array(z.strictObject({
          line: z.number().int().min(1).describe('Line number of the transfer'),
          quantity: Quantity,
          lot: LotCode.optional().describe('A lot shipped on that line; without it, the line\'s lots in transit are taken first-expired-first-out'),
        }))
        .min(1, 'at least one line')
        .max(1000, 'at most 1000 lines'),
    }),
    responses: { 200: { description: 'Received (status partially_received or received)', schema: TransferView } },
    handler: ({ ctx, params, body }) => receiveTransfer(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/transfers/{id}/close', tag: 'transfers',
    summary: 'Close a shipped transfer: what is still in transit is written off to Virtual/Inventory adjustment as the line\'s difference', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Closed', schema: TransferView } },
    handler: ({ ctx, params }) => closeTransfer(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/transfers/{id}/cancel', tag: 'transfers', summary: 'Cancel a draft transfer (409 once shipped)', params: IdParams, body: NoBody,
    responses: { 200: { description: 'Cancelled', schema: TransferView } },
    handler: ({ ctx, params }) => cancelTransfer(ctx, params.id),
  }),
  defineRoute({
    method: 'GET', path: '/transfers/{id}/pdf', tag: 'transfers', summary: 'Printable transfer slip (PDF)', params: IdParams,
    responses: { 200: { description: 'application/pdf' } },
    handler: async ({ ctx, params }) => {
      const view = await getTransfer(ctx, params.id);
      return { status: 200, body: await transferSlipPdf(view), contentType: 'application/pdf', fileName: `${view.number}.pdf` };
    },
  }),
];
