import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { Cursor, Limit } from '../../http/schemas.js';
import { EVENT_PATTERN, FeedEventSchema } from './model.js';
import { readFeed } from './feed.js';

const Types = z
  .string()
  .max(2000)
  .transform((s) => s.split(',').map((t) => t.trim()).filter((t) => t !== ''))
  .refine((list) => list.length <= 50 && list.every((t) => EVENT_PATTERN.test(t)), 'a comma-separated list of event types, prefixes (sales-order.*) or *')
  .optional();

export const eventRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/events', tag: 'events',
    summary: 'The change feed: events after a position, oldest first, no gaps and no duplicates; pass `next` back as `after`',
    query: z.strictObject({ after: Cursor.describe('A feed position (0 or absent: from the beginning)'), limit: Limit, types: Types.describe('Only these types (comma-separated; prefix.* allowed)') }),
    responses: { 200: { description: 'A page of events', schema: z.object({ items: z.array(FeedEventSchema), next: z.string() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await readFeed(ctx, query) }),
  }),
];
