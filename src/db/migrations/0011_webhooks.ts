import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { appendOnly, bigType, orgTable } from './helpers.js';

/**
 * The change feed and webhooks (docs/webhooks.md).
 *
 * `outbox_events.feed_position` is the event's place in the feed: NULL when written by a command,
 * filled after commit by the sequencer (src/modules/events/sequencer.ts) with the next number of
 * `event_feed_heads.last_position`, under that row's lock. Ids are allocated at insert, but
 * transactions commit in another order; positions are allocated only to committed rows, one
 * sequencer at a time, so the feed read by position has no gap that could fill in later.
 */
export function webhooksMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('outbox_events').addColumn('feed_position', big).execute();
      // NULLs are distinct in a unique index on both engines: many unpositioned rows are fine.
      await db.schema.createIndex('outbox_events_position_key').on('outbox_events').columns(['org_id', 'feed_position']).unique().execute();
      // What the sequencer looks for: committed rows still waiting for a position, in id order.
      await db.schema
        .createIndex('outbox_events_unpositioned_idx')
        .on('outbox_events')
        .columns(['org_id', 'id'])
        .where(sql.ref('feed_position'), 'is', null)
        .execute();

      await db.schema
        .createTable('event_feed_heads')
        .addColumn('org_id', big, (c) => c.notNull().primaryKey())
        .addColumn('last_position', big, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await table(db, 'webhook_subscriptions')
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('event_types', 'text', (c) => c.notNull()) // JSON array of patterns
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('delivered_through', big, (c) => c.notNull()) // feed position
        .addColumn('attempts', 'integer', (c) => c.notNull()) // failed attempts of the next event
        .addColumn('next_attempt_at', 'text')
        .addColumn('last_attempt_at', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('lease_token', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_subscriptions_active_idx').on('webhook_subscriptions').columns(['active', 'next_attempt_at']).execute();

      await table(db, 'webhook_deliveries')
        .addColumn('subscription_id', big, (c) => c.notNull())
        .addColumn('event_id', big, (c) => c.notNull())
        .addColumn('event_position', big)
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('redelivery_id', big)
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('response_excerpt', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('attempted_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhook_deliveries_subscription_idx').on('webhook_deliveries').columns(['org_id', 'subscription_id', 'id']).execute();
      await appendOnly(db, dialect, 'webhook_deliveries', 'the webhook delivery log is append-only');

      await table(db, 'webhook_redeliveries')
        .addColumn('subscription_id', big, (c) => c.notNull())
        .addColumn('event_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lease_until', 'text')
        .addColumn('requested_by', big, (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('done_at', 'text')
        .execute();
      await db.schema.createIndex('webhook_redeliveries_status_idx').on('webhook_redeliveries').columns(['status', 'id']).execute();
    },
  };
}
