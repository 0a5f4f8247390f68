import { z } from 'zod';
import { Code, Cursor, DateText, Limit, LocationCode, LotCode, Quantity, Sku } from '../../http/schemas.js';

/** HTTP shapes of picking: waves, tasks, scans, short picks and count suggestions. */
export const WaveBody = z.strictObject({
  warehouse: Code,
  orders: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1, 'at least one order').max(500, 'at most 500 orders').optional()
    .describe('Sales order ids; omitted: confirmed orders with open reservations in the warehouse, by priority then age, up to limit'),
  limit: z.number().int().min(1).max(500).optional().describe('Orders taken when none are named; default 50'),
  note: z.string().trim().min(1).max(500).optional(),
});

export const ScanBody = z.strictObject({
  bin: LocationCode.describe('Code of the bin as scanned'),
  item: Sku.describe('SKU or barcode as scanned'),
  lot: LotCode.optional().describe('Lot or serial number; required for tracked items'),
  quantity: Quantity.optional().describe('Default 1; a serial is always 1'),
});

export const ShortBody = z.strictObject({
  found: Quantity.optional().describe('How much of what is left on the task was found and is taken now (default 0); the rest is missing'),
}).optional();

export const CancelWaveBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).optional().describe('Why the wave is cancelled; kept in the audit'),
}).optional();

export const ResolveBody = z.strictObject({
  found: Quantity.describe('How much of the missing quantity was found after all: back to the bin; the rest is written off'),
});

/** Orders a wave could be cut from (what `POST /pick-waves` takes when none are named), to choose from. */
export const CandidateQuery = z.strictObject({
  warehouse: Code,
  priority: z.coerce.number().int().min(1).max(9).optional().describe('Only orders this urgent or more: priority <= n (1 most urgent)'),
  requestedBy: DateText.optional().describe('Only orders requested on or before this date (YYYY-MM-DD); orders without a requested date are left out'),
  limit: z.coerce.number().int().min(1).max(500).default(200).describe('At most 500, what one wave takes'),
});
export const CandidateView = z.object({
  id: z.number().int(), number: z.string(), customer: z.string(), status: z.enum(['confirmed', 'partially_shipped']),
  priority: z.number().int(), requestedOn: z.string().nullable(), createdAt: z.string(),
  lines: z.number().int().describe('Order lines with stock waiting for a wave here'),
  tasks: z.number().int().describe('Pick tasks the order would add to a wave (open reservations here without a task)'),
  skus: z.array(z.string()),
});

export const WaveQuery = z.strictObject({ status: z.enum(['open', 'done', 'cancelled']).optional(), warehouse: Code.optional(), after: Cursor, limit: Limit });
export const SuggestionQuery = z.strictObject({ status: z.enum(['open', 'counting', 'resolved']).optional(), warehouse: Code.optional(), after: Cursor, limit: Limit });

export const TaskView = z.object({
  id: z.number().int(), number: z.string(), wave: z.string(), waveId: z.number().int(), warehouseId: z.number().int(), seq: z.number().int(),
  orderId: z.number().int(), order: z.string(), customer: z.string(), line: z.number().int(), bin: z.string(), sku: z.string(),
  name: z.string(), unit: z.string(), tracking: z.enum(['none', 'lot', 'serial']), lot: z.string().nullable(), expiresOn: z.string().nullable(),
  quantity: z.number(), picked: z.number(), short: z.number(), packed: z.number(), remaining: z.number(),
  status: z.enum(['open', 'done', 'closed']), updatedAt: z.string(),
});
export const WaveView = z.object({
  id: z.number().int(), number: z.string(), warehouse: z.string(), warehouseId: z.number().int(), status: z.enum(['open', 'done', 'cancelled']), note: z.string().nullable(),
  createdBy: z.number().int(), createdAt: z.string(), completedAt: z.string().nullable(), orders: z.array(z.string()),
  progress: z.object({ tasks: z.number().int(), open: z.number().int(), done: z.number().int(), closed: z.number().int() }),
  tasks: z.array(TaskView),
});
export const WaveSummary = z.object({
  id: z.number().int(), number: z.string(), warehouse: z.string(), status: z.enum(['open', 'done', 'cancelled']), note: z.string().nullable(),
  createdAt: z.string(), completedAt: z.string().nullable(), tasks: z.number().int(), openTasks: z.number().int(),
});
export const SuggestionView = z.object({
  id: z.number().int(), number: z.string(), status: z.enum(['open', 'counting', 'resolved']), warehouse: z.string(), warehouseId: z.number().int(), bin: z.string(),
  sku: z.string(), name: z.string(), lot: z.string().nullable(), missing: z.number(), heldAt: z.string(), task: z.string().nullable(),
  taskId: z.number().int().nullable(), countId: z.number().int().nullable(), found: z.number().nullable(), createdBy: z.number().int(),
  createdAt: z.string(), resolvedBy: z.number().int().nullable(), resolvedAt: z.string().nullable(),
});
export const ShortResult = z.object({
  task: TaskView, missing: z.number(), reReserved: z.number().describe('Of the missing quantity, reserved again from other stock'),
  backordered: z.number().describe('Of the missing quantity, left without stock'), countSuggestion: SuggestionView,
});
