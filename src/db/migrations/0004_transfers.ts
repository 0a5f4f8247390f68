import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType, orgTable } from './helpers.js';

/**
 * Tables of the transfers module: put-away rules, internal transfers (moves inside a warehouse),
 * transfers between warehouses with what each line shipped per lot, and scraps. Quantities are
 * int64 millionths; lot_id 0 means no lot.
 */
export function transfersMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await table(db, 'putaway_rules')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('item_id', big)
        .addColumn('category', 'text')
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('putaway_rules_warehouse_idx').on('putaway_rules').columns(['org_id', 'warehouse_id']).execute();

      await table(db, 'internal_transfers')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await table(db, 'internal_transfer_lines')
        .addColumn('internal_transfer_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('from_location_id', big, (c) => c.notNull())
        .addColumn('to_location_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addUniqueConstraint('internal_transfer_lines_line_key', ['org_id', 'internal_transfer_id', 'line_no'])
        .execute();

      await table(db, 'transfers')
        .addColumn('from_warehouse_id', big, (c) => c.notNull())
        .addColumn('to_warehouse_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('expected_on', 'text')
        .addColumn('note', 'text')
        .addColumn('receipt_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('shipped_at', 'text')
        .addColumn('received_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('cancelled_at', 'text')
        .execute();
      await db.schema.createIndex('transfers_status_idx').on('transfers').columns(['org_id', 'status']).execute();
      await table(db, 'transfer_lines')
        .addColumn('transfer_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addUniqueConstraint('transfer_lines_line_key', ['org_id', 'transfer_id', 'line_no'])
        .execute();
      await table(db, 'transfer_line_lots')
        .addColumn('transfer_id', big, (c) => c.notNull())
        .addColumn('line_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('shipped', big, (c) => c.notNull())
        .addColumn('received', big, (c) => c.notNull())
        .addColumn('difference', big, (c) => c.notNull())
        .addUniqueConstraint('transfer_line_lots_key', ['org_id', 'line_id', 'lot_id'])
        .execute();
      await db.schema.createIndex('transfer_line_lots_transfer_idx').on('transfer_line_lots').columns(['org_id', 'transfer_id']).execute();

      await table(db, 'scraps')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await table(db, 'scrap_lines')
        .addColumn('scrap_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addUniqueConstraint('scrap_lines_line_key', ['org_id', 'scrap_id', 'line_no'])
        .execute();
    },
  };
}
