import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** Per-company settings (approval thresholds, tolerances) as key -> JSON text. */
export function settingsMigration(dialect: Dialect) {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('org_settings')
        .addColumn('org_id', big, (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('org_settings_pkey', ['org_id', 'key'])
        .execute();
    },
  };
}
