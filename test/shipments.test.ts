import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** Shipments: created by shipping a sales order, tracked by id or by carrier webhook, printed. */
describe.each(ENGINES)('shipments on %s', (engine) => {
  let api: TestApi;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    api = await startTestApi(engine);
    expect((await api.call('POST', '/api/v1/items', { sku: 'BOX', name: '纸箱 Carton', unit: 'pcs' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/items', { sku: 'TEA', name: '龙井 Tea', unit: 'kg', unitPrecision: 3, tracking: 'lot' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'SHW', name: 'Shipping WH' })).status).toBe(201);
    const adj = await api.call('POST', '/api/v1/inventory-adjustments', {
      warehouse: 'SHW',
      lines: [{ sku: 'BOX', quantity: 100, unitCost: 2 }, { sku: 'TEA', quantity: 50, lot: 'L-2026', expiresOn: '2099-01-01', unitCost: 80 }],
    });
    expect(adj.status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  const confirmedOrder = async (customer: string, lines = [{ sku: 'BOX', quantity: 2 }]) => {
    const order = await api.call('POST', '/api/v1/sales-orders', { customer, warehouse: 'SHW', lines });
    expect(order.status).toBe(201);
    expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`)).status).toBe(200);
    return order.body.id as number;
  };
  const ship = async (customer: string, body?: unknown) => {
    const id = await confirmedOrder(customer);
    const res = await api.call('POST', `/api/v1/sales-orders/${id}/ship`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.shipments[0].id as number;
  };
  const event = (id: number, body: unknown) => api.call('POST', `/api/v1/shipments/${id}/events`, body);
  const countOf = async (table: 'shipments' | 'shipment_events' | 'shipment_packages' | 'outbox_events' | 'audit_log') =>
    Number((await api.db.store.read.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('ships with carrier, tracking, packages and a promise, in the ship transaction', async () => {
    const orderId = await confirmedOrder('Acme 上海', [{ sku: 'BOX', quantity: 3 }, { sku: 'TEA', quantity: 1.5 }]);
    const res = await api.call('POST', `/api/v1/sales-orders/${orderId}/ship`, {
      carrier: 'SF Express', service: 'express', trackingNumber: 'SF100200300', promisedOn: '2099-12-31',
      packages: [{ weightKg: 1.255, lengthCm: 30.5, widthCm: 20, heightCm: 10.1, reference: 'BOX-A' }, { weightKg: 0.4 }],
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('shipped');
    expect(res.body.shipments).toEqual([{ id: expect.any(Number), number: expect.stringMatching(/^SH-\d{6}$/), status: 'shipped', carrier: 'SF Express', trackingNumber: 'SF100200300' }]);

    const shipment = await api.call('GET', `/api/v1/shipments/${res.body.shipments[0].id}`);
    expect(shipment.status).toBe(200);
    expect(shipment.body).toMatchObject({
      status: 'shipped', orderId, order: res.body.number, customer: 'Acme 上海', warehouse: 'SHW', carrier: 'SF Express', service: 'express',
      trackingNumber: 'SF100200300', promisedOn: '2099-12-31', deliveredAt: null, onTime: null,
      packages: [
        { package: 1, weightKg: 1.255, lengthCm: 30.5, widthCm: 20, heightCm: 10.1, reference: 'BOX-A' },
        { package: 2, weightKg: 0.4, lengthCm: null, widthCm: null, heightCm: null, reference: null },
      ],
      events: [{ status: 'shipped', source: 'ship' }],
    });
    expect(shipment.body.moves.map((m: any) => [m.sku, m.to, m.quantity, m.lot])).toEqual([['BOX', 'Partners/Customers', 3, null], ['TEA', 'Partners/Customers', 1.5, 'L-2026']]);
    // The ship posting keeps its key: the moves belong to the order.
    const moves = await api.call('GET', '/api/v1/moves?sku=TEA');
    expect(moves.body.items.filter((m: any) => m.to === 'Partners/Customers').map((m: any) => m.document)).toEqual([res.body.number]);
    expect((await api.call('GET', `/api/v1/sales-orders/${orderId}`)).body.shipments).toEqual(res.body.shipments);

    // Shipping again is refused and adds no second shipment.
    const before = await countOf('shipments');
    expect((await api.call('POST', `/api/v1/sales-orders/${orderId}/ship`, { carrier: 'SF Express' })).status).toBe(409);
    expect(await countOf('shipments')).toBe(before);
  });

  it('still ships without a body: a shipment without carrier', async () => {
    const id = await confirmedOrder('Plain');
    const res = await api.call('POST', `/api/v1/sales-orders/${id}/ship`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('shipped');
    expect(res.body.shipments).toEqual([{ id: expect.any(Number), number: expect.any(String), status: 'shipped', carrier: null, trackingNumber: null }]);
    const shipment = await api.call('GET', `/api/v1/shipments/${res.body.shipments[0].id}`);
    // The promise defaults to the order lines' promise date.
    expect(shipment.body).toMatchObject({ carrier: null, service: null, trackingNumber: null, promisedOn: today, packages: [] });
    expect(shipment.body.lines).toEqual([{ line: 1, sku: 'BOX', name: '纸箱 Carton', unit: 'pcs', bin: 'SHW/Stock', lot: null, quantity: 2, taskId: null }]);
    // An empty JSON object is no body too.
    const other = await confirmedOrder('Plain 2');
    expect((await api.call('POST', `/api/v1/sales-orders/${other}/ship`, {})).body.shipments).toHaveLength(1);
  });

  it('tracks through the states and is delivered on time', async () => {
    const id = await ship('Track Co', { carrier: 'ZTO', trackingNumber: 'ZTO-1', promisedOn: '2099-12-31' });
    expect((await event(id, { status: 'delivered' })).status).toBe(409); // shipped -> delivered skips transit
    const first = await event(id, { status: 'in_transit', location: 'Hangzhou hub' });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('in_transit');
    expect((await event(id, { status: 'in_transit', location: 'Shanghai hub', note: 'sorted' })).status).toBe(201);
    expect((await event(id, { status: 'exception', note: 'address unclear' })).body.status).toBe('exception');
    expect((await event(id, { status: 'in_transit' })).body.status).toBe('in_transit');
    const delivered = await event(id, { status: 'delivered', location: 'Shanghai' });
    expect(delivered.status).toBe(201);
    expect(delivered.body).toMatchObject({ status: 'delivered', deliveredOn: today, onTime: true });
    expect(delivered.body.deliveredAt).toEqual(expect.any(String));
    expect(delivered.body.events.map((e: any) => e.status)).toEqual(['shipped', 'in_transit', 'in_transit', 'exception', 'in_transit', 'delivered']);
    expect(delivered.body.events[2]).toMatchObject({ location: 'Shanghai hub', note: 'sorted', source: 'api' });

    // Delivered is final: 409, and nothing is written.
    const before = await snapshot(api.db.store);
    for (const status of ['in_transit', 'exception', 'delivered']) {
      const late = await event(id, { status });
      expect(late.status).toBe(409);
      expect(late.body.type).toMatch(/conflict$/);
    }
    expect(await snapshot(api.db.store)).toEqual(before);

    const outbox = await api.db.store.read.selectFrom('outbox_events').select('type').where('type', 'like', 'shipment.%').execute();
    expect(new Set(outbox.map((o) => o.type))).toEqual(new Set(['shipment.shipped', 'shipment.in_transit', 'shipment.exception', 'shipment.delivered']));
    const audit = await api.db.store.read.selectFrom('audit_log').select('action').where('action', '=', 'shipment.track').where('target_id', '=', String(id)).execute();
    expect(audit).toHaveLength(5);
  });

  it('is delivered late through the carrier webhook, and without a promise on-time is null', async () => {
    const late = await ship('Late Co', { carrier: 'YTO', trackingNumber: 'YT-77', promisedOn: '2020-01-01' });
    const transit = await api.call('POST', '/api/v1/shipments/track', { carrier: 'YTO', trackingNumber: 'YT-77', status: 'in_transit', at: new Date().toISOString(), location: 'Beijing' });
    expect(transit.status).toBe(201);
    expect(transit.body).toMatchObject({ id: late, status: 'in_transit' });
    expect(transit.body.events[1]).toMatchObject({ source: 'carrier', location: 'Beijing' });
    const done = await api.call('POST', '/api/v1/shipments/track', { carrier: 'YTO', trackingNumber: 'YT-77', status: 'delivered' });
    expect(done.body).toMatchObject({ status: 'delivered', onTime: false, deliveredOn: today });

    // No promisedOn in the body: the order lines' promise date counts (confirmed today: promised today).
    const linePromise = await ship('Linepromise Co', { carrier: 'YTO', trackingNumber: 'YT-79' });
    expect((await api.call('GET', `/api/v1/shipments/${linePromise}`)).body.promisedOn).toBe(today);

    // Nothing promised anywhere (lines without a promise date, as orders from before promises): on-time is null.
    const orderId = await confirmedOrder('Nopromise Co');
    await api.db.store.run(async (tx) => {
      await tx.updateTable('sales_order_lines').set({ promised_on: null }).where('order_id', '=', orderId).execute();
    });
    const shipped = await api.call('POST', `/api/v1/sales-orders/${orderId}/ship`, { carrier: 'YTO', trackingNumber: 'YT-78' });
    const unpromised = shipped.body.shipments[0].id as number;
    expect((await api.call('GET', `/api/v1/shipments/${unpromised}`)).body.promisedOn).toBeNull();
    await event(unpromised, { status: 'exception', note: 'damaged box' });
    expect((await event(unpromised, { status: 'delivered' })).body).toMatchObject({ status: 'delivered', onTime: null });
  });

  it('refuses events with bad times and writes nothing', async () => {
    const id = await ship('Time Co', { carrier: 'EMS', trackingNumber: 'EMS-1' });
    const before = await snapshot(api.db.store);
    for (const [body, field] of [
      [{ status: 'in_transit', at: '2020-01-01T00:00:00Z' }, 'at'], // before it left
      [{ status: 'in_transit', at: '2999-01-01T00:00:00+08:00' }, 'at'],
      [{ status: 'in_transit', at: 'yesterday' }, 'at'],
      [{ status: 'lost' }, 'status'],
      [{ status: 'in_transit', colour: 'red' }, 'colour'],
    ] as const) {
      const res = await event(id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('answers 404 for an unknown shipment and writes nothing', async () => {
    await ship('Known Co', { carrier: 'SF Express', trackingNumber: 'SF-KNOWN' });
    const before = await snapshot(api.db.store);
    for (const body of [
      { carrier: 'SF Express', trackingNumber: 'SF-UNKNOWN', status: 'in_transit' },
      { carrier: 'Other', trackingNumber: 'SF-KNOWN', status: 'delivered' },
    ]) {
      const res = await api.call('POST', '/api/v1/shipments/track', body);
      expect(res.status).toBe(404);
      expect(res.body.type).toMatch(/not-found$/);
    }
    expect((await event(999_999, { status: 'in_transit' })).status).toBe(404);
    expect((await api.call('GET', '/api/v1/shipments/999999')).status).toBe(404);
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('refuses bad packages with field errors, writes nothing, and the order stays confirmed', async () => {
    const orderId = await confirmedOrder('Bad Pack');
    const before = await snapshot(api.db.store);
    const cases: Array<[unknown, string[]]> = [
      [{ packages: [{ weightKg: 1 }, { weightKg: 0, lengthCm: -5, widthCm: 1.25, heightCm: 10 }] }, ['packages.1.weightKg', 'packages.1.lengthCm', 'packages.1.widthCm']],
      [{ packages: [{ weightKg: 1.0001 }] }, ['packages.0.weightKg']],
      [{ packages: [{ weightKg: '2' }] }, ['packages.0.weightKg']],
      [{ packages: [{ weight: 2 }] }, ['packages.0.weight']],
      [{ trackingNumber: 'T-1' }, ['trackingNumber']],
      [{ carrier: 'SF Express', promisedOn: '2026-02-30' }, ['promisedOn']],
      [{ carrier: '' }, ['carrier']],
    ];
    for (const [body, fields] of cases) {
      const res = await api.call('POST', `/api/v1/sales-orders/${orderId}/ship`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.type).toMatch(/validation$/);
      for (const field of fields) expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
    // A tracking number already used with the same carrier: 409, nothing written.
    const dup = await api.call('POST', `/api/v1/sales-orders/${orderId}/ship`, { carrier: 'SF Express', trackingNumber: 'SF100200300' });
    expect(dup.status).toBe(409);
    expect(await snapshot(api.db.store)).toEqual(before);
    const order = await api.call('GET', `/api/v1/sales-orders/${orderId}`);
    expect(order.body).toMatchObject({ status: 'confirmed', shipments: [] });
    expect(order.body.lines[0]).toMatchObject({ reserved: 2, shipped: 0 });
  });

  it('prints a packing slip', async () => {
    const id = await ship('打印 Print Co', { carrier: 'SF Express', trackingNumber: 'SF-PDF', packages: [{ weightKg: 2, lengthCm: 40, widthCm: 30, heightCm: 20 }] });
    const res = await fetch(`${api.baseUrl}/api/v1/shipments/${id}/pdf`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect((await api.call('GET', '/api/v1/shipments/999999/pdf')).status).toBe(404);
  });

  it('lists and filters shipments, and checks rights', async () => {
    const all = await api.call('GET', '/api/v1/shipments?limit=1000');
    expect(all.status).toBe(200);
    const ids = all.body.items.map((s: any) => s.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    expect(all.body.items).toHaveLength(10);

    const delivered = await api.call('GET', '/api/v1/shipments?status=delivered');
    expect(delivered.body.items.length).toBe(3);
    expect(delivered.body.items.every((s: any) => s.status === 'delivered')).toBe(true);
    const yto = await api.call('GET', '/api/v1/shipments?carrier=YTO');
    expect(yto.body.items.map((s: any) => s.trackingNumber).sort()).toEqual(['YT-77', 'YT-78', 'YT-79']);
    expect((await api.call('GET', '/api/v1/shipments?q=sf1002')).body.items.map((s: any) => s.trackingNumber)).toEqual(['SF100200300']);
    expect((await api.call('GET', '/api/v1/shipments?q=late%20co')).body.items.map((s: any) => s.customer)).toEqual(['Late Co']);
    const first = all.body.items[all.body.items.length - 1];
    expect((await api.call('GET', `/api/v1/shipments?q=${first.number}`)).body.items.map((s: any) => s.id)).toEqual([first.id]);

    const page1 = await api.call('GET', '/api/v1/shipments?limit=2');
    expect(page1.body.items).toHaveLength(2);
    const page2 = await api.call('GET', `/api/v1/shipments?limit=2&after=${page1.body.next}`);
    expect(page2.body.items.map((s: any) => s.id)).toEqual(ids.slice(2, 4));
    expect((await api.call('GET', '/api/v1/shipments?status=lost')).status).toBe(422);

    expect((await api.call('POST', '/api/v1/users', { username: 'viewer-sh', password: 'viewer-pass-1', role: 'viewer' })).status).toBe(201);
    const asViewer = { authorization: `Bearer ${await api.login('viewer-sh', 'viewer-pass-1')}` };
    expect((await api.call('GET', '/api/v1/shipments', undefined, asViewer)).status).toBe(200);
    expect((await api.call('POST', `/api/v1/shipments/${first.id}/events`, { status: 'in_transit' }, asViewer)).status).toBe(403);
  });
});
