import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransitSupply } from '../src/modules/transfers/transfers-supply.js';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** Transfers between warehouses through Virtual/In transit, over HTTP on both engines. */
describe.each(ENGINES)('transfers on %s', (engine) => {
  let api: TestApi;
  let viewer: Record<string, string>;
  const ids: Record<string, number> = {};

  /** The ledger's snapshot plus the transfer tables, down to each line's shipped/received/difference. */
  const everything = async () => {
    const db = api.db.store.read;
    const transfers = await db.selectFrom('transfers').select(['id', 'status', 'receipt_count']).orderBy('id').execute();
    const lots = await db.selectFrom('transfer_line_lots').select(['id', 'shipped', 'received', 'difference']).orderBy('id').execute();
    const lines = await db.selectFrom('transfer_lines').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return {
      ledger: await snapshot(api.db.store),
      transfers: transfers.map((t) => `${t.id}:${t.status}:${t.receipt_count}`),
      lots: lots.map((l) => `${l.id}:${l.shipped}/${l.received}/${l.difference}`),
      lines: Number(lines.n),
    };
  };
  const post = async (path: string, body?: unknown, status = 200) => {
    const res = await api.call('POST', `/api/v1${path}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const stock = async (sku: string, warehouse: string) => {
    const res = await api.call('GET', `/api/v1/stock?sku=${sku}&warehouse=${warehouse}&nonZero=true`);
    return Object.fromEntries(res.body.items.map((r: { location: string; lot: string | null; onHand: number }) => [`${r.location}${r.lot ? `#${r.lot}` : ''}`, r.onHand]));
  };
  /** On hand in Virtual/In transit per lot (the API shows physical stock only). */
  const inTransit = async (sku: string) => {
    const rows = await api.db.store.read
      .selectFrom('balances as b')
      .innerJoin('locations as l', (j) => j.onRef('l.org_id', '=', 'b.org_id').onRef('l.id', '=', 'b.location_id'))
      .innerJoin('items as i', (j) => j.onRef('i.org_id', '=', 'b.org_id').onRef('i.id', '=', 'b.item_id'))
      .select(sql<string>`coalesce(sum(b.on_hand), 0)`.as('q'))
      .where('l.code', '=', 'Virtual/In transit')
      .where('i.sku', '=', sku)
      .executeTakeFirstOrThrow();
    return Number(rows.q) / 1e6;
  };
  const supply = async (filter: { itemId?: number; warehouseId?: number }) =>
    (await inTransitSupply(api.db.store.read, api.db.orgId, filter)).map((s) => ({ ...s, quantity: s.quantity.toString() }));

  beforeAll(async () => {
    api = await startTestApi(engine);
    ids.wid = (await api.call('POST', '/api/v1/items', { sku: 'WID', name: 'Widget 小部件', unit: 'kg', unitPrecision: 2 })).body.id;
    ids.yog = (await api.call('POST', '/api/v1/items', { sku: 'YOG', name: 'Yoghurt', unit: 'cup', tracking: 'lot' })).body.id;
    ids.t1 = (await api.call('POST', '/api/v1/warehouses', { code: 'T1', name: 'Source' })).body.id;
    ids.t2 = (await api.call('POST', '/api/v1/warehouses', { code: 'T2', name: 'Destination' })).body.id;
    ids.t3 = (await api.call('POST', '/api/v1/warehouses', { code: 'T3', name: 'Third' })).body.id;
    await api.call('POST', `/api/v1/warehouses/${ids.t1}/locations`, { code: 'X-01', kind: 'bin' });
    await post('/inventory-adjustments', { warehouse: 'T1', lines: [{ sku: 'WID', quantity: 15, unitCost: 5 }] }, 201);
    await post('/inventory-adjustments', { warehouse: 'T1', location: 'T1/Stock/X-01', lines: [{ sku: 'WID', quantity: 5 }] }, 201);
    await post('/inventory-adjustments', { warehouse: 'T1', location: 'T1/Input', lines: [{ sku: 'WID', quantity: 50 }] }, 201);
    await post('/users', { username: 'vic', password: 'viewer-pass-1', role: 'viewer' }, 201);
    viewer = { authorization: `Bearer ${await api.login('vic', 'viewer-pass-1')}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  it('ships a draft from the source into transit, then receives it in two parts', async () => {
    const draft = await post('/transfers', { from: 'T1', to: 'T2', expectedOn: '2030-01-15', note: 'weekly refill', lines: [{ sku: 'WID', quantity: 17.5 }] }, 201);
    ids.first = draft.id;
    expect(draft).toMatchObject({
      number: expect.stringMatching(/^TR-\d{6}$/), status: 'draft', from: 'T1', to: 'T2', expectedOn: '2030-01-15',
      lines: [{ line: 1, sku: 'WID', quantity: 17.5, shipped: 0, received: 0, inTransit: 0, difference: 0, lots: [] }], moves: [],
    });
    expect(await supply({ itemId: ids.wid })).toEqual([]);

    const shipped = await post(`/transfers/${draft.id}/ship`);
    expect(shipped).toMatchObject({ status: 'shipped', shippedAt: expect.any(String), lines: [{ shipped: 17.5, inTransit: 17.5 }] });
    expect(shipped.moves).toEqual([
      expect.objectContaining({ from: 'T1/Stock', to: 'Virtual/In transit', quantity: 15 }),
      expect.objectContaining({ from: 'T1/Stock/X-01', to: 'Virtual/In transit', quantity: 2.5 }),
    ]);
    // Input (awaiting inspection) is never shipped.
    expect(await stock('WID', 'T1')).toEqual({ 'T1/Input': 50, 'T1/Stock/X-01': 2.5 });
    expect(await inTransit('WID')).toBe(17.5);
    expect(await supply({ itemId: ids.wid })).toEqual([{ itemId: ids.wid, warehouseId: ids.t2, quantity: '17500000', expectedOn: '2030-01-15', documentType: 'transfer', documentId: draft.id }]);
    expect(await supply({ warehouseId: ids.t1 })).toEqual([]);

    const part = await post(`/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 10.25 }] });
    expect(part).toMatchObject({ status: 'partially_received', receipts: 1, lines: [{ shipped: 17.5, received: 10.25, inTransit: 7.25 }] });
    expect(await stock('WID', 'T2')).toEqual({ 'T2/Stock': 10.25 });
    expect(await supply({ warehouseId: ids.t2 })).toMatchObject([{ quantity: '7250000' }]);

    const rest = await post(`/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 7.25 }] });
    expect(rest).toMatchObject({ status: 'received', receipts: 2, receivedAt: expect.any(String), lines: [{ received: 17.5, inTransit: 0, difference: 0 }] });
    expect(rest.moves.filter((m: { to: string }) => m.to === 'T2/Stock')).toHaveLength(2);
    expect(await stock('WID', 'T2')).toEqual({ 'T2/Stock': 17.5 });
    expect(await inTransit('WID')).toBe(0);
    expect(await supply({ itemId: ids.wid })).toEqual([]);

    const audit = await api.call('GET', `/api/v1/audit?targetType=transfer&targetId=${draft.id}`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['transfer.receive', 'transfer.receive', 'transfer.ship', 'transfer.create']);
    const events = await api.db.store.read.selectFrom('outbox_events').select('type').where('type', 'like', 'transfer.%').orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['transfer.created', 'transfer.shipped', 'transfer.partially-received', 'transfer.received']);
  });

  it('refuses a shipment the source cannot cover, naming the short lines, and writes nothing', async () => {
    await post('/inventory-adjustments', { warehouse: 'T1', lines: [{ sku: 'WID', quantity: 10 }] }, 201);
    const draft = await post('/transfers', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: 5 }, { sku: 'YOG', quantity: 1 }, { sku: 'WID', quantity: 8 }] }, 201);
    const before = await everything();
    const res = await api.call('POST', `/api/v1/transfers/${draft.id}/ship`);
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/insufficient-stock$/);
    expect(res.body.shortLines).toEqual([
      { line: 1, sku: 'WID', requested: 5, available: 12.5 },
      { line: 2, sku: 'YOG', requested: 1, available: 0 },
      { line: 3, sku: 'WID', requested: 8, available: 12.5 },
    ]);
    expect(await everything()).toEqual(before);
    expect((await api.call('GET', `/api/v1/transfers/${draft.id}`)).body.status).toBe('draft');
    // Cancel before shipping is fine; afterwards nothing more happens to it.
    expect((await post(`/transfers/${draft.id}/cancel`)).status).toBe('cancelled');
    expect((await api.call('POST', `/api/v1/transfers/${draft.id}/ship`)).status).toBe(409);
  });

  it('closes a partly received transfer, recording what never arrived as a difference', async () => {
    const draft = await post('/transfers', { from: 'T1', to: 'T3', expectedOn: '2030-02-01', lines: [{ sku: 'WID', quantity: 6 }] }, 201);
    ids.second = draft.id;
    await post(`/transfers/${draft.id}/ship`);
    await post(`/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 4 }] });
    expect(await supply({ warehouseId: ids.t3 })).toEqual([{ itemId: ids.wid, warehouseId: ids.t3, quantity: '2000000', expectedOn: '2030-02-01', documentType: 'transfer', documentId: draft.id }]);
    const closed = await post(`/transfers/${draft.id}/close`);
    expect(closed).toMatchObject({ status: 'closed', closedAt: expect.any(String), lines: [{ quantity: 6, shipped: 6, received: 4, inTransit: 0, difference: 2 }] });
    expect(closed.moves.at(-1)).toMatchObject({ from: 'Virtual/In transit', to: 'Virtual/Inventory adjustment', quantity: 2 });
    expect(await stock('WID', 'T3')).toEqual({ 'T3/Stock': 4 });
    expect(await inTransit('WID')).toBe(0);
    expect(await supply({})).toEqual([]);
    const audit = await api.call('GET', `/api/v1/audit?targetType=transfer&targetId=${draft.id}&action=transfer.close`);
    expect(audit.body.items[0].detail).toEqual({ differences: [{ line: 1, sku: 'WID', difference: 2 }] });
    for (const action of ['ship', 'cancel', 'close']) expect((await api.call('POST', `/api/v1/transfers/${draft.id}/${action}`)).status).toBe(409);
    expect((await api.call('POST', `/api/v1/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 1 }] })).status).toBe(409);
  });

  it('cancels before shipping only', async () => {
    const draft = await post('/transfers', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: 1 }] }, 201);
    await post(`/transfers/${draft.id}/ship`);
    const before = await everything();
    const res = await api.call('POST', `/api/v1/transfers/${draft.id}/cancel`);
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/conflict$/);
    expect(await everything()).toEqual(before);
    await post(`/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 1 }] });
  });

  it('ships lots first-expired-first-out, never expired ones, and receives the same lots back', async () => {
    await post('/inventory-adjustments', {
      warehouse: 'T1',
      lines: [
        { sku: 'YOG', quantity: 5, lot: 'LATE', expiresOn: '2099-12-31' },
        { sku: 'YOG', quantity: 10, lot: 'OLD', expiresOn: '2000-01-01' },
      ],
    }, 201);
    await post('/inventory-adjustments', { warehouse: 'T1', location: 'T1/Stock/X-01', lines: [{ sku: 'YOG', quantity: 3, lot: 'EARLY', expiresOn: '2099-06-30' }] }, 201);
    const draft = await post('/transfers', { from: 'T1', to: 'T2', lines: [{ sku: 'YOG', quantity: 6 }] }, 201);
    ids.lots = draft.id;
    const shipped = await post(`/transfers/${draft.id}/ship`);
    expect(shipped.lines[0].lots).toEqual([
      { lot: 'EARLY', expiresOn: '2099-06-30', shipped: 3, received: 0, inTransit: 3, difference: 0 },
      { lot: 'LATE', expiresOn: '2099-12-31', shipped: 3, received: 0, inTransit: 3, difference: 0 },
    ]);
    expect(await stock('YOG', 'T1')).toEqual({ 'T1/Stock#LATE': 2, 'T1/Stock#OLD': 10 });

    // Only unexpired stock counts as available to ship.
    const tooMuch = await post('/transfers', { from: 'T1', to: 'T3', lines: [{ sku: 'YOG', quantity: 3 }] }, 201);
    const refused = await api.call('POST', `/api/v1/transfers/${tooMuch.id}/ship`);
    expect(refused.status).toBe(409);
    expect(refused.body.shortLines).toEqual([{ line: 1, sku: 'YOG', requested: 3, available: 2 }]);

    // A named lot must be one the line shipped, and no more of it than is still in transit.
    const before = await everything();
    const notShipped = await api.call('POST', `/api/v1/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 1, lot: 'OLD' }] });
    expect(notShipped.status).toBe(422);
    expect(notShipped.body.errors).toEqual([{ field: 'lines.0.lot', message: expect.stringContaining('did not ship lot OLD') }]);
    const tooMuchOfLot = await api.call('POST', `/api/v1/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 4, lot: 'LATE' }] });
    expect(tooMuchOfLot.status).toBe(422);
    expect(tooMuchOfLot.body.errors[0].field).toBe('lines.0.quantity');
    expect(await everything()).toEqual(before);

    // Unnamed quantities take the line's lots first-expired-first-out, after the named ones.
    const part = await post(`/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 4 }, { line: 1, quantity: 1, lot: 'LATE' }] });
    expect(part.lines[0].lots).toMatchObject([{ lot: 'EARLY', received: 3, inTransit: 0 }, { lot: 'LATE', received: 2, inTransit: 1 }]);
    expect(await stock('YOG', 'T2')).toEqual({ 'T2/Stock#EARLY': 3, 'T2/Stock#LATE': 2 });
    const done = await post(`/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 1, lot: 'LATE' }] });
    expect(done.status).toBe('received');
    expect(await stock('YOG', 'T2')).toEqual({ 'T2/Stock#EARLY': 3, 'T2/Stock#LATE': 3 });
    expect(await inTransit('YOG')).toBe(0);
  });

  describe('refused receipts', () => {
    let open: { id: number };
    beforeAll(async () => {
      open = await post('/transfers', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: 3 }] }, 201);
      await post(`/transfers/${open.id}/ship`);
      await post(`/transfers/${open.id}/receive`, { lines: [{ line: 1, quantity: 1 }] });
    });
    it.each([
      ['more than shipped and not yet received', { lines: [{ line: 1, quantity: 2.01 }] }, 422, 'lines.0.quantity'],
      ['more than in transit over two entries', { lines: [{ line: 1, quantity: 1 }, { line: 1, quantity: 1.5 }] }, 422, 'lines.1.quantity'],
      ['an unknown line', { lines: [{ line: 9, quantity: 1 }] }, 422, 'lines.0.line'],
      ['too many decimals', { lines: [{ line: 1, quantity: 0.001 }] }, 422, 'lines.0.quantity'],
      ['zero', { lines: [{ line: 1, quantity: 0 }] }, 422, 'lines.0.quantity'],
      ['a lot for an untracked item', { lines: [{ line: 1, quantity: 1, lot: 'L' }] }, 422, 'lines.0.lot'],
      ['no lines', { lines: [] }, 422, 'lines'],
      ['a line number that is not an integer', { lines: [{ line: 1.5, quantity: 1 }] }, 422, 'lines.0.line'],
    ])('refuses receiving %s and writes nothing', async (_name, body, status, field) => {
      const before = await everything();
      const res = await api.call('POST', `/api/v1/transfers/${open.id}/receive`, body);
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await everything()).toEqual(before);
    });
    it('refuses receiving a draft (409) and an unknown transfer (404)', async () => {
      const draft = await post('/transfers', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: 1 }] }, 201);
      const before = await everything();
      expect((await api.call('POST', `/api/v1/transfers/${draft.id}/receive`, { lines: [{ line: 1, quantity: 1 }] })).status).toBe(409);
      expect((await api.call('POST', `/api/v1/transfers/${draft.id}/close`)).status).toBe(409);
      expect((await api.call('POST', '/api/v1/transfers/999999/receive', { lines: [{ line: 1, quantity: 1 }] })).status).toBe(404);
      expect(await everything()).toEqual(before);
    });
  });

  it.each([
    ['the same warehouse twice', { from: 'T1', to: 'T1', lines: [{ sku: 'WID', quantity: 1 }] }, 'to'],
    ['an unknown source', { from: 'NOPE', to: 'T1', lines: [{ sku: 'WID', quantity: 1 }] }, 'from'],
    ['an unknown destination', { from: 'T1', to: 'NOPE', lines: [{ sku: 'WID', quantity: 1 }] }, 'to'],
    ['an impossible date', { from: 'T1', to: 'T2', expectedOn: '2030-02-30', lines: [{ sku: 'WID', quantity: 1 }] }, 'expectedOn'],
    ['an unknown sku', { from: 'T1', to: 'T2', lines: [{ sku: 'NOPE', quantity: 1 }] }, 'lines.0.sku'],
    ['too many decimals', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: 1.234 }] }, 'lines.0.quantity'],
    ['a negative quantity', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: -1 }] }, 'lines.0.quantity'],
    ['an unknown field', { from: 'T1', to: 'T2', priority: 1, lines: [{ sku: 'WID', quantity: 1 }] }, 'priority'],
  ])('refuses a transfer with %s and writes nothing', async (_name, body, field) => {
    const before = await everything();
    const res = await api.call('POST', '/api/v1/transfers', body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await everything()).toEqual(before);
  });

  it('replays a repeated ship with the same Idempotency-Key and ships once', async () => {
    const draft = await post('/transfers', { from: 'T1', to: 'T3', lines: [{ sku: 'WID', quantity: 1 }] }, 201);
    const first = await api.call('POST', `/api/v1/transfers/${draft.id}/ship`, undefined, { 'idempotency-key': `ship-${draft.id}` });
    const before = await everything();
    const again = await api.call('POST', `/api/v1/transfers/${draft.id}/ship`, undefined, { 'idempotency-key': `ship-${draft.id}` });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await everything()).toEqual(before);
    await post(`/transfers/${draft.id}/close`);
  });

  it('ships and receives in both directions at once without deadlocks or lost stock', async () => {
    await post('/items', { sku: 'CON', name: 'Concurrent', unit: 'pcs' }, 201);
    await post('/warehouses', { code: 'C1', name: 'C1' }, 201);
    await post('/warehouses', { code: 'C2', name: 'C2' }, 201);
    await post('/inventory-adjustments', { warehouse: 'C1', lines: [{ sku: 'CON', quantity: 100, unitCost: 1 }] }, 201);
    await post('/inventory-adjustments', { warehouse: 'C2', lines: [{ sku: 'CON', quantity: 100, unitCost: 1 }] }, 201);
    const create = (from: string, to: string) => post('/transfers', { from, to, lines: [{ sku: 'CON', quantity: 5 }] }, 201).then((t) => t.id as number);
    const shippedAhead = [await create('C1', 'C2'), await create('C2', 'C1'), await create('C1', 'C2'), await create('C2', 'C1')];
    for (const id of shippedAhead) await post(`/transfers/${id}/ship`);
    const drafts = [await create('C1', 'C2'), await create('C2', 'C1'), await create('C1', 'C2'), await create('C2', 'C1')];
    const retriesBefore = api.db.store.retries;
    const results = await Promise.all([
      ...drafts.map((id) => api.call('POST', `/api/v1/transfers/${id}/ship`)),
      ...shippedAhead.map((id) => api.call('POST', `/api/v1/transfers/${id}/receive`, { lines: [{ line: 1, quantity: 5 }] })),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(api.db.store.retries - retriesBefore).toBe(0);
    expect(await stock('CON', 'C1')).toEqual({ 'C1/Stock': 100 - 20 + 10 });
    expect(await stock('CON', 'C2')).toEqual({ 'C2/Stock': 100 - 20 + 10 });
    expect(await inTransit('CON')).toBe(20);
    for (const id of drafts) await post(`/transfers/${id}/close`);
  });

  it('lists, finds and prints transfers; readers read, only writers act', async () => {
    const list = async (query: string) => (await api.call('GET', `/api/v1/transfers?${query}`)).body.items.map((t: { id: number }) => t.id);
    expect(await list('status=closed')).toContain(ids.second);
    expect(await list('to=T3&status=closed')).toContain(ids.second);
    expect(await list('from=T2')).toEqual([]);
    expect(await list('q=weekly')).toEqual([ids.first]);
    expect(await list(`q=TR-${String(ids.lots).padStart(6, '0')}`)).toEqual([ids.lots]);
    expect(await list('sku=YOG')).toContain(ids.lots);
    const page = await api.call('GET', '/api/v1/transfers?limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.next).toBeDefined();
    expect((await api.call('GET', '/api/v1/transfers?status=lost')).status).toBe(422);

    expect((await api.call('GET', `/api/v1/transfers/${ids.second}`, undefined, viewer)).body.lines[0].difference).toBe(2);
    expect((await api.call('POST', '/api/v1/transfers', { from: 'T1', to: 'T2', lines: [{ sku: 'WID', quantity: 1 }] }, viewer)).status).toBe(403);
    expect((await api.call('GET', '/api/v1/transfers/999999')).status).toBe(404);

    for (const id of [ids.first, ids.second, ids.lots]) {
      const res = await fetch(`${api.baseUrl}/api/v1/transfers/${id}/pdf`, { headers: { authorization: `Bearer ${api.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');
    }
    const openapi = (await (await fetch(`${api.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/api/v1/transfers/{id}/receive', '/api/v1/internal-transfers', '/api/v1/scraps', '/api/v1/putaway-suggestions']) expect(openapi.paths[path], path).toBeDefined();
  });
});
