import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/** Stock counts (盘点) over HTTP on both engines; the ledger invariants are checked at close. */
describe.each(ENGINES)('stock counts on %s', (engine) => {
  let api: TestApi;
  let asClerk: Record<string, string>;
  let asManager: Record<string, string>;
  let asViewer: Record<string, string>;
  const V1 = '/api/v1';

  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const [username, role] of [['cora', 'clerk'], ['max', 'manager'], ['vic', 'viewer']] as const) {
      expect((await api.call('POST', `${V1}/users`, { username, password: `${username}-password-1`, role })).status).toBe(201);
    }
    asClerk = { authorization: `Bearer ${await api.login('cora', 'cora-password-1')}` };
    asManager = { authorization: `Bearer ${await api.login('max', 'max-password-1')}` };
    asViewer = { authorization: `Bearer ${await api.login('vic', 'vic-password-1')}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  const ok = async (method: string, path: string, body?: unknown, headers?: Record<string, string>, status = [200, 201]) => {
    const res = await api.call(method, V1 + path, body, headers);
    if (!status.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const item = (sku: string, extra: Record<string, unknown> = {}) => ok('POST', '/items', { sku, name: `Item ${sku}`, unit: 'pcs', ...extra });
  const warehouse = async (code: string, places: Array<[string, 'zone' | 'bin', string?]> = []) => {
    const wh = await ok('POST', '/warehouses', { code, name: code });
    for (const [c, kind, parent] of places) await ok('POST', `/warehouses/${wh.id}/locations`, { code: c, kind, ...(parent ? { parent } : {}) });
    return wh;
  };
  const adjust = (wh: string, lines: unknown[], location?: string) => ok('POST', '/inventory-adjustments', { warehouse: wh, ...(location ? { location } : {}), lines });
  const onHand = async (sku: string, wh: string) => {
    const rows = (await ok('GET', `/stock?sku=${sku}&warehouse=${wh}`)).items as Array<{ location: string; lot: string | null; onHand: number; reserved: number }>;
    return Object.fromEntries(rows.map((r) => [`${r.location}${r.lot ? `#${r.lot}` : ''}`, r.onHand]));
  };
  const sell = async (wh: string, sku: string, quantity: number, ship = true) => {
    const order = await ok('POST', '/sales-orders', { customer: 'Walk-in', warehouse: wh, lines: [{ sku, quantity }] });
    await ok('POST', `/sales-orders/${order.id}/confirm`);
    if (ship) await ok('POST', `/sales-orders/${order.id}/ship`);
    return order.id as number;
  };
  const newCount = (wh: string, scope: unknown, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    ok('POST', '/stock-counts', { warehouse: wh, scope, ...extra }, headers);
  const started = async (wh: string, scope: unknown, extra: Record<string, unknown> = {}) => {
    const draft = await newCount(wh, scope, extra);
    return ok('POST', `/stock-counts/${draft.id}/start`);
  };
  const enter = (id: number, entries: unknown[], headers?: Record<string, string>) => ok('POST', `/stock-counts/${id}/entries`, { entries }, headers);

  /** Everything a command could write: the ledger's tables and the count tables. */
  const everything = async () => {
    const db = api.db.store.read;
    const rows = async (table: 'stock_counts' | 'stock_count_lines' | 'stock_count_entries') =>
      (await db.selectFrom(table).selectAll().orderBy('id').execute()).map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    return { ledger: await snapshot(api.db.store), counts: await rows('stock_counts'), lines: await rows('stock_count_lines'), entries: await rows('stock_count_entries') };
  };

  it('counts a whole warehouse: gains and losses, posting, balances and accuracy', async () => {
    await warehouse('WF', [['A', 'zone'], ['A-01', 'bin', 'WF/Stock/A']]);
    await item('F-1');
    await item('F-2', { unit: 'kg', unitPrecision: 2 });
    await item('F-3');
    await item('F-LOT', { tracking: 'lot' });
    await adjust('WF', [{ sku: 'F-1', quantity: 10, unitCost: 10 }, { sku: 'F-LOT', quantity: 4, lot: 'L1', unitCost: 5 }, { sku: 'F-3', quantity: 2, unitCost: 1 }]);
    await adjust('WF', [{ sku: 'F-3', quantity: -2 }]); // an empty balance: still on the sheet
    await adjust('WF', [{ sku: 'F-3', quantity: 20, unitCost: 1 }], 'WF/Stock/A');
    await adjust('WF', [{ sku: 'F-2', quantity: 5.5, unitCost: 4 }], 'WF/Stock/A/A-01');

    const draft = await newCount('WF', { type: 'full' }, { blind: false, note: 'year end' });
    expect(draft).toMatchObject({ number: expect.stringMatching(/^CNT-\d{6}$/), status: 'draft', blind: false, lines: [], scope: { type: 'full' } });
    const count = await ok('POST', `/stock-counts/${draft.id}/start`);
    expect(count.status).toBe('in_progress');
    expect(count.lines.map((l: any) => [l.line, l.location, l.sku, l.lot, l.snapshot, l.unitCost, l.state])).toEqual([
      [1, 'WF/Stock', 'F-1', null, 10, 10, 'pending'],
      [2, 'WF/Stock', 'F-3', null, 0, 1, 'pending'],
      [3, 'WF/Stock', 'F-LOT', 'L1', 4, 5, 'pending'],
      [4, 'WF/Stock/A', 'F-3', null, 20, 1, 'pending'],
      [5, 'WF/Stock/A/A-01', 'F-2', null, 5.5, 4, 'pending'],
    ]);

    const entered = await enter(count.id, [
      { location: 'WF/Stock', item: 'F-1', quantity: 11 },
      { location: 'WF/Stock/A/A-01', item: 'F-2', quantity: 5 },
      { location: 'WF/Stock/A', item: 'F-3', quantity: 20 },
      { location: 'WF/Stock', item: 'F-LOT', lot: 'L1', quantity: 4 },
    ]);
    expect(entered.progress).toEqual({ lines: 5, counted: 4 });
    await enter(count.id, [{ location: 'WF/Stock', item: 'F-1', quantity: 12 }]); // a recount replaces the first count

    const submitted = await ok('POST', `/stock-counts/${count.id}/submit`);
    expect(submitted).toMatchObject({ status: 'counted', uncounted: 'zero', approvalRequired: false, varianceValue: 22 });
    expect(submitted.lines[1]).toMatchObject({ sku: 'F-3', state: 'zeroed', counted: 0, book: 0, variance: 0 });
    expect(submitted.entries.filter((e: any) => e.line === 1).map((e: any) => e.quantity)).toEqual([11, 12]);

    const report = await ok('GET', `/stock-counts/${count.id}/variances`);
    expect(report.lines.map((l: any) => [l.sku, l.book, l.counted, l.variance, l.varianceValue, l.kind])).toEqual([
      ['F-1', 10, 12, 2, 20, 'gain'],
      ['F-3', 0, 0, 0, 0, 'none'],
      ['F-LOT', 4, 4, 0, 0, 'none'],
      ['F-3', 20, 20, 0, 0, 'none'],
      ['F-2', 5.5, 5, -0.5, -2, 'loss'],
    ]);
    expect(report.totals).toMatchObject({ lines: 5, accurate: 3, gainLines: 1, lossLines: 1, bookValue: 162, gainValue: 20, lossValue: -2, netValue: 18, absoluteValue: 22 });
    // 3 of 5 lines right; 22 of 162 book value off.
    expect(report.accuracy).toEqual({ linePercent: 60, valuePercent: 86.419753 });

    const posted = await ok('POST', `/stock-counts/${count.id}/post`);
    expect(posted).toMatchObject({ status: 'posted', reasonCode: 'count', accuracy: { lines: 5, accurateLines: 3, linePercent: 60, valuePercent: 86.419753 } });
    expect(posted.moves.map((m: any) => [m.sku, m.from, m.to, m.quantity, m.value])).toEqual([
      ['F-1', 'Virtual/Inventory adjustment', 'WF/Stock', 2, 20],
      ['F-2', 'WF/Stock/A/A-01', 'Virtual/Inventory adjustment', 0.5, 2],
    ]);
    expect(await onHand('F-1', 'WF')).toEqual({ 'WF/Stock': 12 });
    expect(await onHand('F-2', 'WF')).toEqual({ 'WF/Stock/A/A-01': 5 });
    expect(await onHand('F-3', 'WF')).toEqual({ 'WF/Stock': 0, 'WF/Stock/A': 20 });

    const again = await api.call('POST', `${V1}/stock-counts/${count.id}/post`);
    expect(again.status).toBe(409);
    const list = await ok('GET', '/stock-counts?status=posted&warehouse=WF');
    expect(list.items.map((c: any) => c.id)).toEqual([count.id]);
    expect(list.items[0]).not.toHaveProperty('lines');
    expect((await ok('GET', '/stock-counts?warehouse=NOWHERE')).items).toEqual([]);
  });

  it('counts a zone, a list of items, or ABC classes, and refuses what is outside the scope', async () => {
    await warehouse('WZ', [['Z1', 'zone'], ['Z1-B1', 'bin', 'WZ/Stock/Z1'], ['Z2', 'zone']]);
    await item('S-1');
    await item('S-2');
    await adjust('WZ', [{ sku: 'S-1', quantity: 3, unitCost: 2 }], 'WZ/Stock/Z1/Z1-B1');
    await adjust('WZ', [{ sku: 'S-1', quantity: 4 }], 'WZ/Stock/Z2');
    await adjust('WZ', [{ sku: 'S-2', quantity: 5, unitCost: 1 }]);

    const zone = await started('WZ', { type: 'zone', locations: ['WZ/Stock/Z1'] });
    expect(zone.lines.map((l: any) => [l.location, l.sku])).toEqual([['WZ/Stock/Z1/Z1-B1', 'S-1']]);
    const before = await everything();
    for (const [location, message] of [['WZ/Stock/Z2', 'outside'], ['WZ/Input', 'not a stock location'], ['WF/Stock', 'not in this count'], ['WZ/Stock/Z9', 'no location']] as Array<[string, string]>) {
      const res = await api.call('POST', `${V1}/stock-counts/${zone.id}/entries`, { entries: [{ location: 'WZ/Stock/Z1/Z1-B1', item: 'S-1', quantity: 3 }, { location, item: 'S-1', quantity: 1 }] });
      expect(res.status, location).toBe(422);
      expect(res.body.errors).toEqual([{ field: 'entries.1.location', message: expect.stringContaining(message) }]);
    }
    expect(await everything()).toEqual(before);
    // A balance is counted by one open count at a time.
    const overlap = await api.call('POST', `${V1}/stock-counts/${(await newCount('WZ', { type: 'full' })).id}/start`);
    expect(overlap.status).toBe(409);
    expect(overlap.body.detail).toContain(zone.number);

    const items = await started('WZ', { type: 'items', skus: ['S-2'] });
    expect(items.lines.map((l: any) => [l.location, l.sku, l.snapshot])).toEqual([['WZ/Stock', 'S-2', 5]]);
    const wrongItem = await api.call('POST', `${V1}/stock-counts/${items.id}/entries`, { entries: [{ location: 'WZ/Stock', item: 'S-1', quantity: 1 }] });
    expect(wrongItem.status).toBe(422);
    expect(wrongItem.body.errors[0].field).toBe('entries.0.item');
    for (const c of [zone, items]) await ok('POST', `/stock-counts/${c.id}/cancel`);

    await warehouse('WA');
    await item('A-HI');
    await item('A-MID');
    await item('A-LO');
    await adjust('WA', [{ sku: 'A-HI', quantity: 8, unitCost: 100 }, { sku: 'A-MID', quantity: 15, unitCost: 10 }, { sku: 'A-LO', quantity: 50, unitCost: 1 }]);
    const abc = await ok('GET', '/stock-counts/abc?warehouse=WA');
    expect(abc.totalValue).toBe(1000);
    expect(abc.items.map((i: any) => [i.sku, i.value, i.sharePercent, i.cumulativePercent, i.class])).toEqual([
      ['A-HI', 800, 80, 80, 'A'],
      ['A-MID', 150, 15, 95, 'B'],
      ['A-LO', 50, 5, 100, 'C'],
    ]);
    expect((await api.call('GET', `${V1}/stock-counts/abc?warehouse=NOPE`)).status).toBe(422);

    const countA = await started('WA', { type: 'abc', classes: ['A'] });
    expect(countA.lines.map((l: any) => l.sku)).toEqual(['A-HI']);
    const countBC = await started('WA', { type: 'abc', classes: ['C', 'B'] });
    expect(countBC.scope).toEqual({ type: 'abc', classes: ['B', 'C'] });
    expect(countBC.lines.map((l: any) => l.sku)).toEqual(['A-LO', 'A-MID']);
    const outOfClass = await api.call('POST', `${V1}/stock-counts/${countBC.id}/entries`, { entries: [{ location: 'WA/Stock', item: 'A-HI', quantity: 8 }] });
    expect(outOfClass.status).toBe(422);
    expect(outOfClass.body.errors[0].field).toBe('entries.0.item');

    // A cycle count may leave uncounted lines out; they post nothing.
    await enter(countBC.id, [{ location: 'WA/Stock', item: 'A-MID', quantity: 14 }]);
    const submitted = await ok('POST', `/stock-counts/${countBC.id}/submit`, { uncounted: 'exclude' });
    expect(submitted.lines.map((l: any) => [l.sku, l.state, l.variance])).toEqual([['A-LO', 'excluded', null], ['A-MID', 'counted', -1]]);
    const posted = await ok('POST', `/stock-counts/${countBC.id}/post`);
    expect(posted.accuracy).toMatchObject({ lines: 1, accurateLines: 0, linePercent: 0 });
    expect(posted.moves.map((m: any) => [m.sku, m.quantity])).toEqual([['A-MID', 1]]);
    expect(await onHand('A-LO', 'WA')).toEqual({ 'WA/Stock': 50 });
    await ok('POST', `/stock-counts/${countA.id}/cancel`);
  });

  it('hides book quantities of a blind count from counters, not from managers', async () => {
    await warehouse('WB');
    await item('B-1');
    await adjust('WB', [{ sku: 'B-1', quantity: 7, unitCost: 2 }]);
    const count = await started('WB', { type: 'items', skus: ['B-1'] });
    expect(count.blind).toBe(true);

    const asCounter = await ok('GET', `/stock-counts/${count.id}`, undefined, asClerk);
    expect(asCounter.bookVisible).toBe(false);
    expect(asCounter.lines).toEqual([expect.objectContaining({ sku: 'B-1', snapshot: null, book: null, variance: null })]);
    await enter(count.id, [{ location: 'WB/Stock', item: 'B-1', quantity: 6 }], asClerk);
    const afterEntry = await ok('GET', `/stock-counts/${count.id}`, undefined, asClerk);
    expect(afterEntry.lines[0]).toMatchObject({ counted: 6, book: null, variance: null });
    expect(afterEntry.entries).toEqual([expect.objectContaining({ quantity: 6, book: null })]);
    expect(JSON.stringify(afterEntry)).not.toContain('"book":7');
    expect((await api.call('GET', `${V1}/stock-counts/${count.id}/variances`, undefined, asClerk)).status).toBe(403);
    const sheet = await fetch(`${api.baseUrl}${V1}/stock-counts/${count.id}/pdf`, { headers: asClerk });
    expect(sheet.status).toBe(200);

    const asBoss = await ok('GET', `/stock-counts/${count.id}`, undefined, asManager);
    expect(asBoss.bookVisible).toBe(true);
    expect(asBoss.lines[0]).toMatchObject({ snapshot: 7, book: 7, counted: 6, variance: -1 });
    expect((await ok('GET', `/stock-counts/${count.id}/variances`, undefined, asManager)).totals.lossValue).toBe(-2);

    expect((await api.call('POST', `${V1}/stock-counts/${count.id}/submit`, undefined, asClerk)).status).toBe(200);
    expect((await api.call('POST', `${V1}/stock-counts/${count.id}/approve`, undefined, asClerk)).status).toBe(403);
    expect((await api.call('POST', `${V1}/stock-counts`, { warehouse: 'WB', scope: { type: 'full' } }, asViewer)).status).toBe(403);
    await ok('POST', `/stock-counts/${count.id}/post`, undefined, asClerk);
    expect(await onHand('B-1', 'WB')).toEqual({ 'WB/Stock': 6 });
  });

  it('refuses a bin that does not exist and writes nothing; adds found stock as a new line', async () => {
    await warehouse('WN', [['N-01', 'bin']]);
    await item('N-1');
    await item('N-LOT', { tracking: 'lot' });
    await adjust('WN', [{ sku: 'N-1', quantity: 2, unitCost: 3 }]);
    const count = await started('WN', { type: 'full' });

    const before = await everything();
    const missingBin = await api.call('POST', `${V1}/stock-counts/${count.id}/entries`, { entries: [{ location: 'WN/Stock', item: 'N-1', quantity: 2 }, { location: 'WN/Stock/N-99', item: 'N-1', quantity: 1 }] });
    expect(missingBin.status).toBe(422);
    expect(missingBin.body.errors).toEqual([{ field: 'entries.1.location', message: 'no location WN/Stock/N-99' }]);
    expect(await everything()).toEqual(before);

    // Found: N-1 in a bin the books call empty, and a lot nobody knew about (found by barcode).
    await api.call('PATCH', `${V1}/items/${(await ok('GET', '/items?q=N-LOT')).items[0].id}`, { barcode: '6901234567892' });
    const entered = await enter(count.id, [
      { location: 'WN/Stock', item: 'N-1', quantity: 2 },
      { location: 'WN/Stock/N-01', item: 'N-1', quantity: 1 },
      { location: 'WN/Stock/N-01', item: '6901234567892', lot: 'NEW-7', quantity: 3 },
    ]);
    expect(entered.entries.map((e: any) => [e.line, e.sku, e.lot, e.found])).toEqual([[1, 'N-1', null, false], [2, 'N-1', null, true], [3, 'N-LOT', 'NEW-7', true]]);
    await ok('POST', `/stock-counts/${count.id}/submit`, undefined, asClerk);
    await ok('POST', `/stock-counts/${count.id}/approve`, undefined, asManager);
    const posted = await ok('POST', `/stock-counts/${count.id}/post`, { reasonCode: 'year-end' });
    expect(posted.reasonCode).toBe('year-end');
    expect(posted.moves.map((m: any) => [m.sku, m.to, m.quantity, m.lot, m.value])).toEqual([
      ['N-1', 'WN/Stock/N-01', 1, null, 3], // valued at the item's cost
      ['N-LOT', 'WN/Stock/N-01', 3, 'NEW-7', 0], // no cost known yet
    ]);
    expect(await onHand('N-1', 'WN')).toEqual({ 'WN/Stock': 2, 'WN/Stock/N-01': 1 });
    expect(await onHand('N-LOT', 'WN')).toEqual({ 'WN/Stock/N-01#NEW-7': 3 });

    // A serial found in a bin while the books still hold it elsewhere (outside this count) would be in stock twice.
    await item('N-SER', { tracking: 'serial' });
    await adjust('WN', [{ sku: 'N-SER', quantity: 1, lot: 'SN-9' }]);
    const bin = await started('WN', { type: 'zone', locations: ['WN/Stock/N-01'] });
    await enter(bin.id, [{ location: 'WN/Stock/N-01', item: 'N-SER', lot: 'SN-9', quantity: 1 }, { location: 'WN/Stock/N-01', item: 'N-1', quantity: 1 }, { location: 'WN/Stock/N-01', item: 'N-LOT', lot: 'NEW-7', quantity: 3 }]);
    await ok('POST', `/stock-counts/${bin.id}/submit`);
    const beforeTwice = await everything();
    const twice = await api.call('POST', `${V1}/stock-counts/${bin.id}/post`);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('SN-9');
    expect(await everything()).toEqual(beforeTwice);
    await ok('POST', `/stock-counts/${bin.id}/cancel`);
  });

  it('ends with the right stock when shipments happen during the count', async () => {
    await warehouse('WM');
    await item('M-1');
    await adjust('WM', [{ sku: 'M-1', quantity: 20, unitCost: 3 }]);
    const count = await started('WM', { type: 'items', skus: ['M-1'] });
    await sell('WM', 'M-1', 5); // shipped after the snapshot, before counting: 15 on the shelf
    await enter(count.id, [{ location: 'WM/Stock', item: 'M-1', quantity: 14 }]); // one missing
    await sell('WM', 'M-1', 4); // shipped after counting, before posting
    await adjust('WM', [{ sku: 'M-1', quantity: 10, unitCost: 3 }]); // and a delivery

    const view = await ok('GET', `/stock-counts/${count.id}`);
    expect(view.lines[0]).toMatchObject({ snapshot: 20, book: 15, counted: 14, variance: -1 });
    await ok('POST', `/stock-counts/${count.id}/submit`);
    const posted = await ok('POST', `/stock-counts/${count.id}/post`);
    expect(posted.moves.map((m: any) => [m.from, m.to, m.quantity])).toEqual([['WM/Stock', 'Virtual/Inventory adjustment', 1]]);
    // 14 counted - 4 shipped + 10 delivered, not 14 and not 20 - 1.
    expect(await onHand('M-1', 'WM')).toEqual({ 'WM/Stock': 20 });

    // A loss that would need reserved stock is refused, naming the line, and writes nothing.
    await item('M-2');
    await adjust('WM', [{ sku: 'M-2', quantity: 5, unitCost: 1 }]);
    const second = await started('WM', { type: 'items', skus: ['M-2'] });
    await enter(second.id, [{ location: 'WM/Stock', item: 'M-2', quantity: 3 }]);
    const order = await sell('WM', 'M-2', 5, false); // confirmed: all 5 reserved
    await ok('POST', `/stock-counts/${second.id}/submit`);
    const before = await everything();
    const short = await api.call('POST', `${V1}/stock-counts/${second.id}/post`);
    expect(short.status).toBe(409);
    expect(short.body.type).toMatch(/insufficient-stock$/);
    expect(short.body.shortLines).toEqual([{ line: 1, sku: 'M-2', requested: 2, available: 0 }]);
    expect(await everything()).toEqual(before);
    await ok('POST', `/sales-orders/${order}/cancel`);
    await ok('POST', `/stock-counts/${second.id}/post`);
    expect(await onHand('M-2', 'WM')).toEqual({ 'WM/Stock': 3 });
  });

  it('needs a second person to approve variances above the threshold', async () => {
    await warehouse('WP');
    await item('P-1');
    await adjust('WP', [{ sku: 'P-1', quantity: 10, unitCost: 1 }]);
    expect((await api.call('PATCH', `${V1}/settings`, { countVarianceApprovalThreshold: 0 })).status).toBe(200);
    try {
      const count = await started('WP', { type: 'full' });
      await enter(count.id, [{ location: 'WP/Stock', item: 'P-1', quantity: 9 }]);
      const submitted = await ok('POST', `/stock-counts/${count.id}/submit`); // submitted by admin
      expect(submitted.approvalRequired).toBe(true);
      const early = await api.call('POST', `${V1}/stock-counts/${count.id}/post`);
      expect(early.status).toBe(409);
      expect(early.body.detail).toContain('approval');
      expect((await api.call('POST', `${V1}/stock-counts/${count.id}/approve`)).status).toBe(403);

      // Sent back for a recount, then submitted again.
      const rejected = await ok('POST', `/stock-counts/${count.id}/reject`, { reason: 'recount the stock location' }, asManager);
      expect(rejected).toMatchObject({ status: 'in_progress', rejectionReason: 'recount the stock location', submittedBy: null });
      await enter(count.id, [{ location: 'WP/Stock', item: 'P-1', quantity: 8 }]);
      await ok('POST', `/stock-counts/${count.id}/submit`);
      const approved = await ok('POST', `/stock-counts/${count.id}/approve`, undefined, asManager);
      expect(approved.status).toBe('approved');
      await ok('POST', `/stock-counts/${count.id}/post`);
      expect(await onHand('P-1', 'WP')).toEqual({ 'WP/Stock': 8 });

      // No variance, no approval, even at threshold 0.
      const exact = await started('WP', { type: 'full' });
      await enter(exact.id, [{ location: 'WP/Stock', item: 'P-1', quantity: 8 }]);
      expect((await ok('POST', `/stock-counts/${exact.id}/submit`)).approvalRequired).toBe(false);
      const posted = await ok('POST', `/stock-counts/${exact.id}/post`);
      expect(posted).toMatchObject({ status: 'posted', moves: [], accuracy: { linePercent: 100, valuePercent: 100 } });
    } finally {
      await api.call('PATCH', `${V1}/settings`, { countVarianceApprovalThreshold: 1000 });
    }
  });

  it('prints the count sheet as a PDF', async () => {
    await warehouse('WS');
    await item('SH-1');
    await adjust('WS', [{ sku: 'SH-1', quantity: 3 }]);
    const draft = await newCount('WS', { type: 'full' }, { blind: false });
    expect((await api.call('GET', `${V1}/stock-counts/${draft.id}/pdf`)).status).toBe(409);
    await ok('POST', `/stock-counts/${draft.id}/start`);
    const res = await fetch(`${api.baseUrl}${V1}/stock-counts/${draft.id}/pdf`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await ok('POST', `/stock-counts/${draft.id}/cancel`);
    const doc = await ok('GET', '/openapi.json');
    expect(doc.paths['/api/v1/stock-counts/{id}/entries'].post).toBeDefined();
  });

  it('answers bad input with a 4xx and writes nothing', async () => {
    await warehouse('WX');
    await item('X-1', { unit: 'kg', unitPrecision: 1 });
    await item('X-LOT', { tracking: 'lot' });
    await item('X-SER', { tracking: 'serial' });
    await adjust('WX', [{ sku: 'X-1', quantity: 4 }, { sku: 'X-SER', quantity: 1, lot: 'SN1' }]);
    await warehouse('WY');
    await warehouse('WQ');
    await item('Q-1');
    await adjust('WQ', [{ sku: 'Q-1', quantity: 1 }]);
    const draft = await newCount('WX', { type: 'items', skus: ['X-1', 'X-LOT', 'X-SER'] });
    const running = await started('WX', { type: 'zone', locations: ['WX/Stock'] });
    const full = await started('WY', { type: 'full' });
    const submitted = await started('WQ', { type: 'items', skus: ['Q-1'] });
    await ok('POST', `/stock-counts/${submitted.id}/submit`);
    await warehouse('WR');
    const posted = await started('WR', { type: 'full' });
    expect(posted.lines).toEqual([]);
    await ok('POST', `/stock-counts/${posted.id}/submit`);
    expect((await ok('POST', `/stock-counts/${posted.id}/post`)).moves).toEqual([]);
    const entry = (e: Record<string, unknown>) => ({ entries: [{ location: 'WX/Stock', item: 'X-1', quantity: 1, ...e }] });

    const cases: Array<[string, string, string, unknown, number, string?, Record<string, string>?]> = [
      ['unknown warehouse', 'POST', '/stock-counts', { warehouse: 'NOPE', scope: { type: 'full' } }, 422, 'warehouse'],
      ['unknown zone', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'zone', locations: ['WX/Stock/none'] } }, 422, 'scope.locations.0'],
      ['Input is not counted', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'zone', locations: ['WX/Input'] } }, 422, 'scope.locations.0'],
      ['unknown sku in scope', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'items', skus: ['X-1', 'NOPE'] } }, 422, 'scope.skus.1'],
      ['unknown class', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'abc', classes: ['D'] } }, 422, 'scope.classes.0'],
      ['unknown scope type', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'shelf' } }, 422],
      ['unknown field', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'full' }, colour: 'red' }, 422, 'colour'],
      ['viewer creates', 'POST', '/stock-counts', { warehouse: 'WX', scope: { type: 'full' } }, 403, undefined, asViewer],
      ['start twice', 'POST', `/stock-counts/${running.id}/start`, undefined, 409],
      ['entries into a draft', 'POST', `/stock-counts/${draft.id}/entries`, entry({}), 409],
      ['entries into a submitted count', 'POST', `/stock-counts/${submitted.id}/entries`, { entries: [{ location: 'WQ/Stock', item: 'Q-1', quantity: 1 }] }, 409],
      ['too many decimals', 'POST', `/stock-counts/${running.id}/entries`, entry({ quantity: 1.25 }), 422, 'entries.0.quantity'],
      ['negative count', 'POST', `/stock-counts/${running.id}/entries`, entry({ quantity: -1 }), 422, 'entries.0.quantity'],
      ['unknown item', 'POST', `/stock-counts/${running.id}/entries`, entry({ item: 'NOPE' }), 422, 'entries.0.item'],
      ['lot item without lot', 'POST', `/stock-counts/${running.id}/entries`, entry({ item: 'X-LOT' }), 422, 'entries.0.lot'],
      ['lot on an untracked item', 'POST', `/stock-counts/${running.id}/entries`, entry({ lot: 'L1' }), 422, 'entries.0.lot'],
      ['zero of an unknown lot', 'POST', `/stock-counts/${running.id}/entries`, entry({ item: 'X-LOT', lot: 'NONE', quantity: 0 }), 422, 'entries.0.lot'],
      ['two units of a serial', 'POST', `/stock-counts/${running.id}/entries`, entry({ item: 'X-SER', lot: 'SN1', quantity: 2 }), 422, 'entries.0.quantity'],
      ['no entries', 'POST', `/stock-counts/${running.id}/entries`, { entries: [] }, 422, 'entries'],
      ['entry without quantity', 'POST', `/stock-counts/${running.id}/entries`, { entries: [{ location: 'WX/Stock', item: 'X-1' }] }, 422, 'entries.0.quantity'],
      ['viewer enters', 'POST', `/stock-counts/${running.id}/entries`, entry({}), 403, undefined, asViewer],
      ['exclude on a full count', 'POST', `/stock-counts/${full.id}/submit`, { uncounted: 'exclude' }, 422, 'uncounted'],
      ['submit a draft', 'POST', `/stock-counts/${draft.id}/submit`, undefined, 409],
      ['pdf of an unknown count', 'GET', '/stock-counts/999999/pdf', undefined, 404],
      ['unknown uncounted policy', 'POST', `/stock-counts/${running.id}/submit`, { uncounted: 'guess' }, 422, 'uncounted'],
      ['approve in progress', 'POST', `/stock-counts/${running.id}/approve`, undefined, 409],
      ['clerk approves', 'POST', `/stock-counts/${submitted.id}/approve`, undefined, 403, undefined, asClerk],
      ['reject without reason', 'POST', `/stock-counts/${submitted.id}/reject`, { reason: ' ' }, 422, 'reason'],
      ['post in progress', 'POST', `/stock-counts/${running.id}/post`, undefined, 409],
      ['post with a bad reason code', 'POST', `/stock-counts/${submitted.id}/post`, { reasonCode: 'a b' }, 422, 'reasonCode'],
      ['cancel a posted count', 'POST', `/stock-counts/${posted.id}/cancel`, undefined, 409],
      ['reject a posted count', 'POST', `/stock-counts/${posted.id}/reject`, { reason: 'late' }, 409],
      ['unknown count', 'POST', '/stock-counts/999999/start', undefined, 404],
      ['bad id', 'GET', '/stock-counts/abc1', undefined, 422, 'params.id'],
      ['bad status filter', 'GET', '/stock-counts?status=open', undefined, 422, 'query.status'],
    ];
    const before = await everything();
    for (const [name, method, path, body, status, field, headers] of cases) {
      const res = await api.call(method, V1 + path, body, headers);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(res.headers.get('content-type'), name).toContain('application/problem+json');
      if (field) expect(res.body.errors?.map((e: { field: string }) => e.field), name).toContain(field);
      expect(await everything(), name).toEqual(before);
    }
  });
});
