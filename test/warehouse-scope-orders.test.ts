import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type ApiResponse, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';

/**
 * Warehouse scope of the order-to-delivery endpoints (sales orders, shipping, picking, count
 * suggestions, logistics, labels): users limited to warehouse WA get 403 for everything aimed at
 * WB (nothing written), their lists leave WB out, and the same calls succeed in WA.
 */
describe.each(ENGINES)('warehouse scope of orders, shipments, picking, logistics and labels on %s', (engine) => {
  let api: TestApi;
  const ids: Record<string, number> = {};
  const as: Record<string, Record<string, string>> = {};
  const ok = <T extends ApiResponse>(res: T, status = 200): T => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res;
  };
  const post = async (path: string, body?: unknown, status = 201) => ok(await api.call('POST', V + path, body), status).body;
  /** A sales order made and (optionally) confirmed by the admin. */
  const order = async (warehouse: string, lines: Array<Record<string, unknown>>, confirm = true) => {
    const created = await post('/sales-orders', { customer: 'CUS', warehouse, lines });
    if (confirm) await post(`/sales-orders/${created.id}/confirm`, undefined, 200);
    return created.id as number;
  };

  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const code of ['WA', 'WB']) ids[code] = (await post('/warehouses', { code, name: `Warehouse ${code}` })).id;
    ids.box = (await post('/items', { sku: 'BOX', name: 'Box', unit: 'pcs' })).id;
    await post('/items', { sku: 'MILK', name: 'Milk', unit: 'pcs', tracking: 'lot' });
    await post('/partners', { code: 'CUS', name: 'Customer', kind: 'customer' });
    ids.binA = (await post(`/warehouses/${ids.WA}/locations`, { code: 'A1', kind: 'bin' })).id;
    ids.binB = (await post(`/warehouses/${ids.WB}/locations`, { code: 'B1', kind: 'bin' })).id;
    for (const w of ['WA', 'WB']) {
      await post('/inventory-adjustments', { warehouse: w, lines: [{ sku: 'BOX', quantity: 100, unitCost: 2 }, { sku: 'MILK', quantity: 10, lot: `L-${w}`, expiresOn: '2099-12-31', unitCost: 1 }] });
    }
    const lots = await api.db.store.read.selectFrom('lots').select(['id', 'code']).execute();
    ids.lotA = Number(lots.find((l) => l.code === 'L-WA')!.id);
    ids.lotB = Number(lots.find((l) => l.code === 'L-WB')!.id);

    // Warehouse B: orders, a wave with an open task, a packed and a shipped shipment, a count suggestion.
    ids.draftB = await order('WB', [{ sku: 'BOX', quantity: 1 }], false);
    ids.orderB = await order('WB', [{ sku: 'BOX', quantity: 2 }]);
    ids.pickB = await order('WB', [{ sku: 'BOX', quantity: 5 }, { sku: 'MILK', quantity: 2 }]);
    const waveB = await post('/pick-waves', { warehouse: 'WB', orders: [ids.pickB] });
    ids.waveB = waveB.id;
    ids.taskB = waveB.tasks.find((t: any) => t.sku === 'BOX').id;
    const milkTaskB = waveB.tasks.find((t: any) => t.sku === 'MILK').id;
    await post(`/pick-tasks/${ids.taskB}/scan`, { bin: 'WB/Stock', item: 'BOX', quantity: 2 }, 200);
    ids.packedB = (await post('/shipments', { order: ids.pickB })).id; // 2 packed, 3 still to pick
    ids.suggestionB = (await post(`/pick-tasks/${milkTaskB}/short`, { found: 0 }, 200)).countSuggestion.id;
    const shipB = await order('WB', [{ sku: 'BOX', quantity: 1 }]);
    ids.shippedB = (await post(`/sales-orders/${shipB}/ship`, { carrier: 'SF', trackingNumber: 'TRK-B' }, 200)).shipments[0].id;
    // Orders of A that reach into B: a line served from WB.
    ids.mixedDraftA = await order('WA', [{ sku: 'BOX', quantity: 1 }, { sku: 'BOX', quantity: 1, warehouse: 'WB' }], false);
    ids.mixedA = await order('WA', [{ sku: 'BOX', quantity: 1 }, { sku: 'BOX', quantity: 1, warehouse: 'WB' }]);
    ids.draftA = await order('WA', [{ sku: 'BOX', quantity: 1 }], false);
    // Warehouse A has a shipped order of its own, so its lists are not empty.
    ids.shippedA = (await post(`/sales-orders/${await order('WA', [{ sku: 'BOX', quantity: 1 }])}/ship`, undefined, 200)).shipments[0].id;

    for (const [name, role] of [['clerk-a', 'clerk'], ['sales-a', 'sales']] as const) {
      await post('/users', { username: name, password: `${name}-pass-1`, role, warehouses: ['WA'] });
      as[name] = { authorization: `Bearer ${await api.login(name, `${name}-pass-1`)}` };
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Direct access to WB: [who, method, path, body]. Every one must answer 403 and write nothing. */
  const forbiddenCalls = (): Array<[string, string, string, unknown?]> => [
    // sales orders
    ['sales-a', 'POST', '/sales-orders', { customer: 'CUS', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] }],
    ['sales-a', 'POST', '/sales-orders', { customer: 'CUS', warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 1 }, { sku: 'BOX', quantity: 1, warehouse: 'WB' }] }],
    ['sales-a', 'GET', `/sales-orders/${ids.orderB}`],
    ['clerk-a', 'GET', `/sales-orders/${ids.orderB}`],
    ['sales-a', 'GET', '/sales-orders?warehouse=WB'],
    ['sales-a', 'PATCH', `/sales-orders/${ids.draftB}`, { note: 'mine now' }],
    ['sales-a', 'PATCH', `/sales-orders/${ids.draftA}`, { warehouse: 'WB' }],
    ['sales-a', 'PATCH', `/sales-orders/${ids.draftA}`, { lines: [{ sku: 'BOX', quantity: 1, warehouse: 'WB' }] }],
    ['sales-a', 'POST', `/sales-orders/${ids.draftB}/confirm`],
    ['sales-a', 'POST', `/sales-orders/${ids.mixedDraftA}/confirm`],
    ['sales-a', 'POST', `/sales-orders/${ids.orderB}/cancel`],
    ['sales-a', 'POST', `/sales-orders/${ids.draftB}/cancel`],
    ['sales-a', 'POST', `/sales-orders/${ids.orderB}/lines/1/cancel`, { quantity: 1 }],
    // shipping: the order's warehouse, and every warehouse the stock leaves from
    ['clerk-a', 'POST', `/sales-orders/${ids.orderB}/ship`],
    ['clerk-a', 'POST', `/sales-orders/${ids.mixedA}/ship`],
    ['clerk-a', 'POST', '/shipments', { order: ids.pickB }],
    ['clerk-a', 'POST', '/shipments', { order: ids.pickB, warehouse: 'WB' }],
    ['clerk-a', 'POST', `/shipments/${ids.packedB}/ship`, { carrier: 'SF', trackingNumber: 'TRK-X' }],
    ['clerk-a', 'GET', `/shipments/${ids.shippedB}`],
    ['clerk-a', 'GET', `/shipments/${ids.packedB}`],
    ['clerk-a', 'GET', `/shipments/${ids.shippedB}/pdf`],
    ['clerk-a', 'POST', `/shipments/${ids.shippedB}/events`, { status: 'in_transit' }],
    ['clerk-a', 'POST', '/shipments/track', { carrier: 'SF', trackingNumber: 'TRK-B', status: 'in_transit' }],
    // picking and count suggestions
    ['clerk-a', 'POST', '/pick-waves', { warehouse: 'WB' }],
    ['clerk-a', 'POST', '/pick-waves', { warehouse: 'WB', orders: [ids.orderB] }],
    ['clerk-a', 'GET', `/pick-waves/${ids.waveB}`],
    ['clerk-a', 'GET', '/pick-waves?warehouse=WB'],
    ['clerk-a', 'POST', `/pick-waves/${ids.waveB}/scan`, { bin: 'WB/Stock', item: 'BOX' }],
    ['clerk-a', 'GET', `/pick-tasks/${ids.taskB}`],
    ['clerk-a', 'POST', `/pick-tasks/${ids.taskB}/scan`, { bin: 'WB/Stock', item: 'BOX' }],
    ['clerk-a', 'POST', `/pick-tasks/${ids.taskB}/short`, { found: 1 }],
    ['clerk-a', 'GET', '/count-suggestions?warehouse=WB'],
    ['clerk-a', 'GET', `/count-suggestions/${ids.suggestionB}`],
    ['clerk-a', 'POST', `/count-suggestions/${ids.suggestionB}/count`],
    ['clerk-a', 'POST', `/count-suggestions/${ids.suggestionB}/resolve`, { found: 0 }],
    // logistics
    ['clerk-a', 'GET', '/logistics/orders?warehouse=WB'],
    ['sales-a', 'GET', '/logistics/orders?warehouse=WB&stage=reserved'],
    // the dashboard of B
    ['clerk-a', 'GET', '/dashboard?warehouse=WB'],
    // labels: bins and lots of B
    ['clerk-a', 'GET', `/labels/locations/${ids.binB}`],
    ['clerk-a', 'GET', `/labels/lots/${ids.lotB}`],
    ['clerk-a', 'POST', '/labels', { labels: [{ location: ids.binA }, { location: ids.binB }] }],
    ['clerk-a', 'POST', '/labels', { labels: [{ sku: 'MILK', lot: 'L-WB' }] }],
  ];

  it('answers 403 for every direct access to warehouse B, writing nothing', async () => {
    const before = await snapshot(api.db.store);
    const failures: string[] = [];
    for (const [who, method, path, body] of forbiddenCalls()) {
      const res = await api.call(method, V + path, body, as[who]);
      if (res.status !== 403 || !String(res.body?.type).endsWith('forbidden')) failures.push(`${who} ${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('the admin is not scoped: the same reads of B succeed', async () => {
    for (const path of [`/sales-orders/${ids.orderB}`, `/shipments/${ids.shippedB}`, `/pick-waves/${ids.waveB}`, `/pick-tasks/${ids.taskB}`, `/count-suggestions/${ids.suggestionB}`, '/logistics/orders?warehouse=WB']) {
      ok(await api.call('GET', V + path));
    }
    const label = await fetch(`${api.baseUrl}${V}/labels/lots/${ids.lotB}`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(label.status).toBe(200);
  });

  it('lists show only warehouse A ("sees nothing" of B)', async () => {
    const get = async (path: string, who = 'clerk-a') => ok(await api.call('GET', V + path, undefined, as[who])).body;
    const all = async (path: string) => ok(await api.call('GET', V + path)).body;
    for (const who of ['clerk-a', 'sales-a']) {
      const orders = (await get('/sales-orders?limit=200', who)).items as any[];
      expect(orders.length).toBeGreaterThan(0);
      expect(orders.filter((o) => o.warehouse !== 'WA'), who).toEqual([]);
      const logistics = (await get('/logistics/orders?limit=200', who)).items as any[];
      expect(logistics.length).toBeGreaterThan(0);
      expect(logistics.filter((o) => o.warehouse !== 'WA'), who).toEqual([]);
    }
    expect((await all('/sales-orders?limit=200')).items.some((o: any) => o.warehouse === 'WB')).toBe(true);
    expect((await all('/logistics/orders?limit=200')).items.some((o: any) => o.warehouse === 'WB')).toBe(true);

    const shipments = (await get('/shipments')).items as any[];
    expect(shipments.map((s) => s.id)).toEqual([ids.shippedA]);
    expect((await all('/shipments')).items.map((s: any) => s.id)).toEqual(expect.arrayContaining([ids.shippedA, ids.shippedB, ids.packedB]));
    // Searching does not reach B either.
    expect((await get('/shipments?q=TRK-B')).items).toEqual([]);

    expect(((await get('/pick-waves')).items as any[]).filter((w) => w.warehouse !== 'WA')).toEqual([]);
    expect((await all('/pick-waves')).items.map((w: any) => w.id)).toContain(ids.waveB);
    expect(((await get('/count-suggestions')).items as any[]).filter((s) => s.warehouse !== 'WA')).toEqual([]);
    expect((await all('/count-suggestions')).items.map((s: any) => s.id)).toContain(ids.suggestionB);

    // The dashboard counts only A: its warehouses, stock and orders.
    const board = await get('/dashboard');
    expect(board.warehouses.map((w: any) => w.code)).toEqual(['WA']);
    const boardAll = await all('/dashboard');
    expect(boardAll.warehouses.map((w: any) => w.code)).toEqual(['WA', 'WB']);
    const orderCount = (b: any) => Object.values(b.salesOrders as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(orderCount(board)).toBe(orderCount(await get('/dashboard?warehouse=WA')));
    expect(orderCount(board)).toBeLessThan(orderCount(boardAll));

    // A user scoped to no warehouse sees none of it.
    ok(await api.call('POST', `${V}/users`, { username: 'nowhere', password: 'nowhere-pass-1', role: 'viewer', warehouses: [] }), 201);
    const nowhere = { authorization: `Bearer ${await api.login('nowhere', 'nowhere-pass-1')}` };
    for (const path of ['/sales-orders', '/shipments', '/pick-waves', '/count-suggestions', '/logistics/orders']) {
      expect(ok(await api.call('GET', V + path, undefined, nowhere)).body.items, path).toEqual([]);
    }
    const emptyBoard = ok(await api.call('GET', `${V}/dashboard`, undefined, nowhere)).body;
    expect([emptyBoard.warehouses, emptyBoard.skusInStock, emptyBoard.salesOrders]).toEqual([[], 0, {}]);
  });

  it('the same operations succeed in warehouse A', async () => {
    const call = async (who: string, method: string, path: string, body?: unknown, status = 200) => ok(await api.call(method, V + path, body, as[who]), status).body;
    // Sales: create, change, confirm, cancel part of a line, read, list by warehouse; cancel another.
    const created = await call('sales-a', 'POST', '/sales-orders', { customer: 'CUS', warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 4 }, { sku: 'MILK', quantity: 1, warehouse: 'WA' }] }, 201);
    await call('sales-a', 'PATCH', `/sales-orders/${created.id}`, { note: 'rush' });
    await call('sales-a', 'POST', `/sales-orders/${created.id}/confirm`);
    await call('sales-a', 'POST', `/sales-orders/${created.id}/lines/1/cancel`, { quantity: 1 });
    expect((await call('clerk-a', 'GET', `/sales-orders/${created.id}`)).lines[0]).toMatchObject({ quantity: 4, cancelled: 1 });
    expect((await call('sales-a', 'GET', '/sales-orders?warehouse=WA')).items.map((o: any) => o.id)).toContain(created.id);
    await call('sales-a', 'POST', `/sales-orders/${(await call('sales-a', 'POST', '/sales-orders', { customer: 'CUS', warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 1 }] }, 201)).id}/cancel`);

    // Picking: a wave in A, read it and its task, pick by wave scan, short the lot line.
    const wave = await call('clerk-a', 'POST', '/pick-waves', { warehouse: 'WA', orders: [created.id] }, 201);
    await call('clerk-a', 'GET', `/pick-waves/${wave.id}`);
    expect((await call('clerk-a', 'GET', '/pick-waves?warehouse=WA')).items.map((w: any) => w.id)).toContain(wave.id);
    const boxTask = wave.tasks.find((t: any) => t.sku === 'BOX');
    const milkTask = wave.tasks.find((t: any) => t.sku === 'MILK');
    await call('clerk-a', 'GET', `/pick-tasks/${boxTask.id}`);
    await call('clerk-a', 'POST', `/pick-waves/${wave.id}/scan`, { bin: 'WA/Stock', item: 'BOX', quantity: 2 });
    await call('clerk-a', 'POST', `/pick-tasks/${boxTask.id}/scan`, { bin: 'WA/Stock', item: 'BOX', quantity: 1 });
    const short = await call('clerk-a', 'POST', `/pick-tasks/${milkTask.id}/short`, { found: 0 });
    const suggestion = short.countSuggestion.id;
    await call('clerk-a', 'GET', `/count-suggestions/${suggestion}`);
    expect((await call('clerk-a', 'GET', '/count-suggestions?warehouse=WA')).items.map((s: any) => s.id)).toContain(suggestion);
    await call('clerk-a', 'POST', `/count-suggestions/${suggestion}/count`);
    await call('clerk-a', 'POST', `/count-suggestions/${suggestion}/resolve`, { found: 1 });

    // Shipping: pack what was picked, read, print, ship, track by id and by tracking number.
    const packed = await call('clerk-a', 'POST', '/shipments', { order: created.id, warehouse: 'WA' }, 201);
    await call('clerk-a', 'GET', `/shipments/${packed.id}`);
    const pdf = await api.call('GET', `${V}/shipments/${packed.id}/pdf`, undefined, as['clerk-a']);
    expect(pdf.status).toBe(200);
    await call('clerk-a', 'POST', `/shipments/${packed.id}/ship`, { carrier: 'SF', trackingNumber: 'TRK-A1' });
    await call('clerk-a', 'POST', `/shipments/${packed.id}/events`, { status: 'in_transit' }, 201);
    const delivered = await call('clerk-a', 'POST', '/shipments/track', { carrier: 'SF', trackingNumber: 'TRK-A1', status: 'delivered' }, 201);
    expect(delivered.status).toBe('delivered');
    expect((await call('clerk-a', 'GET', '/shipments?q=TRK-A1')).items.map((s: any) => s.id)).toEqual([packed.id]);
    // The contract route ships a whole order of A.
    const another = await call('sales-a', 'POST', '/sales-orders', { customer: 'CUS', warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 2 }] }, 201);
    await call('sales-a', 'POST', `/sales-orders/${another.id}/confirm`);
    expect((await call('clerk-a', 'POST', `/sales-orders/${another.id}/ship`)).status).toBe('shipped');

    // Logistics and labels of A.
    expect((await call('clerk-a', 'GET', '/logistics/orders?warehouse=WA')).items.map((o: any) => o.id)).toEqual(expect.arrayContaining([created.id, another.id]));
    for (const path of [`/labels/locations/${ids.binA}`, `/labels/lots/${ids.lotA}`]) {
      const res = await fetch(`${api.baseUrl}${V}${path}`, { headers: as['clerk-a'] });
      expect(res.status, path).toBe(200);
    }
    const batch = await fetch(`${api.baseUrl}${V}/labels`, {
      method: 'POST', headers: { ...as['clerk-a'], 'content-type': 'application/json' },
      body: JSON.stringify({ labels: [{ location: ids.binA }, { sku: 'MILK', lot: 'L-WA' }, { item: ids.box }] }),
    });
    expect(batch.status).toBe(200);
  });
});
