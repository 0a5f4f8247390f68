import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType } from './helpers.js';

/**
 * Sales orders beyond the basic lifecycle (src/modules/sales, docs/sales-orders.md): customer
 * partner, priority, requested dates, per-line warehouses, prices and discounts, cancelled
 * quantities, promise dates, and each customer's minimum remaining shelf life.
 *
 * Only ADD COLUMN with constant defaults (portable on SQLite and PostgreSQL), so existing rows
 * stay valid; per-line warehouses are backfilled from their order.
 *
 * `priority`: 1 (most urgent) .. 9 (least urgent), default 5. Backorders fill by priority
 * ascending, then order creation time, then order id.
 */
export function salesOrdersMigration(dialect: Dialect) {
  const big = bigType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      const add = (table: string, column: string, type: 'integer' | 'bigint' | 'text', build?: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder) =>
        db.schema.alterTable(table).addColumn(column, type, build ?? ((c) => c)).execute();
      await add('sales_orders', 'partner_id', big);
      await add('sales_orders', 'priority', 'integer', (c) => c.notNull().defaultTo(5));
      await add('sales_orders', 'allow_backorder', 'integer', (c) => c.notNull().defaultTo(0));
      await add('sales_orders', 'requested_on', 'text');
      await add('sales_orders', 'reference', 'text');
      await add('sales_orders', 'note', 'text');

      await add('sales_order_lines', 'warehouse_id', big, (c) => c.notNull().defaultTo(0));
      await add('sales_order_lines', 'cancelled_quantity', big, (c) => c.notNull().defaultTo(0));
      // Unit price in millionths of the currency unit (null: the order carries no prices) and the
      // discount in millionths of a percent (12.5 % = 12_500_000).
      await add('sales_order_lines', 'unit_price', big);
      await add('sales_order_lines', 'discount_percent', big, (c) => c.notNull().defaultTo(0));
      await add('sales_order_lines', 'requested_on', 'text');
      await add('sales_order_lines', 'promised_on', 'text');
      await sql`update sales_order_lines set warehouse_id = (
        select o.warehouse_id from sales_orders o where o.org_id = sales_order_lines.org_id and o.id = sales_order_lines.order_id
      )`.execute(db);
      await db.schema.createIndex('sales_order_lines_item_idx').on('sales_order_lines').columns(['org_id', 'warehouse_id', 'item_id']).execute();

      await add('partners', 'min_shelf_life_days', 'integer');
    },
  };
}
