import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code } from '../../http/schemas.js';
import { dashboard } from './service.js';

const Counts = z.record(z.string(), z.number().int());
const DashboardView = z.object({
  warehouse: z.string().nullable(),
  itemCount: z.number().int(),
  skusInStock: z.number().int(),
  stockValue: z.number().nullable().describe('null for roles without report.view_cost'),
  warehouses: z.array(z.object({ code: z.string(), name: z.string(), skus: z.number().int(), onHand: z.number(), value: z.number().nullable() })),
  lowStockAt: z.number(),
  lowStock: z.array(z.object({
    sku: z.string(), name: z.string(), unit: z.string(), onHand: z.number(), available: z.number(),
    // Only on rows of items with reorder settings (rows of other items keep the shape above).
    reorderPoint: z.number().nullable().optional().describe('The item\'s reorder point; low when available <= it (items without one: lowStockAt)'),
    safetyStock: z.number().nullable().optional(),
    reorderQuantity: z.number().nullable().optional(),
    suggestedQuantity: z.number().nullable().optional().describe('reorderQuantity, else reorderPoint - available'),
    critical: z.boolean().optional().describe('available is below the safety stock'),
  })),
  lowStockCount: z.number().int(),
  expiringDays: z.number().int(),
  expiring: z.array(z.object({ sku: z.string(), name: z.string(), warehouse: z.string(), lot: z.string(), expiresOn: z.string(), daysLeft: z.number().int(), onHand: z.number() })),
  salesOrders: Counts,
  purchaseOrders: Counts,
  trend: z.array(z.object({ date: z.string(), inbound: z.number(), outbound: z.number(), inboundMoves: z.number().int(), outboundMoves: z.number().int() })),
});

export const dashboardRoutes = [
  defineRoute({
    method: 'GET', path: '/dashboard', tag: 'dashboard',
    summary: 'Stock value, SKUs in stock, stock per warehouse, low-stock and expiring items, orders by status, inbound/outbound per day',
    query: z.strictObject({
      warehouse: Code.optional(),
      lowStockAt: z.coerce.number().min(0).max(1e12).default(0).describe('Items without a reorder point: available at or below this is low (default 0)'),
      expiringDays: z.coerce.number().int().min(0).max(3650).default(30),
      trendDays: z.coerce.number().int().min(1).max(366).default(30),
      top: z.coerce.number().int().min(1).max(100).default(10),
    }),
    responses: { 200: { description: 'The dashboard figures', schema: DashboardView } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await dashboard(ctx, query) }),
  }),
];
