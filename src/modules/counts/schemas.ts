import { z } from 'zod';
import { Code, LocationCode, LotCode, Quantity, Sku } from '../../http/schemas.js';

/** HTTP shapes of the counts module: request bodies (validated) and views (documented). */
const Abc = z.enum(['A', 'B', 'C']);
export const Status = z.enum(['draft', 'in_progress', 'counted', 'approved', 'posted', 'cancelled']);

export const Scope = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('full') }),
  z.strictObject({ type: z.literal('zone'), locations: z.array(LocationCode).min(1, 'at least one location').max(200, 'at most 200 locations').describe('Codes of the stock location, zones or bins; everything below them is counted') }),
  z.strictObject({ type: z.literal('items'), skus: z.array(Sku).min(1, 'at least one sku').max(1000, 'at most 1000 skus') }),
  z.strictObject({ type: z.literal('abc'), classes: z.array(Abc).min(1, 'at least one class').max(3) }),
]);

export const CreateBody = z.strictObject({
  warehouse: Code,
  scope: Scope,
  blind: z.boolean().optional().describe('Counters do not see book quantities; default true'),
  note: z.string().trim().min(1).max(500).optional(),
});

export const EntriesBody = z.strictObject({
  entries: z
    .array(
      z.strictObject({
        location: LocationCode.describe('Code of the stock location, zone or bin counted'),
        item: Sku.describe('SKU or barcode'),
        lot: LotCode.optional().describe('Lot or serial number; required for tracked items'),
        quantity: Quantity.describe('Counted quantity (>= 0); entering a line again replaces it'),
      }),
    )
    .min(1, 'at least one entry')
    .max(1000, 'at most 1000 entries'),
});

export const SubmitBody = z.strictObject({ uncounted: z.enum(['zero', 'exclude']).optional().describe('Lines not counted: counted as zero (default) or excluded (not for full counts)') }).optional();
export const RejectBody = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(500) });
export const PostBody = z.strictObject({ reasonCode: Code.optional().describe("Reason recorded with the posting; default 'count'") }).optional();
/** Actions take no body; an empty JSON object is accepted too. */
export const NoBody = z.strictObject({}).optional();

const when = z.string().nullable();
const who = z.number().int().nullable();
export const CountSummary = z.object({
  id: z.number().int(), number: z.string(), warehouse: z.string(), scope: Scope, blind: z.boolean(), note: z.string().nullable(),
  status: Status, bookVisible: z.boolean().describe('False for a blind count seen without count.approve: book quantities are null'),
  approvalRequired: z.boolean(), varianceValue: z.number().nullable().describe('Total absolute variance value, from submit on'),
  uncounted: z.enum(['zero', 'exclude']).nullable(), reasonCode: z.string().nullable(),
  accuracy: z.object({ lines: z.number().int(), accurateLines: z.number().int(), linePercent: z.number(), valuePercent: z.number() }).nullable(),
  createdAt: z.string(), createdBy: z.number().int(), startedAt: when, startedBy: who, submittedAt: when, submittedBy: who,
  approvedAt: when, approvedBy: who, rejectedAt: when, rejectedBy: who, rejectionReason: z.string().nullable(),
  postedAt: when, postedBy: who, cancelledAt: when, cancelledBy: who,
});
const LineState = z.enum(['pending', 'counted', 'zeroed', 'excluded']);
export const CountView = CountSummary.extend({
  lines: z.array(z.object({
    line: z.number().int(), location: z.string(), sku: z.string(), name: z.string(), unit: z.string(), lot: z.string().nullable(),
    found: z.boolean(), state: LineState, counted: z.number().nullable(), countedAt: when, countedBy: who, unitCost: z.number(),
    snapshot: z.number().nullable(), book: z.number().nullable(), variance: z.number().nullable(),
  })),
  entries: z.array(z.object({ id: z.number().int(), line: z.number().int(), quantity: z.number(), book: z.number().nullable(), enteredBy: z.number().int(), enteredAt: z.string() })),
  moves: z.array(z.object({ id: z.number().int(), sku: z.string(), from: z.string(), to: z.string(), quantity: z.number(), lot: z.string().nullable(), value: z.number().nullable() })),
});
export const EntriesResult = z.object({
  id: z.number().int(), number: z.string(), status: Status,
  entries: z.array(z.object({ line: z.number().int(), location: z.string(), sku: z.string(), lot: z.string().nullable(), counted: z.number(), found: z.boolean() })),
  progress: z.object({ lines: z.number().int(), counted: z.number().int() }),
});
export const VarianceReport = z.object({
  id: z.number().int(), number: z.string(), status: Status, approvalThreshold: z.number(), approvalRequired: z.boolean(),
  lines: z.array(z.object({
    line: z.number().int(), location: z.string(), sku: z.string(), name: z.string(), lot: z.string().nullable(), found: z.boolean(), state: LineState,
    snapshot: z.number(), book: z.number().nullable(), counted: z.number().nullable(), variance: z.number().nullable(), unitCost: z.number(),
    varianceValue: z.number().nullable(), kind: z.enum(['gain', 'loss', 'none']).nullable(),
  })),
  totals: z.object({
    lines: z.number().int(), pending: z.number().int(), excluded: z.number().int(), accurate: z.number().int(), gainLines: z.number().int(), lossLines: z.number().int(),
    bookValue: z.number(), gainValue: z.number(), lossValue: z.number(), netValue: z.number(), absoluteValue: z.number(),
  }),
  accuracy: z.object({ linePercent: z.number(), valuePercent: z.number() }),
});
export const AbcReport = z.object({
  warehouse: z.string(), totalValue: z.number(), rule: z.object({ aUpToPercent: z.number(), bUpToPercent: z.number() }),
  classes: z.array(z.object({ class: Abc, items: z.number().int(), value: z.number(), sharePercent: z.number() })),
  items: z.array(z.object({ sku: z.string(), name: z.string(), quantity: z.number(), unitCost: z.number(), value: z.number(), sharePercent: z.number(), cumulativePercent: z.number(), class: Abc })),
});
