import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, DateText, Limit, LocationCode, LotCode, Sku } from '../../http/schemas.js';
import { moveHistory, stockLevels } from './service.js';
import { stockSummary } from './summary.js';

const StockRow = z.object({
  sku: z.string(), warehouse: z.string(), location: z.string(), lot: z.string().nullable(), expiresOn: z.string().nullable(),
  onHand: z.number(), reserved: z.number(), available: z.number(),
});
const MoveRow = z.object({
  id: z.number().int(), sku: z.string(), from: z.string(), to: z.string(), quantity: z.number(), lot: z.string().nullable(),
  document: z.string(), documentType: z.string(), documentId: z.number().int(), unitCost: z.number().nullable(), value: z.number().nullable(), postedAt: z.string(),
});

/** A real calendar date (2025-02-30 is refused, not rolled over into March). */
const CalendarDate = DateText.refine((d) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return true; // the format error is DateText's, reported once
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
}, 'is not a calendar date');

export const stockRoutes = [
  defineRoute({
    method: 'GET', path: '/stock', tag: 'stock', summary: 'Balances of physical locations: on hand, reserved, available',
    query: z.strictObject({ sku: Sku.optional(), warehouse: Code.optional(), nonZero: z.enum(['true', 'false']).optional() }),
    responses: { 200: { description: 'Matching balances', schema: z.object({ items: z.array(StockRow) }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await stockLevels(ctx, { sku: query.sku, warehouse: query.warehouse, nonZero: query.nonZero === 'true' }) }),
  }),
  defineRoute({
    method: 'GET', path: '/stock/summary', tag: 'stock', summary: 'Per item and warehouse: on hand, reserved, available and incoming (open purchase orders, transfers in transit)',
    query: z.strictObject({ sku: Sku.optional(), warehouse: Code.optional() }),
    responses: {
      200: {
        description: 'One row per item and warehouse',
        schema: z.object({ items: z.array(z.object({ sku: z.string(), warehouse: z.string(), onHand: z.number(), reserved: z.number(), available: z.number(), unavailable: z.number(), incoming: z.number(), nextIncomingOn: z.string().nullable() })) }),
      },
    },
    handler: async ({ ctx, query }) => ({ status: 200, body: await stockSummary(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/moves', tag: 'stock', summary: 'Moves in posting order, optionally narrowed (filters combine); pass `next` back as `after` for the next page',
    query: z.strictObject({
      sku: Sku.optional().describe('Moves of this item (an unknown SKU gives an empty list)'),
      warehouse: Code.optional().describe('Warehouse code: moves from or into any of its locations (unknown: 422; outside your warehouses: 403)'),
      location: LocationCode.optional().describe('Full location code (WH1/Stock/A-01): moves from or into exactly this location, not its sub-locations (unknown: 422)'),
      lot: LotCode.optional().describe('Lot or serial number; with `sku`, that item\'s lot (unknown: 422)'),
      from: CalendarDate.optional().describe('Posted on or after this date (UTC, YYYY-MM-DD)'),
      to: CalendarDate.optional().describe('Posted on or before this date (UTC, YYYY-MM-DD)'),
      after: Cursor,
      limit: Limit,
    }),
    responses: { 200: { description: 'A page of moves', schema: z.object({ items: z.array(MoveRow), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await moveHistory(ctx, query) }),
  }),
];
