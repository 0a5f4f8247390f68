import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Store, Tx } from '../db/store.js';
import { num } from '../db/schema.js';
import { conflict, validationError } from '../core/errors.js';
import { Code, Name } from '../http/schemas.js';
import { nowIso } from '../ledger/context.js';
import { VIRTUAL_LOCATIONS } from '../ledger/locations.js';
import { hashPassword } from '../modules/auth/password.js';

/**
 * Companies (the `orgs` table). Each has its own items, warehouses, ledger and users: the same
 * username in two companies is two accounts with their own passwords. Companies are created by
 * the operator (CLI), not through the API, so no account can learn which other companies exist.
 */

export interface CreatedCompany {
  orgId: number;
  code: string;
  name: string;
  /** Set only when the admin's password was generated here: show it once. */
  generatedPassword?: string;
}

export interface CompanySummary {
  code: string;
  name: string;
  users: number;
  createdAt: string;
}

const CompanyInput = z.strictObject({
  code: Code,
  name: Name,
  // Same rule as any password set through the API; the bootstrap's CANGKU_ADMIN_PASSWORD is exempt (see bootstrap.ts).
  adminPassword: z.string().min(8, 'at least 8 characters').max(1024).optional(),
});

export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Make sure company `code` exists with its virtual locations and, when it has no user yet, an
 * `admin` with the given password hash. Idempotent; returns whether it created the admin.
 */
export async function ensureCompany(tx: Tx, input: { code: string; name: string; passwordHash: string }, auditAction: string): Promise<{ orgId: number; createdAdmin: boolean }> {
  const at = nowIso();
  let org = await tx.selectFrom('orgs').select('id').where('code', '=', input.code).executeTakeFirst();
  if (!org) org = await tx.insertInto('orgs').values({ code: input.code, name: input.name, created_at: at }).returning('id').executeTakeFirstOrThrow();
  const orgId = num(org.id);
  for (const v of VIRTUAL_LOCATIONS) {
    const exists = await tx.selectFrom('locations').select('id').where('org_id', '=', orgId).where('kind', '=', v.kind).where('warehouse_id', 'is', null).executeTakeFirst();
    if (!exists) await tx.insertInto('locations').values({ org_id: orgId, code: v.code, name: v.name, kind: v.kind, warehouse_id: null, parent_id: null, created_at: at }).execute();
  }
  const anyUser = await tx.selectFrom('users').select('id').where('org_id', '=', orgId).limit(1).executeTakeFirst();
  if (anyUser) return { orgId, createdAdmin: false };
  await tx.insertInto('users').values({ org_id: orgId, username: 'admin', password_hash: input.passwordHash, role: 'admin', disabled: 0, created_at: at }).execute();
  await tx.insertInto('audit_log').values({ org_id: orgId, at, user_id: null, action: auditAction, target_type: 'org', target_id: String(orgId), request_id: null, detail: null }).execute();
  return { orgId, createdAdmin: true };
}

/**
 * A new company with its virtual locations and user `admin` (the given password, or a generated
 * one returned once). Invalid input: 422-style validation error; an existing code (in any letter
 * case, since people type it at login): conflict. Writes nothing on error.
 */
export async function createCompany(store: Store, input: { code: string; name?: string; adminPassword?: string }): Promise<CreatedCompany> {
  const parsed = CompanyInput.safeParse({ ...input, name: input.name ?? input.code });
  if (!parsed.success) {
    const errors = parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'company', message: i.message }));
    throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  const { code, name, adminPassword } = parsed.data;
  const password = adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const { orgId } = await store.run(async (tx) => {
    const taken = await tx.selectFrom('orgs').select('code').where(sql<string>`lower(code)`, '=', code.toLowerCase()).executeTakeFirst();
    if (taken) throw conflict(`company ${taken.code} already exists`);
    return ensureCompany(tx, { code, name, passwordHash }, 'company.create');
  });
  return { orgId, code, name, ...(adminPassword ? {} : { generatedPassword: password }) };
}

/** Every company with its number of users, by code. */
export async function listCompanies(store: Store): Promise<CompanySummary[]> {
  const rows = await store.read
    .selectFrom('orgs as o')
    .leftJoin('users as u', 'u.org_id', 'o.id')
    .select(['o.code', 'o.name', 'o.created_at', (eb) => eb.fn.count<number | string | bigint>('u.id').as('users')])
    .groupBy(['o.id', 'o.code', 'o.name', 'o.created_at'])
    .orderBy('o.code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, users: Number(r.users), createdAt: r.created_at }));
}
