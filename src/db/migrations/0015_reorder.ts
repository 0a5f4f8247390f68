import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { bigType } from './helpers.js';

/**
 * Reorder settings of an item (int64 millionths, like every quantity; NULL = not set): the
 * dashboard's low stock compares what is available with `reorder_point`, flags stock below
 * `safety_stock` as critical and suggests `reorder_quantity`. One ADD COLUMN per statement,
 * which both SQLite and PostgreSQL accept.
 */
export function reorderMigration(dialect: Dialect) {
  const big = bigType(dialect);
  const columns = ['reorder_point', 'safety_stock', 'reorder_quantity'];
  return {
    async up(db: Kysely<any>): Promise<void> {
      for (const column of columns) await db.schema.alterTable('items').addColumn(column, big).execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      for (const column of [...columns].reverse()) await db.schema.alterTable('items').dropColumn(column).execute();
    },
  };
}
