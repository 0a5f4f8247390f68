import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { appendOnly, bigType, orgTable } from './helpers.js';

/**
 * Tables of picking (src/modules/picking, docs/picking.md): waves, pick tasks (one per open
 * reservation row: order line, bin, lot), the append-only scans, count suggestions after short
 * picks; and for split shipments (src/modules/shipping) the shipment lines plus two shipment
 * columns. Quantities are int64 millionths.
 */
export function pickingMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await table(db, 'pick_waves')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .execute();
      await db.schema.createIndex('pick_waves_status_idx').on('pick_waves').columns(['org_id', 'status']).execute();

      await table(db, 'pick_tasks')
        .addColumn('wave_id', big, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('order_id', big, (c) => c.notNull())
        .addColumn('line_id', big, (c) => c.notNull())
        .addColumn('reservation_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('picked_quantity', big, (c) => c.notNull())
        .addColumn('short_quantity', big, (c) => c.notNull())
        .addColumn('packed_quantity', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // One task per reservation row, ever: two waves created at once cannot both take it.
      await db.schema.createIndex('pick_tasks_reservation_key').on('pick_tasks').columns(['org_id', 'reservation_id']).unique().execute();
      await db.schema.createIndex('pick_tasks_wave_idx').on('pick_tasks').columns(['org_id', 'wave_id', 'seq']).execute();
      await db.schema.createIndex('pick_tasks_order_idx').on('pick_tasks').columns(['org_id', 'order_id']).execute();

      await table(db, 'pick_scans')
        .addColumn('task_id', big, (c) => c.notNull())
        .addColumn('wave_id', big, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('scanned_by', big, (c) => c.notNull())
        .addColumn('scanned_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pick_scans_task_idx').on('pick_scans').columns(['org_id', 'task_id']).execute();
      await appendOnly(db, dialect, 'pick_scans', 'pick scans are append-only');

      await table(db, 'count_suggestions')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('hold_location_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('task_id', big)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('count_id', big)
        .addColumn('found_quantity', big)
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_by', big)
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema.createIndex('count_suggestions_status_idx').on('count_suggestions').columns(['org_id', 'status']).execute();

      await table(db, 'shipment_lines')
        .addColumn('shipment_id', big, (c) => c.notNull())
        .addColumn('order_id', big, (c) => c.notNull())
        .addColumn('line_id', big, (c) => c.notNull())
        .addColumn('task_id', big)
        .addColumn('reservation_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('shipment_lines_shipment_idx').on('shipment_lines').columns(['org_id', 'shipment_id']).execute();
      await db.schema.createIndex('shipment_lines_reservation_idx').on('shipment_lines').columns(['org_id', 'reservation_id']).execute();
      // Shipments can now be packed before they ship, and come from one warehouse of the order.
      await db.schema.alterTable('shipments').addColumn('packed_at', 'text').execute();
      await db.schema.alterTable('shipments').addColumn('warehouse_id', big).execute();
    },
  };
}
