import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';

const V = '/api/v1';

/**
 * GET /pick-waves/candidates: the orders a person chooses a wave from — confirmed orders with
 * reservations in the warehouse not taken by a wave, by priority then age, filtered by priority
 * and requested date, warehouse-scoped — and a wave cut from the chosen ones takes only those.
 */
describe.each(ENGINES)('pick wave candidates on %s', (engine) => {
  let api: TestApi;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const call = async (method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200, headers?: Record<string, string>) => {
    const res = await api.call(method, V + path, body, headers);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const order = async (lines: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}, confirm = true) => {
    const o = await call('POST', '/sales-orders', { customer: 'Shop', warehouse: 'CW', lines, ...extra });
    if (confirm) await call('POST', `/sales-orders/${o.id}/confirm`, undefined, 200);
    return o.id as number;
  };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    api = await startTestApi(engine);
    const cw = await call('POST', '/warehouses', { code: 'CW', name: 'Candidates' });
    await call('POST', '/warehouses', { code: 'OW', name: 'Other' });
    await call('POST', `/warehouses/${cw.id}/locations`, { code: 'B-01', kind: 'bin' });
    for (const sku of ['CA', 'CB']) await call('POST', '/items', { sku, name: `Item ${sku}`, unit: 'pcs' });
    await call('POST', '/inventory-adjustments', { warehouse: 'CW', lines: [{ sku: 'CA', quantity: 50, unitCost: 1 }, { sku: 'CB', quantity: 50, unitCost: 1 }] });
    await call('POST', '/inventory-adjustments', { warehouse: 'CW', location: 'CW/Stock/B-01', lines: [{ sku: 'CA', quantity: 5, unitCost: 1 }] });
    await call('POST', '/inventory-adjustments', { warehouse: 'OW', lines: [{ sku: 'CA', quantity: 5, unitCost: 1 }] });
    ids.late = await order([{ sku: 'CA', quantity: 2 }], { priority: 5, requestedOn: day(20) });
    ids.urgent = await order([{ sku: 'CA', quantity: 1 }, { sku: 'CB', quantity: 4 }], { priority: 1, requestedOn: day(3) });
    ids.undated = await order([{ sku: 'CB', quantity: 1 }], { priority: 3 });
    ids.waved = await order([{ sku: 'CB', quantity: 1 }]);
    ids.draft = await order([{ sku: 'CA', quantity: 1 }], {}, false);
    await call('POST', '/pick-waves', { warehouse: 'CW', orders: [ids.waved] });
    await call('POST', '/users', { username: 'ow-clerk', password: 'ow-clerk-pass-1', role: 'clerk', warehouses: ['OW'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists confirmed orders not yet in a wave, by priority then age, with their tasks and SKUs', async () => {
    const page = await call('GET', '/pick-waves/candidates?warehouse=CW');
    expect(page.more).toBe(false);
    expect(page.items.map((o: any) => o.id)).toEqual([ids.urgent, ids.undated, ids.late]);
    expect(page.items[0]).toMatchObject({ number: expect.stringMatching(/^SO-/), customer: 'Shop', status: 'confirmed', priority: 1, requestedOn: day(3), lines: 2, skus: ['CA', 'CB'] });
    expect(page.items[0].tasks).toBeGreaterThanOrEqual(2);
    expect(page.items[1]).toMatchObject({ requestedOn: null, lines: 1, tasks: 1, skus: ['CB'] });
    // Another warehouse has none of them.
    expect((await call('GET', '/pick-waves/candidates?warehouse=OW')).items).toEqual([]);
  });

  it('filters by priority and requested date, and pages by limit', async () => {
    expect((await call('GET', '/pick-waves/candidates?warehouse=CW&priority=3')).items.map((o: any) => o.id)).toEqual([ids.urgent, ids.undated]);
    expect((await call('GET', `/pick-waves/candidates?warehouse=CW&requestedBy=${day(10)}`)).items.map((o: any) => o.id)).toEqual([ids.urgent]);
    const first = await call('GET', '/pick-waves/candidates?warehouse=CW&limit=1');
    expect(first).toMatchObject({ more: true, items: [{ id: ids.urgent }] });
  });

  it('refuses bad filters with 422, an unknown warehouse with 422, and a warehouse outside the user with 403', async () => {
    for (const q of ['', 'warehouse=CW&priority=0', 'warehouse=CW&priority=10', 'warehouse=CW&requestedBy=tomorrow', 'warehouse=CW&limit=501', 'warehouse=CW&status=open']) {
      expect((await api.call('GET', `${V}/pick-waves/candidates?${q}`)).status, q).toBe(422);
    }
    const unknown = await api.call('GET', `${V}/pick-waves/candidates?warehouse=NOPE`);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('warehouse');
    const clerk = { authorization: `Bearer ${await api.login('ow-clerk', 'ow-clerk-pass-1')}` };
    expect((await api.call('GET', `${V}/pick-waves/candidates?warehouse=CW`, undefined, clerk)).status).toBe(403);
    expect((await api.call('GET', `${V}/pick-waves/candidates?warehouse=OW`, undefined, clerk)).status).toBe(200);
  });

  it('a wave cut from two chosen candidates takes only them; they leave the list, the third stays', async () => {
    const wave = await call('POST', '/pick-waves', { warehouse: 'CW', orders: [ids.urgent, ids.late] });
    expect(new Set(wave.tasks.map((t: any) => t.orderId))).toEqual(new Set([ids.urgent, ids.late]));
    expect((await call('GET', '/pick-waves/candidates?warehouse=CW')).items.map((o: any) => o.id)).toEqual([ids.undated]);
  });
});
