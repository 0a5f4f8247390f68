import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { appendOnly, bigType, orgTable } from './helpers.js';

/**
 * Tables of the counts module (盘点): the count document, one line per counted balance
 * (item, location, lot), and the append-only history of every quantity entered.
 */
export function countsMigration(dialect: Dialect) {
  const big = bigType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await orgTable(db, dialect, 'stock_counts')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('scope_type', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull()) // JSON: the scope as requested
        .addColumn('abc_classes', 'text') // JSON {itemId: class}, taken at start for ABC scopes
        .addColumn('blind', 'integer', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('start_move_id', big)
        .addColumn('uncounted', 'text')
        .addColumn('approval_required', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('variance_value', big)
        .addColumn('reason_code', 'text')
        .addColumn('lines_total', 'integer')
        .addColumn('lines_accurate', 'integer')
        .addColumn('line_accuracy', big)
        .addColumn('value_accuracy', big)
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('started_by', big)
        .addColumn('started_at', 'text')
        .addColumn('submitted_by', big)
        .addColumn('submitted_at', 'text')
        .addColumn('approved_by', big)
        .addColumn('approved_at', 'text')
        .addColumn('rejected_by', big)
        .addColumn('rejected_at', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('posted_by', big)
        .addColumn('posted_at', 'text')
        .addColumn('cancelled_by', big)
        .addColumn('cancelled_at', 'text')
        .execute();
      await db.schema.createIndex('stock_counts_status_idx').on('stock_counts').columns(['org_id', 'status', 'id']).execute();
      await db.schema.createIndex('stock_counts_warehouse_idx').on('stock_counts').columns(['org_id', 'warehouse_id', 'id']).execute();

      await orgTable(db, dialect, 'stock_count_lines')
        .addColumn('count_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull()) // 0 = no lot
        .addColumn('snapshot_quantity', big, (c) => c.notNull())
        .addColumn('unit_cost', big, (c) => c.notNull())
        .addColumn('found', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('counted_quantity', big)
        .addColumn('book_quantity', big)
        .addColumn('counted_move_id', big)
        .addColumn('counted_by', big)
        .addColumn('counted_at', 'text')
        .addUniqueConstraint('stock_count_lines_balance_key', ['org_id', 'count_id', 'item_id', 'location_id', 'lot_id'])
        .execute();
      await db.schema.createIndex('stock_count_lines_count_idx').on('stock_count_lines').columns(['org_id', 'count_id', 'line_no']).execute();
      // Finds other open counts of the same balance.
      await db.schema.createIndex('stock_count_lines_balance_idx').on('stock_count_lines').columns(['org_id', 'item_id', 'location_id', 'lot_id']).execute();

      await orgTable(db, dialect, 'stock_count_entries')
        .addColumn('count_id', big, (c) => c.notNull())
        .addColumn('line_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('book_quantity', big, (c) => c.notNull())
        .addColumn('last_move_id', big, (c) => c.notNull())
        .addColumn('entered_by', big, (c) => c.notNull())
        .addColumn('entered_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('stock_count_entries_count_idx').on('stock_count_entries').columns(['org_id', 'count_id', 'id']).execute();
      await appendOnly(db, dialect, 'stock_count_entries', 'count entries are history: enter the count again instead');
    },
  };
}
