import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType, orgTable } from './helpers.js';

/**
 * Tables of the returns module: customer returns (RMA) against shipped sales orders, their lines
 * per order line and lot, and the inspection decisions. Quantities are int64 millionths; lot_id 0
 * means no lot.
 */
export function returnsMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await table(db, 'sales_returns')
        .addColumn('sales_order_id', big, (c) => c.notNull())
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('credit_reference', 'text', (c) => c.notNull())
        .addColumn('inspection_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      await db.schema.createIndex('sales_returns_order_idx').on('sales_returns').columns(['org_id', 'sales_order_id']).execute();
      await db.schema.createIndex('sales_returns_status_idx').on('sales_returns').columns(['org_id', 'status']).execute();

      await table(db, 'sales_return_lines')
        .addColumn('return_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('order_line_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('restocked', big, (c) => c.notNull())
        .addColumn('scrapped', big, (c) => c.notNull())
        .addUniqueConstraint('sales_return_lines_line_key', ['org_id', 'return_id', 'line_no'])
        .execute();
      // What was returned of an order line so far is summed over this index.
      await db.schema.createIndex('sales_return_lines_order_line_idx').on('sales_return_lines').columns(['org_id', 'order_line_id']).execute();

      await table(db, 'sales_return_inspection_lines')
        .addColumn('return_id', big, (c) => c.notNull())
        .addColumn('inspection_no', 'integer', (c) => c.notNull())
        .addColumn('return_line_no', 'integer', (c) => c.notNull())
        .addColumn('restocked', big, (c) => c.notNull())
        .addColumn('scrapped', big, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sales_return_inspection_lines_return_idx').on('sales_return_inspection_lines').columns(['org_id', 'return_id']).execute();
    },
  };
}
