import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Actor } from '../app/context.js';
import { authorize } from '../app/context.js';
import { num } from '../db/schema.js';
import type { Store } from '../db/store.js';
import type { TokenService } from '../modules/auth/service.js';
import { validationError } from '../core/errors.js';
import { feedHead, sequenceEvents } from '../modules/events/sequencer.js';

/**
 * `GET /api/v1/live`: committed changes as server-sent events, so screens refresh without
 * reloading. Every command writes its events to `outbox_events` in its own transaction; the
 * change feed's sequencer (src/modules/events) gives committed events gap-free positions in commit
 * order, and streams follow those positions (ids can commit out of order on PostgreSQL, so reading
 * by id could skip a late commit). One poller serves every open stream of this process (a query
 * per company with streams, per interval); each stream gets its company's events only, and only
 * `id` (the feed position), `type` and `at` (no payloads: they may hold costs or partner data).
 *
 * The bearer token travels in the Authorization header (browsers read the stream with fetch; a
 * token never goes into a URL). The token is checked again every half minute: a stream whose
 * token was revoked or expired ends.
 */
interface Subscriber {
  orgId: number;
  lastId: number;
  send(chunk: string): void;
  end(): void;
}

export interface LiveOptions {
  store: Store;
  tokens: TokenService;
  apiPrefix: string;
  /** How often the outbox is read while streams are open (ms). */
  pollMs?: number;
  heartbeatMs?: number;
  recheckTokenMs?: number;
}

const LiveQuery = z.strictObject({ after: z.string().regex(/^\d{1,15}$/, 'must be the id of an earlier event').transform(Number).optional() });
/** A reconnecting stream gets at most this many missed events replayed. */
const CATCH_UP_LIMIT = 500;

function frame(row: { id: number; type: string; at: string }): string {
  return `id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(row)}\n\n`;
}

export function registerLiveEvents(app: FastifyInstance, options: LiveOptions): void {
  const { store, tokens } = options;
  const pollMs = options.pollMs ?? Number(process.env.CANGKU_LIVE_POLL_MS ?? 1000);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const recheckMs = options.recheckTokenMs ?? 30_000;
  const subscribers = new Set<Subscriber>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling = false;

  /** Position the company's committed events, then the last position handed out. */
  const head = async (orgId: number) => {
    await sequenceEvents(store, orgId);
    return feedHead(store, orgId);
  };

  const poll = async () => {
    timer = undefined;
    if (subscribers.size === 0 || polling) return;
    polling = true;
    try {
      const orgIds = [...new Set([...subscribers].map((s) => s.orgId))];
      for (const orgId of orgIds) {
        await sequenceEvents(store, orgId);
        const from = Math.min(...[...subscribers].filter((s) => s.orgId === orgId).map((s) => s.lastId));
        const rows = await store.read
          .selectFrom('outbox_events')
          .select(['feed_position', 'type', 'created_at'])
          .where('org_id', '=', orgId)
          .where('feed_position', '>', from)
          .orderBy('feed_position')
          .limit(1000)
          .execute();
        for (const r of rows) {
          const event = { id: num(r.feed_position!), type: r.type, at: r.created_at };
          for (const s of subscribers) {
            if (s.orgId === orgId && event.id > s.lastId) {
              s.lastId = event.id;
              s.send(frame(event));
            }
          }
        }
      }
    } catch (error) {
      app.log.warn({ err: error }, 'live events: polling the outbox failed');
    } finally {
      polling = false;
      schedule();
    }
  };

  const schedule = () => {
    if (timer === undefined && subscribers.size > 0) timer = setTimeout(() => void poll(), pollMs);
  };

  app.addHook('preClose', async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    for (const s of [...subscribers]) s.end();
  });

  app.get(`${options.apiPrefix}/live`, async (request: FastifyRequest & { actor?: Actor }, reply) => {
    const actor = request.actor!;
    authorize(actor, 'stock.view');
    const parsed = LiveQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw validationError('query.after: must be the id of an earlier event', [{ field: 'query.after', message: 'must be the id of an earlier event' }]);
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const current = await head(actor.orgId);
    const after = parsed.data.after;

    reply.hijack();
    const raw: ServerResponse = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let open = true;
    const subscriber: Subscriber = {
      orgId: actor.orgId,
      lastId: current,
      send: (chunk) => {
        if (open) raw.write(chunk);
      },
      end: () => {
        if (!open) return;
        open = false;
        subscribers.delete(subscriber);
        clearInterval(heartbeat);
        clearInterval(recheck);
        raw.end();
      },
    };
    raw.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ id: current })}\n\n`);
    // A reconnecting client names the last event it saw: replay what it missed (bounded).
    if (after !== undefined && after < current) {
      const missed = await store.read
        .selectFrom('outbox_events')
        .select(['feed_position', 'type', 'created_at'])
        .where('org_id', '=', actor.orgId)
        .where('feed_position', '>', after)
        .where('feed_position', '<=', current)
        .orderBy('feed_position')
        .limit(CATCH_UP_LIMIT)
        .execute();
      for (const r of missed) subscriber.send(frame({ id: num(r.feed_position!), type: r.type, at: r.created_at }));
    }
    const heartbeat = setInterval(() => subscriber.send(': ping\n\n'), heartbeatMs);
    const recheck = setInterval(() => {
      tokens.resolve(token).then((still) => (still ? undefined : subscriber.end()), () => subscriber.end());
    }, recheckMs);
    raw.on('close', () => subscriber.end());
    // Everything after `current` is the poller's to send (from each stream's own lastId).
    subscribers.add(subscriber);
    schedule();
  });
}
