import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';

/** The stock summary puts balances and expected supply (purchase orders, transfers) side by side. */
describe.each(ENGINES)('stock summary on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine);
  });
  afterAll(async () => {
    await api?.close();
  });

  const summary = async (query: string) => {
    const res = await api.call('GET', `/api/v1/stock/summary?${query}`);
    expect(res.status).toBe(200);
    return res.body.items as Array<{ sku: string; warehouse: string; onHand: number; reserved: number; available: number; unavailable: number; incoming: number; nextIncomingOn: string | null }>;
  };

  it('shows on hand, reserved, available and incoming per warehouse', async () => {
    const ok = (res: { status: number; body: unknown }, status = 201) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      return res.body as any;
    };
    ok(await api.call('POST', '/api/v1/items', { sku: 'SUM', name: 'Summed', unit: 'pcs' }));
    ok(await api.call('POST', '/api/v1/warehouses', { code: 'S1', name: 'One' }));
    ok(await api.call('POST', '/api/v1/warehouses', { code: 'S2', name: 'Two' }));
    ok(await api.call('POST', '/api/v1/partners', { code: 'SUPS', name: 'Supplier', kind: 'supplier' }));
    ok(await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'S1', lines: [{ sku: 'SUM', quantity: 30, unitCost: 1 }] }));
    const order = ok(await api.call('POST', '/api/v1/sales-orders', { customer: 'c', warehouse: 'S1', lines: [{ sku: 'SUM', quantity: 5 }] }));
    ok(await api.call('POST', `/api/v1/sales-orders/${order.id}/confirm`), 200);

    // A purchase order under the approval threshold is approved on submit and becomes incoming.
    const po = ok(await api.call('POST', '/api/v1/purchase-orders', { supplier: 'SUPS', warehouse: 'S1', expectedOn: '2030-05-01', lines: [{ sku: 'SUM', quantity: 40, unitPrice: 1, expectedOn: '2030-04-20' }] }));
    expect(ok(await api.call('POST', `/api/v1/purchase-orders/${po.id}/submit`), 200).status).toBe('approved');
    expect(await summary('sku=SUM&warehouse=S1')).toEqual([
      { sku: 'SUM', warehouse: 'S1', onHand: 30, reserved: 5, available: 25, unavailable: 0, incoming: 40, nextIncomingOn: '2030-04-20' },
    ]);

    // Receiving 15 puts them on hand in Input (not available) and lowers what is still expected.
    const receipt = ok(await api.call('POST', '/api/v1/receipts', { purchaseOrder: po.id, lines: [{ line: 1, quantity: 15 }] }));
    expect(await summary('sku=SUM&warehouse=S1')).toEqual([
      { sku: 'SUM', warehouse: 'S1', onHand: 45, reserved: 5, available: 25, unavailable: 15, incoming: 25, nextIncomingOn: '2030-04-20' },
    ]);
    ok(await api.call('POST', `/api/v1/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 15 }] }));

    // A transfer on its way to S2 is incoming there.
    const transfer = ok(await api.call('POST', '/api/v1/transfers', { from: 'S1', to: 'S2', expectedOn: '2030-01-15', lines: [{ sku: 'SUM', quantity: 10 }] }));
    ok(await api.call('POST', `/api/v1/transfers/${transfer.id}/ship`), 200);
    expect(await summary('sku=SUM')).toEqual([
      { sku: 'SUM', warehouse: 'S1', onHand: 35, reserved: 5, available: 30, unavailable: 0, incoming: 25, nextIncomingOn: '2030-04-20' },
      { sku: 'SUM', warehouse: 'S2', onHand: 0, reserved: 0, available: 0, unavailable: 0, incoming: 10, nextIncomingOn: '2030-01-15' },
    ]);
    expect(await summary('sku=NOPE')).toEqual([]);
    expect(await summary('warehouse=NOPE')).toEqual([]);
    expect((await api.call('GET', '/api/v1/stock/summary?bogus=1')).status).toBe(422);
  });
});
