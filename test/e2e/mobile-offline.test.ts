import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';
import { wedgeScan } from './support/scanning.js';

/**
 * The phone reloaded with no network (web/public/sw.js, web/src/offline/*): the service worker
 * answers the page from its cache of this build, the count last read comes back from the phone's
 * storage, a typed scan goes into the offline queue, and it reaches the server exactly once when
 * the connection is back. Without the worker the same reload is Chromium's offline error page.
 */
describe('phone offline reload', () => {
  let e2e: E2E;
  let page: Page;
  const ok = (method: string, path: string, body?: unknown) => e2e.apiOk(method, path, body);
  let countId: number;

  const status = () => page.getByTestId('scan-status');
  const countOnServer = async () => (await ok('GET', `/stock-counts/${countId}`)) as { lines: Array<{ line: number; sku: string; location: string; counted: number | null }>; entries: Array<{ line: number }> };
  /** Every URL in the caches this page's origin holds, by cache name. */
  const cachedUrls = () =>
    page.evaluate<Record<string, string[]>>(`(async () => {
      const out = {};
      for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
      return out;
    })()`);

  beforeAll(async () => {
    e2e = await startE2E();
    // The app shell's loading spinner (web/src/components/PageLoading.tsx) uses antd's deprecated `tip`.
    e2e.allowConsoleErrors(/\[antd: Spin\] `tip` is deprecated/);
    // Requests the page makes while the test holds it offline (the API, the live stream).
    e2e.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED|net::ERR_/);
    await ok('POST', '/items', { sku: 'BOLT-M8', name: '螺丝 Bolt M8', unit: 'pcs', barcode: '6901234567892' });
    await ok('POST', '/items', { sku: 'NUT', name: '螺母 Nut', unit: 'pcs' });
    const wh = await ok('POST', '/warehouses', { code: 'WH1', name: '一号仓' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A-01', kind: 'bin' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A-02', kind: 'bin' });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', location: 'WH1/Stock/A-01', lines: [{ sku: 'BOLT-M8', quantity: 10, unitCost: 1 }] });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', location: 'WH1/Stock/A-02', lines: [{ sku: 'NUT', quantity: 7, unitCost: 1 }] });
    const count = await ok('POST', '/stock-counts', { warehouse: 'WH1', scope: { type: 'zone', locations: ['WH1/Stock/A-01', 'WH1/Stock/A-02'] } });
    countId = count.id;
    await ok('POST', `/stock-counts/${countId}/start`);
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('serves /sw.js as uncached JavaScript listing this build, and never an API path', async () => {
    const res = await fetch(`${e2e.baseUrl}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const sw = await res.text();
    const precache = JSON.parse(/^const PRECACHE = (.*); \/\/ cangku:precache$/m.exec(sw)![1]!) as string[];
    expect(precache).toContain('/index.html');
    expect(precache.some((p) => /^\/assets\/.+\.js$/.test(p))).toBe(true);
    expect(precache.filter((p) => p.startsWith('/api'))).toEqual([]);
    expect(/^const BUILD = "([0-9a-f]{16})"; \/\/ cangku:build$/m.test(sw)).toBe(true);
    // The SPA fallback answers app routes, not missing files.
    expect((await fetch(`${e2e.baseUrl}/m/count`)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${e2e.baseUrl}/nothing-here.js`)).status).toBe(404);
  });

  it('without a service worker, an offline reload is the browser error page (the control)', async () => {
    const context = await e2e.browser.newContext({ baseURL: e2e.baseUrl, serviceWorkers: 'block' });
    try {
      const control = await context.newPage();
      await control.goto('/login');
      await context.setOffline(true);
      await expect(control.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    } finally {
      await context.close();
    }
  });

  it('reloads a count offline, queues a typed scan, and sends it once when back online', async () => {
    page = await e2e.newPage({ mobile: true, locale: 'en' });
    // A cache an older build left behind: the new worker deletes it when it takes over.
    // (Made on a page of the origin that is not the app: /healthz, whose favicon is a 404.)
    e2e.allowConsoleErrors(/\/healthz: console\.error: Failed to load resource: the server responded with a status of 404/);
    await page.goto('/healthz');
    await page.evaluate("caches.open('cangku-shell-0000000000000000').then((c) => c.put('/old', new Response('old build')))");
    await e2e.login(page, { path: '/m' });
    expect(await page.evaluate("Promise.race([navigator.serviceWorker.ready.then(() => 'ready'), new Promise((r) => setTimeout(() => r('no worker'), 30000))])")).toBe('ready');
    await expect.poll(() => page.evaluate("navigator.serviceWorker.controller?.scriptURL ?? null"), { timeout: 10_000 }).toBe(`${e2e.baseUrl}/sw.js`);
    const build = /^const BUILD = "([0-9a-f]+)";/m.exec(await (await fetch(`${e2e.baseUrl}/sw.js`)).text())![1]!;
    await expect.poll(async () => Object.keys(await cachedUrls())).toEqual([`cangku-shell-${build}`]);

    // Online: open the count, so its lines, bins and items are on the phone.
    await page.goto('/m');
    await page.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: 'WH1' }).click();
    await page.getByTestId('tile-count').tap();
    await page.getByTestId('count-CNT-000001').tap();
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('0/2');
    await expect.poll(() => page.evaluate("Object.keys(JSON.parse(localStorage.getItem('cangku.itemCache.v1') ?? '{}'))")).toContain('NUT');
    await expect.poll(() => page.evaluate("localStorage.getItem('cangku.offlineReads.v1') ?? ''")).toContain('"storage-locations"');
    const countUrl = new URL(page.url()).pathname;
    expect(countUrl).toBe(`/m/count/${countId}`);

    const context = page.context();
    try {
      await context.setOffline(true);
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      expect(await page.title()).toBe('Cangku 仓库');
      await page.getByTestId('count-screen').waitFor();
      await expect.poll(() => page.getByTestId('offline-banner').isVisible()).toBe(true);
      expect(await page.getByTestId('offline-tag').textContent()).toBe('Offline');
      // The count as last read, from the phone's storage: the API is not reachable.
      await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('0/2');
      expect(await page.evaluate("fetch('/api/v1/auth/me').then(() => 'reached', () => 'offline')")).toBe('offline');

      await page.getByTestId('scan-input').focus();
      await wedgeScan(page, 'WH1/Stock/A-02');
      await expect.poll(() => page.getByTestId('current-bin').textContent()).toBe('WH1/Stock/A-02');
      await wedgeScan(page, 'NUT');
      await page.getByTestId('qty-input').waitFor();
      await page.keyboard.type('6');
      await page.keyboard.press('Enter');
      await expect.poll(() => status().getAttribute('data-state')).toBe('queued');
      const stored = await page.evaluate<Array<{ id: string; body: unknown }>>("JSON.parse(localStorage.getItem('cangku.scanQueue.v1') ?? '[]')");
      expect(stored).toHaveLength(1);
      expect(stored[0]!.body).toEqual({ entries: [{ location: 'WH1/Stock/A-02', item: 'NUT', quantity: 6 }] });
      await e2e.screenshot(page, 'mobile-offline-count');

      // A phone screen never opened before, straight from the address bar, still offline.
      const queue = await page.goto('/m/queue');
      expect(queue?.fromServiceWorker()).toBe(true);
      await page.getByTestId('queue-screen').waitFor();
      expect(await page.getByTestId('queued-command').getAttribute('data-state')).toBe('pending');
      expect((await countOnServer()).entries).toEqual([]);
      await e2e.screenshot(page, 'mobile-offline-queue');

      await context.setOffline(false);
      await expect.poll(() => page.evaluate("localStorage.getItem('cangku.scanQueue.v1')"), { timeout: 20_000 }).toBe('[]');
    } finally {
      await context.setOffline(false);
    }
    // Exactly once: one entry on the server, for the NUT line in A-02, with the quantity scanned.
    const count = await countOnServer();
    const nut = count.lines.find((l) => l.sku === 'NUT')!;
    expect(nut).toMatchObject({ location: 'WH1/Stock/A-02', counted: 6 });
    expect(count.entries).toHaveLength(1);
    expect(count.entries[0]!.line).toBe(nut.line);

    // What the worker cached: this build's shell and assets; no API answer, no older build.
    const caches = await cachedUrls();
    expect(Object.keys(caches)).toEqual([`cangku-shell-${build}`]);
    const urls = caches[`cangku-shell-${build}`]!;
    expect(urls).toContain('/index.html');
    expect(urls.filter((u) => !u.startsWith('/assets/') && u !== '/index.html')).toEqual([]);
  });
});
