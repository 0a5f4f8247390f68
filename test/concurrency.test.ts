import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';

/**
 * Many clients at once over HTTP: the ledger never oversells and never deadlocks. PostgreSQL gets
 * a pool of 20 connections so that transactions really overlap.
 */
describe.each(ENGINES)('concurrency on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine, { poolSize: 20 });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('200 concurrent confirms of 1 unit against 50 on hand: exactly 50 succeed', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'HOT', name: 'Hot item', unit: 'pcs' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WH', name: 'Main' });
    // Split over the stock location and two bins, so reservations have to spread over balances.
    const wh = (await api.call('GET', '/api/v1/warehouses')).body.items.find((w: { code: string }) => w.code === 'WH');
    await api.call('POST', `/api/v1/warehouses/${wh.id}/locations`, { code: 'B1', kind: 'bin' });
    await api.call('POST', `/api/v1/warehouses/${wh.id}/locations`, { code: 'B2', kind: 'bin' });
    for (const [location, quantity] of [['WH/Stock', 20], ['WH/Stock/B1', 20], ['WH/Stock/B2', 10]] as const) {
      expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WH', location, lines: [{ sku: 'HOT', quantity }] })).status).toBe(201);
    }
    const orders = await Promise.all(
      Array.from({ length: 200 }, async () => (await api.call('POST', '/api/v1/sales-orders', { customer: 'crowd', warehouse: 'WH', lines: [{ sku: 'HOT', quantity: 1 }] })).body.id as number),
    );
    const results = await Promise.all(orders.map((id) => api.call('POST', `/api/v1/sales-orders/${id}/confirm`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.type).toMatch(/insufficient-stock$/);

    const stock = (await api.call('GET', '/api/v1/stock?sku=HOT&warehouse=WH')).body.items as Array<{ onHand: number; reserved: number; available: number }>;
    expect(stock.reduce((s, b) => s + b.reserved, 0)).toBe(50);
    expect(stock.reduce((s, b) => s + b.onHand, 0)).toBe(50);
    for (const b of stock) {
      expect(b.onHand).toBeGreaterThanOrEqual(0);
      expect(b.reserved).toBeLessThanOrEqual(b.onHand);
      expect(b.available).toBeGreaterThanOrEqual(0);
    }

    // Shipping the 50 concurrently empties the warehouse exactly.
    const confirmed = orders.filter((_, i) => results[i]!.status === 200);
    const shipped = await Promise.all(confirmed.map((id) => api.call('POST', `/api/v1/sales-orders/${id}/ship`)));
    expect(shipped.every((r) => r.status === 200)).toBe(true);
    const after = (await api.call('GET', '/api/v1/stock?sku=HOT&warehouse=WH')).body.items as Array<{ onHand: number; reserved: number }>;
    expect(after.reduce((s, b) => s + b.onHand, 0)).toBe(0);
    expect(after.reduce((s, b) => s + b.reserved, 0)).toBe(0);
  });

  it('a serial brought back by many documents at once gets in only once', async () => {
    await api.call('POST', '/api/v1/items', { sku: 'SERIAL', name: 'Serialized', unit: 'pcs', tracking: 'serial' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WS', name: 'Serials' });
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WS', lines: [{ sku: 'SERIAL', quantity: 1, lot: 'SN-1' }] })).status).toBe(201);
    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'c', warehouse: 'WS', lines: [{ sku: 'SERIAL', quantity: 1 }] });
    await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`);
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/ship`)).status).toBe(200);
    // SN-1 is with the customer now; ten documents try to bring it back at the same moment.
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WS', lines: [{ sku: 'SERIAL', quantity: 1, lot: 'SN-1' }] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const stock = (await api.call('GET', '/api/v1/stock?sku=SERIAL')).body.items as Array<{ onHand: number }>;
    expect(stock.reduce((s, b) => s + b.onHand, 0)).toBe(1);
  });

  it('orders touching the same items in opposite line order do not deadlock', async () => {
    const skus = ['X1', 'X2', 'X3', 'X4'];
    for (const sku of skus) await api.call('POST', '/api/v1/items', { sku, name: sku, unit: 'pcs' });
    await api.call('POST', '/api/v1/warehouses', { code: 'WD', name: 'Deadlock' });
    await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WD', lines: skus.map((sku) => ({ sku, quantity: 1000 })) });
    const forward = skus.map((sku) => ({ sku, quantity: 1 }));
    const backward = [...forward].reverse();
    const ids = await Promise.all(
      Array.from({ length: 120 }, async (_, i) => (await api.call('POST', '/api/v1/sales-orders', { customer: 'c', warehouse: 'WD', lines: i % 2 ? forward : backward })).body.id as number),
    );
    // Confirm, then ship half and cancel the other half, all interleaved; adjustments run alongside.
    const confirms = await Promise.all([
      ...ids.map((id) => api.call('POST', `/api/v1/sales-orders/${id}/confirm`)),
      ...Array.from({ length: 20 }, (_, i) => api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WD', lines: (i % 2 ? skus : [...skus].reverse()).map((sku) => ({ sku, quantity: 1 })) })),
    ]);
    expect(confirms.map((r) => r.status).filter((s) => s !== 200 && s !== 201)).toEqual([]);
    const finishes = await Promise.all(ids.map((id, i) => api.call('POST', `/api/v1/sales-orders/${id}/${i % 2 ? 'ship' : 'cancel'}`)));
    expect(finishes.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    // Locks are taken in one order, so not even a retried deadlock may have happened.
    expect(api.db.store.retries).toBe(0);
    const stock = (await api.call('GET', '/api/v1/stock?warehouse=WD')).body.items as Array<{ sku: string; onHand: number; reserved: number }>;
    for (const sku of skus) {
      const row = stock.find((s) => s.sku === sku)!;
      expect(row.onHand).toBe(1000 + 20 - 60);
      expect(row.reserved).toBe(0);
    }
  });
});
