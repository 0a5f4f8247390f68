import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Cursor, IdParams, Limit, Name, Quantity, Sku, Unit } from '../../http/schemas.js';
import { createItem, getItem, listItems, updateItem, ITEM_SORTS } from './service.js';

const Tracking = z.enum(['none', 'lot', 'serial']);
/** A reorder setting in the item's unit: >= 0, decimals up to the unit precision (checked by the service); null clears it. */
const ReorderSetting = (what: string) => Quantity.min(0, 'must be 0 or more').nullable().optional().describe(`${what}; exact to the unit precision, null clears`);
const ReorderFields = {
  reorderPoint: ReorderSetting('Reorder when available stock is at or below this'),
  safetyStock: ReorderSetting('Available stock below this is critical'),
  reorderQuantity: ReorderSetting('Quantity to order when the item reaches its reorder point'),
};
const ItemBody = z.strictObject({
  sku: Sku,
  name: Name,
  unit: Unit.describe('Unit of measure, e.g. pcs, kg, m'),
  unitPrecision: z.number().int().min(0).max(6).optional().describe('Decimals a quantity of this item may have (0-6, default 0)'),
  tracking: Tracking.optional(),
  barcode: z.string().trim().min(1).max(64).nullable().optional(),
  category: z.string().trim().min(1).max(64).nullable().optional(),
  ...ReorderFields,
});
const ItemPatch = z.strictObject({
  name: Name.optional(),
  unit: Unit.optional(),
  unitPrecision: z.number().int().min(0).max(6).optional(),
  tracking: Tracking.optional(),
  barcode: z.string().trim().min(1).max(64).nullable().optional(),
  category: z.string().trim().min(1).max(64).nullable().optional(),
  archived: z.boolean().optional(),
  ...ReorderFields,
});
const ItemView = z.object({
  id: z.number().int(), sku: z.string(), name: z.string(), unit: z.string(), unitPrecision: z.number().int(),
  tracking: Tracking, barcode: z.string().nullable(), category: z.string().nullable(), archived: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
  reorderPoint: z.number().nullable(), safetyStock: z.number().nullable(), reorderQuantity: z.number().nullable(),
});

export const itemRoutes = [
  defineRoute({
    method: 'POST', path: '/items', tag: 'items', summary: 'Create an item', body: ItemBody,
    responses: { 201: { description: 'Created', schema: ItemView } },
    handler: ({ ctx, body }) => createItem(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/items', tag: 'items', summary: 'List items (search by sku, name or barcode)',
    query: z
      .strictObject({
        q: z.string().trim().max(100).optional(), after: Cursor, limit: Limit, includeArchived: z.enum(['true', 'false']).optional(),
        tracking: Tracking.optional(), category: z.string().trim().min(1).max(64).optional(),
        sort: z.enum(ITEM_SORTS).optional().describe('Sort by a field (`-` for descending); pages by `offset` instead of `after`'),
        offset: z.coerce.number().int().min(0).max(10_000_000).optional().describe('Skip this many matches (with or without `sort`)'),
        total: z.enum(['true', 'false']).optional().describe('`true`: also answer `total`, the number of matches'),
      })
      .refine((q) => q.after === undefined || (q.sort === undefined && q.offset === undefined), { path: ['after'], message: 'after pages by id; use offset with sort' }),
    responses: { 200: { description: 'A page of items', schema: z.object({ items: z.array(ItemView), next: z.string().optional(), total: z.number().int().optional() }) } },
    handler: async ({ ctx, query }) => ({
      status: 200,
      body: await listItems(ctx, {
        q: query.q || undefined, after: query.after, limit: query.limit, includeArchived: query.includeArchived === 'true',
        tracking: query.tracking, category: query.category, sort: query.sort, offset: query.offset, withTotal: query.total === 'true',
      }),
    }),
  }),
  defineRoute({
    method: 'GET', path: '/items/{id}', tag: 'items', summary: 'Get an item', params: IdParams,
    responses: { 200: { description: 'The item', schema: ItemView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getItem(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/items/{id}', tag: 'items', summary: 'Update an item (unit, precision and tracking only before it has moves)', params: IdParams, body: ItemPatch,
    responses: { 200: { description: 'Updated', schema: ItemView } },
    handler: ({ ctx, params, body }) => updateItem(ctx, params.id, body),
  }),
];
