/**
 * The browser end-to-end harness: a real server (buildServer over a fresh SQLite database,
 * serving the built web app) and Debian's Chromium driven by playwright-core.
 *
 *   const e2e = await startE2E();
 *   const page = await e2e.newPage();            // desktop; { mobile: true } for a phone
 *   await e2e.login(page);                        // admin, the test password
 *   await e2e.screenshot(page, 'dashboard');      // test-artifacts/screenshots/dashboard.png
 *   e2e.assertNoConsoleErrors();                  // also checked by close()
 *   await e2e.close();
 *
 * Every console error and uncaught page error fails the test at close(), unless it matches one
 * of `allowConsoleErrors` (e.g. Chromium's "Failed to load resource ... 422" line for a form that
 * is meant to be refused).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildServer, type Server } from '../../../src/http/server.js';
import { ADMIN_PASSWORD, openTestDatabase, type TestDatabase } from '../../support/engines.js';
import { buildWebIfStale } from '../../../web/scripts/build-if-stale.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
export { ADMIN_PASSWORD };

export interface NewPageOptions {
  /** A phone: 390x844, touch, mobile user agent. */
  mobile?: boolean;
  /** 'zh-CN' (default) or 'en': the app's stored language before the first load. */
  locale?: 'zh-CN' | 'en';
  viewport?: { width: number; height: number };
}

export interface E2E {
  db: TestDatabase;
  server: Server;
  baseUrl: string;
  browser: Browser;
  /** Console and page errors seen so far (each prefixed with the page's URL). */
  errors: string[];
  newPage(options?: NewPageOptions): Promise<Page>;
  /** Log in through the login form and wait for the app. */
  login(page: Page, options?: { username?: string; password?: string; company?: string; path?: string }): Promise<void>;
  screenshot(page: Page, name: string): Promise<string>;
  /** Call the API directly (as admin unless `token` is given). */
  api<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  /** Like api, but throws on an answer of 300 or more, with the problem in the message: for test setup. */
  apiOk<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  allowConsoleErrors(pattern: RegExp): void;
  assertNoConsoleErrors(): void;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--disable-extensions', '--lang=zh-CN'],
  });
}

export async function startE2E(options: { build?: boolean } = {}): Promise<E2E> {
  if (options.build !== false) buildWebIfStale({ quiet: true });
  const db = await openTestDatabase('sqlite');
  const server = buildServer({ store: db.store, logLevel: 'silent', forceCloseConnections: true });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  let adminToken: string | undefined;

  const api: E2E['api'] = async (method, path, body, token) => {
    if (!token && !adminToken) {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
      adminToken = ((await res.json()) as { token: string }).token;
    }
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token ?? adminToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };

  const e2e: E2E = {
    db, server, baseUrl, browser, errors,
    async newPage(o = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: o.viewport ?? (o.mobile ? { width: 390, height: 844 } : { width: 1440, height: 900 }),
        ...(o.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2, userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36' } : {}),
        locale: o.locale ?? 'zh-CN',
      });
      // Runs in the page (a string, so this file needs no DOM types).
      if (o.locale) await context.addInitScript(`if (!localStorage.getItem('cangku.locale')) localStorage.setItem('cangku.locale', ${JSON.stringify(o.locale)});`);
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`${page.url()}: console.error: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`${page.url()}: page error: ${error.message}`));
      page.setDefaultTimeout(30_000);
      return page;
    },
    async login(page, o = {}) {
      await page.goto(o.path ?? '/login');
      await page.locator('#login_username').fill(o.username ?? 'admin');
      await page.locator('#login_password').fill(o.password ?? ADMIN_PASSWORD);
      if (o.company) await page.locator('#login_company').fill(o.company);
      await page.locator('form[id="login"] button[type="submit"]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const file = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    api,
    async apiOk(method, path, body, token) {
      const res = await api(method, path, body, token);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    allowConsoleErrors(pattern) {
      allowed.push(pattern);
    },
    assertNoConsoleErrors() {
      const unexpected = errors.filter((e) => !allowed.some((p) => p.test(e)));
      if (unexpected.length > 0) throw new Error(`console or page errors in the browser:\n${unexpected.join('\n')}`);
    },
    async close() {
      try {
        e2e.assertNoConsoleErrors();
      } finally {
        for (const c of contexts) await c.close().catch(() => {});
        await browser.close().catch(() => {});
        await server.app.close();
        await db.close();
      }
    },
  };
  return e2e;
}

