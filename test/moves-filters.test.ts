import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type ApiResponse, type TestApi } from './support/http.js';

const V = '/api/v1';

interface Move { id: number; sku: string; from: string; to: string; quantity: number; lot: string | null; document: string; postedAt: string }

/**
 * GET /moves narrowed on the server by warehouse, location, lot and posting dates: filters
 * combine, keyset pages hold only matching moves (each exactly once), the warehouse scope holds,
 * bad filters are 4xx. The expected sets come from the unfiltered list, filtered here.
 */
describe.each(ENGINES)('move history filters on %s', (engine) => {
  let api: TestApi;
  let all: Move[] = [];
  const ids: Record<string, number> = {};
  const ok = <T extends ApiResponse>(res: T, status = 200): T => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res;
  };
  const today = new Date().toISOString().slice(0, 10);
  const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  /** Every page of a filtered list, with `limit` per page; checks that no page is short but the last. */
  const pages = async (query: string, limit: number, headers?: Record<string, string>) => {
    const seen: Move[] = [];
    let after: string | undefined;
    let count = 0;
    for (;;) {
      const res = ok(await api.call('GET', `${V}/moves?${query}&limit=${limit}${after ? `&after=${after}` : ''}`, undefined, headers));
      const items = res.body.items as Move[];
      seen.push(...items);
      count++;
      after = res.body.next;
      if (!after) break;
      expect(items.length, `page ${count} of ${query}`).toBe(limit); // a page with more to come is full
      expect(after).toBe(String(items.at(-1)!.id));
    }
    return { moves: seen, pages: count };
  };
  const inWarehouse = (code: string, warehouse: string) => code === warehouse || code.startsWith(`${warehouse}/`);

  beforeAll(async () => {
    api = await startTestApi(engine);
    const post = async (path: string, body: unknown) => ok(await api.call('POST', V + path, body), 201).body;
    for (const code of ['MA', 'MB']) ids[code] = (await post('/warehouses', { code, name: `Warehouse ${code}` })).id;
    await post(`/warehouses/${ids.MA}/locations`, { code: 'A1', kind: 'bin' });
    await post(`/warehouses/${ids.MA}/locations`, { code: 'A2', kind: 'bin' });
    await post(`/warehouses/${ids.MB}/locations`, { code: 'B1', kind: 'bin' });
    await post('/items', { sku: 'MF-PLAIN', name: 'Plain', unit: 'pcs' });
    await post('/items', { sku: 'MF-LOT', name: 'Lotted', unit: 'kg', unitPrecision: 2, tracking: 'lot' });
    await post('/items', { sku: 'MF-OTHER', name: 'Other item with the same lot code', unit: 'pcs', tracking: 'lot' });
    // Interleaved so that matching moves of each filter are spread over the id range.
    for (let i = 1; i <= 4; i++) {
      await post('/inventory-adjustments', { warehouse: 'MA', lines: [{ sku: 'MF-PLAIN', quantity: i }] });
      await post('/inventory-adjustments', { warehouse: 'MB', lines: [{ sku: 'MF-PLAIN', quantity: 10 + i }] });
      await post('/inventory-adjustments', { warehouse: 'MA', location: 'MA/Stock/A1', lines: [{ sku: 'MF-LOT', quantity: 1.25 * i, lot: 'L1' }, { sku: 'MF-LOT', quantity: i, lot: 'L2' }] });
      await post('/inventory-adjustments', { warehouse: 'MB', location: 'MB/Stock/B1', lines: [{ sku: 'MF-LOT', quantity: 2 * i, lot: 'L1' }, { sku: 'MF-OTHER', quantity: i, lot: 'L1' }] });
      await post('/internal-transfers', { warehouse: 'MA', lines: [{ item: 'MF-PLAIN', to: 'MA/Stock/A2', quantity: 1 }, { item: 'MF-LOT', from: 'MA/Stock/A1', to: 'MA/Stock/A2', quantity: 0.5, lot: 'L1' }] });
    }
    await post('/users', { username: 'mf-clerk', password: 'mf-clerk-pass-1', role: 'clerk', warehouses: ['MA'] });
    all = ok(await api.call('GET', `${V}/moves?limit=1000`)).body.items;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('combines filters, and pages through the filtered list returning every matching move once', async () => {
    expect(all.length).toBe(4 * (1 + 1 + 2 + 2 + 2));
    const cases: Array<[string, (m: Move) => boolean]> = [
      ['warehouse=MA', (m) => inWarehouse(m.from, 'MA') || inWarehouse(m.to, 'MA')],
      ['sku=MF-PLAIN&warehouse=MB', (m) => m.sku === 'MF-PLAIN' && (inWarehouse(m.from, 'MB') || inWarehouse(m.to, 'MB'))],
      ['location=MA/Stock/A1', (m) => m.from === 'MA/Stock/A1' || m.to === 'MA/Stock/A1'],
      // Exactly the location: moves of its parent MA/Stock are not moves of the bin, and vice versa.
      ['location=MA/Stock', (m) => m.from === 'MA/Stock' || m.to === 'MA/Stock'],
      ['sku=MF-LOT&lot=L1', (m) => m.sku === 'MF-LOT' && m.lot === 'L1'],
      ['lot=L1', (m) => m.lot === 'L1'], // without sku: that lot code of every item
      ['sku=MF-LOT&warehouse=MA&location=MA/Stock/A2&lot=L1', (m) => m.sku === 'MF-LOT' && m.lot === 'L1' && (m.from === 'MA/Stock/A2' || m.to === 'MA/Stock/A2')],
      ['warehouse=MB&location=Virtual/Inventory%20adjustment', (m) => m.from === 'Virtual/Inventory adjustment' && inWarehouse(m.to, 'MB')],
      [`sku=MF-LOT&from=${today}&to=${today}`, (m) => m.sku === 'MF-LOT'],
      [`from=${shift(1)}`, () => false],
      [`to=${shift(-1)}`, () => false],
    ];
    for (const [query, matches] of cases) {
      const expected = all.filter(matches).map((m) => m.id);
      for (const limit of [1, 3, 1000]) {
        const { moves, pages: count } = await pages(query, limit);
        expect(moves.map((m) => m.id), `${query} limit ${limit}`).toEqual(expected); // id order, each once, none missing
        expect(count, `${query} limit ${limit}`).toBe(Math.max(1, Math.ceil(expected.length / limit)));
      }
      if (!query.includes('from=') && !query.includes('to=')) expect(expected.length, `${query} should match something`).toBeGreaterThan(0);
    }
    // A lot code is per item: MF-PLAIN has no lot L2 (MF-LOT does), which is 422 on query.lot.
    const noSuchLot = await api.call('GET', `${V}/moves?sku=MF-PLAIN&lot=L2`);
    expect(noSuchLot.status).toBe(422);
    expect(noSuchLot.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.lot']);
    // An unknown SKU stays an empty list, as before the filters.
    expect(ok(await api.call('GET', `${V}/moves?sku=NOPE&warehouse=MA`)).body.items).toEqual([]);
  });

  it('keeps the warehouse scope: another warehouse named is 403, lists never show it', async () => {
    const clerk = { authorization: `Bearer ${await api.login('mf-clerk', 'mf-clerk-pass-1')}` };
    for (const query of ['warehouse=MB', 'location=MB/Stock/B1', 'location=MB/Stock', 'sku=MF-LOT&warehouse=MB&lot=L1']) {
      const res = await api.call('GET', `${V}/moves?${query}`, undefined, clerk);
      expect(res.status, query).toBe(403);
      expect(String(res.body.type)).toMatch(/forbidden$/);
    }
    const touchesMA = (m: Move) => inWarehouse(m.from, 'MA') || inWarehouse(m.to, 'MA');
    for (const [query, matches] of [
      ['lot=L1', (m: Move) => m.lot === 'L1'],
      ['sku=MF-PLAIN', (m: Move) => m.sku === 'MF-PLAIN'],
      ['location=Virtual/Inventory%20adjustment', (m: Move) => m.from === 'Virtual/Inventory adjustment' || m.to === 'Virtual/Inventory adjustment'],
      ['warehouse=MA', () => true],
    ] as const) {
      const expected = all.filter((m) => matches(m) && touchesMA(m)).map((m) => m.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(all.filter(matches).length, query).toBeGreaterThan(query === 'warehouse=MA' ? 0 : expected.length); // B's moves exist and are left out
      const { moves } = await pages(query, 2, clerk);
      expect(moves.map((m) => m.id), query).toEqual(expected);
    }
    // A user with no warehouses sees no moves even through a virtual location.
    ok(await api.call('POST', `${V}/users`, { username: 'mf-nowhere', password: 'mf-nowhere-pass-1', role: 'viewer', warehouses: [] }), 201);
    const nowhere = { authorization: `Bearer ${await api.login('mf-nowhere', 'mf-nowhere-pass-1')}` };
    expect(ok(await api.call('GET', `${V}/moves?location=Virtual/Inventory%20adjustment`, undefined, nowhere)).body.items).toEqual([]);
    expect((await api.call('GET', `${V}/moves?warehouse=MA`, undefined, nowhere)).status).toBe(403);
  });

  it('refuses bad filters with field errors', async () => {
    const refused = async (query: string, fields: string[]) => {
      const res = await api.call('GET', `${V}/moves?${query}`);
      expect(res.status, `${query}: ${JSON.stringify(res.body)}`).toBe(422);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort(), query).toEqual(fields);
    };
    await refused('warehouse=NOPE', ['query.warehouse']);
    await refused('warehouse=bad%20code', ['query.warehouse']);
    await refused('location=MA/Stock/NOPE', ['query.location']);
    await refused('lot=NOPE', ['query.lot']);
    await refused('sku=MF-LOT&lot=NOPE&warehouse=NOPE&location=NOPE', ['query.location', 'query.lot', 'query.warehouse']);
    await refused('from=2025-02-30', ['query.from']);
    await refused('to=2025-13-01', ['query.to']);
    await refused('from=yesterday', ['query.from']);
    await refused('from=2025-03-02&to=2025-03-01', ['query.to']);
    await refused('warehouse=', ['query.warehouse']);
    await refused('bin=MA/Stock/A1', ['query.bin']);
    await refused('after=abc', ['query.after']);
  });
});
