import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScaled } from '../src/core/decimal.js';
import { openPurchaseSupply } from '../src/modules/procurement/supply.js';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';
const PROCUREMENT_TABLES = ['partners', 'purchase_orders', 'purchase_order_lines', 'receipts', 'receipt_lines', 'inspections', 'inspection_lines', 'supplier_returns', 'supplier_return_lines'] as const;

/** Procure-to-stock over HTTP on both engines: partners, purchase orders, receiving, inspection, returns. */
describe.each(ENGINES)('procurement on %s', (engine) => {
  let api: TestApi;
  let asPurchaser: Record<string, string>;
  let asManager: Record<string, string>;
  let asClerk: Record<string, string>;
  let warehouseId: number;

  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const item of [
      { sku: 'BOLT', name: '螺栓 M8', unit: 'pcs' },
      { sku: 'OIL', name: 'Oil', unit: 'l', unitPrecision: 2 },
      { sku: 'MILK', name: 'Milk', unit: 'box', tracking: 'lot' },
      { sku: 'PHONE', name: 'Phone', unit: 'pcs', tracking: 'serial' },
    ]) expect((await api.call('POST', `${V}/items`, item)).status).toBe(201);
    warehouseId = (await api.call('POST', `${V}/warehouses`, { code: 'WH1', name: 'Main' })).body.id;
    await api.call('POST', `${V}/warehouses`, { code: 'WH2', name: 'Second' });
    expect((await api.call('POST', `${V}/partners`, { code: 'SUP1', name: '上海螺丝有限公司', kind: 'supplier', paymentTermsDays: 30, leadTimeDays: 7 })).status).toBe(201);
    expect((await api.call('POST', `${V}/partners`, { code: 'CUS1', name: 'Retail Customer', kind: 'customer' })).status).toBe(201);
    for (const [username, role] of [['pat', 'purchaser'], ['mia', 'manager'], ['cleo', 'clerk']]) {
      expect((await api.call('POST', `${V}/users`, { username, password: `${username}-password`, role })).status).toBe(201);
    }
    asPurchaser = { authorization: `Bearer ${await api.login('pat', 'pat-password')}` };
    asManager = { authorization: `Bearer ${await api.login('mia', 'mia-password')}` };
    asClerk = { authorization: `Bearer ${await api.login('cleo', 'cleo-password')}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Everything a refused request could have written: the ledger's core tables and ours. */
  const written = async () => {
    const db = api.db.store.read;
    const counts: Record<string, number> = {};
    for (const t of PROCUREMENT_TABLES) counts[t] = Number((await db.selectFrom(t).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const orders = await db.selectFrom('purchase_orders').select(['id', 'status']).orderBy('id').execute();
    const lines = await db.selectFrom('purchase_order_lines').select(['id', 'received']).orderBy('id').execute();
    const receipts = await db.selectFrom('receipt_lines').select(['id', 'accepted', 'rejected']).orderBy('id').execute();
    return { core: await snapshot(api.db.store), counts, orders: orders.map((o) => `${o.id}:${o.status}`), lines: lines.map((l) => `${l.id}:${l.received}`), receipts: receipts.map((r) => `${r.id}:${r.accepted}/${r.rejected}`) };
  };

  const stockOf = async (sku: string) => {
    const res = await api.call('GET', `${V}/stock?sku=${sku}&nonZero=true`);
    expect(res.status).toBe(200);
    return res.body.items as Array<{ location: string; lot: string | null; onHand: number; reserved: number; available: number }>;
  };
  const at = (rows: Awaited<ReturnType<typeof stockOf>>, location: string, lot: string | null = null) => rows.find((r) => r.location === location && r.lot === lot);

  /** A PO created, submitted and (if it needs it) approved by someone else. */
  const approvedOrder = async (lines: unknown[], extra: Record<string, unknown> = {}) => {
    const created = await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines, ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const submitted = await api.call('POST', `${V}/purchase-orders/${created.body.id}/submit`);
    expect(submitted.status).toBe(200);
    if (submitted.body.status === 'submitted') expect((await api.call('POST', `${V}/purchase-orders/${created.body.id}/approve`, undefined, asManager)).status).toBe(200);
    return created.body.id as number;
  };

  it('creates, finds, updates and archives partners; codes are unique', async () => {
    const created = await api.call('POST', `${V}/partners`, {
      code: 'ACME', name: 'Acme Trading', kind: 'both', paymentTermsDays: 45, leadTimeDays: 10,
      contacts: [{ name: 'Li Wei', phone: '+86 21 5555 0101', email: 'li.wei@acme.example', role: 'sales' }],
      addresses: [{ label: 'HQ', line1: '1 Nanjing Rd', city: 'Shanghai', postalCode: '200000', country: 'CN' }],
    }, asPurchaser);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(Number), code: 'ACME', kind: 'both', paymentTermsDays: 45, leadTimeDays: 10, archived: false, contacts: [{ name: 'Li Wei', email: 'li.wei@acme.example' }], addresses: [{ city: 'Shanghai' }] });
    const id = created.body.id as number;

    const dup = await api.call('POST', `${V}/partners`, { code: 'ACME', name: 'Other', kind: 'supplier' });
    expect(dup.status).toBe(409);
    expect(dup.body.type).toMatch(/conflict$/);
    expect((await api.call('POST', `${V}/partners`, { code: 'BAD', name: 'x', kind: 'vendor' })).status).toBe(422);
    const badEmail = await api.call('POST', `${V}/partners`, { code: 'BAD', name: 'x', kind: 'supplier', contacts: [{ name: 'a', email: 'not-mail' }] });
    expect(badEmail.status).toBe(422);
    expect(badEmail.body.errors[0].field).toBe('contacts.0.email');
    expect((await api.call('POST', `${V}/partners`, { code: 'V1', name: 'x', kind: 'supplier' }, asClerk)).status).toBe(403);

    expect((await api.call('GET', `${V}/partners/${id}`, undefined, asClerk)).body.name).toBe('Acme Trading');
    expect((await api.call('GET', `${V}/partners/999999`)).status).toBe(404);
    const codes = async (query: string) => ((await api.call('GET', `${V}/partners?${query}`)).body.items as Array<{ code: string }>).map((p) => p.code);
    expect(await codes('q=acme')).toEqual(['ACME']);
    expect(await codes('q=螺丝')).toEqual(['SUP1']);
    expect(await codes('kind=supplier')).toEqual(['SUP1', 'ACME']);
    expect(await codes('kind=customer')).toEqual(['CUS1', 'ACME']);
    expect(await codes('kind=both')).toEqual(['ACME']);
    const page = await api.call('GET', `${V}/partners?limit=1`);
    expect(page.body.items).toHaveLength(1);
    expect((await codes(`limit=1&after=${page.body.next}`))).toEqual(['CUS1']);

    const patched = await api.call('PATCH', `${V}/partners/${id}`, { name: 'Acme Trading Ltd', leadTimeDays: 12, contacts: [] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Acme Trading Ltd', leadTimeDays: 12, contacts: [], paymentTermsDays: 45 });
    expect((await api.call('PATCH', `${V}/partners/${id}`, { code: 'X' })).status).toBe(422);
    expect((await api.call('PATCH', `${V}/partners/${id}`, { archived: true })).body.archived).toBe(true);
    expect(await codes('q=acme')).toEqual([]);
    expect(await codes('q=acme&includeArchived=true')).toEqual(['ACME']);

    // An archived supplier, or a customer, cannot be on a purchase order.
    const before = await written();
    for (const supplier of ['ACME', 'CUS1', 'NOPE']) {
      const refused = await api.call('POST', `${V}/purchase-orders`, { supplier, warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 1, unitPrice: 1 }] });
      expect(refused.status, supplier).toBe(422);
      expect(refused.body.errors[0].field).toBe('supplier');
    }
    expect(await written()).toEqual(before);
  });

  it('needs a second person to approve an order above the threshold; rejection sends it back to draft', async () => {
    const created = await api.call('POST', `${V}/purchase-orders`, {
      supplier: 'SUP1', warehouse: 'WH1', expectedOn: '2030-05-01', notes: 'urgent',
      lines: [{ sku: 'BOLT', quantity: 1000, unitPrice: 12.5 }, { sku: 'OIL', quantity: 2.5, unitPrice: 8.4, expectedOn: '2030-05-10' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ number: expect.stringMatching(/^PO-\d{6}$/), status: 'draft', supplier: 'SUP1', supplierName: '上海螺丝有限公司', warehouse: 'WH1', total: 12521, autoApproved: false });
    expect(created.body.lines[1]).toMatchObject({ line: 2, sku: 'OIL', quantity: 2.5, unitPrice: 8.4, amount: 21, expectedOn: '2030-05-10', received: 0, remaining: 0 });
    const id = created.body.id as number;

    const submitted = await api.call('POST', `${V}/purchase-orders/${id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    expect((await api.call('PATCH', `${V}/purchase-orders/${id}`, { notes: 'x' })).status).toBe(409);

    const own = await api.call('POST', `${V}/purchase-orders/${id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.type).toMatch(/forbidden$/);
    expect(own.body.detail).toMatch(/you created PO-\d+: someone else with purchase\.approve must approve it/);
    expect((await api.call('POST', `${V}/purchase-orders/${id}/approve`, undefined, asClerk)).status).toBe(403);

    const noReason = await api.call('POST', `${V}/purchase-orders/${id}/reject`, {}, asPurchaser);
    expect(noReason.status).toBe(422);
    const rejected = await api.call('POST', `${V}/purchase-orders/${id}/reject`, { reason: 'too many bolts' }, asPurchaser);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'draft', rejectionReason: 'too many bolts', rejectedBy: expect.any(Number) });

    const edited = await api.call('PATCH', `${V}/purchase-orders/${id}`, { lines: [{ sku: 'BOLT', quantity: 900, unitPrice: 12.5 }], expectedOn: null });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ total: 11250, expectedOn: null, lines: [expect.objectContaining({ sku: 'BOLT', quantity: 900 })] });
    expect((await api.call('POST', `${V}/purchase-orders/${id}/submit`)).body.status).toBe('submitted');
    const approved = await api.call('POST', `${V}/purchase-orders/${id}/approve`, undefined, asPurchaser);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', autoApproved: false, approvedBy: expect.any(Number), lines: [expect.objectContaining({ remaining: 900 })] });
    expect((await api.call('POST', `${V}/purchase-orders/${id}/approve`, undefined, asManager)).status).toBe(409);

    // Audit and outbox come from the commands' outcomes.
    const audit = await api.call('GET', `${V}/audit?action=purchase.approve&targetId=${id}`);
    expect(audit.body.items).toHaveLength(1);
    const events = await api.db.store.read.selectFrom('outbox_events').select('type').where('type', 'like', 'purchase-order.%').execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['purchase-order.created', 'purchase-order.submitted', 'purchase-order.rejected', 'purchase-order.updated', 'purchase-order.approved']));
  });

  it('approves an order at or below the threshold on submit, and records that', async () => {
    await api.call('PATCH', `${V}/settings`, { purchaseApprovalThreshold: 500 });
    const created = await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 100, unitPrice: 5 }] }, asPurchaser);
    const submitted = await api.call('POST', `${V}/purchase-orders/${created.body.id}/submit`, undefined, asPurchaser);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'approved', autoApproved: true, approvedBy: null, approvedAt: expect.any(String) });
    const above = await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 100, unitPrice: 5.01 }] });
    expect((await api.call('POST', `${V}/purchase-orders/${above.body.id}/submit`)).body.status).toBe('submitted');
    await api.call('PATCH', `${V}/settings`, { purchaseApprovalThreshold: 10000 });
    const audit = await api.call('GET', `${V}/audit?action=purchase.submit&targetId=${created.body.id}`);
    expect(audit.body.items[0].detail).toMatchObject({ autoApproved: true, total: 500, threshold: 500 });
  });

  it('receives partially and again, allows over-receipt within tolerance and refuses beyond it, writing nothing', async () => {
    const id = await approvedOrder([{ sku: 'BOLT', quantity: 100, unitPrice: 2.5 }, { sku: 'OIL', quantity: 10, unitPrice: 4 }]);
    const first = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 60 }] }, asClerk);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ number: expect.stringMatching(/^GR-\d{6}$/), kind: 'purchase', purchaseOrder: id, partner: 'SUP1', warehouse: 'WH1', inspectionStatus: 'pending' });
    // Clerks do not see costs (docs/security.md): the clerk's answer carries them as null, the admin reads them.
    expect(first.body.lines).toEqual([expect.objectContaining({ line: 1, orderLine: 1, sku: 'BOLT', quantity: 60, unitCost: null, accepted: 0, rejected: 0, uninspected: 60 })]);
    expect(first.body.moves).toEqual([expect.objectContaining({ from: 'Partners/Suppliers', to: 'WH1/Input', quantity: 60, unitCost: null, value: null })]);
    const firstAsAdmin = (await api.call('GET', `${V}/receipts/${first.body.id}`)).body;
    expect(firstAsAdmin.lines).toEqual([expect.objectContaining({ line: 1, orderLine: 1, sku: 'BOLT', quantity: 60, unitCost: 2.5 })]);
    expect(firstAsAdmin.moves).toEqual([expect.objectContaining({ from: 'Partners/Suppliers', to: 'WH1/Input', quantity: 60, unitCost: 2.5, value: 150 })]);
    let order = (await api.call('GET', `${V}/purchase-orders/${id}`)).body;
    expect(order.status).toBe('partially_received');
    expect(order.lines.map((l: { received: number; remaining: number }) => [l.received, l.remaining])).toEqual([[60, 40], [0, 10]]);

    const second = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 45 }, { line: 2, quantity: 4.25 }] });
    expect(second.status).toBe(201); // 105 of 100: within the default 10% tolerance
    order = (await api.call('GET', `${V}/purchase-orders/${id}`)).body;
    expect(order.lines.map((l: { received: number; remaining: number }) => [l.received, l.remaining])).toEqual([[105, 0], [4.25, 5.75]]);
    expect(order.receipts).toHaveLength(2);
    expect(order.moves).toHaveLength(3);

    const before = await written();
    const beyond = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 2, quantity: 1 }, { line: 1, quantity: 3 }, { line: 1, quantity: 3 }] });
    expect(beyond.status).toBe(422);
    expect(beyond.body.errors).toEqual([{ field: 'lines.2.quantity', message: expect.stringContaining('line 1 (BOLT): 111 received in total would exceed the 100 ordered') }]);
    expect(beyond.body.detail).toMatch(/at most 110/);
    const decimals = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 2, quantity: 1.001 }, { line: 3, quantity: 1 }] });
    expect(decimals.status).toBe(422);
    expect(decimals.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines.0.quantity', 'lines.1.line']);
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, sku: 'OIL', quantity: 1 }] })).status).toBe(422);
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1 }] }, asPurchaser)).status).toBe(403);
    expect(await written()).toEqual(before);

    const lastBody = { purchaseOrder: id, lines: [{ line: 1, quantity: 5 }, { line: 2, quantity: 5.75 }] };
    const last = await api.call('POST', `${V}/receipts`, lastBody, { 'idempotency-key': `receipt-${id}-last` });
    expect(last.status).toBe(201);
    // A retried receipt (same Idempotency-Key) answers the first response and receives nothing twice.
    const replay = await api.call('POST', `${V}/receipts`, lastBody, { 'idempotency-key': `receipt-${id}-last` });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(last.body.id);
    order = (await api.call('GET', `${V}/purchase-orders/${id}`)).body;
    expect(order).toMatchObject({ status: 'received', receivedAt: expect.any(String) });
    const full = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 2, quantity: 0.5 }] });
    expect(full.status).toBe(409);

    const rows = await stockOf('BOLT');
    expect(at(rows, 'WH1/Input')).toMatchObject({ onHand: 110, available: 0 });
    const events = await api.db.store.read.selectFrom('outbox_events').select('type').where('type', 'in', ['receipt.posted', 'purchase-order.received']).execute();
    expect(events.filter((e) => e.type === 'receipt.posted')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'purchase-order.received')).toHaveLength(1);
  });

  it('refuses to receive a cancelled, draft or unapproved order with 409, writing nothing', async () => {
    const draft = (await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 10, unitPrice: 2000 }] })).body.id;
    const submitted = (await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 10, unitPrice: 2000 }] })).body.id;
    await api.call('POST', `${V}/purchase-orders/${submitted}/submit`);
    const cancelled = await approvedOrder([{ sku: 'BOLT', quantity: 10, unitPrice: 1 }]);
    const cancel = await api.call('POST', `${V}/purchase-orders/${cancelled}/cancel`, { reason: 'supplier out of stock' });
    expect(cancel.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });

    const before = await written();
    for (const [id, status] of [[cancelled, 'cancelled'], [draft, 'draft'], [submitted, 'submitted']] as const) {
      const refused = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1 }] });
      expect(refused.status, status).toBe(409);
      expect(refused.body.type).toMatch(/conflict$/);
      expect(refused.body.detail).toContain(`is ${status}`);
      expect(refused.body.currentStatus).toBe(status);
    }
    const unknown = await api.call('POST', `${V}/receipts`, { purchaseOrder: 999999, lines: [{ line: 1, quantity: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('purchaseOrder');
    expect((await api.call('POST', `${V}/purchase-orders/${cancelled}/cancel`)).status).toBe(409);
    expect((await api.call('POST', `${V}/purchase-orders/${cancelled}/close`)).status).toBe(409);
    expect(await written()).toEqual(before);

    // Once something was received, an order cannot be cancelled any more.
    const received = await approvedOrder([{ sku: 'BOLT', quantity: 10, unitPrice: 1 }]);
    await api.call('POST', `${V}/receipts`, { purchaseOrder: received, lines: [{ line: 1, quantity: 2 }] });
    const late = await api.call('POST', `${V}/purchase-orders/${received}/cancel`);
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/partially received/);
  });

  it('receives lots and serials: a serial at most once, and never one already in stock', async () => {
    const id = await approvedOrder([{ sku: 'PHONE', quantity: 3, unitPrice: 800 }, { sku: 'MILK', quantity: 20, unitPrice: 3 }]);
    const before = await written();
    const twice = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1, lot: 'SN-1' }, { line: 1, quantity: 1, lot: 'SN-1' }] });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([{ field: 'lines.1.lot', message: 'serial SN-1 of PHONE is already on line 1' }]);
    const noLot = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 2, quantity: 5 }, { line: 1, quantity: 2, lot: 'SN-9' }] });
    expect(noLot.status).toBe(422);
    expect(noLot.body.errors.map((e: { field: string }) => e.field)).toEqual(['lines.0.lot', 'lines.1.quantity']);
    expect(await written()).toEqual(before);

    const ok = await api.call('POST', `${V}/receipts`, {
      purchaseOrder: id,
      lines: [{ line: 1, quantity: 1, lot: 'SN-1' }, { line: 1, quantity: 1, lot: 'SN-2' }, { line: 2, quantity: 12, lot: 'M-1', expiresOn: '2031-01-31' }, { line: 2, quantity: 8, lot: 'M-2' }],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.lines.map((l: { lot: string; expiresOn: string | null }) => [l.lot, l.expiresOn])).toEqual([['SN-1', null], ['SN-2', null], ['M-1', '2031-01-31'], ['M-2', null]]);

    const snap = await written();
    const again = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1, lot: 'SN-2' }] });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ field: 'lines.0.lot', message: 'serial SN-2 of PHONE is already in stock' }]);
    const otherExpiry = await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1, lot: 'SN-3' }, { line: 2, quantity: 1, lot: 'M-1', expiresOn: '2031-02-28' }] });
    expect(otherExpiry.status).toBe(422);
    expect(otherExpiry.body.errors[0].field).toBe('lines.1.expiresOn');
    expect(await written()).toEqual(snap);
  });

  it('inspects in several steps: accepted to Stock, rejected to Rejected, never more than uninspected', async () => {
    const id = await approvedOrder([{ sku: 'OIL', quantity: 50, unitPrice: 4 }, { sku: 'MILK', quantity: 10, unitPrice: 3 }]);
    const receipt = (await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 50 }, { line: 2, quantity: 10, lot: 'M-9', expiresOn: '2031-06-30' }] })).body;

    const first = await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 40.5, reject: 2, reason: 'leaking cans' }] }, asClerk);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ inspectionStatus: 'partially_inspected' });
    expect(first.body.lines[0]).toMatchObject({ accepted: 40.5, rejected: 2, uninspected: 7.5 });
    expect(first.body.inspections).toEqual([expect.objectContaining({ number: expect.stringMatching(/^QC-\d{6}$/), lines: [{ line: 1, accepted: 40.5, rejected: 2, reason: 'leaking cans' }] })]);
    expect(first.body.moves.slice(2)).toEqual([
      expect.objectContaining({ from: 'WH1/Input', to: 'WH1/Stock', quantity: 40.5, value: null }),
      expect.objectContaining({ from: 'WH1/Input', to: 'WH1/Rejected', quantity: 2 }),
    ]);

    const before = await written();
    const tooMuch = await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 5 }, { line: 1, reject: 3 }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors).toEqual([{ field: 'lines.1.reject', message: 'only 2.5 of line 1 (OIL) is still uninspected' }]);
    for (const body of [{ lines: [{ line: 3, accept: 1 }] }, { lines: [{ line: 1 }] }, { lines: [{ line: 1, accept: -1 }] }, { lines: [{ line: 1, accept: 0.001 }] }]) {
      expect((await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await api.call('POST', `${V}/receipts/999999/inspect`, { lines: [{ line: 1, accept: 1 }] })).status).toBe(404);
    expect((await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 1 }] }, asPurchaser)).status).toBe(403);
    expect(await written()).toEqual(before);

    const rest = await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 7.5 }, { line: 2, accept: 7, reject: 3, reason: 'crushed' }] });
    expect(rest.status).toBe(201);
    expect(rest.body.inspectionStatus).toBe('inspected');
    expect(rest.body.inspections).toHaveLength(2);
    expect((await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 1 }] })).status).toBe(409);

    const oil = await stockOf('OIL');
    expect(at(oil, 'WH1/Stock')).toMatchObject({ onHand: 48, available: 48 });
    expect(at(oil, 'WH1/Rejected')).toMatchObject({ onHand: 2, available: 0 });
    const milk = await stockOf('MILK');
    expect(at(milk, 'WH1/Stock', 'M-9')).toMatchObject({ onHand: 7, available: 7 });
    expect(at(milk, 'WH1/Rejected', 'M-9')).toMatchObject({ onHand: 3, available: 0 });
    expect(at(milk, 'WH1/Input', 'M-1')).toMatchObject({ onHand: 12, available: 0 });
    expect((await api.call('GET', `${V}/receipts?inspectionStatus=inspected`)).body.items.map((r: { id: number }) => r.id)).toEqual([receipt.id]);
  });

  it('returns rejected stock to the supplier, never more than is there, without reopening the order', async () => {
    const id = await approvedOrder([{ sku: 'BOLT', quantity: 20, unitPrice: 3 }]);
    const receipt = (await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 20 }] })).body;
    await api.call('POST', `${V}/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 15, reject: 5, reason: 'rusty' }] });
    const rejectedBefore = at(await stockOf('BOLT'), 'WH1/Rejected')!.onHand;

    const before = await written();
    const tooMany = await api.call('POST', `${V}/supplier-returns`, { supplier: 'SUP1', warehouse: 'WH1', purchaseOrder: id, lines: [{ sku: 'BOLT', quantity: rejectedBefore + 1 }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.type).toMatch(/insufficient-stock$/);
    expect(tooMany.body.errors).toEqual([{ field: 'lines.0.quantity', message: `only ${rejectedBefore} of BOLT there` }]);
    const wrongSupplier = await api.call('POST', `${V}/supplier-returns`, { supplier: 'CUS1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 1 }] });
    expect(wrongSupplier.status).toBe(422);
    const noStockThere = await api.call('POST', `${V}/supplier-returns`, { supplier: 'SUP1', warehouse: 'WH2', lines: [{ sku: 'BOLT', quantity: 1 }] });
    expect(noStockThere.status).toBe(409);
    expect(await written()).toEqual(before);

    const returned = await api.call('POST', `${V}/supplier-returns`, { supplier: 'SUP1', warehouse: 'WH1', purchaseOrder: id, reason: 'rusty', lines: [{ sku: 'BOLT', quantity: 5 }] }, asClerk);
    expect(returned.status, JSON.stringify(returned.body)).toBe(201);
    expect(returned.body).toMatchObject({ number: expect.stringMatching(/^RTV-\d{6}$/), supplier: 'SUP1', purchaseOrderNumber: expect.stringMatching(/^PO-/), lines: [{ line: 1, sku: 'BOLT', quantity: 5, lot: null }] });
    // The clerk's answer hides the value; read as admin, the return is valued FIFO.
    expect(returned.body.moves).toEqual([expect.objectContaining({ from: 'WH1/Rejected', to: 'Partners/Suppliers', quantity: 5, value: null })]);
    const returnedAsAdmin = (await api.call('GET', `${V}/supplier-returns/${returned.body.id}`)).body;
    expect(returnedAsAdmin.moves).toEqual([expect.objectContaining({ from: 'WH1/Rejected', to: 'Partners/Suppliers', quantity: 5, value: expect.any(Number) })]); // valued FIFO
    expect(at(await stockOf('BOLT'), 'WH1/Rejected')?.onHand ?? 0).toBe(rejectedBefore - 5);
    const order = (await api.call('GET', `${V}/purchase-orders/${id}`)).body;
    expect(order).toMatchObject({ status: 'received', supplierReturns: [expect.objectContaining({ id: returned.body.id })] });
    expect(order.lines[0]).toMatchObject({ received: 20, remaining: 0 });
    expect(order.moves.map((m: { document: string }) => m.document)).toEqual([receipt.number, returned.body.number]);
    expect((await api.call('GET', `${V}/supplier-returns?purchaseOrder=${id}`)).body.items).toHaveLength(1);
    expect((await api.call('GET', `${V}/supplier-returns?q=${returned.body.number}`)).body.items.map((r: { id: number }) => r.id)).toEqual([returned.body.id]);
    expect((await api.call('GET', `${V}/supplier-returns/${returned.body.id}`)).body.moves).toHaveLength(1);
  });

  it('closes an order short; openPurchaseSupply reports what open orders still expect', async () => {
    const bolt = (await api.call('GET', `${V}/items?q=BOLT`)).body.items[0].id as number;
    const oil = (await api.call('GET', `${V}/items?q=OIL`)).body.items[0].id as number;
    const supply = (filter: { itemId?: number; warehouseId?: number } = {}) => openPurchaseSupply(api.db.store.read, api.db.orgId, filter);
    const ours = async (id: number, filter: { itemId?: number; warehouseId?: number } = {}) => (await supply(filter)).filter((s) => s.documentId === id);

    const id = await approvedOrder([{ sku: 'BOLT', quantity: 30, unitPrice: 1 }, { sku: 'OIL', quantity: 7.5, unitPrice: 2, expectedOn: '2030-07-15' }], { expectedOn: '2030-07-01' });
    expect(await ours(id)).toEqual([
      { itemId: bolt, warehouseId, quantity: parseScaled(30), expectedOn: '2030-07-01', documentType: 'purchase-order', documentId: id },
      { itemId: oil, warehouseId, quantity: parseScaled(7.5), expectedOn: '2030-07-15', documentType: 'purchase-order', documentId: id },
    ]);
    await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 12 }, { line: 2, quantity: 7.5 }] });
    expect(await ours(id)).toEqual([expect.objectContaining({ itemId: bolt, quantity: parseScaled(18) })]);
    expect(await ours(id, { itemId: oil })).toEqual([]);
    expect(await ours(id, { itemId: bolt, warehouseId })).toHaveLength(1);
    expect(await ours(id, { warehouseId: warehouseId + 1 })).toEqual([]);
    // Drafts and submitted orders are not supply yet.
    const draft = (await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 1, unitPrice: 1 }] })).body.id;
    expect(await ours(draft)).toEqual([]);

    const closed = await api.call('POST', `${V}/purchase-orders/${id}/close`, { reason: 'supplier cannot deliver the rest' }, asPurchaser);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String), lines: [expect.objectContaining({ received: 12, remaining: 0 }), expect.objectContaining({ received: 7.5, remaining: 0 })] });
    expect(await ours(id)).toEqual([]);
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1 }] })).status).toBe(409);
    const audit = await api.call('GET', `${V}/audit?action=purchase.close&targetId=${id}`);
    expect(audit.body.items[0].detail).toMatchObject({ reason: 'supplier cannot deliver the rest', short: [{ line: 1, sku: 'BOLT', notReceived: 18 }] });
  });

  it('receives a customer return without an order, at the last cost', async () => {
    const order = await approvedOrder([{ sku: 'BOLT', quantity: 1, unitPrice: 3.25 }]);
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: order, lines: [{ line: 1, quantity: 1 }] })).status).toBe(201);
    const before = await written();
    const notCustomer = await api.call('POST', `${V}/receipts`, { customer: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT', quantity: 1 }] });
    expect(notCustomer.status).toBe(422);
    expect(notCustomer.body.errors[0].field).toBe('customer');
    const noWarehouse = await api.call('POST', `${V}/receipts`, { customer: 'CUS1', lines: [{ sku: 'BOLT', quantity: 1, line: 1 }] });
    expect(noWarehouse.body.errors.map((e: { field: string }) => e.field)).toEqual(['warehouse', 'lines.0.line']);
    const neither = await api.call('POST', `${V}/receipts`, { lines: [{ sku: 'BOLT', quantity: 1 }] });
    expect(neither.body.errors[0].field).toBe('purchaseOrder');
    expect(await written()).toEqual(before);

    const returned = await api.call('POST', `${V}/receipts`, { customer: 'CUS1', warehouse: 'WH1', reason: 'wrong size', lines: [{ sku: 'BOLT', quantity: 2 }, { sku: 'PHONE', quantity: 1, lot: 'SN-R1' }] });
    expect(returned.status, JSON.stringify(returned.body)).toBe(201);
    expect(returned.body).toMatchObject({ kind: 'customer-return', purchaseOrder: null, partner: 'CUS1', reason: 'wrong size', inspectionStatus: 'pending' });
    expect(returned.body.lines[0]).toMatchObject({ orderLine: null, unitCost: null });
    expect(returned.body.moves[0]).toMatchObject({ from: 'Partners/Customers', to: 'WH1/Input', quantity: 2, unitCost: 3.25 }); // BOLT's last cost
    expect((await api.call('GET', `${V}/receipts?kind=customer-return`)).body.items.map((r: { id: number }) => r.id)).toEqual([returned.body.id]);
    expect((await api.call('GET', `${V}/receipts?partner=CUS1`)).body.items).toHaveLength(1);
  });

  it('lists and searches documents, and prints them as PDFs', async () => {
    const orders = await api.call('GET', `${V}/purchase-orders?status=received&supplier=SUP1&warehouse=WH1`);
    expect(orders.status).toBe(200);
    expect(orders.body.items.length).toBeGreaterThan(0);
    expect(orders.body.items.every((o: { status: string }) => o.status === 'received')).toBe(true);
    const one = orders.body.items[0];
    expect((await api.call('GET', `${V}/purchase-orders?q=${one.number}`)).body.items.map((o: { id: number }) => o.id)).toEqual([one.id]);
    expect((await api.call('GET', `${V}/purchase-orders?q=螺丝&limit=1000`)).body.items.length).toBeGreaterThan(1);
    expect((await api.call('GET', `${V}/purchase-orders?warehouse=WH2`)).body.items).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const all = (await api.call('GET', `${V}/purchase-orders?from=${today}&to=${today}&limit=1000`)).body.items.length;
    expect(all).toBeGreaterThan(5);
    expect((await api.call('GET', `${V}/purchase-orders?to=2000-01-01`)).body.items).toEqual([]);
    const page = await api.call('GET', `${V}/purchase-orders?limit=2`);
    expect(page.body.next).toBeDefined();
    const next = await api.call('GET', `${V}/purchase-orders?limit=2&after=${page.body.next}`);
    expect(next.body.items[0].id).toBeLessThan(page.body.items[1].id);
    expect((await api.call('GET', `${V}/purchase-orders?status=nope`)).status).toBe(422);
    expect((await api.call('GET', `${V}/purchase-orders/999999`)).status).toBe(404);

    const receipts = await api.call('GET', `${V}/receipts?purchaseOrder=${one.id}`);
    expect(receipts.body.items.length).toBeGreaterThan(0);
    const receipt = receipts.body.items[0];
    expect((await api.call('GET', `${V}/receipts?q=${receipt.number}`)).body.items.map((r: { id: number }) => r.id)).toEqual([receipt.id]);
    expect((await api.call('GET', `${V}/receipts?q=${one.number}`)).body.items.map((r: { id: number }) => r.id)).toEqual(receipts.body.items.map((r: { id: number }) => r.id));
    expect((await api.call('GET', `${V}/receipts/${receipt.id}`, undefined, asClerk)).body.number).toBe(receipt.number);
    const bySupplier = (await api.call('GET', `${V}/receipts?supplier=SUP1&warehouse=WH1&from=${today}&to=${today}&limit=1000`)).body.items as Array<{ kind: string; partner: string }>;
    expect(bySupplier.length).toBeGreaterThan(5);
    expect(bySupplier.every((r) => r.kind === 'purchase' && r.partner === 'SUP1')).toBe(true);
    expect((await api.call('GET', `${V}/receipts?supplier=CUS1`)).body.items).toEqual([]);
    expect((await api.call('GET', `${V}/receipts?from=2099-01-01`)).body.items).toEqual([]);

    const inspected = (await api.call('GET', `${V}/receipts?inspectionStatus=inspected&limit=1`)).body.items[0];
    for (const path of [`/purchase-orders/${one.id}/pdf`, `/receipts/${receipt.id}/pdf`, `/receipts/${inspected.id}/pdf`]) {
      const res = await fetch(`${api.baseUrl}${V}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/pdf');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect((await api.call('GET', `${V}/receipts/999999/pdf`)).status).toBe(404);

    const openapi = (await (await fetch(`${api.baseUrl}${V}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/partners', '/purchase-orders', '/purchase-orders/{id}/approve', '/receipts', '/receipts/{id}/inspect', '/supplier-returns', '/purchase-orders/{id}/pdf']) {
      expect(openapi.paths[`${V}${path}`], path).toBeDefined();
    }
  });
});
