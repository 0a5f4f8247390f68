/**
 * Development-mode console sweep (issue 5, "no console errors"). The other browser tests run the
 * production build, which strips React's and Ant Design's development warnings (deprecated props,
 * missing keys, controlled/uncontrolled switches, act()...). This one serves web/ with Vite's dev
 * server (React's development build, antd's warnings on), proxying /api to a real API server over a
 * fresh database with data behind every screen, and walks the main desktop and phone screens in
 * Chinese and in English with Chromium. Every console error or warning and every uncaught page
 * error fails it, listed once each with the screen it first showed on.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { ADMIN_PASSWORD, startE2E, type E2E } from './support/browser.js';

type Locale = 'zh-CN' | 'en';

/**
 * Console lines that are not the app's: each says why. Matched against the message text.
 * (Vite's "[vite] connecting/connected" and React's DevTools hint are 'debug'/'info', never seen here.)
 */
const EXTERNAL_NOISE: Array<{ pattern: RegExp; why: string }> = [];

interface Screen {
  name: string;
  /** Navigated to inside the app (history + popstate, no reload: Vite dev reloads are slow). */
  path?: string;
  /**
   * Shows once the screen has its data; only on this screen, not the one before (the router
   * renders the next screen in a transition, keeping the old one meanwhile).
   */
  ready: (page: Page) => Locator;
  /** Steps after it is ready (open a form, a drawer, a wave). */
  then?: (page: Page) => Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');
/** Per test: the sweeps run side by side, and Vite's first transforms are slow on a busy machine. */
const SWEEP_TIMEOUT = 300_000;

/** Wait until nothing is loading any more and effects have run. */
async function settle(page: Page, ready: Locator) {
  await ready.first().waitFor();
  await page.waitForFunction(`!document.querySelector('[aria-busy="true"], .ant-skeleton, .ant-spin-spinning, .ant-table-placeholder .ant-spin')`);
  await page.waitForTimeout(150);
}

/** Client-side navigation: what a menu click does, without reloading every module from Vite. */
async function go(page: Page, path: string) {
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'));`);
  await page.waitForFunction(`location.pathname + location.search === ${JSON.stringify(path)}`);
}

describe('development mode: no React or Ant Design warnings on the main screens', () => {
  let e2e: E2E;
  let vite: ViteDevServer;
  let webUrl: string;
  const contexts: BrowserContext[] = [];
  const ids = { item: 0, warehouse: 0, salesOrder: 0, purchaseOrder: 0, wave: 0, count: 0, approval: 0, importJob: 0 };
  /** The first id of each document list (its detail screen), by document type key. */
  const docIds: Record<string, number> = {};

  const ok = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await e2e.api(method, path, body, token);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  beforeAll(async () => {
    e2e = await startE2E({ build: false });
    // Data behind every screen: partners, items (one lot-tracked), two warehouses with bins,
    // stock, and at least one document of each type.
    await ok('POST', '/partners', { code: 'SUP1', name: 'Supplier 供应商', kind: 'supplier' });
    await ok('POST', '/partners', { code: 'CUS1', name: 'Customer 客户', kind: 'customer' });
    ids.item = (await ok('POST', '/items', { sku: 'A1', name: 'Apple 苹果', unit: 'pcs', barcode: '6901234567892' })).id;
    await ok('POST', '/items', { sku: 'MILK', name: 'Milk 牛奶', unit: 'L', tracking: 'lot' });
    ids.warehouse = (await ok('POST', '/warehouses', { code: 'WH1', name: 'Main 主仓' })).id;
    await ok('POST', '/warehouses', { code: 'WH2', name: 'Second 二仓' });
    await ok('POST', `/warehouses/${ids.warehouse}/locations`, { code: 'A', kind: 'zone' });
    await ok('POST', `/warehouses/${ids.warehouse}/locations`, { code: 'A-01', kind: 'bin', parent: 'WH1/Stock/A' });
    await ok('POST', `/warehouses/${ids.warehouse}/locations`, { code: 'A-02', kind: 'bin', parent: 'WH1/Stock/A' });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', reason: 'opening', lines: [{ sku: 'A1', quantity: 40, unitCost: 2.5 }] });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', reason: 'opening', lines: [{ sku: 'MILK', quantity: 5, lot: 'LOT-1', expiresOn: '2031-01-31', unitCost: 1 }] });
    await ok('POST', '/internal-transfers', { warehouse: 'WH1', lines: [{ item: 'A1', to: 'WH1/Stock/A/A-01', quantity: 6 }] });
    // One order shipped (a shipment, then a customer return), one confirmed and waved.
    const shipped = (await ok('POST', '/sales-orders', { customer: 'CUS1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 3 }] })).id;
    await ok('POST', `/sales-orders/${shipped}/confirm`);
    await ok('POST', `/sales-orders/${shipped}/ship`);
    await ok('POST', '/sales-returns', { salesOrder: shipped, reason: 'wrong size', lines: [{ line: 1, quantity: 1 }] });
    ids.salesOrder = (await ok('POST', '/sales-orders', { customer: 'CUS1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 4 }] })).id;
    await ok('POST', `/sales-orders/${ids.salesOrder}/confirm`);
    ids.wave = (await ok('POST', '/pick-waves', { warehouse: 'WH1' })).id;
    // One purchase order received and inspected (rejected stock to send back), one waiting to be received.
    const received = (await ok('POST', '/purchase-orders', { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 4, unitPrice: 2 }] })).id;
    await ok('POST', `/purchase-orders/${received}/submit`);
    if ((await ok('GET', `/purchase-orders/${received}`)).status === 'submitted') await ok('POST', `/purchase-orders/${received}/approve`);
    const receipt = await ok('POST', '/receipts', { purchaseOrder: received, lines: [{ line: 1, quantity: 4 }] });
    await ok('POST', `/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 2, reject: 2, reason: 'bruised' }] });
    await ok('POST', '/supplier-returns', { supplier: 'SUP1', warehouse: 'WH1', purchaseOrder: received, lines: [{ sku: 'A1', quantity: 1 }] });
    ids.purchaseOrder = (await ok('POST', '/purchase-orders', { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 5, unitPrice: 2 }, { sku: 'MILK', quantity: 3, unitPrice: 1.5 }] })).id;
    await ok('POST', `/purchase-orders/${ids.purchaseOrder}/submit`);
    await ok('POST', '/transfers', { from: 'WH1', to: 'WH2', lines: [{ sku: 'A1', quantity: 2 }] });
    ids.count = (await ok('POST', '/stock-counts', { warehouse: 'WH1', scope: { type: 'items', skus: ['A1'] } })).id;
    await ok('POST', `/stock-counts/${ids.count}/start`);
    await ok('POST', '/scraps', { warehouse: 'WH1', reason: 'damaged', lines: [{ sku: 'A1', quantity: 1 }] });
    // A manager's scrap waiting for the admin: the approvals inbox and an approval's screen (no
    // one approves their own request).
    await ok('POST', '/users', { username: 'mia', password: 'mia-password-1', role: 'manager' });
    await ok('POST', '/approvals/flows', { documentType: 'scrap', name: '报废审批 Scrap approval', conditions: { warehouses: ['WH1'] }, steps: [{ name: 'Admin', mode: 'any', approvers: [{ role: 'admin' }] }] });
    const mia = (await (await fetch(`${e2e.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'mia', password: 'mia-password-1' }) })).json()) as { token: string };
    const pending = await ok('POST', '/scraps', { warehouse: 'WH1', reason: 'damaged', lines: [{ sku: 'A1', quantity: 1 }] }, mia.token);
    ids.approval = (await ok('GET', `/scraps/${pending.id}`)).approval.id;
    for (const [key, path] of Object.entries(DOCUMENT_PATHS)) {
      const first = (await ok('GET', `${path}?limit=1`)).items[0];
      if (!first) throw new Error(`no ${key} to show: the seed above should make one`);
      docIds[key] = first.id;
    }
    // The ones whose detail opens a dialog (DIALOGS): a confirmed order, an open PO, a started count.
    docIds['sales-orders'] = ids.salesOrder;
    docIds['purchase-orders'] = ids.purchaseOrder;
    docIds['stock-counts'] = ids.count;
    // An import with a bad row (its job, counts and issues table), and a webhook (for an event
    // nothing here raises: it never calls out).
    const login = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const csv = 'sku,name,unit\nIMP-1,Imported 导入,pcs\n,no sku,pcs\n';
    const imported = await fetch(`${e2e.baseUrl}/api/v1/imports?kind=items&fileName=items.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv });
    if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
    ids.importJob = ((await imported.json()) as { id: number }).id;
    await ok('POST', '/webhooks', { url: 'https://hooks.example.com/cangku', events: ['stock-count.cancelled'] });

    // Vite's dev server over web/ (its own config: React plugin, root), /api proxied to this
    // test's server. No file watcher and no hot reload: others edit web/src meanwhile, and a
    // reload in the middle of the sweep would only make it flaky. Its own optimized-deps cache,
    // so a developer's `npm run dev` is not disturbed.
    vite = await createServer({
      configFile: join(ROOT, 'web', 'vite.config.ts'),
      cacheDir: join(ROOT, 'node_modules', '.vite-dev-warnings'),
      logLevel: 'error',
      clearScreen: false,
      server: {
        host: '127.0.0.1',
        port: 0,
        hmr: false,
        watch: null,
        proxy: { '/api': { target: e2e.baseUrl, changeOrigin: false }, '/healthz': e2e.baseUrl },
      },
    });
    await vite.listen();
    webUrl = vite.resolvedUrls!.local[0]!.replace(/\/$/, '');
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await vite?.close();
    await e2e?.close();
  });

  /** Pages that ran React's development build. */
  const devBuild = new Set<Page>();

  /** A page on the Vite server; its console errors and warnings go to `seen` (text → first screen). */
  async function newPage(locale: Locale, mobile: boolean, seen: Map<string, string>, where: { screen: string }) {
    const context = await e2e.browser.newContext({
      baseURL: webUrl,
      locale,
      viewport: mobile ? { width: 390, height: 844 } : { width: 1440, height: 900 },
      ...(mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2, userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36' } : {}),
    });
    await context.addInitScript(`if (!localStorage.getItem('cangku.locale')) localStorage.setItem('cangku.locale', ${JSON.stringify(locale)});`);
    contexts.push(context);
    const page = await context.newPage();
    // Vite transforms each module on first request: slow on a busy machine.
    page.setDefaultTimeout(90_000);
    page.setDefaultNavigationTimeout(120_000);
    const note = (kind: string, text: string) => {
      if (EXTERNAL_NOISE.some((n) => n.pattern.test(text))) return;
      // React's format placeholders: their values follow in the text anyway.
      const key = `${kind}: ${text.replace(/%[sdoO]/g, '')}`;
      if (!seen.has(key)) seen.set(key, `${locale} ${mobile ? 'phone' : 'desktop'} · ${where.screen} (${page.url().replace(webUrl, '')})`);
    };
    page.on('console', (message) => {
      if (process.env.DEV_SWEEP_VERBOSE) console.log(`  console.${message.type()}: ${message.text().slice(0, 300)}`);
      if (message.type() === 'error' || message.type() === 'warning') note(`console.${message.type()}`, message.text());
      // Only React's development build says this: proof the sweep is not looking at a production build.
      if (message.type() === 'info' && /Download the React DevTools/.test(message.text())) devBuild.add(page);
    });
    page.on('pageerror', (error) => note('page error', error.message));
    return page;
  }

  /** Walk the screens; a step that fails names its screen and leaves a screenshot (failed-dev-*). */
  async function sweep(page: Page, name: string, screens: Screen[], where: { screen: string }) {
    for (const screen of screens) {
      where.screen = screen.name;
      if (process.env.DEV_SWEEP_VERBOSE) console.log(`${new Date().toISOString().slice(11, 19)} ${name}: ${screen.name}`);
      try {
        if (screen.path) await go(page, screen.path);
        await settle(page, screen.ready(page));
        if (screen.then) await screen.then(page);
      } catch (error) {
        await e2e.screenshot(page, `failed-dev-${name}-${screen.name}`).catch(() => undefined);
        throw new Error(`${name}, screen "${screen.name}": ${(error as Error).message}`, { cause: error });
      }
    }
  }

  const report = (seen: Map<string, string>) =>
    [...seen].map(([message, first]) => `• ${first}\n  ${message.replace(/\n/g, '\n  ')}`).join('\n\n');

  /** Open a form (a drawer or modal) and let it render. */
  const open = (testId: string, field: string) => async (p: Page) => {
    await p.getByTestId(testId).click();
    await p.locator(field).first().waitFor();
    await p.waitForTimeout(250);
    await p.keyboard.press('Escape');
  };

  /** Open an action's confirmation or reason dialog on a document, then close it. */
  const dialog = (action: string) => async (p: Page) => {
    await p.getByTestId(`action-${action}`).click();
    await p.getByRole('dialog').first().waitFor();
    await p.waitForTimeout(300);
    await p.keyboard.press('Escape');
    await p.getByRole('dialog').first().waitFor({ state: 'hidden' });
  };

  /** On a create form: choose the warehouse (the stock panel and location fields follow), open the first line's item list. */
  const fillCreate = (key: string) => async (p: Page) => {
    const warehouse = p.locator(`#create-${key}_warehouse`);
    if (await warehouse.count()) {
      await warehouse.click();
      await p.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'WH1' }).first().click();
    }
    const sku = p.locator(`#create-${key}_lines_0_sku`);
    if (await sku.count()) {
      await sku.click();
      await p.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
      await p.keyboard.press('Escape');
    }
    await p.waitForTimeout(300);
  };

  const desktopScreens = (locale: Locale): Screen[] => [
    {
      name: 'dashboard', path: '/', ready: (p) => p.getByTestId('stat-sku-count'),
      then: async (p) => {
        // The header's menus: the user menu, the company menu, the warehouse choice.
        await p.getByTestId('user-menu').hover();
        await p.getByTestId('logout').waitFor();
        await p.getByTestId('company-switch').click();
        await p.locator('.ant-dropdown:visible').first().waitFor();
        await p.keyboard.press('Escape');
        await p.locator('header .ant-select').first().click();
        await p.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
        await p.keyboard.press('Escape');
      },
    },
    {
      name: 'items', path: '/items', ready: (p) => p.getByTestId('items-table').getByText('A1', { exact: true }),
      then: async (p) => {
        // The create drawer, saved empty: the fields' validation messages.
        await p.getByTestId('item-new').click();
        await p.locator('#item_sku').waitFor();
        await p.getByTestId('item-save').click();
        await p.locator('.ant-form-item-explain-error').first().waitFor();
        await p.keyboard.press('Escape');
      },
    },
    { name: 'item detail', path: `/items/${ids.item}`, ready: (p) => p.getByTestId('item-edit'), then: open('item-edit', '#item_sku') },
    { name: 'warehouses', path: '/warehouses', ready: (p) => p.getByTestId('warehouses-table').getByText('WH1/Stock'), then: open('warehouse-new', '#warehouse_code') },
    {
      name: 'warehouse location tree', path: `/warehouses/${ids.warehouse}`, ready: (p) => p.locator('.ant-tree').getByText(/A-01/),
      then: async (p) => {
        // A save that succeeds: antd's message, the queries refetched, the tree rebuilt.
        const code = `DEV-${locale === 'en' ? 'EN' : 'ZH'}`;
        await p.locator('#location_code').fill(code);
        await p.locator('form#location button[type="submit"]').click();
        await p.locator('.ant-tree').getByText(code).waitFor();
        await p.locator('.ant-message-notice').first().waitFor();
      },
    },
    { name: 'partners', path: '/partners', ready: (p) => p.getByText('SUP1'), then: open('partner-new', 'form input') },
    { name: 'stock', path: '/stock', ready: (p) => p.getByTestId('stock-summary').getByText('WH1') },
    ...Object.keys(DOCUMENT_PATHS).flatMap((key): Screen[] => [
      { name: `${key} list`, path: `/documents/${key}`, ready: (p) => p.locator(`.ant-table-row a[href^="/documents/${key}/"]`) },
      { name: `${key} detail`, path: `/documents/${key}/${docIds[key]}`, ready: (p) => p.getByTestId('document-header'), then: DIALOGS[key] ? dialog(DIALOGS[key]) : undefined },
      ...(CREATABLE.has(key) ? [{ name: `new ${key}`, path: `/documents/${key}/new`, ready: (p: Page) => p.getByTestId('document-submit'), then: fillCreate(key) }] : []),
    ]),
    {
      name: 'pick waves', path: '/picking', ready: (p) => p.getByTestId('waves-table'),
      then: async (p) => {
        await p.getByRole('tab').nth(1).click();
        await settle(p, p.getByRole('tabpanel'));
      },
    },
    {
      name: 'pick wave', path: `/picking/${ids.wave}`, ready: (p) => p.getByTestId('tasks-table').getByText('PK-000001'),
      then: async (p) => {
        await p.getByTestId('task-pick-PK-000001').click();
        await p.getByTestId('task-form').waitFor();
      },
    },
    { name: 'admin users', path: '/admin/users', ready: (p) => p.getByTestId('users-table').getByText('mia'), then: open('user-new', 'form input') },
    { name: 'admin roles', path: '/admin/roles', ready: (p) => p.getByTestId('role-new'), then: open('role-new', 'form input') },
    { name: 'audit', path: '/admin/audit', ready: (p) => p.getByTestId('audit-table').locator('.ant-table-row').first() },
    {
      name: 'approvals', path: '/admin/approvals', ready: (p) => p.getByTestId('inbox-table').locator('.ant-table-row').first(),
      then: async (p) => {
        await p.getByRole('tab').nth(1).click();
        await p.waitForTimeout(400);
      },
    },
    { name: 'approval', path: `/admin/approvals/${ids.approval}`, ready: (p) => p.locator('#main .ant-descriptions') },
    { name: 'approval flows', path: '/admin/approval-flows', ready: (p) => p.getByTestId('flows-table').locator('.ant-table-row').first(), then: open('flow-new', 'form input') },
    { name: 'webhooks', path: '/admin/webhooks', ready: (p) => p.getByTestId('webhooks-table').locator('.ant-table-row').first(), then: open('webhook-new', 'form input') },
    {
      name: 'imports', path: '/admin/import', ready: (p) => p.getByTestId('import-kind'),
      then: async (p) => {
        await p.getByRole('button', { name: String(ids.importJob), exact: true }).click();
        await settle(p, p.getByTestId('import-issues'));
      },
    },
    { name: 'account', path: '/admin/account', ready: (p) => p.getByTestId('account-page') },
    {
      // Switching the language re-renders every text, antd's locale and dayjs's.
      name: 'language switch', path: '/', ready: (p) => p.getByTestId('stat-sku-count'),
      then: async (p) => {
        const before = (await p.evaluate('document.documentElement.lang')) as string;
        await p.getByTestId('language-switch').locator('.ant-select').click();
        await p.locator('.ant-select-dropdown:visible .ant-select-item-option:not(.ant-select-item-option-selected)').first().click();
        await p.waitForFunction(`document.documentElement.lang !== ${JSON.stringify(before)}`);
        await p.waitForTimeout(500);
      },
    },
  ];

  const phoneScreens = (): Screen[] => [
    { name: 'phone home', path: '/m', ready: (p) => p.getByTestId('tile-receive') },
    { name: 'phone receive list', path: '/m/receive', ready: (p) => p.locator('[data-testid^="po-"]') },
    { name: 'phone receive', path: `/m/receive/${ids.purchaseOrder}`, ready: (p) => p.getByTestId('receive-screen') },
    { name: 'phone put away', path: '/m/putaway', ready: (p) => p.getByTestId('putaway-screen') },
    {
      name: 'phone pick', path: '/m/pick', ready: (p) => p.locator('[data-testid^="wave-"]'),
      then: async (p) => {
        await p.locator('[data-testid^="wave-"]').first().tap();
        await settle(p, p.getByTestId('pick-task'));
      },
    },
    { name: 'phone count list', path: '/m/count', ready: (p) => p.locator('[data-testid^="count-"]') },
    { name: 'phone count', path: `/m/count/${ids.count}`, ready: (p) => p.getByTestId('count-screen') },
    {
      name: 'phone look-up', path: '/m/lookup', ready: (p) => p.getByTestId('lookup-screen'),
      then: async (p) => {
        // As a keyboard-wedge scanner types: the item's card and its stock.
        await p.getByTestId('scan-input').fill('6901234567892');
        await p.getByTestId('scan-input').press('Enter');
        await settle(p, p.getByTestId('lookup-stock'));
      },
    },
    { name: 'phone queue', path: '/m/queue', ready: (p) => p.getByTestId('queue-screen') },
  ];

  // Concurrently: each has its own browser context and only reads, and the machine's second core
  // is better used than idle while one page waits for Vite.
  it.concurrent('reports what it is for: a deprecated Ant Design prop and a list without keys, rendered in the page', async ({ expect }) => {
    const seen = new Map<string, string>();
    const page = await newPage('zh-CN', false, seen, { screen: 'control' });
    await page.goto('/login');
    await settle(page, page.locator('#login_username'));
    // The page's own React, ReactDOM and antd (the modules Vite served it, so one React), an
    // Alert with `message` (antd 6: `title`) and two list items without keys, in a root of its own.
    await page.evaluate(`(async () => {
      const loaded = performance.getEntriesByType('resource').map((e) => e.name);
      const load = async (re) => { const m = await import(loaded.find((u) => re.test(new URL(u).pathname))); return m.default ?? m; };
      const [React, ReactDOM, antd] = await Promise.all([load(/\\/deps\\/react\\.js$/), load(/\\/deps\\/react-dom_client\\.js$/), load(/\\/deps\\/antd\\.js$/)]);
      const root = document.createElement('div');
      document.body.append(root);
      ReactDOM.createRoot(root).render(React.createElement('div', null,
        React.createElement(antd.Alert, { message: 'control' }),
        React.createElement('ul', null, ['a', 'b'].map((x) => React.createElement('li', null, x)))));
    })()`);
    await expect.poll(() => [...seen.keys()].join('\n')).toMatch(/\[antd: Alert\] `message` is deprecated/);
    await expect.poll(() => [...seen.keys()].join('\n')).toMatch(/unique "key" prop/);
    expect(devBuild.has(page), 'React development build (its DevTools hint was logged)').toBe(true);
  }, SWEEP_TIMEOUT);

  for (const locale of ['zh-CN', 'en'] as const) {
    it.concurrent(`desktop screens log no errors or warnings (${locale})`, async ({ expect }) => {
      const seen = new Map<string, string>();
      const where = { screen: 'login' };
      const page = await newPage(locale, false, seen, where);
      await page.goto('/login');
      await settle(page, page.locator('#login_username'));
      await e2e.login(page);
      await sweep(page, `${locale}-desktop`, desktopScreens(locale), where);
      expect(seen.size, `console errors/warnings in development mode (${locale}, desktop):\n\n${report(seen)}`).toBe(0);
      expect(devBuild.has(page), 'React development build (its DevTools hint was logged)').toBe(true);
    }, SWEEP_TIMEOUT);

    it.concurrent(`phone screens log no errors or warnings (${locale})`, async ({ expect }) => {
      const seen = new Map<string, string>();
      const where = { screen: 'login' };
      const page = await newPage(locale, true, seen, where);
      await e2e.login(page, { path: '/m' });
      where.screen = 'phone warehouse choice';
      await page.locator('.ant-select').first().click();
      await page.locator('.ant-select-item-option', { hasText: 'WH1' }).click();
      await sweep(page, `${locale}-phone`, phoneScreens(), where);
      expect(seen.size, `console errors/warnings in development mode (${locale}, phone):\n\n${report(seen)}`).toBe(0);
      expect(devBuild.has(page), 'React development build (its DevTools hint was logged)').toBe(true);
    }, SWEEP_TIMEOUT);
  }
});

/** The document types (web/src/documents/config.ts) and their API collections. */
const DOCUMENT_PATHS: Record<string, string> = {
  adjustments: '/inventory-adjustments',
  'sales-orders': '/sales-orders',
  'purchase-orders': '/purchase-orders',
  receipts: '/receipts',
  transfers: '/transfers',
  'internal-transfers': '/internal-transfers',
  'stock-counts': '/stock-counts',
  shipments: '/shipments',
  'sales-returns': '/sales-returns',
  'supplier-returns': '/supplier-returns',
  scraps: '/scraps',
};
/** Detail screens whose document (as seeded) offers an action with a dialog: a confirmation, a reason. */
const DIALOGS: Record<string, string> = { 'sales-orders': 'cancel', 'purchase-orders': 'cancel', transfers: 'cancel', 'stock-counts': 'cancel' };
/** Those with a create form (`create` in the config). */
const CREATABLE = new Set(['adjustments', 'sales-orders', 'purchase-orders', 'transfers', 'internal-transfers', 'sales-returns', 'supplier-returns', 'scraps']);
