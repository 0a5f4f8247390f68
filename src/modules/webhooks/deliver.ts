import { randomUUID } from 'node:crypto';
import type { Store, Tx } from '../../db/store.js';
import { num, type Int } from '../../db/schema.js';
import type { WebhookSubscriptionsTable } from '../../db/tables/webhooks.js';
import { nowIso } from '../../ledger/context.js';
import { toFeedEvent, typeFilter } from '../events/model.js';
import { feedHead, orgsWithUnpositionedEvents, sequenceEvents } from '../events/sequencer.js';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './backoff.js';
import { sendEvent, type AttemptOutcome } from './send.js';
import { eventPatterns } from './subscriptions.js';

export interface DeliveryOptions {
  retry?: RetryPolicy;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** Events one subscription may get per call; the rest waits for the next turn (default 100). */
  maxEventsPerSubscription?: number;
  /** Subscriptions served at once, so one slow receiver does not hold up the others (default 4). */
  concurrency?: number;
  /** How long a claim on a subscription lasts without progress (default 2 min); renewed by every attempt. */
  leaseMs?: number;
  /** Stops sending at once: an interrupted attempt is neither logged nor counted (sent again later). */
  signal?: AbortSignal;
  /**
   * Starts nothing new, but lets the attempt in flight finish and be recorded (the worker's
   * graceful stop), so a receiver that already accepted an event does not get it again.
   */
  stopSignal?: AbortSignal;
  /** For the jitter of the backoff. */
  random?: () => number;
}

export interface DeliveryReport {
  /** HTTP attempts made (stream and manual). */
  attempts: number;
  delivered: number;
  failed: number;
  redelivered: number;
}

type Subscription = Omit<WebhookSubscriptionsTable, 'id'> & { id: Int };

const plus = (at: Date, ms: number) => new Date(at.getTime() + ms).toISOString();
const DEFAULTS = { timeoutMs: 10_000, maxEventsPerSubscription: 100, concurrency: 4, leaseMs: 120_000 };

/**
 * One turn of the delivery worker, as of `now` (tests pass a later `now` instead of waiting out
 * the backoff): position the committed events, send the queued manual redeliveries, then for every
 * subscription whose next attempt is due, send its events in feed order until one fails.
 *
 * Per subscription, an event is sent only after every earlier subscribed event got a 2xx: the
 * cursor (`delivered_through`) moves only on success, and a lease (token + expiry, taken with one
 * conditional UPDATE) lets one worker at a time deliver to it, even with several server processes
 * on one PostgreSQL. A worker that dies mid-attempt leaves the event unconfirmed: it is sent again
 * after the lease expires, so delivery is at least once, and receivers deduplicate by event id.
 * No HTTP call happens inside a database transaction.
 */
export async function deliverDue(store: Store, now: Date = new Date(), options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const settings = { ...DEFAULTS, ...options, retry: options.retry ?? DEFAULT_RETRY };
  const report: DeliveryReport = { attempts: 0, delivered: 0, failed: 0, redelivered: 0 };
  for (const orgId of await orgsWithUnpositionedEvents(store)) await sequenceEvents(store, orgId);
  await sendRedeliveries(store, now, settings, report);

  const nowText = now.toISOString();
  const due = await store.read
    .selectFrom('webhook_subscriptions as s')
    .innerJoin('event_feed_heads as h', 'h.org_id', 's.org_id')
    .select(['s.org_id', 's.id'])
    .where('s.active', '=', 1)
    .whereRef('h.last_position', '>', 's.delivered_through')
    .where((eb) => eb.or([eb('s.next_attempt_at', 'is', null), eb('s.next_attempt_at', '<=', nowText)]))
    .where((eb) => eb.or([eb('s.lease_until', 'is', null), eb('s.lease_until', '<=', nowText)]))
    .orderBy('s.id')
    .execute();
  const queue = [...due];
  const lanes = Array.from({ length: Math.min(settings.concurrency, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (settings.signal?.aborted || settings.stopSignal?.aborted) return;
      await deliverToSubscription(store, num(next.org_id), num(next.id), now, settings, report);
    }
  });
  await Promise.all(lanes);
  return report;
}

type Settings = typeof DEFAULTS & DeliveryOptions & { retry: RetryPolicy };

async function deliverToSubscription(store: Store, orgId: number, id: number, now: Date, settings: Settings, report: DeliveryReport): Promise<void> {
  const nowText = now.toISOString();
  const token = randomUUID();
  let sub: Subscription | undefined = await store.run((tx) =>
    tx
      .updateTable('webhook_subscriptions')
      .set({ lease_token: token, lease_until: plus(now, settings.leaseMs) })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', nowText)]))
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowText)]))
      .returningAll()
      .executeTakeFirst(),
  );
  if (!sub) return; // another worker has it, or it changed since it was listed
  try {
    for (let sent = 0; sub && num(sub.active) === 1 && sent < settings.maxEventsPerSubscription && !settings.stopSignal?.aborted; sent++) {
      // Read the head before looking for the next event: every position up to it is visible, so
      // when nothing subscribed lies in between, the cursor may skip to it without missing one.
      const head = await feedHead(store, orgId);
      const cursor = num(sub.delivered_through);
      let find = store.read
        .selectFrom('outbox_events')
        .select(['id', 'feed_position', 'type', 'created_at', 'payload'])
        .where('org_id', '=', orgId)
        .where('feed_position', '>', cursor)
        .where('feed_position', '<=', head);
      const filter = typeFilter(eventPatterns(sub));
      if (filter) find = find.where(filter);
      const row = await find.orderBy('feed_position').limit(1).executeTakeFirst();
      if (!row) {
        if (head > cursor) await store.run((tx) => leased(tx, orgId, id, token).set({ delivered_through: head }).execute());
        return;
      }
      const event = toFeedEvent(row);
      const attempt: number = num(sub.attempts) + 1;
      const outcome = await sendEvent(sub.url, sub.secret, event, attempt, { timeoutMs: settings.timeoutMs, signal: settings.signal });
      if (settings.signal?.aborted) return;
      report.attempts++;
      if (outcome.ok) report.delivered++;
      else report.failed++;
      sub = await store.run(async (tx): Promise<Subscription | undefined> => {
        await logAttempt(tx, { orgId, subscriptionId: id, event, trigger: 'feed', redeliveryId: null, attempt, outcome });
        const at = nowIso();
        const progress = outcome.ok
          ? { delivered_through: event.position, attempts: 0, next_attempt_at: null, last_error: null, last_success_at: at }
          : { attempts: attempt, next_attempt_at: plus(now, retryDelayMs(attempt, settings.retry, settings.random)), last_error: outcome.error };
        return leased(tx, orgId, id, token)
          .set({ ...progress, last_attempt_at: at, lease_until: plus(now, settings.leaseMs) })
          .returningAll()
          .executeTakeFirst();
      });
      if (!outcome.ok) return; // the next attempt waits for the backoff: event n+1 never overtakes n
    }
  } finally {
    await store.run((tx) => leased(tx, orgId, id, token).set({ lease_token: null, lease_until: null }).execute());
  }
}

/** An update of the subscription that only applies while this worker still holds its lease. */
function leased(tx: Tx, orgId: number, id: number, token: string) {
  return tx.updateTable('webhook_subscriptions').where('org_id', '=', orgId).where('id', '=', id).where('lease_token', '=', token);
}

async function logAttempt(
  tx: Tx,
  a: { orgId: number; subscriptionId: number; event: { id: number; position: number; type: string }; trigger: 'feed' | 'manual'; redeliveryId: number | null; attempt: number; outcome: AttemptOutcome },
): Promise<void> {
  await tx
    .insertInto('webhook_deliveries')
    .values({
      org_id: a.orgId, subscription_id: a.subscriptionId, event_id: a.event.id, event_position: a.event.position || null, event_type: a.event.type,
      trigger: a.trigger, redelivery_id: a.redeliveryId, attempt: a.attempt, ok: a.outcome.ok ? 1 : 0, status_code: a.outcome.statusCode,
      error: a.outcome.error, response_excerpt: a.outcome.responseExcerpt, duration_ms: a.outcome.durationMs, attempted_at: nowIso(),
    })
    .execute();
}

/** Manual redeliveries: one attempt each, logged with trigger `manual`; the stream's cursor is untouched. */
async function sendRedeliveries(store: Store, now: Date, settings: Settings, report: DeliveryReport): Promise<void> {
  const nowText = now.toISOString();
  const queued = await store.read
    .selectFrom('webhook_redeliveries')
    .select(['org_id', 'id', 'subscription_id', 'event_id'])
    .where('status', '=', 'queued')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowText)]))
    .orderBy('id')
    .limit(100)
    .execute();
  for (const r of queued) {
    if (settings.signal?.aborted || settings.stopSignal?.aborted) return;
    const orgId = num(r.org_id);
    const id = num(r.id);
    const claimed = await store.run((tx) =>
      tx
        .updateTable('webhook_redeliveries')
        .set({ lease_until: plus(now, settings.leaseMs) })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', nowText)]))
        .executeTakeFirst(),
    );
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const sub = await store.read.selectFrom('webhook_subscriptions').select(['url', 'secret', 'active']).where('org_id', '=', orgId).where('id', '=', r.subscription_id).executeTakeFirst();
    const row = await store.read.selectFrom('outbox_events').select(['id', 'feed_position', 'type', 'created_at', 'payload']).where('org_id', '=', orgId).where('id', '=', r.event_id).executeTakeFirst();
    const finish = (status: 'done' | 'cancelled') => (tx: Tx) =>
      tx.updateTable('webhook_redeliveries').set({ status, done_at: nowIso(), lease_until: null }).where('org_id', '=', orgId).where('id', '=', id).execute();
    if (!sub || !row || num(sub.active) !== 1) {
      await store.run(finish('cancelled'));
      continue;
    }
    const event = toFeedEvent(row);
    const outcome = await sendEvent(sub.url, sub.secret, event, 1, { timeoutMs: settings.timeoutMs, signal: settings.signal });
    if (settings.signal?.aborted) {
      // Still queued, and free again for the next worker (after a restart) at once.
      await store.run((tx) => tx.updateTable('webhook_redeliveries').set({ lease_until: null }).where('org_id', '=', orgId).where('id', '=', id).execute());
      return;
    }
    report.attempts++;
    report.redelivered++;
    if (!outcome.ok) report.failed++;
    await store.run(async (tx) => {
      await logAttempt(tx, { orgId, subscriptionId: num(r.subscription_id), event, trigger: 'manual', redeliveryId: id, attempt: 1, outcome });
      await finish('done')(tx);
    });
  }
}
