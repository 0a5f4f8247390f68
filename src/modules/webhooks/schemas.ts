import { z } from 'zod';
import { Cursor, Limit } from '../../http/schemas.js';
import { EventPattern } from '../events/model.js';

/** HTTP shapes of webhook subscriptions, their delivery log and redeliveries. */
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** Where deliveries go: http(s), no credentials in the URL (the signature authenticates us to it). */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000, 'at most 2000 characters')
  .superRefine((value, issue) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      issue.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') issue.addIssue({ code: 'custom', message: 'must be an http or https URL' });
    if (url.username || url.password) issue.addIssue({ code: 'custom', message: 'must not contain a user name or password; verify the signature instead' });
    if (url.hash) issue.addIssue({ code: 'custom', message: 'must not contain a #fragment' });
  })
  .describe('http(s) URL that receives POSTed events');

const Events = z
  .array(EventPattern)
  .min(1, 'name at least one event type (or *)')
  .max(50, 'at most 50 patterns')
  .transform((list) => [...new Set(list)])
  .describe('Event types to deliver: exact (sales-order.confirmed), a prefix (sales-order.*) or *');

export const CreateWebhookBody = z.strictObject({
  url: WebhookUrl,
  events: Events,
  description: text(200).optional(),
  after: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('Deliver the events after this feed position (0: the whole history). Default: the events after the subscription was created'),
});
export type CreateWebhookInput = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .strictObject({
    url: WebhookUrl.optional(),
    events: Events.optional(),
    description: text(200).nullable().optional(),
    active: z.boolean().optional().describe('false stops deliveries; true resumes them where they stopped, retrying at once'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'change at least one field');
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookBody>;

export const RedeliveryBody = z.strictObject({
  eventId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('The event to send again (once, outside the ordered stream)'),
});

export const DeliveryQuery = z.strictObject({
  eventId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  ok: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Only successful (true) or failed (false) attempts'),
  before: Cursor,
  limit: Limit,
});
export type DeliveryFilter = z.infer<typeof DeliveryQuery>;

export const WebhookView = z.object({
  id: z.number(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  active: z.boolean(),
  deliveredThrough: z.number().describe('Feed position up to which every subscribed event was delivered'),
  pending: z.number().describe('Subscribed events in the feed after deliveredThrough'),
  attempts: z.number().describe('Failed attempts of the next event (0 when healthy)'),
  nextAttemptAt: z.string().nullable().describe('When the next event is retried (null: as soon as it is there)'),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const WebhookWithSecret = WebhookView.extend({ secret: z.string().describe('Signing secret; shown only in this response') });

export const DeliveryView = z.object({
  id: z.number(),
  eventId: z.number(),
  eventPosition: z.number().nullable(),
  eventType: z.string(),
  trigger: z.enum(['feed', 'manual']),
  redeliveryId: z.number().nullable(),
  attempt: z.number(),
  ok: z.boolean(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
  durationMs: z.number(),
  attemptedAt: z.string(),
});

export const RedeliveryView = z.object({
  id: z.number(),
  subscriptionId: z.number(),
  eventId: z.number(),
  status: z.enum(['queued', 'done', 'cancelled']),
  requestedAt: z.string(),
  doneAt: z.string().nullable(),
});
