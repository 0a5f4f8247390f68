import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/**
 * Bad input on every endpoint: a 4xx problem+json with the contract's code, and nothing written
 * (moves, balances and every other table compared before and after).
 */
describe.each(ENGINES)('bad input on %s', (engine) => {
  let api: TestApi;
  let orderIds: { draft: number; confirmed: number; shipped: number; cancelled: number };
  let warehouseId: number;
  let itemId: number;

  beforeAll(async () => {
    api = await startTestApi(engine);
    itemId = (await api.call('POST', '/api/v1/items', { sku: 'GOOD', name: 'Good', unit: 'pcs' })).body.id;
    await api.call('POST', '/api/v1/items', { sku: 'KG', name: 'Kilo', unit: 'kg', unitPrecision: 2 });
    await api.call('POST', '/api/v1/items', { sku: 'LOT', name: 'Lotted', unit: 'pcs', tracking: 'lot' });
    await api.call('POST', '/api/v1/items', { sku: 'SER', name: 'Serial', unit: 'pcs', tracking: 'serial' });
    warehouseId = (await api.call('POST', '/api/v1/warehouses', { code: 'W1', name: 'One' })).body.id;
    await api.call('POST', '/api/v1/warehouses', { code: 'W2', name: 'Two' });
    await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'W1', lines: [{ sku: 'GOOD', quantity: 10 }, { sku: 'KG', quantity: 1.5 }, { sku: 'SER', quantity: 1, lot: 'S1' }] });
    const order = async (quantity: number) => (await api.call('POST', '/api/v1/sales-orders', { customer: 'C', warehouse: 'W1', lines: [{ sku: 'GOOD', quantity }] })).body.id as number;
    orderIds = { draft: await order(1), confirmed: await order(2), shipped: await order(1), cancelled: await order(1) };
    await api.call('POST', `/api/v1/sales-orders/${orderIds.confirmed}/confirm`);
    await api.call('POST', `/api/v1/sales-orders/${orderIds.shipped}/confirm`);
    await api.call('POST', `/api/v1/sales-orders/${orderIds.shipped}/ship`);
    await api.call('POST', `/api/v1/sales-orders/${orderIds.cancelled}/cancel`);
  });
  afterAll(async () => {
    await api?.close();
  });

  const adj = (lines: unknown, extra: Record<string, unknown> = {}) => ({ warehouse: 'W1', lines, ...extra });
  const cases: Array<[string, string, () => string, unknown, number, string, string?]> = [
    // [name, method, path, body, status, code, field]
    ['item without sku', 'POST', () => '/api/v1/items', { name: 'x', unit: 'pcs' }, 422, 'validation', 'sku'],
    ['item with empty sku', 'POST', () => '/api/v1/items', { sku: '  ', name: 'x', unit: 'pcs' }, 422, 'validation', 'sku'],
    ['item with too long name', 'POST', () => '/api/v1/items', { sku: 'N', name: 'x'.repeat(201), unit: 'pcs' }, 422, 'validation', 'name'],
    ['item with precision 7', 'POST', () => '/api/v1/items', { sku: 'P7', name: 'x', unit: 'pcs', unitPrecision: 7 }, 422, 'validation', 'unitPrecision'],
    ['item with fractional precision', 'POST', () => '/api/v1/items', { sku: 'P7', name: 'x', unit: 'pcs', unitPrecision: 1.5 }, 422, 'validation', 'unitPrecision'],
    ['item with unknown tracking', 'POST', () => '/api/v1/items', { sku: 'T', name: 'x', unit: 'pcs', tracking: 'batch' }, 422, 'validation', 'tracking'],
    ['item with unknown field', 'POST', () => '/api/v1/items', { sku: 'U', name: 'x', unit: 'pcs', colour: 'red' }, 422, 'validation', 'colour'],
    ['item with wrong type', 'POST', () => '/api/v1/items', { sku: 12, name: 'x', unit: 'pcs' }, 422, 'validation', 'sku'],
    ['existing sku', 'POST', () => '/api/v1/items', { sku: 'GOOD', name: 'x', unit: 'pcs' }, 409, 'conflict'],
    ['malformed JSON', 'POST', () => '/api/v1/items', '{"sku": "X",', 400, 'validation'],
    ['JSON that is not an object', 'POST', () => '/api/v1/items', '[1,2]', 422, 'validation'],
    ['precision change of a used item', 'PATCH', () => `/api/v1/items/${itemId}`, { unitPrecision: 2 }, 409, 'conflict'],
    ['patch of unknown item', 'PATCH', () => '/api/v1/items/99999', { name: 'x' }, 404, 'not-found'],
    ['patch with bad id', 'PATCH', () => '/api/v1/items/abc', { name: 'x' }, 422, 'validation', 'params.id'],
    ['warehouse with bad code', 'POST', () => '/api/v1/warehouses', { code: 'W 3', name: 'x' }, 422, 'validation', 'code'],
    ['existing warehouse', 'POST', () => '/api/v1/warehouses', { code: 'W1', name: 'x' }, 409, 'conflict'],
    ['bin under unknown parent', 'POST', () => `/api/v1/warehouses/${warehouseId}/locations`, { code: 'B', kind: 'bin', parent: 'W1/Stock/nope' }, 422, 'validation', 'parent'],
    ['location of unknown kind', 'POST', () => `/api/v1/warehouses/${warehouseId}/locations`, { code: 'B', kind: 'shelf' }, 422, 'validation', 'kind'],
    ['location in unknown warehouse', 'POST', () => '/api/v1/warehouses/99999/locations', { code: 'B', kind: 'bin' }, 404, 'not-found'],
    ['adjustment in unknown warehouse', 'POST', () => '/api/v1/inventory-adjustments', { warehouse: 'NOPE', lines: [{ sku: 'GOOD', quantity: 1 }] }, 422, 'validation', 'warehouse'],
    ['adjustment of unknown sku', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1 }, { sku: 'NOPE', quantity: 1 }]), 422, 'validation', 'lines.1.sku'],
    ['adjustment with too many decimals', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1 }, { sku: 'KG', quantity: 1.005 }]), 422, 'validation', 'lines.1.quantity'],
    ['adjustment with a decimal for a whole unit', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 0.5 }]), 422, 'validation', 'lines.0.quantity'],
    ['adjustment of zero', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 0 }]), 422, 'validation', 'lines.0.quantity'],
    ['adjustment with a string quantity', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: '5' }]), 422, 'validation', 'lines.0.quantity'],
    ['adjustment with a huge quantity', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1e15 }]), 422, 'validation', 'lines.0.quantity'],
    ['adjustment without lines', 'POST', () => '/api/v1/inventory-adjustments', adj([]), 422, 'validation', 'lines'],
    ['adjustment whose value is out of range', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 10_000_000, unitCost: 10_000_000 }]), 422, 'validation', 'lines.0.unitCost'],
    ['adjustment taking out stock that arrives in the same posting', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'KG', quantity: 5 }, { sku: 'KG', quantity: -6 }]), 409, 'insufficient-stock', 'lines.1.quantity'],
    ['adjustment with a negative cost', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1, unitCost: -1 }]), 422, 'validation', 'lines.0.unitCost'],
    ['adjustment with a bad date', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'LOT', quantity: 1, lot: 'L', expiresOn: '2026-02-30' }]), 422, 'validation', 'lines.0.expiresOn'],
    ['adjustment with a lot for an untracked item', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1, lot: 'L' }]), 422, 'validation', 'lines.0.lot'],
    ['adjustment in an unknown bin', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1 }], { location: 'W1/Stock/Z9' }), 422, 'validation', 'location'],
    ['adjustment in another warehouse\'s location', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1 }], { location: 'W2/Stock' }), 422, 'validation', 'location'],
    ['serial already in stock', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'GOOD', quantity: 1 }, { sku: 'SER', quantity: 1, lot: 'S1' }]), 409, 'conflict'],
    ['removing more than available (reserved counts)', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'KG', quantity: 1 }, { sku: 'GOOD', quantity: -8 }]), 409, 'insufficient-stock', 'lines.1.quantity'],
    ['removing a lot that does not exist', 'POST', () => '/api/v1/inventory-adjustments', adj([{ sku: 'LOT', quantity: -1, lot: 'NOPE' }]), 409, 'insufficient-stock'],
    ['order for unknown customer type', 'POST', () => '/api/v1/sales-orders', { customer: 5, warehouse: 'W1', lines: [{ sku: 'GOOD', quantity: 1 }] }, 422, 'validation', 'customer'],
    ['order with negative quantity', 'POST', () => '/api/v1/sales-orders', { customer: 'C', warehouse: 'W1', lines: [{ sku: 'GOOD', quantity: -1 }] }, 422, 'validation', 'lines.0.quantity'],
    ['order with unknown sku', 'POST', () => '/api/v1/sales-orders', { customer: 'C', warehouse: 'W1', lines: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'validation', 'lines.0.sku'],
    ['order in unknown warehouse', 'POST', () => '/api/v1/sales-orders', { customer: 'C', warehouse: 'NOPE', lines: [{ sku: 'GOOD', quantity: 1 }] }, 422, 'validation', 'warehouse'],
    ['order with too many decimals', 'POST', () => '/api/v1/sales-orders', { customer: 'C', warehouse: 'W1', lines: [{ sku: 'KG', quantity: 0.001 }] }, 422, 'validation', 'lines.0.quantity'],
    ['confirm of unknown order', 'POST', () => '/api/v1/sales-orders/99999/confirm', undefined, 404, 'not-found'],
    ['confirm with a body', 'POST', () => `/api/v1/sales-orders/${orderIds.draft}/confirm`, { force: true }, 422, 'validation', 'force'],
    ['confirm of a confirmed order', 'POST', () => `/api/v1/sales-orders/${orderIds.confirmed}/confirm`, undefined, 409, 'conflict'],
    ['ship of a draft', 'POST', () => `/api/v1/sales-orders/${orderIds.draft}/ship`, undefined, 409, 'conflict'],
    ['ship of a shipped order', 'POST', () => `/api/v1/sales-orders/${orderIds.shipped}/ship`, undefined, 409, 'conflict'],
    ['ship of a cancelled order', 'POST', () => `/api/v1/sales-orders/${orderIds.cancelled}/ship`, undefined, 409, 'conflict'],
    ['cancel of a shipped order', 'POST', () => `/api/v1/sales-orders/${orderIds.shipped}/cancel`, undefined, 409, 'conflict'],
    ['user with short password', 'POST', () => '/api/v1/users', { username: 'u1', password: 'short', role: 'viewer' }, 422, 'validation', 'password'],
    ['user with unknown role', 'POST', () => '/api/v1/users', { username: 'u1', password: 'long-enough', role: 'god' }, 422, 'validation', 'role'],
    ['stock query with unknown parameter', 'GET', () => '/api/v1/stock?colour=red', undefined, 422, 'validation', 'query.colour'],
    ['moves with a bad cursor', 'GET', () => '/api/v1/moves?after=abc', undefined, 422, 'validation', 'query.after'],
    ['moves with a too large page', 'GET', () => '/api/v1/moves?limit=5000', undefined, 422, 'validation', 'query.limit'],
    ['settings with a negative threshold', 'PATCH', () => '/api/v1/settings', { purchaseApprovalThreshold: -1 }, 422, 'validation', 'purchaseApprovalThreshold'],
    ['settings with a string', 'PATCH', () => '/api/v1/settings', { overReceiptTolerancePercent: 'ten' }, 422, 'validation', 'overReceiptTolerancePercent'],
    ['settings with too many decimals', 'PATCH', () => '/api/v1/settings', { countVarianceApprovalThreshold: 0.0000001 }, 422, 'validation', 'countVarianceApprovalThreshold'],
    ['settings with an unknown field', 'PATCH', () => '/api/v1/settings', { colour: 'red' }, 422, 'validation', 'colour'],
    ['warehouse rename of unknown id', 'PATCH', () => '/api/v1/warehouses/99999', { name: 'x' }, 404, 'not-found'],
    ['warehouse rename too long', 'PATCH', () => `/api/v1/warehouses/${warehouseId}`, { name: 'x'.repeat(201) }, 422, 'validation', 'name'],
    ['warehouse code change', 'PATCH', () => `/api/v1/warehouses/${warehouseId}`, { code: 'W9' }, 422, 'validation', 'code'],
    ['item patch with wrong type', 'PATCH', () => `/api/v1/items/${itemId}`, { archived: 'yes' }, 422, 'validation', 'archived'],
    ['item patch with too long barcode', 'PATCH', () => `/api/v1/items/${itemId}`, { barcode: '9'.repeat(65) }, 422, 'validation', 'barcode'],
    ['audit with a bad cursor', 'GET', () => '/api/v1/audit?before=-3', undefined, 422, 'validation', 'query.before'],
    ['unknown route', 'GET', () => '/api/v1/nothing-here', undefined, 404, 'not-found'],
    ['bad idempotency key', 'POST', () => '/api/v1/items', { sku: 'IK', name: 'x', unit: 'pcs' }, 422, 'validation', 'Idempotency-Key'],
  ];

  it.each(cases)('%s: %s answers 4xx and writes nothing', async (_name, method, path, body, status, code, field) => {
    const before = await snapshot(api.db.store);
    const headers: Record<string, string> = _name === 'bad idempotency key' ? { 'idempotency-key': 'has spaces in it' } : {};
    const res = await api.call(method, path(), body, headers);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.type).toMatch(new RegExp(`${code}$`));
    expect(res.body.status).toBe(status);
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    if (field) expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('lets only a role with the right change settings, and writes nothing otherwise', async () => {
    expect((await api.call('POST', '/api/v1/users', { username: 'mgr', password: 'manager-pass-1', role: 'manager' })).status).toBe(201);
    const manager = await api.login('mgr', 'manager-pass-1');
    const before = await snapshot(api.db.store);
    const res = await api.call('PATCH', '/api/v1/settings', { purchaseApprovalThreshold: 1 }, { authorization: `Bearer ${manager}` });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/forbidden$/);
    expect(await snapshot(api.db.store)).toEqual(before);
    expect((await api.call('GET', '/api/v1/settings')).body.purchaseApprovalThreshold).toBe(10000);
  });

  it('refuses a confirm that is short on one line and reserves nothing of the others', async () => {
    const order = await api.call('POST', '/api/v1/sales-orders', { customer: 'C', warehouse: 'W1', lines: [{ sku: 'GOOD', quantity: 1 }, { sku: 'KG', quantity: 2 }] });
    const before = await snapshot(api.db.store);
    const res = await api.call('POST', `/api/v1/sales-orders/${order.body.id}/confirm`);
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/insufficient-stock$/);
    expect(res.body.shortLines).toEqual([{ line: 2, sku: 'KG', requested: 2, available: 1.5 }]);
    expect(await snapshot(api.db.store)).toEqual(before);
  });
});
