import type { Store } from '../db/store.js';
import { forbidden } from '../core/errors.js';
import { hasPermission, type Permission } from '../modules/auth/permissions.js';

/** Who is acting: resolved from the bearer token by the HTTP layer, or the CLI's system actor. */
export interface Actor {
  orgId: number;
  userId: number;
  username: string;
  role: string;
  requestId: string;
  /** The rights of the actor's role when resolved from the database (custom roles); else the built-in role's. */
  permissions?: ReadonlySet<string>;
  /** The warehouses the actor may see and touch; undefined or null: every warehouse. */
  warehouseIds?: readonly number[] | null;
  /** Set after an admin reset the password: only changing it (and logging out) is allowed. */
  mustChangePassword?: boolean;
  /** Client address (rate limits, audit "from where"). */
  ip?: string;
  /** The token this request came with (marks the current session in token lists). */
  tokenId?: number;
}

/** Everything a service operation needs besides its input. */
export interface ServiceContext {
  store: Store;
  actor: Actor;
  /** Set when the caller sent an Idempotency-Key; `hash` identifies the request it came with. */
  idempotency?: { key: string; hash: string };
}

export function can(actor: Actor, permission: Permission): boolean {
  return actor.permissions ? actor.permissions.has(permission) : hasPermission(actor.role, permission);
}

export function authorize(actor: Actor, permission: Permission): void {
  if (actor.mustChangePassword) throw forbidden('the password was reset: change it first (POST /api/v1/auth/change-password)');
  if (!can(actor, permission)) throw forbidden(`role ${actor.role} lacks ${permission}`);
}

/** The warehouse ids the actor is limited to, or null when it sees every warehouse (filter lists with it). */
export function visibleWarehouseIds(actor: Actor): readonly number[] | null {
  return actor.warehouseIds ?? null;
}

export function canSeeWarehouse(actor: Actor, warehouseId: number | null | undefined): boolean {
  const ids = visibleWarehouseIds(actor);
  // Documents without a warehouse (virtual locations only) are not scoped.
  return ids === null || warehouseId === null || warehouseId === undefined || ids.includes(Number(warehouseId));
}

/** Throws 403 unless the actor may act on / see this warehouse. */
export function requireWarehouse(actor: Actor, warehouseId: number | null | undefined, what = 'warehouse'): void {
  if (!canSeeWarehouse(actor, warehouseId)) throw forbidden(`your user is not allowed in this ${what}'s warehouse`);
}

/** `authorize` plus the warehouse scope: the right AND the warehouse (403 otherwise). */
export function authorizeWarehouse(actor: Actor, permission: Permission, warehouseId: number | null | undefined): void {
  authorize(actor, permission);
  requireWarehouse(actor, warehouseId);
}

/**
 * Kysely helper for list filters: `scopeToWarehouses(query, 'warehouse_id', actor)`. A scoped actor
 * with no warehouses gets a filter that matches nothing ("sees nothing").
 */
export function scopeToWarehouses<Q>(query: Q, column: string, actor: Actor): Q {
  const ids = visibleWarehouseIds(actor);
  if (ids === null) return query;
  // Kysely's `where` overloads cannot be typed over an arbitrary query; the column is a literal at every call.
  const q = query as unknown as { where(column: string, op: string, value: unknown): Q };
  return ids.length === 0 ? q.where(column, '=', -1) : q.where(column, 'in', [...ids]);
}
