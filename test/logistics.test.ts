import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOrderLogistics } from '../src/modules/logistics/service.js';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** The order-driven logistics view: one row per order, its stage from order and shipment, lateness. */
describe.each(ENGINES)('logistics view on %s', (engine) => {
  let api: TestApi;
  const today = new Date().toISOString().slice(0, 10);
  const ids = {} as Record<'draft' | 'reserved' | 'plain' | 'transit' | 'onTime' | 'late' | 'exception' | 'cancelled', number>;

  const order = async (customer: string, warehouse = 'LGA', lines = [{ sku: 'LGBOX', quantity: 2 }]) => {
    const res = await api.call('POST', '/api/v1/sales-orders', { customer, warehouse, lines });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  const confirmed = async (customer: string, warehouse = 'LGA', lines?: Array<{ sku: string; quantity: number }>) => {
    const id = await order(customer, warehouse, lines);
    expect((await api.call('POST', `/api/v1/sales-orders/${id}/confirm`)).status).toBe(200);
    return id;
  };
  const shipped = async (customer: string, body?: unknown, warehouse = 'LGA') => {
    const id = await confirmed(customer, warehouse);
    const res = await api.call('POST', `/api/v1/sales-orders/${id}/ship`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { id, shipment: res.body.shipments[0].id as number };
  };
  const event = async (shipment: number, status: string) => {
    const res = await api.call('POST', `/api/v1/shipments/${shipment}/events`, { status });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const list = async (query = '') => {
    const res = await api.call('GET', `/api/v1/logistics/orders${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: any[]; next?: string };
  };
  const row = async (id: number, query = '?limit=1000') => (await list(query)).items.find((r) => r.id === id);

  beforeAll(async () => {
    api = await startTestApi(engine);
    expect((await api.call('POST', '/api/v1/items', { sku: 'LGBOX', name: 'Carton', unit: 'pcs' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/items', { sku: 'LGTEA', name: 'Tea', unit: 'kg', unitPrecision: 3 })).status).toBe(201);
    for (const code of ['LGA', 'LGB']) {
      expect((await api.call('POST', '/api/v1/warehouses', { code, name: `Logistics ${code}` })).status).toBe(201);
      const adj = await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: code, lines: [{ sku: 'LGBOX', quantity: 100, unitCost: 2 }, { sku: 'LGTEA', quantity: 20, unitCost: 50 }] });
      expect(adj.status).toBe(201);
    }
    // One order in each stage, oldest first.
    ids.draft = await order('Draft Trading');
    ids.reserved = await confirmed('Reserved Ltd', 'LGA', [{ sku: 'LGBOX', quantity: 3 }, { sku: 'LGTEA', quantity: 1.25 }]);
    ids.plain = (await shipped('Plain Shipper')).id;
    const transit = await shipped('Transit 上海', { carrier: 'SF Express', trackingNumber: 'LG-SF-1', promisedOn: '2020-01-01' });
    await event(transit.shipment, 'in_transit');
    ids.transit = transit.id;
    const onTime = await shipped('OnTime Co', { carrier: 'ZTO', trackingNumber: 'LG-ZTO-1', promisedOn: '2099-12-31' }, 'LGB');
    await event(onTime.shipment, 'in_transit');
    await event(onTime.shipment, 'delivered');
    ids.onTime = onTime.id;
    const lateOne = await shipped('Late Co', { carrier: 'ZTO', trackingNumber: 'LG-ZTO-2', promisedOn: '2020-01-01' }, 'LGB');
    await event(lateOne.shipment, 'in_transit');
    await event(lateOne.shipment, 'delivered');
    ids.late = lateOne.id;
    const trouble = await shipped('Exception GmbH', { carrier: 'YTO', trackingNumber: 'LG-YTO-1', promisedOn: '2099-12-31' }, 'LGB');
    await event(trouble.shipment, 'exception');
    ids.exception = trouble.id;
    ids.cancelled = await confirmed('Cancelled Inc');
    expect((await api.call('POST', `/api/v1/sales-orders/${ids.cancelled}/cancel`)).status).toBe(200);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('shows every order in its stage, newest first, cancelled only on request', async () => {
    const page = await list();
    expect(page.next).toBeUndefined();
    expect(page.items.map((r) => r.id)).toEqual([ids.exception, ids.late, ids.onTime, ids.transit, ids.plain, ids.reserved, ids.draft]);
    expect(page.items.map((r) => r.stage)).toEqual(['exception', 'delivered', 'delivered', 'in_transit', 'shipped', 'reserved', 'draft']);

    expect(await row(ids.draft)).toEqual({
      id: ids.draft, number: expect.stringMatching(/^SO-\d{6}$/), customer: 'Draft Trading', warehouse: 'LGA', orderStatus: 'draft', stage: 'draft',
      partiallyShipped: false, promisedOn: null, confirmedAt: null, shippedAt: null, deliveredAt: null, onTime: null, late: false,
      shipments: [], lines: [{ line: 1, sku: 'LGBOX', quantity: 2, cancelled: 0, reserved: 0, picked: 0, packed: 0, shipped: 0, backordered: 2 }],
    });
    expect(await row(ids.reserved)).toMatchObject({
      orderStatus: 'confirmed', stage: 'reserved', confirmedAt: expect.any(String), shippedAt: null, late: false, shipments: [],
      lines: [
        { line: 1, sku: 'LGBOX', quantity: 3, cancelled: 0, reserved: 3, picked: 0, packed: 0, shipped: 0, backordered: 0 },
        { line: 2, sku: 'LGTEA', quantity: 1.25, cancelled: 0, reserved: 1.25, picked: 0, packed: 0, shipped: 0, backordered: 0 },
      ],
    });
    expect(await row(ids.plain)).toMatchObject({
      orderStatus: 'shipped', stage: 'shipped', promisedOn: today, // the line's promise, confirmed for today
      shippedAt: expect.any(String), deliveredAt: null, onTime: null, late: false,
      shipments: [{ number: expect.stringMatching(/^SH-\d{6}$/), carrier: null, trackingNumber: null, status: 'shipped' }],
      lines: [{ line: 1, sku: 'LGBOX', quantity: 2, cancelled: 0, reserved: 0, picked: 0, packed: 0, shipped: 2, backordered: 0 }],
    });
    // Promised in the past and not delivered: late while still in transit.
    expect(await row(ids.transit)).toMatchObject({
      customer: 'Transit 上海', stage: 'in_transit', promisedOn: '2020-01-01', deliveredAt: null, onTime: null, late: true,
      shipments: [{ carrier: 'SF Express', trackingNumber: 'LG-SF-1', status: 'in_transit' }],
    });
    expect(await row(ids.onTime)).toMatchObject({ warehouse: 'LGB', stage: 'delivered', promisedOn: '2099-12-31', deliveredAt: expect.any(String), onTime: true, late: false });
    expect(await row(ids.late)).toMatchObject({ stage: 'delivered', promisedOn: '2020-01-01', deliveredAt: expect.stringContaining(today), onTime: false, late: true });
    expect(await row(ids.exception)).toMatchObject({ stage: 'exception', orderStatus: 'shipped', onTime: null, late: false, shipments: [{ carrier: 'YTO', status: 'exception' }] });

    const cancelled = await list('?stage=cancelled');
    expect(cancelled.items).toEqual([expect.objectContaining({ id: ids.cancelled, orderStatus: 'cancelled', stage: 'cancelled', late: false, lines: [expect.objectContaining({ line: 1, sku: 'LGBOX', quantity: 2, reserved: 0, shipped: 0 })] })]);
  });

  it('filters by stage, lateness, warehouse and customer, together', async () => {
    const idsOf = async (query: string) => (await list(query)).items.map((r) => r.id);
    const single = { draft: ids.draft, reserved: ids.reserved, shipped: ids.plain, in_transit: ids.transit, exception: ids.exception };
    for (const [stage, id] of Object.entries(single)) expect(await idsOf(`?stage=${stage}`), stage).toEqual([id]);
    expect(await idsOf('?stage=delivered')).toEqual([ids.late, ids.onTime]);
    expect(await idsOf('?late=true')).toEqual([ids.late, ids.transit]);
    expect(await idsOf('?late=false')).toEqual([ids.exception, ids.onTime, ids.plain, ids.reserved, ids.draft]);
    expect(await idsOf('?stage=delivered&late=false')).toEqual([ids.onTime]);
    expect(await idsOf('?warehouse=LGB')).toEqual([ids.exception, ids.late, ids.onTime]);
    expect(await idsOf('?warehouse=LGB&late=true')).toEqual([ids.late]);
    expect(await idsOf('?warehouse=NOPE')).toEqual([]);
    expect(await idsOf('?customer=co')).toEqual([ids.late, ids.onTime]); // case-insensitive substring
    expect(await idsOf(`?customer=${encodeURIComponent('上海')}`)).toEqual([ids.transit]);
    expect(await idsOf('?customer=%25')).toEqual([]); // % is a character, not a wildcard
    expect(await idsOf('?customer=inc')).toEqual([]); // cancelled stays hidden
    expect(await idsOf('?customer=inc&stage=cancelled')).toEqual([ids.cancelled]);
  });

  it('pages with a keyset cursor, filters included', async () => {
    const all = (await list()).items.map((r) => r.id);
    const walk = async (query: string) => {
      const seen: number[] = [];
      let page = await list(`?limit=2${query}`);
      for (;;) {
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((r) => r.id));
        if (!page.next) break;
        page = await list(`?limit=2&after=${page.next}${query}`);
      }
      return seen;
    };
    expect(await walk('')).toEqual(all);
    expect(await walk('&warehouse=LGB')).toEqual([ids.exception, ids.late, ids.onTime]);
    const first = await list('?limit=3&late=false');
    expect(first.next).toBe(String(ids.plain));
    expect((await list(`?limit=3&late=false&after=${first.next}`)).items.map((r) => r.id)).toEqual([ids.reserved, ids.draft]);
  });

  it('refuses bad parameters with 422 naming them, writing nothing', async () => {
    const before = await snapshot(api.db.store);
    for (const [query, field] of [
      ['stage=confirmed', 'query.stage'],
      ['late=yes', 'query.late'],
      ['warehouse=bad%20code', 'query.warehouse'],
      ['customer=', 'query.customer'],
      ['after=abc', 'query.after'],
      ['limit=0', 'query.limit'],
      ['limit=5000', 'query.limit'],
      ['colour=red', 'query.colour'],
    ] as const) {
      const res = await api.call('GET', `/api/v1/logistics/orders?${query}`);
      expect(res.status, query).toBe(422);
      expect(res.body.type).toMatch(/validation$/);
      expect(res.body.errors.map((e: { field: string }) => e.field), query).toContain(field);
    }
    const late = await api.call('GET', '/api/v1/logistics/orders?late=yes');
    expect(late.body.errors).toContainEqual({ field: 'query.late', message: 'must be true or false' });
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await api.call('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const op = doc.body.paths['/logistics/orders']?.get ?? doc.body.paths['/api/v1/logistics/orders']?.get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['stage', 'late', 'warehouse', 'customer', 'after', 'limit']));
  });

  it('is open to every role with sales.view, closed without it', async () => {
    expect((await api.call('POST', '/api/v1/users', { username: 'lg-viewer', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    const token = await api.login('lg-viewer', 'viewer-pass-1');
    const seen = await api.call('GET', '/api/v1/logistics/orders?stage=delivered', undefined, { authorization: `Bearer ${token}` });
    expect(seen.status).toBe(200);
    expect(seen.body.items.map((r: any) => r.id)).toEqual([ids.late, ids.onTime]);
    expect((await api.call('GET', '/api/v1/logistics/orders', undefined, { authorization: '' })).status).toBe(401);
    // Every built-in role has sales.view today, so the refusal is proven on the service itself.
    const admin = await api.db.store.read.selectFrom('users').select(['org_id', 'id']).where('username', '=', 'admin').executeTakeFirstOrThrow();
    const actor = { orgId: Number(admin.org_id), userId: Number(admin.id), username: 'nobody', role: 'no-such-role', requestId: 'test' };
    await expect(listOrderLogistics({ store: api.db.store, actor }, { limit: 10 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
