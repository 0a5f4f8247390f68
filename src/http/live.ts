import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Actor } from '../app/context.js';
import { authorize } from '../app/context.js';
import { num } from '../db/schema.js';
import type { Store } from '../db/store.js';
import type { TokenService } from '../modules/auth/service.js';
import { validationError } from '../core/errors.js';

/**
 * `GET /api/v1/live`: committed changes as server-sent events, so screens refresh without
 * reloading. Every command writes its events to `outbox_events` in its own transaction, so polling
 * that table by id sees exactly what committed. One poller serves every open stream of this
 * process (one query per interval, however many tabs are open); each stream gets its company's
 * events only, and only `id`, `type` and `at` (no payloads: they may hold costs or partner data).
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
  let lastSeen: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling = false;

  const maxId = async (orgId?: number) => {
    let query = store.read.selectFrom('outbox_events').select((eb) => eb.fn.max('id').as('max'));
    if (orgId !== undefined) query = query.where('org_id', '=', orgId);
    const row = await query.executeTakeFirst();
    return row?.max === null || row?.max === undefined ? 0 : num(row.max as number);
  };

  const poll = async () => {
    timer = undefined;
    if (subscribers.size === 0 || polling) return;
    polling = true;
    try {
      lastSeen ??= await maxId();
      const rows = await store.read
        .selectFrom('outbox_events')
        .select(['id', 'org_id', 'type', 'created_at'])
        .where('id', '>', lastSeen)
        .orderBy('id')
        .limit(1000)
        .execute();
      for (const r of rows) {
        const event = { id: num(r.id), type: r.type, at: r.created_at };
        const orgId = num(r.org_id);
        for (const s of subscribers) {
          if (s.orgId === orgId && event.id > s.lastId) {
            s.lastId = event.id;
            s.send(frame(event));
          }
        }
        lastSeen = event.id;
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
    const current = await maxId(actor.orgId);
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
        .select(['id', 'type', 'created_at'])
        .where('org_id', '=', actor.orgId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(CATCH_UP_LIMIT)
        .execute();
      for (const r of missed) subscriber.send(frame({ id: num(r.id), type: r.type, at: r.created_at }));
    }
    const heartbeat = setInterval(() => subscriber.send(': ping\n\n'), heartbeatMs);
    const recheck = setInterval(() => {
      tokens.resolve(token).then((still) => (still ? undefined : subscriber.end()), () => subscriber.end());
    }, recheckMs);
    raw.on('close', () => subscriber.end());
    // Everything after this stream's first id is the poller's to send: its cursor may only go back
    // (rows another stream already got are skipped by that stream's own lastId).
    lastSeen = subscribers.size === 0 || lastSeen === undefined ? current : Math.min(lastSeen, current);
    subscribers.add(subscriber);
    schedule();
  });
}
