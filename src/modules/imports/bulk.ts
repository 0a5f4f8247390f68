import { sql, type Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { LedgerTx } from '../../ledger/context.js';

/** bigint: scaled quantities (int64 columns). */
type Value = string | number | bigint | null;

/**
 * Insert many rows at once, skipping rows whose unique key exists, returning the inserted rows.
 * On PostgreSQL the values go as one array per column through `unnest` (a dozen parameters
 * instead of ten thousand, which the driver and the planner handle many times faster); SQLite
 * runs in-process, where a multi-row VALUES statement is already cheap.
 */
export async function insertMany<T extends 'items' | 'partners'>(
  lt: LedgerTx,
  table: T,
  columns: Array<{ name: string; pgType: 'text' | 'bigint' | 'integer' }>,
  rows: Value[][],
  uniqueKey: string[],
): Promise<Array<Selectable<DB[T]>>> {
  if (rows.length === 0) return [];
  if (lt.dialect === 'postgres') {
    const arrays = columns.map((column, i) => sql`${rows.map((r) => r[i] ?? null)}::${sql.raw(column.pgType)}[]`);
    const result = await sql<Selectable<DB[T]>>`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
      select * from unnest(${sql.join(arrays)})
      on conflict (${sql.join(uniqueKey.map((k) => sql.ref(k)))}) do nothing returning *`.execute(lt.tx);
    return result.rows;
  }
  const records = rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i] ?? null])));
  return (await lt.tx
    .insertInto(table)
    .values(records as never)
    .onConflict((oc) => oc.columns(uniqueKey as never).doNothing())
    .returningAll()
    .execute()) as Array<Selectable<DB[T]>>;
}
