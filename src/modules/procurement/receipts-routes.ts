import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, DateText, IdParams, Limit, LotCode, Quantity, Sku } from '../../http/schemas.js';
import { inspectReceipt } from './inspections-service.js';
import { receiptPdf } from './receipts-pdf.js';
import { postReceipt } from './receipts-service.js';
import { getReceipt, listReceipts } from './receipts-view.js';
import { DateFrom, DateTo, LineNo, MoveView, pdfResponse, Reason } from './schemas.js';

const Kind = z.enum(['purchase', 'customer-return']);
const InspectionStatus = z.enum(['pending', 'partially_inspected', 'inspected']);
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const ReceiptView = z.object({
  id: z.number().int(), number: z.string(), kind: Kind,
  purchaseOrder: z.number().int().nullable(), purchaseOrderNumber: z.string().nullable(),
  partner: z.string().describe('Supplier code, or the customer code of a customer return'), partnerName: z.string(),
  warehouse: z.string(), reason: z.string().nullable(), inspectionStatus: InspectionStatus, createdBy: z.number().int(), createdAt: z.string(),
  lines: z.array(z.object({
    line: z.number().int(), orderLine: z.number().int().nullable(), sku: z.string(), name: z.string(), unit: z.string(), quantity: z.number(),
    lot: z.string().nullable(), expiresOn: z.string().nullable(), unitCost: z.number().nullable(),
    accepted: z.number(), rejected: z.number(), uninspected: z.number(),
  })),
  inspections: z.array(z.object({
    id: z.number().int(), number: z.string(), createdBy: z.number().int(), createdAt: z.string(),
    lines: z.array(z.object({ line: z.number().int(), accepted: z.number(), rejected: z.number(), reason: z.string().nullable() })),
  })),
  moves: z.array(MoveView).describe('Into Input on receipt, then to Stock or Rejected on inspection'),
});

export const receiptRoutes = [
  defineRoute({
    method: 'POST', path: '/receipts', tag: 'procurement',
    summary: 'Receive goods into the warehouse Input location: against an approved purchase order (lines name PO lines), or a customer return (lines name SKUs)',
    body: z.strictObject({
      purchaseOrder: Id.optional().describe('Id of an approved or partially received purchase order'),
      customer: Code.optional().describe('Customer partner code, for a return without a purchase order'),
      warehouse: Code.optional().describe('Required for a customer return; for a PO receipt, if given, the order\'s warehouse'),
      reason: Reason.optional(),
      lines: z.array(z.strictObject({
        line: LineNo.optional().describe('PO line number (PO receipts)'),
        sku: Sku.optional().describe('Item (customer returns); on a PO receipt it must match the PO line'),
        quantity: Quantity,
        lot: LotCode.optional().describe('Lot or serial number; required for tracked items'),
        expiresOn: DateText.optional(),
      })).min(1, 'at least one line').max(1000, 'at most 1000 lines'),
    }),
    responses: { 201: { description: 'Posted', schema: ReceiptView } },
    handler: ({ ctx, body }) => postReceipt(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/receipts', tag: 'procurement', summary: 'List receipts, newest first; q searches the GR or PO number and the partner code and name',
    query: z.strictObject({
      kind: Kind.optional(), inspectionStatus: InspectionStatus.optional(),
      partner: Code.optional().describe('Supplier or customer code'), supplier: Code.optional().describe('Supplier code: receipts against its purchase orders'), warehouse: Code.optional(),
      purchaseOrder: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(), from: DateFrom, to: DateTo,
      q: z.string().trim().max(100).optional(), after: Cursor, limit: Limit,
    }),
    responses: { 200: { description: 'A page of receipts', schema: z.object({ items: z.array(ReceiptView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listReceipts(ctx, { ...query, q: query.q || undefined }) }),
  }),
  defineRoute({
    method: 'GET', path: '/receipts/{id}', tag: 'procurement', summary: 'Get a receipt with its inspections and moves', params: IdParams,
    responses: { 200: { description: 'The receipt', schema: ReceiptView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getReceipt(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/receipts/{id}/pdf', tag: 'procurement', summary: 'The receipt as a printable PDF, with lots and inspection results', params: IdParams,
    responses: pdfResponse,
    handler: ({ ctx, params }) => receiptPdf(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', path: '/receipts/{id}/inspect', tag: 'procurement',
    summary: 'Inspect received lines: accepted quantities move from Input to Stock, rejected ones to Rejected (never more than is uninspected: 422)',
    params: IdParams,
    body: z.strictObject({
      lines: z.array(z.strictObject({
        line: LineNo.describe('Receipt line number'),
        accept: Quantity.optional().describe('Quantity accepted (default 0)'),
        reject: Quantity.optional().describe('Quantity rejected (default 0)'),
        reason: Reason.optional().describe('Why it was rejected'),
      })).min(1, 'at least one line').max(1000, 'at most 1000 lines'),
    }),
    responses: { 201: { description: 'Inspection posted; the receipt with it', schema: ReceiptView } },
    handler: ({ ctx, params, body }) => inspectReceipt(ctx, params.id, body),
  }),
];
