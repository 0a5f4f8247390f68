import type { ColumnType } from 'kysely';
import type { Int } from '../schema.js';

/** Tables of users, roles, warehouse scopes, login security (src/modules/users). */

/** Custom roles; `permissions` is a JSON array of rights (src/modules/auth/permissions.ts). */
export interface RolesTable {
  org_id: Int; id: ColumnType<Int, Int | undefined, never>; name: string; description: string | null; permissions: string;
  created_at: string; updated_at: string;
}

/** The warehouses a user with all_warehouses = 0 may see and touch. */
export interface UserWarehousesTable {
  org_id: Int; user_id: Int; warehouse_id: Int;
}

/** Failed-login counters: `user:<company>/<username>` and `ip:<address>`. */
export interface LoginThrottleTable {
  throttle_key: string; failures: Int; locked_until: string | null; updated_at: string;
}

export interface UserTables {
  roles: RolesTable;
  user_warehouses: UserWarehousesTable;
  login_throttle: LoginThrottleTable;
}
