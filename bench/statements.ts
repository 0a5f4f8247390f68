import { createItem } from '../src/modules/items/service.js';
import { postAdjustment } from '../src/modules/adjustments/service.js';
import { confirmSalesOrder, createSalesOrder, getSalesOrder } from '../src/modules/sales/service.js';
import { createWarehouse } from '../src/modules/warehouses/service.js';
import type { ServiceContext } from '../src/app/context.js';
import { countStatements } from './statement-count.js';
import { openDurableStore, progress, type TempDir } from './support.js';

export interface StatementsResult {
  command: 'create' | 'confirm' | 'get';
  lines: number;
  /** Who acts: admin (every warehouse) or a user limited to the order's warehouse. */
  actor: 'admin' | 'scoped';
  /** SQL statements the command issued (reads and writes; not the store's BEGIN/SAVEPOINT/RELEASE/COMMIT). */
  statements: number;
  /** The statements, with --sql. */
  sql?: string[];
}

/**
 * SQL statements per sales-order command (create, confirm; and reading the confirmed order back),
 * counted through the services on a fresh SQLite database: deterministic, so it shows a regression
 * that timings on a shared machine hide. test/sales-statements.test.ts asserts a ceiling on both engines.
 */
export async function benchStatements(temp: TempDir, options: { sql: boolean }): Promise<StatementsResult[]> {
  const bench = await openDurableStore(temp.file('statements.db'));
  const { store, log } = countStatements(bench.store);
  const admin: ServiceContext = { store, actor: bench.ctx.actor };
  try {
    const warehouse = await createWarehouse(admin, { code: 'WH1', name: 'Main' });
    const skus = ['S-1', 'S-2', 'S-3'];
    for (const sku of skus) await createItem(admin, { sku, name: sku, unit: 'pcs' });
    await postAdjustment(admin, { warehouse: 'WH1', reason: 'stock', lines: skus.map((sku) => ({ sku, quantity: 1_000, unitCost: 2.5 })) });
    const scoped: ServiceContext = { store, actor: { ...bench.ctx.actor, warehouseIds: [warehouse.body.id] } };
    const results: StatementsResult[] = [];
    for (const [actor, ctx] of [['admin', admin], ['scoped', scoped]] as const) {
      for (const lines of [1, 3]) {
        const input = { customer: 'Bench customer', warehouse: 'WH1', lines: skus.slice(0, lines).map((sku) => ({ sku, quantity: 1 })) };
        log.reset();
        const created = await createSalesOrder(ctx, input);
        results.push({ command: 'create', lines, actor, statements: log.statements.length, ...(options.sql ? { sql: [...log.statements] } : {}) });
        log.reset();
        await confirmSalesOrder(ctx, created.body.id);
        results.push({ command: 'confirm', lines, actor, statements: log.statements.length, ...(options.sql ? { sql: [...log.statements] } : {}) });
        log.reset();
        await getSalesOrder(ctx, created.body.id);
        results.push({ command: 'get', lines, actor, statements: log.statements.length, ...(options.sql ? { sql: [...log.statements] } : {}) });
      }
    }
    progress(`statements: ${results.map((r) => `${r.command} ${r.lines} line(s) ${r.actor} ${r.statements}`).join(', ')}`);
    return results;
  } finally {
    await bench.store.close();
  }
}
