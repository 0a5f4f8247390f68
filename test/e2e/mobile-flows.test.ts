import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';
import { wedgeScan, typeQuantity } from './support/scanning.js';

/**
 * Receive, put away and pick on the phone layout with typed (keyboard-wedge) scans, each until
 * the server has the result: a receipt against a purchase order (GS1 fills lot and expiry), a
 * put-away into a bin, and a pick task of a wave.
 */
describe('phone receive, put-away and pick', () => {
  let e2e: E2E;
  let page: Page;
  const ok = (method: string, path: string, body?: unknown) => e2e.apiOk(method, path, body);

  const status = () => page.getByTestId('scan-status');
  const home = async (tile: string) => {
    await page.goto('/m');
    await page.getByTestId(`tile-${tile}`).tap();
  };

  beforeAll(async () => {
    e2e = await startE2E();
    // The app shell's loading spinner (web/src/components/PageLoading.tsx, not ours) uses antd's deprecated `tip`.
    e2e.allowConsoleErrors(/\[antd: Spin\] `tip` is deprecated/);
    await ok('POST', '/partners', { code: 'SUP1', name: 'Supplier One', kind: 'supplier' });
    await ok('POST', '/items', { sku: 'BOLT-M8', name: 'Bolt M8', unit: 'pcs', barcode: '6901234567892' });
    await ok('POST', '/items', { sku: 'MILK', name: 'Milk', unit: 'L', tracking: 'lot' });
    const wh = await ok('POST', '/warehouses', { code: 'WH1', name: 'Main' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A-01', kind: 'bin' });
    const po = await ok('POST', '/purchase-orders', { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'BOLT-M8', quantity: 10, unitPrice: 1 }, { sku: 'MILK', quantity: 5, unitPrice: 2 }] });
    expect((await ok('POST', `/purchase-orders/${po.id}/submit`)).status).toBe('approved');
    page = await e2e.newPage({ mobile: true, locale: 'en' });
    await e2e.login(page, { path: '/m' });
    await page.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: 'WH1' }).click();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('receives a purchase order: EAN-13 for one line, a GS1 lot label with expiry for the other', async () => {
    await home('receive');
    await page.getByTestId('po-PO-000001').tap();
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, '6901234567892');
    await typeQuantity(page, '10');
    await expect.poll(() => status().textContent()).toContain('BOLT-M8 × 10');
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, ']d2240MILK\u001d1730123110L9');
    await typeQuantity(page, '5');
    await expect.poll(() => status().textContent()).toContain('MILK #L9 × 5');
    await e2e.screenshot(page, 'mobile-receive');
    // A reload (a locked phone, a crashed tab) keeps what was scanned.
    await page.reload();
    await expect.poll(() => page.getByTestId('receive-post').textContent()).toContain('2');
    await page.getByTestId('receive-post').tap();
    await expect.poll(async () => (await ok('GET', '/receipts')).items.length, { timeout: 15_000 }).toBe(1);
    const receipt = (await ok('GET', '/receipts')).items[0];
    expect(receipt.lines.map((l: { sku: string; quantity: number; lot: string | null; expiresOn: string | null }) => [l.sku, l.quantity, l.lot, l.expiresOn]))
      .toEqual([['BOLT-M8', 10, null, null], ['MILK', 5, 'L9', '2030-12-31']]);
    await ok('POST', `/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 10 }, { line: 2, accept: 5 }] });
  });

  it('puts an item away into the bin scanned, with the suggestion shown', async () => {
    await home('putaway');
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, '(01)06901234567892');
    await expect.poll(() => status().textContent()).toContain('WH1/Stock');
    await wedgeScan(page, 'WH1/Stock/A-01');
    await typeQuantity(page, '10');
    await expect.poll(() => status().textContent()).toContain('BOLT-M8 × 10 → A-01');
    await expect.poll(async () => {
      const rows = (await ok('GET', '/stock?sku=BOLT-M8&warehouse=WH1&nonZero=true')).items as Array<{ location: string; onHand: number }>;
      return rows.map((r) => `${r.location}=${r.onHand}`);
    }, { timeout: 15_000 }).toEqual(['WH1/Stock/A-01=10']);
    await e2e.screenshot(page, 'mobile-putaway');
  });

  it('picks a wave task: bin, item, quantity', async () => {
    const order = await ok('POST', '/sales-orders', { customer: 'Walk-in', warehouse: 'WH1', lines: [{ sku: 'BOLT-M8', quantity: 4 }] });
    await ok('POST', `/sales-orders/${order.id}/confirm`);
    const wave = await ok('POST', '/pick-waves', { warehouse: 'WH1', orders: [order.id] });
    await home('pick');
    await page.getByTestId(`wave-${wave.number}`).tap();
    await page.getByTestId('pick-task').waitFor();
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, '6901234567892'); // the bin comes first
    await expect.poll(() => status().getAttribute('data-state')).toBe('error');
    await wedgeScan(page, 'WH1/Stock/A-01');
    await wedgeScan(page, '6901234567892');
    await typeQuantity(page, '4');
    await expect.poll(async () => (await ok('GET', `/pick-waves/${wave.id}`)).tasks[0].picked, { timeout: 15_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('pick-task').count()).toBe(0);
    await e2e.screenshot(page, 'mobile-pick-done');
  });
});
