import { z } from 'zod';
import { Code, Cursor, Limit } from '../../http/schemas.js';
import { ShipmentStatus } from '../shipping/schemas.js';

/** HTTP shapes of the order-driven logistics view. */
export const STAGES = ['draft', 'backordered', 'reserved', 'picking', 'packed', 'shipped', 'in_transit', 'delivered', 'exception', 'cancelled'] as const;
export type Stage = (typeof STAGES)[number];
export const StageSchema = z.enum(STAGES);

export const LogisticsQuery = z.strictObject({
  stage: StageSchema.optional().describe('Cancelled orders are listed only with stage=cancelled'),
  late: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional()
    .describe('Promise date passed without delivery, or delivered after it'),
  warehouse: Code.optional().describe('Warehouse code, matched exactly'),
  customer: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters').optional().describe('Part of the customer name, any case'),
  after: Cursor,
  limit: Limit,
});
export type LogisticsFilter = z.infer<typeof LogisticsQuery>;

export const LogisticsOrder = z.object({
  id: z.number().int(), number: z.string(), customer: z.string(), warehouse: z.string(),
  orderStatus: z.enum(['draft', 'confirmed', 'partially_shipped', 'shipped', 'cancelled']), stage: StageSchema,
  partiallyShipped: z.boolean().describe('Some of the order has shipped, the stage is where the rest stands'),
  promisedOn: z.string().nullable(), confirmedAt: z.string().nullable(), shippedAt: z.string().nullable(), deliveredAt: z.string().nullable(),
  onTime: z.boolean().nullable(), late: z.boolean(),
  shipments: z.array(z.object({
    number: z.string(), carrier: z.string().nullable(), trackingNumber: z.string().nullable(), status: ShipmentStatus,
    promisedOn: z.string().nullable(), shippedAt: z.string().nullable(), deliveredOn: z.string().nullable(), onTime: z.boolean().nullable(),
  })),
  lines: z.array(z.object({
    line: z.number().int(), sku: z.string(), quantity: z.number(), cancelled: z.number(), reserved: z.number(), picked: z.number(),
    packed: z.number(), shipped: z.number(), backordered: z.number(),
  })),
});
export const LogisticsPage = z.object({ items: z.array(LogisticsOrder), next: z.string().optional() });
