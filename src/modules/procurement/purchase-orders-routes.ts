import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, DateText, IdParams, Limit, Money, Quantity, Sku } from '../../http/schemas.js';
import { approvePurchaseOrder, cancelPurchaseOrder, closePurchaseOrder, createPurchaseOrder, rejectPurchaseOrder, submitPurchaseOrder, updatePurchaseOrder } from './purchase-orders-service.js';
import { getPurchaseOrder, listPurchaseOrders } from './purchase-orders-view.js';
import { purchaseOrderPdf } from './purchase-orders-pdf.js';
import { DateFrom, DateTo, MoveView, NoBody, Notes, pdfResponse, Reason } from './schemas.js';

const Status = z.enum(['draft', 'submitted', 'approved', 'partially_received', 'received', 'closed', 'cancelled']);
const OrderLine = z.strictObject({
  sku: Sku,
  quantity: Quantity,
  unitPrice: Money.describe('Price per unit; values the stock received against this line'),
  expectedOn: DateText.optional().describe('When this line is expected, if not the order date'),
});
const OrderLines = z.array(OrderLine).min(1, 'at least one line').max(500, 'at most 500 lines');
const DocumentRef = z.object({ id: z.number().int(), number: z.string(), createdAt: z.string() });
const PurchaseOrderView = z.object({
  id: z.number().int(), number: z.string(), status: Status, supplier: z.string(), supplierName: z.string(), warehouse: z.string(),
  expectedOn: z.string().nullable(), notes: z.string().nullable(), total: z.number(), autoApproved: z.boolean(),
  lines: z.array(z.object({
    line: z.number().int(), sku: z.string(), name: z.string(), unit: z.string(), quantity: z.number(), unitPrice: z.number(), amount: z.number(),
    expectedOn: z.string().nullable(), received: z.number(), remaining: z.number().describe('Still expected (0 unless the order is approved or partially received)'),
  })),
  receipts: z.array(DocumentRef), supplierReturns: z.array(DocumentRef),
  createdBy: z.number().int(), createdAt: z.string(), updatedAt: z.string(),
  submittedBy: z.number().int().nullable(), submittedAt: z.string().nullable(),
  approvedBy: z.number().int().nullable(), approvedAt: z.string().nullable(),
  rejectedBy: z.number().int().nullable(), rejectedAt: z.string().nullable(), rejectionReason: z.string().nullable(),
  approval: z.object({ id: z.number().int(), status: z.string(), rejectionReason: z.string().nullable() }).nullable().describe('The latest approval flow run (GET /approvals/{id}); null when no flow applied'),
  receivedAt: z.string().nullable(), closedAt: z.string().nullable(), cancelledAt: z.string().nullable(),
  moves: z.array(MoveView).describe('Moves of the receipts against this order and of the supplier returns tied to it'),
});
const WithReason = z.strictObject({ reason: Reason.optional() }).optional();

const action = (path: string, summary: string, run: typeof submitPurchaseOrder) =>
  defineRoute({
    method: 'POST', path: `/purchase-orders/{id}/${path}`, tag: 'procurement', summary, params: IdParams, body: NoBody,
    responses: { 200: { description: 'The order', schema: PurchaseOrderView } },
    handler: ({ ctx, params }) => run(ctx, params.id),
  });

export const purchaseOrderRoutes = [
  defineRoute({
    method: 'POST', path: '/purchase-orders', tag: 'procurement', summary: 'Create a draft purchase order for a supplier',
    body: z.strictObject({ supplier: Code.describe('Partner code of a supplier (kind supplier or both)'), warehouse: Code, expectedOn: DateText.optional(), notes: Notes.optional(), lines: OrderLines }),
    responses: { 201: { description: 'Created as draft', schema: PurchaseOrderView } },
    handler: ({ ctx, body }) => createPurchaseOrder(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/purchase-orders', tag: 'procurement', summary: 'List purchase orders, newest first; q searches the PO number and the supplier code and name',
    query: z.strictObject({ status: Status.optional(), supplier: Code.optional(), warehouse: Code.optional(), from: DateFrom, to: DateTo, q: z.string().trim().max(100).optional(), after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of orders', schema: z.object({ items: z.array(PurchaseOrderView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listPurchaseOrders(ctx, { ...query, q: query.q || undefined }) }),
  }),
  defineRoute({
    method: 'GET', path: '/purchase-orders/{id}', tag: 'procurement', summary: 'Get a purchase order with its receipts, returns and their moves', params: IdParams,
    responses: { 200: { description: 'The order', schema: PurchaseOrderView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getPurchaseOrder(ctx, params.id) }),
  }),
  defineRoute({
    method: 'GET', path: '/purchase-orders/{id}/pdf', tag: 'procurement', summary: 'The purchase order as a printable PDF', params: IdParams,
    responses: pdfResponse,
    handler: ({ ctx, params }) => purchaseOrderPdf(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH', path: '/purchase-orders/{id}', tag: 'procurement', summary: 'Change a draft order (409 once submitted); `lines` replaces every line', params: IdParams,
    body: z.strictObject({ supplier: Code.optional(), warehouse: Code.optional(), expectedOn: DateText.nullable().optional(), notes: Notes.nullable().optional(), lines: OrderLines.optional() }),
    responses: { 200: { description: 'The order', schema: PurchaseOrderView } },
    handler: ({ ctx, params, body }) => updatePurchaseOrder(ctx, params.id, body),
  }),
  action('submit', 'Submit a draft: a matching approval flow decides it (docs/approvals.md); else approved at once at or below the approval threshold, else waits for approval', submitPurchaseOrder),
  action('approve', 'Approve a submitted order (purchase.approve; not its author: 403; 409 while an approval flow runs)', approvePurchaseOrder),
  defineRoute({
    method: 'POST', path: '/purchase-orders/{id}/reject', tag: 'procurement', summary: 'Send a submitted order back to draft with a reason (purchase.approve)', params: IdParams,
    body: z.strictObject({ reason: Reason }),
    responses: { 200: { description: 'Back to draft', schema: PurchaseOrderView } },
    handler: ({ ctx, params, body }) => rejectPurchaseOrder(ctx, params.id, body.reason),
  }),
  defineRoute({
    method: 'POST', path: '/purchase-orders/{id}/cancel', tag: 'procurement', summary: 'Cancel a draft, submitted or approved order (409 after any receipt)', params: IdParams, body: WithReason,
    responses: { 200: { description: 'Cancelled', schema: PurchaseOrderView } },
    handler: ({ ctx, params, body }) => cancelPurchaseOrder(ctx, params.id, body?.reason),
  }),
  defineRoute({
    method: 'POST', path: '/purchase-orders/{id}/close', tag: 'procurement', summary: 'End an approved or partially received order short: the rest is no longer expected', params: IdParams, body: WithReason,
    responses: { 200: { description: 'Closed', schema: PurchaseOrderView } },
    handler: ({ ctx, params, body }) => closePurchaseOrder(ctx, params.id, body?.reason),
  }),
];
