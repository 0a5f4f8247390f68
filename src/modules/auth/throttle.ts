import { sql } from 'kysely';
import { DomainError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Store, Tx } from '../../db/store.js';
import type { SecurityConfig } from './config.js';

/**
 * Brute-force protection: failed logins are counted per username (`user:<company>/<name>`) and
 * per client address (`ip:<address>`) in the database, so every server process shares them.
 * After `allowed` failures each further failure locks the key for base x 2^(n-1), capped; while a
 * key is locked every attempt is refused with 429 and Retry-After, even with the right password,
 * so a lockout cannot be used to test passwords. A successful login clears its username's counter
 * (not the address's: one good account must not reset the count of guesses at others).
 */
export class LoginThrottle {
  constructor(private readonly store: Store, private readonly config: SecurityConfig) {}

  static userKey(company: string, username: string) {
    return `user:${company}/${username.toLowerCase()}`;
  }
  static ipKey(ip: string) {
    return `ip:${ip}`;
  }

  /** Throws 429 `rate-limited` while any of the keys is locked. */
  async check(keys: string[]): Promise<void> {
    const rows = await this.store.read.selectFrom('login_throttle').select(['throttle_key', 'locked_until']).where('throttle_key', 'in', keys).execute();
    const now = Date.now();
    const until = Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) : 0)));
    if (until > now) {
      const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
      throw new DomainError('rate-limited', `too many failed logins: try again in ${retryAfter} s`, undefined, { retryAfter, retryAfterMs: until - now });
    }
  }

  /** Counts one failure against each key (in the caller's transaction) and locks the ones over their limit. */
  async fail(tx: Tx, keys: Array<{ key: string; allowed: number }>): Promise<void> {
    const now = Date.now();
    const at = new Date(now).toISOString();
    const forgetBefore = new Date(now - this.config.failureWindowMs).toISOString();
    for (const { key, allowed } of keys) {
      // Failures outside the window are forgotten: restart the count at 1.
      const row = await tx
        .insertInto('login_throttle')
        .values({ throttle_key: key, failures: 1, locked_until: null, updated_at: at })
        .onConflict((oc) =>
          oc.column('throttle_key').doUpdateSet({
            failures: sql`CASE WHEN login_throttle.updated_at < ${forgetBefore} THEN 1 ELSE login_throttle.failures + 1 END`,
            updated_at: at,
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      const failures = num(row.failures);
      if (failures > allowed) {
        const exponent = Math.min(failures - allowed - 1, 30);
        const lockMs = Math.min(this.config.lockoutBaseMs * 2 ** exponent, this.config.lockoutMaxMs);
        await tx.updateTable('login_throttle').set({ locked_until: new Date(now + lockMs).toISOString() }).where('throttle_key', '=', key).execute();
      }
    }
  }

  async succeed(tx: Tx, key: string): Promise<void> {
    await tx.deleteFrom('login_throttle').where('throttle_key', '=', key).execute();
  }
}
