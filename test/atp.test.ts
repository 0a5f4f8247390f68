import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/**
 * Available to promise: what is available now (reservable locations, expired lots left out) plus
 * the supply expected from purchase orders and transfers in transit, as a dated timeline.
 */
describe.each(ENGINES)('available to promise on %s', (engine) => {
  let api: TestApi;
  const today = new Date().toISOString().slice(0, 10);
  const ref = (prefix: string, id: number) => `${prefix}-${String(id).padStart(6, '0')}`;
  const ok = (res: { status: number; body: unknown }, status = 201) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as any;
  };
  const atp = async (query: string) => ok(await api.call('GET', `/api/v1/available-to-promise?${query}`), 200);
  let po1 = 0, po2 = 0, po3 = 0, tr = 0;

  beforeAll(async () => {
    api = await startTestApi(engine);
    ok(await api.call('POST', '/api/v1/items', { sku: 'ATP', name: 'Promised', unit: 'pcs' }));
    ok(await api.call('POST', '/api/v1/items', { sku: 'LOTTED', name: 'Lotted', unit: 'kg', tracking: 'lot', unitPrecision: 2 }));
    ok(await api.call('POST', '/api/v1/items', { sku: 'IDLE', name: 'Nothing anywhere', unit: 'pcs' }));
    ok(await api.call('POST', '/api/v1/warehouses', { code: 'A1', name: 'Promising' }));
    ok(await api.call('POST', '/api/v1/warehouses', { code: 'A2', name: 'Shipping' }));
    ok(await api.call('POST', '/api/v1/partners', { code: 'SUPA', name: 'Supplier', kind: 'supplier' }));

    // 30 on hand in A1, 5 of them reserved by a confirmed sales order: 25 available now.
    ok(await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'A1', lines: [{ sku: 'ATP', quantity: 30, unitCost: 1 }] }));
    const order = ok(await api.call('POST', '/api/v1/sales-orders', { customer: 'c', warehouse: 'A1', lines: [{ sku: 'ATP', quantity: 5 }] }));
    ok(await api.call('POST', `/api/v1/sales-orders/${order.id}/confirm`), 200);

    // PO1: 40 due 2030-04-20 (15 of them received, waiting in Input) and 10 due 2030-06-01.
    const submit = async (body: unknown) => {
      const po = ok(await api.call('POST', '/api/v1/purchase-orders', body));
      expect(ok(await api.call('POST', `/api/v1/purchase-orders/${po.id}/submit`), 200).status).toBe('approved');
      return po.id as number;
    };
    po1 = await submit({ supplier: 'SUPA', warehouse: 'A1', lines: [{ sku: 'ATP', quantity: 40, unitPrice: 1, expectedOn: '2030-04-20' }, { sku: 'ATP', quantity: 10, unitPrice: 1, expectedOn: '2030-06-01' }] });
    ok(await api.call('POST', '/api/v1/receipts', { purchaseOrder: po1, lines: [{ line: 1, quantity: 15 }] }));
    // PO2 has no date at all; PO3 was due long ago (late).
    po2 = await submit({ supplier: 'SUPA', warehouse: 'A1', lines: [{ sku: 'ATP', quantity: 7, unitPrice: 1 }] });
    po3 = await submit({ supplier: 'SUPA', warehouse: 'A1', lines: [{ sku: 'ATP', quantity: 3, unitPrice: 1, expectedOn: '2020-01-01' }] });
    // A purchase order for another warehouse is not A1's supply.
    await submit({ supplier: 'SUPA', warehouse: 'A2', expectedOn: '2030-01-01', lines: [{ sku: 'ATP', quantity: 99, unitPrice: 1 }] });

    // 12 shipped from A2 to A1, due 2030-05-01.
    ok(await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'A2', lines: [{ sku: 'ATP', quantity: 20, unitCost: 1 }] }));
    tr = ok(await api.call('POST', '/api/v1/transfers', { from: 'A2', to: 'A1', expectedOn: '2030-05-01', lines: [{ sku: 'ATP', quantity: 12 }] })).id;
    ok(await api.call('POST', `/api/v1/transfers/${tr}/ship`), 200);

    // Lots: one expired, one expiring today (still usable), one far off.
    ok(await api.call('POST', '/api/v1/inventory-adjustments', {
      warehouse: 'A1',
      lines: [
        { sku: 'LOTTED', quantity: 4, lot: 'OLD', expiresOn: '2020-01-01', unitCost: 1 },
        { sku: 'LOTTED', quantity: 1.25, lot: 'TODAY', expiresOn: today, unitCost: 1 },
        { sku: 'LOTTED', quantity: 6, lot: 'NEW', expiresOn: '2099-12-31', unitCost: 1 },
      ],
    }));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers today, dated supply and the cumulative timeline', async () => {
    expect(await atp('sku=ATP&warehouse=A1')).toEqual({
      sku: 'ATP',
      warehouse: 'A1',
      asOf: today,
      today: 25,
      unavailable: { inspection: 15, rejected: 0, expired: 0 },
      supply: [
        { date: '2020-01-01', quantity: 3, source: 'purchase-order', document: ref('PO', po3) },
        { date: '2030-04-20', quantity: 25, source: 'purchase-order', document: ref('PO', po1) },
        { date: '2030-05-01', quantity: 12, source: 'transfer', document: ref('TR', tr) },
        { date: '2030-06-01', quantity: 10, source: 'purchase-order', document: ref('PO', po1) },
        { date: null, quantity: 7, source: 'purchase-order', document: ref('PO', po2) },
      ],
      // Late (PO3) and undated (PO2) supply only count in the last, undated point.
      timeline: [
        { date: today, quantity: 25 },
        { date: '2030-04-20', quantity: 50 },
        { date: '2030-05-01', quantity: 62 },
        { date: '2030-06-01', quantity: 72 },
        { date: null, quantity: 82 },
      ],
    });
  });

  it('gives the first date a quantity can be promised', async () => {
    const promise = async (quantity: string) => {
      const body = await atp(`sku=ATP&warehouse=A1&quantity=${quantity}`);
      expect(body.quantity).toBe(Number(quantity));
      return body.promiseDate;
    };
    expect(await promise('1')).toBe(today);
    expect(await promise('25')).toBe(today);
    expect(await promise('26')).toBe('2030-04-20');
    expect(await promise('62')).toBe('2030-05-01');
    expect(await promise('72')).toBe('2030-06-01');
    // Only late or undated supply would cover it: no date can be promised.
    expect(await promise('73')).toBeNull();
    expect(await promise('1000')).toBeNull();
  });

  it('leaves expired lots out, keeps a lot expiring today, and works without any supply', async () => {
    const lotted = await atp('sku=LOTTED&warehouse=A1&quantity=7.25');
    expect(lotted).toMatchObject({ today: 7.25, unavailable: { inspection: 0, rejected: 0, expired: 4 }, supply: [], timeline: [{ date: today, quantity: 7.25 }], promiseDate: today });
    expect((await atp('sku=LOTTED&warehouse=A1&quantity=7.26')).promiseDate).toBeNull();
    expect(await atp('sku=IDLE&warehouse=A2&quantity=1')).toMatchObject({ today: 0, supply: [], timeline: [{ date: today, quantity: 0 }], promiseDate: null });
    // A2: 20 - 12 shipped = 8 now, and the PO for A2.
    expect(await atp('sku=ATP&warehouse=A2')).toMatchObject({ today: 8, timeline: [{ date: today, quantity: 8 }, { date: '2030-01-01', quantity: 107 }] });
  });

  it('refuses bad queries with field errors and writes nothing', async () => {
    const before = await snapshot(api.db.store);
    const refused = async (query: string, fields: string[]) => {
      const res = await api.call('GET', `/api/v1/available-to-promise?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    };
    await refused('sku=NOPE&warehouse=A1', ['query.sku']);
    await refused('sku=ATP&warehouse=NOPE', ['query.warehouse']);
    await refused('sku=NOPE&warehouse=NOPE&quantity=1', ['query.sku', 'query.warehouse']);
    await refused('sku=ATP&warehouse=A1&quantity=1.5', ['query.quantity']);
    await refused('sku=LOTTED&warehouse=A1&quantity=1.255', ['query.quantity']);
    await refused('sku=ATP&warehouse=A1&quantity=0', ['query.quantity']);
    await refused('sku=ATP&warehouse=A1&quantity=-3', ['query.quantity']);
    await refused('sku=ATP&warehouse=A1&quantity=abc', ['query.quantity']);
    await refused('warehouse=A1', ['query.sku']);
    await refused('sku=ATP', ['query.warehouse']);
    await refused('sku=ATP&warehouse=A1&bogus=1', ['query.bogus']);
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('needs a token; any role with stock.view may ask', async () => {
    const anonymous = await fetch(`${api.baseUrl}/api/v1/available-to-promise?sku=ATP&warehouse=A1`);
    expect(anonymous.status).toBe(401);
    ok(await api.call('POST', '/api/v1/users', { username: 'vic', password: 'viewer-pass-1', role: 'viewer' }));
    const viewer = await api.login('vic', 'viewer-pass-1');
    const res = await api.call('GET', '/api/v1/available-to-promise?sku=ATP&warehouse=A1', undefined, { authorization: `Bearer ${viewer}` });
    expect(res.status).toBe(200);
    expect(res.body.today).toBe(25);
  });

  it('is in the OpenAPI document with its query parameters', async () => {
    const openapi = (await (await fetch(`${api.baseUrl}/api/v1/openapi.json`)).json()) as any;
    const op = openapi.paths['/api/v1/available-to-promise']?.get ?? openapi.paths['/available-to-promise']?.get;
    expect(op, Object.keys(openapi.paths).join(' ')).toBeDefined();
    expect(JSON.stringify(op)).toContain('quantity');
  });
});
