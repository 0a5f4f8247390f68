import { authorize, type ServiceContext } from '../../app/context.js';
import { toFeedEvent, typeFilter, type FeedEvent } from './model.js';
import { sequenceEvents } from './sequencer.js';

export interface FeedPage {
  items: FeedEvent[];
  /** Pass back as `after`: the last position of this page, or `after` itself when it was empty. */
  next: string;
}

/**
 * The change feed: events with a position above `after`, in position order. Before reading it
 * positions every event committed so far, so a page is never behind the caller's own writes.
 */
export async function readFeed(ctx: ServiceContext, query: { after?: number; limit: number; types?: string[] }): Promise<FeedPage> {
  authorize(ctx.actor, 'event.view');
  const { store, actor } = ctx;
  const after = query.after ?? 0;
  await sequenceEvents(store, actor.orgId);
  let select = store.read
    .selectFrom('outbox_events')
    .select(['id', 'feed_position', 'type', 'created_at', 'payload'])
    .where('org_id', '=', actor.orgId)
    .where('feed_position', '>', after);
  const filter = typeFilter(query.types ?? []);
  if (filter) select = select.where(filter);
  const rows = await select.orderBy('feed_position').limit(query.limit).execute();
  const items = rows.map(toFeedEvent);
  return { items, next: String(items.length > 0 ? items[items.length - 1]!.position : after) };
}
