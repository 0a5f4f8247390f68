import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';
import { CodeIndex, isTypo } from '../src/modules/imports/near-duplicates.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Tables an upload and its dry run may write (the job's own bookkeeping and its audit record). */
const BOOKKEEPING = ['import_jobs', 'import_issues', 'audit_log', 'idempotency_keys'];
const dataOf = (s: Awaited<ReturnType<typeof snapshot>>) => ({ ...s, counts: Object.fromEntries(Object.entries(s.counts).filter(([t]) => !BOOKKEEPING.includes(t))) });

async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('data');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('near-duplicate codes', () => {
  it('finds repeats, folded repeats and one-character typos, but not numbering', () => {
    const index = new CodeIndex();
    expect(index.observe('BOLT-M3', 2)).toEqual({});
    expect(index.observe('BOLT-M3', 3)).toEqual({ exact: { row: 2, code: 'BOLT-M3' } });
    expect(index.observe('bolt_m3', 4)).toEqual({ sameForm: { row: 2, code: 'BOLT-M3' } });
    expect(index.observe('BOLT-M4', 5)).toEqual({}); // a digit: numbering, not a typo
    expect(index.observe('BOLT-MX3', 6)).toEqual({ similar: { row: 2, code: 'BOLT-M3' } }); // inserted letter
    expect(index.observe('BOLD-M3', 7)).toEqual({ similar: { row: 2, code: 'BOLT-M3' } }); // changed letter
    expect(index.observe('BLT-M3', 8)).toEqual({ similar: { row: 2, code: 'BOLT-M3' } }); // deleted letter
    expect(index.observe('SKU-0001', 9)).toEqual({});
    expect(index.observe('SKU-0002', 10)).toEqual({});
    expect(index.observe('SKU-00010', 11)).toEqual({});
    expect(index.observe('SKU-000O', 12).similar).toBeDefined(); // letter O for digit 0
    expect(isTypo('abc', 'abc')).toBe(false);
    expect(isTypo('abcd', 'axyd')).toBe(false);
    expect(isTypo('ab', 'ba')).toBe(false);
  });

  it('stays linear: 200,000 numbered codes index quickly', () => {
    const index = new CodeIndex();
    let similar = 0;
    for (let i = 0; i < 200_000; i++) if (index.observe(`ITEM-${String(i).padStart(7, '0')}`, i + 2).similar) similar++;
    expect(similar).toBe(0);
    expect(index.size).toBe(200_000);
  });
});

describe.each(ENGINES)('imports on %s', (engine) => {
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    api = await startTestApi(engine);
    dir = mkdtempSync(join(tmpdir(), 'cangku-import-test-'));
    process.env.CANGKU_IMPORT_DIR = join(dir, 'uploads'); // jobs never committed leave their file: keep it in ours
    expect((await api.call('POST', '/api/v1/items', { sku: 'EXIST-1', name: 'Existing bolt', unit: 'pcs' })).status).toBe(201);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api?.close();
  });

  const upload = async (kind: string, body: string | Buffer | Readable, query = '', contentType = 'text/csv', headers: Record<string, string> = {}) => {
    const res = await fetch(`${api.baseUrl}/api/v1/imports?kind=${kind}${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': contentType, ...headers },
      body: body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body,
      ...(body instanceof Readable ? { duplex: 'half' } : {}),
    } as RequestInit);
    return { status: res.status, body: (await res.json()) as any };
  };
  /** Poll the job until its background work is over; returns the last view and every view seen. */
  const settle = async (id: number) => {
    const seen: any[] = [];
    for (;;) {
      const res = await api.call('GET', `/api/v1/imports/${id}`);
      expect(res.status).toBe(200);
      seen.push(res.body);
      if (!res.body.running && res.body.status !== 'validating' && res.body.status !== 'committing') return { job: res.body, seen };
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const issuesOf = async (id: number) => {
    const res = await api.call('GET', `/api/v1/imports/${id}/issues?limit=1000`);
    expect(res.status).toBe(200);
    return res.body.items as Array<{ row: number; severity: string; issues: Array<{ field: string; code: string; message: string; severity: string }>; cells: Record<string, string> }>;
  };
  const codes = (row: { issues: Array<{ field: string; code: string; severity: string }> }) => row.issues.map((i) => `${i.severity}:${i.field}:${i.code}`).sort();
  const countItems = async () => Number((await api.db.store.read.selectFrom('items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('dry-runs a file with bad rows: reports each row with its reasons and imports nothing', async () => {
    const csv = [
      'sku,name,unit,unitPrecision,tracking,category',
      'GOOD-1,Good one,pcs,0,none,fasteners', // 2 ok
      ',No sku,pcs,,,', // 3 missing sku
      'GOOD-2,,pcs,,,', // 4 missing name
      'BAD-UNIT,Bad unit,pcz,,,', // 5 unknown unit
      'BAD-PREC,Bad precision,kg,1.5,,', // 6 precision not whole
      'BAD-PREC2,Bad precision 2,kg,9,,', // 7 precision out of range
      'GOOD-1,Duplicate,pcs,,,', // 8 duplicate of row 2
      'good_1,Near duplicate,pcs,,,', // 9 same as GOOD-1 apart from case/separators
      'EXIST-1,Exists already,pcs,,,', // 10 exists
      'BAD-TRACK,Bad tracking,pcs,,sometimes,', // 11 bad tracking
      'GOODX-1,Good one,pcs,,,', // 12 valid, warnings: similar sku to GOOD-1 and same name as row 2
    ].join('\n');
    const before = dataOf(await snapshot(api.db.store));
    const created = await upload('items', csv, '&fileName=items.csv');
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body).toMatchObject({ kind: 'items', format: 'csv', status: 'validating', fileName: 'items.csv' });
    const { job } = await settle(created.body.id);
    expect(job.status).toBe('validated');
    expect(job.progress).toMatchObject({ rowsRead: 11, rowsValid: 2, rowsInvalid: 9, rowsWarned: 1, rowsCommitted: 0 });
    expect(dataOf(await snapshot(api.db.store))).toEqual(before);

    const issues = await issuesOf(job.id);
    expect(Object.fromEntries(issues.map((r) => [r.row, codes(r)]))).toEqual({
      3: ['error:sku:missing'],
      4: ['error:name:missing'],
      5: ['error:unit:unknown-unit'],
      6: ['error:unitPrecision:precision'],
      7: ['error:unitPrecision:invalid'],
      8: ['error:sku:duplicate'],
      9: ['error:sku:near-duplicate'],
      10: ['error:sku:exists'],
      11: ['error:tracking:invalid'],
      12: ['warning:name:same-name', 'warning:sku:similar'],
    });
    expect(issues.find((r) => r.row === 8)!.issues[0]!.message).toMatch(/row 2/);
    expect(issues.find((r) => r.row === 5)!.cells).toMatchObject({ sku: 'BAD-UNIT', unit: 'pcz' });

    // All-or-nothing: refused while any row has an error, and nothing is written.
    const refused = await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'all' });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/9 rows have errors/);
    expect(dataOf(await snapshot(api.db.store))).toEqual(before);

    // The downloadable report lists each bad row with its reasons and cells, ready to fix.
    const report = await fetch(`${api.baseUrl}/api/v1/imports/${job.id}/report?format=csv`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/csv/);
    const reportRows = parseCsv(await report.text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(reportRows.map((r) => Number(r.row))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(reportRows.find((r) => r.row === '5')).toMatchObject({ SKU: 'BAD-UNIT', Unit: 'pcz', errors: expect.stringMatching(/Unit: unknown unit pcz/) });

    // Good rows on request: only rows 2 and 12 are imported.
    const items = await countItems();
    const commit = await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'good-rows' }, { 'idempotency-key': `commit-${engine}-1` });
    expect(commit.status, JSON.stringify(commit.body)).toBe(202);
    const done = (await settle(job.id)).job;
    // The same request again (same key) answers the first response and commits nothing more.
    const replay = await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'good-rows' }, { 'idempotency-key': `commit-${engine}-1` });
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(done).toMatchObject({ status: 'committed', mode: 'good-rows', progress: { rowsCommitted: 2, rowsSkipped: 9 } });
    expect(await countItems()).toBe(items + 2);
    const good = await api.call('GET', '/api/v1/items?q=GOOD');
    expect(good.body.items.map((i: { sku: string }) => i.sku).sort()).toEqual(['GOOD-1', 'GOODX-1']);
    expect(good.body.items.find((i: { sku: string }) => i.sku === 'GOOD-1')).toMatchObject({ name: 'Good one', unit: 'pcs', unitPrecision: 0, tracking: 'none', category: 'fasteners' });

    // Committing the same job again is refused: its rows would be written twice.
    const again = await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'good-rows' });
    expect(again.status).toBe(409);
    expect(await countItems()).toBe(items + 2);
  });

  it('cleans full-width characters, spaces and code case; reads Chinese headers and XLSX', async () => {
    const xlsx = await xlsxOf([
      ['物料编码*', '名称', '单位', '小数位数', '追踪方式', '类别', '备注'],
      ['ｃｌｅａｎ－００１', '  全角　螺丝   M3  ', 'ＰＣＳ', '２', '批次', '紧固件', 'ignored column'],
      ['clean-002', 'Tab\tname', 'Kg', 3, '无', null, null],
    ]);
    const created = await upload('items', xlsx, '&codeCase=upper&commit=all', XLSX, { 'idempotency-key': `upload-${engine}-1` });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    // The same file under the same key is the same job; another file under it is refused.
    const again = await upload('items', xlsx, '&codeCase=upper&commit=all', XLSX, { 'idempotency-key': `upload-${engine}-1` });
    expect(again.body.id).toBe(created.body.id);
    expect((await upload('items', 'sku,name,unit\nZ,Z,pcs\n', '&codeCase=upper&commit=all', 'text/csv', { 'idempotency-key': `upload-${engine}-1` })).status).toBe(422);
    const { job } = await settle(created.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'committed', format: 'xlsx', progress: { rowsRead: 2, rowsInvalid: 0, rowsCommitted: 2 } });
    expect(job.progress.cellsCleaned).toBeGreaterThanOrEqual(5);
    expect(job.columns.ignored).toEqual(['备注']);
    const one = (await api.call('GET', '/api/v1/items?q=CLEAN-001')).body.items[0];
    expect(one).toMatchObject({ sku: 'CLEAN-001', name: '全角 螺丝 M3', unit: 'pcs', unitPrecision: 2, tracking: 'lot', category: '紧固件' });
    const two = (await api.call('GET', '/api/v1/items?q=CLEAN-002')).body.items[0];
    expect(two).toMatchObject({ sku: 'CLEAN-002', name: 'Tab name', unit: 'kg', unitPrecision: 3, tracking: 'none', category: null });
  });

  it('reports a file that cannot be read on the job', async () => {
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not really a zip file'.repeat(10))]);
    const created = await upload('items', broken, '', XLSX);
    expect(created.status).toBe(202);
    const { job } = await settle(created.body.id);
    expect(job).toMatchObject({ status: 'failed', format: 'xlsx' });
    expect(job.error).toMatch(/cannot be read as XLSX/);
  });

  it('reports a missing column for the whole file and never commits it', async () => {
    const created = await upload('items', 'sku,unit\nA-1,pcs\n');
    const { job } = await settle(created.body.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/missing column Name \(名称\)/);
    expect((await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'good-rows' })).status).toBe(409);
  });

  it('discards a job that will not be committed: its file goes, the report stays', async () => {
    const created = await upload('items', 'sku,name,unit\nDISC-1,To discard,pcz\n');
    const { job } = await settle(created.body.id);
    expect(job).toMatchObject({ status: 'validated', progress: { rowsInvalid: 1 } });
    const { file_path } = await api.db.store.read.selectFrom('import_jobs').select('file_path').where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(existsSync(file_path)).toBe(true);
    const discarded = await api.call('POST', `/api/v1/imports/${job.id}/discard`);
    expect(discarded.status).toBe(200);
    expect(discarded.body.status).toBe('discarded');
    expect(existsSync(file_path)).toBe(false);
    expect((await issuesOf(job.id)).map((r) => r.row)).toEqual([2]);
    expect((await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'good-rows' })).status).toBe(409);
  });

  it('imports partners in good-rows mode and serves templates in both formats and languages', async () => {
    const csv = '编码,名称,类型,账期天数,联系人,联系电话\nSUP-A,上海螺丝厂,供应商,30,王芳,+86 21 5555 0101\nCUS-B,Buyer,customer,abc,,\nCUS-C,Client C,客户,0,,123-456\n';
    const created = await upload('partners', csv, '&commit=good-rows');
    const { job } = await settle(created.body.id);
    expect(job).toMatchObject({ status: 'committed', progress: { rowsRead: 3, rowsInvalid: 2, rowsCommitted: 1 } });
    const issues = await issuesOf(job.id);
    expect(issues.map((r) => [r.row, codes(r)])).toEqual([[3, ['error:paymentTermsDays:bad-number']], [4, ['error:contactName:missing', 'warning:code:similar']]]);
    const partners = await api.call('GET', '/api/v1/partners?q=SUP-A');
    expect(partners.body.items[0]).toMatchObject({ code: 'SUP-A', kind: 'supplier', paymentTermsDays: 30, contacts: [{ name: '王芳', phone: '+86 21 5555 0101' }] });

    const csvTemplate = await fetch(`${api.baseUrl}/api/v1/imports/templates/opening-stock.csv?lang=zh`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(csvTemplate.status).toBe(200);
    expect((await csvTemplate.text()).replace(/^\ufeff/, '').trim()).toBe('仓库*,库位,物料编码*,数量*,单位成本,批次,有效期至,序列号');
    const xlsxTemplate = await fetch(`${api.baseUrl}/api/v1/imports/templates/items.xlsx`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(xlsxTemplate.headers.get('content-type')).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsxTemplate.arrayBuffer()) as never);
    expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(['SKU*', 'Name*', 'Unit*', 'Unit precision', 'Tracking', 'Category', 'Barcode', 'Reorder point', 'Safety stock', 'Reorder quantity']);
    expect(workbook.worksheets[1]!.name).toBe('help');
    // A filled-in template imports as it is.
    workbook.worksheets[0]!.addRow(['TPL-1', 'From template', 'pcs']);
    const filled = await upload('items', Buffer.from(await workbook.xlsx.writeBuffer()), '&commit=all', XLSX);
    expect((await settle(filled.body.id)).job).toMatchObject({ status: 'committed', progress: { rowsCommitted: 1 } });
    expect((await api.call('GET', '/api/v1/imports/templates/things.csv')).status).toBe(422);
  });

  it('refuses uploads without the right, of the wrong type, and to other routes', async () => {
    await api.call('POST', '/api/v1/users', { username: 'imp-viewer', password: 'viewer-password-1', role: 'viewer' });
    const token = await api.login('imp-viewer', 'viewer-password-1');
    const denied = await fetch(`${api.baseUrl}/api/v1/imports?kind=items`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: 'sku,name,unit\nV-1,V,pcs\n' });
    expect(denied.status).toBe(403);
    expect((await api.call('POST', '/api/v1/imports?kind=items', { sku: 'x' })).status).toBe(415);
    const elsewhere = await fetch(`${api.baseUrl}/api/v1/items`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'text/csv' }, body: 'sku\n' });
    expect(elsewhere.status).toBe(415);
    expect((await upload('things', 'a\n')).status).toBe(422);
  });

  it('imports the reorder settings with English and Chinese headers, exact to the unit precision', async () => {
    const zhTemplate = await fetch(`${api.baseUrl}/api/v1/imports/templates/items.csv?lang=zh`, { headers: { authorization: `Bearer ${api.token}` } });
    expect((await zhTemplate.text()).replace(/^\ufeff/, '').trim()).toBe('物料编码*,名称*,单位*,小数位数,追踪方式,类别,条码,再订货点,安全库存,再订货量');
    const csv = [
      'SKU,Name,Unit,Unit precision,Reorder point,安全库存,再订货量',
      'RO-1,Reorder one,kg,2,"1,250.5",20.25,100', // thousands separator cleaned
      'RO-2,Reorder two,pcs,0,10,,', // empty: not set
      'RO-3,Reorder three,kg,3,０．１２５,0,0.1', // full-width digits; 0 is a value, not "not set"
    ].join('\n');
    const created = await upload('items', csv, '&commit=all');
    const { job } = await settle(created.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'committed', progress: { rowsRead: 3, rowsInvalid: 0, rowsCommitted: 3 } });
    expect(job.columns.ignored).toEqual([]);
    const items = Object.fromEntries((await api.call('GET', '/api/v1/items?q=RO-')).body.items.map((i: any) => [i.sku, [i.reorderPoint, i.safetyStock, i.reorderQuantity]]));
    expect(items).toEqual({ 'RO-1': [1250.5, 20.25, 100], 'RO-2': [10, null, null], 'RO-3': [0.125, 0, 0.1] });
  });

  it('reports bad reorder settings in the dry run with their rows and writes nothing', async () => {
    const csv = [
      'sku,name,unit,unitPrecision,reorderPoint,safetyStock,reorderQuantity',
      'RB-1,Bad one,pcs,0,1.5,,', // 2 more decimals than the unit allows
      'RB-2,Bad two,kg,2,-3,,', // 3 negative
      'RB-3,Bad three,pcs,,,abc,', // 4 not a number
      'RB-4,Bad four,kg,3,,,0.0001', // 5 precision 3
      'RB-5,Fine five,kg,3,0,0.125,5', // 6 ok
      'RB-6,Bad six,kg,9,1.5,,', // 7 only the precision is reported, the setting is a number
      'RB-7,Bad seven,pcs,0,1e400,0.1+0.2,', // 8 out of range; an expression is not a number
    ].join('\n');
    const before = dataOf(await snapshot(api.db.store));
    const created = await upload('items', csv, '&commit=all'); // commit=all stops at the dry run when a row has an error
    const { job } = await settle(created.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'validated', progress: { rowsRead: 7, rowsValid: 1, rowsInvalid: 6, rowsCommitted: 0 } });
    expect(dataOf(await snapshot(api.db.store))).toEqual(before);
    const issues = await issuesOf(job.id);
    expect(Object.fromEntries(issues.map((r) => [r.row, codes(r).filter((c) => c.startsWith('error:'))]))).toEqual({
      2: ['error:reorderPoint:precision'], 3: ['error:reorderPoint:invalid'], 4: ['error:safetyStock:bad-number'], 5: ['error:reorderQuantity:precision'],
      7: ['error:unitPrecision:invalid'], 8: ['error:reorderPoint:invalid', 'error:safetyStock:bad-number'],
    });
    const messages = issues.flatMap((r) => r.issues.map((i) => `${r.row} ${i.message}`));
    expect(messages).toContain('2 1.5 must be a whole number (unit precision 0)');
    expect(messages).toContain('3 -3 must be 0 or more');
    expect((await api.call('POST', `/api/v1/imports/${job.id}/commit`, { mode: 'all' })).status).toBe(422);
    expect(dataOf(await snapshot(api.db.store))).toEqual(before);
  });

  it('round-trips the reorder settings: an items export imports back with them (CSV and XLSX)', async () => {
    for (const [sku, body] of [
      ['RT-A', { unit: 'kg', unitPrecision: 3, reorderPoint: 12.5, safetyStock: 0.125, reorderQuantity: 1000 }],
      ['RT-B', { unit: 'pcs', reorderPoint: 7 }],
      ['RT-C', { unit: 'pcs' }],
    ] as const) expect((await api.call('POST', '/api/v1/items', { sku, name: `Round trip ${sku.slice(-1)}`, ...body })).status).toBe(201);
    const settings = async (q: string) => Object.fromEntries((await api.call('GET', `/api/v1/items?q=${q}`)).body.items.map((i: any) => [i.sku.slice(-1), [i.unitPrecision, i.reorderPoint, i.safetyStock, i.reorderQuantity]]));
    const original = await settings('RT-');
    expect(original).toEqual({ A: [3, 12.5, 0.125, 1000], B: [0, 7, null, null], C: [0, null, null, null] });
    const exported = (format: string) => fetch(`${api.baseUrl}/api/v1/exports/items?format=${format}&q=RT-`, { headers: { authorization: `Bearer ${api.token}` } });

    // CSV: the export as it is, the SKUs renamed (same company, so the originals exist).
    const csv = (await (await exported('csv')).text()).replace(/^(\d+),RT-/gm, '$1,RC-');
    expect(csv).toMatch(/reorderPoint,safetyStock,reorderQuantity/);
    const fromCsv = (await settle((await upload('items', csv, '&commit=all')).body.id)).job;
    expect(fromCsv, JSON.stringify(fromCsv)).toMatchObject({ status: 'committed', progress: { rowsCommitted: 3, rowsInvalid: 0 } });
    expect(fromCsv.columns.ignored.sort()).toEqual(['archived', 'createdAt', 'id', 'updatedAt']);
    expect(await settings('RC-')).toEqual(original);

    // XLSX: numbers are number cells.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await (await exported('xlsx')).arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    const skuColumn = (sheet.getRow(1).values as unknown[]).indexOf('sku');
    sheet.eachRow((row, n) => { if (n > 1) row.getCell(skuColumn).value = String(row.getCell(skuColumn).value).replace('RT-', 'RX-'); });
    expect(typeof sheet.getRow(2).getCell((sheet.getRow(1).values as unknown[]).indexOf('reorderPoint')).value).toBe('number');
    const fromXlsx = (await settle((await upload('items', Buffer.from(await workbook.xlsx.writeBuffer()), '&commit=all', XLSX)).body.id)).job;
    expect(fromXlsx, JSON.stringify(fromXlsx)).toMatchObject({ status: 'committed', progress: { rowsCommitted: 3, rowsInvalid: 0 } });
    expect(await settings('RX-')).toEqual(original);
  });

  it('imports locations and opening stock through the ledger, once, even when the commit is repeated', async () => {
    const locations = [
      'kind,code,name,warehouse,parent',
      'warehouse,OS1,Opening WH,,',
      'zone,A,Zone A,OS1,',
      'bin,A-01,,OS1,OS1/Stock/A',
      'bin,B-01,,OS1,OS1/Stock/NOPE', // unknown parent
      'bin,A-01,,OS1,OS1/Stock/A', // duplicate
      'bin,X-01,,NOWH,', // unknown warehouse
    ].join('\n');
    const loc = await upload('locations', locations, '&commit=good-rows');
    const locJob = (await settle(loc.body.id)).job;
    expect(locJob, JSON.stringify(locJob)).toMatchObject({ status: 'committed', progress: { rowsCommitted: 3, rowsSkipped: 3 } });
    expect((await issuesOf(locJob.id)).map((r) => [r.row, codes(r)])).toEqual([
      [5, ['error:parent:unknown']], [6, ['error:code:duplicate']], [7, ['error:warehouse:unknown']],
    ]);
    const bins = await api.call('GET', '/api/v1/locations?kind=bin');
    expect(bins.body.items.map((l: { code: string }) => l.code)).toContain('OS1/Stock/A/A-01');

    await upload('items', 'sku,name,unit,unitPrecision,tracking\nOS-PLAIN,Plain,kg,2,none\nOS-LOT,Milk,pcs,0,lot\nOS-SN,Phone,pcs,0,serial\n', '&commit=all');
    await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 200 && (await api.call('GET', '/api/v1/items?q=OS-SN')).body.items.length === 0; i++) await new Promise((r) => setTimeout(r, 25));

    const stock = [
      'warehouse,location,sku,quantity,unitCost,lot,expiresOn,serial',
      'OS1,,OS-PLAIN,10.25,3.5,,,', // 2 ok
      'OS1,OS1/Stock/A/A-01,OS-LOT,5,1,L1,2027/01/31,', // 3 ok (date cleaned)
      'OS1,,OS-SN,1,899,,,SN-1', // 4 ok
      'OS1,,OS-PLAIN,1.255,,,,', // 5 precision
      'OS1,,OS-LOT,5,,,,', // 6 lot missing
      'OS1,,OS-SN,1,,,,SN-1', // 7 serial repeats row 4
      'OS1,,OS-SN,2,,,,SN-2', // 8 serial quantity must be 1
      'OS1,,NOPE,1,,,,', // 9 unknown sku
      'OS9,,OS-PLAIN,1,,,,', // 10 unknown warehouse
      'OS1,OS1/Stock/Z,OS-PLAIN,1,,,,', // 11 unknown location
      'OS1,,OS-PLAIN,-1,,,,', // 12 not positive
      'OS1,,OS-PLAIN,abc,,,,', // 13 bad number
      'OS1,,OS-LOT,1,,L1,2027-02-01,', // 14 lot expiry disagrees with row 3
    ].join('\n');
    const before = dataOf(await snapshot(api.db.store));
    const dry = await upload('opening-stock', stock);
    const dryJob = (await settle(dry.body.id)).job;
    expect(dryJob.progress).toMatchObject({ rowsRead: 13, rowsValid: 3, rowsInvalid: 10 });
    expect(dataOf(await snapshot(api.db.store))).toEqual(before);
    expect(Object.fromEntries((await issuesOf(dryJob.id)).map((r) => [r.row, codes(r)]))).toEqual({
      5: ['error:quantity:precision'], 6: ['error:lot:missing'], 7: ['error:serial:duplicate'], 8: ['error:quantity:invalid'],
      9: ['error:sku:unknown'], 10: ['error:warehouse:unknown'], 11: ['error:location:unknown'], 12: ['error:quantity:invalid'],
      13: ['error:quantity:bad-number'], 14: ['error:expiresOn:invalid'],
    });

    expect((await api.call('POST', `/api/v1/imports/${dryJob.id}/commit`, { mode: 'good-rows' })).status).toBe(202);
    const committed = (await settle(dryJob.id)).job;
    expect(committed, JSON.stringify(committed)).toMatchObject({ status: 'committed', progress: { rowsCommitted: 3, rowsSkipped: 10 } });
    const onHand = async () => {
      const res = await api.call('GET', '/api/v1/stock?warehouse=OS1');
      return Object.fromEntries(res.body.items.map((b: { sku: string; location: string; lot: string | null; onHand: number }) => [`${b.sku}@${b.location}/${b.lot ?? ''}`, b.onHand]));
    };
    const expected = { 'OS-PLAIN@OS1/Stock/': 10.25, 'OS-LOT@OS1/Stock/A/A-01/L1': 5, 'OS-SN@OS1/Stock/SN-1': 1 };
    expect(await onHand()).toEqual(expected);
    const moves = await api.call('GET', '/api/v1/moves?sku=OS-PLAIN');
    expect(moves.body.items).toEqual([expect.objectContaining({ from: 'Virtual/Inventory adjustment', to: 'OS1/Stock', quantity: 10.25, unitCost: 3.5 })]);

    // Committing again is refused, and a commit whose cursor was lost (a crash after posting)
    // resumes by replaying its idempotent adjustments: the stock is not doubled.
    expect((await api.call('POST', `/api/v1/imports/${dryJob.id}/commit`, { mode: 'good-rows' })).status).toBe(409);
    await api.db.store.run((tx) => tx.updateTable('import_jobs').set({ status: 'committing', committed_through: 0, rows_committed: 0, rows_skipped: 0 }).where('id', '=', dryJob.id).execute());
    // The file is gone after a commit; put it back as the crashed process would have left it.
    const job = await api.db.store.read.selectFrom('import_jobs').select('file_path').where('id', '=', dryJob.id).executeTakeFirstOrThrow();
    writeFileSync(job.file_path, stock);
    const adjustments = (await api.call('GET', '/api/v1/inventory-adjustments')).body.items.length;
    expect((await api.call('POST', `/api/v1/imports/${dryJob.id}/commit`, { mode: 'good-rows' })).status).toBe(202);
    expect((await settle(dryJob.id)).job).toMatchObject({ status: 'committed', progress: { rowsCommitted: 3 } });
    expect(await onHand()).toEqual(expected);
    expect((await api.call('GET', '/api/v1/inventory-adjustments')).body.items.length).toBe(adjustments);
  });

  it('imports 100,000 items from a streamed CSV with visible progress', async () => {
    const path = join(dir, 'items-100k.csv');
    const out = createWriteStream(path);
    out.write('sku,name,unit,unitPrecision,category\n');
    for (let i = 1; i <= 100_000; i++) {
      const line = `BULK-${String(i).padStart(6, '0')},Bulk item ${i},pcs,${i % 4},cat-${i % 50}\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const items = await countItems();
    const started = Date.now();
    const created = await upload('items', createReadStream(path), '&fileName=items-100k.csv');
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const validation = await settle(created.body.id);
    const validatedAt = Date.now();
    expect(validation.job, JSON.stringify(validation.job)).toMatchObject({ status: 'validated', progress: { rowsRead: 100_000, rowsValid: 100_000, rowsInvalid: 0, percent: 100 } });
    // Progress is written chunk by chunk: polls saw it grow, never shrink.
    const rowsSeen = validation.seen.map((j) => j.progress.rowsRead as number);
    expect(rowsSeen).toEqual([...rowsSeen].sort((a, b) => a - b));
    expect(new Set(rowsSeen).size).toBeGreaterThan(2);

    expect((await api.call('POST', `/api/v1/imports/${created.body.id}/commit`, { mode: 'all' })).status).toBe(202);
    const commit = await settle(created.body.id);
    const committedAt = Date.now();
    expect(commit.job).toMatchObject({ status: 'committed', progress: { rowsCommitted: 100_000 } });
    const committedSeen = commit.seen.map((j) => j.progress.rowsCommitted as number);
    expect(committedSeen).toEqual([...committedSeen].sort((a, b) => a - b));
    expect(await countItems()).toBe(items + 100_000);
    const last = await api.call('GET', '/api/v1/items?q=BULK-100000');
    expect(last.body.items[0]).toMatchObject({ sku: 'BULK-100000', name: 'Bulk item 100000', unitPrecision: 0, category: 'cat-0' });
    console.log(`[${engine}] 100,000 items: upload+dry run ${validatedAt - started} ms, commit ${committedAt - validatedAt} ms`);
  }, 120_000);
});
