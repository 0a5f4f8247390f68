import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/**
 * Picking: waves in bin order, FEFO re-checked at the wave, pick by scan, short picks (held for a
 * count, re-reserved or backordered), count suggestions, and two pickers on one task at once.
 */
describe.each(ENGINES)('picking on %s', (engine) => {
  let api: TestApi;
  let warehouseId: number;
  const WH = 'PKW';
  const bin = (code: string) => `${WH}/Stock/${code}`;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    api = await startTestApi(engine, { poolSize: 20 });
    const wh = await api.call('POST', '/api/v1/warehouses', { code: WH, name: 'Picking WH' });
    expect(wh.status).toBe(201);
    warehouseId = wh.body.id;
    // Created in this order: Z-09 gets the lower id, so reservations (lot, then location id) take it first.
    for (const code of ['Z-09', 'A-01', 'M-05']) {
      expect((await api.call('POST', `/api/v1/warehouses/${warehouseId}/locations`, { code, kind: 'bin' })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  const item = async (sku: string, tracking: 'none' | 'lot' | 'serial' = 'none', extra: Record<string, unknown> = {}) => {
    const res = await api.call('POST', '/api/v1/items', { sku, name: `Item ${sku}`, unit: 'pcs', tracking, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const stock = async (location: string, lines: Array<Record<string, unknown>>) => {
    const res = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: WH, location, lines });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const confirmed = async (customer: string, lines: Array<{ sku: string; quantity: number }>) => {
    const order = await api.call('POST', '/api/v1/sales-orders', { customer, warehouse: WH, lines });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const confirm = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`);
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    return order.body.id as number;
  };
  const wave = async (orders: number[]) => {
    const res = await api.call('POST', '/api/v1/pick-waves', { warehouse: WH, orders });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const order = async (id: number) => (await api.call('GET', `/api/v1/sales-orders/${id}`)).body;
  const balances = async (sku: string) =>
    ((await api.call('GET', `/api/v1/stock?sku=${sku}&warehouse=${WH}`)).body.items as Array<{ location: string; lot: string | null; onHand: number; reserved: number; available: number }>)
      .filter((b) => b.onHand !== 0 || b.reserved !== 0)
      .map((b) => `${b.location}${b.lot ? `#${b.lot}` : ''} ${b.onHand}/${b.reserved}/${b.available}`)
      .sort();
  const scan = (task: number, body: Record<string, unknown>, headers?: Record<string, string>) => api.call('POST', `/api/v1/pick-tasks/${task}/scan`, body, headers);

  it('cuts a wave across orders in bin order, one task per order line, bin and lot, never twice', async () => {
    await item('PK-A');
    await item('PK-B');
    await stock(bin('Z-09'), [{ sku: 'PK-A', quantity: 5 }]);
    await stock(bin('A-01'), [{ sku: 'PK-A', quantity: 5 }, { sku: 'PK-B', quantity: 3 }]);
    const first = await confirmed('Wave One', [{ sku: 'PK-A', quantity: 7 }, { sku: 'PK-B', quantity: 1 }]);
    const second = await confirmed('Wave Two', [{ sku: 'PK-A', quantity: 2 }]);
    const w = await wave([first, second]);
    expect(w).toMatchObject({ number: expect.stringMatching(/^WV-\d{6}$/), warehouse: WH, status: 'open', progress: { tasks: 4, open: 4, done: 0 } });
    // The route: A-01 before Z-09, whatever the reservation order; within a bin by SKU.
    expect(w.tasks.map((t: any) => [t.bin, t.sku, t.order === w.orders[0] ? 1 : 2, t.quantity])).toEqual([
      [bin('A-01'), 'PK-A', 1, 2],
      [bin('A-01'), 'PK-A', 2, 2],
      [bin('A-01'), 'PK-B', 1, 1],
      [bin('Z-09'), 'PK-A', 1, 5],
    ]);
    expect(w.tasks.map((t: any) => t.seq)).toEqual([1, 2, 3, 4]);
    // The same orders again: nothing left to pick, nothing written.
    const before = await snapshot(api.db.store);
    const again = await api.call('POST', '/api/v1/pick-waves', { warehouse: WH, orders: [first, second] });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].field).toBe('orders');
    expect(await snapshot(api.db.store)).toEqual(before);
    // Without orders: waiting orders only (this one), by priority and age.
    const third = await confirmed('Wave Three', [{ sku: 'PK-B', quantity: 2 }]);
    const auto = await api.call('POST', '/api/v1/pick-waves', { warehouse: WH });
    expect(auto.status, JSON.stringify(auto.body)).toBe(201);
    expect(auto.body.tasks.map((t: any) => [t.orderId, t.sku, t.quantity])).toEqual([[third, 'PK-B', 2]]);
    expect((await api.call('GET', `/api/v1/pick-waves/${w.id}`)).body.tasks).toEqual(w.tasks);
    const list = await api.call('GET', `/api/v1/pick-waves?warehouse=${WH}&status=open`);
    expect(list.body.items.map((x: any) => x.id)).toEqual(expect.arrayContaining([w.id, auto.body.id]));
  });

  it('FEFO: a reserved lot that expired, or is too short for its customer, is re-reserved before the wave', async () => {
    await item('PK-MILK', 'lot');
    await stock(bin('A-01'), [
      { sku: 'PK-MILK', quantity: 4, lot: 'M-SOON', expiresOn: day(10) },
      { sku: 'PK-MILK', quantity: 10, lot: 'M-LATE', expiresOn: day(200) },
    ]);
    const plain = await confirmed('Plain Dairy', [{ sku: 'PK-MILK', quantity: 2 }]);
    const picky = await confirmed('Picky Dairy', [{ sku: 'PK-MILK', quantity: 2 }]);
    // FEFO at confirm: both took the soonest lot.
    expect(await balances('PK-MILK')).toEqual([`${bin('A-01')}#M-LATE 10/0/10`, `${bin('A-01')}#M-SOON 4/4/0`]);
    // Since then the picky customer wants 30 days of shelf life (no API for it yet: set on the partner row).
    const db = api.db.store.read;
    await api.call('POST', '/api/v1/partners', { code: 'PICKY', name: 'Picky Dairy', kind: 'customer' });
    const partner = await db.selectFrom('partners').select('id').where('code', '=', 'PICKY').executeTakeFirstOrThrow();
    await api.db.store.run(async (tx) => {
      await tx.updateTable('partners').set({ min_shelf_life_days: 30 }).where('id', '=', partner.id).execute();
      await tx.updateTable('sales_orders').set({ partner_id: partner.id }).where('id', '=', picky).execute();
    });
    const w = await wave([plain, picky]);
    // Same bin: by lot code.
    expect(w.tasks.map((t: any) => [t.orderId, t.lot, t.quantity])).toEqual([[picky, 'M-LATE', 2], [plain, 'M-SOON', 2]]);
    expect((await order(picky)).lines[0]).toMatchObject({ quantity: 2, reserved: 2 });

    // Time passes: the soon lot expires. A new order reserved on it before is moved to the late lot.
    const late = await confirmed('Late Dairy', [{ sku: 'PK-MILK', quantity: 1 }]);
    await api.db.store.run(async (tx) => {
      await tx.updateTable('lots').set({ expires_on: day(-1) }).where('code', '=', 'M-SOON').execute();
    });
    const w2 = await wave([late]);
    expect(w2.tasks.map((t: any) => [t.lot, t.quantity])).toEqual([['M-LATE', 1]]);
    for (const t of [...w.tasks, ...w2.tasks].filter((x: any) => x.orderId !== plain)) expect(t.expiresOn >= day(30)).toBe(true);
    // The plain order's task was cut before the lot expired: scanning it is refused, a new wave moves it.
    const stale = w.tasks.find((t: any) => t.orderId === plain);
    const refused = await scan(stale.id, { bin: bin('A-01'), item: 'PK-MILK', lot: 'M-SOON' });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].field).toBe('lot');
    const w4 = await wave([plain]);
    expect(w4.tasks.map((t: any) => [t.lot, t.quantity])).toEqual([['M-LATE', 2]]);
    expect((await api.call('GET', `/api/v1/pick-tasks/${stale.id}`)).body.status).toBe('closed');
    expect((await api.call('GET', `/api/v1/pick-waves/${w.id}`)).body.progress).toMatchObject({ open: 1, closed: 1 });

    // Nothing fit left: the line stays backordered and gets no task.
    await item('PK-YOG', 'lot');
    await stock(bin('A-01'), [{ sku: 'PK-YOG', quantity: 3, lot: 'Y-1', expiresOn: day(5) }]);
    const yog = await confirmed('Yoghurt Co', [{ sku: 'PK-YOG', quantity: 1 }]);
    const other = await confirmed('Other Co', [{ sku: 'PK-A', quantity: 1 }]);
    await api.db.store.run(async (tx) => {
      await tx.updateTable('lots').set({ expires_on: day(-3) }).where('code', '=', 'Y-1').execute();
    });
    const w3 = await wave([yog, other]);
    expect(w3.tasks.map((t: any) => t.sku)).toEqual(['PK-A']);
    expect((await order(yog)).lines[0]).toMatchObject({ quantity: 1, reserved: 0 });
  });

  it('picks by scan: bin, SKU or barcode, lot or serial; wrong ones are 422 naming the field and write nothing', async () => {
    await item('PK-C', 'none', { barcode: '6901234567892' });
    await item('PK-LOT', 'lot');
    await item('PK-SER', 'serial');
    await stock(bin('M-05'), [{ sku: 'PK-C', quantity: 10 }, { sku: 'PK-LOT', quantity: 5, lot: 'L-1' }]);
    await stock(bin('M-05'), [{ sku: 'PK-SER', quantity: 1, lot: 'SN-1' }, { sku: 'PK-SER', quantity: 1, lot: 'SN-2' }]);
    const id = await confirmed('Scanner Co', [{ sku: 'PK-C', quantity: 4 }, { sku: 'PK-LOT', quantity: 2 }, { sku: 'PK-SER', quantity: 2 }]);
    const w = await wave([id]);
    const task = (sku: string, lot?: string) => w.tasks.find((t: any) => t.sku === sku && (lot === undefined || t.lot === lot));
    const c = task('PK-C');
    const lot = task('PK-LOT');
    const sn1 = task('PK-SER', 'SN-1');

    const before = await snapshot(api.db.store);
    for (const [t, body, field] of [
      [c, { bin: bin('A-01'), item: 'PK-C' }, 'bin'],
      [c, { bin: bin('M-05'), item: 'PK-LOT' }, 'item'],
      [c, { bin: bin('M-05'), item: 'PK-C', lot: 'L-1' }, 'lot'],
      [lot, { bin: bin('M-05'), item: 'PK-LOT' }, 'lot'],
      [lot, { bin: bin('M-05'), item: 'PK-LOT', lot: 'L-2' }, 'lot'],
      [sn1, { bin: bin('M-05'), item: 'PK-SER', lot: 'SN-2' }, 'lot'],
      [sn1, { bin: bin('M-05'), item: 'PK-SER', lot: 'SN-1', quantity: 2 }, 'quantity'],
      [c, { bin: bin('M-05'), item: 'PK-C', quantity: 1.5 }, 'quantity'],
      [c, { bin: bin('M-05'), item: 'PK-C', quantity: 0 }, 'quantity'],
      [c, { bin: bin('M-05'), item: 'PK-C', colour: 'red' }, 'colour'],
    ] as const) {
      const res = await scan(t.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: any) => e.field), JSON.stringify(body)).toContain(field);
    }
    const wrongBin = await scan(c.id, { bin: bin('A-01'), item: 'PK-C' });
    expect(wrongBin.body.errors[0].message).toContain(bin('M-05'));
    expect((await scan(999_999, { bin: bin('M-05'), item: 'PK-C' })).status).toBe(404);
    // More than the task holds: 409.
    const tooMuch = await scan(c.id, { bin: bin('M-05'), item: 'PK-C', quantity: 5 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.errors[0].field).toBe('quantity');
    expect(await snapshot(api.db.store)).toEqual(before);

    // Good scans: by barcode, by SKU with quantity, lots, serials.
    const one = await scan(c.id, { bin: bin('M-05'), item: '6901234567892' });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toMatchObject({ picked: 1, remaining: 3, status: 'open' });
    expect((await scan(c.id, { bin: bin('M-05'), item: 'PK-C', quantity: 3 })).body).toMatchObject({ picked: 4, remaining: 0, status: 'done' });
    expect((await scan(c.id, { bin: bin('M-05'), item: 'PK-C' })).status).toBe(409);
    expect((await scan(lot.id, { bin: bin('M-05'), item: 'PK-LOT', lot: 'L-1', quantity: 2 })).body.status).toBe('done');
    expect((await scan(sn1.id, { bin: bin('M-05'), item: 'PK-SER', lot: 'SN-1' })).body.status).toBe('done');
    // The same serial again: never picked twice.
    const twice = await scan(sn1.id, { bin: bin('M-05'), item: 'PK-SER', lot: 'SN-1' });
    expect(twice.status).toBe(409);
    const sn2 = task('PK-SER', 'SN-2');
    expect((await scan(sn2.id, { bin: bin('M-05'), item: 'PK-SER', lot: 'SN-2' })).status).toBe(200);
    const done = await api.call('GET', `/api/v1/pick-waves/${w.id}`);
    expect(done.body).toMatchObject({ status: 'done', completedAt: expect.any(String), progress: { open: 0, done: 4 } });
    // Picking records quantities; the stock stays reserved in its bin until it ships.
    expect(await balances('PK-C')).toEqual([`${bin('M-05')} 10/4/6`]);
  });

  it('scans against a whole wave: bin, item and lot find the task', async () => {
    await item('PK-W', 'none', { barcode: 'PKW-BAR' });
    await stock(bin('Z-09'), [{ sku: 'PK-W', quantity: 3 }]);
    await stock(bin('A-01'), [{ sku: 'PK-W', quantity: 3 }]);
    const id = await confirmed('Gun Co', [{ sku: 'PK-W', quantity: 5 }]);
    const w = await wave([id]);
    expect(w.tasks.map((t: any) => [t.bin, t.quantity])).toEqual([[bin('A-01'), 2], [bin('Z-09'), 3]]);
    const before = await snapshot(api.db.store);
    for (const [body, field] of [
      [{ bin: bin('M-05'), item: 'PK-W' }, 'bin'],
      [{ bin: bin('Z-09'), item: 'PK-A' }, 'item'],
      [{ bin: bin('Z-09'), item: 'PK-W', lot: 'L-1' }, 'lot'],
    ] as const) {
      const res = await api.call('POST', `/api/v1/pick-waves/${w.id}/scan`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors[0].field).toBe(field);
    }
    expect((await api.call('POST', '/api/v1/pick-waves/999999/scan', { bin: bin('Z-09'), item: 'PK-W' })).status).toBe(404);
    expect(await snapshot(api.db.store)).toEqual(before);
    const z = await api.call('POST', `/api/v1/pick-waves/${w.id}/scan`, { bin: bin('Z-09'), item: 'PKW-BAR', quantity: 3 });
    expect(z.status, JSON.stringify(z.body)).toBe(200);
    expect(z.body).toMatchObject({ bin: bin('Z-09'), picked: 3, status: 'done' });
    expect((await api.call('POST', `/api/v1/pick-waves/${w.id}/scan`, { bin: bin('Z-09'), item: 'PK-W' })).status).toBe(422); // nothing left there
    expect((await api.call('POST', `/api/v1/pick-waves/${w.id}/scan`, { bin: bin('A-01'), item: 'PK-W', quantity: 2 })).body.status).toBe('done');
    expect((await api.call('GET', `/api/v1/pick-waves/${w.id}`)).body.status).toBe('done');
  });

  it('a short pick holds the missing quantity, re-reserves it from other stock, and suggests a count', async () => {
    await item('PK-D');
    await stock(bin('Z-09'), [{ sku: 'PK-D', quantity: 3 }]);
    await stock(bin('A-01'), [{ sku: 'PK-D', quantity: 5 }]);
    const id = await confirmed('Short Co', [{ sku: 'PK-D', quantity: 3 }]);
    const w = await wave([id]);
    expect(w.tasks.map((t: any) => [t.bin, t.quantity])).toEqual([[bin('Z-09'), 3]]);
    const task = w.tasks[0];
    expect((await scan(task.id, { bin: bin('Z-09'), item: 'PK-D' })).status).toBe(200);

    const bad = await snapshot(api.db.store);
    for (const body of [{ found: 2 }, { found: 5 }, { found: -1 }, { found: 0.5 }, { missing: 1 }]) {
      const res = await api.call('POST', `/api/v1/pick-tasks/${task.id}/short`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect(await snapshot(api.db.store)).toEqual(bad);

    // One scanned, one more found now, one missing.
    const short = await api.call('POST', `/api/v1/pick-tasks/${task.id}/short`, { found: 1 });
    expect(short.status, JSON.stringify(short.body)).toBe(200);
    expect(short.body).toMatchObject({
      task: { picked: 2, short: 1, remaining: 0, status: 'done' },
      missing: 1, reReserved: 1, backordered: 0,
      countSuggestion: { number: expect.stringMatching(/^CS-\d{6}$/), status: 'open', bin: bin('Z-09'), sku: 'PK-D', missing: 1, heldAt: `${WH}/Discrepancy` },
    });
    // On hand unchanged in the warehouse; the missing unit is held, never available; the order is whole again.
    expect(await balances('PK-D')).toEqual([`${WH}/Discrepancy 1/0/0`, `${bin('A-01')} 5/1/4`, `${bin('Z-09')} 2/2/0`]);
    expect((await order(id)).lines[0]).toMatchObject({ quantity: 3, reserved: 3 });
    // The re-reserved unit is picked in the next wave.
    const next = await wave([id]);
    expect(next.tasks.map((t: any) => [t.bin, t.quantity])).toEqual([[bin('A-01'), 1]]);

    const suggestions = await api.call('GET', `/api/v1/count-suggestions?status=open&warehouse=${WH}`);
    expect(suggestions.body.items.map((s: any) => s.id)).toContain(short.body.countSuggestion.id);
    // Open a stock count of that bin through the counts module.
    const counting = await api.call('POST', `/api/v1/count-suggestions/${short.body.countSuggestion.id}/count`);
    expect(counting.status, JSON.stringify(counting.body)).toBe(200);
    expect(counting.body).toMatchObject({ status: 'counting', countId: expect.any(Number) });
    const count = await api.call('GET', `/api/v1/stock-counts/${counting.body.countId}`);
    expect(count.body).toMatchObject({ status: 'draft', warehouse: WH, scope: { type: 'zone', locations: [bin('Z-09')] } });
    // Asking again answers the same count.
    expect((await api.call('POST', `/api/v1/count-suggestions/${short.body.countSuggestion.id}/count`)).body.countId).toBe(counting.body.countId);
  });

  it('a short pick with no other stock backorders; resolving the suggestion returns what was found', async () => {
    await item('PK-E');
    await stock(bin('M-05'), [{ sku: 'PK-E', quantity: 4 }]);
    const id = await confirmed('Backorder Co', [{ sku: 'PK-E', quantity: 4 }]);
    const [task] = (await wave([id])).tasks;
    const short = await api.call('POST', `/api/v1/pick-tasks/${task.id}/short`, { found: 1 });
    expect(short.status, JSON.stringify(short.body)).toBe(200);
    expect(short.body).toMatchObject({ missing: 3, reReserved: 0, backordered: 3 });
    expect((await order(id)).lines[0]).toMatchObject({ quantity: 4, reserved: 1 });
    expect(await balances('PK-E')).toEqual([`${WH}/Discrepancy 3/0/0`, `${bin('M-05')} 1/1/0`]);
    const backordered = await api.call('GET', `/api/v1/logistics/orders?stage=backordered&warehouse=${WH}`);
    expect(backordered.body.items.map((r: any) => [r.id, r.lines[0].backordered])).toContainEqual([id, 3]);
    expect(backordered.body.items.every((r: any) => r.stage === 'backordered')).toBe(true);

    const suggestion = short.body.countSuggestion.id;
    const before = await snapshot(api.db.store);
    for (const body of [{ found: 4 }, { found: -1 }, {}]) expect((await api.call('POST', `/api/v1/count-suggestions/${suggestion}/resolve`, body)).status).toBe(422);
    expect((await api.call('POST', '/api/v1/count-suggestions/999999/resolve', { found: 0 })).status).toBe(404);
    expect(await snapshot(api.db.store)).toEqual(before);

    // Two were there after all: back to the bin and reserved for the backorder; one is written off.
    const resolved = await api.call('POST', `/api/v1/count-suggestions/${suggestion}/resolve`, { found: 2 });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', found: 2, resolvedAt: expect.any(String) });
    expect(await balances('PK-E')).toEqual([`${bin('M-05')} 3/3/0`]);
    expect((await order(id)).lines[0]).toMatchObject({ quantity: 4, reserved: 3 });
    const moves = (await api.call('GET', '/api/v1/moves?sku=PK-E')).body.items.map((m: any) => [m.from, m.to, m.quantity]);
    expect(moves).toEqual(expect.arrayContaining([[bin('M-05'), `${WH}/Discrepancy`, 3], [`${WH}/Discrepancy`, bin('M-05'), 2], [`${WH}/Discrepancy`, 'Virtual/Inventory adjustment', 1]]));
    expect((await api.call('POST', `/api/v1/count-suggestions/${suggestion}/resolve`, { found: 0 })).status).toBe(409);
  });

  it('two pickers on one task at once never take the same unit twice', async () => {
    await item('PK-F');
    await stock(bin('A-01'), [{ sku: 'PK-F', quantity: 20 }]);
    const id = await confirmed('Race Co', [{ sku: 'PK-F', quantity: 5 }]);
    const [task] = (await wave([id])).tasks;
    expect((await api.call('POST', '/api/v1/users', { username: 'picker-2', password: 'picker-pass-2', role: 'clerk' })).status).toBe(201);
    const second = { authorization: `Bearer ${await api.login('picker-2', 'picker-pass-2')}` };
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => scan(task.id, { bin: bin('A-01'), item: 'PK-F' }, i % 2 === 0 ? {} : second)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409)).toHaveLength(7);
    const after = (await api.call('GET', `/api/v1/pick-tasks/${task.id}`)).body;
    expect(after).toMatchObject({ picked: 5, status: 'done' });
    const scans = await api.db.store.read.selectFrom('pick_scans').select('quantity').where('task_id', '=', task.id).execute();
    expect(scans).toHaveLength(5);

    // A short report racing scans: picked + short never exceed the task.
    const id2 = await confirmed('Race Co 2', [{ sku: 'PK-F', quantity: 4 }]);
    const [task2] = (await wave([id2])).tasks;
    const mixed = await Promise.all([
      ...Array.from({ length: 6 }, () => scan(task2.id, { bin: bin('A-01'), item: 'PK-F' }, second)),
      api.call('POST', `/api/v1/pick-tasks/${task2.id}/short`, {}),
    ]);
    const t2 = (await api.call('GET', `/api/v1/pick-tasks/${task2.id}`)).body;
    expect(t2.picked + t2.short).toBe(4);
    expect(mixed.every((r) => r.status === 200 || r.status === 409 || r.status === 422)).toBe(true);
  });

  it('checks rights and input of waves', async () => {
    const draft = await api.call('POST', '/api/v1/sales-orders', { customer: 'Draft', warehouse: WH, lines: [{ sku: 'PK-A', quantity: 1 }] });
    const before = await snapshot(api.db.store);
    for (const [body, field] of [
      [{ warehouse: 'NOPE', orders: [draft.body.id] }, 'warehouse'],
      [{ warehouse: WH, orders: [draft.body.id] }, 'orders.0'],
      [{ warehouse: WH, orders: [999_999] }, 'orders.0'],
      [{ warehouse: WH, orders: [] }, 'orders'],
      [{ warehouse: WH, limit: 0 }, 'limit'],
    ] as const) {
      const res = await api.call('POST', '/api/v1/pick-waves', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: any) => e.field), JSON.stringify(body)).toContain(field);
    }
    expect((await api.call('GET', '/api/v1/pick-waves/999999')).status).toBe(404);
    expect(await snapshot(api.db.store)).toEqual(before);
    expect((await api.call('POST', '/api/v1/users', { username: 'viewer-pk', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    const viewer = { authorization: `Bearer ${await api.login('viewer-pk', 'viewer-pass-1')}` };
    expect((await api.call('GET', '/api/v1/pick-waves', undefined, viewer)).status).toBe(200);
    expect((await api.call('POST', '/api/v1/pick-waves', { warehouse: WH }, viewer)).status).toBe(403);
    expect((await api.call('POST', '/api/v1/pick-tasks/1/scan', { bin: 'x', item: 'y' }, viewer)).status).toBe(403);
  });
});
