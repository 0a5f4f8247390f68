import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, IdParams, LocationCode, Name, Sku } from '../../http/schemas.js';
import { createPutawayRule, deletePutawayRule, listPutawayRules, suggestPutaway } from './putaway-rules.js';

const RuleView = z.object({
  id: z.number().int(), warehouse: z.string(), item: z.string().nullable(), category: z.string().nullable(), location: z.string(), priority: z.number().int(), createdAt: z.string(),
});

export const putawayRoutes = [
  defineRoute({
    method: 'POST', path: '/putaway-rules', tag: 'warehouse moves', summary: 'Add a put-away rule: an item or a category goes to a zone or bin',
    body: z.strictObject({
      warehouse: Code,
      item: Sku.optional().describe('SKU; name exactly one of item and category'),
      category: Name.optional().describe('Item category (compared without case); name exactly one of item and category'),
      location: LocationCode.describe('Full code of a zone or bin of the warehouse'),
      priority: z.number().int().min(0).max(1_000_000).optional().describe('Lower is tried first; 100 by default'),
    }),
    responses: { 201: { description: 'Created', schema: RuleView } },
    handler: ({ ctx, body }) => createPutawayRule(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/putaway-rules', tag: 'warehouse moves', summary: 'List put-away rules by warehouse and priority',
    query: z.strictObject({ warehouse: Code.optional(), item: Sku.optional(), category: Name.optional() }),
    responses: { 200: { description: 'Rules', schema: z.object({ items: z.array(RuleView) }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listPutawayRules(ctx, query) }),
  }),
  defineRoute({
    method: 'DELETE', path: '/putaway-rules/{id}', tag: 'warehouse moves', summary: 'Delete a put-away rule', params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    handler: ({ ctx, params }) => deletePutawayRule(ctx, params.id),
  }),
  defineRoute({
    method: 'GET', path: '/putaway-suggestions', tag: 'warehouse moves',
    summary: 'Where to put an item away: item rule, else category rule, else a bin already holding it, else the stock location',
    query: z.strictObject({
      warehouse: Code,
      item: Sku.describe('SKU or barcode'),
      quantity: z.string().trim().min(1).max(40).optional().describe('Quantity to put away, exact to the unit precision'),
    }),
    responses: {
      200: {
        description: 'The suggested location and the rule that chose it',
        schema: z.object({
          warehouse: z.string(), item: z.string(), quantity: z.number().nullable(), location: z.string(),
          source: z.enum(['item-rule', 'category-rule', 'existing-bin', 'stock-location']), rule: RuleView.nullable(),
        }),
      },
    },
    handler: async ({ ctx, query }) => ({ status: 200, body: await suggestPutaway(ctx, query) }),
  }),
];
