import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { conflict, forbidden, notFound, unauthorized } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { Store, Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { can, type Actor, type ServiceContext } from '../../app/context.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password.js';
import { builtInRights } from './permissions.js';
import { securityConfig, type SecurityConfig } from './config.js';
import { LoginThrottle } from './throttle.js';

/** How long a resolved token is trusted without asking the database; revocations here evict at once. */
const CACHE_MS = 2_000;
/** At most this many live named API tokens per user: an explicit bound. */
const MAX_API_TOKENS = 50;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

type ResolvedActor = Omit<Actor, 'requestId'>;
type CacheEntry = { actor: ResolvedActor; until: number };

/** Every token cache of this process, so that a revocation or a user change evicts everywhere. */
const caches = new Set<Map<string, CacheEntry>>();

/** Forget cached tokens of one user (after a change of role, scope, password or a revocation). */
export function forgetUser(orgId: number, userId: number): void {
  for (const cache of caches) for (const [hash, e] of cache) if (e.actor.orgId === orgId && e.actor.userId === userId) cache.delete(hash);
}

/** The rights of a role: built-in, or a custom role of the company (no such role: no rights). */
export async function roleRights(db: Tx, orgId: number, role: string): Promise<ReadonlySet<string>> {
  const builtIn = builtInRights(role);
  if (builtIn) return builtIn;
  const row = await db.selectFrom('roles').select('permissions').where('org_id', '=', orgId).where('name', '=', role).executeTakeFirst();
  return new Set(row ? (JSON.parse(row.permissions) as string[]) : []);
}

/** The warehouses a user may see: null for all. */
export async function userWarehouseIds(db: Tx, orgId: number, userId: number, allWarehouses: boolean): Promise<number[] | null> {
  if (allWarehouses) return null;
  const rows = await db.selectFrom('user_warehouses').select('warehouse_id').where('org_id', '=', orgId).where('user_id', '=', userId).orderBy('warehouse_id').execute();
  return rows.map((r) => num(r.warehouse_id));
}

/** Refuses everything but changing the password after an admin reset. */
export function requireActive(actor: Actor): void {
  if (actor.mustChangePassword) throw forbidden('the password was reset: change it first (POST /api/v1/auth/change-password)');
}

/**
 * Bearer tokens: 32 random bytes shown once; only their SHA-256 is stored, so a leaked database
 * holds no usable token. Login sessions expire absolutely (sessionTtl) and when idle (sessionIdle);
 * named API tokens expire at their own date. Any token can be revoked.
 */
export class TokenService {
  private cache = new Map<string, CacheEntry>();
  readonly config: SecurityConfig;
  readonly throttle: LoginThrottle;

  constructor(private readonly store: Store, config: Partial<SecurityConfig> = {}) {
    this.config = { ...securityConfig(), ...config };
    this.throttle = new LoginThrottle(store, this.config);
    caches.add(this.cache);
  }

  /** Stop sharing evictions (server closed). */
  dispose(): void {
    caches.delete(this.cache);
  }

  async login(username: string, password: string, company = 'default', requestId: string = randomUUID(), ip = 'unknown') {
    const userKey = LoginThrottle.userKey(company, username);
    const ipKey = LoginThrottle.ipKey(ip);
    await this.throttle.check([userKey, ipKey]);
    const org = await this.store.read.selectFrom('orgs').select('id').where('code', '=', company).executeTakeFirst();
    const user = org
      ? await this.store.read.selectFrom('users').selectAll().where('org_id', '=', num(org.id)).where('username', '=', username).executeTakeFirst()
      : undefined;
    // Hash even for unknown users, so the answer takes as long either way (the comparison is timingSafeEqual).
    const valid = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !valid || num(user.disabled) === 1) {
      await this.store.run(async (tx) => {
        await this.throttle.fail(tx, [{ key: userKey, allowed: this.config.userFailuresAllowed }, { key: ipKey, allowed: this.config.ipFailuresAllowed }]);
        if (org) {
          await tx.insertInto('audit_log').values({
            org_id: num(org.id), at: nowIso(), user_id: user ? num(user.id) : null, action: 'auth.login_failed', target_type: 'user',
            target_id: user ? String(num(user.id)) : username.slice(0, 64), request_id: requestId,
            detail: JSON.stringify({ username: username.slice(0, 64), ip, reason: !user ? 'unknown user' : !valid ? 'wrong password' : 'disabled' }),
          }).execute();
        }
      });
      throw unauthorized('wrong username or password');
    }
    const token = randomBytes(32).toString('base64url');
    const at = nowIso();
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs).toISOString();
    const actor: Actor = { orgId: num(user.org_id), userId: num(user.id), username: user.username, role: user.role, requestId, ip };
    await runCommand({ store: this.store, actor }, async ({ tx }) => {
      await this.throttle.succeed(tx, userKey);
      await tx.insertInto('api_tokens').values({ org_id: actor.orgId, user_id: actor.userId, token_hash: sha256(token), created_at: at, expires_at: expiresAt, revoked_at: null, kind: 'session', name: null, last_used_at: at }).execute();
      return { status: 200, body: null, audit: { action: 'auth.login', targetType: 'user', targetId: actor.userId, detail: { ip } } };
    });
    return { token, expiresAt, idleTimeoutSeconds: Math.round(this.config.sessionIdleMs / 1000), mustChangePassword: num(user.must_change_password) === 1 };
  }

  async resolve(token: string): Promise<ResolvedActor | undefined> {
    const hash = sha256(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.actor;
    const row = await this.store.read
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 't.org_id').onRef('u.id', '=', 't.user_id'))
      .select(['t.id', 't.org_id', 't.user_id', 't.kind', 't.created_at', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.username', 'u.role', 'u.disabled', 'u.must_change_password', 'u.all_warehouses'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
    const now = Date.now();
    const lastUsed = Date.parse(row?.last_used_at ?? row?.created_at ?? '');
    const idleDeadline = row?.kind === 'session' ? lastUsed + this.config.sessionIdleMs : Infinity;
    if (!row || row.revoked_at !== null || Date.parse(row.expires_at) <= now || idleDeadline <= now || num(row.disabled) === 1) {
      this.cache.delete(hash);
      return undefined;
    }
    const orgId = num(row.org_id);
    const userId = num(row.user_id);
    const actor: ResolvedActor = {
      orgId, userId, username: row.username, role: row.role, tokenId: num(row.id),
      permissions: await roleRights(this.store.read, orgId, row.role),
      warehouseIds: await userWarehouseIds(this.store.read, orgId, userId, num(row.all_warehouses) === 1),
      ...(num(row.must_change_password) === 1 ? { mustChangePassword: true } : {}),
    };
    // Record use (the idle clock) at most every minute, or every quarter of the idle limit if shorter.
    const touchEveryMs = Math.min(60_000, this.config.sessionIdleMs / 4);
    if (now - lastUsed > touchEveryMs) {
      await this.store.run((tx) => tx.updateTable('api_tokens').set({ last_used_at: new Date(now).toISOString() }).where('org_id', '=', orgId).where('id', '=', num(row.id)).execute());
    }
    if (this.cache.size > 10_000) this.cache.clear();
    // A cached session must come back to the database often enough to keep its idle clock running.
    const touchDue = row.kind === 'session' ? now + touchEveryMs : Infinity;
    this.cache.set(hash, { actor, until: Math.min(now + CACHE_MS, Date.parse(row.expires_at), touchDue) });
    return actor;
  }

  async revoke(ctx: ServiceContext, token: string) {
    const hash = sha256(token);
    this.cache.delete(hash);
    return runCommand(ctx, async ({ tx }) => {
      await tx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('token_hash', '=', hash).where('org_id', '=', ctx.actor.orgId).where('revoked_at', 'is', null).execute();
      return { status: 204, body: null, audit: { action: 'auth.logout', targetType: 'user', targetId: ctx.actor.userId } };
    });
  }
}

export interface TokenView {
  id: number; kind: string; name: string | null; createdAt: string; expiresAt: string; lastUsedAt: string | null; current: boolean;
}

/** The live (not revoked, not expired) tokens of a user: your own, or anyone's with user.manage. */
export async function listTokens(ctx: ServiceContext, userId: number): Promise<TokenView[]> {
  requireActive(ctx.actor);
  if (userId !== ctx.actor.userId && !can(ctx.actor, 'user.manage')) throw forbidden('only user.manage may see the tokens of another user');
  const rows = await ctx.store.read
    .selectFrom('api_tokens').select(['id', 'kind', 'name', 'created_at', 'expires_at', 'last_used_at'])
    .where('org_id', '=', ctx.actor.orgId).where('user_id', '=', userId).where('revoked_at', 'is', null).where('expires_at', '>', nowIso())
    .orderBy('id', 'desc').limit(1000).execute();
  return rows.map((r) => ({
    id: num(r.id), kind: r.kind, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, current: num(r.id) === ctx.actor.tokenId,
  }));
}

/** Revokes one token by id: your own, or anyone's with user.manage. */
export async function revokeToken(ctx: ServiceContext, userId: number, tokenId: number) {
  requireActive(ctx.actor);
  if (userId !== ctx.actor.userId && !can(ctx.actor, 'user.manage')) throw forbidden('only user.manage may revoke the tokens of another user');
  const result = await runCommand(ctx, async ({ tx }) => {
    const row = await tx.selectFrom('api_tokens').select(['id', 'kind', 'name', 'revoked_at']).where('org_id', '=', ctx.actor.orgId).where('user_id', '=', userId).where('id', '=', tokenId).executeTakeFirst();
    if (!row) throw notFound(`token ${tokenId} of user ${userId}`);
    if (row.revoked_at === null) await tx.updateTable('api_tokens').set({ revoked_at: nowIso() }).where('org_id', '=', ctx.actor.orgId).where('id', '=', tokenId).execute();
    return { status: 204, body: null, audit: { action: 'auth.token_revoke', targetType: 'user', targetId: userId, detail: { tokenId, kind: row.kind, name: row.name } } };
  });
  forgetUser(ctx.actor.orgId, userId);
  return result;
}

/** A named API token for scripts and integrations, acting as its user; shown once. */
export async function createApiToken(ctx: ServiceContext, input: { name: string; expiresInDays: number }) {
  requireActive(ctx.actor);
  const token = randomBytes(32).toString('base64url');
  const at = nowIso();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString();
  // No Idempotency-Key here: a stored response would keep the secret in the database.
  return runCommand({ store: ctx.store, actor: ctx.actor }, async ({ tx }) => {
    const live = await tx.selectFrom('api_tokens').select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', ctx.actor.orgId).where('user_id', '=', ctx.actor.userId).where('kind', '=', 'api').where('revoked_at', 'is', null).where('expires_at', '>', at)
      .executeTakeFirstOrThrow();
    if (num(live.n as never) >= MAX_API_TOKENS) throw conflict(`at most ${MAX_API_TOKENS} live API tokens per user: revoke one first`);
    const row = await tx.insertInto('api_tokens')
      .values({ org_id: ctx.actor.orgId, user_id: ctx.actor.userId, token_hash: sha256(token), created_at: at, expires_at: expiresAt, revoked_at: null, kind: 'api', name: input.name, last_used_at: null })
      .returning('id').executeTakeFirstOrThrow();
    const id = num(row.id);
    return { status: 201, body: { id, name: input.name, kind: 'api', createdAt: at, expiresAt, token }, audit: { action: 'auth.token_create', targetType: 'user', targetId: ctx.actor.userId, detail: { tokenId: id, name: input.name, expiresAt } } };
  });
}
