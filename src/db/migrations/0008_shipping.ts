import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { appendOnly, bigType, orgTable } from './helpers.js';

/**
 * Tables of the shipping module: shipments (one per shipped sales order), their packages and their
 * append-only tracking events. Weights and dimensions are int64 millionths like quantities.
 */
export function shippingMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await table(db, 'shipments')
        .addColumn('order_id', big, (c) => c.notNull())
        .addColumn('carrier', 'text')
        .addColumn('service', 'text')
        .addColumn('tracking_number', 'text')
        .addColumn('promised_on', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('shipped_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .addColumn('delivered_on', 'text')
        .addColumn('on_time', 'integer')
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('shipments_order_idx').on('shipments').columns(['org_id', 'order_id']).execute();
      await db.schema.createIndex('shipments_status_idx').on('shipments').columns(['org_id', 'status']).execute();
      // A carrier's webhook finds the shipment by carrier + tracking number: it must be unambiguous.
      await db.schema.createIndex('shipments_tracking_key').on('shipments').columns(['org_id', 'carrier', 'tracking_number']).unique().execute();

      await table(db, 'shipment_packages')
        .addColumn('shipment_id', big, (c) => c.notNull())
        .addColumn('package_no', 'integer', (c) => c.notNull())
        .addColumn('weight_kg', big)
        .addColumn('length_cm', big)
        .addColumn('width_cm', big)
        .addColumn('height_cm', big)
        .addColumn('reference', 'text')
        .addUniqueConstraint('shipment_packages_no_key', ['org_id', 'shipment_id', 'package_no'])
        .execute();

      await table(db, 'shipment_events')
        .addColumn('shipment_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('location', 'text')
        .addColumn('note', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('recorded_by', big, (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('shipment_events_shipment_idx').on('shipment_events').columns(['org_id', 'shipment_id']).execute();
      await appendOnly(db, dialect, 'shipment_events', 'shipment events are append-only');
    },
  };
}
