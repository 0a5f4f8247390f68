import { authorize, type ServiceContext } from '../../app/context.js';
import { runCommand } from '../../app/command.js';
import { fieldError, notFound } from '../../core/errors.js';
import { num, type Int } from '../../db/schema.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { lockRows, nowIso, type LedgerTx } from '../../ledger/context.js';
import { typeFilter } from '../events/model.js';
import { assignFeedPositions, sequenceEvents } from '../events/sequencer.js';
import type { WebhookSubscriptionsTable } from '../../db/tables/webhooks.js';
import type { CreateWebhookInput, UpdateWebhookInput } from './schemas.js';
import { generateSecret } from './signature.js';

const WEBHOOK = 'webhook';

type SubscriptionRow = Omit<WebhookSubscriptionsTable, 'id'> & { id: Int };

export interface WebhookView {
  id: number; url: string; description: string | null; events: string[]; active: boolean;
  deliveredThrough: number; pending: number; attempts: number; nextAttemptAt: string | null;
  lastAttemptAt: string | null; lastSuccessAt: string | null; lastError: string | null;
  createdAt: string; updatedAt: string;
}

export const eventPatterns = (row: { event_types: string }) => JSON.parse(row.event_types) as string[];

/** Subscribed events in the feed after the subscription's cursor. */
async function pendingCount(db: Kysely<DB>, row: SubscriptionRow): Promise<number> {
  let query = db
    .selectFrom('outbox_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('org_id', '=', row.org_id)
    .where('feed_position', '>', row.delivered_through);
  const filter = typeFilter(eventPatterns(row));
  if (filter) query = query.where(filter);
  return num((await query.executeTakeFirstOrThrow()).n as Int);
}

/** The public view: never the secret, never the worker's lease. */
function view(row: SubscriptionRow, pending: number): WebhookView {
  return {
    id: num(row.id), url: row.url, description: row.description, events: eventPatterns(row), active: num(row.active) === 1,
    deliveredThrough: num(row.delivered_through), pending, attempts: num(row.attempts), nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at, lastSuccessAt: row.last_success_at, lastError: row.last_error,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

async function findLocked(lt: LedgerTx, orgId: number, id: number): Promise<SubscriptionRow> {
  const row = await lockRows(lt, lt.tx.selectFrom('webhook_subscriptions').selectAll().where('org_id', '=', orgId).where('id', '=', id)).executeTakeFirst();
  if (!row) throw notFound(`webhook ${id}`);
  return row;
}

/**
 * Subscribe a URL to event types. The secret is generated here and returned only in this
 * response. Deliveries start after the feed's head at creation (every event committed before is
 * positioned first, in this transaction), or after `after` when given.
 */
export async function createSubscription(ctx: ServiceContext, input: CreateWebhookInput) {
  authorize(ctx.actor, 'webhook.manage');
  const { actor } = ctx;
  return runCommand(ctx, async (lt) => {
    const head = await assignFeedPositions(lt, actor.orgId);
    if (input.after !== undefined && input.after > head) throw fieldError('after', `must not be after the feed's last position (${head})`);
    const at = nowIso();
    const secret = generateSecret();
    const row = await lt.tx
      .insertInto('webhook_subscriptions')
      .values({
        org_id: actor.orgId, url: input.url, description: input.description ?? null, event_types: JSON.stringify(input.events), secret,
        active: 1, delivered_through: input.after ?? head, attempts: 0, next_attempt_at: null, last_attempt_at: null, last_success_at: null,
        last_error: null, lease_token: null, lease_until: null, created_by: actor.userId, created_at: at, updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const body = { ...view(row, await pendingCount(lt.tx, row)), secret };
    return {
      status: 201,
      body,
      audit: { action: 'webhook.create', targetType: WEBHOOK, targetId: num(row.id), detail: { url: input.url, events: input.events, after: num(row.delivered_through) } },
    };
  });
}

export async function listSubscriptions(ctx: ServiceContext) {
  authorize(ctx.actor, 'webhook.manage');
  await sequenceEvents(ctx.store, ctx.actor.orgId);
  const rows = await ctx.store.read.selectFrom('webhook_subscriptions').selectAll().where('org_id', '=', ctx.actor.orgId).orderBy('id').execute();
  const items = [];
  for (const row of rows) items.push(view(row, await pendingCount(ctx.store.read, row)));
  return { items };
}

export async function getSubscription(ctx: ServiceContext, id: number): Promise<WebhookView> {
  authorize(ctx.actor, 'webhook.manage');
  await sequenceEvents(ctx.store, ctx.actor.orgId);
  const row = await ctx.store.read.selectFrom('webhook_subscriptions').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`webhook ${id}`);
  return view(row, await pendingCount(ctx.store.read, row));
}

/**
 * Change the URL, the event types, the description, or switch deliveries off and on. Switching on
 * again, or pointing at a new URL, clears the backoff so the waiting event is tried at once; the
 * cursor stays, so nothing is skipped and nothing is sent twice by the stream.
 */
export async function updateSubscription(ctx: ServiceContext, id: number, changes: UpdateWebhookInput) {
  authorize(ctx.actor, 'webhook.manage');
  const { actor } = ctx;
  return runCommand(ctx, async (lt) => {
    const before = await findLocked(lt, actor.orgId, id);
    const wasActive = num(before.active) === 1;
    const resume = (changes.active === true && !wasActive) || (changes.url !== undefined && changes.url !== before.url);
    const row = await lt.tx
      .updateTable('webhook_subscriptions')
      .set({
        ...(changes.url !== undefined ? { url: changes.url } : {}),
        ...(changes.events !== undefined ? { event_types: JSON.stringify(changes.events) } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.active !== undefined ? { active: changes.active ? 1 : 0 } : {}),
        ...(resume ? { attempts: 0, next_attempt_at: null } : {}),
        updated_at: nowIso(),
      })
      .where('org_id', '=', actor.orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const summary = (r: SubscriptionRow) => ({ url: r.url, events: eventPatterns(r), description: r.description, active: num(r.active) === 1 });
    return {
      status: 200,
      body: view(row, await pendingCount(lt.tx, row)),
      audit: { action: 'webhook.update', targetType: WEBHOOK, targetId: id, detail: { before: summary(before), after: summary(row) } },
    };
  });
}

/** Replace the signing secret; the new one is returned only in this response and signs from now on. */
export async function rotateSecret(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'webhook.manage');
  const { actor } = ctx;
  return runCommand(ctx, async (lt) => {
    await findLocked(lt, actor.orgId, id);
    const secret = generateSecret();
    const row = await lt.tx
      .updateTable('webhook_subscriptions')
      .set({ secret, updated_at: nowIso() })
      .where('org_id', '=', actor.orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { status: 200, body: { ...view(row, await pendingCount(lt.tx, row)), secret }, audit: { action: 'webhook.rotate-secret', targetType: WEBHOOK, targetId: id } };
  });
}
