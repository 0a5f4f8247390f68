import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type Running } from '../src/app/start.js';
import { ADMIN_PASSWORD, assertLedgerVerified, ENGINES, PG_URL, type Engine } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

interface FeedEvent { id: number; position: number; type: string; createdAt: string; data: any }

/** Read the whole feed after `after`, page by page, as a consumer would. */
async function drain(call: TestApi['call'], after: string, limit = 3): Promise<{ events: FeedEvent[]; next: string; pages: number }> {
  const events: FeedEvent[] = [];
  let cursor = after;
  let pages = 0;
  for (;;) {
    const page = await call('GET', `/api/v1/events?after=${cursor}&limit=${limit}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    pages++;
    events.push(...page.body.items);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    if (page.body.items.length === 0) {
      expect(page.body.next).toBe(cursor);
      return { events, next: cursor, pages };
    }
    expect(page.body.next).toBe(String(page.body.items.at(-1).position));
    cursor = page.body.next;
  }
}

/** Positions run on without a gap and ids never repeat. */
function expectGapless(events: FeedEvent[], firstPosition: number): void {
  expect(events.map((e) => e.position)).toEqual(events.map((_, i) => firstPosition + i));
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
}

describe.each(ENGINES)('change feed on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves every event in position order, page by page, with `after` and `limit`', async () => {
    const start = await drain(api.call, '0');
    expectGapless(start.events, 1);
    for (let i = 0; i < 7; i++) {
      expect((await api.call('POST', '/api/v1/items', { sku: `FEED-${i}`, name: `Feed item ${i}`, unit: 'pcs' })).status).toBe(201);
    }
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'FEEDWH', name: 'Feed warehouse' })).status).toBe(201);
    const read = await drain(api.call, start.next, 3);
    expect(read.pages).toBe(4); // 3 + 3 + 2, then an empty page
    expectGapless(read.events, Number(start.next) + 1);
    expect(read.events.map((e) => e.type)).toEqual([...Array(7).fill('item.created'), 'warehouse.created']);
    expect(read.events.slice(0, 7).map((e) => e.data.sku)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `FEED-${i}`));

    // The whole feed from 0 in one page agrees with the paged reading.
    const all = await api.call('GET', '/api/v1/events?limit=1000');
    expect(all.body.items.slice(Number(start.next))).toEqual(read.events);

    // Filtered by type (exact and prefix): the cursor is still a position.
    const warehouses = await api.call('GET', `/api/v1/events?after=${start.next}&types=warehouse.*`);
    expect(warehouses.body.items.map((e: FeedEvent) => e.data.code)).toEqual(['FEEDWH']);
    expect(warehouses.body.next).toBe(String(read.events.at(-1)!.position));
    const items = await api.call('GET', `/api/v1/events?after=${start.next}&types=item.created,nothing.here`);
    expect(items.body.items).toHaveLength(7);
  });

  it('does not skip an event whose transaction commits after a later one (smaller id, later position)', async () => {
    const before = await drain(api.call, '0', 1000);
    // Reserve an id that is never visible (inserted and removed in one transaction), as the id of a
    // transaction that is still open would be; then a later command commits with a larger id.
    const reserved = await api.db.store.run(async (tx) => {
      const row = await tx.insertInto('outbox_events').values({ org_id: api.db.orgId, type: 'test.reserved', payload: '{}', created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
      await tx.deleteFrom('outbox_events').where('id', '=', row.id).execute();
      return Number(row.id);
    });
    expect((await api.call('POST', '/api/v1/items', { sku: 'LATER', name: 'Committed first', unit: 'pcs' })).status).toBe(201);
    const first = await drain(api.call, before.next);
    expect(first.events.map((e) => e.type)).toEqual(['item.created']);
    expect(first.events[0]!.id).toBeGreaterThan(reserved);

    // Now the "slow" transaction commits its event with the smaller id.
    await api.db.store.run((tx) =>
      tx.insertInto('outbox_events').values({ id: reserved, org_id: api.db.orgId, type: 'test.late', payload: '{"late":true}', created_at: new Date().toISOString() }).execute(),
    );
    const second = await drain(api.call, first.next);
    expect(second.events.map((e) => [e.id, e.type])).toEqual([[reserved, 'test.late']]);
    // A reader that served by id (id > last seen id) would never have returned it:
    expect(second.events[0]!.id).toBeLessThan(first.events[0]!.id);
    expectGapless([...before.events, ...first.events, ...second.events], 1);
  });

  it.runIf(engine === 'postgres')('keeps the feed whole while a transaction that wrote an event stays open (real interleaving)', async () => {
    const before = await drain(api.call, '0', 1000);
    let commitSlow!: () => void;
    const release = new Promise<void>((resolve) => (commitSlow = resolve));
    let inserted!: (id: number) => void;
    const slowId = new Promise<number>((resolve) => (inserted = resolve));
    const slow = api.db.store.read.transaction().execute(async (tx) => {
      const row = await tx.insertInto('outbox_events').values({ org_id: api.db.orgId, type: 'test.slow', payload: '{}', created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
      inserted(Number(row.id));
      await release; // stays open while the next command commits
    });
    const smaller = await slowId;
    expect((await api.call('POST', '/api/v1/items', { sku: 'FAST', name: 'Commits while the other is open', unit: 'pcs' })).status).toBe(201);
    const during = await drain(api.call, before.next);
    expect(during.events.map((e) => e.type)).toEqual(['item.created']);
    expect(during.events[0]!.id).toBeGreaterThan(smaller);

    commitSlow();
    await slow;
    const after = await drain(api.call, during.next);
    expect(after.events.map((e) => [e.id, e.type])).toEqual([[smaller, 'test.slow']]);
    expectGapless([...before.events, ...during.events, ...after.events], 1);
  });

  it('positions concurrent commands gap-free and without duplicates', async () => {
    const before = await drain(api.call, '0', 1000);
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.call('POST', '/api/v1/items', { sku: `PAR-${i}`, name: `Parallel ${i}`, unit: 'pcs' })),
    );
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
    // Readers racing with each other run the sequencer at once; each must see a gap-free prefix.
    const pages = await Promise.all([drain(api.call, before.next, 7), drain(api.call, before.next, 5), drain(api.call, before.next, 1000)]);
    for (const page of pages) {
      expectGapless(page.events, Number(before.next) + 1);
      expect(page.events.map((e) => e.data.sku).sort()).toEqual(created.map((r) => r.body.sku).sort());
    }
  });

  it('refuses bad input with 4xx and writes nothing', async () => {
    expect((await api.call('POST', '/api/v1/items', { sku: 'BAD-IN', name: 'Unpositioned yet', unit: 'pcs' })).status).toBe(201);
    const before = await snapshot(api.db.store);
    for (const query of ['after=abc', 'after=-1', 'limit=0', 'limit=5000', 'limit=x', 'types=Sales.Order', 'types=a..b', 'unknown=1', 'after=1.5']) {
      const res = await api.call('GET', `/api/v1/events?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.type).toMatch(/validation$/);
    }
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('needs a token and the event.view right', async () => {
    expect((await fetch(`${api.baseUrl}/api/v1/events`)).status).toBe(401);
    expect((await api.call('POST', '/api/v1/users', { username: 'feedviewer', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    const token = await api.login('feedviewer', 'viewer-pass-1');
    const res = await api.call('GET', '/api/v1/events', undefined, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(403);
  });
});

/** A real server process lifecycle: startApp (with its webhook worker), close, start again on the same database. */
describe.each(ENGINES)('change feed across a restart on %s', (engine: Engine) => {
  let databaseUrl: string;
  let schema: string | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    if (engine === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'cangku-feed-'));
      databaseUrl = `sqlite:${join(dir, 'feed.db')}`;
    } else {
      schema = `t_${inject('testRun')}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      databaseUrl = PG_URL;
    }
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    startApp({
      databaseUrl, host: '127.0.0.1', port: 0, logLevel: 'silent', adminPassword: ADMIN_PASSWORD,
      connect: schema ? { schema } : { sqliteSynchronous: 'NORMAL' }, webhooks: { intervalMs: 50 },
    });
  const client = async (running: Running) => {
    const base = running.url;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const call: TestApi['call'] = async (method, path, body) => {
      const res = await fetch(base + path, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any, headers: res.headers };
    };
    return call;
  };

  it('continues after the last position read, with no gap and no duplicate; webhooks too', async () => {
    // A receiver that records what it accepted; the servers' background workers deliver to it.
    const accepted: FeedEvent[] = [];
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        accepted.push(JSON.parse(raw) as FeedEvent);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const first = await start();
    let call = await client(first);
    expect((await call('POST', '/api/v1/webhooks', { url: hookUrl, events: ['item.created'] })).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await call('POST', '/api/v1/items', { sku: `R1-${i}`, name: 'Before restart', unit: 'pcs' })).status).toBe(201);
    // The consumer reads part of the feed, then the server goes down; more was written meanwhile.
    const page = await call('GET', '/api/v1/events?limit=3');
    expect(page.body.items).toHaveLength(3);
    const seen: FeedEvent[] = page.body.items;
    expect((await call('POST', '/api/v1/items', { sku: 'R1-last', name: 'Just before the restart', unit: 'pcs' })).status).toBe(201);
    await first.close();

    const second = await start();
    call = await client(second);
    for (let i = 0; i < 4; i++) expect((await call('POST', '/api/v1/items', { sku: `R2-${i}`, name: 'After restart', unit: 'pcs' })).status).toBe(201);
    const rest = await drain(call, page.body.next, 4);
    const all = [...seen, ...rest.events];
    expectGapless(all, 1);
    expect(all.map((e) => e.data.sku)).toEqual(['R1-0', 'R1-1', 'R1-2', 'R1-3', 'R1-4', 'R1-last', 'R2-0', 'R2-1', 'R2-2', 'R2-3']);
    for (let i = 0; i < 500 && accepted.length < all.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(accepted).toEqual(all);
    await assertLedgerVerified(second.store);
    await second.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
});
