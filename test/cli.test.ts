import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { cangku } from './support/cli.js';

/** `cangku migrate` and `cangku verify` against a real database of each engine. */
describe.each(ENGINES)('cli on %s', (engine) => {
  let api: TestApi;
  let url: string;
  beforeAll(async () => {
    api = await startTestApi(engine);
    url = api.db.schema ? `${api.db.url}?options=${encodeURIComponent(`-c search_path=${api.db.schema}`)}` : api.db.url;
    await api.call('POST', '/api/v1/items', { sku: 'C1', name: 'C1', unit: 'pcs' });
    await api.call('POST', '/api/v1/warehouses', { code: 'W', name: 'W' });
    await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'W', lines: [{ sku: 'C1', quantity: 7, unitCost: 1.25 }] });
    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'c', warehouse: 'W', lines: [{ sku: 'C1', quantity: 2 }] });
    await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('migrate reports an up-to-date schema', async () => {
    const result = await cangku(['migrate'], url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('up to date');
  });

  it('verify exits 0 when every invariant holds', async () => {
    const result = await cangku(['verify'], url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('every invariant holds');
  });

  it('the database refuses to change or delete a move or an audit record', async () => {
    await expect(sql`UPDATE moves SET quantity = quantity + 1`.execute(api.db.store.read)).rejects.toThrow(/immutable/);
    await expect(sql`DELETE FROM moves`.execute(api.db.store.read)).rejects.toThrow(/immutable/);
    await expect(sql`UPDATE audit_log SET action = 'nothing'`.execute(api.db.store.read)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(api.db.store.read)).rejects.toThrow(/append-only/);
  });

  it('verify exits 1 with a readable report when a balance is tampered with', async () => {
    const db = api.db.store.read;
    await sql`UPDATE balances SET on_hand = on_hand + 1000000, reserved = reserved + 5000000 WHERE on_hand > 0`.execute(db);
    const result = await cangku(['verify'], url);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL 1\. balances of every item and lot sum to zero/);
    expect(result.stdout).toMatch(/FAIL 2\. every balance equals the sum of its moves/);
    expect(result.stdout).toMatch(/FAIL 3\. physical stock is never negative/);
    expect(result.stdout).toMatch(/FAIL 6\./);
    expect(result.stdout).toContain('NOT verified');
    await sql`UPDATE balances SET on_hand = on_hand - 1000000, reserved = reserved - 5000000 WHERE on_hand > 0`.execute(db);
    const restored = await cangku(['verify'], url);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
  });

  it('verify notices a posting whose moves no longer add up', async () => {
    const db = api.db.store.read;
    await sql`UPDATE postings SET move_count = move_count + 1`.execute(db);
    const result = await cangku(['verify'], url);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL 4\. moves are never updated or deleted/);
    await sql`UPDATE postings SET move_count = move_count - 1`.execute(db);
    const restored = await cangku(['verify'], url);
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
  });

  it('prints usage for unknown commands', async () => {
    const result = await cangku(['frobnicate'], url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: cangku');
  });
});
