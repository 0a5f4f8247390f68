import { authorize, type ServiceContext } from '../../app/context.js';
import { runCommand } from '../../app/command.js';
import { conflict, fieldError, notFound } from '../../core/errors.js';
import { num, type Int } from '../../db/schema.js';
import type { DeliveryTrigger, RedeliveryStatus } from '../../db/tables/webhooks.js';
import { lockRows, nowIso } from '../../ledger/context.js';
import { matchesPattern } from '../events/model.js';
import type { DeliveryFilter } from './schemas.js';
import { eventPatterns } from './subscriptions.js';

async function assertSubscription(ctx: ServiceContext, id: number): Promise<void> {
  const found = await ctx.store.read.selectFrom('webhook_subscriptions').select('id').where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!found) throw notFound(`webhook ${id}`);
}

/** The delivery log of one subscription, newest first: every attempt with its outcome. */
export async function listDeliveries(ctx: ServiceContext, subscriptionId: number, filter: DeliveryFilter) {
  authorize(ctx.actor, 'webhook.manage');
  await assertSubscription(ctx, subscriptionId);
  let query = ctx.store.read.selectFrom('webhook_deliveries').selectAll().where('org_id', '=', ctx.actor.orgId).where('subscription_id', '=', subscriptionId);
  if (filter.eventId !== undefined) query = query.where('event_id', '=', filter.eventId);
  if (filter.ok !== undefined) query = query.where('ok', '=', filter.ok ? 1 : 0);
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const items = rows.slice(0, filter.limit).map((r) => ({
    id: num(r.id),
    eventId: num(r.event_id),
    eventPosition: r.event_position === null ? null : num(r.event_position),
    eventType: r.event_type,
    trigger: r.trigger as DeliveryTrigger,
    redeliveryId: r.redelivery_id === null ? null : num(r.redelivery_id),
    attempt: num(r.attempt),
    ok: num(r.ok) === 1,
    statusCode: r.status_code === null ? null : num(r.status_code),
    error: r.error,
    responseExcerpt: r.response_excerpt,
    durationMs: num(r.duration_ms),
    attemptedAt: r.attempted_at,
  }));
  return { items, ...(rows.length > filter.limit ? { next: String(items[items.length - 1]!.id) } : {}) };
}

function redeliveryView(r: { id: Int; subscription_id: Int; event_id: Int; status: RedeliveryStatus; requested_at: string; done_at: string | null }) {
  return { id: num(r.id), subscriptionId: num(r.subscription_id), eventId: num(r.event_id), status: r.status, requestedAt: r.requested_at, doneAt: r.done_at };
}

/**
 * Queue one event to be sent to the subscription once more. The worker sends it on its next turn,
 * outside the ordered stream (the stream's cursor does not move), and logs it as a `manual` attempt.
 */
export async function requestRedelivery(ctx: ServiceContext, subscriptionId: number, eventId: number) {
  authorize(ctx.actor, 'webhook.manage');
  const { actor } = ctx;
  return runCommand(ctx, async (lt) => {
    const sub = await lockRows(lt, lt.tx.selectFrom('webhook_subscriptions').select(['id', 'active', 'event_types']).where('org_id', '=', actor.orgId).where('id', '=', subscriptionId)).executeTakeFirst();
    if (!sub) throw notFound(`webhook ${subscriptionId}`);
    const event = await lt.tx.selectFrom('outbox_events').select(['id', 'type']).where('org_id', '=', actor.orgId).where('id', '=', eventId).executeTakeFirst();
    if (!event) throw fieldError('eventId', `no event ${eventId}`);
    if (!matchesPattern(eventPatterns(sub), event.type)) throw fieldError('eventId', `event ${eventId} is a ${event.type}, which this webhook does not subscribe to`);
    if (num(sub.active) !== 1) throw conflict(`webhook ${subscriptionId} is disabled; enable it first`);
    const row = await lt.tx
      .insertInto('webhook_redeliveries')
      .values({ org_id: actor.orgId, subscription_id: subscriptionId, event_id: eventId, status: 'queued', lease_until: null, requested_by: actor.userId, requested_at: nowIso(), done_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { status: 202, body: redeliveryView(row), audit: { action: 'webhook.redeliver', targetType: 'webhook', targetId: subscriptionId, detail: { eventId, redelivery: num(row.id) } } };
  });
}

export async function getRedelivery(ctx: ServiceContext, subscriptionId: number, redeliveryId: number) {
  authorize(ctx.actor, 'webhook.manage');
  const row = await ctx.store.read
    .selectFrom('webhook_redeliveries')
    .selectAll()
    .where('org_id', '=', ctx.actor.orgId)
    .where('subscription_id', '=', subscriptionId)
    .where('id', '=', redeliveryId)
    .executeTakeFirst();
  if (!row) throw notFound(`redelivery ${redeliveryId} of webhook ${subscriptionId}`);
  return redeliveryView(row);
}
