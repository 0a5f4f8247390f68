import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** Put-away rules and suggestions, internal transfers (put-away, bin to bin) and scrap, over HTTP on both engines. */
describe.each(ENGINES)('warehouse moves on %s', (engine) => {
  let api: TestApi;
  let viewer: Record<string, string>;
  const ruleIds: number[] = [];

  /** The ledger's snapshot plus this module's tables: a refused request changes none of them. */
  const everything = async () => {
    const db = api.db.store.read;
    const count = async (table: 'putaway_rules' | 'internal_transfers' | 'internal_transfer_lines' | 'scraps' | 'scrap_lines') =>
      Number((await db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    return {
      ledger: await snapshot(api.db.store),
      mine: [await count('putaway_rules'), await count('internal_transfers'), await count('internal_transfer_lines'), await count('scraps'), await count('scrap_lines')],
    };
  };
  const stock = async (sku: string, warehouse = 'M1') => {
    const res = await api.call('GET', `/api/v1/stock?sku=${sku}&warehouse=${warehouse}&nonZero=true`);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.items.map((r: { location: string; lot: string | null; onHand: number; reserved: number }) => [`${r.location}${r.lot ? `#${r.lot}` : ''}`, r.reserved ? `${r.onHand}/${r.reserved}` : r.onHand]));
  };
  const adjust = async (body: unknown) => {
    const res = await api.call('POST', '/api/v1/inventory-adjustments', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  beforeAll(async () => {
    api = await startTestApi(engine);
    const item = (body: Record<string, unknown>) => api.call('POST', '/api/v1/items', { unit: 'pcs', ...body });
    await item({ sku: 'BOLT', name: '螺栓 Bolt', category: 'fasteners', barcode: '6901234567890' });
    await item({ sku: 'NUT', name: 'Nut', category: 'Fasteners' });
    await item({ sku: 'GLUE', name: 'Glue', category: 'chemicals' });
    await item({ sku: 'PAINT', name: 'Paint', unit: 'l', unitPrecision: 2 });
    await item({ sku: 'MILK', name: 'Milk', tracking: 'lot' });
    await item({ sku: 'RES', name: 'Reserved goods' });
    const m1 = (await api.call('POST', '/api/v1/warehouses', { code: 'M1', name: 'Main' })).body.id;
    await api.call('POST', '/api/v1/warehouses', { code: 'M2', name: 'Other' });
    await api.call('POST', `/api/v1/warehouses/${m1}/locations`, { code: 'A', kind: 'zone' });
    await api.call('POST', `/api/v1/warehouses/${m1}/locations`, { code: 'A-01', kind: 'bin', parent: 'M1/Stock/A' });
    await api.call('POST', `/api/v1/warehouses/${m1}/locations`, { code: 'A-02', kind: 'bin', parent: 'M1/Stock/A' });
    await api.call('POST', `/api/v1/warehouses/${m1}/locations`, { code: 'B-01', kind: 'bin' });
    await api.call('POST', '/api/v1/users', { username: 'vic', password: 'viewer-pass-1', role: 'viewer' });
    viewer = { authorization: `Bearer ${await api.login('vic', 'viewer-pass-1')}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('put-away rules and suggestions', () => {
    it('creates item and category rules and lists them by priority', async () => {
      const byItem = await api.call('POST', '/api/v1/putaway-rules', { warehouse: 'M1', item: 'BOLT', location: 'M1/Stock/A/A-01' });
      expect(byItem.status, JSON.stringify(byItem.body)).toBe(201);
      expect(byItem.body).toMatchObject({ warehouse: 'M1', item: 'BOLT', category: null, location: 'M1/Stock/A/A-01', priority: 100 });
      const byCategory = await api.call('POST', '/api/v1/putaway-rules', { warehouse: 'M1', category: 'fasteners', location: 'M1/Stock/A', priority: 10 });
      expect(byCategory.status).toBe(201);
      ruleIds.push(byItem.body.id, byCategory.body.id);
      const list = await api.call('GET', '/api/v1/putaway-rules?warehouse=M1');
      expect(list.body.items.map((r: { id: number }) => r.id)).toEqual([byCategory.body.id, byItem.body.id]);
      expect((await api.call('GET', '/api/v1/putaway-rules?category=FASTENERS')).body.items).toHaveLength(1);
      expect((await api.call('GET', '/api/v1/putaway-rules?warehouse=M2')).body.items).toHaveLength(0);
    });

    it('suggests by item rule (SKU or barcode), category rule, a bin holding the item, else the stock location', async () => {
      const suggest = async (item: string, quantity = '3') => {
        const res = await api.call('GET', `/api/v1/putaway-suggestions?warehouse=M1&item=${item}&quantity=${quantity}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body;
      };
      expect(await suggest('BOLT')).toMatchObject({ item: 'BOLT', quantity: 3, location: 'M1/Stock/A/A-01', source: 'item-rule', rule: { id: ruleIds[0] } });
      expect(await suggest('6901234567890')).toMatchObject({ item: 'BOLT', location: 'M1/Stock/A/A-01', source: 'item-rule' });
      expect(await suggest('NUT')).toMatchObject({ location: 'M1/Stock/A', source: 'category-rule', rule: { id: ruleIds[1], category: 'fasteners' } });
      await adjust({ warehouse: 'M1', location: 'M1/Stock/B-01', lines: [{ sku: 'GLUE', quantity: 2 }] });
      expect(await suggest('GLUE')).toMatchObject({ location: 'M1/Stock/B-01', source: 'existing-bin', rule: null });
      expect(await suggest('PAINT', '1.25')).toEqual({ warehouse: 'M1', item: 'PAINT', quantity: 1.25, location: 'M1/Stock', source: 'stock-location', rule: null });
      // In another warehouse the M1 rules do not apply.
      expect((await api.call('GET', '/api/v1/putaway-suggestions?warehouse=M2&item=BOLT')).body).toMatchObject({ location: 'M2/Stock', source: 'stock-location', quantity: null });
      // Readers may ask; they may not change rules.
      expect((await api.call('GET', '/api/v1/putaway-suggestions?warehouse=M1&item=BOLT', undefined, viewer)).status).toBe(200);
      expect((await api.call('POST', '/api/v1/putaway-rules', { warehouse: 'M1', item: 'NUT', location: 'M1/Stock/A' }, viewer)).status).toBe(403);
    });

    it.each([
      ['both item and category', { warehouse: 'M1', item: 'NUT', category: 'x', location: 'M1/Stock/A' }, 422, 'item'],
      ['neither item nor category', { warehouse: 'M1', location: 'M1/Stock/A' }, 422, 'item'],
      ['an unknown item', { warehouse: 'M1', item: 'NOPE', location: 'M1/Stock/A' }, 422, 'item'],
      ['an unknown warehouse', { warehouse: 'NOPE', item: 'NUT', location: 'M1/Stock/A' }, 422, 'warehouse'],
      ['another warehouse\'s location', { warehouse: 'M1', item: 'NUT', location: 'M2/Stock' }, 422, 'location'],
      ['the Input location', { warehouse: 'M1', item: 'NUT', location: 'M1/Input' }, 422, 'location'],
      ['the stock location (rules name a zone or bin)', { warehouse: 'M1', item: 'NUT', location: 'M1/Stock' }, 422, 'location'],
      ['a fractional priority', { warehouse: 'M1', item: 'NUT', location: 'M1/Stock/A', priority: 1.5 }, 422, 'priority'],
      ['an existing rule', { warehouse: 'M1', item: 'BOLT', location: 'M1/Stock/A/A-01' }, 409, undefined],
      ['an existing category rule in other case', { warehouse: 'M1', category: 'FASTENERS', location: 'M1/Stock/A' }, 409, undefined],
    ])('refuses a rule with %s and writes nothing', async (_name, body, status, field) => {
      const before = await everything();
      const res = await api.call('POST', '/api/v1/putaway-rules', body);
      expect(res.status).toBe(status);
      if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await everything()).toEqual(before);
    });

    it('refuses bad suggestion queries', async () => {
      const ask = (query: string) => api.call('GET', `/api/v1/putaway-suggestions?${query}`);
      expect((await ask('warehouse=M1&item=NOPE')).body.errors[0].field).toBe('query.item');
      expect((await ask('warehouse=NOPE&item=BOLT')).body.errors[0].field).toBe('query.warehouse');
      const decimals = await ask('warehouse=M1&item=BOLT&quantity=1.5');
      expect(decimals.status).toBe(422);
      expect(decimals.body.errors[0].field).toBe('query.quantity');
      expect((await ask('warehouse=M1')).status).toBe(422);
    });

    it('deletes a rule, after which the next rule decides', async () => {
      const res = await api.call('DELETE', `/api/v1/putaway-rules/${ruleIds[0]}`);
      expect(res.status).toBe(204);
      expect((await api.call('DELETE', `/api/v1/putaway-rules/${ruleIds[0]}`)).status).toBe(404);
      const suggestion = await api.call('GET', '/api/v1/putaway-suggestions?warehouse=M1&item=BOLT');
      expect(suggestion.body).toMatchObject({ location: 'M1/Stock/A', source: 'category-rule' });
      const audit = await api.call('GET', `/api/v1/audit?targetType=putaway-rule&targetId=${ruleIds[0]}`);
      expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['putaway-rule.delete', 'putaway-rule.create']);
    });
  });

  describe('internal transfers', () => {
    let firstId: number;

    it('puts away from stock to a bin (item by barcode) and moves bin to bin', async () => {
      await adjust({ warehouse: 'M1', lines: [{ sku: 'BOLT', quantity: 10, unitCost: 2 }] });
      const putaway = await api.call('POST', '/api/v1/internal-transfers', { warehouse: 'M1', note: 'after inspection', lines: [{ item: '6901234567890', to: 'M1/Stock/A/A-01', quantity: 6 }] });
      expect(putaway.status, JSON.stringify(putaway.body)).toBe(201);
      firstId = putaway.body.id;
      expect(putaway.body).toMatchObject({
        number: expect.stringMatching(/^IT-\d{6}$/), warehouse: 'M1', status: 'done', note: 'after inspection',
        lines: [{ line: 1, sku: 'BOLT', from: 'M1/Stock', to: 'M1/Stock/A/A-01', quantity: 6, lot: null }],
        moves: [{ sku: 'BOLT', from: 'M1/Stock', to: 'M1/Stock/A/A-01', quantity: 6, lot: null }],
      });
      const binToBin = await api.call('POST', '/api/v1/internal-transfers', { warehouse: 'M1', lines: [{ item: 'BOLT', from: 'M1/Stock/A/A-01', to: 'M1/Stock/A/A-02', quantity: 2 }, { item: 'BOLT', from: 'M1/Stock', to: 'M1/Stock/B-01', quantity: 1 }] });
      expect(binToBin.status).toBe(201);
      expect(binToBin.body.moves).toHaveLength(2);
      expect(await stock('BOLT')).toEqual({ 'M1/Stock': 3, 'M1/Stock/A/A-01': 4, 'M1/Stock/A/A-02': 2, 'M1/Stock/B-01': 1 });
      // Moves inside the company carry no value of their own.
      const moves = await api.call('GET', '/api/v1/moves?sku=BOLT');
      expect(moves.body.items.filter((m: { documentType: string }) => m.documentType === 'internal-transfer').every((m: { value: unknown }) => m.value === null)).toBe(true);
    });

    it('moves a lot and finds documents by filters and search', async () => {
      await adjust({ warehouse: 'M1', lines: [{ sku: 'MILK', quantity: 4, lot: 'L1', expiresOn: '2099-01-31' }] });
      const res = await api.call('POST', '/api/v1/internal-transfers', { warehouse: 'M1', lines: [{ item: 'MILK', lot: 'L1', to: 'M1/Stock/B-01', quantity: 3 }] });
      expect(res.status).toBe(201);
      expect(res.body.lines[0]).toMatchObject({ lot: 'L1', expiresOn: '2099-01-31' });
      expect(await stock('MILK')).toEqual({ 'M1/Stock#L1': 1, 'M1/Stock/B-01#L1': 3 });

      const list = async (query: string) => (await api.call('GET', `/api/v1/internal-transfers?${query}`)).body.items.map((d: { id: number }) => d.id);
      expect(await list('sku=MILK')).toEqual([res.body.id]);
      expect(await list(`q=${res.body.number}`)).toEqual([res.body.id]);
      expect(await list('q=6901234567890')).toHaveLength(2);
      expect(await list('q=INSPECTION')).toEqual([firstId]);
      expect(await list('location=M1/Stock/A/A-02')).toHaveLength(1);
      expect(await list('warehouse=M2')).toEqual([]);
      const page = await api.call('GET', '/api/v1/internal-transfers?limit=1');
      expect(page.body.items).toHaveLength(1);
      expect(page.body.next).toBe(String(res.body.id));
      expect((await api.call('GET', `/api/v1/internal-transfers?after=${page.body.next}&limit=5`)).body.items).toHaveLength(2);
      const one = await api.call('GET', `/api/v1/internal-transfers/${firstId}`, undefined, viewer);
      expect(one.status).toBe(200);
      expect(one.body.moves).toHaveLength(1);
      expect((await api.call('GET', '/api/v1/internal-transfers/999999')).status).toBe(404);
    });

    it('prints the put-away list', async () => {
      const res = await fetch(`${api.baseUrl}/api/v1/internal-transfers/${firstId}/pdf`, { headers: { authorization: `Bearer ${api.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/pdf');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString()).toBe('%PDF');
    });

    it('never moves reserved stock', async () => {
      await adjust({ warehouse: 'M1', lines: [{ sku: 'RES', quantity: 5 }] });
      const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'C', warehouse: 'M1', lines: [{ sku: 'RES', quantity: 4 }] });
      expect((await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`)).status).toBe(200);
      const before = await everything();
      const refused = await api.call('POST', '/api/v1/internal-transfers', { warehouse: 'M1', lines: [{ item: 'RES', to: 'M1/Stock/B-01', quantity: 2 }] });
      expect(refused.status).toBe(409);
      expect(refused.body.type).toMatch(/insufficient-stock$/);
      expect(refused.body.errors).toEqual([{ field: 'lines.0.quantity', message: expect.stringContaining('only 1 of RES available in M1/Stock') }]);
      expect(await everything()).toEqual(before);
      expect((await api.call('POST', '/api/v1/internal-transfers', { warehouse: 'M1', lines: [{ item: 'RES', to: 'M1/Stock/B-01', quantity: 1 }] })).status).toBe(201);
      expect(await stock('RES')).toEqual({ 'M1/Stock': '4/4', 'M1/Stock/B-01': 1 });
    });

    const line = (extra: Record<string, unknown>) => ({ warehouse: 'M1', lines: [{ item: 'BOLT', to: 'M1/Stock/B-01', quantity: 1, ...extra }] });
    it.each([
      ['to the Input location', line({ to: 'M1/Input' }), 422, 'lines.0.to'],
      ['from the Rejected location', line({ from: 'M1/Rejected' }), 422, 'lines.0.from'],
      ['to another warehouse', line({ to: 'M2/Stock' }), 422, 'lines.0.to'],
      ['from another warehouse', line({ from: 'M2/Stock' }), 422, 'lines.0.from'],
      ['to a virtual location', line({ to: 'Virtual/Scrap' }), 422, 'lines.0.to'],
      ['to the warehouse view', line({ to: 'M1' }), 422, 'lines.0.to'],
      ['to an unknown bin', line({ to: 'M1/Stock/Z-99' }), 422, 'lines.0.to'],
      ['to where it is', line({ from: 'M1/Stock/B-01' }), 422, 'lines.0.to'],
      ['of an unknown item', line({ item: 'NOPE' }), 422, 'lines.0.item'],
      ['of a lot item without lot', line({ item: 'MILK' }), 422, 'lines.0.lot'],
      ['of an unknown lot', line({ item: 'MILK', lot: 'L9' }), 422, 'lines.0.lot'],
      ['with a lot for an untracked item', line({ lot: 'L1' }), 422, 'lines.0.lot'],
      ['with too many decimals', line({ quantity: 0.5 }), 422, 'lines.0.quantity'],
      ['of zero', line({ quantity: 0 }), 422, 'lines.0.quantity'],
      ['of a negative quantity', line({ quantity: -1 }), 422, 'lines.0.quantity'],
      ['in an unknown warehouse', { ...line({}), warehouse: 'NOPE' }, 422, 'warehouse'],
      ['without lines', { warehouse: 'M1', lines: [] }, 422, 'lines'],
      ['with an unknown field', line({ bin: 'x' }), 422, 'lines.0.bin'],
      ['of more than is there', line({ from: 'M1/Stock/A/A-02', to: 'M1/Stock/A/A-01', quantity: 3 }), 409, 'lines.0.quantity'],
    ])('refuses a move %s and writes nothing', async (_name, body, status, field) => {
      const before = await everything();
      const res = await api.call('POST', '/api/v1/internal-transfers', body);
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await everything()).toEqual(before);
    });

    it('needs stock.move', async () => {
      const before = await everything();
      expect((await api.call('POST', '/api/v1/internal-transfers', line({}), viewer)).status).toBe(403);
      expect(await everything()).toEqual(before);
    });
  });

  describe('scrap', () => {
    it('lists the reason codes', async () => {
      const res = await api.call('GET', '/api/v1/scrap-reasons');
      expect(res.body.items.map((r: { code: string }) => r.code)).toEqual(['damaged', 'expired', 'quality', 'lost', 'other']);
    });

    it('scraps from the stock location and from Rejected, at FIFO value', async () => {
      const damaged = await api.call('POST', '/api/v1/scraps', { warehouse: 'M1', reason: 'damaged', note: 'dropped', lines: [{ sku: 'BOLT', quantity: 2 }] });
      expect(damaged.status, JSON.stringify(damaged.body)).toBe(201);
      expect(damaged.body).toMatchObject({
        number: expect.stringMatching(/^SCR-\d{6}$/), warehouse: 'M1', location: 'M1/Stock', reason: 'damaged', value: 4,
        moves: [{ sku: 'BOLT', from: 'M1/Stock', to: 'Virtual/Scrap', quantity: 2, value: 4 }],
      });
      await adjust({ warehouse: 'M1', location: 'M1/Rejected', lines: [{ sku: 'PAINT', quantity: 1.5, unitCost: 10 }] });
      const quality = await api.call('POST', '/api/v1/scraps', { warehouse: 'M1', location: 'M1/Rejected', reason: 'quality', lines: [{ sku: 'PAINT', quantity: 1.5 }] });
      expect(quality.status).toBe(201);
      expect(quality.body.moves[0]).toMatchObject({ from: 'M1/Rejected', to: 'Virtual/Scrap', quantity: 1.5, value: 15 });
      const expired = await api.call('POST', '/api/v1/scraps', { warehouse: 'M1', location: 'M1/Stock/B-01', reason: 'expired', lines: [{ sku: 'MILK', lot: 'L1', quantity: 1 }] });
      expect(expired.status).toBe(201);
      expect(await stock('BOLT')).toMatchObject({ 'M1/Stock': 1 });
      expect(await stock('PAINT')).toEqual({});
      expect(await stock('MILK')).toEqual({ 'M1/Stock#L1': 1, 'M1/Stock/B-01#L1': 2 });

      const list = async (query: string) => (await api.call('GET', `/api/v1/scraps?${query}`)).body.items.map((d: { id: number }) => d.id);
      expect(await list('reason=damaged')).toEqual([damaged.body.id]);
      expect(await list('warehouse=M1')).toEqual([expired.body.id, quality.body.id, damaged.body.id]);
      expect(await list('warehouse=M2')).toEqual([]);
      expect(await list('q=dropped')).toEqual([damaged.body.id]);
      expect(await list(`q=${quality.body.number}`)).toEqual([quality.body.id]);
      expect(await list('sku=MILK')).toEqual([expired.body.id]);
      const one = await api.call('GET', `/api/v1/scraps/${damaged.body.id}`, undefined, viewer);
      expect(one.body.moves).toHaveLength(1);
      expect((await api.call('GET', '/api/v1/scraps/999999')).status).toBe(404);
      const events = await api.db.store.read.selectFrom('outbox_events').select('type').where('type', '=', 'stock.scrapped').execute();
      expect(events).toHaveLength(3);
    });

    const scrap = (extra: Record<string, unknown>, lineExtra: Record<string, unknown> = {}) => ({ warehouse: 'M1', reason: 'damaged', lines: [{ sku: 'BOLT', quantity: 1, ...lineExtra }], ...extra });
    it.each([
      ['an unknown reason', scrap({ reason: 'broken' }), 422, 'reason'],
      ['no reason', { warehouse: 'M1', lines: [{ sku: 'BOLT', quantity: 1 }] }, 422, 'reason'],
      ['from the Input location', scrap({ location: 'M1/Input' }), 422, 'location'],
      ['from another warehouse', scrap({ location: 'M2/Stock' }), 422, 'location'],
      ['of an unknown sku', scrap({}, { sku: 'NOPE' }), 422, 'lines.0.sku'],
      ['with too many decimals', scrap({}, { quantity: 1.5 }), 422, 'lines.0.quantity'],
      ['of a negative quantity', scrap({}, { quantity: -1 }), 422, 'lines.0.quantity'],
      ['of a lot item without lot', scrap({}, { sku: 'MILK' }), 422, 'lines.0.lot'],
      ['of reserved stock', scrap({}, { sku: 'RES', quantity: 1 }), 409, 'lines.0.quantity'],
      ['of more than is there', scrap({ location: 'M1/Stock/A/A-02' }, { quantity: 3 }), 409, 'lines.0.quantity'],
    ])('refuses a scrap with %s and writes nothing', async (_name, body, status, field) => {
      const before = await everything();
      const res = await api.call('POST', '/api/v1/scraps', body);
      expect(res.status).toBe(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await everything()).toEqual(before);
    });

    it('needs stock.scrap', async () => {
      expect((await api.call('POST', '/api/v1/scraps', scrap({}), viewer)).status).toBe(403);
    });
  });
});
