import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { appendOnly as refuseChanges, orgTable } from './helpers.js';

/**
 * The stock ledger's tables. Every table carries org_id and every key leads with it, so org can be
 * the distribution column on a PostgreSQL-compatible distributed engine (Citus).
 */
export function ledgerMigration(dialect: Dialect) {
  const pg = dialect === 'postgres';
  const big = pg ? 'bigint' : 'integer';

  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);

  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('orgs')
        .addColumn('id', big, (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await table(db, 'users')
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('users_username_key', ['org_id', 'username'])
        .execute();

      await table(db, 'api_tokens')
        .addColumn('user_id', big, (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      // Looked up before the org is known; a reference table on a distributed engine.
      await db.schema.createIndex('api_tokens_hash_idx').on('api_tokens').column('token_hash').unique().execute();

      await table(db, 'items')
        .addColumn('sku', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('unit_precision', 'integer', (c) => c.notNull())
        .addColumn('tracking', 'text', (c) => c.notNull())
        .addColumn('barcode', 'text')
        .addColumn('category', 'text')
        .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('items_sku_key', ['org_id', 'sku'])
        .execute();
      await db.schema.createIndex('items_barcode_idx').on('items').columns(['org_id', 'barcode']).execute();

      await table(db, 'warehouses')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('view_location_id', big)
        .addColumn('stock_location_id', big)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('warehouses_code_key', ['org_id', 'code'])
        .execute();

      await table(db, 'locations')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('warehouse_id', big)
        .addColumn('parent_id', big)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('locations_code_key', ['org_id', 'code'])
        .execute();
      await db.schema.createIndex('locations_warehouse_idx').on('locations').columns(['org_id', 'warehouse_id']).execute();

      await table(db, 'lots')
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('expires_on', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('lots_item_code_key', ['org_id', 'item_id', 'code'])
        .execute();

      await db.schema
        .createTable('balances')
        .addColumn('org_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull()) // 0 = no lot, so the key has no NULLs
        .addColumn('on_hand', big, (c) => c.notNull())
        .addColumn('reserved', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('balances_pkey', ['org_id', 'item_id', 'location_id', 'lot_id'])
        .execute();

      await table(db, 'postings')
        .addColumn('posting_key', 'text', (c) => c.notNull())
        .addColumn('document_type', 'text', (c) => c.notNull())
        .addColumn('document_id', big, (c) => c.notNull())
        .addColumn('move_count', 'integer', (c) => c.notNull())
        .addColumn('quantity_total', big, (c) => c.notNull())
        .addColumn('posted_at', 'text', (c) => c.notNull())
        .addColumn('posted_by', big, (c) => c.notNull())
        .addUniqueConstraint('postings_key', ['org_id', 'posting_key'])
        .execute();

      await table(db, 'moves')
        .addColumn('posting_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('from_location_id', big, (c) => c.notNull())
        .addColumn('to_location_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('unit_cost', big)
        .addColumn('value', big)
        .addColumn('document_type', 'text', (c) => c.notNull())
        .addColumn('document_id', big, (c) => c.notNull())
        .addColumn('reverses_move_id', big)
        .addColumn('posted_at', 'text', (c) => c.notNull())
        .addColumn('posted_by', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('moves_item_idx').on('moves').columns(['org_id', 'item_id', 'id']).execute();
      await db.schema.createIndex('moves_posting_idx').on('moves').columns(['org_id', 'posting_id']).execute();
      await db.schema.createIndex('moves_document_idx').on('moves').columns(['org_id', 'document_type', 'document_id']).execute();

      await refuseChanges(db, dialect, 'moves', 'moves are immutable: post a reversing move instead');

      await table(db, 'reservations')
        .addColumn('document_type', 'text', (c) => c.notNull())
        .addColumn('document_id', big, (c) => c.notNull())
        .addColumn('line_id', big, (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('location_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reservations_document_idx').on('reservations').columns(['org_id', 'document_type', 'document_id']).execute();

      await table(db, 'valuation_layers')
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('move_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('unit_cost', big, (c) => c.notNull())
        .addColumn('value', big, (c) => c.notNull())
        .addColumn('remaining_quantity', big, (c) => c.notNull())
        .addColumn('remaining_value', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('valuation_layers_item_idx').on('valuation_layers').columns(['org_id', 'item_id', 'id']).execute();

      await table(db, 'adjustments')
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await table(db, 'adjustment_lines')
        .addColumn('adjustment_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('lot_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .addColumn('unit_cost', big)
        .execute();
      await db.schema.createIndex('adjustment_lines_doc_idx').on('adjustment_lines').columns(['org_id', 'adjustment_id']).execute();

      await table(db, 'sales_orders')
        .addColumn('customer', 'text', (c) => c.notNull())
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', big, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('shipped_at', 'text')
        .addColumn('cancelled_at', 'text')
        .execute();
      await db.schema.createIndex('sales_orders_status_idx').on('sales_orders').columns(['org_id', 'status', 'id']).execute();

      await table(db, 'sales_order_lines')
        .addColumn('order_id', big, (c) => c.notNull())
        .addColumn('line_no', 'integer', (c) => c.notNull())
        .addColumn('item_id', big, (c) => c.notNull())
        .addColumn('quantity', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sales_order_lines_order_idx').on('sales_order_lines').columns(['org_id', 'order_id']).execute();

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('org_id', big, (c) => c.notNull())
        .addColumn('idem_key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pkey', ['org_id', 'idem_key'])
        .execute();

      await table(db, 'audit_log')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', big)
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('request_id', 'text')
        .addColumn('detail', 'text')
        .execute();
      await refuseChanges(db, dialect, 'audit_log', 'the audit log is append-only');

      await table(db, 'outbox_events')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
