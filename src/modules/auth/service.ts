import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { conflict, unauthorized, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Store } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type Actor, type ServiceContext } from '../../app/context.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password.js';
import { ROLES } from './permissions.js';

export const TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** How long a resolved token is trusted without asking the database; logout evicts at once here. */
const CACHE_MS = 2_000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Bearer tokens: 32 random bytes shown once; only their SHA-256 is stored, so a leaked database
 * holds no usable token. Tokens expire after TOKEN_TTL_MS and can be revoked (logout).
 */
export class TokenService {
  private cache = new Map<string, { actor: Omit<Actor, 'requestId'>; until: number }>();
  constructor(private readonly store: Store) {}

  async login(username: string, password: string, company = 'default', requestId: string = randomUUID()) {
    const org = await this.store.read.selectFrom('orgs').select('id').where('code', '=', company).executeTakeFirst();
    const user = org
      ? await this.store.read.selectFrom('users').selectAll().where('org_id', '=', num(org.id)).where('username', '=', username).executeTakeFirst()
      : undefined;
    // Hash even for unknown users, so the answer takes as long either way.
    const valid = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !valid || num(user.disabled) === 1) throw unauthorized('wrong username or password');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + TOKEN_TTL_MS).toISOString();
    const actor: Actor = { orgId: num(user.org_id), userId: num(user.id), username: user.username, role: user.role, requestId };
    await runCommand({ store: this.store, actor }, async ({ tx }) => {
      await tx.insertInto('api_tokens').values({ org_id: actor.orgId, user_id: actor.userId, token_hash: sha256(token), created_at: nowIso(), expires_at: expiresAt, revoked_at: null }).execute();
      return { status: 200, body: null, audit: { action: 'auth.login', targetType: 'user', targetId: actor.userId } };
    });
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<Omit<Actor, 'requestId'> | undefined> {
    const hash = sha256(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.actor;
    const row = await this.store.read
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 't.org_id').onRef('u.id', '=', 't.user_id'))
      .select(['t.org_id', 't.user_id', 't.expires_at', 't.revoked_at', 'u.username', 'u.role', 'u.disabled'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.expires_at <= nowIso() || num(row.disabled) === 1) {
      this.cache.delete(hash);
      return undefined;
    }
    const actor = { orgId: num(row.org_id), userId: num(row.user_id), username: row.username, role: row.role };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { actor, until: Math.min(Date.now() + CACHE_MS, Date.parse(row.expires_at)) });
    return actor;
  }

  async revoke(ctx: ServiceContext, token: string) {
    const hash = sha256(token);
    this.cache.delete(hash);
    return runCommand(ctx, async ({ tx }) => {
      await tx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('token_hash', '=', hash).where('org_id', '=', ctx.actor.orgId).execute();
      return { status: 204, body: null, audit: { action: 'auth.logout', targetType: 'user', targetId: ctx.actor.userId } };
    });
  }
}

export async function createUser(ctx: ServiceContext, input: { username: string; password: string; role: string }) {
  authorize(ctx.actor, 'user.manage');
  if (!(ROLES as readonly string[]).includes(input.role)) throw validationError(`unknown role ${input.role}`, [{ field: 'role', message: `one of ${ROLES.join(', ')}` }]);
  const passwordHash = await hashPassword(input.password); // before the transaction: hashing is slow
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const existing = await tx.selectFrom('users').select('id').where('org_id', '=', orgId).where('username', '=', input.username).executeTakeFirst();
    if (existing) throw conflict(`user ${input.username} already exists`);
    const row = await tx
      .insertInto('users')
      .values({ org_id: orgId, username: input.username, password_hash: passwordHash, role: input.role, disabled: 0, created_at: nowIso() })
      .returning(['id', 'username', 'role', 'created_at'])
      .executeTakeFirstOrThrow();
    const body = { id: num(row.id), username: row.username, role: row.role, disabled: false, createdAt: row.created_at };
    return { status: 201, body, audit: { action: 'user.create', targetType: 'user', targetId: body.id, detail: { after: body } } };
  });
}

export async function listUsers(ctx: ServiceContext) {
  authorize(ctx.actor, 'user.manage');
  const rows = await ctx.store.read.selectFrom('users').select(['id', 'username', 'role', 'disabled', 'created_at']).where('org_id', '=', ctx.actor.orgId).orderBy('username').execute();
  return rows.map((r) => ({ id: num(r.id), username: r.username, role: r.role, disabled: num(r.disabled) === 1, createdAt: r.created_at }));
}
