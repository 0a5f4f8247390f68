import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/**
 * Order to delivery over HTTP: confirm, wave, pick by scan, pack into shipments, ship them one by
 * one (split), track to delivery; the logistics view follows every step.
 */
describe.each(ENGINES)('split shipments on %s', (engine) => {
  let api: TestApi;
  const WH = 'SPW';
  const bin = (code: string) => `${WH}/Stock/${code}`;
  const today = new Date().toISOString().slice(0, 10);
  const far = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    api = await startTestApi(engine);
    const wh = await api.call('POST', '/api/v1/warehouses', { code: WH, name: 'Split WH' });
    expect(wh.status).toBe(201);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'SPX', name: 'Second WH' })).status).toBe(201);
    for (const code of ['B-02', 'A-01']) expect((await api.call('POST', `/api/v1/warehouses/${wh.body.id}/locations`, { code, kind: 'bin' })).status).toBe(201);
    for (const [sku, tracking] of [['SP-A', 'none'], ['SP-M', 'lot'], ['SP-C', 'none']] as const) {
      expect((await api.call('POST', '/api/v1/items', { sku, name: `Item ${sku}`, unit: 'pcs', tracking })).status).toBe(201);
    }
    for (const [location, lines] of [
      [bin('B-02'), [{ sku: 'SP-A', quantity: 50, unitCost: 3 }, { sku: 'SP-C', quantity: 20, unitCost: 1 }]],
      [bin('A-01'), [{ sku: 'SP-M', quantity: 20, lot: 'M-1', expiresOn: far, unitCost: 5 }]],
    ] as const) {
      const res = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: WH, location, lines });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'SPX', lines: [{ sku: 'SP-C', quantity: 10, unitCost: 1 }] })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  const confirmed = async (customer: string, lines: Array<Record<string, unknown>>) => {
    const order = await api.call('POST', '/api/v1/sales-orders', { customer, warehouse: WH, lines });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const res = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return order.body.id as number;
  };
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await api.call(method, path, body);
    expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const logistics = async (id: number) => (await ok('GET', '/api/v1/logistics/orders?limit=1000')).items.find((r: any) => r.id === id);
  const pickAll = async (tasks: any[]) => {
    for (const t of tasks) await ok('POST', `/api/v1/pick-tasks/${t.id}/scan`, { bin: t.bin, item: t.sku, ...(t.lot ? { lot: t.lot } : {}), quantity: t.quantity });
  };

  it('runs the whole flow: confirm, wave, pick by scan, pack, ship in two parts, track, delivered', async () => {
    const id = await confirmed('Split 上海', [{ sku: 'SP-A', quantity: 6 }, { sku: 'SP-M', quantity: 2 }]);
    expect(await logistics(id)).toMatchObject({ stage: 'reserved', orderStatus: 'confirmed', partiallyShipped: false });

    const wave = await ok('POST', '/api/v1/pick-waves', { warehouse: WH, orders: [id] }, 201);
    expect(wave.tasks.map((t: any) => [t.bin, t.sku, t.lot, t.quantity])).toEqual([[bin('A-01'), 'SP-M', 'M-1', 2], [bin('B-02'), 'SP-A', null, 6]]);
    expect((await logistics(id)).stage).toBe('picking');
    await pickAll(wave.tasks);
    expect((await logistics(id)).lines.map((l: any) => [l.picked, l.packed, l.shipped])).toEqual([[6, 0, 0], [2, 0, 0]]);

    // Pack part of line 1 into a parcel.
    const first = await ok('POST', '/api/v1/shipments', { order: id, lines: [{ line: 1, quantity: 4 }], packages: [{ weightKg: 2.5, lengthCm: 40, widthCm: 30, heightCm: 20 }] }, 201);
    expect(first).toMatchObject({
      number: expect.stringMatching(/^SH-\d{6}$/), status: 'packed', packedAt: expect.any(String), shippedAt: null, warehouse: WH,
      lines: [{ line: 1, sku: 'SP-A', bin: bin('B-02'), lot: null, quantity: 4 }], packages: [{ package: 1, weightKg: 2.5 }], moves: [],
      events: [{ status: 'packed', source: 'pack' }],
    });
    // More than picked and not packed: 409 naming the line, nothing written.
    const before = await snapshot(api.db.store);
    const tooMuch = await api.call('POST', '/api/v1/shipments', { order: id, lines: [{ line: 1, quantity: 3 }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.errors).toEqual([{ field: 'lines.0.quantity', message: expect.stringContaining('only 2') }]);
    expect((await api.call('POST', '/api/v1/shipments', { order: id, lines: [{ line: 2, quantity: 1, lot: 'M-9' }] })).status).toBe(409);
    expect((await api.call('POST', '/api/v1/shipments', { order: id, lines: [{ line: 7, quantity: 1 }] })).status).toBe(409);
    expect((await api.call('POST', '/api/v1/shipments', { order: id, lines: [{ line: 1, quantity: 0.5 }] })).status).toBe(422);
    expect((await api.call('POST', '/api/v1/shipments', { order: 999_999 })).status).toBe(422);
    // A packed shipment takes no tracking events; it ships through /ship.
    expect((await api.call('POST', `/api/v1/shipments/${first.id}/events`, { status: 'in_transit' })).status).toBe(409);
    expect((await api.call('POST', `/api/v1/shipments/${first.id}/ship`, { trackingNumber: 'X-1' })).status).toBe(422);
    expect((await api.call('POST', '/api/v1/shipments/999999/ship')).status).toBe(404);
    expect(await snapshot(api.db.store)).toEqual(before);

    const shipped1 = await ok('POST', `/api/v1/shipments/${first.id}/ship`, { carrier: 'SF Express', service: 'express', trackingNumber: 'SP-SF-1' });
    expect(shipped1).toMatchObject({ status: 'shipped', carrier: 'SF Express', trackingNumber: 'SP-SF-1', promisedOn: today, shippedAt: expect.any(String) });
    expect(shipped1.moves.map((m: any) => [m.sku, m.from, m.to, m.quantity])).toEqual([['SP-A', bin('B-02'), 'Partners/Customers', 4]]);
    expect((await ok('GET', `/api/v1/sales-orders/${id}`)).status).toBe('partially_shipped');
    expect((await api.call('POST', `/api/v1/shipments/${first.id}/ship`)).status).toBe(409);
    // The rest is picked, not packed: the order stands in picking, part of it shipped.
    expect(await logistics(id)).toMatchObject({ stage: 'picking', orderStatus: 'partially_shipped', partiallyShipped: true });

    const second = await ok('POST', '/api/v1/shipments', { order: id }, 201);
    expect(second.lines.map((l: any) => [l.line, l.sku, l.lot, l.quantity])).toEqual([[1, 'SP-A', null, 2], [2, 'SP-M', 'M-1', 2]]);
    expect((await logistics(id)).stage).toBe('packed');
    const shipped2 = await ok('POST', `/api/v1/shipments/${second.id}/ship`, { carrier: 'ZTO', trackingNumber: 'SP-ZTO-1', promisedOn: far });
    expect(shipped2.moves.map((m: any) => [m.sku, m.quantity, m.lot])).toEqual([['SP-A', 2, null], ['SP-M', 2, 'M-1']]);
    const order = await ok('GET', `/api/v1/sales-orders/${id}`);
    expect(order.status).toBe('shipped');
    expect(order.lines.map((l: any) => [l.reserved, l.shipped])).toEqual([[0, 6], [0, 2]]);
    expect(order.shipments.map((s: any) => s.number)).toEqual([first.number, second.number]);
    expect((await logistics(id)).stage).toBe('shipped');

    // Tracking: one arrives, the other is on its way; then both are delivered.
    await ok('POST', `/api/v1/shipments/${first.id}/events`, { status: 'in_transit' }, 201);
    await ok('POST', '/api/v1/shipments/track', { carrier: 'SF Express', trackingNumber: 'SP-SF-1', status: 'delivered' }, 201);
    await ok('POST', `/api/v1/shipments/${second.id}/events`, { status: 'in_transit' }, 201);
    expect(await logistics(id)).toMatchObject({ stage: 'in_transit', deliveredAt: null, onTime: null, late: false });
    expect((await api.call('POST', '/api/v1/shipments/track', { carrier: 'ZTO', trackingNumber: 'NOPE', status: 'delivered' })).status).toBe(404);
    const done = await ok('POST', `/api/v1/shipments/${second.id}/events`, { status: 'delivered' }, 201);
    expect(done).toMatchObject({ status: 'delivered', onTime: true, deliveredOn: today });
    const row = await logistics(id);
    expect(row).toMatchObject({ stage: 'delivered', onTime: true, late: false, deliveredAt: expect.any(String), partiallyShipped: false });
    expect(row.shipments.map((s: any) => [s.number, s.status, s.onTime])).toEqual([[first.number, 'delivered', true], [second.number, 'delivered', true]]);

    // Each packing slip lists only its own lines.
    const pdf = await fetch(`${api.baseUrl}/api/v1/shipments/${second.id}/pdf`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('%PDF');
    // The wave knows what was packed.
    expect((await ok('GET', `/api/v1/pick-waves/${wave.id}`)).tasks.map((t: any) => [t.picked, t.packed, t.status])).toEqual([[2, 2, 'done'], [6, 6, 'done']]);
  });

  it('ships the rest of a partly picked order by the contract route, leaving a packed shipment to ship on its own', async () => {
    const id = await confirmed('Contract Co', [{ sku: 'SP-A', quantity: 5 }]);
    const wave = await ok('POST', '/api/v1/pick-waves', { warehouse: WH, orders: [id] }, 201);
    const [task] = wave.tasks;
    await ok('POST', `/api/v1/pick-tasks/${task.id}/scan`, { bin: task.bin, item: 'SP-A', quantity: 2 });
    const packed = await ok('POST', '/api/v1/shipments', { order: id, lines: [{ line: 1, quantity: 1 }] }, 201);

    const res = await ok('POST', `/api/v1/sales-orders/${id}/ship`, { carrier: 'EMS', trackingNumber: 'SP-EMS-1' });
    expect(res.status).toBe('partially_shipped');
    expect(res.lines[0]).toMatchObject({ quantity: 5, reserved: 1, shipped: 4 });
    const contract = res.shipments.find((s: any) => s.id !== packed.id);
    const view = await ok('GET', `/api/v1/shipments/${contract.id}`);
    expect(view.lines.map((l: any) => [l.line, l.quantity, l.taskId])).toEqual([[1, 4, task.id]]);
    expect(view.moves.map((m: any) => m.quantity)).toEqual([4]);
    // The task needs no more picking.
    expect(await ok('GET', `/api/v1/pick-tasks/${task.id}`)).toMatchObject({ status: 'closed', picked: 2, packed: 2, remaining: 0 });
    expect((await ok('GET', `/api/v1/pick-waves/${wave.id}`)).status).toBe('done');
    // Nothing left but the packed shipment: the contract route has nothing to ship.
    const before = await snapshot(api.db.store);
    expect((await api.call('POST', `/api/v1/sales-orders/${id}/ship`)).status).toBe(409);
    expect(await snapshot(api.db.store)).toEqual(before);
    expect((await ok('POST', `/api/v1/shipments/${packed.id}/ship`)).moves.map((m: any) => m.quantity)).toEqual([1]);
    expect((await ok('GET', `/api/v1/sales-orders/${id}`)).status).toBe('shipped');
    expect((await api.call('POST', `/api/v1/sales-orders/${id}/ship`)).status).toBe(409);
  });

  it('ships an order served by two warehouses as one shipment per warehouse', async () => {
    const id = await confirmed('Two Sites', [{ sku: 'SP-C', quantity: 3 }, { sku: 'SP-C', quantity: 2, warehouse: 'SPX' }]);
    const before = await snapshot(api.db.store);
    expect((await api.call('POST', `/api/v1/sales-orders/${id}/ship`, { carrier: 'SF Express', trackingNumber: 'SP-TWO' })).status).toBe(422);
    expect(await snapshot(api.db.store)).toEqual(before);
    const res = await ok('POST', `/api/v1/sales-orders/${id}/ship`, { carrier: 'SF Express' });
    expect(res.status).toBe('shipped');
    const views = await Promise.all(res.shipments.map((s: any) => ok('GET', `/api/v1/shipments/${s.id}`)));
    expect(views.map((v: any) => [v.warehouse, v.lines.map((l: any) => [l.line, l.quantity])])).toEqual([[WH, [[1, 3]]], ['SPX', [[2, 2]]]]);
  });

  it('packs and ships each picked unit once, even when two packers and two shippers race', async () => {
    const id = await confirmed('Race Pack Co', [{ sku: 'SP-A', quantity: 3 }]);
    const [task] = (await ok('POST', '/api/v1/pick-waves', { warehouse: WH, orders: [id] }, 201)).tasks;
    await ok('POST', `/api/v1/pick-tasks/${task.id}/scan`, { bin: task.bin, item: 'SP-A', quantity: 3 });
    const packs = await Promise.all(Array.from({ length: 4 }, () => api.call('POST', '/api/v1/shipments', { order: id, lines: [{ line: 1, quantity: 2 }] })));
    expect(packs.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const packed = packs.find((r) => r.status === 201)!.body;
    const ships = await Promise.all(Array.from({ length: 3 }, () => api.call('POST', `/api/v1/shipments/${packed.id}/ship`)));
    expect(ships.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const order = await ok('GET', `/api/v1/sales-orders/${id}`);
    expect(order).toMatchObject({ status: 'partially_shipped', lines: [expect.objectContaining({ reserved: 1, shipped: 2 })] });
    // Picking is under way: the sales module refuses to cancel the order.
    expect((await api.call('POST', `/api/v1/sales-orders/${id}/cancel`)).status).toBe(409);
  });
});
