import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** Reorder settings on items (0015_reorder) and the dashboard's low stock that uses them. */
describe.each(ENGINES)('reorder settings (%s)', (engine) => {
  let api: TestApi;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    api = await startTestApi(engine);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'RW1', name: 'Main' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'RW2', name: 'Second' })).status).toBe(201);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('creates, reads, patches and clears reorder settings exactly', async () => {
    const created = await api.call('POST', '/api/v1/items', { sku: 'FLOUR', name: 'flour', unit: 'kg', unitPrecision: 3, reorderPoint: 12.125, safetyStock: 4.5, reorderQuantity: 50 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sku: 'FLOUR', unitPrecision: 3, reorderPoint: 12.125, safetyStock: 4.5, reorderQuantity: 50 });
    ids.FLOUR = created.body.id;

    const plain = await api.call('POST', '/api/v1/items', { sku: 'PLAIN', name: 'plain', unit: 'pcs' });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ reorderPoint: null, safetyStock: null, reorderQuantity: null });

    const read = await api.call('GET', `/api/v1/items/${ids.FLOUR}`);
    expect(read.body).toMatchObject({ reorderPoint: 12.125, safetyStock: 4.5, reorderQuantity: 50 });
    const listed = await api.call('GET', '/api/v1/items?q=FLOUR');
    expect(listed.body.items[0]).toMatchObject({ reorderPoint: 12.125 });

    // A PATCH changes only what it names; null clears.
    const patched = await api.call('PATCH', `/api/v1/items/${ids.FLOUR}`, { reorderPoint: 20, reorderQuantity: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'flour', reorderPoint: 20, safetyStock: 4.5, reorderQuantity: null });
    const renamed = await api.call('PATCH', `/api/v1/items/${ids.FLOUR}`, { name: 'wheat flour' });
    expect(renamed.body).toMatchObject({ name: 'wheat flour', reorderPoint: 20, safetyStock: 4.5, reorderQuantity: null });
    expect((await api.call('PATCH', `/api/v1/items/${ids.FLOUR}`, { reorderQuantity: 0.001 })).body.reorderQuantity).toBe(0.001);

    // Large values stay exact (int64 millionths).
    const big = await api.call('PATCH', `/api/v1/items/${ids.FLOUR}`, { reorderPoint: 123456789012.5 });
    expect(big.body.reorderPoint).toBe(123456789012.5);
    expect((await api.call('PATCH', `/api/v1/items/${ids.FLOUR}`, { reorderPoint: 20 })).status).toBe(200);

  });

  it('refuses bad reorder settings with 422 naming the field and writes nothing', async () => {
    const item = (await api.call('GET', `/api/v1/items/${ids.FLOUR}`)).body;
    const cases: Array<[string, 'POST' | 'PATCH', Record<string, unknown>, string]> = [
      ['negative reorder point', 'POST', { sku: 'BAD1', name: 'x', unit: 'pcs', reorderPoint: -1 }, 'reorderPoint'],
      ['too many decimals for the unit', 'POST', { sku: 'BAD2', name: 'x', unit: 'pcs', safetyStock: 1.5 }, 'safetyStock'],
      ['too many decimals at precision 2', 'POST', { sku: 'BAD3', name: 'x', unit: 'kg', unitPrecision: 2, reorderQuantity: 1.255 }, 'reorderQuantity'],
      ['a string', 'POST', { sku: 'BAD4', name: 'x', unit: 'pcs', reorderPoint: '5' }, 'reorderPoint'],
      ['a boolean', 'POST', { sku: 'BAD5', name: 'x', unit: 'pcs', reorderQuantity: true }, 'reorderQuantity'],
      ['negative on patch', 'PATCH', { safetyStock: -0.5 }, 'safetyStock'],
      ['too many decimals on patch', 'PATCH', { reorderPoint: 1.0001 }, 'reorderPoint'],
      ['wrong type on patch', 'PATCH', { reorderQuantity: { n: 1 } }, 'reorderQuantity'],
      ['one good and one bad field', 'PATCH', { reorderPoint: 1, safetyStock: -2 }, 'safetyStock'],
      ['a precision the kept settings do not fit', 'PATCH', { unitPrecision: 0 }, 'safetyStock'],
    ];
    for (const [name, method, body, field] of cases) {
      const before = await snapshot(api.db.store);
      const res = method === 'POST' ? await api.call('POST', '/api/v1/items', body) : await api.call('PATCH', `/api/v1/items/${ids.FLOUR}`, body);
      expect(res.status, name).toBe(422);
      expect(res.body.type, name).toMatch(/validation$/);
      expect(res.body.errors.map((e: { field: string }) => e.field), name).toContain(field);
      expect(await snapshot(api.db.store), name).toEqual(before);
    }
    expect((await api.call('GET', `/api/v1/items/${ids.FLOUR}`)).body).toEqual(item);
    expect((await api.call('GET', '/api/v1/items?q=BAD')).body.items).toEqual([]);
  });

  it('lists items at or below their reorder point, critical below safety stock, others by lowStockAt', async () => {
    const create = async (sku: string, settings: Record<string, number>) => {
      const res = await api.call('POST', '/api/v1/items', { sku, name: sku.toLowerCase(), unit: 'pcs', ...settings });
      expect(res.status).toBe(201);
    };
    await create('LOW', { reorderPoint: 10, safetyStock: 2 }); // 6 available: low, not critical
    await create('CRIT', { reorderPoint: 10, safetyStock: 5, reorderQuantity: 40 }); // 3: critical
    await create('HIGH', { reorderPoint: 10, safetyStock: 2 }); // 11: not low
    await create('EDGE', { reorderPoint: 7 }); // 3 + 4 in two warehouses = 7: low (at the point)
    await create('NONE', {}); // 1 available: low only when lowStockAt >= 1
    const adjust = await api.call('POST', '/api/v1/inventory-adjustments', {
      warehouse: 'RW1',
      lines: [{ sku: 'LOW', quantity: 6 }, { sku: 'CRIT', quantity: 3 }, { sku: 'HIGH', quantity: 11 }, { sku: 'EDGE', quantity: 3 }, { sku: 'NONE', quantity: 1 }],
    });
    expect(adjust.status).toBe(201);
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'RW2', lines: [{ sku: 'EDGE', quantity: 4 }] })).status).toBe(201);

    const all = (await api.call('GET', '/api/v1/dashboard')).body;
    const bySku = new Map<string, any>(all.lowStock.map((r: { sku: string }) => [r.sku, r]));
    expect([...bySku.keys()].sort()).toEqual(['CRIT', 'EDGE', 'LOW']);
    expect(all.lowStock[0].sku).toBe('CRIT'); // critical first
    expect(all.lowStockCount).toBe(3);
    expect(bySku.get('CRIT')).toEqual({ sku: 'CRIT', name: 'crit', unit: 'pcs', onHand: 3, available: 3, reorderPoint: 10, safetyStock: 5, reorderQuantity: 40, suggestedQuantity: 40, critical: true });
    expect(bySku.get('LOW')).toMatchObject({ available: 6, reorderPoint: 10, safetyStock: 2, reorderQuantity: null, suggestedQuantity: 4, critical: false });
    expect(bySku.get('EDGE')).toMatchObject({ available: 7, reorderPoint: 7, suggestedQuantity: 0, critical: false });

    // Items without a reorder point still follow lowStockAt, with the row shape as before.
    const withParam = (await api.call('GET', '/api/v1/dashboard?lowStockAt=1')).body;
    expect(withParam.lowStock.find((r: { sku: string }) => r.sku === 'NONE')).toEqual({ sku: 'NONE', name: 'none', unit: 'pcs', onHand: 1, available: 1 });
    expect(withParam.lowStock.some((r: { sku: string }) => r.sku === 'HIGH')).toBe(false);

    // A reservation lowers what is available: HIGH drops to its reorder point.
    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'Ann', warehouse: 'RW1', lines: [{ sku: 'HIGH', quantity: 1 }] });
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`)).status).toBe(200);
    const reserved = (await api.call('GET', '/api/v1/dashboard')).body;
    expect(reserved.lowStock.find((r: { sku: string }) => r.sku === 'HIGH')).toMatchObject({ onHand: 11, available: 10, suggestedQuantity: 0, critical: false });

    // The warehouse scope counts only that warehouse: EDGE has 4 in RW2, below its point of 7.
    const rw2 = (await api.call('GET', '/api/v1/dashboard?warehouse=RW2')).body;
    expect(rw2.lowStock).toEqual([{ sku: 'EDGE', name: 'edge', unit: 'pcs', onHand: 4, available: 4, reorderPoint: 7, safetyStock: null, reorderQuantity: null, suggestedQuantity: 3, critical: false }]);

    // Raising the stock above the point takes the item off the list.
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'RW1', lines: [{ sku: 'LOW', quantity: 5 }] })).status).toBe(201);
    const after = (await api.call('GET', '/api/v1/dashboard')).body;
    expect(after.lowStock.some((r: { sku: string }) => r.sku === 'LOW')).toBe(false);
  });
});
