import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';
import { createCompany, type CreatedCompany } from '../../src/app/companies.js';

/** The stored sessions of the page (one per company), as the app keeps them. */
async function storedSessions(page: Page): Promise<Record<string, { token: string; companyName?: string }>> {
  return page.evaluate(`({ ...JSON.parse(localStorage.getItem('cangku.sessions') ?? '{}'), ...JSON.parse(sessionStorage.getItem('cangku.sessions') ?? '{}') })`);
}

async function openCompanyMenu(page: Page): Promise<void> {
  await page.getByTestId('company-switch').click();
  await page.getByTestId('company-add').waitFor();
}

describe('company selector: signed into several companies in one browser', () => {
  let e2e: E2E;
  let page: Page;
  let acme: CreatedCompany;

  beforeAll(async () => {
    e2e = await startE2E();
    acme = await createCompany(e2e.db.store, { code: 'acme', name: 'Acme 公司' });
    page = await e2e.newPage();
  });

  afterAll(async () => {
    await e2e?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !e2e) return;
    await e2e.screenshot(page, `failed-company-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  it('logs into default and sees its item and warehouse', async () => {
    expect((await e2e.api('POST', '/items', { sku: 'DEF-1', name: 'Default only 默认', unit: 'pcs' })).status).toBe(201);
    expect((await e2e.api('POST', '/warehouses', { code: 'WD', name: 'Default WH' })).status).toBe(201);
    await e2e.login(page, { path: '/login' });
    expect(await page.getByTestId('company').innerText()).toBe('Default company');
    await page.getByRole('combobox', { name: '仓库' }).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'WD · Default WH' }).click();
    await page.locator('header').getByTitle('WD · Default WH').waitFor();
    await page.goto('/items');
    await page.getByTestId('items-table').getByText('DEF-1').waitFor();
  });

  it('"sign in to another company" opens the login form with the username and an empty company', async () => {
    await openCompanyMenu(page);
    expect(await page.getByTestId('company-option-default').innerText()).toContain('Default company');
    await page.getByTestId('company-add').click();
    await page.waitForURL(/\/login$/);
    await page.getByText('登录其他公司', { exact: true }).waitFor();
    expect(await page.locator('#login_username').inputValue()).toBe('admin');
    expect(await page.locator('#login_company').inputValue()).toBe('');
    // The companies used before in this browser are offered (here: default).
    await page.locator('#login_company').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'Default company (default)' }).waitFor();
    await e2e.screenshot(page, 'company-sign-in-another');

    await page.locator('#login_company').fill('acme');
    await page.keyboard.press('Escape');
    await page.locator('#login_password').fill(acme.generatedPassword!);
    await page.locator('form[id="login"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/items');
    expect(await page.getByTestId('company').innerText()).toBe('Acme 公司');
    await page.getByTestId('items-table').locator('.ant-empty').waitFor();
    expect(await page.getByTestId('items-table').getByText('DEF-1').count()).toBe(0);
    // Acme's own warehouse choice: none yet.
    expect(await page.locator('header').getByTitle('WD · Default WH').count()).toBe(0);
    expect(Object.keys(await storedSessions(page)).sort()).toEqual(['acme', 'default']);
  });

  it('switches back to default at once, with its own warehouse, and again to acme', async () => {
    expect((await e2e.api('POST', '/items', { sku: 'DEF-2', name: 'Second 第二', unit: 'pcs' })).status).toBe(201);
    await page.goto('/items');
    await page.getByTestId('items-table').locator('.ant-empty').waitFor();
    await openCompanyMenu(page);
    await e2e.screenshot(page, 'company-menu');
    await page.getByTestId('company-option-default').click();
    await page.getByTestId('items-table').getByText('DEF-2').waitFor();
    expect(await page.getByTestId('items-table').getByText('DEF-1').count()).toBe(1);
    expect(await page.getByTestId('company').innerText()).toBe('Default company');
    await page.locator('header').getByTitle('WD · Default WH').waitFor();

    // From a record's page, a switch lands on the list: item 1 of default means nothing in acme.
    await page.getByTestId('items-table').getByText('DEF-1').click();
    await page.waitForURL(/\/items\/\d+$/);
    await openCompanyMenu(page);
    await page.getByTestId('company-option-acme').click();
    await page.waitForURL((url) => url.pathname === '/items');
    await page.getByTestId('items-table').locator('.ant-empty').waitFor();
    expect(await page.getByTestId('company').innerText()).toBe('Acme 公司');
  });

  it('logging out leaves the current company only and switches to the other', async () => {
    const acmeToken = (await storedSessions(page)).acme!.token;
    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('logout').innerText()).toBe('退出 Acme 公司');
    await page.getByTestId('logout').click();
    await page.getByTestId('items-table').getByText('DEF-1').waitFor();
    expect(await page.getByTestId('company').innerText()).toBe('Default company');
    expect(Object.keys(await storedSessions(page))).toEqual(['default']);
    // Its token is revoked on the server, not only forgotten.
    expect((await e2e.api('GET', '/auth/me', undefined, acmeToken)).status).toBe(401);
    await openCompanyMenu(page);
    expect(await page.getByTestId('company-option-acme').count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('a session revoked elsewhere leaves the list on its first 401', async () => {
    e2e.allowConsoleErrors(/status of 401/);
    // Sign into acme again, then end that session behind the browser's back.
    await openCompanyMenu(page);
    await page.getByTestId('company-add').click();
    await page.waitForURL(/\/login$/);
    await page.locator('#login_company').fill('acme');
    await page.keyboard.press('Escape');
    await page.locator('#login_password').fill(acme.generatedPassword!);
    await page.locator('form[id="login"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/items');
    expect(await page.getByTestId('company').innerText()).toBe('Acme 公司');
    const acmeToken = (await storedSessions(page)).acme!.token;
    expect((await e2e.api('POST', '/auth/logout', undefined, acmeToken)).status).toBe(204);

    await page.goto('/items');
    await page.getByText('Acme 公司 的登录已失效，请重新登录。').waitFor();
    await page.getByTestId('items-table').getByText('DEF-1').waitFor();
    expect(await page.getByTestId('company').innerText()).toBe('Default company');
    expect(Object.keys(await storedSessions(page))).toEqual(['default']);
  });

  it('after the last logout the login page offers the companies used before', async () => {
    await page.getByTestId('user-menu').click();
    expect(await page.getByTestId('logout').innerText()).toBe('退出登录');
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    expect(await storedSessions(page)).toEqual({});
    expect(await page.locator('#login_company').inputValue()).toBe('default');
    await page.locator('#login_company').click();
    await page.locator('#login_company').fill('');
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.first().waitFor();
    expect(await options.allInnerTexts()).toEqual(['Default company (default)', 'Acme 公司 (acme)']);
    await options.filter({ hasText: 'Acme 公司' }).click();
    expect(await page.locator('#login_company').inputValue()).toBe('acme');
    expect(await page.locator('#login_username').inputValue()).toBe('admin');
    await e2e.screenshot(page, 'login-known-companies');
  });

  it('the phone header has the same selector', async () => {
    const phone = await e2e.newPage({ mobile: true });
    await e2e.login(phone, { path: '/m' });
    await phone.waitForURL((url) => url.pathname === '/m');
    expect(await phone.getByTestId('company').innerText()).toBe('Default company');
    await phone.getByTestId('company-switch').click();
    await phone.getByTestId('company-option-default').waitFor();
    await e2e.screenshot(phone, 'company-phone-menu');
    await phone.getByTestId('company-add').click();
    await phone.waitForURL(/\/login$/);
    expect(await phone.locator('#login_username').inputValue()).toBe('admin');
    await phone.getByTestId('login-cancel').click();
    await phone.waitForURL((url) => url.pathname === '/m');
  });
});
