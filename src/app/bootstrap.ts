import { randomBytes } from 'node:crypto';
import type { Store } from '../db/store.js';
import { num } from '../db/schema.js';
import { nowIso } from '../ledger/context.js';
import { VIRTUAL_LOCATIONS } from '../ledger/locations.js';
import { hashPassword } from '../modules/auth/password.js';

export interface BootstrapResult {
  orgId: number;
  /** Set only when the admin was created now with a generated password: print it once. */
  generatedPassword?: string;
  createdAdmin: boolean;
}

/**
 * On an empty database: company `default`, its virtual locations and user `admin` with
 * CANGKU_ADMIN_PASSWORD or a generated password. On a populated one: nothing.
 */
export async function bootstrap(store: Store, adminPassword = process.env.CANGKU_ADMIN_PASSWORD): Promise<BootstrapResult> {
  const password = adminPassword && adminPassword.length > 0 ? adminPassword : randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  return store.run(async (tx) => {
    const at = nowIso();
    let org = await tx.selectFrom('orgs').select('id').where('code', '=', 'default').executeTakeFirst();
    if (!org) org = await tx.insertInto('orgs').values({ code: 'default', name: 'Default company', created_at: at }).returning('id').executeTakeFirstOrThrow();
    const orgId = num(org.id);
    for (const v of VIRTUAL_LOCATIONS) {
      const exists = await tx.selectFrom('locations').select('id').where('org_id', '=', orgId).where('kind', '=', v.kind).where('warehouse_id', 'is', null).executeTakeFirst();
      if (!exists) await tx.insertInto('locations').values({ org_id: orgId, code: v.code, name: v.name, kind: v.kind, warehouse_id: null, parent_id: null, created_at: at }).execute();
    }
    const anyUser = await tx.selectFrom('users').select('id').where('org_id', '=', orgId).limit(1).executeTakeFirst();
    if (anyUser) return { orgId, createdAdmin: false };
    await tx.insertInto('users').values({ org_id: orgId, username: 'admin', password_hash: passwordHash, role: 'admin', disabled: 0, created_at: at }).execute();
    await tx.insertInto('audit_log').values({ org_id: orgId, at, user_id: null, action: 'bootstrap', target_type: 'org', target_id: String(orgId), request_id: null, detail: null }).execute();
    return { orgId, createdAdmin: true, ...(adminPassword ? {} : { generatedPassword: password }) };
  });
}
