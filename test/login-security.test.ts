import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type ApiResponse, type TestApi } from './support/http.js';

// Short windows so the suite runs fast; read by the server when it starts (src/modules/auth/config.ts).
process.env.CANGKU_LOGIN_FAILURES_ALLOWED = '3';
process.env.CANGKU_LOGIN_IP_FAILURES_ALLOWED = '1000';
process.env.CANGKU_LOGIN_LOCKOUT_SECONDS = '1';
process.env.CANGKU_LOGIN_LOCKOUT_MAX_SECONDS = '4';
process.env.CANGKU_RATE_LIMIT_PER_MINUTE = '200';
process.env.CANGKU_RATE_LIMIT_LOGIN_PER_MINUTE = '80';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Brute force is slowed down: backoff per username and address, lockouts that expire, rate limits, idle sessions. */
describe.each(ENGINES)('login security on %s', (engine) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const u of ['victim', 'bystander', 'idler']) expect((await api.call('POST', '/api/v1/users', { username: u, password: `${u}-pass-1`, role: 'viewer' })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });
  const login = (username: string, password: string, ip?: string) =>
    api.call('POST', '/api/v1/auth/login', { username, password }, { authorization: '', ...(ip ? { 'x-forwarded-for': ip } : {}) });

  /** Retries until the lockout is over; bounded, so a lockout that never ends fails the test. */
  async function loginWhenUnlocked(username: string, password: string) {
    for (let i = 0; i < 50; i++) {
      const res = await login(username, password);
      if (res.status !== 429) return res;
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      await sleep(200);
    }
    throw new Error('still locked out');
  }

  it('locks a username after repeated failures, even for the right password, until the lockout expires', async () => {
    for (let i = 0; i < 3; i++) expect((await login('victim', 'wrong-guess')).status).toBe(401);
    const fourth = await login('victim', 'wrong-guess');
    expect(fourth.status).toBe(401); // the 4th failure is counted, and it locks
    const locked = await login('victim', 'victim-pass-1');
    expect(locked.status).toBe(429);
    expect(locked.body.type).toMatch(/rate-limited$/);
    expect(locked.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another user is not affected by the victim's lockout.
    expect((await login('bystander', 'bystander-pass-1')).status).toBe(200);
    // After the lockout the right password works again and clears the counter.
    const ok = await loginWhenUnlocked('victim', 'victim-pass-1');
    expect(ok.status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login('victim', 'wrong-guess')).status).toBe(401);
    expect((await login('victim', 'victim-pass-1')).status).toBe(200);
    // Failed logins are in the audit trail.
    const audit = await api.call('GET', '/api/v1/audit?action=auth.login_failed');
    expect(audit.body.items.length).toBeGreaterThanOrEqual(7);
    expect(audit.body.items[0].detail).toMatchObject({ username: 'victim', reason: 'wrong password' });
  });

  it('backs off longer after every further failure (exponential, capped)', async () => {
    const rows = async () => api.db.store.read.selectFrom('login_throttle').selectAll().where('throttle_key', '=', 'user:default/bystander').executeTakeFirst();
    for (let i = 0; i < 4; i++) await login('bystander', 'nope');
    const first = await rows();
    const firstLock = Date.parse(first!.locked_until!) - Date.parse(first!.updated_at);
    await loginWhenUnlocked('bystander', 'nope'); // a 5th failure once unlocked
    const second = await rows();
    const secondLock = Date.parse(second!.locked_until!) - Date.parse(second!.updated_at);
    expect(Number(second!.failures)).toBe(5);
    expect(secondLock).toBeGreaterThan(firstLock);
    expect(await loginWhenUnlocked('bystander', 'bystander-pass-1')).toMatchObject({ status: 200 });
  });

  it('unknown users are counted too and answered exactly like a wrong password', async () => {
    const unknown = await login('nobody-here', 'whatever');
    const wrong = await login('idler', 'whatever');
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(wrong.body.detail);
    const row = await api.db.store.read.selectFrom('login_throttle').selectAll().where('throttle_key', '=', 'user:default/nobody-here').executeTakeFirst();
    expect(Number(row?.failures)).toBe(1);
  });

  it('an idle session expires, an active one stays; one address guessing many usernames is locked', async () => {
    // A server of its own with a 1.5 s idle limit (the admin session of the main one must not idle out).
    process.env.CANGKU_SESSION_IDLE_SECONDS = '1.5';
    process.env.CANGKU_LOGIN_IP_FAILURES_ALLOWED = '5';
    const idle = await startTestApi(engine);
    process.env.CANGKU_LOGIN_IP_FAILURES_ALLOWED = '1000';
    delete process.env.CANGKU_SESSION_IDLE_SECONDS;
    try {
      const as = { authorization: `Bearer ${idle.token}` };
      for (let i = 0; i < 4; i++) {
        expect((await idle.call('GET', '/api/v1/auth/me', undefined, as)).status).toBe(200);
        await sleep(500);
      }
      let status = 200;
      for (let i = 0; i < 20 && status === 200; i++) {
        await sleep(300);
        // Ask only once the database says the session has been idle long enough.
        const row = await idle.db.store.read.selectFrom('api_tokens').select('last_used_at').where('kind', '=', 'session').orderBy('id', 'desc').executeTakeFirst();
        if (Date.now() - Date.parse(row!.last_used_at!) > 1_600) status = (await idle.call('GET', '/api/v1/auth/me', undefined, as)).status;
      }
      expect(status).toBe(401);

      // Per address: guesses spread over many usernames are slowed down too.
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await fetch(`${idle.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `guess-${i}`, password: 'x' }) })).status);
      expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
      expect(statuses.slice(6)).toEqual([429, 429]);
    } finally {
      await idle.close();
    }
  });

  it('rate-limits the API per token with 429 problem documents', async () => {
    const token = (await login('bystander', 'bystander-pass-1')).body.token as string;
    let limited: ApiResponse | undefined;
    for (let i = 0; i < 260 && !limited; i++) {
      const res = await api.call('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${token}` });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited?.body.type).toMatch(/rate-limited$/);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other tokens have their own budget.
    expect((await api.call('GET', '/api/v1/auth/me')).status).toBe(200);
  });

  it('rate-limits login attempts per address', async () => {
    let status = 0;
    let last: ApiResponse | undefined;
    // Invalid attempts (422, no password hashed) count too: the limit comes before any work.
    for (let i = 0; i < 100 && status !== 429; i++) {
      last = await login('', '');
      status = last.status;
      if (status !== 429) expect(status).toBe(422);
    }
    expect(status).toBe(429);
    expect(last?.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Even the right password waits for the next minute.
    expect((await login('idler', 'idler-pass-1')).status).toBe(429);
    expect(last?.body.detail).toMatch(/requests a minute/);
  });
});
