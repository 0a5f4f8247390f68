import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';
const addDays = (days: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Sales orders beyond the basic lifecycle (docs/sales-orders.md), over HTTP on both engines. */
describe.each(ENGINES)('sales orders on %s', (engine) => {
  let api: TestApi;
  let asManager: Record<string, string>;
  const today = addDays(0);

  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const code of ['WH1', 'WH2']) expect((await api.call('POST', `${V}/warehouses`, { code, name: code })).status).toBe(201);
    expect((await api.call('POST', `${V}/partners`, { code: 'SUP1', name: 'Supplier', kind: 'supplier' })).status).toBe(201);
    expect((await api.call('POST', `${V}/users`, { username: 'mia', password: 'mia-password', role: 'manager' })).status).toBe(201);
    asManager = { authorization: `Bearer ${await api.login('mia', 'mia-password')}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  const item = async (sku: string, extra: Record<string, unknown> = {}) =>
    expect((await api.call('POST', `${V}/items`, { sku, name: sku, unit: 'pcs', ...extra })).status).toBe(201);
  const adjust = async (warehouse: string, lines: unknown[]) => {
    const res = await api.call('POST', `${V}/inventory-adjustments`, { warehouse, lines });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const order = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', `${V}/sales-orders`, { warehouse: 'WH1', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; lines: any[] };
  };
  const confirm = async (id: number) => {
    const res = await api.call('POST', `${V}/sales-orders/${id}/confirm`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const get = async (id: number) => (await api.call('GET', `${V}/sales-orders/${id}`)).body;
  const approvedPurchase = async (lines: unknown[], extra: Record<string, unknown> = {}) => {
    const created = await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines, ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const submitted = await api.call('POST', `${V}/purchase-orders/${created.body.id}/submit`);
    expect(submitted.status).toBe(200);
    if (submitted.body.status === 'submitted') expect((await api.call('POST', `${V}/purchase-orders/${created.body.id}/approve`, undefined, asManager)).status).toBe(200);
    return created.body.id as number;
  };
  const stock = async (sku: string, warehouse = 'WH1') =>
    (await api.call('GET', `${V}/stock?sku=${sku}&warehouse=${warehouse}`)).body.items as Array<{ location: string; lot: string | null; onHand: number; reserved: number; available: number }>;

  it('keeps the contract: draft, all-or-nothing confirm, cancel, ship', async () => {
    await item('C1');
    await adjust('WH1', [{ sku: 'C1', quantity: 5 }]);
    const created = await api.call('POST', `${V}/sales-orders`, { customer: 'Walk-in', warehouse: 'WH1', lines: [{ sku: 'C1', quantity: 3 }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), status: 'draft', customer: 'Walk-in', partner: null, warehouse: 'WH1', priority: 5, allowBackorder: false });
    expect(created.body.lines).toEqual([expect.objectContaining({ line: 1, sku: 'C1', warehouse: 'WH1', quantity: 3, reserved: 0, shipped: 0, cancelled: 0, backordered: 0 })]);

    const big = await order({ customer: 'Walk-in', lines: [{ sku: 'C1', quantity: 6 }] });
    const before = await snapshot(api.db.store);
    const short = await api.call('POST', `${V}/sales-orders/${big.id}/confirm`);
    expect(short.status).toBe(409);
    expect(short.body.type).toMatch(/insufficient-stock$/);
    expect(short.body.shortLines).toEqual([{ line: 1, sku: 'C1', requested: 6, available: 5 }]);
    expect(await snapshot(api.db.store)).toEqual(before);

    const confirmed = await confirm(created.body.id);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.lines[0]).toMatchObject({ reserved: 3, backordered: 0, promisedOn: today });
    const cancelled = await api.call('POST', `${V}/sales-orders/${created.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.lines[0]).toMatchObject({ reserved: 0, cancelled: 3, open: 0 });
    expect((await stock('C1'))[0]).toMatchObject({ onHand: 5, reserved: 0 });

    const shipped = await order({ customer: 'Walk-in', lines: [{ sku: 'C1', quantity: 2 }] });
    await confirm(shipped.id);
    const res = await api.call('POST', `${V}/sales-orders/${shipped.id}/ship`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('shipped');
    expect((await stock('C1'))[0]).toMatchObject({ onHand: 3, reserved: 0 });
  });

  it('keeps prices, discounts and amounts exact, links partners and edits drafts', async () => {
    await item('P1');
    await item('P2');
    expect((await api.call('POST', `${V}/partners`, { code: 'CUSTA', name: 'Customer A', kind: 'customer' })).status).toBe(201);
    const created = await order({
      customer: 'CUSTA', priority: 2, requestedOn: addDays(30), reference: 'PO-778', note: 'ring first',
      lines: [
        { sku: 'P1', quantity: 3, unitPrice: 19.99, discountPercent: 12.5 },
        { sku: 'P2', quantity: 1, unitPrice: 0.000001, discountPercent: 50, warehouse: 'WH2', requestedOn: addDays(40) },
        { sku: 'P2', quantity: 2 },
      ],
    });
    expect(created).toMatchObject({ customer: 'CUSTA', partner: { code: 'CUSTA', name: 'Customer A', minShelfLifeDays: null }, priority: 2, requestedOn: addDays(30), reference: 'PO-778', note: 'ring first', locked: false });
    expect(created.lines).toEqual([
      expect.objectContaining({ line: 1, warehouse: 'WH1', unitPrice: 19.99, discountPercent: 12.5, amount: 52.47375 }),
      // 0.0000005 rounds half away from zero to 0.000001.
      expect.objectContaining({ line: 2, warehouse: 'WH2', unitPrice: 0.000001, discountPercent: 50, amount: 0.000001, requestedOn: addDays(40) }),
      expect.objectContaining({ line: 3, warehouse: 'WH1', unitPrice: null, discountPercent: 0, amount: null }),
    ]);
    expect((created as any).totals).toEqual({ gross: 59.970001, discount: 7.49625, net: 52.473751, backordered: 0 });

    const free = await order({ customer: 'Somebody not a partner', lines: [{ sku: 'P1', quantity: 1 }] });
    expect((free as any).partner).toBeNull();

    const edited = await api.call('PATCH', `${V}/sales-orders/${free.id}`, { partner: 'CUSTA', priority: 1, warehouse: 'WH2', lines: [{ sku: 'P2', quantity: 4, unitPrice: 2.5 }] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ customer: 'Somebody not a partner', partner: { code: 'CUSTA' }, priority: 1, warehouse: 'WH2' });
    expect(edited.body.lines).toEqual([expect.objectContaining({ line: 1, sku: 'P2', warehouse: 'WH2', quantity: 4, amount: 10 })]);
    const unlinked = await api.call('PATCH', `${V}/sales-orders/${free.id}`, { partner: null });
    expect(unlinked.body.partner).toBeNull();
  });

  it('reserves each line in its own warehouse, all or nothing across warehouses', async () => {
    await item('M1');
    await adjust('WH1', [{ sku: 'M1', quantity: 4 }]);
    await adjust('WH2', [{ sku: 'M1', quantity: 1 }]);
    const both = await order({ customer: 'Multi', lines: [{ sku: 'M1', quantity: 4 }, { sku: 'M1', quantity: 2, warehouse: 'WH2' }] });
    const before = await snapshot(api.db.store);
    const refused = await api.call('POST', `${V}/sales-orders/${both.id}/confirm`);
    expect(refused.status).toBe(409);
    expect(refused.body.shortLines).toEqual([{ line: 2, sku: 'M1', requested: 2, available: 1 }]);
    expect(await snapshot(api.db.store)).toEqual(before);

    const fits = await order({ customer: 'Multi', lines: [{ sku: 'M1', quantity: 3 }, { sku: 'M1', quantity: 1, warehouse: 'WH2' }] });
    const confirmed = await confirm(fits.id);
    expect(confirmed.lines.map((l: any) => [l.warehouse, l.reserved])).toEqual([['WH1', 3], ['WH2', 1]]);
    expect((await stock('M1', 'WH2'))[0]).toMatchObject({ onHand: 1, reserved: 1 });
  });

  it('confirms partially with backorders and promise dates from available to promise', async () => {
    await item('B1');
    await item('B2');
    await adjust('WH1', [{ sku: 'B1', quantity: 10 }, { sku: 'B2', quantity: 1 }]);
    await approvedPurchase([{ sku: 'B1', quantity: 30, unitPrice: 1, expectedOn: '2099-03-01' }, { sku: 'B1', quantity: 5, unitPrice: 1, expectedOn: '2099-04-01' }]);
    const first = await order({ customer: 'Backorderer', allowBackorder: true, lines: [{ sku: 'B1', quantity: 25 }, { sku: 'B2', quantity: 3 }, { sku: 'B2', quantity: 1 }] });
    const confirmed = await confirm(first.id);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.lines).toEqual([
      expect.objectContaining({ line: 1, reserved: 10, backordered: 15, promisedOn: '2099-03-01' }),
      // B2 has no supply on its way: no date can be promised.
      expect.objectContaining({ line: 2, reserved: 1, backordered: 2, promisedOn: null }),
      expect.objectContaining({ line: 3, reserved: 0, backordered: 1, promisedOn: null }),
    ]);
    expect(confirmed.totals.backordered).toBe(3);

    // The next backorders queue behind the first: 15 + 18 > 30 due in March but within 35 by April; 15 + 18 + 20 > 35.
    const second = await order({ customer: 'Backorderer', allowBackorder: true, lines: [{ sku: 'B1', quantity: 18 }] });
    expect((await confirm(second.id)).lines[0]).toMatchObject({ reserved: 0, backordered: 18, promisedOn: '2099-04-01' });
    const third = await order({ customer: 'Backorderer', allowBackorder: true, lines: [{ sku: 'B1', quantity: 20 }] });
    expect((await confirm(third.id)).lines[0]).toMatchObject({ backordered: 20, promisedOn: null });
    const small = await order({ customer: 'Backorderer', allowBackorder: true, priority: 1, lines: [{ sku: 'B1', quantity: 5 }] });
    expect((await confirm(small.id)).lines[0]).toMatchObject({ backordered: 5, promisedOn: '2099-03-01' });

    const listed = await api.call('GET', `${V}/sales-orders?customer=backorder&backordered=true`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((o: any) => o.id)).toEqual([small.id, third.id, second.id, first.id]);
  });

  it('fills backorders by priority, then order date, when a purchase receipt is put away', async () => {
    await item('F1');
    const po = await approvedPurchase([{ sku: 'F1', quantity: 40, unitPrice: 1, expectedOn: '2099-01-10' }]);
    const a = await order({ customer: 'Fill A', allowBackorder: true, priority: 5, lines: [{ sku: 'F1', quantity: 5 }] });
    const b = await order({ customer: 'Fill B', allowBackorder: true, priority: 2, lines: [{ sku: 'F1', quantity: 6 }] });
    const c = await order({ customer: 'Fill C', allowBackorder: true, priority: 5, lines: [{ sku: 'F1', quantity: 4 }] });
    const d = await order({ customer: 'Fill D', allowBackorder: true, priority: 2, lines: [{ sku: 'F1', quantity: 3 }] });
    const draft = await order({ customer: 'Fill draft', priority: 1, lines: [{ sku: 'F1', quantity: 9 }] });
    for (const o of [c, a, d, b]) expect((await confirm(o.id)).lines[0].reserved).toBe(0);

    const receipt = await api.call('POST', `${V}/receipts`, { purchaseOrder: po, lines: [{ line: 1, quantity: 10 }] });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    // Received goods wait in Input: nothing is reserved before inspection.
    expect((await get(b.id)).lines[0].reserved).toBe(0);
    const inspected = await api.call('POST', `${V}/receipts/${receipt.body.id}/inspect`, { lines: [{ line: 1, accept: 10 }] });
    expect(inspected.status, JSON.stringify(inspected.body)).toBe(201);

    const reserved = async (id: number) => (await get(id)).lines[0];
    expect(await reserved(b.id)).toMatchObject({ reserved: 6, backordered: 0, promisedOn: today });
    expect(await reserved(d.id)).toMatchObject({ reserved: 3, backordered: 0 });
    expect(await reserved(a.id)).toMatchObject({ reserved: 1, backordered: 4 });
    expect(await reserved(c.id)).toMatchObject({ reserved: 0, backordered: 4 });
    expect((await reserved(draft.id)).reserved).toBe(0);
    const rows = await stock('F1');
    expect(rows.reduce((s, r) => s + r.reserved, 0)).toBe(10);

    // A positive adjustment fills the rest of the queue in the same order.
    await adjust('WH1', [{ sku: 'F1', quantity: 6 }]);
    expect(await reserved(a.id)).toMatchObject({ reserved: 5, backordered: 0 });
    expect(await reserved(c.id)).toMatchObject({ reserved: 2, backordered: 2 });
  });

  it("never reserves lots too short-dated for a customer's minimum shelf life, nor expired ones", async () => {
    await item('MILK', { tracking: 'lot' });
    expect((await api.call('POST', `${V}/partners`, { code: 'FRESH', name: 'Fresh Market', kind: 'customer', minShelfLifeDays: 30 })).status).toBe(201);
    expect((await api.call('POST', `${V}/partners`, { code: 'ANY', name: 'Anything Goes', kind: 'both' })).status).toBe(201);
    await adjust('WH1', [
      { sku: 'MILK', quantity: 4, lot: 'SHORT', expiresOn: addDays(10) },
      { sku: 'MILK', quantity: 3, lot: 'LONG', expiresOn: addDays(100) },
    ]);
    const strictAll = await order({ customer: 'FRESH', lines: [{ sku: 'MILK', quantity: 5 }] });
    const refused = await api.call('POST', `${V}/sales-orders/${strictAll.id}/confirm`);
    expect(refused.status).toBe(409);
    expect(refused.body.shortLines).toEqual([{ line: 1, sku: 'MILK', requested: 5, available: 3 }]);

    const fresh = await order({ customer: 'FRESH', allowBackorder: true, lines: [{ sku: 'MILK', quantity: 5 }] });
    expect((await confirm(fresh.id)).lines[0]).toMatchObject({ reserved: 3, backordered: 2 });
    const any = await order({ customer: 'ANY', lines: [{ sku: 'MILK', quantity: 4 }] });
    expect((await confirm(any.id)).lines[0]).toMatchObject({ reserved: 4 });
    const lot = async (code: string) => (await stock('MILK')).find((r) => r.lot === code);
    expect(await lot('SHORT')).toMatchObject({ reserved: 4 });
    expect(await lot('LONG')).toMatchObject({ reserved: 3 });

    // Short-dated and expired stock arrives: FRESH's backorder does not take it.
    await adjust('WH1', [{ sku: 'MILK', quantity: 2, lot: 'SHORT2', expiresOn: addDays(5) }, { sku: 'MILK', quantity: 2, lot: 'OLD', expiresOn: addDays(-1) }]);
    expect((await get(fresh.id)).lines[0]).toMatchObject({ reserved: 3, backordered: 2 });
    expect(await lot('SHORT2')).toMatchObject({ reserved: 0 });
    // A second customer without a minimum waits too; it takes the short lot, never the expired one.
    const any2 = await order({ customer: 'ANY', allowBackorder: true, lines: [{ sku: 'MILK', quantity: 3 }] });
    expect((await confirm(any2.id)).lines[0]).toMatchObject({ reserved: 2, backordered: 1 });
    expect(await lot('OLD')).toMatchObject({ reserved: 0 });

    await adjust('WH1', [{ sku: 'MILK', quantity: 3, lot: 'LONG2', expiresOn: addDays(200) }]);
    expect((await get(fresh.id)).lines[0]).toMatchObject({ reserved: 5, backordered: 0, promisedOn: today });
    expect((await get(any2.id)).lines[0]).toMatchObject({ reserved: 3, backordered: 0 });
  });

  it('cancels a line or part of it, and the rest of a partially shipped order', async () => {
    await item('K1');
    await adjust('WH1', [{ sku: 'K1', quantity: 10 }]);
    const o1 = await order({ customer: 'Cancel 1', allowBackorder: true, lines: [{ sku: 'K1', quantity: 8 }, { sku: 'K1', quantity: 6 }] });
    expect((await confirm(o1.id)).lines.map((l: any) => [l.reserved, l.backordered])).toEqual([[8, 0], [2, 4]]);
    const o2 = await order({ customer: 'Cancel 2', allowBackorder: true, lines: [{ sku: 'K1', quantity: 3 }] });
    expect((await confirm(o2.id)).lines[0].backordered).toBe(3);

    // 3 of line 1 cancelled: its 3 released go to the oldest backorder of the same priority (o1 line 2).
    const part = await api.call('POST', `${V}/sales-orders/${o1.id}/lines/1/cancel`, { quantity: 3 });
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body.lines.map((l: any) => [l.cancelled, l.reserved, l.backordered])).toEqual([[3, 5, 0], [0, 5, 1]]);
    expect((await get(o2.id)).lines[0].reserved).toBe(0);

    const whole = await api.call('POST', `${V}/sales-orders/${o1.id}/lines/2/cancel`);
    expect(whole.status).toBe(200);
    expect(whole.body.lines[1]).toMatchObject({ cancelled: 6, reserved: 0, open: 0, backordered: 0 });
    expect((await get(o2.id)).lines[0]).toMatchObject({ reserved: 3, backordered: 0 });

    // Ship what is reserved of a backordered order: partially shipped; cancelling the rest closes it as shipped.
    await item('K2');
    await adjust('WH1', [{ sku: 'K2', quantity: 2 }]);
    const o3 = await order({ customer: 'Cancel 3', allowBackorder: true, lines: [{ sku: 'K2', quantity: 5 }, { sku: 'K1', quantity: 2 }] });
    await confirm(o3.id);
    const shipped = await api.call('POST', `${V}/sales-orders/${o3.id}/ship`);
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body.status).toBe('partially_shipped');
    expect(shipped.body.lines.map((l: any) => [l.shipped, l.backordered])).toEqual([[2, 3], [2, 0]]);

    const before = await snapshot(api.db.store);
    const nothingLeft = await api.call('POST', `${V}/sales-orders/${o3.id}/lines/2/cancel`);
    expect(nothingLeft.status).toBe(409);
    expect(await snapshot(api.db.store)).toEqual(before);

    const rest = await api.call('POST', `${V}/sales-orders/${o3.id}/cancel`);
    expect(rest.status).toBe(200);
    expect(rest.body.status).toBe('shipped');
    expect(rest.body.lines.map((l: any) => [l.shipped, l.cancelled, l.open])).toEqual([[2, 3, 0], [2, 0, 0]]);
    expect((await api.call('POST', `${V}/sales-orders/${o3.id}/lines/1/cancel`)).status).toBe(409);
    expect((await api.call('POST', `${V}/sales-orders/${o3.id}/cancel`)).status).toBe(409);
  });

  it('locks confirmed orders within the lock period before the requested date', async () => {
    await item('L1');
    await adjust('WH1', [{ sku: 'L1', quantity: 10 }]);
    const soon = await order({ customer: 'Lock', requestedOn: addDays(1), lines: [{ sku: 'L1', quantity: 2 }] });
    // Drafts never lock.
    expect((await api.call('PATCH', `${V}/sales-orders/${soon.id}`, { priority: 3 })).status).toBe(200);
    const confirmed = await confirm(soon.id);
    expect(confirmed.locked).toBe(true);
    expect(confirmed.lockedFrom).toBe(`${today}T00:00:00.000Z`);

    const before = await snapshot(api.db.store);
    for (const [method, path, body] of [
      ['POST', `${V}/sales-orders/${soon.id}/cancel`, undefined],
      ['POST', `${V}/sales-orders/${soon.id}/lines/1/cancel`, undefined],
      ['PATCH', `${V}/sales-orders/${soon.id}`, { priority: 1 }],
    ] as const) {
      const res = await api.call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(409);
      expect(res.body.type).toMatch(/conflict$/);
      expect(res.body.detail).toMatch(/locked/);
    }
    expect(await snapshot(api.db.store)).toEqual(before);

    // A shorter lock period (a company setting) opens it again.
    expect((await api.call('PATCH', `${V}/settings`, { salesOrderLockHours: 0 })).status).toBe(200);
    expect((await get(soon.id)).locked).toBe(false);
    expect((await api.call('PATCH', `${V}/sales-orders/${soon.id}`, { priority: 1, note: 'rush' })).body).toMatchObject({ priority: 1, note: 'rush' });
    expect((await api.call('PATCH', `${V}/settings`, { salesOrderLockHours: 24 })).status).toBe(200);

    const later = await order({ customer: 'Lock', requestedOn: addDays(30), lines: [{ sku: 'L1', quantity: 2 }] });
    expect((await confirm(later.id)).locked).toBe(false);
    expect((await api.call('POST', `${V}/sales-orders/${later.id}/cancel`)).body.status).toBe('cancelled');
  });

  it('fills backorders exactly once when stock arrives and lines are cancelled concurrently', async () => {
    await item('Q1');
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await order({ customer: `Race ${i}`, allowBackorder: true, priority: 1 + (i % 2), lines: [{ sku: 'Q1', quantity: 3 }] }));
    for (const o of orders) await confirm(o.id);
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'WH1', lines: [{ sku: 'Q1', quantity: 1 }] })),
      api.call('POST', `${V}/sales-orders/${orders[3]!.id}/lines/1/cancel`),
    ]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201, 200]);
    const lines = await Promise.all(orders.map(async (o) => (await get(o.id)).lines[0]));
    const rows = await stock('Q1');
    const reserved = rows.reduce((s, r) => s + r.reserved, 0);
    // 6 arrived, 9 still wanted after the cancel: everything is reserved, never more than a line wants.
    expect(reserved).toBe(6);
    expect(lines.reduce((s, l) => s + l.reserved, 0)).toBe(6);
    for (const l of lines) expect(l.reserved + l.backordered + l.cancelled).toBe(3);
    expect(lines[3]).toMatchObject({ reserved: 0, cancelled: 3 });
  });

  it('answers bad input with 4xx and writes nothing', async () => {
    await item('X1');
    await item('X3', { unitPrecision: 0 });
    await adjust('WH1', [{ sku: 'X1', quantity: 5 }]);
    const draft = await order({ customer: 'Bad', lines: [{ sku: 'X1', quantity: 1 }] });
    const confirmed = await order({ customer: 'Bad', lines: [{ sku: 'X1', quantity: 1 }] });
    await confirm(confirmed.id);
    const line = (extra: Record<string, unknown>) => ({ customer: 'Bad', warehouse: 'WH1', lines: [{ sku: 'X1', quantity: 1, ...extra }] });
    const cases: Array<[string, string, string, unknown, number, string]> = [
      ['unknown sku', 'POST', `${V}/sales-orders`, { customer: 'Bad', warehouse: 'WH1', lines: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'lines.0.sku'],
      ['unknown order warehouse', 'POST', `${V}/sales-orders`, { customer: 'Bad', warehouse: 'NOWH', lines: [{ sku: 'X1', quantity: 1 }] }, 422, 'warehouse'],
      ['unknown line warehouse', 'POST', `${V}/sales-orders`, line({ warehouse: 'NOWH' }), 422, 'lines.0.warehouse'],
      ['unknown partner', 'POST', `${V}/sales-orders`, { partner: 'NOBODY', warehouse: 'WH1', lines: [{ sku: 'X1', quantity: 1 }] }, 422, 'partner'],
      ['a supplier as customer', 'POST', `${V}/sales-orders`, { partner: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'X1', quantity: 1 }] }, 422, 'partner'],
      ['no customer', 'POST', `${V}/sales-orders`, { warehouse: 'WH1', lines: [{ sku: 'X1', quantity: 1 }] }, 422, 'customer'],
      ['negative price', 'POST', `${V}/sales-orders`, line({ unitPrice: -1 }), 422, 'lines.0.unitPrice'],
      ['price with 7 decimals', 'POST', `${V}/sales-orders`, line({ unitPrice: 0.0000001 }), 422, 'lines.0.unitPrice'],
      ['discount above 100', 'POST', `${V}/sales-orders`, line({ discountPercent: 100.5 }), 422, 'lines.0.discountPercent'],
      ['discount with 5 decimals', 'POST', `${V}/sales-orders`, line({ discountPercent: 1.00001 }), 422, 'lines.0.discountPercent'],
      ['quantity beyond the unit precision', 'POST', `${V}/sales-orders`, { customer: 'Bad', warehouse: 'WH1', lines: [{ sku: 'X3', quantity: 1.5 }] }, 422, 'lines.0.quantity'],
      ['zero quantity', 'POST', `${V}/sales-orders`, line({ quantity: 0 }), 422, 'lines.0.quantity'],
      ['requested date in the past', 'POST', `${V}/sales-orders`, { ...line({}), requestedOn: addDays(-1) }, 422, 'requestedOn'],
      ['requested date that does not exist', 'POST', `${V}/sales-orders`, line({ requestedOn: '2099-02-30' }), 422, 'lines.0.requestedOn'],
      ['priority 0', 'POST', `${V}/sales-orders`, { ...line({}), priority: 0 }, 422, 'priority'],
      ['priority 10', 'POST', `${V}/sales-orders`, { ...line({}), priority: 10 }, 422, 'priority'],
      ['unknown field', 'POST', `${V}/sales-orders`, { ...line({}), colour: 'red' }, 422, ''],
      ['patch of an unknown order', 'PATCH', `${V}/sales-orders/999999`, { priority: 1 }, 404, ''],
      ['patch with an unknown sku', 'PATCH', `${V}/sales-orders/${draft.id}`, { lines: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'lines.0.sku'],
      ['patch of lines of a confirmed order', 'PATCH', `${V}/sales-orders/${confirmed.id}`, { lines: [{ sku: 'X1', quantity: 2 }] }, 409, ''],
      ['patch of the warehouse of a confirmed order', 'PATCH', `${V}/sales-orders/${confirmed.id}`, { warehouse: 'WH2' }, 409, ''],
      ['line cancel on a draft', 'POST', `${V}/sales-orders/${draft.id}/lines/1/cancel`, undefined, 409, ''],
      ['line cancel of an unknown line', 'POST', `${V}/sales-orders/${confirmed.id}/lines/9/cancel`, undefined, 404, ''],
      ['line cancel of more than the rest', 'POST', `${V}/sales-orders/${confirmed.id}/lines/1/cancel`, { quantity: 2 }, 422, 'quantity'],
      ['line cancel of a negative quantity', 'POST', `${V}/sales-orders/${confirmed.id}/lines/1/cancel`, { quantity: -1 }, 422, 'quantity'],
      ['list with an unknown status', 'GET', `${V}/sales-orders?status=lost`, undefined, 422, ''],
    ];
    for (const [name, method, path, body, status, field] of cases) {
      const before = await snapshot(api.db.store);
      const res = await api.call(method, path, body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
      if (field) expect(res.body.errors?.map((e: any) => e.field), name).toContain(field);
      expect(await snapshot(api.db.store), name).toEqual(before);
    }
  });
});
