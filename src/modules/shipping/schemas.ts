import { z } from 'zod';
import { Code, Cursor, DateText, Limit, LotCode, Quantity } from '../../http/schemas.js';

/** HTTP shapes of shipments; the ship body is also the body of `POST /sales-orders/{id}/ship`. */
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const Carrier = text(64).describe('Carrier name as its webhook will name it (matched exactly), e.g. SF Express');
export const TrackingNumber = text(100);
const Measure = (unit: string, decimals: number) => z.number().finite().describe(`Greater than zero, in ${unit}, up to ${decimals} decimals`);

const Packages = z
  .array(
    z.strictObject({
      weightKg: Measure('kg', 3).optional(),
      lengthCm: Measure('cm', 1).optional(),
      widthCm: Measure('cm', 1).optional(),
      heightCm: Measure('cm', 1).optional(),
      reference: text(100).optional(),
    }),
  )
  .max(200, 'at most 200 packages');
const CarrierFields = {
  carrier: Carrier.optional(),
  service: text(64).optional().describe('Carrier service level, e.g. express, economy'),
  trackingNumber: TrackingNumber.optional().describe('Needs a carrier; unique per carrier'),
  promisedOn: DateText.optional().describe("Delivery date promised to the customer; on-time is measured against it. Default: the earliest promise date of the shipment's order lines"),
};
export const ShipBody = z.strictObject({ ...CarrierFields, packages: Packages.optional() }).optional();
export type ShipInput = NonNullable<z.infer<typeof ShipBody>>;

/** Shipping a packed shipment: its packages were given when it was packed. */
export const ShipPackedBody = z.strictObject(CarrierFields).optional();
export type ShipPackedInput = NonNullable<z.infer<typeof ShipPackedBody>>;

export const PackBody = z.strictObject({
  order: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('Sales order id'),
  warehouse: Code.optional().describe('Pack only what was picked in this warehouse (needed when picks are in several)'),
  lines: z
    .array(z.strictObject({ line: z.number().int().positive().describe('Order line number'), quantity: Quantity, lot: LotCode.optional().describe('Only this lot or serial') }))
    .min(1, 'at least one line')
    .max(500, 'at most 500 lines')
    .optional()
    .describe('Omitted: everything picked and not packed'),
  packages: Packages.optional(),
});
export type PackInput = z.infer<typeof PackBody>;

export const ShipmentStatus = z.enum(['packed', 'shipped', 'in_transit', 'exception', 'delivered']);
export const EventStatus = z.enum(['in_transit', 'delivered', 'exception']);
const EventFields = {
  status: EventStatus,
  at: z.iso.datetime({ offset: true, message: 'must be an ISO timestamp, e.g. 2026-05-01T09:30:00+08:00' }).optional().describe('When it happened; now by default'),
  location: text(200).optional(),
  note: text(500).optional(),
};
export const EventBody = z.strictObject(EventFields);
export type EventInput = z.infer<typeof EventBody>;
export const TrackBody = z.strictObject({ carrier: Carrier, trackingNumber: TrackingNumber, ...EventFields });

export const ShipmentQuery = z.strictObject({
  status: ShipmentStatus.optional(),
  carrier: Carrier.optional(),
  q: z.string().trim().min(1).max(100).optional().describe('Part of the tracking number or customer, or the shipment number (SH-000012)'),
  after: Cursor,
  limit: Limit,
});

export const ShipmentSummary = z.object({
  id: z.number().int(), number: z.string(), status: ShipmentStatus, orderId: z.number().int(), order: z.string(),
  customer: z.string(), warehouse: z.string(), carrier: z.string().nullable(), service: z.string().nullable(),
  trackingNumber: z.string().nullable(), promisedOn: z.string().nullable(), packedAt: z.string().nullable(), shippedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(), deliveredOn: z.string().nullable(), onTime: z.boolean().nullable(),
});
export const ShipmentView = ShipmentSummary.extend({
  lines: z.array(z.object({ line: z.number().int(), sku: z.string(), name: z.string(), unit: z.string(), bin: z.string(), lot: z.string().nullable(), quantity: z.number(), taskId: z.number().int().nullable() })),
  packages: z.array(z.object({
    package: z.number().int(), weightKg: z.number().nullable(), lengthCm: z.number().nullable(), widthCm: z.number().nullable(),
    heightCm: z.number().nullable(), reference: z.string().nullable(),
  })),
  events: z.array(z.object({ id: z.number().int(), status: ShipmentStatus, at: z.string(), location: z.string().nullable(), note: z.string().nullable(), source: z.string(), recordedAt: z.string() })),
  moves: z.array(z.object({ id: z.number().int(), sku: z.string(), from: z.string(), to: z.string(), quantity: z.number(), lot: z.string().nullable() })),
});
/** What the sales order shows of its shipments. */
export const OrderShipment = z.object({ id: z.number().int(), number: z.string(), status: ShipmentStatus, carrier: z.string().nullable(), trackingNumber: z.string().nullable() });
