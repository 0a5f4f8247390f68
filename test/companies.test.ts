import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, listCompanies } from '../src/app/companies.js';
import { ADMIN_PASSWORD, ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { cangku } from './support/cli.js';

/** Each CLI run starts tsx and opens the database: seconds apiece on a busy machine. */
const CLI_TIMEOUT = 180_000;

/** Companies: createCompany, `cangku company add|list`, and that one company's users never see another's data. */
describe.each(ENGINES)('companies on %s', (engine) => {
  let api: TestApi;
  let url: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = async (company: string | undefined, username: string, password: string) =>
    api.call('POST', '/api/v1/auth/login', { username, password, ...(company ? { company } : {}) }, { authorization: '' });

  beforeAll(async () => {
    api = await startTestApi(engine);
    url = api.db.schema ? `${api.db.url}?options=${encodeURIComponent(`-c search_path=${api.db.schema}`)}` : api.db.url;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('createCompany makes a company with its own admin; /auth/me names the company', async () => {
    const acme = await createCompany(api.db.store, { code: 'acme', name: 'Acme 公司' });
    expect(acme).toMatchObject({ code: 'acme', name: 'Acme 公司' });
    expect(acme.generatedPassword).toMatch(/^[\w-]{16}$/);

    const session = await login('acme', 'admin', acme.generatedPassword!);
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    const me = await api.call('GET', '/api/v1/auth/me', undefined, bearer(session.body.token));
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin', company: { code: 'acme', name: 'Acme 公司' } });
    expect(me.body.userId).toBeTypeOf('number');
    expect((await api.call('GET', '/api/v1/auth/me')).body.company).toEqual({ code: 'default', name: 'Default company' });

    // Same username, two accounts: each company's admin has its own password.
    expect((await login('acme', 'admin', ADMIN_PASSWORD)).status).toBe(401);
    expect((await login(undefined, 'admin', acme.generatedPassword!)).status).toBe(401);
  });

  it('a user of one company sees nothing of another, through the API', async () => {
    const created = await api.call('POST', '/api/v1/items', { sku: 'ONLY-DEFAULT', name: 'Only in default', unit: 'pcs' });
    expect(created.status).toBe(201);
    await api.call('POST', '/api/v1/warehouses', { code: 'WD', name: 'Default WH' });
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'WD', lines: [{ sku: 'ONLY-DEFAULT', quantity: 5 }] })).status).toBe(201);

    const beta = await createCompany(api.db.store, { code: 'beta', name: 'Beta', adminPassword: 'beta-admin-pass' });
    expect(beta.generatedPassword).toBeUndefined();
    const token = (await login('beta', 'admin', 'beta-admin-pass')).body.token as string;
    const as = bearer(token);

    expect((await api.call('GET', '/api/v1/items', undefined, as)).body.items).toEqual([]);
    expect((await api.call('GET', `/api/v1/items/${created.body.id}`, undefined, as)).status).toBe(404);
    expect((await api.call('GET', '/api/v1/warehouses', undefined, as)).body.items).toEqual([]);
    expect((await api.call('GET', '/api/v1/stock?sku=ONLY-DEFAULT', undefined, as)).body.items).toEqual([]);
    expect((await api.call('GET', '/api/v1/users', undefined, as)).body.items.map((u: { username: string }) => u.username)).toEqual(['admin']);

    // The same SKU and warehouse code are free in the other company, and stay apart.
    expect((await api.call('POST', '/api/v1/items', { sku: 'ONLY-DEFAULT', name: 'Beta own', unit: 'pcs' }, as)).status).toBe(201);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'WD', name: 'Beta WH' }, as)).status).toBe(201);
    expect((await api.call('GET', '/api/v1/items', undefined, as)).body.items.map((i: { name: string }) => i.name)).toEqual(['Beta own']);
    const stockDefault = (await api.call('GET', '/api/v1/stock?sku=ONLY-DEFAULT')).body.items;
    expect(stockDefault.map((b: { onHand: number }) => b.onHand)).toEqual([5]);
    expect((await api.call('GET', '/api/v1/stock?sku=ONLY-DEFAULT', undefined, as)).body.items).toEqual([]);
    expect((await api.call('GET', '/api/v1/items')).body.items.map((i: { name: string }) => i.name)).toEqual(['Only in default']);
  });

  it('refuses a taken code (in any letter case), a bad code, a short password, and writes nothing', async () => {
    const before = await listCompanies(api.db.store);
    await expect(createCompany(api.db.store, { code: 'ACME', name: 'Again' })).rejects.toMatchObject({ code: 'conflict', message: 'company acme already exists' });
    await expect(createCompany(api.db.store, { code: 'default' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createCompany(api.db.store, { code: 'has space', name: 'X' })).rejects.toMatchObject({ code: 'validation', errors: [{ field: 'code' }] });
    await expect(createCompany(api.db.store, { code: '-dash', name: 'X' })).rejects.toMatchObject({ code: 'validation' });
    await expect(createCompany(api.db.store, { code: 'x'.repeat(33), name: 'X' })).rejects.toMatchObject({ code: 'validation' });
    await expect(createCompany(api.db.store, { code: 'ok', name: '  ' })).rejects.toMatchObject({ code: 'validation', errors: [{ field: 'name' }] });
    await expect(createCompany(api.db.store, { code: 'ok', name: 'OK', adminPassword: 'short' })).rejects.toMatchObject({ code: 'validation', errors: [{ field: 'adminPassword' }] });
    expect(await listCompanies(api.db.store)).toEqual(before);
  });

  it('cangku company add prints the admin password once; company list shows every company', async () => {
    const added = await cangku(['company', 'add', 'globex', '--name', 'Globex 环球'], url);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const password = /with password: (\S+)/.exec(added.stdout)?.[1];
    expect(password).toBeTruthy();
    const session = await login('globex', 'admin', password!);
    expect(session.status).toBe(200);
    expect((await api.call('GET', '/api/v1/auth/me', undefined, bearer(session.body.token))).body.company).toEqual({ code: 'globex', name: 'Globex 环球' });

    const list = await cangku(['company', 'list'], url);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CODE\s+NAME\s+USERS\s+CREATED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['acme', 'beta', 'default', 'globex']);
    expect(lines.find((l) => l.startsWith('globex'))).toMatch(/^globex\s+Globex 环球\s+1\s+\d{4}-/);
  }, CLI_TIMEOUT);

  it('cangku company add refuses a duplicate or a bad code with a clear message and exit 1', async () => {
    const duplicate = await cangku(['company', 'add', 'Globex'], url);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stdout).toBe('');
    expect(duplicate.stderr.trim()).toBe('cannot create company: company globex already exists');

    const bad = await cangku(['company', 'add', 'no/slash', '--name', 'Bad'], url);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^cannot create company: code: letters, digits/);

    const usage = await cangku(['company', 'add'], url);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: cangku company add <code>');

    expect((await listCompanies(api.db.store)).map((c) => c.code)).toEqual(['acme', 'beta', 'default', 'globex']);
  }, CLI_TIMEOUT);
});
