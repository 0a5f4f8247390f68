import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The integer type of ids, quantities and money (int64 millionths) on each engine. */
export const bigType = (dialect: Dialect) => (dialect === 'postgres' ? 'bigint' : 'integer');

/**
 * An org-scoped table with a generated id: PRIMARY KEY (org_id, id) on PostgreSQL (org can be the
 * distribution column), INTEGER PRIMARY KEY AUTOINCREMENT on SQLite.
 */
export function orgTable(db: Kysely<any>, dialect: Dialect, name: string): CreateTableBuilder<string, string> {
  let t = db.schema.createTable(name).addColumn('org_id', bigType(dialect), (c) => c.notNull());
  if (dialect === 'postgres') {
    t = t
      .addColumn('id', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
      .addPrimaryKeyConstraint(`${name}_pkey`, ['org_id', 'id']);
  } else {
    t = t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  }
  return t;
}

/** The database itself refuses UPDATE and DELETE on the table. */
export async function appendOnly(db: Kysely<any>, dialect: Dialect, tableName: string, message: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql.raw(`CREATE OR REPLACE FUNCTION cangku_${tableName}_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION '${message}'; END; $$ LANGUAGE plpgsql`).execute(db);
    await sql.raw(`CREATE TRIGGER ${tableName}_append_only BEFORE UPDATE OR DELETE ON ${tableName}
      FOR EACH ROW EXECUTE FUNCTION cangku_${tableName}_append_only()`).execute(db);
  } else {
    for (const op of ['update', 'delete']) {
      await sql.raw(`CREATE TRIGGER ${tableName}_no_${op} BEFORE ${op.toUpperCase()} ON ${tableName}
        BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(db);
    }
  }
}
