import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';

/** Pick an option of an Ant Design select: type into its search box, click the matching option. */
async function choose(page: Page, inputId: string, typed: string, optionText: string | RegExp) {
  const input = page.locator(`#${inputId}`);
  await input.click();
  if (typed) await input.fill(typed);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

/** Desktop screens of the flows beyond "do it all": pick waves, pack, ship with a carrier, tracking. */
describe('desktop flow screens, end to end in Chromium', () => {
  let e2e: E2E;
  let page: Page;
  let orderId: number;

  beforeAll(async () => {
    e2e = await startE2E();
    page = await e2e.newPage();
    const ok = (r: { status: number; body: unknown }) => { if (r.status >= 300) throw new Error(JSON.stringify(r.body)); return r.body as { id: number }; };
    ok(await e2e.api('POST', '/items', { sku: 'A1', name: 'Apple 苹果', unit: 'pcs' }));
    ok(await e2e.api('POST', '/warehouses', { code: 'WH1', name: 'Main 主仓' }));
    ok(await e2e.api('POST', '/inventory-adjustments', { warehouse: 'WH1', reason: 'opening', lines: [{ sku: 'A1', quantity: 10, unitCost: 2 }] }));
    orderId = ok(await e2e.api('POST', '/sales-orders', { customer: 'Bob', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 4 }] })).id;
    ok(await e2e.api('POST', `/sales-orders/${orderId}/confirm`));
  });

  afterAll(async () => {
    await e2e?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !e2e) return;
    await e2e.screenshot(page, `failed-flows-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  it('cuts a pick wave for a warehouse and lists its tasks in route order', async () => {
    await e2e.login(page);
    await page.goto('/picking');
    await page.getByText('还没有拣货波次').waitFor();
    await choose(page, 'wave_warehouse', 'WH1', 'WH1');
    await page.getByTestId('wave-create').click();
    await page.waitForURL(/\/picking\/\d+$/);
    const tasks = page.getByTestId('tasks-table');
    await tasks.getByText('PK-000001').waitFor();
    expect(await tasks.innerText()).toContain('WH1/Stock');
    await e2e.screenshot(page, 'flows-wave-detail');
  });

  it('confirms a pick (a wrong bin is shown on the bin field) and reports a short pick', async () => {
    e2e.allowConsoleErrors(/status of 422/);
    await page.getByTestId('task-pick-PK-000001').click();
    await page.locator('#pick_bin').fill('WH1/Nowhere');
    await page.locator('#pick_quantity').fill('3');
    await page.getByTestId('task-pick-submit').click();
    const binError = page.locator('#pick_bin_help');
    await binError.waitFor();
    expect(await binError.innerText()).toContain('WH1/Stock');
    await e2e.screenshot(page, 'flows-pick-field-error');
    await page.locator('#pick_bin').fill('WH1/Stock');
    await page.getByTestId('task-pick-submit').click();
    await page.getByTestId('task-form').waitFor({ state: 'detached' });
    const task = page.getByTestId('tasks-table').locator('tr', { hasText: 'PK-000001' });
    await expect.poll(async () => (await task.innerText()).replace(/\s+/g, ' ')).toMatch(/4 3 0 1/);

    await page.getByTestId('task-short-PK-000001').click();
    await page.locator('#short_found').fill('0');
    await page.getByTestId('task-short-submit').click();
    await page.getByTestId('wave-header').getByText('已完成').waitFor();
    const wave = await e2e.api('GET', '/pick-waves/1');
    expect(wave.body.tasks[0]).toMatchObject({ picked: 3, short: 1, status: 'done' });

    await page.goto('/picking');
    await page.getByRole('tab', { name: '盘点建议' }).click();
    const suggestions = page.getByTestId('suggestions-table');
    await suggestions.getByText('CS-000001').waitFor();
    await e2e.screenshot(page, 'flows-count-suggestions');
    await suggestions.getByTestId('suggestion-resolve-CS-000001').click();
    await suggestions.getByText('已处理').waitFor();
  });

  it('packs the picked stock with a package, ships it with a carrier and records tracking to delivery', async () => {
    await page.goto(`/documents/sales-orders/${orderId}`);
    const panel = page.getByTestId('panel-shipping');
    await panel.waitFor();
    await panel.getByTestId('package-add').click();
    await page.locator('#ship_packages_0_weightKg').fill('1.25');
    await page.locator('#ship_packages_0_lengthCm').fill('30');
    await page.locator('#ship_packages_0_widthCm').fill('20');
    await page.locator('#ship_packages_0_heightCm').fill('10.5');
    await page.getByTestId('order-pack').click();
    await page.getByRole('link', { name: 'SH-000001' }).waitFor();
    await e2e.screenshot(page, 'flows-order-packed');
    await page.getByRole('link', { name: 'SH-000001' }).click();
    await page.waitForURL(/\/documents\/shipments\/\d+$/);
    const header = page.getByTestId('document-header');
    await header.getByText('已打包').waitFor();

    await page.locator('#shipPacked_carrier').fill('SF Express');
    await page.locator('#shipPacked_service').fill('express');
    await page.locator('#shipPacked_trackingNumber').fill('SF100200300');
    await page.getByTestId('shipment-ship').click();
    await header.getByText('已发货').waitFor();

    await page.locator('#event_location').fill('Hangzhou hub 杭州');
    await page.getByTestId('event-submit').click();
    await header.getByText('在途').waitFor();
    await choose(page, 'event_status', '', '已送达');
    await page.locator('#event_note').fill('signed by Bob');
    await page.getByTestId('event-submit').click();
    await header.getByText('已送达').waitFor();
    await e2e.screenshot(page, 'flows-shipment-delivered');

    const shipment = (await e2e.api('GET', '/shipments')).body.items[0];
    const detail = await e2e.api('GET', `/shipments/${shipment.id}`);
    expect(detail.body).toMatchObject({ status: 'delivered', carrier: 'SF Express', service: 'express', trackingNumber: 'SF100200300' });
    expect(detail.body.packages).toMatchObject([{ weightKg: 1.25, lengthCm: 30, widthCm: 20, heightCm: 10.5 }]);
    expect(detail.body.events.map((e: { status: string }) => e.status)).toEqual(['packed', 'shipped', 'in_transit', 'delivered']);
    expect(detail.body.lines).toMatchObject([{ quantity: 3 }]);
  });

  it('ships the rest of the order with a carrier and tracking number', async () => {
    await page.goto(`/documents/sales-orders/${orderId}`);
    await page.getByTestId('panel-shipping').waitFor();
    await page.locator('#ship_carrier').fill('SF Express');
    await page.locator('#ship_trackingNumber').fill('SF100200301');
    await page.getByTestId('order-ship').click();
    await page.getByTestId('document-header').getByText('已发货').waitFor();
    await e2e.screenshot(page, 'flows-order-shipped');
    const order = await e2e.api('GET', `/sales-orders/${orderId}`);
    expect(order.body.status).toBe('shipped');
    const shipments = await e2e.api('GET', '/shipments?carrier=SF%20Express');
    expect(shipments.body.items.map((s: { trackingNumber: string }) => s.trackingNumber).sort()).toEqual(['SF100200300', 'SF100200301']);
    const stock = await e2e.api('GET', '/stock/summary?sku=A1&warehouse=WH1');
    // 10 - 4 shipped - 1 short and written off when the suggestion was resolved with nothing found.
    expect(stock.body.items).toMatchObject([{ onHand: 5 }]);
    e2e.assertNoConsoleErrors();
  });
  it('receives a purchase order partially, line by line, and inspects the receipt with a rejection', async () => {
    expect((await e2e.api('POST', '/partners', { code: 'SUP1', name: 'Supplier 供应商', kind: 'supplier' })).status).toBe(201);
    const po = await e2e.api('POST', '/purchase-orders', { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 5, unitPrice: 2 }] });
    expect(po.status).toBe(201);
    await e2e.api('POST', `/purchase-orders/${po.body.id}/submit`);
    if ((await e2e.api('GET', `/purchase-orders/${po.body.id}`)).body.status === 'submitted') await e2e.api('POST', `/purchase-orders/${po.body.id}/approve`);
    await page.goto(`/documents/purchase-orders/${po.body.id}`);
    await page.getByTestId('panel-receive').waitFor();
    await page.locator('#receive_lines_0_quantity').fill('100');
    await page.getByTestId('receive-submit').click();
    const tooMuch = page.locator('#receive_lines_0_quantity_help');
    await tooMuch.waitFor();
    expect(await tooMuch.innerText()).toMatch(/tolerance|5/);
    await page.locator('#receive_lines_0_quantity').fill('2');
    await page.getByTestId('receive-submit').click();
    await page.getByTestId('document-header').getByText('部分收货').waitFor();
    await e2e.screenshot(page, 'flows-po-partially-received');

    await page.getByRole('link', { name: /^GR-/ }).first().click();
    await page.waitForURL(/\/documents\/receipts\/\d+$/);
    await page.getByTestId('panel-inspect').waitFor();
    await page.locator('#inspect_lines_0_accept').fill('1');
    await page.locator('#inspect_lines_0_reject').fill('1');
    await page.locator('#inspect_lines_0_reason').fill('damaged 破损');
    await page.getByTestId('inspect-submit').click();
    await page.getByTestId('document-header').getByText('已检验').waitFor();
    await e2e.screenshot(page, 'flows-receipt-inspected');
    const receipts = await e2e.api('GET', `/receipts?purchaseOrder=${po.body.id}`);
    const receipt = await e2e.api('GET', `/receipts/${receipts.body.items[0].id}`);
    expect(receipt.body.lines).toMatchObject([{ quantity: 2, accepted: 1, rejected: 1, uninspected: 0 }]);
    expect(receipt.body.inspections[0].lines).toMatchObject([{ accepted: 1, rejected: 1, reason: 'damaged 破损' }]);
    e2e.assertNoConsoleErrors();
  });
  it('enters counted quantities per line of a started stock count, with the API error on the right row', async () => {
    const count = await e2e.api('POST', '/stock-counts', { warehouse: 'WH1', scope: { type: 'items', skus: ['A1'] } });
    expect(count.status).toBe(201);
    expect((await e2e.api('POST', `/stock-counts/${count.body.id}/start`)).status).toBe(200);
    const started = await e2e.api('GET', `/stock-counts/${count.body.id}`);
    const lines = started.body.lines as Array<{ location: string; sku: string }>;
    await page.goto(`/documents/stock-counts/${count.body.id}`);
    await page.getByTestId('panel-count').waitFor();
    expect(await page.getByTestId('count-line').count()).toBe(lines.length);

    // Only the added row is sent (index 0 of the request): its error shows on the form's row.
    await page.getByTestId('panel-count').getByRole('button', { name: '添加盘盈行' }).click();
    const extra = lines.length;
    await page.locator(`#count_entries_${extra}_location`).fill('NOWHERE/Bin');
    await page.locator(`#count_entries_${extra}_item`).fill('A1');
    await page.locator(`#count_entries_${extra}_quantity`).fill('1');
    await page.getByTestId('count-submit').click();
    await page.locator(`#count_entries_${extra}_location_help`).waitFor();
    await e2e.screenshot(page, 'flows-count-field-error');
    await page.getByTestId('panel-count').getByRole('button', { name: '删除' }).or(page.getByTestId('panel-count').getByLabel('删除')).last().click();

    const stockLine = lines.findIndex((l) => l.location === 'WH1/Stock');
    expect(stockLine).toBeGreaterThanOrEqual(0);
    await page.locator(`#count_entries_${stockLine}_quantity`).fill('4');
    await page.getByTestId('count-submit').click();
    await expect.poll(async () => (await e2e.api('GET', `/stock-counts/${count.body.id}`)).body.lines[stockLine].counted).toBe(4);
    await e2e.screenshot(page, 'flows-count-entered');
    e2e.assertNoConsoleErrors();
  });
});
