import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';

/**
 * POST /pick-waves/{id}/cancel: a wave with nothing picked is cancelled, its open tasks go, the
 * orders keep their reservations and are candidates again (stage back to reserved); a wave with
 * picked tasks, a done or cancelled one is 409; other warehouse 403; unknown 404; bad body 422 —
 * every refusal writes nothing.
 */
describe.each(ENGINES)('pick wave cancel on %s', (engine) => {
  let api: TestApi;
  const call = async (method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200, headers?: Record<string, string>) => {
    const res = await api.call(method, V + path, body, headers);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const order = async (lines: Array<Record<string, unknown>>) => {
    const o = await call('POST', '/sales-orders', { customer: 'Shop', warehouse: 'XW', lines });
    await call('POST', `/sales-orders/${o.id}/confirm`, undefined, 200);
    return o.id as number;
  };
  const candidates = async () => (await call('GET', '/pick-waves/candidates?warehouse=XW')).items.map((o: any) => o.id as number);
  const stage = async (id: number) => (await call('GET', '/logistics/orders?limit=1000')).items.find((r: any) => r.id === id)?.stage;
  const reserved = async () => (await snapshot(api.db.store)).balances;
  /** Everything a refused cancel could have written: rows, balances, orders, and the wave itself. */
  const state = async (waveId: number) => ({ db: await snapshot(api.db.store), wave: await call('GET', `/pick-waves/${waveId}`) });

  beforeAll(async () => {
    api = await startTestApi(engine);
    await call('POST', '/warehouses', { code: 'XW', name: 'Cancel' });
    await call('POST', '/warehouses', { code: 'YW', name: 'Other' });
    for (const sku of ['XA', 'XB']) await call('POST', '/items', { sku, name: `Item ${sku}`, unit: 'pcs' });
    await call('POST', '/inventory-adjustments', { warehouse: 'XW', lines: [{ sku: 'XA', quantity: 50, unitCost: 1 }, { sku: 'XB', quantity: 50, unitCost: 1 }] });
    await call('POST', '/users', { username: 'yw-clerk', password: 'yw-clerk-pass-1', role: 'clerk', warehouses: ['YW'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('cancels a wave with nothing picked: orders keep their reservations, are candidates again, and a new wave takes them', async () => {
    const a = await order([{ sku: 'XA', quantity: 2 }, { sku: 'XB', quantity: 1 }]);
    const b = await order([{ sku: 'XB', quantity: 3 }]);
    const wave = await call('POST', '/pick-waves', { warehouse: 'XW', orders: [a, b] });
    expect(await candidates()).toEqual([]);
    expect(await stage(a)).toBe('picking');
    const stockBefore = await reserved();

    const cancelled = await call('POST', `/pick-waves/${wave.id}/cancel`, { reason: 'cut by mistake' }, 200, { 'idempotency-key': `cancel-${engine}-1` });
    expect(cancelled).toMatchObject({ id: wave.id, status: 'cancelled', tasks: [], progress: { tasks: 0, open: 0 } });
    // The same key answers the same again, and writes nothing more.
    const replay = await api.call('POST', `${V}/pick-waves/${wave.id}/cancel`, { reason: 'cut by mistake' }, { 'idempotency-key': `cancel-${engine}-1` });
    expect(replay.status).toBe(200);
    // Orders still confirmed, still reserved (stock unchanged), waiting for a wave; stage back to reserved.
    for (const id of [a, b]) expect((await call('GET', `/sales-orders/${id}`)).status).toBe('confirmed');
    expect(await reserved()).toEqual(stockBefore);
    expect(new Set(await candidates())).toEqual(new Set([a, b]));
    expect(await stage(a)).toBe('reserved');
    expect(await stage(b)).toBe('reserved');
    expect((await call('GET', '/pick-waves?status=cancelled')).items.map((w: any) => w.id)).toContain(wave.id);

    const again = await call('POST', '/pick-waves', { warehouse: 'XW', orders: [a, b] });
    expect(again.tasks).toHaveLength(wave.tasks.length);
    expect(again.tasks.map((t: any) => t.quantity)).toEqual(wave.tasks.map((t: any) => t.quantity));
    expect(await candidates()).toEqual([]);
    expect(await stage(a)).toBe('picking');
    // Finish it so the next tests start with no open reservations waiting: pick everything.
    for (const t of again.tasks) await call('POST', `/pick-tasks/${t.id}/scan`, { bin: t.bin, item: t.sku, quantity: t.quantity }, 200);
    const done = await call('GET', `/pick-waves/${again.id}`);
    expect(done.status).toBe('done');

    // A done wave and a cancelled wave: 409, nothing written.
    for (const id of [again.id, wave.id]) {
      const before = await state(id);
      const res = await api.call('POST', `${V}/pick-waves/${id}/cancel`, {});
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(await state(id)).toEqual(before);
    }
  });

  it('refuses a wave with a picked task (409) and writes nothing; a short-only task does not block', async () => {
    const c = await order([{ sku: 'XA', quantity: 3 }]);
    const d = await order([{ sku: 'XB', quantity: 2 }]);
    const wave = await call('POST', '/pick-waves', { warehouse: 'XW', orders: [c, d] });
    const ta = wave.tasks.find((t: any) => t.orderId === c);
    await call('POST', `/pick-tasks/${ta.id}/scan`, { bin: ta.bin, item: ta.sku, quantity: 1 }, 200);
    const before = await state(wave.id);
    const res = await api.call('POST', `${V}/pick-waves/${wave.id}/cancel`, { reason: 'orders go another way' });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ field: 'wave', message: expect.stringContaining(ta.number) });
    expect(await state(wave.id)).toEqual(before);

    // A wave whose only touched task was reported short (nothing picked) can be cancelled; the short task stays.
    const e = await order([{ sku: 'XA', quantity: 2 }]);
    const f = await order([{ sku: 'XB', quantity: 1 }]);
    const second = await call('POST', '/pick-waves', { warehouse: 'XW', orders: [e, f] });
    const te = second.tasks.find((t: any) => t.orderId === e);
    await call('POST', `/pick-tasks/${te.id}/short`, {}, 200);
    const cancelled = await call('POST', `/pick-waves/${second.id}/cancel`, undefined, 200);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.tasks.map((t: any) => [t.id, t.status])).toEqual([[te.id, 'done']]);
    // e was re-reserved from other stock by the short; both orders wait for a new wave.
    expect(await candidates()).toEqual(expect.arrayContaining([e, f]));
    expect(await stage(f)).toBe('reserved');
  });

  it('403 for a clerk of another warehouse, 404 unknown, 422 bad body; none writes anything', async () => {
    const g = await order([{ sku: 'XA', quantity: 1 }]);
    const wave = await call('POST', '/pick-waves', { warehouse: 'XW', orders: [g] });
    // Logging in writes a token and an audit row: before the snapshot.
    const clerk = { authorization: `Bearer ${await api.login('yw-clerk', 'yw-clerk-pass-1')}` };
    const before = await state(wave.id);
    expect((await api.call('POST', `${V}/pick-waves/${wave.id}/cancel`, {}, clerk)).status).toBe(403);
    expect((await api.call('POST', `${V}/pick-waves/999999/cancel`, {})).status).toBe(404);
    for (const body of [{ reason: '' }, { reason: 5 }, { reason: 'x'.repeat(501) }, { why: 'no' }, [1]]) {
      const res = await api.call('POST', `${V}/pick-waves/${wave.id}/cancel`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await api.call('POST', `${V}/pick-waves/abc/cancel`, {})).status).toBeGreaterThanOrEqual(400);
    expect(await state(wave.id)).toEqual(before);
    expect((await call('POST', `/pick-waves/${wave.id}/cancel`, { reason: '  wrong orders  ' }, 200)).status).toBe('cancelled');
    // The audit keeps the reason (trimmed) and what was cancelled.
    const audit = (await call('GET', '/audit?action=pick.wave.cancel')).items.find((e: any) => String(e.targetId) === String(wave.id));
    expect(audit?.detail).toMatchObject({ reason: 'wrong orders', orders: [wave.orders[0]], tasks: [{ task: wave.tasks[0].number, quantity: 1 }] });
  });
});
