import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';
import { wedgeScan, typeQuantity } from './support/scanning.js';

/**
 * Put-away on the phone from the default source (the warehouse's stock location) and from a bin
 * scanned first, online and offline (through the scan queue), each checked against the bin
 * balances on the server.
 */
describe('phone put-away from the stock location or a scanned bin', () => {
  let e2e: E2E;
  let page: Page;
  const ok = (method: string, path: string, body?: unknown) => e2e.apiOk(method, path, body);

  const status = () => page.getByTestId('scan-status');
  const source = () => page.getByTestId('putaway-from');
  /** On-hand per location of the bolts in WH1, as the server has it. */
  const balances = async () => {
    const rows = (await ok('GET', '/stock?sku=BOLT-M8&warehouse=WH1&nonZero=true')).items as Array<{ location: string; onHand: number }>;
    return Object.fromEntries(rows.map((r) => [r.location, r.onHand]));
  };

  beforeAll(async () => {
    e2e = await startE2E();
    // The app shell's loading spinner (web/src/components/PageLoading.tsx, not ours) uses antd's deprecated `tip`.
    e2e.allowConsoleErrors(/\[antd: Spin\] `tip` is deprecated/);
    // Requests the browser makes while the test holds it offline.
    e2e.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED|net::ERR_/);
    await ok('POST', '/items', { sku: 'BOLT-M8', name: 'Bolt M8', unit: 'pcs', barcode: '6901234567892' });
    const wh = await ok('POST', '/warehouses', { code: 'WH1', name: 'Main' });
    for (const code of ['A-01', 'B-02']) await ok('POST', `/warehouses/${wh.id}/locations`, { code, kind: 'bin' });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', lines: [{ sku: 'BOLT-M8', quantity: 10, unitCost: 1 }] });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', location: 'WH1/Stock/A-01', lines: [{ sku: 'BOLT-M8', quantity: 6, unitCost: 1 }] });
    page = await e2e.newPage({ mobile: true, locale: 'en' });
    await e2e.login(page, { path: '/m' });
    await page.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: 'WH1' }).click();
    await page.getByTestId('tile-putaway').tap();
    await page.getByTestId('putaway-screen').waitFor();
  });
  afterAll(async () => {
    await e2e?.close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !e2e) return;
    await e2e.screenshot(page, `failed-putaway-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  it('moves from the stock location when no bin was scanned first (the default)', async () => {
    await expect.poll(() => source().textContent()).toContain('WH1/Stock');
    expect(await source().getAttribute('data-from')).toBe('');
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, '6901234567892');
    await expect.poll(() => status().textContent()).toContain('BOLT-M8');
    await wedgeScan(page, 'WH1/Stock/B-02');
    await typeQuantity(page, '3');
    await expect.poll(() => status().textContent()).toContain('BOLT-M8 × 3 → B-02');
    await expect.poll(balances, { timeout: 15_000 }).toEqual({ 'WH1/Stock': 7, 'WH1/Stock/A-01': 6, 'WH1/Stock/B-02': 3 });
  });

  it('moves from a bin scanned while the screen waits for an item, and keeps that source', async () => {
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, 'WH1/Stock/A-01');
    await expect.poll(() => source().getAttribute('data-from')).toBe('WH1/Stock/A-01');
    expect(await status().textContent()).toContain('WH1/Stock/A-01');
    await wedgeScan(page, '6901234567892');
    await expect.poll(() => status().textContent()).toContain('BOLT-M8');
    // The source is not a destination.
    await wedgeScan(page, 'WH1/Stock/A-01');
    await expect.poll(() => status().getAttribute('data-state')).toBe('error');
    await wedgeScan(page, 'WH1/Stock/B-02');
    await typeQuantity(page, '4');
    await expect.poll(() => status().textContent()).toContain('BOLT-M8 × 4 A-01 → B-02');
    await e2e.screenshot(page, 'mobile-putaway-from-bin');
    await expect.poll(balances, { timeout: 15_000 }).toEqual({ 'WH1/Stock': 7, 'WH1/Stock/A-01': 2, 'WH1/Stock/B-02': 7 });
    const transfer = (await ok('GET', '/internal-transfers?warehouse=WH1')).items[0];
    expect(transfer.lines).toMatchObject([{ sku: 'BOLT-M8', from: 'WH1/Stock/A-01', to: 'WH1/Stock/B-02', quantity: 4 }]);
    expect(await source().getAttribute('data-from')).toBe('WH1/Stock/A-01');
  });

  it('queues a move from the scanned bin offline and sends it once when back online; then back to the default', async () => {
    const context = page.context();
    try {
      await context.setOffline(true);
      await page.getByTestId('scan-input').focus();
      // The item resolves from the phone's cache; the suggestion needs the network and is skipped.
      await wedgeScan(page, '6901234567892');
      await expect.poll(() => page.getByTestId('putaway-screen').textContent()).toContain('Bolt M8');
      await wedgeScan(page, 'WH1/Stock/B-02');
      await typeQuantity(page, '2');
      await expect.poll(() => status().getAttribute('data-state')).toBe('queued');
      const stored = await page.evaluate<Array<{ id: string; body: { lines: unknown[] } }>>("JSON.parse(localStorage.getItem('cangku.scanQueue.v1') ?? '[]')");
      expect(stored.map((c) => c.body.lines)).toEqual([[{ item: 'BOLT-M8', from: 'WH1/Stock/A-01', to: 'WH1/Stock/B-02', quantity: 2 }]]);
      expect(await balances()).toMatchObject({ 'WH1/Stock/A-01': 2 });
    } finally {
      await context.setOffline(false);
    }
    await expect.poll(balances, { timeout: 30_000 }).toEqual({ 'WH1/Stock': 7, 'WH1/Stock/B-02': 9 });
    await expect.poll(() => page.evaluate("localStorage.getItem('cangku.scanQueue.v1')")).toBe('[]');
    expect((await ok('GET', '/internal-transfers?warehouse=WH1')).items).toHaveLength(3);

    await page.getByTestId('putaway-from-reset').tap();
    expect(await source().getAttribute('data-from')).toBe('');
    await expect.poll(() => source().textContent()).toContain('WH1/Stock');
    e2e.assertNoConsoleErrors();
  });
});
