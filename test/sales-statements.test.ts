import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { openTestDatabase, type TestDatabase } from './support/engines.js';
import { countStatements, type StatementLog } from '../bench/statement-count.js';
import type { ServiceContext } from '../src/app/context.js';
import { num } from '../src/db/schema.js';
import { postAdjustment } from '../src/modules/adjustments/service.js';
import { createItem } from '../src/modules/items/service.js';
import { createPartner } from '../src/modules/procurement/partners-service.js';
import { confirmSalesOrder, createSalesOrder, getSalesOrder, listSalesOrders, type SalesOrderInput } from '../src/modules/sales/service.js';
import { createWarehouse } from '../src/modules/warehouses/service.js';

/**
 * SQL statements per sales-order command, counted (docs/performance.md, "A regression to
 * investigate"): deterministic where timings on a shared machine are not, so that reading the
 * order and its lines over and over cannot come back unnoticed. The store's own BEGIN / SAVEPOINT /
 * RELEASE / COMMIT are not counted (the same for every command).
 *
 * Commands build their answer from what they read and wrote instead of reading the order back, so
 * this also checks that answer against a fresh read of the order.
 */
const MAX = {
  /** warehouse, partner (customer code), items, order insert, lines insert, audit, outbox: 7. */
  create: 8,
  /** order, lines, per item: candidate balances and one claim; reservations insert, status, promise dates, audit, outbox: 13 for 3 items. */
  confirm3: 14,
  confirm1: 10,
  /** order, lines, shipments (+ settings with a requested date, + pick tasks once confirmed): 3-5. */
  get: 5,
};

describe.each(ENGINES)('SQL statements per sales-order command on %s', (engine) => {
  let db: TestDatabase;
  let log: StatementLog;
  let admin: ServiceContext;
  let scoped: ServiceContext;
  const skus = ['ST-1', 'ST-2', 'ST-3'];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const counted = countStatements(db.store);
    log = counted.log;
    const user = await db.store.read.selectFrom('users').select('id').where('org_id', '=', db.orgId).where('username', '=', 'admin').executeTakeFirstOrThrow();
    admin = { store: counted.store, actor: { orgId: db.orgId, userId: num(user.id), username: 'admin', role: 'admin', requestId: 'statements' } };
    const main = await createWarehouse(admin, { code: 'SW1', name: 'Main' });
    await createWarehouse(admin, { code: 'SW2', name: 'Second' });
    scoped = { store: counted.store, actor: { ...admin.actor, warehouseIds: [main.body.id] } };
    await createPartner(admin, { code: 'FRESH', name: 'Fresh Market', kind: 'customer', minShelfLifeDays: 10 });
    for (const sku of skus) await createItem(admin, { sku, name: sku, unit: 'pcs' });
    await postAdjustment(admin, { warehouse: 'SW1', reason: 'stock', lines: skus.map((sku) => ({ sku, quantity: 100, unitCost: 2.5 })) });
    await postAdjustment(admin, { warehouse: 'SW2', reason: 'stock', lines: [{ sku: 'ST-1', quantity: 1, unitCost: 2.5 }] });
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Run `command` and return its result with the statements it issued. */
  const counting = async <T>(command: () => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    log.reset();
    const result = await command();
    return { result, statements: [...log.statements] };
  };
  const threeLines = (extra: Partial<SalesOrderInput> = {}): SalesOrderInput => ({
    customer: 'Statements', warehouse: 'SW1', lines: skus.map((sku) => ({ sku, quantity: 2 })), ...extra,
  });

  it('creates and confirms a 3-line order within a fixed number of statements', async () => {
    const created = await counting(() => createSalesOrder(admin, threeLines()));
    expect(created.statements.length, created.statements.join('\n')).toBeGreaterThan(0);
    expect(created.statements.length, created.statements.join('\n')).toBeLessThanOrEqual(MAX.create);
    // The counter sees the command's writes, not only its reads.
    expect(created.statements.some((s) => /insert into "sales_order_lines"/i.test(s))).toBe(true);

    const confirmed = await counting(() => confirmSalesOrder(admin, created.result.body.id));
    expect(confirmed.result.body.status).toBe('confirmed');
    expect(confirmed.statements.length, confirmed.statements.join('\n')).toBeLessThanOrEqual(MAX.confirm3);
    // The order and its lines are read once each.
    expect(confirmed.statements.filter((s) => /from "sales_orders"/i.test(s))).toHaveLength(1);
    expect(confirmed.statements.filter((s) => /from "sales_order_lines"/i.test(s))).toHaveLength(1);

    const read = await counting(() => getSalesOrder(admin, created.result.body.id));
    expect(read.statements.length, read.statements.join('\n')).toBeLessThanOrEqual(MAX.get);
  });

  it('keeps a 1-line order and a user limited to one warehouse within the same bounds', async () => {
    for (const ctx of [admin, scoped]) {
      const created = await counting(() => createSalesOrder(ctx, { customer: 'One', warehouse: 'SW1', lines: [{ sku: 'ST-1', quantity: 1 }] }));
      expect(created.statements.length, created.statements.join('\n')).toBeLessThanOrEqual(MAX.create);
      const confirmed = await counting(() => confirmSalesOrder(ctx, created.result.body.id));
      // A scoped user's confirm checks the order's warehouse once more before the command.
      expect(confirmed.statements.length, confirmed.statements.join('\n')).toBeLessThanOrEqual(MAX.confirm1 + (ctx === scoped ? 1 : 0));
    }
  });

  it('answers commands with the order exactly as it reads back', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const inputs: SalesOrderInput[] = [
      threeLines(),
      // A partner with a minimum shelf life, prices, discounts, requested dates, a line in another warehouse.
      threeLines({
        partner: 'FRESH', priority: 2, requestedOn: soon, reference: 'REF-1', note: 'note',
        lines: [
          { sku: 'ST-1', quantity: 3, unitPrice: 19.99, discountPercent: 12.5 },
          { sku: 'ST-1', quantity: 1, warehouse: 'SW2', requestedOn: soon },
          { sku: 'ST-2', quantity: 1, unitPrice: 0.000001 },
        ],
      }),
      // Backorders: more than there is, confirmed in part.
      threeLines({ customer: 'FRESH', allowBackorder: true, lines: [{ sku: 'ST-3', quantity: 500 }, { sku: 'ST-2', quantity: 1 }] }),
    ];
    for (const input of inputs) {
      const created = await createSalesOrder(admin, input);
      expect(created.body).toEqual(await getSalesOrder(admin, created.body.id));
      const confirmed = await confirmSalesOrder(admin, created.body.id);
      expect(confirmed.body).toEqual(await getSalesOrder(admin, created.body.id));
    }
    const listed = await listSalesOrders(admin, { limit: 3 });
    for (const order of listed.items) expect(order).toEqual(await getSalesOrder(admin, order.id));
  });
});
