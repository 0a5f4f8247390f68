import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(ENGINES)('exports on %s', (engine) => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi(engine);
    // 1,050 items through the importer, so that an export pages through the list (1000 a page).
    const csv = ['sku,name,unit,unitPrecision', ...Array.from({ length: 1050 }, (_, i) => `EXP-${String(i + 1).padStart(4, '0')},Export item ${i + 1},pcs,${i % 3}`)].join('\n');
    const res = await fetch(`${api.baseUrl}/api/v1/imports?kind=items&commit=all`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'text/csv' }, body: csv });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    for (;;) {
      const job = (await api.call('GET', `/api/v1/imports/${id}`)).body;
      if (!job.running) {
        expect(job.status).toBe('committed');
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await api.call('POST', '/api/v1/items', { sku: 'ODD-1', name: '螺丝, "quoted";  two  spaces', unit: 'pcs' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/items', { sku: 'ODD-2', name: '=HYPERLINK("http://x")', unit: 'kg', unitPrecision: 3, tracking: 'lot', category: '液体' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/warehouses', { code: 'EXW', name: 'Export WH' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'EXW', reason: 'first', lines: [{ sku: 'EXP-0001', quantity: 5, unitCost: 1.25 }, { sku: 'ODD-2', quantity: 1.5, lot: 'L1', unitCost: 10 }] })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/inventory-adjustments', { warehouse: 'EXW', reason: 'second', lines: [{ sku: 'EXP-0002', quantity: 7 }] })).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  const download = async (path: string, token = api.token) => {
    const res = await fetch(`${api.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), buffer: Buffer.from(await res.arrayBuffer()) };
  };
  const csvRows = (buffer: Buffer) => parseCsv(buffer.toString('utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
  const xlsxRows = async (buffer: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as never);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const rows: Array<Record<string, unknown>> = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = row.values as unknown[];
      rows.push(Object.fromEntries(header.map((h, i) => [h, values[i + 1] ?? null])));
    });
    return rows;
  };
  const allItems = async () => {
    const items: Array<Record<string, unknown>> = [];
    let next: string | undefined;
    do {
      const page = await api.call('GET', `/api/v1/items?limit=1000${next ? `&after=${next}` : ''}`);
      items.push(...page.body.items);
      next = page.body.next;
    } while (next);
    return items;
  };

  it('documents the import and export routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${api.baseUrl}/api/v1/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    for (const path of ['/imports', '/imports/{id}', '/imports/{id}/issues', '/imports/{id}/report', '/imports/{id}/commit', '/imports/templates/{file}', '/exports', '/exports/{resource}']) {
      expect(paths.some((p) => p.endsWith(path)), path).toBe(true);
    }
  });

  it('lists what can be exported', async () => {
    const res = await api.call('GET', '/api/v1/exports');
    expect(res.status).toBe(200);
    const resources = res.body.items.map((r: { resource: string }) => r.resource);
    expect(resources).toEqual(expect.arrayContaining(['items', 'partners', 'inventory-adjustments', 'stock', 'stock.summary', 'moves', 'sales-orders', 'imports']));
    expect(res.body.items.find((r: { resource: string }) => r.resource === 'items').filters).toEqual(expect.arrayContaining(['q', 'includeArchived']));
    expect(res.body.items.find((r: { resource: string }) => r.resource === 'items').filters).not.toContain('after');
  });

  it('exports every item as CSV, paging through the list, and it parses back to the same values', async () => {
    const file = await download('/exports/items?format=csv');
    expect(file.status).toBe(200);
    expect(file.type).toMatch(/^text\/csv/);
    expect(file.disposition).toMatch(/filename="items-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(file.buffer.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // BOM for Excel
    const rows = csvRows(file.buffer);
    const items = await allItems();
    expect(items.length).toBe(1052);
    expect(rows.length).toBe(items.length);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'sku', 'name', 'unit', 'unitPrecision', 'tracking', 'barcode', 'category', 'archived', 'createdAt', 'updatedAt', 'reorderPoint', 'safetyStock', 'reorderQuantity']);
    for (const [i, item] of items.entries()) {
      const row = rows[i]!;
      expect(Number(row.id)).toBe(item.id);
      expect(row.sku).toBe(item.sku);
      expect(row.unitPrecision).toBe(String(item.unitPrecision));
      expect(row.category).toBe(item.category ?? '');
      if (item.sku !== 'ODD-2') expect(row.name).toBe(item.name);
    }
    // A cell a spreadsheet would run as a formula is neutralised.
    expect(rows.find((r) => r.sku === 'ODD-2')!.name).toBe('\'=HYPERLINK("http://x")');
    expect(rows.find((r) => r.sku === 'ODD-1')!.name).toBe('螺丝, "quoted";  two  spaces');
  });

  it('exports items as XLSX with the list\'s filters', async () => {
    const file = await download('/exports/items?format=xlsx&q=ODD');
    expect(file.status).toBe(200);
    expect(file.type).toBe(XLSX);
    const rows = await xlsxRows(file.buffer);
    expect(rows).toEqual([
      expect.objectContaining({ sku: 'ODD-1', name: '螺丝, "quoted";  two  spaces', unit: 'pcs', unitPrecision: 0, tracking: 'none', archived: false }),
      expect.objectContaining({ sku: 'ODD-2', name: '=HYPERLINK("http://x")', unit: 'kg', unitPrecision: 3, tracking: 'lot', category: '液体' }),
    ]);
    const all = await xlsxRows((await download('/exports/items?format=xlsx')).buffer);
    expect(all.length).toBe(1052);
    expect(all.at(-1)).toMatchObject({ sku: 'ODD-2' });
    // A list sorted on request pages by offset: every item once, in the requested order.
    const sorted = csvRows((await download('/exports/items?format=csv&sort=-sku')).buffer);
    expect(sorted.length).toBe(1052);
    expect(sorted.map((r) => r.sku)).toEqual(all.map((r) => String(r.sku)).sort().reverse());
  });

  it('exports a document list with one row per line (CSV and XLSX), or lines as JSON', async () => {
    const list = (await api.call('GET', '/api/v1/inventory-adjustments')).body.items as Array<{ id: number; number: string; lines: Array<{ sku: string; quantity: number }> }>;
    const expected = list.flatMap((doc) => doc.lines.map((line) => ({ id: String(doc.id), number: doc.number, sku: line.sku, quantity: String(line.quantity) })));
    expect(expected.length).toBe(3);

    const csv = csvRows((await download('/exports/inventory-adjustments?format=csv')).buffer);
    expect(csv.map((r) => ({ id: r.id, number: r.number, sku: r['lines.sku'], quantity: r['lines.quantity'] }))).toEqual(expected);
    expect(csv[0]).toHaveProperty('lines.unitCost');
    // Other arrays of the document (its moves) are JSON in one cell.
    expect(JSON.parse(csv.find((r) => r['lines.sku'] === 'ODD-2')!.moves!)).toEqual(expect.arrayContaining([expect.objectContaining({ sku: 'ODD-2', quantity: 1.5, lot: 'L1', to: 'EXW/Stock' })]));

    const xlsx = await xlsxRows((await download('/exports/inventory-adjustments?format=xlsx')).buffer);
    expect(xlsx.map((r) => ({ id: String(r.id), number: r.number, sku: r['lines.sku'], quantity: String(r['lines.quantity']) }))).toEqual(expected);
    expect(xlsx.find((r) => r['lines.sku'] === 'ODD-2')).toMatchObject({ 'lines.quantity': 1.5, 'lines.unitCost': 10, 'lines.lot': 'L1' });

    const json = csvRows((await download('/exports/inventory-adjustments?format=csv&lines=json')).buffer);
    expect(json.length).toBe(list.length);
    expect(JSON.parse(json.find((r) => r.reason === 'first')!.lines!).map((l: { sku: string }) => l.sku)).toEqual(['EXP-0001', 'ODD-2']);
  });

  it('exports reports (stock summary) and refuses what the caller may not see', async () => {
    const summary = csvRows((await download('/exports/stock.summary?format=csv&warehouse=EXW')).buffer);
    expect(summary.map((r) => r.sku).sort()).toEqual(['EXP-0001', 'EXP-0002', 'ODD-2']);

    expect((await download('/exports/nothing-here')).status).toBe(404);
    expect((await download('/exports/items?format=pdf')).status).toBe(422);
    expect((await download('/exports/items?includeArchived=maybe')).status).toBe(422);

    await api.call('POST', '/api/v1/users', { username: 'exp-viewer', password: 'viewer-password-1', role: 'viewer' });
    await api.call('POST', '/api/v1/users', { username: 'exp-manager', password: 'manager-password-1', role: 'manager' });
    const viewer = await api.login('exp-viewer', 'viewer-password-1');
    const manager = await api.login('exp-manager', 'manager-password-1');
    expect((await download('/exports/items', viewer)).status).toBe(403); // no export.run
    expect((await download('/exports/users', manager)).status).toBe(403); // export.run, but not the list's own right
    expect((await download('/exports/items', manager)).status).toBe(200);
  });

  it('hides costs from a role that may export but not see costs', async () => {
    const role = await api.call('POST', '/api/v1/roles', { name: 'exporter', permissions: ['item.view', 'stock.view', 'export.run'] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    expect((await api.call('POST', '/api/v1/users', { username: 'exp-exporter', password: 'exporter-password-1', role: 'exporter' })).status).toBe(201);
    const exporter = await api.login('exp-exporter', 'exporter-password-1');
    for (const format of ['csv', 'xlsx'] as const) {
      const file = await download(`/exports/inventory-adjustments?format=${format}`, exporter);
      expect(file.status).toBe(200);
      const rows = format === 'csv' ? csvRows(file.buffer) : await xlsxRows(file.buffer);
      expect(rows.length).toBe(3);
      expect(Object.keys(rows[0]!)).toContain('lines.quantity');
      expect(Object.keys(rows[0]!).filter((k) => /cost|value/i.test(k))).toEqual([]);
      expect(JSON.stringify(rows)).not.toMatch(/"unitCost":\d/);
    }
    const admin = csvRows((await download('/exports/inventory-adjustments?format=csv')).buffer);
    expect(admin.find((r) => r['lines.sku'] === 'ODD-2')!['lines.unitCost']).toBe('10');
  });
});
