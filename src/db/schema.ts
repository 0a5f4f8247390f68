import type { ColumnType } from 'kysely';
import type { SettingsTables } from './tables/settings.js';
import type { ProcurementTables } from './tables/procurement.js';
import type { TransfersTables } from './tables/transfers.js';
import type { CountsTables } from './tables/counts.js';
import type { ReturnsTables } from './tables/returns.js';
import type { ShippingTables } from './tables/shipping.js';
import type { SalesOrderTables } from './tables/sales.js';
import type { PickingTables } from './tables/picking.js';
import type { WebhookTables } from './tables/webhooks.js';
import type { ImportTables } from './tables/imports.js';
import type { UserTables } from './tables/users.js';
import type { ApprovalTables } from './tables/approvals.js';

/**
 * Table types. Integer columns come back as bigint from SQLite (safe integers) and PostgreSQL
 * (int8 parser) alike, so they are typed loosely here and converted with `num`/`toBigInt` where read.
 * Timestamps are ISO-8601 UTC text and dates `YYYY-MM-DD` on both engines, so that one set of
 * migrations and queries serves both (see docs/architecture.md).
 */
export type Int = number | bigint | string;
type Id = ColumnType<Int, Int | undefined, never>;

export interface OrgsTable { id: Id; code: string; name: string; created_at: string }

export interface UsersTable {
  org_id: Int; id: Id; username: string; password_hash: string; role: string;
  disabled: Int; created_at: string;
  /** Added by 0013_users (docs/security.md). */
  must_change_password: Defaulted<Int>; all_warehouses: Defaulted<Int>; updated_at: string | null;
}

export interface ApiTokensTable {
  org_id: Int; id: Id; user_id: Int; token_hash: string; created_at: string; expires_at: string;
  revoked_at: string | null;
  /** Added by 0013_users: 'session' (login) or 'api' (named token); last use for idle expiry. */
  kind: Defaulted<string>; name: string | null; last_used_at: string | null;
}

export interface ItemsTable {
  org_id: Int; id: Id; sku: string; name: string; unit: string; unit_precision: Int;
  tracking: 'none' | 'lot' | 'serial'; barcode: string | null; category: string | null; archived: Int;
  created_at: string; updated_at: string;
  /** Reorder settings (0015_reorder), scaled by 10^6; NULL = not set. */
  reorder_point: Defaulted<Int | null>; safety_stock: Defaulted<Int | null>; reorder_quantity: Defaulted<Int | null>;
}

export interface WarehousesTable {
  org_id: Int; id: Id; code: string; name: string; view_location_id: Int | null;
  stock_location_id: Int | null; created_at: string; updated_at: string;
}

export type LocationKind =
  | 'warehouse' | 'stock' | 'zone' | 'bin' | 'inspection' | 'rejected'
  /** Stock held back from use (a short pick's missing quantity until counted): on hand, never available. */
  | 'hold'
  | 'supplier' | 'customer' | 'production' | 'scrap' | 'adjustment' | 'transit';

export interface LocationsTable {
  org_id: Int; id: Id; code: string; name: string; kind: LocationKind; warehouse_id: Int | null;
  parent_id: Int | null; created_at: string;
}

export interface LotsTable {
  org_id: Int; id: Id; item_id: Int; code: string; expires_on: string | null; created_at: string;
}

export interface BalancesTable {
  org_id: Int; item_id: Int; location_id: Int; lot_id: Int; on_hand: Int; reserved: Int;
}

export interface PostingsTable {
  org_id: Int; id: Id; posting_key: string; document_type: string; document_id: Int;
  move_count: Int; quantity_total: Int; posted_at: string; posted_by: Int;
}

export interface MovesTable {
  org_id: Int; id: Id; posting_id: Int; item_id: Int; lot_id: Int; from_location_id: Int;
  to_location_id: Int; quantity: Int; unit_cost: Int | null; value: Int | null;
  document_type: string; document_id: Int; reverses_move_id: Int | null; posted_at: string;
  posted_by: Int;
}

export interface ReservationsTable {
  org_id: Int; id: Id; document_type: string; document_id: Int; line_id: Int; item_id: Int;
  location_id: Int; lot_id: Int; quantity: Int; status: 'open' | 'released' | 'consumed';
  created_at: string;
}

export interface ValuationLayersTable {
  org_id: Int; id: Id; item_id: Int; move_id: Int; quantity: Int; unit_cost: Int; value: Int;
  remaining_quantity: Int; remaining_value: Int; created_at: string;
}

export interface AdjustmentsTable {
  org_id: Int; id: Id; warehouse_id: Int; reason: string | null; status: string;
  created_by: Int; created_at: string;
}

export interface AdjustmentLinesTable {
  org_id: Int; id: Id; adjustment_id: Int; line_no: Int; item_id: Int; lot_id: Int;
  quantity: Int; unit_cost: Int | null;
}

export type SalesOrderStatus = 'draft' | 'confirmed' | 'partially_shipped' | 'shipped' | 'cancelled';

/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface SalesOrdersTable {
  org_id: Int; id: Id; customer: string; warehouse_id: Int; status: SalesOrderStatus;
  created_by: Int; created_at: string; updated_at: string; confirmed_at: string | null;
  shipped_at: string | null; cancelled_at: string | null;
  /** Added by 0009_sales_orders (docs/sales-orders.md). Priority 1 (most urgent) .. 9, default 5. */
  partner_id: Int | null; priority: Defaulted<Int>; allow_backorder: Defaulted<Int>;
  requested_on: string | null; reference: string | null; note: string | null;
}

export interface SalesOrderLinesTable {
  org_id: Int; id: Id; order_id: Int; line_no: Int; item_id: Int; quantity: Int;
  /** Added by 0009_sales_orders. Money and percents are int64 millionths. */
  warehouse_id: Int; cancelled_quantity: Defaulted<Int>; unit_price: Int | null; discount_percent: Defaulted<Int>;
  requested_on: string | null; promised_on: string | null;
}

export interface IdempotencyKeysTable {
  org_id: Int; idem_key: string; request_hash: string; status_code: Int | null;
  response_body: string | null; created_at: string;
}

export interface AuditLogTable {
  org_id: Int; id: Id; at: string; user_id: Int | null; action: string; target_type: string | null;
  target_id: string | null; request_id: string | null; detail: string | null;
  /** Added by 0013_users: the client address of the request. */
  client_ip: string | null;
}

export interface OutboxEventsTable {
  org_id: Int; id: Id; type: string; payload: string; created_at: string;
}

/** Every table; each capability's own tables are declared in src/db/tables/. */
export interface DB extends SettingsTables, ProcurementTables, TransfersTables, CountsTables, ReturnsTables, ShippingTables,
  SalesOrderTables, PickingTables, WebhookTables, ImportTables, UserTables, ApprovalTables {
  orgs: OrgsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  items: ItemsTable;
  warehouses: WarehousesTable;
  locations: LocationsTable;
  lots: LotsTable;
  balances: BalancesTable;
  postings: PostingsTable;
  moves: MovesTable;
  reservations: ReservationsTable;
  valuation_layers: ValuationLayersTable;
  adjustments: AdjustmentsTable;
  adjustment_lines: AdjustmentLinesTable;
  sales_orders: SalesOrdersTable;
  sales_order_lines: SalesOrderLinesTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  outbox_events: OutboxEventsTable;
}

/** A bigint/number/string integer column as a JS number (ids, counts, precision). */
export function num(value: Int | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`integer out of range: ${String(value)}`);
  return n;
}
