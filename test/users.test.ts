import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** Users, roles, sessions and API tokens (docs/security.md). */
describe.each(ENGINES)('users and roles on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const code of ['UA', 'UB']) expect((await api.call('POST', '/api/v1/warehouses', { code, name: code })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('lists the seven built-in roles with their rights', async () => {
    const res = await api.call('GET', '/api/v1/roles');
    expect(res.status).toBe(200);
    const byName = new Map(res.body.items.map((r: any) => [r.name, r]));
    for (const r of ['admin', 'manager', 'purchaser', 'sales', 'clerk', 'finance', 'viewer']) expect(byName.get(r), r).toMatchObject({ builtIn: true });
    expect((byName.get('viewer') as any).permissions).not.toContain('report.view_cost');
    expect((byName.get('finance') as any).permissions).toEqual(expect.arrayContaining(['report.view_cost', 'valuation.view', 'period.close']));
    expect((byName.get('clerk') as any).permissions).toContain('stock.adjust');
  });

  it('creates a user scoped to warehouses, and refuses bad input writing nothing', async () => {
    const before = await snapshot(api.db.store);
    for (const [body, field] of [
      [{ username: 'x1', password: 'long-enough-1', role: 'clerk', warehouses: ['NOPE'] }, 'warehouses.0'],
      [{ username: 'x1', password: 'long-enough-1', role: 'no-such-role' }, 'role'],
      [{ username: 'x1', password: 'short', role: 'clerk' }, 'password'],
      [{ username: 'x 1', password: 'long-enough-1', role: 'clerk' }, 'username'],
      [{ username: 'x1', password: 'long-enough-1', role: 'clerk', extra: 1 }, 'extra'],
    ] as const) {
      const res = await api.call('POST', '/api/v1/users', body);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
    expect(await snapshot(api.db.store)).toEqual(before);

    const created = await api.call('POST', '/api/v1/users', { username: 'clerk-a', password: 'clerk-pass-1', role: 'clerk', warehouses: ['UA'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ username: 'clerk-a', role: 'clerk', warehouses: ['UA'], disabled: false, mustChangePassword: false });
    expect((await api.call('POST', '/api/v1/users', { username: 'clerk-a', password: 'clerk-pass-1', role: 'clerk' })).status).toBe(409);
    const me = await api.call('GET', '/api/v1/auth/me', undefined, as(await api.login('clerk-a', 'clerk-pass-1')));
    expect(me.body).toMatchObject({ username: 'clerk-a', role: 'clerk', warehouseIds: [expect.any(Number)] });
    expect(me.body.permissions).toContain('stock.adjust');

    // Only user.manage manages users.
    const clerk = await api.login('clerk-a', 'clerk-pass-1');
    expect((await api.call('GET', '/api/v1/users', undefined, as(clerk))).status).toBe(403);
    expect((await api.call('POST', '/api/v1/users', { username: 'x2', password: 'long-enough-1', role: 'admin' }, as(clerk))).status).toBe(403);
  });

  it('changes role and scope, records before/after, and the change takes effect at once', async () => {
    const user = (await api.call('POST', '/api/v1/users', { username: 'mover', password: 'mover-pass-1', role: 'viewer' })).body;
    const token = await api.login('mover', 'mover-pass-1');
    expect((await api.call('POST', '/api/v1/items', { sku: 'U-1', name: 'x', unit: 'pcs' }, as(token))).status).toBe(403);
    const changed = await api.call('PATCH', `/api/v1/users/${user.id}`, { role: 'manager', warehouses: ['UA', 'UB'] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ role: 'manager', warehouses: ['UA', 'UB'] });
    expect((await api.call('POST', '/api/v1/items', { sku: 'U-1', name: 'x', unit: 'pcs' }, as(token))).status).toBe(201);
    const audit = await api.call('GET', `/api/v1/audit?action=user.update&targetId=${user.id}`);
    expect(audit.body.items[0].detail).toMatchObject({ before: { role: 'viewer', warehouses: null }, after: { role: 'manager', warehouses: ['UA', 'UB'] } });
    // Back to every warehouse.
    expect((await api.call('PATCH', `/api/v1/users/${user.id}`, { warehouses: null })).body.warehouses).toBeNull();
  });

  it('disabling a user ends its sessions; an admin cannot lock themselves out', async () => {
    const user = (await api.call('POST', '/api/v1/users', { username: 'leaver', password: 'leaver-pass-1', role: 'viewer' })).body;
    const token = await api.login('leaver', 'leaver-pass-1');
    expect((await api.call('GET', '/api/v1/stock', undefined, as(token))).status).toBe(200);
    expect((await api.call('PATCH', `/api/v1/users/${user.id}`, { disabled: true })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/stock', undefined, as(token))).status).toBe(401);
    expect((await api.call('POST', '/api/v1/auth/login', { username: 'leaver', password: 'leaver-pass-1' }, { authorization: '' })).status).toBe(401);
    expect((await api.call('PATCH', `/api/v1/users/${user.id}`, { disabled: false })).status).toBe(200);
    expect(await api.login('leaver', 'leaver-pass-1')).toBeTruthy();

    const me = (await api.call('GET', '/api/v1/auth/me')).body;
    expect((await api.call('PATCH', `/api/v1/users/${me.userId}`, { disabled: true })).status).toBe(409);
    expect((await api.call('PATCH', `/api/v1/users/${me.userId}`, { role: 'viewer' })).status).toBe(409);
  });

  it('a password reset revokes every token and forces a change before anything else', async () => {
    const user = (await api.call('POST', '/api/v1/users', { username: 'forgetful', password: 'first-pass-1', role: 'viewer' })).body;
    const old = await api.login('forgetful', 'first-pass-1');
    const reset = await api.call('POST', `/api/v1/users/${user.id}/reset-password`, { password: 'temporary-1' });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.mustChangePassword).toBe(true);
    expect((await api.call('GET', '/api/v1/stock', undefined, as(old))).status).toBe(401);
    expect((await api.call('POST', '/api/v1/auth/login', { username: 'forgetful', password: 'first-pass-1' }, { authorization: '' })).status).toBe(401);
    const login = await api.call('POST', '/api/v1/auth/login', { username: 'forgetful', password: 'temporary-1' }, { authorization: '' });
    expect(login.body.mustChangePassword).toBe(true);
    const temp = login.body.token as string;
    const blocked = await api.call('GET', '/api/v1/stock', undefined, as(temp));
    expect(blocked.status).toBe(403);
    expect(blocked.body.detail).toMatch(/change/);
    const wrong = await api.call('POST', '/api/v1/auth/change-password', { currentPassword: 'nope-nope', newPassword: 'my-own-pass-1' }, as(temp));
    expect(wrong.status).toBe(422);
    expect((await api.call('POST', '/api/v1/auth/change-password', { currentPassword: 'temporary-1', newPassword: 'my-own-pass-1' }, as(temp))).status).toBe(204);
    expect((await api.call('GET', '/api/v1/stock', undefined, as(temp))).status).toBe(200);
    expect(await api.login('forgetful', 'my-own-pass-1')).toBeTruthy();
  });

  it('named API tokens: shown once, listed without secret, revocable; sessions listed and revocable', async () => {
    await api.call('POST', '/api/v1/users', { username: 'robot', password: 'robot-pass-1', role: 'viewer' });
    const session = await api.login('robot', 'robot-pass-1');
    const created = await api.call('POST', '/api/v1/auth/tokens', { name: 'shop sync', expiresInDays: 30 }, as(session));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'shop sync', kind: 'api', token: expect.any(String) });
    const apiToken = created.body.token as string;
    expect((await api.call('GET', '/api/v1/stock', undefined, as(apiToken))).status).toBe(200);
    const list = await api.call('GET', '/api/v1/auth/tokens', undefined, as(session));
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(apiToken);
    expect(list.body.items.find((t: any) => t.current)).toMatchObject({ kind: 'session' });
    expect(list.body.items.find((t: any) => t.kind === 'api')).toMatchObject({ name: 'shop sync', id: created.body.id });
    // Another user's token cannot be revoked without user.manage; an admin can.
    await api.call('POST', '/api/v1/users', { username: 'other', password: 'other-pass-1', role: 'viewer' });
    const other = await api.login('other', 'other-pass-1');
    expect((await api.call('DELETE', `/api/v1/auth/tokens/${created.body.id}`, undefined, as(other))).status).toBe(404);
    const robotId = (await api.call('GET', '/api/v1/auth/me', undefined, as(session))).body.userId;
    expect((await api.call('DELETE', `/api/v1/users/${robotId}/tokens/${created.body.id}`, undefined, as(other))).status).toBe(403);
    expect((await api.call('GET', `/api/v1/users/${robotId}/tokens`)).body.items).toHaveLength(2);
    expect((await api.call('DELETE', `/api/v1/users/${robotId}/tokens/${created.body.id}`)).status).toBe(204);
    expect((await api.call('GET', '/api/v1/stock', undefined, as(apiToken))).status).toBe(401);
    // Revoke your own session by id.
    const sessionId = list.body.items.find((t: any) => t.current).id;
    expect((await api.call('DELETE', `/api/v1/auth/tokens/${sessionId}`, undefined, as(session))).status).toBe(204);
    expect((await api.call('GET', '/api/v1/stock', undefined, as(session))).status).toBe(401);
  });

  it('custom roles: rights from the database, changes apply to their users, built-ins are fixed', async () => {
    const bad = await api.call('POST', '/api/v1/roles', { name: 'counter', permissions: ['count.view', 'count.fly'] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe('permissions.1');
    expect((await api.call('POST', '/api/v1/roles', { name: 'viewer', permissions: [] })).status).toBe(409);
    expect((await api.call('PATCH', '/api/v1/roles/admin', { permissions: [] })).status).toBe(409);
    const role = await api.call('POST', '/api/v1/roles', { name: 'counter', description: 'counts only', permissions: ['count.view', 'stock.view', 'warehouse.view'] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    expect((await api.call('POST', '/api/v1/users', { username: 'cnt', password: 'count-pass-1', role: 'counter' })).status).toBe(201);
    const token = await api.login('cnt', 'count-pass-1');
    expect((await api.call('GET', '/api/v1/stock', undefined, as(token))).status).toBe(200);
    expect((await api.call('GET', '/api/v1/items', undefined, as(token))).status).toBe(403);
    expect((await api.call('PATCH', '/api/v1/roles/counter', { permissions: ['count.view', 'warehouse.view', 'item.view'] })).status).toBe(200);
    expect((await api.call('GET', '/api/v1/items', undefined, as(token))).status).toBe(200);
    expect((await api.call('GET', '/api/v1/stock', undefined, as(token))).status).toBe(403);
    expect((await api.call('DELETE', '/api/v1/roles/counter')).status).toBe(409);
    const roles = (await api.call('GET', '/api/v1/roles')).body.items;
    expect(roles.find((r: any) => r.name === 'counter')).toMatchObject({ builtIn: false, users: 1, permissions: ['count.view', 'item.view', 'warehouse.view'] });
  });
});
