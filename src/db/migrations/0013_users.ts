import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType, orgTable } from './helpers.js';

/**
 * Tables of users, roles, warehouse scopes, login security (src/modules/users, docs/security.md).
 * - users gain: must_change_password (after an admin reset), all_warehouses (1 = no scope; 0 = only
 *   the warehouses in user_warehouses), updated_at.
 * - api_tokens gain: kind ('session' from login, 'api' named long-lived tokens), name, last_used_at
 *   (idle expiry of sessions).
 * - roles: custom roles of a company with their list of rights; the built-in roles live in code.
 * - login_throttle: failure counters per username and per client address (backoff and lockout).
 *   Keyed by text, not by org: an address is counted before any company is known.
 */
export function usersMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const table = (db: Kysely<any>, name: string) => orgTable(db, dialect, name);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('users').addColumn('all_warehouses', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      await db.schema.alterTable('users').addColumn('updated_at', 'text').execute();

      // "From where": the client address of every audited command (null for the CLI and old rows).
      await db.schema.alterTable('audit_log').addColumn('client_ip', 'text').execute();
      await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['org_id', 'user_id', 'id']).execute();

      await db.schema.alterTable('api_tokens').addColumn('kind', 'text', (c) => c.notNull().defaultTo('session')).execute();
      await db.schema.alterTable('api_tokens').addColumn('name', 'text').execute();
      await db.schema.alterTable('api_tokens').addColumn('last_used_at', 'text').execute();
      await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').columns(['org_id', 'user_id']).execute();

      await table(db, 'roles')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('permissions', 'text', (c) => c.notNull()) // JSON array of rights
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('roles_name_key', ['org_id', 'name'])
        .execute();

      await db.schema
        .createTable('user_warehouses')
        .addColumn('org_id', big, (c) => c.notNull())
        .addColumn('user_id', big, (c) => c.notNull())
        .addColumn('warehouse_id', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('user_warehouses_pkey', ['org_id', 'user_id', 'warehouse_id'])
        .execute();

      await db.schema
        .createTable('login_throttle')
        .addColumn('throttle_key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
