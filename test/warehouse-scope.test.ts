import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type ApiResponse, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';

/**
 * A user limited to warehouse WA: every stock-touching endpoint answers 403 for WB (direct access)
 * or leaves WB out of its lists ("sees nothing"), while the same calls for WA succeed.
 */
describe.each(ENGINES)('warehouse scope on %s', (engine) => {
  let api: TestApi;
  const ids: Record<string, number> = {};
  const as: Record<string, Record<string, string>> = {};
  const ok = <T extends ApiResponse>(res: T, status = 200): T => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res;
  };


  beforeAll(async () => {
    api = await startTestApi(engine);
    const post = async (path: string, body: unknown, status = 201) => ok(await api.call('POST', V + path, body), status).body;
    for (const code of ['WA', 'WB', 'WC']) ids[code] = (await post('/warehouses', { code, name: `Warehouse ${code}` })).id;
    await post('/items', { sku: 'BOX', name: 'Box', unit: 'pcs' });
    await post('/partners', { code: 'SUP', name: 'Supplier', kind: 'supplier' });
    await post('/partners', { code: 'CUS', name: 'Customer', kind: 'customer' });
    for (const w of ['WA', 'WB', 'WC']) ids[`adj${w}`] = (await post('/inventory-adjustments', { warehouse: w, reason: 'opening', lines: [{ sku: 'BOX', quantity: 100, unitCost: 2.5 }] })).id;
    await post(`/warehouses/${ids.WA}/locations`, { code: 'A1', kind: 'bin' });
    await post(`/warehouses/${ids.WB}/locations`, { code: 'B1', kind: 'bin' });
    // Documents of WB the clerk of WA must not see or touch.
    const po = await post('/purchase-orders', { supplier: 'SUP', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 10, unitPrice: 3 }] });
    ids.poB = po.id;
    ok(await api.call('POST', `${V}/purchase-orders/${po.id}/submit`));
    if ((await api.call('GET', `${V}/purchase-orders/${po.id}`)).body.status === 'submitted') {
      // The admin cannot approve their own order: a second manager approves.
      await post('/users', { username: 'approver', password: 'approver-pass-1', role: 'manager' });
      ok(await api.call('POST', `${V}/purchase-orders/${po.id}/approve`, undefined, { authorization: `Bearer ${await api.login('approver', 'approver-pass-1')}` }));
    }
    ids.poDraftB = (await post('/purchase-orders', { supplier: 'SUP', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1, unitPrice: 3 }] })).id;
    ids.receiptB = (await post('/receipts', { purchaseOrder: po.id, lines: [{ line: 1, quantity: 4 }] })).id;
    ok(await api.call('POST', `${V}/receipts/${ids.receiptB}/inspect`, { lines: [{ line: 1, accept: 2, reject: 1 }] }), 201);
    ids.supplierReturnB = (await post('/supplier-returns', { supplier: 'SUP', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] })).id;
    ids.internalB = (await post('/internal-transfers', { warehouse: 'WB', lines: [{ item: 'BOX', to: 'WB/Stock/B1', quantity: 5 }] })).id;
    ids.scrapB = (await post('/scraps', { warehouse: 'WB', reason: 'damaged', lines: [{ sku: 'BOX', quantity: 1 }] })).id;
    ids.ruleB = (await post('/putaway-rules', { warehouse: 'WB', item: 'BOX', location: 'WB/Stock/B1' })).id;
    ids.countB = (await post('/stock-counts', { warehouse: 'WB', scope: { type: 'full' } })).id;
    ids.transferBC = (await post('/transfers', { from: 'WB', to: 'WC', lines: [{ sku: 'BOX', quantity: 2 }] })).id;
    ids.transferBA = (await post('/transfers', { from: 'WB', to: 'WA', lines: [{ sku: 'BOX', quantity: 2 }] })).id;
    ok(await api.call('POST', `${V}/transfers/${ids.transferBA}/ship`));
    ids.transferAB = (await post('/transfers', { from: 'WA', to: 'WB', lines: [{ sku: 'BOX', quantity: 2 }] })).id;
    ok(await api.call('POST', `${V}/transfers/${ids.transferAB}/ship`));
    ids.transferCB = (await post('/transfers', { from: 'WC', to: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] })).id;
    ok(await api.call('POST', `${V}/transfers/${ids.transferCB}/ship`));
    // A shipped sales order of WB and its return (sales endpoints of the contract).
    const order = await post('/sales-orders', { customer: 'CUS', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 3 }] });
    ids.orderB = order.id;
    ok(await api.call('POST', `${V}/sales-orders/${order.id}/confirm`));
    ok(await api.call('POST', `${V}/sales-orders/${order.id}/ship`));
    ids.returnB = (await post('/sales-returns', { salesOrder: order.id, lines: [{ line: 1, quantity: 1 }] })).id;

    for (const [name, role] of [['clerk-a', 'clerk'], ['buyer-a', 'purchaser'], ['boss-a', 'manager']] as const) {
      await post('/users', { username: name, password: `${name}-pass-1`, role, warehouses: ['WA'] });
      as[name] = { authorization: `Bearer ${await api.login(name, `${name}-pass-1`)}` };
    }
  });
  afterAll(async () => {
    await api?.close();
  });


  /** Direct access to WB: [who, method, path, body]. Every one must answer 403 and write nothing. */
  const forbiddenCalls = (): Array<[string, string, string, unknown?]> => [
    // stock
    ['clerk-a', 'GET', '/stock?warehouse=WB'],
    ['clerk-a', 'GET', '/stock/summary?warehouse=WB'],
    ['clerk-a', 'GET', '/moves?warehouse=WB'],
    ['clerk-a', 'GET', '/available-to-promise?sku=BOX&warehouse=WB'],
    // warehouses and locations
    ['clerk-a', 'GET', `/warehouses/${ids.WB}`],
    ['clerk-a', 'GET', `/locations?warehouse=${ids.WB}`],
    ['boss-a', 'PATCH', `/warehouses/${ids.WB}`, { name: 'renamed' }],
    ['boss-a', 'POST', `/warehouses/${ids.WB}/locations`, { code: 'B9', kind: 'bin' }],
    // adjustments
    ['clerk-a', 'POST', '/inventory-adjustments', { warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] }],
    ['clerk-a', 'GET', `/inventory-adjustments/${ids.adjWB}`],
    // internal transfers, scrap, put-away
    ['clerk-a', 'POST', '/internal-transfers', { warehouse: 'WB', lines: [{ item: 'BOX', to: 'WB/Stock/B1', quantity: 1 }] }],
    ['clerk-a', 'GET', `/internal-transfers/${ids.internalB}`],
    ['clerk-a', 'GET', `/internal-transfers/${ids.internalB}/pdf`],
    ['clerk-a', 'GET', '/internal-transfers?warehouse=WB'],
    ['clerk-a', 'POST', '/scraps', { warehouse: 'WB', reason: 'damaged', lines: [{ sku: 'BOX', quantity: 1 }] }],
    ['clerk-a', 'GET', `/scraps/${ids.scrapB}`],
    ['clerk-a', 'GET', '/scraps?warehouse=WB'],
    ['boss-a', 'POST', '/putaway-rules', { warehouse: 'WB', item: 'BOX', location: 'WB/Stock/B1', priority: 5 }],
    ['boss-a', 'DELETE', `/putaway-rules/${ids.ruleB}`],
    ['clerk-a', 'GET', '/putaway-rules?warehouse=WB'],
    ['clerk-a', 'GET', '/putaway-suggestions?warehouse=WB&item=BOX'],
    // counts
    ['clerk-a', 'POST', '/stock-counts', { warehouse: 'WB', scope: { type: 'full' } }],
    ['clerk-a', 'GET', `/stock-counts/${ids.countB}`],
    ['clerk-a', 'GET', `/stock-counts/${ids.countB}/variances`],
    ['clerk-a', 'GET', `/stock-counts/${ids.countB}/pdf`],
    ['clerk-a', 'GET', '/stock-counts?warehouse=WB'],
    ['clerk-a', 'GET', '/stock-counts/abc?warehouse=WB'],
    ['clerk-a', 'POST', `/stock-counts/${ids.countB}/start`],
    ['clerk-a', 'POST', `/stock-counts/${ids.countB}/cancel`],
    ['clerk-a', 'POST', `/stock-counts/${ids.countB}/entries`, { entries: [{ location: 'WB/Stock', item: 'BOX', quantity: 1 }] }],
    ['clerk-a', 'POST', `/stock-counts/${ids.countB}/submit`],
    ['boss-a', 'POST', `/stock-counts/${ids.countB}/approve`],
    ['boss-a', 'POST', `/stock-counts/${ids.countB}/reject`, { reason: 'no' }],
    ['clerk-a', 'POST', `/stock-counts/${ids.countB}/post`],
    // procurement
    ['buyer-a', 'POST', '/purchase-orders', { supplier: 'SUP', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1, unitPrice: 1 }] }],
    ['buyer-a', 'GET', `/purchase-orders/${ids.poB}`],
    ['buyer-a', 'GET', `/purchase-orders/${ids.poB}/pdf`],
    ['buyer-a', 'GET', '/purchase-orders?warehouse=WB'],
    ['buyer-a', 'PATCH', `/purchase-orders/${ids.poDraftB}`, { notes: 'mine now' }],
    ['buyer-a', 'POST', `/purchase-orders/${ids.poDraftB}/submit`],
    ['buyer-a', 'POST', `/purchase-orders/${ids.poDraftB}/cancel`],
    ['buyer-a', 'POST', `/purchase-orders/${ids.poB}/close`],
    ['clerk-a', 'POST', '/receipts', { purchaseOrder: ids.poB, lines: [{ line: 1, quantity: 1 }] }],
    ['clerk-a', 'POST', '/receipts', { customer: 'CUS', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] }],
    ['clerk-a', 'GET', `/receipts/${ids.receiptB}`],
    ['clerk-a', 'GET', `/receipts/${ids.receiptB}/pdf`],
    ['clerk-a', 'GET', '/receipts?warehouse=WB'],
    ['clerk-a', 'POST', `/receipts/${ids.receiptB}/inspect`, { lines: [{ line: 1, accept: 1 }] }],
    ['clerk-a', 'POST', '/supplier-returns', { supplier: 'SUP', warehouse: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] }],
    ['clerk-a', 'GET', `/supplier-returns/${ids.supplierReturnB}`],
    ['clerk-a', 'GET', '/supplier-returns?warehouse=WB'],
    // transfers between warehouses: ship needs the source, receive and close the destination
    ['clerk-a', 'POST', '/transfers', { from: 'WB', to: 'WA', lines: [{ sku: 'BOX', quantity: 1 }] }],
    ['clerk-a', 'GET', `/transfers/${ids.transferBC}`],
    ['clerk-a', 'GET', `/transfers/${ids.transferBC}/pdf`],
    ['clerk-a', 'POST', `/transfers/${ids.transferBC}/ship`],
    ['clerk-a', 'POST', `/transfers/${ids.transferBC}/cancel`],
    ['clerk-a', 'POST', `/transfers/${ids.transferAB}/receive`, { lines: [{ line: 1, quantity: 1 }] }],
    ['clerk-a', 'POST', `/transfers/${ids.transferAB}/close`],
    ['clerk-a', 'POST', `/transfers/${ids.transferCB}/receive`, { lines: [{ line: 1, quantity: 1 }] }],
    // sales returns
    ['clerk-a', 'POST', '/sales-returns', { salesOrder: ids.orderB, lines: [{ line: 1, quantity: 1 }] }],
    ['clerk-a', 'GET', `/sales-returns/${ids.returnB}`],
    ['clerk-a', 'POST', `/sales-returns/${ids.returnB}/inspect`, { lines: [{ line: 1, restock: 1 }] }],
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

  it('lists show only warehouse A ("sees nothing" of B)', async () => {
    const get = async (path: string, who = 'clerk-a') => ok(await api.call('GET', V + path, undefined, as[who])).body;
    expect((await get('/warehouses')).items.map((w: any) => w.code)).toEqual(['WA']);
    expect(new Set((await get('/stock')).items.map((r: any) => r.warehouse))).toEqual(new Set(['WA']));
    expect(new Set((await get('/stock/summary')).items.map((r: any) => r.warehouse))).toEqual(new Set(['WA']));
    const locations = (await get('/locations')).items;
    expect(locations.filter((l: any) => l.warehouse !== null).every((l: any) => l.warehouse === 'WA')).toBe(true);
    expect(locations.some((l: any) => l.warehouse === null)).toBe(true); // virtual locations stay visible
    // Moves: every one touches a location of WA.
    const moves = (await get('/moves?limit=1000')).items;
    expect(moves.length).toBeGreaterThan(0);
    for (const m of moves) expect(`${m.from} ${m.to}`, JSON.stringify(m)).toMatch(/(^|\s)WA\//);
    const allMoves = ok(await api.call('GET', `${V}/moves?limit=1000`)).body.items;
    expect(allMoves.length).toBeGreaterThan(moves.length);
    for (const [path, key] of [
      ['/inventory-adjustments', 'warehouse'], ['/internal-transfers', 'warehouse'], ['/scraps', 'warehouse'], ['/putaway-rules', 'warehouse'],
      ['/stock-counts', 'warehouse'], ['/receipts', 'warehouse'], ['/supplier-returns', 'warehouse'], ['/sales-returns', 'warehouse'],
    ] as const) {
      const items = (await get(path)).items as any[];
      expect(items.filter((d) => d[key] !== 'WA'), path).toEqual([]);
    }
    expect((await get('/inventory-adjustments')).items.length).toBe(1);
    expect(((await get('/purchase-orders', 'buyer-a')).items as any[]).filter((o) => o.warehouse !== 'WA')).toEqual([]);
    // Transfers: those with WA on either side, never B->C or C->B.
    const transfers = (await get('/transfers')).items.map((t: any) => t.id).sort();
    expect(transfers).toEqual([ids.transferBA, ids.transferAB].sort());
    // The admin still sees everything.
    expect(ok(await api.call('GET', `${V}/warehouses`)).body.items.length).toBe(3);
  });

  it('the same operations succeed in warehouse A', async () => {
    const call = async (who: string, method: string, path: string, body?: unknown, status = 200) => ok(await api.call(method, V + path, body, as[who]), status).body;
    await call('clerk-a', 'GET', '/stock?warehouse=WA');
    await call('clerk-a', 'GET', '/stock/summary?warehouse=WA');
    await call('clerk-a', 'GET', '/available-to-promise?sku=BOX&warehouse=WA');
    await call('clerk-a', 'GET', `/warehouses/${ids.WA}`);
    const adj = await call('clerk-a', 'POST', '/inventory-adjustments', { warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 1 }] }, 201);
    await call('clerk-a', 'GET', `/inventory-adjustments/${adj.id}`);
    const it = await call('clerk-a', 'POST', '/internal-transfers', { warehouse: 'WA', lines: [{ item: 'BOX', to: 'WA/Stock/A1', quantity: 1 }] }, 201);
    await call('clerk-a', 'GET', `/internal-transfers/${it.id}`);
    const scrap = await call('clerk-a', 'POST', '/scraps', { warehouse: 'WA', reason: 'damaged', lines: [{ sku: 'BOX', quantity: 1 }] }, 201);
    await call('clerk-a', 'GET', `/scraps/${scrap.id}`);
    await call('boss-a', 'POST', '/putaway-rules', { warehouse: 'WA', item: 'BOX', location: 'WA/Stock/A1' }, 201);
    await call('clerk-a', 'GET', '/putaway-suggestions?warehouse=WA&item=BOX');
    const count = await call('clerk-a', 'POST', '/stock-counts', { warehouse: 'WA', scope: { type: 'full' } }, 201);
    await call('clerk-a', 'POST', `/stock-counts/${count.id}/start`);
    await call('clerk-a', 'GET', `/stock-counts/${count.id}`);
    await call('clerk-a', 'POST', `/stock-counts/${count.id}/cancel`);
    const po = await call('buyer-a', 'POST', '/purchase-orders', { supplier: 'SUP', warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 1, unitPrice: 1 }] }, 201);
    await call('buyer-a', 'GET', `/purchase-orders/${po.id}`);
    const receipt = await call('clerk-a', 'POST', '/receipts', { customer: 'CUS', warehouse: 'WA', lines: [{ sku: 'BOX', quantity: 1 }] }, 201);
    await call('clerk-a', 'GET', `/receipts/${receipt.id}`);
    // Transfers: the clerk of A ships from A, and receives what comes to A from B.
    const tr = await call('clerk-a', 'POST', '/transfers', { from: 'WA', to: 'WB', lines: [{ sku: 'BOX', quantity: 1 }] }, 201);
    await call('clerk-a', 'POST', `/transfers/${tr.id}/ship`);
    await call('clerk-a', 'GET', `/transfers/${ids.transferBA}`);
    await call('clerk-a', 'POST', `/transfers/${ids.transferBA}/receive`, { lines: [{ line: 1, quantity: 2 }] });
    // ...while the admin receives at B what the clerk shipped.
    ok(await api.call('POST', `${V}/transfers/${tr.id}/receive`, { lines: [{ line: 1, quantity: 1 }] }));
  });

  it('a user scoped to no warehouse sees no stock at all', async () => {
    ok(await api.call('POST', `${V}/users`, { username: 'nowhere', password: 'nowhere-pass-1', role: 'viewer', warehouses: [] }), 201);
    const who = { authorization: `Bearer ${await api.login('nowhere', 'nowhere-pass-1')}` };
    for (const path of ['/stock', '/stock/summary', '/warehouses', '/moves', '/inventory-adjustments', '/transfers', '/stock-counts', '/purchase-orders']) {
      const res = ok(await api.call('GET', V + path, undefined, who));
      expect(res.body.items, path).toEqual([]);
    }
  });
});
