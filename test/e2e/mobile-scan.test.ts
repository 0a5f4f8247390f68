import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';
import { wedgeScan } from './support/scanning.js';

/**
 * The phone layout (390x844, touch) end to end: a real server over a fresh database, Chromium,
 * scans typed the way a keyboard-wedge scanner types them (characters, Ctrl+] for GS, Enter).
 * Counts a bin until the entries are on the server, keeps a scan made offline and sends it when
 * the connection is back, refuses a bad GS1 code, and looks an item up.
 */
describe('phone scanning', () => {
  let e2e: E2E;
  let page: Page;
  const ok = (method: string, path: string, body?: unknown) => e2e.apiOk(method, path, body);
  let countId: number;

  const status = () => page.getByTestId('scan-status');
  const entriesOnServer = async () => {
    const count = await ok('GET', `/stock-counts/${countId}`);
    return Object.fromEntries(
      (count.lines as Array<{ sku: string; lot: string | null; location: string; counted: number | null }>)
        .filter((l) => l.counted !== null)
        .map((l) => [`${l.location}|${l.sku}${l.lot ? `#${l.lot}` : ''}`, l.counted]),
    );
  };

  beforeAll(async () => {
    e2e = await startE2E();
    // The app shell's loading spinner (web/src/components/PageLoading.tsx, not ours) uses antd's deprecated `tip`.
    e2e.allowConsoleErrors(/\[antd: Spin\] `tip` is deprecated/);
    // Requests the browser makes while the test holds it offline.
    e2e.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED|net::ERR_/);
    await ok('POST', '/items', { sku: 'BOLT-M8', name: '螺丝 Bolt M8', unit: 'pcs', barcode: '6901234567892' });
    await ok('POST', '/items', { sku: 'MILK', name: '牛奶 Milk', unit: 'L', tracking: 'lot', unitPrecision: 1 });
    await ok('POST', '/items', { sku: 'NUT', name: '螺母 Nut', unit: 'pcs' });
    const wh = await ok('POST', '/warehouses', { code: 'WH1', name: '一号仓' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A-01', kind: 'bin' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A-02', kind: 'bin' });
    await ok('POST', '/inventory-adjustments', {
      warehouse: 'WH1', location: 'WH1/Stock/A-01',
      lines: [{ sku: 'BOLT-M8', quantity: 10, unitCost: 1 }, { sku: 'MILK', quantity: 5, lot: 'L7', expiresOn: '2030-12-31', unitCost: 2 }],
    });
    await ok('POST', '/inventory-adjustments', { warehouse: 'WH1', location: 'WH1/Stock/A-02', lines: [{ sku: 'NUT', quantity: 7, unitCost: 1 }] });
    const count = await ok('POST', '/stock-counts', { warehouse: 'WH1', scope: { type: 'zone', locations: ['WH1/Stock/A-01', 'WH1/Stock/A-02'] }, note: 'cycle count A' });
    countId = count.id;
    await ok('POST', `/stock-counts/${countId}/start`);
    page = await e2e.newPage({ mobile: true, locale: 'en' });
    await e2e.login(page, { path: '/m' });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('counts a bin with typed scans until the entries reach the server', async () => {
    await page.goto('/m');
    await page.locator('.ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: 'WH1' }).click();
    await e2e.screenshot(page, 'mobile-home');
    await page.getByTestId('tile-count').tap();
    await page.getByTestId('count-CNT-000001').tap();
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('0/3');
    await page.getByTestId('scan-input').focus();

    // An item before a bin is refused.
    await wedgeScan(page, '6901234567892');
    await expect.poll(() => status().getAttribute('data-state')).toBe('error');

    await wedgeScan(page, 'WH1/Stock/A-01');
    await expect.poll(() => page.getByTestId('current-bin').textContent()).toBe('WH1/Stock/A-01');
    await expect.poll(() => status().getAttribute('data-state')).toBe('ok');

    // EAN-13 of BOLT-M8, then the quantity.
    await wedgeScan(page, '6901234567892');
    await page.getByTestId('qty-input').waitFor();
    await expect.poll(() => page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe('qty-input');
    await page.keyboard.type('12');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().textContent()).toContain('A-01 · BOLT-M8 × 12');

    // A GS1 DataMatrix lot label (AI 240 SKU, 10 lot) as a wedge scanner types it: ]d2, FNC1 as Ctrl+].
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, ']d2240MILK\u001d10L7');
    await page.getByTestId('qty-input').waitFor();
    expect(await page.getByTestId('lot-input').inputValue()).toBe('L7');
    await page.keyboard.type('4.5');
    await page.keyboard.press('Enter');

    await expect.poll(entriesOnServer, { timeout: 15_000 }).toEqual({ 'WH1/Stock/A-01|BOLT-M8': 12, 'WH1/Stock/A-01|MILK#L7': 4.5 });
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('2/3');
    await expect.poll(() => page.getByTestId('recent-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['sent', 'sent']);
    await e2e.screenshot(page, 'mobile-count-bin');
  });

  it('refuses a GS1 code with a bad check digit, loudly', async () => {
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, '(01)09501101530004(10)X');
    await expect.poll(() => status().getAttribute('data-state')).toBe('error');
    expect(await status().textContent()).toContain('check digit');
    expect(await page.evaluate('window.__cangkuScanFeedback.slice(-1)[0]')).toBe('error');
    await e2e.screenshot(page, 'mobile-count-error');
  });

  it('keeps a scan made offline and sends it with its idempotency key when the connection is back', async () => {
    const context = page.context();
    try {
      await offlineScan(context);
    } finally {
      await context.setOffline(false);
    }
  });

  const offlineScan = async (context: ReturnType<Page['context']>) => {
    await context.setOffline(true);
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, 'WH1/Stock/A-02');
    await expect.poll(() => page.getByTestId('current-bin').textContent()).toBe('WH1/Stock/A-02');
    // The count's items were cached when it opened: the SKU resolves without the network.
    await wedgeScan(page, 'NUT');
    await page.getByTestId('qty-input').waitFor();
    await page.keyboard.type('6');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().getAttribute('data-state')).toBe('queued');
    await expect.poll(() => page.getByTestId('offline-banner').isVisible()).toBe(true);
    const stored = await page.evaluate<Array<{ id: string; path: string; body: unknown }>>("JSON.parse(localStorage.getItem('cangku.scanQueue.v1') ?? '[]')");
    expect(stored).toHaveLength(1);
    expect(stored[0]!.body).toEqual({ entries: [{ location: 'WH1/Stock/A-02', item: 'NUT', quantity: 6 }] });
    expect(await entriesOnServer()).not.toHaveProperty('WH1/Stock/A-02|NUT');
    await e2e.screenshot(page, 'mobile-count-offline');

    await context.setOffline(false);
    await expect.poll(entriesOnServer, { timeout: 20_000 }).toMatchObject({ 'WH1/Stock/A-02|NUT': 6 });
    await expect.poll(() => page.evaluate("localStorage.getItem('cangku.scanQueue.v1')")).toBe('[]');
    // Sent once: one entry for that line, under the key the phone chose when it queued the scan.
    const count = await ok('GET', `/stock-counts/${countId}`);
    const nutLine = (count.lines as Array<{ line: number; sku: string }>).find((l) => l.sku === 'NUT')!.line;
    expect((count.entries as Array<{ line: number }>).filter((e) => e.line === nutLine)).toHaveLength(1);
    const replay = await fetch(`${e2e.baseUrl}/api/v1/stock-counts/${countId}/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': stored[0]!.id, authorization: `Bearer ${(await e2e.api('POST', '/auth/login', { username: 'admin', password: 'test-admin-password' })).body.token}` },
      body: JSON.stringify(stored[0]!.body),
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await expect.poll(() => page.getByTestId('count-progress').textContent()).toContain('3/3');
  };

  it('looks an item up by scanning its barcode, and a bin by its label', async () => {
    await page.goto('/m/lookup');
    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, ']E06901234567892');
    await expect.poll(() => page.getByTestId('lookup-sku').textContent()).toBe('BOLT-M8');
    const rows = await page.locator('[data-testid="lookup-stock"] tbody tr').allTextContents();
    expect(rows.join('|')).toContain('WH1/Stock/A-01');
    expect(rows.join('|')).toContain('10');
    await e2e.screenshot(page, 'mobile-lookup-item');

    await page.getByTestId('scan-input').focus();
    await wedgeScan(page, 'WH1/Stock/A-01');
    await expect.poll(() => page.getByTestId('lookup-location').textContent()).toContain('MILK');
    await e2e.screenshot(page, 'mobile-lookup-bin');
  });
});
