import { z } from 'zod';
import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { num, type Int } from '../../db/schema.js';

/**
 * One event as the change feed serves it and as a webhook delivers it (the same JSON): `id` never
 * changes and is what receivers deduplicate on; `position` is its place in the feed.
 */
export interface FeedEvent {
  id: number;
  position: number;
  type: string;
  createdAt: string;
  data: unknown;
}

export const FeedEventSchema = z.object({
  id: z.number().int().describe('Event id: stable, unique; deduplicate on it'),
  position: z.number().int().describe('Place in the feed: 1, 2, 3, ... per company, in commit order, no gaps'),
  type: z.string().describe('e.g. sales-order.confirmed, stock.adjusted'),
  createdAt: z.string().describe('When the command that wrote it ran (ISO-8601 UTC)'),
  data: z.unknown().describe('The event payload (as the command wrote it)'),
});

export function toFeedEvent(row: { id: Int; feed_position: Int | null; type: string; created_at: string; payload: string }): FeedEvent {
  return { id: num(row.id), position: num(row.feed_position), type: row.type, createdAt: row.created_at, data: JSON.parse(row.payload) as unknown };
}

/**
 * An event type pattern: `*` (everything), `sales-order.*` (every type under that prefix) or an
 * exact type such as `sales-order.confirmed`. Lowercase words, digits and dashes between dots.
 */
export const EVENT_PATTERN = /^(\*|[a-z][a-z0-9-]*(\.[a-z0-9-]+)*(\.\*)?)$/;

export const EventPattern = z.string().max(100, 'at most 100 characters').regex(EVENT_PATTERN, 'an event type (sales-order.confirmed), a prefix (sales-order.*) or *');

export function matchesPattern(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** The same match as SQL on `outbox_events.type`; undefined when everything matches. */
export function typeFilter(patterns: readonly string[]): ((eb: ExpressionBuilder<DB, 'outbox_events'>) => ExpressionWrapper<DB, 'outbox_events', SqlBool>) | undefined {
  if (patterns.length === 0 || patterns.includes('*')) return undefined;
  // The pattern alphabet has no LIKE wildcards (% _), so a prefix needs no escaping.
  return (eb) => eb.or(patterns.map((p) => (p.endsWith('.*') ? eb('outbox_events.type', 'like', `${p.slice(0, -1)}%`) : eb('outbox_events.type', '=', p))));
}
