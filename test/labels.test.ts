import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

/**
 * The text a PDF shows, read back the way a viewer would: inflate the streams, map each font's
 * glyph codes through its ToUnicode CMap, and join the strings of every Tj/TJ. Enough for the PDFs
 * pdfkit writes (Type0 fonts with 2-byte codes); one line per text-showing operator.
 */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; stream?: string }>();
  for (const m of source.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    const body = m[2]!;
    const at = body.indexOf('stream');
    if (at < 0) {
      objects.set(m[1]!, { dict: body });
      continue;
    }
    const dict = body.slice(0, at);
    let data = body.slice(at + 6).replace(/^\r?\n/, '');
    data = data.slice(0, data.lastIndexOf('endstream')).replace(/\r?\n$/, '');
    const raw = Buffer.from(data, 'latin1');
    objects.set(m[1]!, { dict, stream: (dict.includes('/FlateDecode') ? inflateSync(raw) : raw).toString('latin1') });
  }
  const hexToUtf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  const cmaps = new Map<string, Map<number, string>>(); // font resource name -> code -> text
  for (const { dict } of objects.values()) {
    for (const ref of dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const font = objects.get(ref[2]!);
      const toUnicode = font?.dict.match(/\/ToUnicode (\d+) 0 R/)?.[1];
      const cmapText = toUnicode ? objects.get(toUnicode)?.stream : undefined;
      if (!cmapText || cmaps.has(ref[1]!)) continue;
      const map = new Map<number, string>();
      for (const block of cmapText.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
        for (const r of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
          const start = parseInt(r[1]!, 16);
          const end = parseInt(r[2]!, 16);
          if (r[3]!.startsWith('[')) [...r[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(start + i, hexToUtf16(d[1]!)));
          else for (let c = start, u = parseInt(r[3]!.slice(1, -1), 16); c <= end; c++, u++) map.set(c, String.fromCodePoint(u));
        }
      }
      for (const block of cmapText.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
        for (const r of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(r[1]!, 16), hexToUtf16(r[2]!));
      }
      cmaps.set(ref[1]!, map);
    }
  }
  const lines: string[] = [];
  for (const { dict, stream } of objects.values()) {
    if (!stream || /\/Subtype|\/Length1|CMap/.test(dict) || !/T[Jj]/.test(stream)) continue;
    let font: Map<number, string> | undefined;
    for (const op of stream.matchAll(/\/(F\d+) [\d.]+ Tf|(\[(?:[^\]]*)\]) TJ|<([0-9a-fA-F]*)> Tj/g)) {
      if (op[1]) font = cmaps.get(op[1]);
      const hexes = op[2] ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : op[3] !== undefined ? [op[3]] : [];
      if (hexes.length === 0) continue;
      const text = hexes.map((hex) => hex.match(/.{4}/g)?.map((code) => font?.get(parseInt(code, 16)) ?? '\ufffd').join('') ?? '').join('');
      lines.push(text);
    }
  }
  return lines.join('\n');
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe.each(ENGINES)('printable labels on %s', (engine) => {
  let api: TestApi;
  const V1 = '/api/v1';
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    api = await startTestApi(engine);
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await api.call(method, V1 + path, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    ids.bolt = (await ok('POST', '/items', { sku: 'BOLT-M8', name: '螺丝 Bolt M8', unit: 'pcs', barcode: '6901234567892', category: 'fasteners' })).id;
    ids.milk = (await ok('POST', '/items', { sku: 'MILK', name: '牛奶 Milk', unit: 'L', tracking: 'lot' })).id;
    ids.phone = (await ok('POST', '/items', { sku: 'PHONE', name: 'Phone X', unit: 'pcs', tracking: 'serial', barcode: '95012345678903' })).id;
    ids.tea = (await ok('POST', '/items', { sku: '茶叶-1', name: '龙井茶', unit: 'box' })).id;
    const wh = await ok('POST', '/warehouses', { code: 'WH1', name: '一号仓 Main' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A', kind: 'zone' });
    await ok('POST', `/warehouses/${wh.id}/locations`, { code: 'A-01', kind: 'bin', parent: 'WH1/Stock/A', name: '货架 A-01' });
    await ok('POST', '/inventory-adjustments', {
      warehouse: 'WH1',
      lines: [{ sku: 'MILK', quantity: 5, lot: 'L1', expiresOn: '2030-12-31' }, { sku: 'PHONE', quantity: 1, lot: 'SN-001' }],
    });
    const locations = (await ok('GET', `/locations?warehouse=${wh.id}`)).items as Array<{ id: number; code: string }>;
    ids.bin = locations.find((l) => l.code === 'WH1/Stock/A/A-01')!.id;
    ids.virtual = ((await ok('GET', '/locations?kind=scrap')).items as Array<{ id: number }>)[0]!.id;
    const lots = await api.db.store.read.selectFrom('lots').select(['id', 'code']).execute();
    ids.l1 = Number(lots.find((l) => l.code === 'L1')!.id);
    ids.sn = Number(lots.find((l) => l.code === 'SN-001')!.id);
  });
  afterAll(async () => {
    await api?.close();
  });

  const fetchPdf = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(api.baseUrl + V1 + path, { ...init, headers: { authorization: `Bearer ${api.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString()}`);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    return body;
  };

  it('prints an item with a GTIN as a GS1 label, one page per copy on roll sizes', async () => {
    const pdf = await fetchPdf(`/labels/items/${ids.bolt}?copies=3`);
    expect(pageCount(pdf)).toBe(3);
    const text = pdfText(pdf);
    expect(text).toContain('螺丝 Bolt M8');
    expect(text).toContain('BOLT-M8');
    expect(text).toContain('pcs · fasteners');
    expect(text).toContain('(01)06901234567892');
  });

  it('prints an item without a GTIN with its SKU as the barcode, in every symbology', async () => {
    for (const symbology of ['code128', 'qr', 'datamatrix']) {
      const text = pdfText(await fetchPdf(`/labels/items/${ids.milk}?symbology=${symbology}&size=60x40`));
      expect(text).toContain('牛奶 Milk');
      expect(text.split('\n')).toContain('MILK');
      expect(text).not.toContain('(01)');
    }
  });

  it('prints a bin label with the full location code', async () => {
    const text = pdfText(await fetchPdf(`/labels/locations/${ids.bin}?symbology=datamatrix&size=100x50`));
    expect(text.split('\n').filter((l) => l === 'WH1/Stock/A/A-01').length).toBe(2); // title and human-readable
    expect(text).toContain('货架 A-01');
    expect(text).toContain('WH1 一号仓 Main');
  });

  it('prints lot and serial labels with GS1 item, expiry and lot or serial', async () => {
    const lot = pdfText(await fetchPdf(`/labels/lots/${ids.l1}`));
    expect(lot).toContain('批次 Lot L1');
    expect(lot).toContain('有效期 EXP 2030-12-31');
    expect(lot).toContain('(240)MILK(17)301231(10)L1');
    const serial = pdfText(await fetchPdf(`/labels/lots/${ids.sn}?symbology=qr`));
    expect(serial).toContain('序列号 S/N SN-001');
    expect(serial.replace(/\n/g, '')).toContain('(01)95012345678903(21)SN-001'); // wrapped beside the QR code
  });

  it('prints a batch on A4 sheets of 24, lots named by sku and code', async () => {
    const pdf = await fetchPdf('/labels', {
      method: 'POST',
      body: JSON.stringify({
        size: 'a4-3x8', symbology: 'qr',
        labels: [{ item: ids.bolt, copies: 20 }, { location: ids.bin, copies: 4 }, { sku: 'MILK', lot: 'L1' }, { lot: ids.sn }, { item: ids.tea }],
      }),
    });
    expect(pageCount(pdf)).toBe(2); // 27 labels
    const text = pdfText(pdf).split('\n');
    expect(text.filter((l) => l === '螺丝 Bolt M8').length).toBe(20);
    expect(text.join('')).toContain('(240)MILK(17)301231(10)L1');
    expect(text).toContain('龙井茶');
    expect(text).toContain('茶叶-1'); // a 2D symbol carries a Chinese SKU as UTF-8
  });

  it('lists the sizes', async () => {
    const res = await api.call('GET', `${V1}/labels/sizes`);
    expect(res.status).toBe(200);
    expect(res.body.defaultSize).toBe('50x30');
    expect(res.body.sizes.find((s: { id: string }) => s.id === 'a4-3x8').perPage).toBe(24);
    expect(res.body.symbologies).toEqual(['code128', 'qr', 'datamatrix']);
    const openapi = (await api.call('GET', `${V1}/openapi.json`)).body;
    for (const path of ['/labels/items/{id}', '/labels/locations/{id}', '/labels/lots/{id}', '/labels', '/labels/sizes']) expect(Object.keys(openapi.paths)).toContain(V1 + path);
    expect(openapi.paths[`${V1}/labels/items/{id}`].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'symbology', 'size', 'copies']));
  });

  it('answers 404 for unknown ids, 422 for bad symbology, size, copies and batch lines, and writes nothing', async () => {
    const before = await snapshot(api.db.store);
    const cases: Array<[string, string, unknown, number, string?]> = [
      ['GET', '/labels/items/999999', undefined, 404],
      ['GET', '/labels/locations/999999', undefined, 404],
      ['GET', `/labels/locations/${ids.virtual}`, undefined, 404],
      ['GET', '/labels/lots/999999', undefined, 404],
      ['GET', '/labels/items/abc', undefined, 422, 'params.id'],
      ['GET', `/labels/items/${ids.bolt}?symbology=ean13`, undefined, 422, 'query.symbology'],
      ['GET', `/labels/items/${ids.bolt}?size=10x10`, undefined, 422, 'query.size'],
      ['GET', `/labels/items/${ids.bolt}?copies=0`, undefined, 422, 'query.copies'],
      ['GET', `/labels/items/${ids.bolt}?color=red`, undefined, 422],
      ['GET', `/labels/items/${ids.tea}?symbology=code128`, undefined, 422, 'symbology'],
      ['POST', '/labels', { labels: [{ item: ids.bolt }, { item: 999999 }] }, 422, 'labels.1.item'],
      ['POST', '/labels', { labels: [{ sku: 'MILK', lot: 'NOPE' }] }, 422, 'labels.0.lot'],
      ['POST', '/labels', { labels: [{ sku: 'NOPE', lot: 'L1' }] }, 422, 'labels.0.sku'],
      ['POST', '/labels', { labels: [{ item: ids.bolt, location: ids.bin }] }, 422, 'labels.0'],
      ['POST', '/labels', { labels: [{ lot: 'L1' }] }, 422, 'labels.0.sku'],
      ['POST', '/labels', { labels: [] }, 422, 'labels'],
      ['POST', '/labels', { symbology: 'pdf417', labels: [{ item: ids.bolt }] }, 422, 'symbology'],
      ['POST', '/labels', { labels: [{ item: ids.tea }] }, 422, 'labels.0'],
      ['POST', '/labels', { labels: Array.from({ length: 11 }, () => ({ item: ids.bolt, copies: 100 })) }, 422, 'labels'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await api.call(method, V1 + path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(res.body.type).toMatch(status === 404 ? /not-found$/ : /validation$/);
      if (field) expect(res.body.errors?.map((e: { field: string }) => e.field), `${path} ${JSON.stringify(body)}`).toContain(field);
    }
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('needs a token', async () => {
    const res = await fetch(`${api.baseUrl}${V1}/labels/items/${ids.bolt}`);
    expect(res.status).toBe(401);
  });
});
