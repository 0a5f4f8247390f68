import { num } from '../../db/schema.js';
import type { Tx } from '../../db/store.js';

export interface UserRef {
  id: number;
  username: string;
  role: string;
  disabled: boolean;
}

/** Users of the company by id (unknown ids are left out). */
export async function usersById(tx: Tx, orgId: number, ids: number[]): Promise<Map<number, UserRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.selectFrom('users').select(['id', 'username', 'role', 'disabled']).where('org_id', '=', orgId).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [num(r.id), { id: num(r.id), username: r.username, role: r.role, disabled: num(r.disabled) === 1 }]));
}

/** Users of the company by username (unknown names are left out). */
export async function usersByName(tx: Tx, orgId: number, names: string[]): Promise<Map<string, UserRef>> {
  const unique = [...new Set(names)];
  if (unique.length === 0) return new Map();
  const rows = await tx.selectFrom('users').select(['id', 'username', 'role', 'disabled']).where('org_id', '=', orgId).where('username', 'in', unique).execute();
  return new Map(rows.map((r) => [r.username, { id: num(r.id), username: r.username, role: r.role, disabled: num(r.disabled) === 1 }]));
}
