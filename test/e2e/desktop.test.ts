import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';

/** Pick an option of an Ant Design select: type into its search box, click the matching option. */
async function choose(page: Page, inputId: string, typed: string, optionText: string | RegExp) {
  const input = page.locator(`#${inputId}`);
  await input.click();
  await input.fill(typed);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

async function statValue(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).locator('.ant-statistic-content-value').innerText()).replace(/\s+/g, '').trim();
}

describe('desktop web app, end to end in Chromium', () => {
  let e2e: E2E;
  let page: Page;
  let dashboard: Page;

  beforeAll(async () => {
    e2e = await startE2E();
    page = await e2e.newPage();
    dashboard = await e2e.newPage();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  // A failed step leaves a picture of both tabs behind (test-artifacts/screenshots/failed-*).
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !e2e) return;
    const name = context.task.name.replace(/\W+/g, '-').slice(0, 60);
    await e2e.screenshot(page, `failed-${name}`).catch(() => undefined);
    await e2e.screenshot(dashboard, `failed-${name}-dashboard`).catch(() => undefined);
  });

  it('logs in and shows the empty dashboard', async () => {
    await page.goto('/');
    await page.waitForURL(/\/login$/);
    await e2e.screenshot(page, 'login');
    await e2e.login(page);
    await page.getByTestId('stat-sku-count').waitFor();
    expect(await statValue(page, 'stat-sku-count')).toBe('0');
    await e2e.screenshot(page, 'dashboard-empty');
  });

  it('shows the API validation errors on the form fields', async () => {
    e2e.allowConsoleErrors(/status of 422/);
    await page.goto('/items');
    await page.getByTestId('item-new').click();
    await page.locator('#item_sku').fill('X'.repeat(70));
    await page.locator('#item_name').fill('Too long');
    await page.getByTestId('item-save').click();
    const fieldError = page.locator('#item_sku_help');
    await fieldError.waitFor();
    expect(await fieldError.innerText()).toMatch(/64/);
    await e2e.screenshot(page, 'item-form-errors');
    const items = await e2e.api('GET', '/items');
    expect(items.body.items).toHaveLength(0);
  });

  it('creates an item and a warehouse', async () => {
    await page.locator('#item_sku').fill('A1');
    await page.locator('#item_name').fill('Apple 苹果');
    await page.getByTestId('item-save').click();
    await page.waitForURL(/\/items\/\d+$/);
    await page.getByText('A1 · Apple 苹果').waitFor();

    await page.goto('/warehouses');
    await page.getByTestId('warehouse-new').click();
    await page.locator('#warehouse_code').fill('WH1');
    await page.locator('#warehouse_name').fill('Main 主仓');
    await page.locator('#warehouse_name').press('Enter');
    await page.getByTestId('warehouses-table').getByText('WH1/Stock').waitFor();
    await e2e.screenshot(page, 'warehouses');

    const warehouses = await e2e.api('GET', '/warehouses');
    expect(warehouses.body.items.map((w: { code: string }) => w.code)).toEqual(['WH1']);
  });

  it('adjusts stock, and the open dashboard changes without reloading', async () => {
    await e2e.login(dashboard);
    await dashboard.getByTestId('stat-sku-count').waitFor();
    await dashboard.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    expect(await statValue(dashboard, 'stat-sku-count')).toBe('0');
    let reloaded = false;
    dashboard.on('load', () => (reloaded = true));

    await page.goto('/documents/adjustments/new');
    await choose(page, 'create-adjustments_warehouse', 'WH1', 'WH1');
    await page.locator('#create-adjustments_reason').fill('opening stock');
    await choose(page, 'create-adjustments_lines_0_sku', 'A1', 'A1 · Apple');
    await page.locator('#create-adjustments_lines_0_quantity').fill('10');
    await page.locator('#create-adjustments_lines_0_unitCost').fill('2.5');
    await e2e.screenshot(page, 'adjustment-new');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/adjustments\/\d+$/);
    await page.getByText('ADJ-000001').first().waitFor();
    await e2e.screenshot(page, 'adjustment-detail');

    await expect.poll(() => statValue(dashboard, 'stat-sku-count'), { timeout: 15_000 }).toBe('1');
    expect(await statValue(dashboard, 'stat-stock-value')).toBe('25.00');
    expect(reloaded).toBe(false);
    await e2e.screenshot(dashboard, 'dashboard-live');
  });

  it('takes a sales order, confirms and ships it', async () => {
    await page.goto('/documents/sales-orders/new');
    await page.locator('#create-sales-orders_customer').fill('Bob');
    await choose(page, 'create-sales-orders_warehouse', 'WH1', 'WH1');
    await choose(page, 'create-sales-orders_lines_0_sku', 'Apple', 'A1 · Apple');
    await page.locator('#create-sales-orders_lines_0_quantity').fill('4');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/sales-orders\/\d+$/);
    const header = page.getByTestId('document-header');
    await header.getByText('草稿').waitFor();

    await page.getByTestId('action-confirm').click();
    await header.getByText('已确认').waitFor();
    await page.getByTestId('action-ship').click();
    await header.getByText('已发货').waitFor();
    await e2e.screenshot(page, 'sales-order-shipped');

    const stock = await e2e.api('GET', '/stock?sku=A1');
    expect(stock.body.items).toMatchObject([{ location: 'WH1/Stock', onHand: 6, reserved: 0, available: 6 }]);
    await expect.poll(() => statValue(dashboard, 'stat-stock-value'), { timeout: 15_000 }).toBe('15.00');
  });

  it('shows stock per warehouse and per bin, and the moves and documents behind a number', async () => {
    await page.goto('/stock');
    const summary = page.getByTestId('stock-summary');
    await summary.getByText('WH1').waitFor();
    await summary.getByRole('button', { name: '6' }).click();
    const moves = page.getByTestId('moves-table');
    await moves.getByText('SO-000001').waitFor();
    await e2e.screenshot(page, 'stock-moves');
    await moves.getByRole('link', { name: 'ADJ-000001' }).click();
    await page.waitForURL(/\/documents\/adjustments\/1$/);
  });

  it('runs a purchase order through its actions: submit, approve, receive, inspect', async () => {
    expect((await e2e.api('POST', '/partners', { code: 'SUP1', name: 'Supplier 供应商', kind: 'supplier' })).status).toBe(201);
    const po = await e2e.api('POST', '/purchase-orders', { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 5, unitPrice: 2 }] });
    expect(po.status).toBe(201);
    await page.goto(`/documents/purchase-orders/${po.body.id}`);
    const header = page.getByTestId('document-header');
    await page.getByTestId('action-submit').click();
    await header.getByText(/已提交|已批准/).waitFor();
    if (await page.getByTestId('action-approve').isVisible()) await page.getByTestId('action-approve').click();
    await page.getByTestId('action-receiveAll').click();
    await header.getByText('已收货').waitFor();
    await e2e.screenshot(page, 'purchase-order-received');

    await page.goto('/documents/receipts');
    await page.getByRole('link', { name: /^GR-/ }).first().click();
    await page.getByTestId('action-inspectAll').click();
    await page.getByTestId('document-header').getByText('已检验').waitFor();
    await e2e.screenshot(page, 'receipt-inspected');
    const stock = await e2e.api('GET', '/stock/summary?sku=A1&warehouse=WH1');
    expect(stock.body.items).toMatchObject([{ onHand: 11, available: 11 }]);
  });

  it('switches the language to English', async () => {
    await page.goto('/');
    await page.getByTestId('stat-sku-count').waitFor();
    expect(await page.locator('.ant-layout-sider').innerText()).toContain('概览');
    await page.getByTestId('language-switch').locator('.ant-select').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'English' }).click();
    await page.locator('.ant-layout-sider').getByText('Dashboard').waitFor();
    expect(await page.getByTestId('stat-stock-value').innerText()).toContain('Stock value');
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await e2e.screenshot(page, 'dashboard-en');
    for (const [path, name] of [['/items', 'items'], ['/documents/sales-orders', 'sales-orders'], ['/partners', 'partners']] as const) {
      await page.goto(path);
      await page.locator('.ant-table').first().waitFor();
      await e2e.screenshot(page, name);
    }
  });

  it('serves the app for client routes and keeps 404 problems for unknown API paths', async () => {
    const app = await fetch(`${e2e.baseUrl}/documents/sales-orders/1`);
    expect(app.status).toBe(200);
    expect(await app.text()).toContain('<div id="root">');
    const missing = await fetch(`${e2e.baseUrl}/api/v1/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    e2e.assertNoConsoleErrors();
  });
});
