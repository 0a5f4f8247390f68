import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of the change feed and webhooks (src/modules/events, src/modules/webhooks; 0011_webhooks). */
type Id = ColumnType<Int, Int | undefined, never>;

declare module '../schema.js' {
  interface OutboxEventsTable {
    /**
     * Added by 0011_webhooks: the event's place in the change feed, gap-free per company and in
     * commit order; NULL until the sequencer positions the committed row (docs/webhooks.md).
     */
    feed_position: ColumnType<Int | null, Int | null | undefined, Int | null>;
  }
}

/** The last feed position handed out per company; its row lock serializes the sequencer. */
export interface EventFeedHeadsTable {
  org_id: Int; last_position: Int; updated_at: string;
}

/**
 * A receiver of events. `delivered_through` is the feed position up to which it has everything it
 * subscribed to; `attempts`/`next_attempt_at` describe the retries of the next event. `secret`
 * signs the deliveries, so it is stored as given out (see docs/webhooks.md, Security).
 */
export interface WebhookSubscriptionsTable {
  org_id: Int; id: Id; url: string; description: string | null;
  /** JSON array of patterns: `*`, `sales-order.*` or an exact type. */
  event_types: string;
  secret: string; active: Int; delivered_through: Int; attempts: Int;
  next_attempt_at: string | null; last_attempt_at: string | null; last_success_at: string | null;
  last_error: string | null;
  /** Which worker is delivering to it, until when (one in-flight delivery per subscription). */
  lease_token: string | null; lease_until: string | null;
  created_by: Int; created_at: string; updated_at: string;
}

export type DeliveryTrigger = 'feed' | 'manual';

/** One delivery attempt, append-only (the database refuses UPDATE and DELETE). */
export interface WebhookDeliveriesTable {
  org_id: Int; id: Id; subscription_id: Int; event_id: Int; event_position: Int | null; event_type: string;
  trigger: DeliveryTrigger; redelivery_id: Int | null; attempt: Int; ok: Int; status_code: Int | null;
  error: string | null; response_excerpt: string | null; duration_ms: Int; attempted_at: string;
}

export type RedeliveryStatus = 'queued' | 'done' | 'cancelled';

/** A manual redelivery of one event, queued for the worker. */
export interface WebhookRedeliveriesTable {
  org_id: Int; id: Id; subscription_id: Int; event_id: Int; status: RedeliveryStatus;
  lease_until: string | null; requested_by: Int; requested_at: string; done_at: string | null;
}

export interface WebhookTables {
  event_feed_heads: EventFeedHeadsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_redeliveries: WebhookRedeliveriesTable;
}
