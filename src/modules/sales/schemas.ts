import { z } from 'zod';
import { Code, Cursor, DateText, Limit, Money, Name, Quantity, Sku } from '../../http/schemas.js';
import { OrderShipment } from '../shipping/schemas.js';

/** HTTP shapes of sales orders (docs/sales-orders.md). */
export const SalesOrderStatus = z.enum(['draft', 'confirmed', 'partially_shipped', 'shipped', 'cancelled']);

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
const Priority = z.number().int('must be a whole number').min(1, 'from 1 (most urgent)').max(9, 'to 9 (least urgent)').describe('1 (most urgent) .. 9 (least urgent); default 5');
const DiscountPercent = z.number().finite().min(0, 'must be 0 or more').max(100, 'at most 100').describe('0..100, up to 4 decimals');
const RequestedOn = DateText.describe('Requested delivery date (YYYY-MM-DD), today or later');

const LineFields = {
  sku: Sku,
  quantity: Quantity,
  warehouse: Code.optional().describe("Warehouse code that serves this line; default the order's"),
  unitPrice: Money.optional().describe('Net unit price before discount, up to 6 decimals'),
  discountPercent: DiscountPercent.optional(),
  requestedOn: RequestedOn.optional(),
};
export const OrderLineBody = z.strictObject(LineFields);
const Lines = z.array(OrderLineBody).min(1, 'at least one line').max(500, 'at most 500 lines');

export const CreateOrderBody = z
  .strictObject({
    customer: Name.describe('Customer: a partner code (kind customer or both) links the order to that partner; any other text is kept as is').optional(),
    partner: Code.optional().describe('Partner code (customer or both); must exist. `customer` defaults to its name'),
    warehouse: Code,
    priority: Priority.optional(),
    requestedOn: RequestedOn.optional(),
    allowBackorder: z.boolean().optional().describe('Confirm reserves what is there and backorders the rest (default false: all or nothing)'),
    reference: text(100).optional().describe("The customer's reference (their PO number)"),
    note: text(2000).optional(),
    lines: Lines,
  })
  .refine((b) => b.customer !== undefined || b.partner !== undefined, { message: 'name the customer (or the partner)', path: ['customer'] });
export type CreateOrderInput = z.infer<typeof CreateOrderBody>;

export const UpdateOrderBody = z.strictObject({
  customer: Name.optional(),
  partner: Code.nullable().optional().describe('null unlinks the partner'),
  warehouse: Code.optional(),
  priority: Priority.optional(),
  requestedOn: RequestedOn.nullable().optional(),
  allowBackorder: z.boolean().optional(),
  reference: text(100).nullable().optional(),
  note: text(2000).nullable().optional(),
  lines: Lines.optional().describe('Drafts only: replaces every line'),
});
export type UpdateOrderInput = z.infer<typeof UpdateOrderBody>;

export const CancelLineBody = z.strictObject({ quantity: Quantity.optional().describe('How much of the unshipped rest to cancel; default all of it') }).optional();

export const LineParams = z.strictObject({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  line: z.coerce.number().int().positive().max(100_000),
});

export const ListQuery = z.strictObject({
  status: SalesOrderStatus.optional(),
  customer: z.string().trim().min(1).max(200).optional().describe('Part of the customer text, or a partner code (exact)'),
  warehouse: Code.optional().describe("Orders with a line served by this warehouse (or it is the order's)"),
  backordered: z.enum(['true', 'false']).optional().describe('true: only confirmed / partially shipped orders with a backordered line'),
  after: Cursor,
  limit: Limit,
});

const Amount = z.number().nullable();
export const SalesOrderLineView = z.object({
  line: z.number().int(), sku: z.string(), warehouse: z.string(),
  quantity: z.number(), reserved: z.number(), shipped: z.number(), cancelled: z.number(),
  open: z.number().describe('quantity − cancelled − shipped'), backordered: z.number().describe('open − reserved (confirmed orders)'),
  unitPrice: Amount, discountPercent: z.number(), amount: Amount.describe('(quantity − cancelled) × unitPrice × (1 − discount/100), rounded half away from zero to 6 decimals'),
  requestedOn: z.string().nullable(), promisedOn: z.string().nullable(),
});
export const SalesOrderView = z.object({
  id: z.number().int(), number: z.string(), status: SalesOrderStatus, customer: z.string(),
  partner: z.object({ id: z.number().int(), code: z.string(), name: z.string(), minShelfLifeDays: z.number().int().nullable() }).nullable(),
  warehouse: z.string(), priority: z.number().int(), requestedOn: z.string().nullable(), allowBackorder: z.boolean(),
  reference: z.string().nullable(), note: z.string().nullable(),
  lockedFrom: z.string().nullable().describe('When sales changes stop (requested date minus the lock period); null: no requested date'),
  locked: z.boolean(),
  lines: z.array(SalesOrderLineView),
  totals: z.object({ gross: z.number(), discount: z.number(), net: z.number(), backordered: z.number().int().describe('lines with a backorder') }),
  createdAt: z.string(), confirmedAt: z.string().nullable(), shippedAt: z.string().nullable(), cancelledAt: z.string().nullable(),
  shipments: z.array(OrderShipment),
});
