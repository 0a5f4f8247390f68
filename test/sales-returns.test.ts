import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';
const RETURN_TABLES = ['sales_returns', 'sales_return_lines', 'sales_return_inspection_lines'] as const;

/** Customer returns (RMA) against shipped sales orders, over HTTP on both engines. */
describe.each(ENGINES)('sales returns on %s', (engine) => {
  let api: TestApi;
  let orderId: number;
  let lotOrderId: number;

  /** Everything a refused request could have written: the ledger's tables and ours, line by line. */
  const written = async () => {
    const db = api.db.store.read;
    const counts: Record<string, number> = {};
    for (const t of RETURN_TABLES) counts[t] = Number((await db.selectFrom(t).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const returns = await db.selectFrom('sales_returns').select(['id', 'status', 'inspection_count']).orderBy('id').execute();
    const lines = await db.selectFrom('sales_return_lines').select(['id', 'quantity', 'restocked', 'scrapped']).orderBy('id').execute();
    return {
      core: await snapshot(api.db.store),
      counts,
      returns: returns.map((r) => `${r.id}:${r.status}:${r.inspection_count}`),
      lines: lines.map((l) => `${l.id}:${l.quantity}/${l.restocked}/${l.scrapped}`),
    };
  };

  const stockOf = async (sku: string) => {
    const res = await api.call('GET', `${V}/stock?sku=${sku}&nonZero=true`);
    expect(res.status).toBe(200);
    return res.body.items as Array<{ location: string; lot: string | null; onHand: number; reserved: number; available: number }>;
  };
  const at = (rows: Awaited<ReturnType<typeof stockOf>>, location: string, lot: string | null = null) => rows.find((r) => r.location === location && r.lot === lot);

  /** A sales order created, confirmed and (unless told otherwise) shipped. */
  const order = async (lines: unknown[], until: 'draft' | 'confirmed' | 'cancelled' | 'shipped' = 'shipped') => {
    const created = await api.call('POST', `${V}/sales-orders`, { customer: 'Cafe Lumen', warehouse: 'WH1', lines });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as number;
    if (until === 'cancelled') expect((await api.call('POST', `${V}/sales-orders/${id}/cancel`)).status).toBe(200);
    if (until === 'confirmed' || until === 'shipped') expect((await api.call('POST', `${V}/sales-orders/${id}/confirm`)).status).toBe(200);
    if (until === 'shipped') expect((await api.call('POST', `${V}/sales-orders/${id}/ship`)).status).toBe(200);
    return id;
  };

  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const item of [
      { sku: 'MUG', name: '马克杯 Mug', unit: 'pcs' },
      { sku: 'TEA', name: 'Tea', unit: 'kg', unitPrecision: 3 },
      { sku: 'MILK', name: 'Milk', unit: 'box', tracking: 'lot' },
    ]) expect((await api.call('POST', `${V}/items`, item)).status).toBe(201);
    expect((await api.call('POST', `${V}/warehouses`, { code: 'WH1', name: 'Main' })).status).toBe(201);
    const stocked = await api.call('POST', `${V}/inventory-adjustments`, {
      warehouse: 'WH1',
      reason: 'opening stock',
      lines: [
        { sku: 'MUG', quantity: 20, unitCost: 4 },
        { sku: 'TEA', quantity: 10, unitCost: 30 },
        { sku: 'MILK', quantity: 5, lot: 'L1', expiresOn: '2098-01-01', unitCost: 2 },
        { sku: 'MILK', quantity: 5, lot: 'L2', expiresOn: '2099-01-01', unitCost: 2 },
      ],
    });
    expect(stocked.status, JSON.stringify(stocked.body)).toBe(201);
    orderId = await order([{ sku: 'MUG', quantity: 10 }, { sku: 'TEA', quantity: 2.5 }]);
    // First expired, first out: the order ships 4 of lot L1 only.
    lotOrderId = await order([{ sku: 'MILK', quantity: 4 }]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('receives part of a shipped order into Input, then the rest; a credit reference is generated or kept', async () => {
    const first = await api.call('POST', `${V}/sales-returns`, { salesOrder: orderId, reason: 'customer changed mind', lines: [{ line: 1, quantity: 3 }, { line: 2, quantity: 0.5 }] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const id = first.body.id as number;
    expect(first.body).toMatchObject({
      number: `RMA-${String(id).padStart(6, '0')}`,
      salesOrder: orderId,
      customer: 'Cafe Lumen',
      warehouse: 'WH1',
      status: 'received',
      reason: 'customer changed mind',
      creditReference: `CR-${String(id).padStart(6, '0')}`,
      lines: [
        { line: 1, orderLine: 1, sku: 'MUG', lot: null, returned: 3, restocked: 0, scrapped: 0, uninspected: 3 },
        { line: 2, orderLine: 2, sku: 'TEA', lot: null, returned: 0.5, restocked: 0, scrapped: 0, uninspected: 0.5 },
      ],
      inspections: [],
    });
    // Valued at the item's last cost, since no cost is given.
    expect(first.body.moves).toEqual([
      expect.objectContaining({ sku: 'MUG', from: 'Partners/Customers', to: 'WH1/Input', quantity: 3, unitCost: 4, value: 12 }),
      expect.objectContaining({ sku: 'TEA', from: 'Partners/Customers', to: 'WH1/Input', quantity: 0.5, unitCost: 30, value: 15 }),
    ]);

    const rest = await api.call('POST', `${V}/sales-returns`, { salesOrder: orderId, creditReference: 'CN-2026-0042', lines: [{ line: 1, quantity: 7 }, { line: 2, quantity: 2 }] });
    expect(rest.status, JSON.stringify(rest.body)).toBe(201);
    expect(rest.body).toMatchObject({ creditReference: 'CN-2026-0042', reason: null, status: 'received', lines: [{ returned: 7 }, { returned: 2 }] });

    const mugs = await stockOf('MUG');
    expect(at(mugs, 'WH1/Input')).toMatchObject({ onHand: 10, available: 0 });
    expect(at(mugs, 'WH1/Stock')).toMatchObject({ onHand: 10, available: 10 });
    expect(at(await stockOf('TEA'), 'WH1/Input')).toMatchObject({ onHand: 2.5 });

    const listed = await api.call('GET', `${V}/sales-returns?salesOrder=${orderId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: { id: number }) => r.id)).toEqual([rest.body.id, id]);
    const page = await api.call('GET', `${V}/sales-returns?salesOrder=${orderId}&limit=1`);
    expect(page.body.next).toBe(String(rest.body.id));
    expect((await api.call('GET', `${V}/sales-returns?salesOrder=${orderId}&after=${page.body.next}`)).body.items.map((r: { id: number }) => r.id)).toEqual([id]);
    expect((await api.call('GET', `${V}/sales-returns/${id}`)).body).toEqual(first.body);
  });

  it('refuses to return more than was shipped and not yet returned (422), writing nothing', async () => {
    const id = await order([{ sku: 'MUG', quantity: 2 }, { sku: 'TEA', quantity: 1 }]);
    expect((await api.call('POST', `${V}/sales-returns`, { salesOrder: id, lines: [{ line: 1, quantity: 1 }] })).status).toBe(201);
    const before = await written();
    for (const [body, field] of [
      [{ salesOrder: id, lines: [{ line: 1, quantity: 2 }] }, 'lines.0.quantity'],
      // Lines of one request add up.
      [{ salesOrder: id, lines: [{ line: 2, quantity: 0.5 }, { line: 2, quantity: 0.501 }] }, 'lines.1.quantity'],
      [{ salesOrder: id, lines: [{ line: 2, quantity: 0.0001 }] }, 'lines.0.quantity'],
      [{ salesOrder: id, lines: [{ line: 1, quantity: 0 }] }, 'lines.0.quantity'],
      [{ salesOrder: id, lines: [{ line: 3, quantity: 1 }] }, 'lines.0.line'],
      [{ salesOrder: id, lines: [{ line: 1, quantity: 1, lot: 'L1' }] }, 'lines.0.lot'],
    ] as const) {
      const res = await api.call('POST', `${V}/sales-returns`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await written()).toEqual(before);
    expect((await api.call('POST', `${V}/sales-returns`, { salesOrder: id, lines: [{ line: 1, quantity: 1 }, { line: 2, quantity: 1 }] })).status).toBe(201);
  });

  it('refuses returns against draft, confirmed and cancelled orders (409) and unknown ones (404), writing nothing', async () => {
    const orders = [await order([{ sku: 'MUG', quantity: 1 }], 'draft'), await order([{ sku: 'MUG', quantity: 1 }], 'confirmed'), await order([{ sku: 'MUG', quantity: 1 }], 'cancelled')];
    const before = await written();
    for (const id of orders) {
      const res = await api.call('POST', `${V}/sales-returns`, { salesOrder: id, lines: [{ line: 1, quantity: 1 }] });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.type).toBe('urn:cangku:problem:conflict');
    }
    expect((await api.call('POST', `${V}/sales-returns`, { salesOrder: 999_999, lines: [{ line: 1, quantity: 1 }] })).status).toBe(404);
    expect(await written()).toEqual(before);
  });

  it('takes back a lot that was shipped, not one that was not', async () => {
    const before = await written();
    for (const [line, field] of [
      [{ line: 1, quantity: 1, lot: 'L2' }, 'lines.0.lot'], // in stock, but never shipped on this order
      [{ line: 1, quantity: 1, lot: 'NOPE' }, 'lines.0.lot'],
      [{ line: 1, quantity: 1 }, 'lines.0.lot'],
      [{ line: 1, quantity: 5, lot: 'L1' }, 'lines.0.quantity'],
    ] as const) {
      const res = await api.call('POST', `${V}/sales-returns`, { salesOrder: lotOrderId, lines: [line] });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await written()).toEqual(before);

    const ok = await api.call('POST', `${V}/sales-returns`, { salesOrder: lotOrderId, lines: [{ line: 1, quantity: 3, lot: 'L1' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.lines).toEqual([expect.objectContaining({ sku: 'MILK', lot: 'L1', returned: 3 })]);
    expect(ok.body.moves).toEqual([expect.objectContaining({ from: 'Partners/Customers', to: 'WH1/Input', lot: 'L1', quantity: 3 })]);
    expect(at(await stockOf('MILK'), 'WH1/Input', 'L1')).toMatchObject({ onHand: 3, available: 0 });
    // Only 1 of L1 is left to return now.
    const more = await api.call('POST', `${V}/sales-returns`, { salesOrder: lotOrderId, lines: [{ line: 1, quantity: 2, lot: 'L1' }] });
    expect(more.status).toBe(422);
    expect(more.body.errors[0].field).toBe('lines.0.quantity');
  });

  it('inspects: restocks to Stock, scraps to Virtual/Scrap, never more than uninspected, then closes', async () => {
    const id = await order([{ sku: 'MUG', quantity: 5 }, { sku: 'TEA', quantity: 1 }]);
    const received = await api.call('POST', `${V}/sales-returns`, { salesOrder: id, lines: [{ line: 1, quantity: 5 }, { line: 2, quantity: 1 }] });
    expect(received.status).toBe(201);
    const rmaId = received.body.id as number;
    const mugsBefore = await stockOf('MUG');

    const first = await api.call('POST', `${V}/sales-returns/${rmaId}/inspect`, { lines: [{ line: 1, restock: 3, scrap: 1, reason: 'one chipped' }] });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      status: 'partially_inspected',
      closedAt: null,
      lines: [{ line: 1, returned: 5, restocked: 3, scrapped: 1, uninspected: 1 }, { line: 2, returned: 1, restocked: 0, scrapped: 0, uninspected: 1 }],
      inspections: [{ inspection: 1, lines: [{ line: 1, restocked: 3, scrapped: 1, reason: 'one chipped' }] }],
    });
    expect(first.body.moves.slice(2)).toEqual([
      expect.objectContaining({ sku: 'MUG', from: 'WH1/Input', to: 'WH1/Stock', quantity: 3, value: null }),
      expect.objectContaining({ sku: 'MUG', from: 'WH1/Input', to: 'Virtual/Scrap', quantity: 1, value: 4 }),
    ]);
    const mugs = await stockOf('MUG');
    expect(at(mugs, 'WH1/Input')!.onHand).toBe(at(mugsBefore, 'WH1/Input')!.onHand - 4);
    expect(at(mugs, 'WH1/Stock')!.onHand).toBe(at(mugsBefore, 'WH1/Stock')!.onHand + 3);

    const before = await written();
    for (const [lines, field] of [
      [[{ line: 1, restock: 2 }], 'lines.0.restock'],
      [[{ line: 1, scrap: 1 }, { line: 1, restock: 1 }], 'lines.1.restock'],
      [[{ line: 2, restock: 0.5, scrap: 0.501 }], 'lines.0.scrap'],
      [[{ line: 2, restock: 0.0001 }], 'lines.0.restock'],
      [[{ line: 2 }], 'lines.0.restock'],
      [[{ line: 3, restock: 1 }], 'lines.0.line'],
    ] as const) {
      const res = await api.call('POST', `${V}/sales-returns/${rmaId}/inspect`, { lines });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await written()).toEqual(before);

    const last = await api.call('POST', `${V}/sales-returns/${rmaId}/inspect`, { lines: [{ line: 1, restock: 1 }, { line: 2, scrap: 1 }] });
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(last.body).toMatchObject({ status: 'closed', closedAt: expect.any(String), lines: [{ uninspected: 0 }, { uninspected: 0 }] });
    expect(last.body.inspections.map((i: { inspection: number }) => i.inspection)).toEqual([1, 2]);
    expect(last.body.moves).toHaveLength(6);

    const closed = await api.call('POST', `${V}/sales-returns/${rmaId}/inspect`, { lines: [{ line: 1, restock: 1 }] });
    expect(closed.status).toBe(409);
    expect((await api.call('GET', `${V}/sales-returns?status=closed`)).body.items.map((r: { id: number }) => r.id)).toContain(rmaId);

    const moves = await api.call('GET', `${V}/moves?sku=TEA`);
    expect(moves.body.items.filter((m: { document: string }) => m.document === received.body.number).map((m: { from: string; to: string }) => `${m.from}>${m.to}`)).toEqual([
      'Partners/Customers>WH1/Input',
      'WH1/Input>Virtual/Scrap',
    ]);
  });

  it('posts each inspection under its own key, with audit and outbox events', async () => {
    const db = api.db.store.read;
    const keys = await db.selectFrom('postings').select('posting_key').where('document_type', '=', 'sales-return').orderBy('id').execute();
    expect(keys.map((k) => k.posting_key)).toEqual(expect.arrayContaining([expect.stringMatching(/^sales-return:\d+$/), expect.stringMatching(/^sales-return:\d+:inspect:1$/), expect.stringMatching(/^sales-return:\d+:inspect:2$/)]));
    const events = await db.selectFrom('outbox_events').select('type').where('type', 'like', 'sales-return.%').execute();
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['sales-return.received', 'sales-return.inspected']));
    const audit = await db.selectFrom('audit_log').select('action').where('target_type', '=', 'sales-return').execute();
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['sales-return.receive', 'sales-return.inspect']));
  });

  it('lets sales read returns but not receive them', async () => {
    expect((await api.call('POST', `${V}/users`, { username: 'sam', password: 'sam-password', role: 'sales' })).status).toBe(201);
    const asSales = { authorization: `Bearer ${await api.login('sam', 'sam-password')}` };
    expect((await api.call('GET', `${V}/sales-returns`, undefined, asSales)).status).toBe(200);
    const before = await written();
    expect((await api.call('POST', `${V}/sales-returns`, { salesOrder: orderId, lines: [{ line: 1, quantity: 1 }] }, asSales)).status).toBe(403);
    expect(await written()).toEqual(before);
  });
});
