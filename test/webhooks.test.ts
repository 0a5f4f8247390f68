import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { retryDelayMs } from '../src/modules/webhooks/backoff.js';
import { deliverDue } from '../src/modules/webhooks/deliver.js';
import { signatureHeader, verifySignature } from '../src/modules/webhooks/signature.js';
import { startWebhookWorker } from '../src/modules/webhooks/worker.js';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

interface Received { headers: IncomingHttpHeaders; raw: string; event: any; answered: number }

/**
 * A webhook receiver on 127.0.0.1: answers 500 to the first `failures` requests, then 200 (after
 * `delayMs`); `hang` never answers. Records every request with the status it answered.
 */
async function startReceiver(options: { failures?: number; delayMs?: number; hang?: boolean } = {}) {
  const received: Received[] = [];
  let failuresLeft = options.failures ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (options.hang) return;
      const answered = failuresLeft > 0 ? 500 : 200;
      if (failuresLeft > 0) failuresLeft--;
      const raw = Buffer.concat(chunks).toString('utf8');
      const answer = () => {
        received.push({ headers: req.headers, raw, event: JSON.parse(raw), answered });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'receiver is down');
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/cangku`,
    received,
    accepted: () => received.filter((r) => r.answered === 200),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe('webhook backoff and signature', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const policy = { baseMs: 10_000, capMs: 3_600_000 };
    expect([1, 2, 3, 4].map((k) => retryDelayMs(k, policy, () => 1))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect([1, 2, 3, 4].map((k) => retryDelayMs(k, policy, () => 0))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(retryDelayMs(50, policy, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(50, policy, () => 0)).toBe(1_800_000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelayMs(3, policy);
      expect(d).toBeGreaterThanOrEqual(20_000);
      expect(d).toBeLessThanOrEqual(40_000);
    }
  });

  it('signs `<t>.<body>` and refuses other bodies, secrets, stale times and malformed headers', () => {
    const body = '{"id":1}';
    const header = signatureHeader('whsec_test', body, 1_800_000_000);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_test', header, body, 1_800_000_100)).toBe(true);
    expect(verifySignature('whsec_test', header, body, 1_800_000_301)).toBe(false);
    expect(verifySignature('whsec_test', header, '{"id":2}', 1_800_000_000)).toBe(false);
    expect(verifySignature('whsec_other', header, body, 1_800_000_000)).toBe(false);
    expect(verifySignature('whsec_test', header.replace('t=1800000000', 't=1800000001'), body, 1_800_000_000)).toBe(false);
    expect(verifySignature('whsec_test', 'v1=abc', body, 1_800_000_000)).toBe(false);
    expect(verifySignature('whsec_test', undefined, body, 1_800_000_000)).toBe(false);
  });
});

const later = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000);

describe.each(ENGINES)('webhooks on %s', (engine) => {
  let api: TestApi;
  const receivers: Receiver[] = [];
  const receiver = async (options?: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver(options);
    receivers.push(r);
    return r;
  };
  let skuCount = 0;
  const createItems = async (n: number) => {
    const skus: string[] = [];
    for (let i = 0; i < n; i++) {
      const sku = `WH-${engine}-${++skuCount}`;
      expect((await api.call('POST', '/api/v1/items', { sku, name: `Webhook item ${skuCount}`, unit: 'pcs' })).status).toBe(201);
      skus.push(sku);
    }
    return skus;
  };
  const feedAfter = async (position: number) => (await api.call('GET', `/api/v1/events?after=${position}&limit=1000`)).body.items as any[];
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', '/api/v1/webhooks', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const drainDeliveries = async (id: number) => (await api.call('GET', `/api/v1/webhooks/${id}/deliveries?limit=1000`)).body.items as any[];
  // Other subscriptions of earlier tests are disabled so each test sees only its own receiver.
  const disableAll = async () => {
    for (const w of (await api.call('GET', '/api/v1/webhooks')).body.items) {
      if (w.active) expect((await api.call('PATCH', `/api/v1/webhooks/${w.id}`, { active: false })).status).toBe(200);
    }
  };

  beforeAll(async () => {
    api = await startTestApi(engine);
  });
  afterEach(async () => {
    await disableAll();
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await api?.close();
  });

  it('delivers to a receiver that fails twice: every event exactly once by id, in order, signed', async () => {
    await createItems(2); // before the subscription: not delivered
    const hook = await receiver({ failures: 2 });
    const created = await subscribe({ url: hook.url, events: ['item.*'], description: 'ERP item sync' });
    expect(created.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(created).toMatchObject({ url: hook.url, events: ['item.*'], active: true, attempts: 0, pending: 0 });
    const start = created.deliveredThrough as number;

    const skus = await createItems(5);
    expect((await api.call('POST', '/api/v1/warehouses', { code: `W${engine.slice(0, 2).toUpperCase()}1`, name: 'Not subscribed' })).status).toBe(201);
    const itemEvents = (await feedAfter(start)).filter((e) => e.type === 'item.created');
    expect(itemEvents.map((e) => e.data.sku)).toEqual(skus);
    expect((await api.call('GET', `/api/v1/webhooks/${created.id}`)).body.pending).toBe(5);

    const t0 = new Date();
    expect(await deliverDue(api.db.store, t0)).toMatchObject({ attempts: 1, delivered: 0, failed: 1 });
    let state = (await api.call('GET', `/api/v1/webhooks/${created.id}`)).body;
    expect(state).toMatchObject({ attempts: 1, lastError: 'HTTP 500', deliveredThrough: start });
    expect(state.nextAttemptAt > t0.toISOString()).toBe(true);
    // Not due yet: the backoff holds everything back, including the later events.
    expect(await deliverDue(api.db.store, t0)).toMatchObject({ attempts: 0 });
    expect(await deliverDue(api.db.store, later(t0, 2))).toMatchObject({ attempts: 1, failed: 1 });
    expect(await deliverDue(api.db.store, later(t0, 4))).toMatchObject({ attempts: 5, delivered: 5, failed: 0 });
    expect(await deliverDue(api.db.store, later(t0, 6))).toMatchObject({ attempts: 0 });

    // Exactly once by id among the accepted deliveries, in feed order, each validly signed.
    const accepted = hook.accepted();
    expect(accepted.map((r) => r.event.id)).toEqual(itemEvents.map((e) => e.id));
    expect(accepted.map((r) => r.event)).toEqual(itemEvents);
    for (const r of hook.received) {
      expect(verifySignature(created.secret, r.headers['cangku-signature'] as string, r.raw, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifySignature(created.secret, r.headers['cangku-signature'] as string, r.raw.replace('"item', '"ITEM'), Math.floor(Date.now() / 1000))).toBe(false);
      expect(verifySignature('whsec_wrong', r.headers['cangku-signature'] as string, r.raw, Math.floor(Date.now() / 1000))).toBe(false);
      expect(r.headers['cangku-event-id']).toBe(String(r.event.id));
      expect(r.headers['cangku-event-type']).toBe(r.event.type);
      expect(r.headers['content-type']).toBe('application/json');
    }
    // The failures were all the first event, and nothing overtook it.
    expect(hook.received.map((r) => [r.event.id, r.answered, r.headers['cangku-delivery-attempt']])).toEqual([
      [itemEvents[0].id, 500, '1'], [itemEvents[0].id, 500, '2'], [itemEvents[0].id, 200, '3'],
      ...itemEvents.slice(1).map((e) => [e.id, 200, '1']),
    ]);

    state = (await api.call('GET', `/api/v1/webhooks/${created.id}`)).body;
    expect(state).toMatchObject({ attempts: 0, nextAttemptAt: null, lastError: null, pending: 0 });
    expect(state.deliveredThrough).toBeGreaterThanOrEqual(itemEvents.at(-1).position);
    expect(state.lastSuccessAt).toEqual(expect.any(String));

    // The delivery log: every attempt, newest first.
    const log = await drainDeliveries(created.id);
    expect(log).toHaveLength(7);
    expect(log.map((d) => d.id)).toEqual([...log.map((d) => d.id)].sort((a, b) => b - a));
    const oldest = [...log].reverse();
    expect(oldest.slice(0, 3)).toMatchObject([
      { eventId: itemEvents[0].id, trigger: 'feed', attempt: 1, ok: false, statusCode: 500, error: 'HTTP 500', responseExcerpt: 'receiver is down' },
      { eventId: itemEvents[0].id, trigger: 'feed', attempt: 2, ok: false, statusCode: 500 },
      { eventId: itemEvents[0].id, eventPosition: itemEvents[0].position, eventType: 'item.created', trigger: 'feed', attempt: 3, ok: true, statusCode: 200, error: null, redeliveryId: null },
    ]);
    for (const d of log) expect(d.durationMs).toBeGreaterThanOrEqual(0);
    const failed = await api.call('GET', `/api/v1/webhooks/${created.id}/deliveries?ok=false`);
    expect(failed.body.items.map((d: any) => d.attempt)).toEqual([2, 1]);
    const paged = await api.call('GET', `/api/v1/webhooks/${created.id}/deliveries?limit=4`);
    expect(paged.body.items).toEqual(log.slice(0, 4));
    const rest = await api.call('GET', `/api/v1/webhooks/${created.id}/deliveries?limit=4&before=${paged.body.next}`);
    expect(rest.body.items).toEqual(log.slice(4));
    expect(rest.body.next).toBeUndefined();
  });

  it('never shows the secret again: not in GET, lists, the audit trail or the delivery log', async () => {
    const hook = await receiver();
    const created = await subscribe({ url: hook.url, events: ['*'] });
    const one = await api.call('GET', `/api/v1/webhooks/${created.id}`);
    const list = await api.call('GET', '/api/v1/webhooks');
    const audit = await api.call('GET', '/api/v1/audit?targetType=webhook&limit=1000');
    expect(audit.body.items.length).toBeGreaterThan(0);
    for (const text of [one, list, audit].map((r) => JSON.stringify(r.body))) {
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain('whsec_');
    }
    expect(one.body.secret).toBeUndefined();

    // Rotation: the new secret signs from now on, the old one no longer verifies.
    const rotated = await api.call('POST', `/api/v1/webhooks/${created.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    await createItems(1);
    await deliverDue(api.db.store);
    const last = hook.received.at(-1)!;
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature(rotated.body.secret, last.headers['cangku-signature'] as string, last.raw, now)).toBe(true);
    expect(verifySignature(created.secret, last.headers['cangku-signature'] as string, last.raw, now)).toBe(false);
  });

  it('redelivers one event on request, outside the stream, and logs it', async () => {
    const hook = await receiver();
    const created = await subscribe({ url: hook.url, events: ['item.created'] });
    await createItems(3);
    await deliverDue(api.db.store);
    expect(hook.received).toHaveLength(3);
    const target = hook.received[1]!.event;
    const cursor = (await api.call('GET', `/api/v1/webhooks/${created.id}`)).body.deliveredThrough;

    const queued = await api.call('POST', `/api/v1/webhooks/${created.id}/redeliveries`, { eventId: target.id });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ subscriptionId: created.id, eventId: target.id, status: 'queued', doneAt: null });
    expect(await deliverDue(api.db.store)).toMatchObject({ attempts: 1, redelivered: 1 });
    expect(hook.received).toHaveLength(4);
    expect(hook.received[3]!.event).toEqual(target);
    expect(hook.received[3]!.headers['cangku-event-id']).toBe(String(target.id));

    const done = await api.call('GET', `/api/v1/webhooks/${created.id}/redeliveries/${queued.body.id}`);
    expect(done.body).toMatchObject({ status: 'done', doneAt: expect.any(String) });
    const [latest] = await drainDeliveries(created.id);
    expect(latest).toMatchObject({ eventId: target.id, trigger: 'manual', redeliveryId: queued.body.id, ok: true, statusCode: 200 });
    expect((await api.call('GET', `/api/v1/webhooks/${created.id}`)).body.deliveredThrough).toBe(cursor);
    // Sent once: another turn sends nothing more.
    expect(await deliverDue(api.db.store)).toMatchObject({ attempts: 0 });
  });

  it('stops while disabled and resumes where it stopped; sees only events after its creation unless told', async () => {
    const early = await createItems(2);
    const hook = await receiver();
    const created = await subscribe({ url: hook.url, events: ['item.created'] });
    const off = await api.call('PATCH', `/api/v1/webhooks/${created.id}`, { active: false });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const whileOff = await createItems(2);
    expect(await deliverDue(api.db.store)).toMatchObject({ attempts: 0 });
    expect(hook.received).toHaveLength(0);
    expect((await api.call('POST', `/api/v1/webhooks/${created.id}/redeliveries`, { eventId: (await feedAfter(0)).at(-1).id })).status).toBe(409);

    expect((await api.call('PATCH', `/api/v1/webhooks/${created.id}`, { active: true })).body.active).toBe(true);
    await deliverDue(api.db.store);
    expect(hook.received.map((r) => r.event.data.sku)).toEqual(whileOff);

    // `after: 0` replays the whole history (all item.created so far, early ones included).
    const replay = await receiver();
    await subscribe({ url: replay.url, events: ['item.created'], after: 0 });
    await deliverDue(api.db.store);
    const skus = replay.received.map((r) => r.event.data.sku);
    expect(skus).toEqual(expect.arrayContaining([...early, ...whileOff]));
    expect(skus).toEqual((await feedAfter(0)).filter((e) => e.type === 'item.created').map((e) => e.data.sku));
  });

  it('two workers at once deliver each event once (the lease), still in order', async () => {
    const hook = await receiver({ delayMs: 30 });
    await subscribe({ url: hook.url, events: ['item.*'] });
    const skus = await createItems(4);
    await Promise.all([deliverDue(api.db.store), deliverDue(api.db.store), deliverDue(api.db.store)]);
    expect(hook.received.map((r) => r.event.data.sku)).toEqual(skus);
  });

  it('the background worker retries with backoff until delivered, and stops cleanly', async () => {
    const hook = await receiver({ failures: 2 });
    const created = await subscribe({ url: hook.url, events: ['item.created'] });
    const skus = await createItems(3);
    const worker = startWebhookWorker(api.db.store, { intervalMs: 10, retry: { baseMs: 20, capMs: 80 } });
    try {
      for (let i = 0; i < 500 && hook.accepted().length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await worker.stop();
    }
    expect(hook.accepted().map((r) => r.event.data.sku)).toEqual(skus);
    expect(hook.received).toHaveLength(5);
    expect((await drainDeliveries(created.id)).filter((d) => !d.ok)).toHaveLength(2);
  });

  it('stopping the worker lets the attempt in flight finish and records it, so it is not sent twice', async () => {
    const hook = await receiver({ delayMs: 300 });
    const created = await subscribe({ url: hook.url, events: ['item.created'] });
    const skus = await createItems(2);
    const worker = startWebhookWorker(api.db.store, { intervalMs: 10 });
    for (let i = 0; i < 500; i++) {
      const lease = await api.db.store.read.selectFrom('webhook_subscriptions').select('lease_token').where('id', '=', created.id).executeTakeFirstOrThrow();
      if (lease.lease_token !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 50));
    await worker.stop(); // while the first attempt waits 300 ms for its answer
    expect(hook.received.map((r) => r.event.data.sku)).toEqual([skus[0]]);
    const log = await drainDeliveries(created.id);
    expect(log.map((d) => d.ok)).toEqual([true]);
    expect((await api.call('GET', `/api/v1/webhooks/${created.id}`)).body).toMatchObject({ attempts: 0, pending: 1 });
  });

  it('stopping the worker aborts a hanging attempt after the grace period without logging or counting it', async () => {
    const hook = await receiver({ hang: true });
    const created = await subscribe({ url: hook.url, events: ['item.created'] });
    await createItems(1);
    const worker = startWebhookWorker(api.db.store, { intervalMs: 10, timeoutMs: 60_000, stopGraceMs: 200 });
    for (let i = 0; i < 500; i++) {
      const lease = await api.db.store.read.selectFrom('webhook_subscriptions').select('lease_token').where('id', '=', created.id).executeTakeFirstOrThrow();
      if (lease.lease_token !== null) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await worker.stop();
    expect(await drainDeliveries(created.id)).toEqual([]);
    const state = (await api.call('GET', `/api/v1/webhooks/${created.id}`)).body;
    expect(state).toMatchObject({ attempts: 0, pending: 1, nextAttemptAt: null });
    const lease = await api.db.store.read.selectFrom('webhook_subscriptions').select(['lease_token', 'lease_until']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(lease).toEqual({ lease_token: null, lease_until: null });
  });

  it('refuses bad input with 4xx and writes nothing', async () => {
    const hook = await receiver();
    const created = await subscribe({ url: hook.url, events: ['item.created'] });
    await createItems(1);
    const warehouseEvent = await api.call('POST', '/api/v1/warehouses', { code: `BADW${engine.length}`, name: 'For a bad redelivery' });
    expect(warehouseEvent.status).toBe(201);
    const events = await feedAfter(0);
    const before = await snapshot(api.db.store);
    const head = events.at(-1).position;
    const bad: Array<[string, string, unknown, number]> = [
      ['POST', '/api/v1/webhooks', { url: 'ftp://example.com/x', events: ['*'] }, 422],
      ['POST', '/api/v1/webhooks', { url: 'not a url', events: ['*'] }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://user:pw@example.com/x', events: ['*'] }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x', events: [] }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x', events: ['Item Created'] }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x' }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x', events: ['*'], secret: 'mine' }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x', events: ['*'], after: head + 1 }, 422],
      ['POST', '/api/v1/webhooks', { url: 'https://example.com/x', events: ['*'], after: -1 }, 422],
      ['POST', '/api/v1/webhooks', '{"url":', 400],
      ['PATCH', `/api/v1/webhooks/${created.id}`, {}, 422],
      ['PATCH', `/api/v1/webhooks/${created.id}`, { active: 'no' }, 422],
      ['PATCH', '/api/v1/webhooks/999999', { active: false }, 404],
      ['POST', '/api/v1/webhooks/999999/secret', undefined, 404],
      ['POST', `/api/v1/webhooks/${created.id}/redeliveries`, {}, 422],
      ['POST', `/api/v1/webhooks/${created.id}/redeliveries`, { eventId: 99_999_999 }, 422],
      ['POST', `/api/v1/webhooks/${created.id}/redeliveries`, { eventId: events.find((e) => e.type === 'warehouse.created').id }, 422],
      ['POST', '/api/v1/webhooks/999999/redeliveries', { eventId: events[0].id }, 404],
      ['GET', `/api/v1/webhooks/${created.id}/deliveries?ok=maybe`, undefined, 422],
      ['GET', '/api/v1/webhooks/999999/deliveries', undefined, 404],
      ['GET', `/api/v1/webhooks/${created.id}/redeliveries/999999`, undefined, 404],
      ['GET', '/api/v1/webhooks/abc', undefined, 422],
    ];
    for (const [method, path, body, status] of bad) {
      const res = await api.call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('needs the webhook.manage right', async () => {
    expect((await api.call('POST', '/api/v1/users', { username: 'hookviewer', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    const token = await api.login('hookviewer', 'viewer-pass-1');
    const as = { authorization: `Bearer ${token}` };
    expect((await api.call('GET', '/api/v1/webhooks', undefined, as)).status).toBe(403);
    expect((await api.call('POST', '/api/v1/webhooks', { url: 'https://example.com/x', events: ['*'] }, as)).status).toBe(403);
  });
});
