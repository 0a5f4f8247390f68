import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { Code, Sku } from '../../http/schemas.js';
import { availableToPromise } from './atp.js';

const DatedQuantity = z.object({ date: z.string().nullable(), quantity: z.number() });

export const atpRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/available-to-promise', tag: 'stock',
    summary: 'What of one item can be promised from one warehouse today and on which later dates (available now plus open purchase orders and transfers in transit)',
    query: z.strictObject({
      sku: Sku,
      warehouse: Code,
      quantity: z.string().trim().min(1, 'must not be empty').max(40, 'at most 40 characters').optional()
        .describe('Quantity wanted: the answer then says from which date it can be promised; exact to the unit precision of the item'),
    }),
    responses: {
      200: {
        description: 'Available now, dated incoming supply, cumulative promisable quantity by date, and the promise date of `quantity` if given',
        schema: z.object({
          sku: z.string(), warehouse: z.string(), asOf: z.string().describe("Today's date (UTC) the answer is computed for"),
          today: z.number().describe('Available now: on hand minus reserved in stock, zones and bins, expired lots left out'),
          unavailable: z.object({ inspection: z.number(), rejected: z.number(), expired: z.number() }).describe('On hand but not promisable'),
          supply: z.array(z.object({ date: z.string().nullable(), quantity: z.number(), source: z.string(), document: z.string() })),
          timeline: z.array(DatedQuantity).describe('Cumulative promisable quantity by date, from today; a last point with date null adds late and undated supply'),
          quantity: z.number().optional(),
          promiseDate: z.string().nullable().optional().describe('With `quantity`: the first date it is covered; null if not within dated supply'),
        }),
      },
    },
    handler: async ({ ctx, query }) => ({ status: 200, body: await availableToPromise(ctx, query) }),
  }),
];
