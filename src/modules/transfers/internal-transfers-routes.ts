import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, IdParams, Limit, LocationCode, LotCode, Quantity, Sku } from '../../http/schemas.js';
import { getInternalTransfer, listInternalTransfers, postInternalTransfer } from './internal-transfers-service.js';
import { putawayListPdf } from './print.js';
import { DocumentMove, Note, Search } from './schemas.js';

const InternalTransferView = z.object({
  id: z.number().int(), number: z.string(), warehouse: z.string(), note: z.string().nullable(), status: z.string(), createdAt: z.string(), createdBy: z.number().int(),
  lines: z.array(z.object({
    line: z.number().int(), sku: z.string(), name: z.string(), unit: z.string(), lot: z.string().nullable(), expiresOn: z.string().nullable(), from: z.string(), to: z.string(), quantity: z.number(),
  })),
  moves: z.array(DocumentMove),
});

export const internalTransferRoutes = [
  defineRoute({
    method: 'POST', path: '/internal-transfers', tag: 'warehouse moves', summary: 'Move stock between the stock location, zones and bins of one warehouse (put-away, bin to bin)',
    body: z.strictObject({
      warehouse: Code,
      note: Note.optional(),
      lines: z
        .array(
          z.strictObject({
            item: Sku.describe('SKU or barcode'),
            from: LocationCode.optional().describe('Full location code; the warehouse stock location by default'),
            to: LocationCode.describe('Full location code of the stock location, a zone or a bin'),
            quantity: Quantity,
            lot: LotCode.optional().describe('Lot or serial number; required for tracked items'),
          }),
        )
        .min(1, 'at least one line')
        .max(1000, 'at most 1000 lines'),
    }),
    responses: { 201: { description: 'Moved', schema: InternalTransferView } },
    handler: ({ ctx, body }) => postInternalTransfer(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/internal-transfers', tag: 'warehouse moves', summary: 'List internal transfers, newest first',
    query: z.strictObject({ warehouse: Code.optional(), sku: Sku.optional(), location: LocationCode.optional(), q: Search, after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of internal transfers', schema: z.object({ items: z.array(InternalTransferView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listInternalTransfers(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/internal-transfers/{id}', tag: 'warehouse moves', summary: 'Get an internal transfer with its moves', params: IdParams,
    responses: { 200: { description: 'The internal transfer', schema: InternalTransferView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getInternalTransfer(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/internal-transfers/{id}/pdf', tag: 'warehouse moves', summary: 'Printable put-away list (PDF)', params: IdParams,
    responses: { 200: { description: 'application/pdf' } },
    handler: async ({ ctx, params }) => {
      const view = await getInternalTransfer(ctx, params.id);
      return { status: 200, body: await putawayListPdf(view), contentType: 'application/pdf', fileName: `${view.number}.pdf` };
    },
  }),
];
