import { sql } from 'kysely';
import type { Store } from '../../src/db/store.js';

/** Everything a command could write, in a comparable form, to prove a refused command wrote nothing. */
export async function snapshot(store: Store) {
  const db = store.read;
  const count = async (table: 'moves' | 'postings' | 'items' | 'warehouses' | 'locations' | 'lots' | 'sales_orders' | 'sales_order_lines' | 'adjustments' | 'adjustment_lines' | 'reservations' | 'valuation_layers' | 'idempotency_keys' | 'audit_log' | 'outbox_events' | 'users' | 'stock_counts' | 'stock_count_lines' | 'stock_count_entries') =>
    Number((await db.selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const balances = await db.selectFrom('balances').select(['item_id', 'location_id', 'lot_id', 'on_hand', 'reserved']).orderBy('item_id').orderBy('location_id').orderBy('lot_id').execute();
  const orders = await db.selectFrom('sales_orders').select(['id', 'status']).orderBy('id').execute();
  const items = await db.selectFrom('items').select(['id', 'name', 'unit', 'unit_precision', 'tracking', 'archived']).orderBy('id').execute();
  return {
    counts: Object.fromEntries(
      await Promise.all(
        (['moves', 'postings', 'items', 'warehouses', 'locations', 'lots', 'sales_orders', 'sales_order_lines', 'adjustments', 'adjustment_lines', 'reservations', 'valuation_layers', 'idempotency_keys', 'audit_log', 'outbox_events', 'users', 'stock_counts', 'stock_count_lines', 'stock_count_entries'] as const).map(async (t) => [t, await count(t)]),
      ),
    ),
    balances: balances.map((b) => `${b.item_id}:${b.location_id}:${b.lot_id}=${b.on_hand}/${b.reserved}`),
    orders: orders.map((o) => `${o.id}:${o.status}`),
    items: items.map((i) => JSON.stringify(i, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
  };
}
