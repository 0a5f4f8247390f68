import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';

/**
 * Bad input on every procurement endpoint: a 4xx problem+json with the contract's code and the
 * offending field, and nothing written (the ledger's core tables and procurement's own compared).
 */
describe.each(ENGINES)('procurement bad input on %s', (engine) => {
  let api: TestApi;
  let ids: Record<'draft' | 'submitted' | 'approved' | 'partial' | 'received' | 'cancelled' | 'closed' | 'receipt' | 'otherOrder', number>;

  beforeAll(async () => {
    api = await startTestApi(engine);
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await api.call(method, `${V}${path}`, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await ok('POST', '/items', { sku: 'GOOD', name: 'Good', unit: 'pcs' });
    await ok('POST', '/items', { sku: 'KG', name: 'Kilo', unit: 'kg', unitPrecision: 2 });
    await ok('POST', '/items', { sku: 'LOT', name: 'Lotted', unit: 'pcs', tracking: 'lot' });
    await ok('POST', '/items', { sku: 'SER', name: 'Serial', unit: 'pcs', tracking: 'serial' });
    await ok('POST', '/warehouses', { code: 'W1', name: 'One' });
    await ok('POST', '/warehouses', { code: 'W2', name: 'Two' });
    await ok('POST', '/partners', { code: 'S1', name: 'Supplier one', kind: 'supplier' });
    await ok('POST', '/partners', { code: 'S2', name: 'Supplier two', kind: 'supplier' });
    await ok('POST', '/partners', { code: 'C1', name: 'Customer one', kind: 'customer' });
    const old = await ok('POST', '/partners', { code: 'OLD', name: 'Old supplier', kind: 'supplier' });
    await ok('PATCH', `/partners/${old.id}`, { archived: true });
    const order = async (quantity = 10, price = 1, supplier = 'S1') => (await ok('POST', '/purchase-orders', { supplier, warehouse: 'W1', lines: [{ sku: 'GOOD', quantity, unitPrice: price }, { sku: 'LOT', quantity: 5, unitPrice: 1 }] })).id as number;
    const approved = async () => {
      const id = await order();
      await ok('POST', `/purchase-orders/${id}/submit`);
      return id;
    };
    ids = { draft: await order(), submitted: await order(100, 1000), approved: await approved(), partial: await approved(), received: await approved(), cancelled: await approved(), closed: await approved(), receipt: 0, otherOrder: 0 };
    await ok('POST', `/purchase-orders/${ids.submitted}/submit`);
    ids.receipt = (await ok('POST', '/receipts', { purchaseOrder: ids.partial, lines: [{ line: 1, quantity: 4 }, { line: 2, quantity: 5, lot: 'L1' }] })).id;
    await ok('POST', `/receipts/${ids.receipt}/inspect`, { lines: [{ line: 2, accept: 4, reject: 1 }] });
    await ok('POST', '/receipts', { purchaseOrder: ids.received, lines: [{ line: 1, quantity: 10 }, { line: 2, quantity: 5, lot: 'L2' }] });
    await ok('POST', `/purchase-orders/${ids.cancelled}/cancel`);
    await ok('POST', `/purchase-orders/${ids.closed}/close`);
    ids.otherOrder = await order(1, 1, 'S2');
  });
  afterAll(async () => {
    await api?.close();
  });

  const text = (rows: unknown) => JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  const written = async () => {
    const db = api.db.store.read;
    const mine: Record<string, string> = {};
    for (const t of ['partners', 'purchase_orders', 'purchase_order_lines', 'receipts', 'receipt_lines', 'inspections', 'inspection_lines', 'supplier_returns', 'supplier_return_lines'] as const) {
      mine[t] = String((await db.selectFrom(t).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    }
    const orders = await db.selectFrom('purchase_orders').select(['id', 'status', 'updated_at']).orderBy('id').execute();
    const lines = await db.selectFrom('purchase_order_lines').select(['id', 'received']).orderBy('id').execute();
    const partners = await db.selectFrom('partners').select(['id', 'updated_at']).orderBy('id').execute();
    return { core: await snapshot(api.db.store), mine, orders: text(orders), lines: lines.map((l) => `${l.id}:${l.received}`), partners: text(partners) };
  };

  const po = (lines: unknown, extra: Record<string, unknown> = {}) => ({ supplier: 'S1', warehouse: 'W1', lines, ...extra });
  const receive = (orderId: () => number, lines: unknown, extra: Record<string, unknown> = {}) => () => ({ purchaseOrder: orderId(), lines, ...extra });
  const cases: Array<[string, string, () => string, unknown, number, string, string?]> = [
    // [name, method, path, body (a function is called at run time), status, code, field]
    ['partner without code', 'POST', () => '/partners', { name: 'x', kind: 'supplier' }, 422, 'validation', 'code'],
    ['partner with a bad code', 'POST', () => '/partners', { code: 'A B', name: 'x', kind: 'supplier' }, 422, 'validation', 'code'],
    ['partner of unknown kind', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'vendor' }, 422, 'validation', 'kind'],
    ['partner with an unknown field', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'supplier', vat: '1' }, 422, 'validation', 'vat'],
    ['partner with negative lead time', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'supplier', leadTimeDays: -1 }, 422, 'validation', 'leadTimeDays'],
    ['partner with fractional payment terms', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'supplier', paymentTermsDays: 1.5 }, 422, 'validation', 'paymentTermsDays'],
    ['partner contact without a name', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'supplier', contacts: [{ phone: '123456' }] }, 422, 'validation', 'contacts.0.name'],
    ['partner contact with a bad phone', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'supplier', contacts: [{ name: 'a', phone: 'call me' }] }, 422, 'validation', 'contacts.0.phone'],
    ['partner address without line1', 'POST', () => '/partners', { code: 'P', name: 'x', kind: 'supplier', addresses: [{ city: 'Shanghai' }] }, 422, 'validation', 'addresses.0.line1'],
    ['existing partner code', 'POST', () => '/partners', { code: 'S1', name: 'x', kind: 'supplier' }, 409, 'conflict'],
    ['patch of unknown partner', 'PATCH', () => '/partners/99999', { name: 'x' }, 404, 'not-found'],
    ['patch of a partner code', 'PATCH', () => '/partners/1', { code: 'NEW' }, 422, 'validation', 'code'],
    ['partner list with unknown kind', 'GET', () => '/partners?kind=vendor', undefined, 422, 'validation', 'query.kind'],
    ['unknown partner', 'GET', () => '/partners/99999', undefined, 404, 'not-found'],

    ['order from an unknown supplier', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1 }], { supplier: 'NOPE' }), 422, 'validation', 'supplier'],
    ['order from a customer', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1 }], { supplier: 'C1' }), 422, 'validation', 'supplier'],
    ['order from an archived supplier', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1 }], { supplier: 'OLD' }), 422, 'validation', 'supplier'],
    ['order into an unknown warehouse', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1 }], { warehouse: 'NOPE' }), 422, 'validation', 'warehouse'],
    ['order of an unknown sku', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1 }, { sku: 'NOPE', quantity: 1, unitPrice: 1 }]), 422, 'validation', 'lines.1.sku'],
    ['order with too many decimals', 'POST', () => '/purchase-orders', po([{ sku: 'KG', quantity: 1.005, unitPrice: 1 }]), 422, 'validation', 'lines.0.quantity'],
    ['order of zero', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 0, unitPrice: 1 }]), 422, 'validation', 'lines.0.quantity'],
    ['order with a negative price', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: -1 }]), 422, 'validation', 'lines.0.unitPrice'],
    ['order with a price of 7 decimals', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 0.0000001 }]), 422, 'validation', 'lines.0.unitPrice'],
    ['order whose value is out of range', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 10_000_000, unitPrice: 10_000_000 }]), 422, 'validation', 'lines.0.unitPrice'],
    ['order with a date that does not exist', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1, expectedOn: '2030-02-30' }], { expectedOn: '2030-13-01' }), 422, 'validation', 'lines.0.expectedOn'],
    ['order with a badly written date', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: 1, unitPrice: 1 }], { expectedOn: '1 May' }), 422, 'validation', 'expectedOn'],
    ['order without lines', 'POST', () => '/purchase-orders', po([]), 422, 'validation', 'lines'],
    ['order with a string quantity', 'POST', () => '/purchase-orders', po([{ sku: 'GOOD', quantity: '1', unitPrice: 1 }]), 422, 'validation', 'lines.0.quantity'],
    ['patch of a submitted order', 'PATCH', () => `/purchase-orders/${ids.submitted}`, { notes: 'x' }, 409, 'conflict'],
    ['patch of a draft with a bad line', 'PATCH', () => `/purchase-orders/${ids.draft}`, { lines: [{ sku: 'KG', quantity: 0.001, unitPrice: 1 }] }, 422, 'validation', 'lines.0.quantity'],
    ['patch of an unknown order', 'PATCH', () => '/purchase-orders/99999', { notes: 'x' }, 404, 'not-found'],
    ['submit of an unknown order', 'POST', () => '/purchase-orders/99999/submit', undefined, 404, 'not-found'],
    ['submit of a submitted order', 'POST', () => `/purchase-orders/${ids.submitted}/submit`, undefined, 409, 'conflict'],
    ['submit with a body', 'POST', () => `/purchase-orders/${ids.draft}/submit`, { force: true }, 422, 'validation', 'force'],
    ['approve of a draft', 'POST', () => `/purchase-orders/${ids.draft}/approve`, undefined, 409, 'conflict'],
    ['approve of your own order', 'POST', () => `/purchase-orders/${ids.submitted}/approve`, undefined, 403, 'forbidden'],
    ['reject without a reason', 'POST', () => `/purchase-orders/${ids.submitted}/reject`, {}, 422, 'validation', 'reason'],
    ['reject of an approved order', 'POST', () => `/purchase-orders/${ids.approved}/reject`, { reason: 'x' }, 409, 'conflict'],
    ['cancel of a partially received order', 'POST', () => `/purchase-orders/${ids.partial}/cancel`, undefined, 409, 'conflict'],
    ['cancel of a received order', 'POST', () => `/purchase-orders/${ids.received}/cancel`, undefined, 409, 'conflict'],
    ['close of a draft', 'POST', () => `/purchase-orders/${ids.draft}/close`, undefined, 409, 'conflict'],
    ['close of a closed order', 'POST', () => `/purchase-orders/${ids.closed}/close`, undefined, 409, 'conflict'],
    ['order list with a bad date', 'GET', () => '/purchase-orders?from=20260101', undefined, 422, 'validation', 'query.from'],
    ['order list with an unknown status', 'GET', () => '/purchase-orders?status=open', undefined, 422, 'validation', 'query.status'],
    ['pdf of an unknown order', 'GET', () => '/purchase-orders/99999/pdf', undefined, 404, 'not-found'],

    ['receipt naming both an order and a customer', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 1, quantity: 1 }], { customer: 'C1' }), 422, 'validation', 'customer'],
    ['receipt naming neither', 'POST', () => '/receipts', { lines: [{ sku: 'GOOD', quantity: 1 }] }, 422, 'validation', 'purchaseOrder'],
    ['receipt line without the order line', 'POST', () => '/receipts', receive(() => ids.approved, [{ sku: 'GOOD', quantity: 1 }]), 422, 'validation', 'lines.0.line'],
    ['receipt of an order line that does not exist', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 9, quantity: 1 }]), 422, 'validation', 'lines.0.line'],
    ['receipt of zero', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 1, quantity: 0 }]), 422, 'validation', 'lines.0.quantity'],
    ['receipt of a tracked item without a lot', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 2, quantity: 1 }]), 422, 'validation', 'lines.0.lot'],
    ['receipt of an untracked item with a lot', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 1, quantity: 1, lot: 'X' }]), 422, 'validation', 'lines.0.lot'],
    ['receipt with an expiry but no lot', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 1, quantity: 1, expiresOn: '2030-01-01' }]), 422, 'validation', 'lines.0.expiresOn'],
    ['receipt into another warehouse than the order\'s', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 1, quantity: 1 }], { warehouse: 'W2' }), 422, 'validation', 'warehouse'],
    ['receipt far beyond the tolerance', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 1, quantity: 12 }]), 422, 'validation', 'lines.0.quantity'],
    ['receipt of a closed order', 'POST', () => '/receipts', receive(() => ids.closed, [{ line: 1, quantity: 1 }]), 409, 'conflict'],
    ['receipt of a received order', 'POST', () => '/receipts', receive(() => ids.received, [{ line: 1, quantity: 1 }]), 409, 'conflict'],
    ['receipt of a lot that expires on another day', 'POST', () => '/receipts', receive(() => ids.approved, [{ line: 2, quantity: 1, lot: 'L1', expiresOn: '2030-01-01' }]), 422, 'validation', 'lines.0.expiresOn'],
    ['customer return from a supplier', 'POST', () => '/receipts', { customer: 'S1', warehouse: 'W1', lines: [{ sku: 'GOOD', quantity: 1 }] }, 422, 'validation', 'customer'],
    ['customer return into an unknown warehouse', 'POST', () => '/receipts', { customer: 'C1', warehouse: 'NOPE', lines: [{ sku: 'GOOD', quantity: 1 }] }, 422, 'validation', 'warehouse'],
    ['customer return of an unknown sku', 'POST', () => '/receipts', { customer: 'C1', warehouse: 'W1', lines: [{ sku: 'NOPE', quantity: 1 }] }, 422, 'validation', 'lines.0.sku'],
    ['customer return of two units of a serial', 'POST', () => '/receipts', { customer: 'C1', warehouse: 'W1', lines: [{ sku: 'SER', quantity: 2, lot: 'S9' }] }, 422, 'validation', 'lines.0.quantity'],
    ['receipt list with unknown inspection status', 'GET', () => '/receipts?inspectionStatus=done', undefined, 422, 'validation', 'query.inspectionStatus'],
    ['unknown receipt', 'GET', () => '/receipts/99999', undefined, 404, 'not-found'],
    ['inspection of an unknown receipt', 'POST', () => '/receipts/99999/inspect', { lines: [{ line: 1, accept: 1 }] }, 404, 'not-found'],
    ['inspection of an unknown line', 'POST', () => `/receipts/${ids.receipt}/inspect`, { lines: [{ line: 7, accept: 1 }] }, 422, 'validation', 'lines.0.line'],
    ['inspection of nothing', 'POST', () => `/receipts/${ids.receipt}/inspect`, { lines: [{ line: 1, accept: 0, reject: 0 }] }, 422, 'validation', 'lines.0.accept'],
    ['inspection of more than is uninspected', 'POST', () => `/receipts/${ids.receipt}/inspect`, { lines: [{ line: 1, accept: 3, reject: 2 }] }, 422, 'validation', 'lines.0.reject'],
    ['inspection of an inspected line', 'POST', () => `/receipts/${ids.receipt}/inspect`, { lines: [{ line: 2, accept: 1 }] }, 422, 'validation', 'lines.0.accept'],
    ['inspection without lines', 'POST', () => `/receipts/${ids.receipt}/inspect`, { lines: [] }, 422, 'validation', 'lines'],

    ['return to an unknown supplier', 'POST', () => '/supplier-returns', { supplier: 'NOPE', warehouse: 'W1', lines: [{ sku: 'LOT', quantity: 1, lot: 'L1' }] }, 422, 'validation', 'supplier'],
    ['return to a customer', 'POST', () => '/supplier-returns', { supplier: 'C1', warehouse: 'W1', lines: [{ sku: 'LOT', quantity: 1, lot: 'L1' }] }, 422, 'validation', 'supplier'],
    ['return tied to another supplier\'s order', 'POST', () => '/supplier-returns', () => ({ supplier: 'S1', warehouse: 'W1', purchaseOrder: ids.otherOrder, lines: [{ sku: 'LOT', quantity: 1, lot: 'L1' }] }), 422, 'validation', 'purchaseOrder'],
    ['return tied to an unknown order', 'POST', () => '/supplier-returns', { supplier: 'S1', warehouse: 'W1', purchaseOrder: 99999, lines: [{ sku: 'LOT', quantity: 1, lot: 'L1' }] }, 422, 'validation', 'purchaseOrder'],
    ['return of more than was rejected', 'POST', () => '/supplier-returns', { supplier: 'S1', warehouse: 'W1', lines: [{ sku: 'LOT', quantity: 2, lot: 'L1' }] }, 409, 'insufficient-stock', 'lines.0.quantity'],
    ['return of accepted stock', 'POST', () => '/supplier-returns', { supplier: 'S1', warehouse: 'W1', lines: [{ sku: 'GOOD', quantity: 1 }] }, 409, 'insufficient-stock', 'lines.0.quantity'],
    ['return of a lot that does not exist', 'POST', () => '/supplier-returns', { supplier: 'S1', warehouse: 'W1', lines: [{ sku: 'LOT', quantity: 1, lot: 'NOPE' }] }, 409, 'insufficient-stock', 'lines.0.lot'],
    ['return of a tracked item without a lot', 'POST', () => '/supplier-returns', { supplier: 'S1', warehouse: 'W1', lines: [{ sku: 'LOT', quantity: 1 }] }, 422, 'validation', 'lines.0.lot'],
    ['return with too many decimals', 'POST', () => '/supplier-returns', { supplier: 'S1', warehouse: 'W1', lines: [{ sku: 'KG', quantity: 0.001 }] }, 422, 'validation', 'lines.0.quantity'],
    ['unknown supplier return', 'GET', () => '/supplier-returns/99999', undefined, 404, 'not-found'],
  ];

  it.each(cases)('%s: %s answers 4xx and writes nothing', async (_name, method, path, body, status, code, field) => {
    const before = await written();
    const res = await api.call(method, `${V}${path()}`, typeof body === 'function' ? (body as () => unknown)() : body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.type).toMatch(new RegExp(`${code}$`));
    expect(typeof res.body.detail).toBe('string');
    if (field) expect(res.body.errors?.map((e: { field: string }) => e.field)).toContain(field);
    expect(await written()).toEqual(before);
  });
});
