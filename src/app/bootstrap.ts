import type { Store } from '../db/store.js';
import { hashPassword } from '../modules/auth/password.js';
import { ensureCompany, generatePassword } from './companies.js';

export interface BootstrapResult {
  orgId: number;
  /** Set only when the admin was created now with a generated password: print it once. */
  generatedPassword?: string;
  createdAdmin: boolean;
}

/**
 * On an empty database: company `default`, its virtual locations and user `admin` with
 * CANGKU_ADMIN_PASSWORD or a generated password. On a populated one: nothing. Further companies:
 * `cangku company add` (createCompany in companies.ts).
 */
export async function bootstrap(store: Store, adminPassword = process.env.CANGKU_ADMIN_PASSWORD): Promise<BootstrapResult> {
  const password = adminPassword && adminPassword.length > 0 ? adminPassword : generatePassword();
  const passwordHash = await hashPassword(password);
  const { orgId, createdAdmin } = await store.run((tx) => ensureCompany(tx, { code: 'default', name: 'Default company', passwordHash }, 'bootstrap'));
  return { orgId, createdAdmin, ...(createdAdmin && !adminPassword ? { generatedPassword: password } : {}) };
}
