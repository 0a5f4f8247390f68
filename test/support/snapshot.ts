import { sql } from 'kysely';
import type { Store } from '../../src/db/store.js';

/**
 * Everything a command could write, in a comparable form, to prove a refused command wrote
 * nothing: the row count of every table of the schema (listed from the catalog, so new modules'
 * tables are included without listing them), plus balances, order states and items in detail.
 */
export async function snapshot(store: Store) {
  const db = store.read;
  // Only our own schema: other suites create and drop theirs meanwhile.
  const listed =
    store.dialect === 'postgres'
      ? await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(db)
      : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db);
  const tables = listed.rows.map((r) => r.name).filter((name) => !name.startsWith('kysely_')).sort();
  const counts: Record<string, number> = {};
  for (const table of tables) {
    counts[table] = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n);
  }
  const balances = await db.selectFrom('balances').select(['item_id', 'location_id', 'lot_id', 'on_hand', 'reserved']).orderBy('item_id').orderBy('location_id').orderBy('lot_id').execute();
  const orders = await db.selectFrom('sales_orders').select(['id', 'status']).orderBy('id').execute();
  const items = await db.selectFrom('items').select(['id', 'name', 'unit', 'unit_precision', 'tracking', 'archived']).orderBy('id').execute();
  return {
    counts,
    balances: balances.map((b) => `${b.item_id}:${b.location_id}:${b.lot_id}=${b.on_hand}/${b.reserved}`),
    orders: orders.map((o) => `${o.id}:${o.status}`),
    items: items.map((i) => JSON.stringify(i, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
  };
}
