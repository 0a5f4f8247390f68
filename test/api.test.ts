import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';

/** The contract's HTTP surface, the same suite on SQLite and PostgreSQL. */
describe.each(ENGINES)('API on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine);
  });
  afterAll(async () => {
    await api?.close();
  });

  const stockOf = async (sku: string, warehouse?: string) => {
    const res = await api.call('GET', `/api/v1/stock?sku=${encodeURIComponent(sku)}${warehouse ? `&warehouse=${warehouse}` : ''}`);
    expect(res.status).toBe(200);
    return res.body.items as Array<{ sku: string; warehouse: string; location: string; lot: string | null; onHand: number; reserved: number; available: number }>;
  };

  it('answers health and the OpenAPI document', async () => {
    const health = await fetch(`${api.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const home = await fetch(`${api.baseUrl}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('/api/v1/openapi.json');
    const doc = await fetch(`${api.baseUrl}/api/v1/openapi.json`);
    expect(doc.status).toBe(200);
    const openapi = (await doc.json()) as any;
    expect(openapi.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/items', '/api/v1/warehouses', '/api/v1/inventory-adjustments', '/api/v1/stock', '/api/v1/sales-orders', '/api/v1/sales-orders/{id}/confirm', '/api/v1/moves', '/api/v1/auth/login']) {
      expect(openapi.paths[path], path).toBeDefined();
    }
    expect(openapi.paths['/api/v1/items'].post.requestBody.content['application/json'].schema.properties.sku).toBeDefined();
  });

  it('requires a valid token and the right role', async () => {
    const anonymous = await fetch(`${api.baseUrl}/api/v1/items`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(((await anonymous.json()) as any).type).toMatch(/unauthorized$/);
    const bad = await api.call('GET', '/api/v1/items', undefined, { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    const wrong = await api.call('POST', '/api/v1/auth/login', { username: 'admin', password: 'wrong' }, { authorization: '' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.type).toMatch(/unauthorized$/);

    expect((await api.call('POST', '/api/v1/users', { username: 'vera', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    const viewer = await api.login('vera', 'viewer-pass-1');
    const asViewer = { authorization: `Bearer ${viewer}` };
    expect((await api.call('GET', '/api/v1/stock', undefined, asViewer)).status).toBe(200);
    const denied = await api.call('POST', '/api/v1/items', { sku: 'V-1', name: 'x', unit: 'pcs' }, asViewer);
    expect(denied.status).toBe(403);
    expect(denied.body.type).toMatch(/forbidden$/);
    expect((await api.call('GET', '/api/v1/items?q=V-1')).body.items).toHaveLength(0);

    // Logout revokes the token at once.
    expect((await api.call('POST', '/api/v1/auth/logout', undefined, asViewer)).status).toBe(204);
    expect((await api.call('GET', '/api/v1/stock', undefined, asViewer)).status).toBe(401);
  });

  it('creates items and warehouses, with conflicts and lookups', async () => {
    const item = await api.call('POST', '/api/v1/items', { sku: 'SKU-1', name: '螺丝 M3', unit: 'pcs' });
    expect(item.status).toBe(201);
    expect(item.body).toMatchObject({ id: expect.any(Number), sku: 'SKU-1', unitPrecision: 0, tracking: 'none' });
    const again = await api.call('POST', '/api/v1/items', { sku: 'SKU-1', name: 'dup', unit: 'pcs' });
    expect(again.status).toBe(409);
    expect(again.body.type).toMatch(/conflict$/);
    expect((await api.call('GET', `/api/v1/items/${item.body.id}`)).body.sku).toBe('SKU-1');
    expect((await api.call('GET', '/api/v1/items/999999')).status).toBe(404);
    const renamed = await api.call('PATCH', `/api/v1/items/${item.body.id}`, { name: '螺丝 M3 不锈钢' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('螺丝 M3 不锈钢');
    expect((await api.call('GET', '/api/v1/items?q=不锈钢')).body.items.map((i: { sku: string }) => i.sku)).toEqual(['SKU-1']);

    const wh = await api.call('POST', '/api/v1/warehouses', { code: 'WH-A', name: 'Shanghai' });
    expect(wh.status).toBe(201);
    expect(wh.body).toMatchObject({ id: expect.any(Number), code: 'WH-A', stockLocation: 'WH-A/Stock' });
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'WH-A', name: 'again' })).status).toBe(409);
    const bin = await api.call('POST', `/api/v1/warehouses/${wh.body.id}/locations`, { code: 'A', kind: 'zone' });
    expect(bin.status).toBe(201);
    expect(bin.body.code).toBe('WH-A/Stock/A');
    const bin2 = await api.call('POST', `/api/v1/warehouses/${wh.body.id}/locations`, { code: 'A-01', kind: 'bin', parent: 'WH-A/Stock/A' });
    expect(bin2.body.code).toBe('WH-A/Stock/A/A-01');
    const locations = await api.call('GET', `/api/v1/locations?warehouse=${wh.body.id}`);
    expect(locations.body.items.map((l: { code: string }) => l.code)).toEqual(['WH-A', 'WH-A/Input', 'WH-A/Rejected', 'WH-A/Stock', 'WH-A/Stock/A', 'WH-A/Stock/A/A-01']);
    const virtual = await api.call('GET', '/api/v1/locations?kind=customer');
    expect(virtual.body.items).toHaveLength(1);
  });

  it('adjusts stock in and out, never below zero', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'ADJ-1', name: 'Flour', unit: 'kg', unitPrecision: 3 });
    await api.call('POST', '/api/v1/warehouses', { code: 'WH-B', name: 'Beijing' });
    const added = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-B', reason: 'opening stock', lines: [{ sku: 'ADJ-1', quantity: 12.345, unitCost: 3.2 }] });
    expect(added.status).toBe(201);
    expect(added.body.moves).toEqual([expect.objectContaining({ from: 'Virtual/Inventory adjustment', to: 'WH-B/Stock', quantity: 12.345 })]);
    const removed = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-B', lines: [{ sku: 'ADJ-1', quantity: -0.345 }] });
    expect(removed.status).toBe(201);
    expect(await stockOf('ADJ-1')).toEqual([expect.objectContaining({ sku: 'ADJ-1', warehouse: 'WH-B', location: 'WH-B/Stock', lot: null, onHand: 12, reserved: 0, available: 12 })]);
    const tooMuch = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-B', lines: [{ sku: 'ADJ-1', quantity: -12.001 }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.type).toMatch(/insufficient-stock$/);
    expect(tooMuch.body.errors[0].field).toBe('lines.0.quantity');
    expect((await stockOf('ADJ-1'))[0]!.onHand).toBe(12);
  });

  it('tracks lots and serials with expiry', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'MILK', name: 'Milk', unit: 'box', tracking: 'lot' });
    await api.call('POST', '/api/v1/items', { sku: 'PHONE', name: 'Phone', unit: 'pcs', tracking: 'serial' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WH-L', name: 'Lots' });
    const noLot = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-L', lines: [{ sku: 'MILK', quantity: 5 }] });
    expect(noLot.status).toBe(422);
    expect(noLot.body.errors[0].field).toBe('lines.0.lot');
    const lots = await api.call('POST', '/api/v1/inventory-adjustments', {
      warehouse: 'WH-L',
      lines: [
        { sku: 'MILK', quantity: 5, lot: 'L1', expiresOn: '2099-01-31' },
        { sku: 'MILK', quantity: 3, lot: 'L2', expiresOn: '2099-03-31' },
        { sku: 'PHONE', quantity: 1, lot: 'SN-001' },
      ],
    });
    expect(lots.status).toBe(201);
    const stock = await stockOf('MILK', 'WH-L');
    expect(stock.map((s) => [s.lot, s.onHand])).toEqual([['L1', 5], ['L2', 3]]);
    const twice = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-L', lines: [{ sku: 'PHONE', quantity: 1, lot: 'SN-001' }] });
    expect(twice.status).toBe(409);
    const two = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-L', lines: [{ sku: 'PHONE', quantity: 2, lot: 'SN-002' }] });
    expect(two.status).toBe(422);
    const otherExpiry = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-L', lines: [{ sku: 'MILK', quantity: 1, lot: 'L1', expiresOn: '2099-02-01' }] });
    expect(otherExpiry.status).toBe(422);
    // Orders reserve first-expired-first-out.
    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'Cafe', warehouse: 'WH-L', lines: [{ sku: 'MILK', quantity: 6 }] });
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`)).status).toBe(200);
    expect((await stockOf('MILK', 'WH-L')).map((s) => [s.lot, s.reserved])).toEqual([['L1', 5], ['L2', 1]]);
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/ship`)).status).toBe(200);
    expect((await stockOf('MILK', 'WH-L')).map((s) => [s.lot, s.onHand, s.reserved])).toEqual([['L1', 0, 0], ['L2', 2, 0]]);
  });

  it('runs the sales-order lifecycle: draft, confirm, ship, cancel', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'SO-A', name: 'A', unit: 'pcs' });
    await api.call('POST', '/api/v1/items', { sku: 'SO-B', name: 'B', unit: 'pcs' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WH-S', name: 'Sales' });
    await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-S', lines: [{ sku: 'SO-A', quantity: 10, unitCost: 1 }, { sku: 'SO-B', quantity: 3, unitCost: 2 }] });

    const created = await api.call('POST', '/api/v1/sales-orders', { customer: 'ACME', warehouse: 'WH-S', lines: [{ sku: 'SO-A', quantity: 4 }, { sku: 'SO-B', quantity: 2 }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), status: 'draft' });
    const confirmed = await api.call('POST', `/api/v1/sales-orders/${created.body.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('confirmed');
    expect((await stockOf('SO-A', 'WH-S'))[0]).toMatchObject({ onHand: 10, reserved: 4, available: 6 });

    // Two lines on one item are checked together: 2 + 2 > 3 available of SO-B... here 1 left.
    const short = await api.call('POST', '/api/v1/sales-orders', { customer: 'ACME', warehouse: 'WH-S', lines: [{ sku: 'SO-A', quantity: 1 }, { sku: 'SO-B', quantity: 1 }, { sku: 'SO-B', quantity: 1 }] });
    const refused = await api.call('POST', `/api/v1/sales-orders/${short.body.id}/confirm`);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/insufficient-stock$/);
    expect(refused.body.shortLines.map((l: { line: number }) => l.line)).toEqual([2, 3]);
    expect((await stockOf('SO-A', 'WH-S'))[0]!.reserved).toBe(4); // nothing of line 1 was reserved
    expect((await api.call('GET', `/api/v1/sales-orders/${short.body.id}`)).body.status).toBe('draft');

    const shipped = await api.call('POST', `/api/v1/sales-orders/${created.body.id}/ship`);
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    expect((await stockOf('SO-A', 'WH-S'))[0]).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    const moves = await api.call('GET', '/api/v1/moves?sku=SO-A');
    expect(moves.body.items.at(-1)).toMatchObject({ sku: 'SO-A', from: 'WH-S/Stock', to: 'Partners/Customers', quantity: 4, lot: null, document: expect.stringMatching(/^SO-/), postedAt: expect.any(String) });
    expect((await api.call('POST', `/api/v1/sales-orders/${created.body.id}/cancel`)).status).toBe(409);
    expect((await api.call('POST', `/api/v1/sales-orders/${created.body.id}/ship`)).status).toBe(409);

    const toCancel = await api.call('POST', '/api/v1/sales-orders', { customer: 'ACME', warehouse: 'WH-S', lines: [{ sku: 'SO-A', quantity: 5 }] });
    await api.call('POST', `/api/v1/sales-orders/${toCancel.body.id}/confirm`);
    expect((await stockOf('SO-A', 'WH-S'))[0]!.reserved).toBe(5);
    const cancelled = await api.call('POST', `/api/v1/sales-orders/${toCancel.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await stockOf('SO-A', 'WH-S'))[0]).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    expect((await api.call('POST', `/api/v1/sales-orders/${toCancel.body.id}/confirm`)).status).toBe(409);
    const draft = await api.call('POST', '/api/v1/sales-orders', { customer: 'ACME', warehouse: 'WH-S', lines: [{ sku: 'SO-A', quantity: 1 }] });
    expect((await api.call('POST', `/api/v1/sales-orders/${draft.body.id}/ship`)).status).toBe(409);
    expect((await api.call('POST', `/api/v1/sales-orders/${draft.body.id}/cancel`)).body.status).toBe('cancelled');
    expect((await api.call('POST', '/api/v1/sales-orders/999999/confirm')).status).toBe(404);
    const list = await api.call('GET', '/api/v1/sales-orders?status=cancelled');
    expect(list.body.items.map((o: { id: number }) => o.id)).toEqual([draft.body.id, toCancel.body.id]);
  });

  it('pages through moves with a cursor', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'PAGE', name: 'Paged', unit: 'pcs' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WH-P', name: 'Pages' });
    for (let i = 1; i <= 7; i++) await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH-P', lines: [{ sku: 'PAGE', quantity: i }] });
    const seen: number[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await api.call('GET', `/api/v1/moves?sku=PAGE&limit=3${after ? `&after=${after}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { quantity: number }) => m.quantity));
      after = res.body.next;
      pages++;
    } while (after);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pages).toBe(3);
    expect((await api.call('GET', '/api/v1/moves?sku=NOPE')).body.items).toEqual([]);
  });

  it('replays an idempotent POST and refuses a reused key with another body', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'IDEM', name: 'Idem', unit: 'pcs' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WH-I', name: 'Idem' });
    const body = { warehouse: 'WH-I', lines: [{ sku: 'IDEM', quantity: 5 }] };
    const first = await api.call('POST', '/api/v1/inventory-adjustments', body, { 'idempotency-key': 'adj-1' });
    const second = await api.call('POST', '/api/v1/inventory-adjustments', body, { 'idempotency-key': 'adj-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await stockOf('IDEM'))[0]!.onHand).toBe(5);
    expect((await api.call('GET', '/api/v1/moves?sku=IDEM')).body.items).toHaveLength(1);
    const mismatch = await api.call('POST', '/api/v1/inventory-adjustments', { ...body, lines: [{ sku: 'IDEM', quantity: 6 }] }, { 'idempotency-key': 'adj-1' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.type).toMatch(/idempotency-mismatch$/);
    expect((await stockOf('IDEM'))[0]!.onHand).toBe(5);

    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'X', warehouse: 'WH-I', lines: [{ sku: 'IDEM', quantity: 2 }] }, { 'idempotency-key': 'so-1' });
    const orderAgain = await api.call('POST', '/api/v1/sales-orders', { customer: 'X', warehouse: 'WH-I', lines: [{ sku: 'IDEM', quantity: 2 }] }, { 'idempotency-key': 'so-1' });
    expect(orderAgain.body.id).toBe(order.body.id);
    const c1 = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`, undefined, { 'idempotency-key': 'so-1-confirm' });
    const c2 = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`, undefined, { 'idempotency-key': 'so-1-confirm' });
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect((await stockOf('IDEM'))[0]!.reserved).toBe(2);
    const s1 = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/ship`, {}, { 'idempotency-key': 'so-1-ship' });
    const s2 = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/ship`, {}, { 'idempotency-key': 'so-1-ship' });
    expect([s1.status, s2.status]).toEqual([200, 200]);
    expect((await stockOf('IDEM'))[0]).toMatchObject({ onHand: 3, reserved: 0 });
  });
});
