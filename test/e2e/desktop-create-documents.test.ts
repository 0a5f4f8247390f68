import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './support/browser.js';

/** Pick an option of an Ant Design select: type into its search box (if asked), click the matching option. */
async function choose(page: Page, inputId: string, typed: string, optionText: string | RegExp) {
  const input = page.locator(`#${inputId}`);
  await input.click();
  if (typed) await input.fill(typed);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: optionText }).first();
  await option.waitFor();
  await option.click();
}

type Balance = { sku: string; location: string; lot: string | null; onHand: number };

/**
 * The create screens of internal transfers, scraps, customer returns (RMA, with and without an
 * order) and supplier returns, each driven through the browser; the API then shows the stock moved.
 */
describe('create screens of warehouse moves and returns, end to end in Chromium', () => {
  let e2e: E2E;
  let page: Page;
  let orderId: number;
  let purchaseOrderId: number;
  const ok = (r: { status: number; body: unknown }) => {
    if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: number; status?: string } & Record<string, unknown>;
  };
  const onHand = async (sku: string, location: string, lot: string | null = null) => {
    const rows = ok(await e2e.api('GET', `/stock?sku=${sku}&warehouse=WH1`)).items as Balance[];
    return rows.filter((r) => r.location === location && r.lot === lot).reduce((sum, r) => sum + r.onHand, 0);
  };

  beforeAll(async () => {
    e2e = await startE2E();
    page = await e2e.newPage();
    ok(await e2e.api('POST', '/items', { sku: 'A1', name: 'Apple 苹果', unit: 'pcs' }));
    ok(await e2e.api('POST', '/items', { sku: 'M1', name: 'Milk 牛奶', unit: 'pcs', tracking: 'lot' }));
    const wh = ok(await e2e.api('POST', '/warehouses', { code: 'WH1', name: 'Main 主仓' }));
    ok(await e2e.api('POST', `/warehouses/${wh.id}/locations`, { code: 'B1', kind: 'bin' }));
    ok(await e2e.api('POST', `/warehouses/${wh.id}/locations`, { code: 'B2', kind: 'bin' }));
    ok(await e2e.api('POST', '/putaway-rules', { warehouse: 'WH1', item: 'A1', location: 'WH1/Stock/B2' }));
    ok(await e2e.api('POST', '/inventory-adjustments', { warehouse: 'WH1', location: 'WH1/Stock/B1', reason: 'opening', lines: [{ sku: 'A1', quantity: 10, unitCost: 2 }] }));
    ok(await e2e.api('POST', '/inventory-adjustments', { warehouse: 'WH1', reason: 'opening', lines: [{ sku: 'M1', quantity: 5, lot: 'LOT-1', expiresOn: '2031-01-31', unitCost: 1 }] }));
    ok(await e2e.api('POST', '/partners', { code: 'CUS1', name: 'Cafe 咖啡馆', kind: 'customer' }));
    ok(await e2e.api('POST', '/partners', { code: 'SUP1', name: 'Orchard 果园', kind: 'supplier' }));
    // A shipped order (3 × A1 from bin B1) for the RMA.
    orderId = ok(await e2e.api('POST', '/sales-orders', { customer: 'CUS1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 3 }] })).id;
    ok(await e2e.api('POST', `/sales-orders/${orderId}/confirm`));
    ok(await e2e.api('POST', `/sales-orders/${orderId}/ship`));
    // A purchase order received and partly rejected at inspection: 3 × A1 in WH1/Rejected for the supplier return.
    purchaseOrderId = ok(await e2e.api('POST', '/purchase-orders', { supplier: 'SUP1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 4, unitPrice: 2 }] })).id;
    ok(await e2e.api('POST', `/purchase-orders/${purchaseOrderId}/submit`));
    if (ok(await e2e.api('GET', `/purchase-orders/${purchaseOrderId}`)).status === 'submitted') ok(await e2e.api('POST', `/purchase-orders/${purchaseOrderId}/approve`));
    const receipt = ok(await e2e.api('POST', '/receipts', { purchaseOrder: purchaseOrderId, lines: [{ line: 1, quantity: 4 }] }));
    ok(await e2e.api('POST', `/receipts/${receipt.id}/inspect`, { lines: [{ line: 1, accept: 1, reject: 3, reason: 'bruised' }] }));
  });

  afterAll(async () => {
    await e2e?.close();
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !e2e) return;
    await e2e.screenshot(page, `failed-create-${context.task.name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  it('moves stock bin to bin: a line from the stock list, the put-away suggestion as destination', async () => {
    expect(await onHand('A1', 'WH1/Stock/B1')).toBe(7);
    await e2e.login(page);
    await page.goto('/documents/internal-transfers');
    await page.getByTestId('document-new').click();
    await page.waitForURL(/\/documents\/internal-transfers\/new$/);
    await choose(page, 'create-internal-transfers_warehouse', 'WH1', 'WH1');
    const stock = page.getByTestId('stock-panel');
    await stock.locator('tr', { hasText: 'WH1/Stock/B1' }).filter({ hasText: 'A1' }).getByTestId('stock-add').click();
    // The stock row became the line: item, from bin and the quantity that may move.
    await expect.poll(() => page.locator('#create-internal-transfers_lines_0_quantity').inputValue()).toBe('7');
    expect(await page.getByTestId('document-line').first().innerText()).toContain('WH1/Stock/B1');
    await page.locator('#create-internal-transfers_lines_0_quantity').fill('4');
    await page.getByTestId('putaway-suggest-0').click();
    await expect.poll(() => page.getByTestId('document-line').first().innerText()).toContain('WH1/Stock/B2');
    await e2e.screenshot(page, 'create-internal-transfer-form');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/internal-transfers\/\d+$/);
    await page.getByTestId('document-header').getByText(/^IT-\d+$/).waitFor();
    await e2e.screenshot(page, 'create-internal-transfer-detail');
    expect(await onHand('A1', 'WH1/Stock/B1')).toBe(3);
    expect(await onHand('A1', 'WH1/Stock/B2')).toBe(4);
    const transfers = ok(await e2e.api('GET', '/internal-transfers')).items as Array<{ lines: unknown[] }>;
    expect(transfers[0]!.lines).toMatchObject([{ sku: 'A1', from: 'WH1/Stock/B1', to: 'WH1/Stock/B2', quantity: 4 }]);
    e2e.assertNoConsoleErrors();
  });

  it('scraps from a bin with a reason code; with an approval flow the scrap waits and moves nothing until approved', async () => {
    await page.goto('/documents/scraps');
    await page.getByTestId('document-new').click();
    await page.waitForURL(/\/documents\/scraps\/new$/);
    await choose(page, 'create-scraps_warehouse', 'WH1', 'WH1');
    await choose(page, 'create-scraps_location', 'B2', 'WH1/Stock/B2');
    await choose(page, 'create-scraps_reason', '', '损坏');
    await choose(page, 'create-scraps_lines_0_sku', 'A1', 'A1 · Apple');
    await page.locator('#create-scraps_lines_0_quantity').fill('1');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/scraps\/\d+$/);
    await page.getByTestId('document-header').getByText('已过账').waitFor();
    await e2e.screenshot(page, 'create-scrap-posted');
    expect(await onHand('A1', 'WH1/Stock/B2')).toBe(3);
    const posted = ok(await e2e.api('GET', '/scraps')).items as Array<Record<string, unknown>>;
    expect(posted[0]).toMatchObject({ location: 'WH1/Stock/B2', reason: 'damaged', status: 'posted', lines: [{ sku: 'A1', quantity: 1 }] });

    // A flow for WH1's scraps, signed by a manager: the next scrap waits.
    ok(await e2e.api('POST', '/users', { username: 'mia', password: 'mia-password-1', role: 'manager' }));
    ok(await e2e.api('POST', '/approvals/flows', { documentType: 'scrap', name: '报废审批 Scrap approval', conditions: { warehouses: ['WH1'] }, steps: [{ name: 'Manager', mode: 'any', approvers: [{ role: 'manager' }] }] }));
    await page.goto('/documents/scraps/new');
    await choose(page, 'create-scraps_warehouse', 'WH1', 'WH1');
    await choose(page, 'create-scraps_reason', '', '过期');
    await choose(page, 'create-scraps_lines_0_sku', 'M1', 'M1 · Milk');
    await page.locator('#create-scraps_lines_0_quantity').fill('2');
    // The lot field suggests the lots of M1 on hand at the scrap's location (the stock location by default).
    await page.locator('#create-scraps_lines_0_lot').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'LOT-1' }).first().click();
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/scraps\/\d+$/);
    await page.getByTestId('document-header').getByText('待审批').waitFor();
    await page.getByTestId('panel-approval').getByText('等待审批').waitFor();
    await e2e.screenshot(page, 'create-scrap-pending-approval');
    const scrapId = Number(/\/(\d+)$/.exec(page.url())![1]);
    const pending = ok(await e2e.api('GET', `/scraps/${scrapId}`));
    expect(pending).toMatchObject({ status: 'pending_approval', lines: [{ sku: 'M1', lot: 'LOT-1', quantity: 2 }], moves: [] });
    expect(await onHand('M1', 'WH1/Stock', 'LOT-1')).toBe(5);

    const login = await fetch(`${e2e.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'mia', password: 'mia-password-1' }) });
    const { token } = (await login.json()) as { token: string };
    ok(await e2e.api('POST', `/approvals/${(pending.approval as { id: number }).id}/approve`, {}, token));
    await page.reload();
    await page.getByTestId('document-header').getByText('已过账').waitFor();
    expect(await onHand('M1', 'WH1/Stock', 'LOT-1')).toBe(3);
    e2e.assertNoConsoleErrors();
  });

  it('receives a customer return against the shipped order: lines prefilled, too much is refused on the field', async () => {
    e2e.allowConsoleErrors(/status of 422/);
    await page.goto('/documents/sales-returns');
    await page.getByTestId('document-new').click();
    await page.waitForURL(/\/documents\/sales-returns\/new$/);
    await choose(page, 'create-sales-returns_salesOrder', '', 'SO-000001');
    await expect.poll(() => page.locator('#create-sales-returns_lines_0_quantity').inputValue()).toBe('3');
    expect(await page.locator('#create-sales-returns_lines_0_sku').inputValue()).toBe('A1');
    await page.locator('#create-sales-returns_lines_0_quantity').fill('5');
    await page.locator('#create-sales-returns_reason').fill('wrong size 尺寸不对');
    await page.getByTestId('document-submit').click();
    const tooMuch = page.locator('#create-sales-returns_lines_0_quantity_help');
    await tooMuch.waitFor();
    expect(await tooMuch.innerText()).toMatch(/only 3 of line 1/);
    await e2e.screenshot(page, 'create-rma-field-error');
    expect(ok(await e2e.api('GET', '/sales-returns')).items).toEqual([]);

    await page.locator('#create-sales-returns_lines_0_quantity').fill('2');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/sales-returns\/\d+$/);
    await page.getByTestId('document-header').getByText('RMA-000001').waitFor();
    await e2e.screenshot(page, 'create-rma-received');
    const rma = ok(await e2e.api('GET', `/sales-returns/${Number(/\/(\d+)$/.exec(page.url())![1])}`));
    expect(rma).toMatchObject({ salesOrder: orderId, status: 'received', reason: 'wrong size 尺寸不对', lines: [{ orderLine: 1, sku: 'A1', returned: 2, uninspected: 2 }] });
    expect(await onHand('A1', 'WH1/Input')).toBe(2);

    // Inspection on the return's screen: one back to stock, one scrapped.
    await page.getByTestId('panel-inspect-return').waitFor();
    await page.locator('#inspectReturn_lines_0_restock').fill('1');
    await page.locator('#inspectReturn_lines_0_scrap').fill('1');
    await page.getByTestId('inspect-return-submit').click();
    await page.getByTestId('document-header').getByText('已关闭').waitFor();
    expect(await onHand('A1', 'WH1/Input')).toBe(0);
    // 1 accepted at the purchase receipt's inspection, 1 restocked from the return.
    expect(await onHand('A1', 'WH1/Stock')).toBe(2);

    // What is left to return is what the next RMA offers.
    await page.goto('/documents/sales-returns/new');
    await choose(page, 'create-sales-returns_salesOrder', '1', 'SO-000001');
    await expect.poll(() => page.locator('#create-sales-returns_lines_0_returnable').inputValue()).toBe('1');
  });

  it('receives a customer return without an order as a customer-return receipt', async () => {
    await page.goto('/documents/sales-returns/new');
    await page.getByTestId('create-variant').getByText('无订单退货').click();
    await page.waitForURL(/variant=withoutOrder/);
    await page.locator('#create-sales-returns-withoutOrder_customer').fill('CUS1');
    await choose(page, 'create-sales-returns-withoutOrder_warehouse', 'WH1', 'WH1');
    await choose(page, 'create-sales-returns-withoutOrder_lines_0_sku', 'A1', 'A1 · Apple');
    await page.locator('#create-sales-returns-withoutOrder_lines_0_quantity').fill('1');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/receipts\/\d+$/);
    await page.getByTestId('panel-inspect').waitFor();
    await e2e.screenshot(page, 'create-return-without-order');
    const receipt = ok(await e2e.api('GET', `/receipts/${Number(/\/(\d+)$/.exec(page.url())![1])}`));
    expect(receipt).toMatchObject({ kind: 'customer-return', partner: 'CUS1', warehouse: 'WH1', lines: [{ sku: 'A1', quantity: 1 }] });
    expect(await onHand('A1', 'WH1/Input')).toBe(1);
  });

  it('returns rejected stock to the supplier: the Rejected stock becomes the line, with the PO as reference', async () => {
    expect(await onHand('A1', 'WH1/Rejected')).toBe(3);
    await page.goto('/documents/supplier-returns');
    await page.getByTestId('document-new').click();
    await page.waitForURL(/\/documents\/supplier-returns\/new$/);
    await page.locator('#create-supplier-returns_supplier').fill('SUP1');
    await choose(page, 'create-supplier-returns_warehouse', 'WH1', 'WH1');
    const stock = page.getByTestId('stock-panel');
    await stock.locator('tr', { hasText: 'WH1/Rejected' }).filter({ hasText: 'A1' }).getByTestId('stock-add').click();
    await expect.poll(() => page.locator('#create-supplier-returns_lines_0_quantity').inputValue()).toBe('3');
    await page.locator('#create-supplier-returns_lines_0_quantity').fill('2');
    await choose(page, 'create-supplier-returns_purchaseOrder', '', 'PO-000001');
    await page.locator('#create-supplier-returns_reason').fill('bruised 碰伤');
    await e2e.screenshot(page, 'create-supplier-return-form');
    await page.getByTestId('document-submit').click();
    await page.waitForURL(/\/documents\/supplier-returns\/\d+$/);
    await page.getByTestId('document-header').getByText(/^RTV-\d+$/).waitFor();
    await e2e.screenshot(page, 'create-supplier-return-detail');
    const back = ok(await e2e.api('GET', `/supplier-returns/${Number(/\/(\d+)$/.exec(page.url())![1])}`));
    expect(back).toMatchObject({ supplier: 'SUP1', warehouse: 'WH1', purchaseOrder: purchaseOrderId, reason: 'bruised 碰伤', lines: [{ sku: 'A1', quantity: 2 }] });
    expect(await onHand('A1', 'WH1/Rejected')).toBe(1);
    e2e.assertNoConsoleErrors();
  });
});
