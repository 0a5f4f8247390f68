import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';

/** Read server-sent events from /api/v1/live until `until` says enough (or the time is up). */
async function readLive(api: TestApi, token: string, until: (events: Array<{ event: string; data: any }>) => boolean, query = '') {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  const events: Array<{ event: string; data: any }> = [];
  const response = await fetch(`${api.baseUrl}/api/v1/live${query}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe.each(ENGINES)('web app API: dashboard, live events, list paging (%s)', (engine) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(engine);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'WH1', name: 'Main' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'WH2', name: 'Second' })).status).toBe(201);
    for (const [sku, name, tracking] of [['B2', 'banana', 'none'], ['A1', 'apple', 'none'], ['C3', 'cherry', 'lot'], ['D4', 'date', 'none']]) {
      expect((await api.call('POST', '/api/v1/items', { sku, name, unit: 'pcs', tracking })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  it('sums stock value, SKUs, warehouses, low stock, expiring lots, orders and the trend', async () => {
    const before = await api.call('GET', '/api/v1/dashboard');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ itemCount: 4, skusInStock: 0, stockValue: 0, lowStock: [], expiring: [], salesOrders: {} });

    const soon = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const adjust = await api.call('POST', '/api/v1/inventory-adjustments', {
      warehouse: 'WH1',
      lines: [{ sku: 'A1', quantity: 10, unitCost: 2.5 }, { sku: 'C3', quantity: 3, lot: 'L1', expiresOn: soon, unitCost: 1 }, { sku: 'B2', quantity: 2, unitCost: 4 }],
    });
    expect(adjust.status).toBe(201);
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH2', lines: [{ sku: 'A1', quantity: 2, unitCost: 2.5 }] })).status).toBe(201);
    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'Bob', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 4 }, { sku: 'B2', quantity: 2 }] });
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`)).status).toBe(200);
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/ship`)).status).toBe(200);
    await api.call('POST', '/api/v1/sales-orders', { customer: 'Eve', warehouse: 'WH2', lines: [{ sku: 'A1', quantity: 1 }] });

    const all = (await api.call('GET', '/api/v1/dashboard')).body;
    // A1: 8 left x 2.5, C3: 3 x 1, B2: 0.
    expect(all.stockValue).toBe(23);
    expect(all.skusInStock).toBe(2);
    expect(all.warehouses).toEqual([
      { code: 'WH1', name: 'Main', skus: 2, onHand: 9, value: 18 },
      { code: 'WH2', name: 'Second', skus: 1, onHand: 2, value: 5 },
    ]);
    expect(all.lowStock.map((l: { sku: string }) => l.sku)).toEqual(['B2']);
    expect(all.expiring).toEqual([{ sku: 'C3', name: 'cherry', warehouse: 'WH1', lot: 'L1', expiresOn: soon, daysLeft: 5, onHand: 3 }]);
    expect(all.salesOrders).toEqual({ shipped: 1, draft: 1 });
    const today = all.trend[all.trend.length - 1];
    expect(all.trend).toHaveLength(30);
    expect(today).toMatchObject({ inbound: 17, outbound: 6, inboundMoves: 4, outboundMoves: 2 });

    const wh2 = (await api.call('GET', '/api/v1/dashboard?warehouse=WH2&lowStockAt=5')).body;
    expect(wh2).toMatchObject({ warehouse: 'WH2', skusInStock: 1, stockValue: 5, salesOrders: { draft: 1 } });
    expect(wh2.lowStock).toEqual([{ sku: 'A1', name: 'apple', unit: 'pcs', onHand: 2, available: 2 }]);
    expect(wh2.trend[wh2.trend.length - 1]).toMatchObject({ inbound: 2, outbound: 0 });

    expect((await api.call('GET', '/api/v1/dashboard?warehouse=NOPE')).status).toBe(404);
    const bad = await api.call('GET', '/api/v1/dashboard?trendDays=0');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('query.trendDays');
  });

  it('streams committed events of the company, and refuses without a token', async () => {
    expect((await fetch(`${api.baseUrl}/api/v1/live`)).status).toBe(401);
    const streamed = readLive(api, api.token, (events) => events.some((e) => e.event === 'item.created'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await api.call('POST', '/api/v1/items', { sku: 'LIVE1', name: 'live', unit: 'pcs' })).status).toBe(201);
    const events = await streamed;
    expect(events[0]!.event).toBe('ready');
    const created = events.find((e) => e.event === 'item.created')!;
    expect(created.data).toMatchObject({ type: 'item.created' });
    expect(Object.keys(created.data).sort()).toEqual(['at', 'id', 'type']);

    // Reconnecting with the last id seen replays what came after it.
    const replay = await readLive(api, api.token, (e) => e.some((x) => x.event === 'item.created'), `?after=${created.data.id - 1}`);
    expect(replay.find((e) => e.event === 'item.created')!.data.id).toBe(created.data.id);
    expect((await api.call('GET', '/api/v1/live?after=x')).status).toBe(422);
  });

  it('sorts, filters and pages items and partners by position with a total', async () => {
    const page1 = await api.call('GET', '/api/v1/items?sort=-name&limit=2&offset=0&total=true');
    expect(page1.status).toBe(200);
    expect(page1.body.items.map((i: { sku: string }) => i.sku)).toEqual(['LIVE1', 'D4']);
    expect(page1.body.total).toBe(5);
    const page2 = await api.call('GET', '/api/v1/items?sort=-name&limit=2&offset=2');
    expect(page2.body.items.map((i: { sku: string }) => i.sku)).toEqual(['C3', 'B2']);
    expect(page2.body.total).toBeUndefined();
    const lots = await api.call('GET', '/api/v1/items?tracking=lot&total=true');
    expect(lots.body).toMatchObject({ total: 1, items: [{ sku: 'C3' }] });
    const searched = await api.call('GET', '/api/v1/items?q=an&sort=sku&total=true');
    expect(searched.body.items.map((i: { sku: string }) => i.sku)).toEqual(['B2']);
    const mixed = await api.call('GET', '/api/v1/items?after=1&sort=sku');
    expect(mixed.status).toBe(422);
    expect(mixed.body.errors[0].field).toBe('query.after');
    // The keyset pages are unchanged.
    const keyset = await api.call('GET', '/api/v1/items?limit=2');
    expect(keyset.body.items.map((i: { sku: string }) => i.sku)).toEqual(['B2', 'A1']);
    expect(keyset.body.next).toBeDefined();

    for (const [code, name, kind] of [['S1', 'Zeta supply', 'supplier'], ['C1', 'Alpha shop', 'customer'], ['B1', 'Mid both', 'both']]) {
      expect((await api.call('POST', '/api/v1/partners', { code, name, kind })).status).toBe(201);
    }
    const partners = await api.call('GET', '/api/v1/partners?sort=name&total=true&kind=customer');
    expect(partners.body.items.map((p: { code: string }) => p.code)).toEqual(['C1', 'B1']);
    expect(partners.body.total).toBe(2);
  });

  it('serves the web app for client routes and keeps API 404 problems', async () => {
    const page = await fetch(`${api.baseUrl}/items/1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const missingApi = await fetch(`${api.baseUrl}/api/v1/nope`);
    expect(missingApi.status).toBe(404);
    expect(((await missingApi.json()) as { type: string }).type).toBe('urn:cangku:problem:not-found');
    expect((await fetch(`${api.baseUrl}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${api.baseUrl}/..%2f..%2fpackage.json`)).status).not.toBe(500);
    const traversal = await fetch(`${api.baseUrl}/..%2f..%2fpackage.json`);
    expect(await traversal.text()).not.toContain('"name": "cangku"');
  });
});
