import type { AddressInfo } from 'node:net';
import { buildServer, type Server } from '../../src/http/server.js';
import { ADMIN_PASSWORD, openTestDatabase, type Engine, type TestDatabase } from './engines.js';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestApi {
  db: TestDatabase;
  server: Server;
  baseUrl: string;
  token: string;
  /** Call the API as admin (or with `token`). `body` is sent as JSON. */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  login(username: string, password: string): Promise<string>;
  close(options?: { skipVerify?: boolean }): Promise<void>;
}

/** A real server on a free port over a fresh database of the given engine, logged in as admin. */
export async function startTestApi(engine: Engine, options: { poolSize?: number } = {}): Promise<TestApi> {
  const db = await openTestDatabase(engine, options);
  const server = buildServer({ store: db.store, logLevel: 'silent', forceCloseConnections: true });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
  const login = async (username: string, password: string) => {
    const res = await call('POST', '/api/v1/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token as string;
  };
  const token = await login('admin', ADMIN_PASSWORD);
  return {
    db, server, baseUrl, token, login,
    call: (method, path, body, headers = {}) => call(method, path, body, { authorization: `Bearer ${token}`, ...headers }),
    async close(o) {
      // Say which step is slow if closing ever takes long (a held connection, a stuck request).
      const started = Date.now();
      const slow = setTimeout(() => console.error(`test api close: server still closing after 20 s (${engine})`), 20_000);
      await server.app.close();
      clearTimeout(slow);
      const serverClosed = Date.now();
      await db.close(o);
      if (Date.now() - started > 20_000) console.error(`test api close took ${serverClosed - started} ms (server) + ${Date.now() - serverClosed} ms (verify and database) on ${engine}`);
    },
  };
}
