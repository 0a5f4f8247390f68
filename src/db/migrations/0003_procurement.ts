import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType, orgTable } from './helpers.js';

/**
 * Tables of the procurement module: partners, purchase orders, receipts with their inspections,
 * and returns to suppliers. Quantities and prices are int64 millionths; `lot_id` 0 means no lot.
 */
export function procurementMigration(dialect: Dialect) {
  const big = bigType(dialect);
  return {
    async up(db: Kysely<any>): Promise<void> {
      const table = (name: string) => orgTable(db, dialect, name);

      await table('partners')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('contacts', 'text', (c) => c.notNull()) // JSON array
        .addColumn('addresses', 'text', (c) => c.notNull()) // JSON array
        .addColumn('payment_terms_days', 'integer', (c) => c.notNull())
        .addColumn('lead_time_days', 'integer', (c) => c.notNull())
        .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('partners_code_key', ['org_id', 'code'])
        .execute();

      await table('purchase_orders')
        .addColumn('supplier_id', big, (c) => c.notNull())
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('expected_on', 'text')
        .addColumn('notes', 'text')
        .addColumn('auto_approved', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('submitted_by', big)
        .addColumn('submitted_at', 'text')
        .addColumn('approved_by', big)
        .addColumn('approved_at', 'text')
        .addColumn('rejected_by', big)
        .addColumn('rejected_at', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('received_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('cancelled_at', 'text')
        .execute();
      await db.schema.createIndex('purchase_orders_status_idx').on('purchase_orders').columns(['org_id', 'status', 'id']).execute();
      await db.schema.createIndex('purchase_orders_supplier_idx').on('purchase_orders').columns(['org_id', 'supplier_id', 'id']).execute();

      await table('purchase_order_lines')
        .addColumn('order_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('unit_price', big, (c) => c.notNull())
        .addColumn('expected_on', 'text')
        .addColumn('received', big, (c) => c.notNull())
        .addUniqueConstraint('purchase_order_lines_key', ['org_id', 'order_id', 'line_no'])
        .execute();
      await db.schema.createIndex('purchase_order_lines_item_idx').on('purchase_order_lines').columns(['org_id', 'item_id']).execute();

      await table('receipts')
        .addColumn('kind', 'text', (c) => c.notNull()) // 'purchase' | 'customer-return'
        .addColumn('purchase_order_id', big)
        .addColumn('partner_id', big, (c) => c.notNull())
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('inspection_status', 'text', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('receipts_order_idx').on('receipts').columns(['org_id', 'purchase_order_id']).execute();

      await table('receipt_lines')
        .addColumn('receipt_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('order_line_no', 'integer') // the PO line received, if any
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('unit_cost', big)
        .addColumn('accepted', big, (c) => c.notNull())
        .addColumn('rejected', big, (c) => c.notNull())
        .addUniqueConstraint('receipt_lines_key', ['org_id', 'receipt_id', 'line_no'])
        .execute();

      await table('inspections')
        .addColumn('receipt_id', big, (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inspections_receipt_idx').on('inspections').columns(['org_id', 'receipt_id']).execute();

      await table('inspection_lines')
        .addColumn('inspection_id', big, (c) => c.notNull())
        .addColumn('receipt_line_no', 'integer', (c) => c.notNull())
        .addColumn('accepted', big, (c) => c.notNull())
        .addColumn('rejected', big, (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute();
      await db.schema.createIndex('inspection_lines_doc_idx').on('inspection_lines').columns(['org_id', 'inspection_id']).execute();

      await table('supplier_returns')
        .addColumn('supplier_id', big, (c) => c.notNull())
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('purchase_order_id', big)
        .addColumn('reason', 'text')
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await table('supplier_return_lines')
        .addColumn('return_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('supplier_return_lines_doc_idx').on('supplier_return_lines').columns(['org_id', 'return_id']).execute();
    },
  };
}
