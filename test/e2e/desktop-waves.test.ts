import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';
import { wedgeScan } from './support/scanning.js';

/**
 * The desktop pick wave screens beyond the per-task forms: choosing which orders go into a wave
 * (GET /pick-waves/candidates, checkboxes, POST /pick-waves {orders}), and the scan panel of a
 * wave for a desk with a USB (keyboard-wedge) scanner (POST /pick-waves/{id}/scan), including a
 * scan the API refuses and a GS1 barcode.
 */
describe('desktop pick waves: choose the orders, pick by scan', () => {
  let e2e: E2E;
  let page: Page;
  const ok = (method: string, path: string, body?: unknown) => e2e.apiOk(method, path, body);
  const orders: Record<string, { id: number; number: string }> = {};
  let waveId: number;

  const status = () => page.getByTestId('scan-status');
  const wave = async () => ok('GET', `/pick-waves/${waveId}`);

  beforeAll(async () => {
    e2e = await startE2E();
    await ok('POST', '/items', { sku: 'BOLT-M8', name: 'Bolt M8', unit: 'pcs', barcode: '6901234567892' });
    const wh = await ok('POST', '/warehouses', { code: 'WH1', name: 'Main' });
    for (const code of ['A-01', 'B-02']) await ok('POST', `/warehouses/${wh.id}/locations`, { code, kind: 'bin' });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', location: 'WH1/Stock/A-01', lines: [{ sku: 'BOLT-M8', quantity: 20, unitCost: 1 }] });
    const requested = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    for (const [name, quantity, extra] of [['first', 2, { priority: 5 }], ['urgent', 3, { priority: 1, requestedOn: requested }], ['last', 4, { priority: 9 }]] as const) {
      const o = await ok('POST', '/sales-orders', { customer: `Shop ${name}`, warehouse: 'WH1', lines: [{ sku: 'BOLT-M8', quantity }], ...extra });
      await ok('POST', `/sales-orders/${o.id}/confirm`);
      orders[name] = { id: o.id, number: o.number };
    }
    page = await e2e.newPage();
  });
  afterAll(async () => {
    await e2e?.close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !e2e) return;
    await e2e.screenshot(page, `failed-waves-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  it('lists the orders waiting for a wave, filters them, and cuts a wave from the two chosen', async () => {
    await e2e.login(page);
    await page.goto('/picking');
    const warehouse = page.locator('#wave_warehouse');
    await warehouse.click();
    await warehouse.fill('WH1');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'WH1' }).first().click();
    const table = page.getByTestId('wave-candidates');
    // By priority: urgent (1), first (5), last (9).
    await table.getByText(orders.last!.number).waitFor();
    const numbers = async () => (await table.locator('tbody tr[data-row-key]').allInnerTexts()).map((r) => r.match(/SO-\d+/)?.[0]);
    expect(await numbers()).toEqual([orders.urgent!.number, orders.first!.number, orders.last!.number]);

    // Priority up to 5 leaves out the last order; clearing the filter brings it back.
    await page.locator('#wave_priority').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '≤ 5' }).click();
    await expect.poll(numbers).toEqual([orders.urgent!.number, orders.first!.number]);
    await page.locator('.ant-form-item', { has: page.locator('#wave_priority') }).locator('.ant-select-clear').click({ force: true });
    await expect.poll(numbers).toEqual([orders.urgent!.number, orders.first!.number, orders.last!.number]);

    const create = page.getByTestId('wave-create-selected');
    expect(await create.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: `选择订单 ${orders.first!.number}` }).check();
    await page.getByRole('checkbox', { name: `选择订单 ${orders.last!.number}` }).check();
    await expect.poll(() => create.innerText()).toContain('2');
    await e2e.screenshot(page, 'waves-choose-orders');
    await create.click();
    await page.waitForURL(/\/picking\/\d+$/);
    waveId = Number(page.url().split('/').pop());

    // Only the two chosen orders got tasks; the third still waits for a wave.
    const cut = await wave();
    expect([...new Set(cut.tasks.map((t: { orderId: number }) => t.orderId))].sort()).toEqual([orders.first!.id, orders.last!.id].sort());
    expect(cut.tasks.map((t: { quantity: number }) => t.quantity).sort()).toEqual([2, 4]);
    const waiting = await ok('GET', '/pick-waves/candidates?warehouse=WH1');
    expect(waiting.items.map((o: { id: number }) => o.id)).toEqual([orders.urgent!.id]);
  });

  it('picks by scan: a wrong bin is refused by the API and writes nothing; bin, GS1 item and quantity pick', async () => {
    e2e.allowConsoleErrors(/status of 422/);
    e2e.allowConsoleErrors(/status of 409/);
    const panel = page.getByTestId('wave-scan');
    await panel.waitFor();
    const scanInput = page.getByTestId('wave-scan-input');
    const before = await wave();

    // A bin of the warehouse where this wave has nothing: the panel warns, the API refuses (422 on bin).
    await scanInput.focus();
    await wedgeScan(page, 'WH1/Stock/B-02');
    await panel.getByTestId('wave-scan-hint').getByText('B-02').waitFor();
    await wedgeScan(page, '6901234567892');
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe('wave-scan-qty');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().getAttribute('data-state')).toBe('error');
    expect(await status().innerText()).toMatch(/nothing left to pick at WH1\/Stock\/B-02/);
    expect(await panel.getByTestId('wave-scan-log').innerText()).toContain('被拒绝');
    await e2e.screenshot(page, 'waves-scan-refused');
    expect((await wave()).tasks).toEqual(before.tasks);
    // The panel went back to the bin step.
    expect(await panel.getByTestId('wave-scan-bin').innerText()).toBe('—');

    // The right bin, the item as a GS1 label (GTIN-14 of the EAN-13 barcode), the quantity prefilled: 2 of the first task.
    await scanInput.focus();
    await wedgeScan(page, 'WH1/Stock/A-01');
    await wedgeScan(page, '(01)06901234567892');
    await expect.poll(() => page.getByTestId('wave-scan-qty').inputValue()).toBe('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().getAttribute('data-state')).toBe('ok');
    expect(await status().innerText()).toMatch(/PK-\d+.*BOLT-M8 × 2/);
    expect((await wave()).tasks.map((t: { picked: number }) => t.picked)).toEqual([2, 0]);

    // More than the task holds: 409 on the quantity, the panel stays on it; the right quantity picks.
    await scanInput.focus();
    await wedgeScan(page, 'WH1/Stock/A-01');
    await wedgeScan(page, 'BOLT-M8');
    await expect.poll(() => page.getByTestId('wave-scan-qty').inputValue()).toBe('4');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('9');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().getAttribute('data-state')).toBe('error');
    expect(await status().innerText()).toMatch(/only 4 pcs left/);
    expect((await wave()).tasks.map((t: { picked: number }) => t.picked)).toEqual([2, 0]);
    await page.getByTestId('wave-scan-qty').fill('4');
    await page.getByTestId('wave-scan-qty').press('Enter');
    await page.getByTestId('wave-header').getByText('已完成').waitFor();
    await expect.poll(() => panel.count()).toBe(0);
    const done = await wave();
    expect(done).toMatchObject({ status: 'done', progress: { done: 2, open: 0 } });
    expect(done.tasks.map((t: { picked: number }) => t.picked)).toEqual([2, 4]);
    await e2e.screenshot(page, 'waves-scan-done');
    // Sound/vibration feedback was given for each refusal and each pick.
    const feedback = (await page.evaluate('window.__cangkuScanFeedback')) as string[];
    expect(feedback.filter((f) => f === 'error').length).toBeGreaterThanOrEqual(2);
    expect(feedback.filter((f) => f === 'ok').length).toBeGreaterThanOrEqual(2);
    e2e.assertNoConsoleErrors();
  });

  it('cancels a wave with nothing picked from its page: the order waits for a wave again', async () => {
    const cut = await ok('POST', '/pick-waves', { warehouse: 'WH1', orders: [orders.urgent!.id] });
    await page.goto(`/picking/${cut.id}`);
    await page.getByTestId('wave-cancel').click();
    await page.getByTestId('wave-cancel-reason').fill('客户改为自提');
    await page.locator('.ant-modal-footer .ant-btn-dangerous').click();
    await expect.poll(async () => (await ok('GET', `/pick-waves/${cut.id}`)).status).toBe('cancelled');
    await page.getByTestId('wave-header').getByText(/取消/).first().waitFor();
    const waiting = await ok('GET', '/pick-waves/candidates?warehouse=WH1');
    expect(waiting.items.map((o: { id: number }) => o.id)).toEqual([orders.urgent!.id]);
    e2e.assertNoConsoleErrors();
  });
});
