import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { hideCosts, isMoneyKey } from '../src/app/cost-visibility.js';

const V = '/api/v1';
/** What counts as money in a response: costs, prices, values, amounts, totals, margins, discounts. */
const MONEY = /cost|price|value|amount|total|margin|discount|valuation/i;
/** Counts, even under a money key (`totals.lines`), and a list page's `total` (matches beside `items`): not money. */
const COUNTS = new Set(['lines', 'pending', 'excluded', 'accurate', 'gainLines', 'lossLines', 'backordered']);
const isCount = (key: string, parent: object) => COUNTS.has(key) || (key === 'total' && Array.isArray((parent as { items?: unknown }).items));

/** Every money key that carries a number (or numeric text) anywhere in `body`, as paths. */
function moneyNumbers(body: unknown, path = '$', inMoney = false, out: string[] = []): string[] {
  if (typeof body === 'number') {
    if (inMoney) out.push(`${path}=${body}`);
  } else if (typeof body === 'string') {
    if (inMoney && /^-?\d+(\.\d+)?$/.test(body)) out.push(`${path}="${body}"`);
  } else if (Array.isArray(body)) {
    body.forEach((v, i) => moneyNumbers(v, `${path}[${i}]`, inMoney, out));
  } else if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) moneyNumbers(v, `${path}.${k}`, !isCount(k, body) && (inMoney || MONEY.test(k)), out);
  }
  return out;
}

type Schema = Record<string, any>;

/** Whether a JSON Schema (2020-12, as OpenAPI 3.1 uses) lets `null` through. */
function acceptsNull(s: Schema | boolean): boolean {
  if (typeof s === 'boolean') return s;
  if (s.type !== undefined && !(Array.isArray(s.type) ? s.type : [s.type]).includes('null')) return false;
  if (Array.isArray(s.enum) && !s.enum.includes(null)) return false;
  if ('const' in s && s.const !== null) return false;
  if (s.anyOf && !s.anyOf.some(acceptsNull)) return false;
  if (s.oneOf && s.oneOf.filter(acceptsNull).length !== 1) return false;
  if (s.allOf && !s.allOf.every(acceptsNull)) return false;
  return true;
}

/** The schemas that may describe `key` of an object under `s` (every union branch that has it); [] when unlisted and forbidden. */
function propertySchemas(s: Schema | boolean, key: string): Array<Schema | boolean> {
  if (typeof s === 'boolean') return [s];
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  if (branches.length) return branches.flatMap((b: Schema) => propertySchemas(b, key));
  if (s.properties?.[key] !== undefined) return [s.properties[key]];
  if (s.additionalProperties === false) return [];
  return [s.additionalProperties ?? true];
}

function itemSchemas(s: Schema | boolean): Array<Schema | boolean> {
  if (typeof s === 'boolean') return [s];
  const branches = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  if (branches.length) return branches.flatMap(itemSchemas);
  return [s.items ?? true];
}

/** Every null under a money key in `body` that none of the schemas for its place allows, as paths; counts the nulls checked. */
function disallowedMoneyNulls(body: unknown, schemas: Array<Schema | boolean>, path: string, inMoney: boolean, seen: { nulls: number }, out: string[] = []): string[] {
  if (body === null) {
    if (inMoney) {
      seen.nulls++;
      if (!schemas.some(acceptsNull)) out.push(path);
    }
  } else if (Array.isArray(body)) {
    const items = schemas.flatMap(itemSchemas);
    body.forEach((v, i) => disallowedMoneyNulls(v, items, `${path}[${i}]`, inMoney, seen, out));
  } else if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) disallowedMoneyNulls(v, schemas.flatMap((s) => propertySchemas(s, k)), `${path}.${k}`, inMoney || isMoneyKey(k), seen, out);
  }
  return out;
}

/** The OpenAPI path template a concrete path answers to: literal segments win over {params}. */
function templateOf(paths: string[], path: string): string | undefined {
  const parts = path.replace(/\?.*$/, '').split('/');
  const fits = paths.filter((t) => {
    const ts = t.split('/');
    return ts.length === parts.length && ts.every((seg, i) => seg === parts[i] || /^\{\w+\}$/.test(seg));
  });
  return fits.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

describe('hideCosts', () => {
  const viewer = { orgId: 1, userId: 2, username: 'v', role: 'viewer', requestId: 'r' };
  const admin = { ...viewer, role: 'admin' };
  const input = { sku: 'A', quantity: 5, unitCost: 2.5, total: 12, lines: [{ unitPrice: 3, amount: '15.5', costMethod: 'fifo' }], totals: { lines: 2, gainValue: 1 }, valuePercent: 50 };

  it('nulls money of roles without report.view_cost, keeping the shape and the input', () => {
    const hidden = hideCosts(input, viewer);
    expect(hidden).toEqual({ sku: 'A', quantity: 5, unitCost: null, total: null, lines: [{ unitPrice: null, amount: null, costMethod: 'fifo' }], totals: { lines: 2, gainValue: null }, valuePercent: null });
    expect(input.unitCost).toBe(2.5);
    expect(moneyNumbers(hidden)).toEqual([]);
  });
  it('keeps counts: the total of matches of a list page, and counts under a money key', () => {
    const page = { items: [{ sku: 'A', total: 7 }], total: 40 };
    expect(hideCosts(page, viewer)).toEqual({ items: [{ sku: 'A', total: null }], total: 40 });
    expect(hideCosts({ totals: { net: 5, backordered: 1 } }, viewer)).toEqual({ totals: { net: null, backordered: 1 } });
  });
  it('shows everything to roles with the right, custom roles included', () => {
    expect(hideCosts(input, admin)).toBe(input);
    expect(hideCosts(input, { ...viewer, role: 'auditor', permissions: new Set(['report.view_cost']) })).toBe(input);
    expect(hideCosts(input, { ...admin, permissions: new Set<string>() })).not.toBe(input);
  });
});

describe.each(ENGINES)('cost visibility on %s', (engine) => {
  let api: TestApi;
  let viewer: Record<string, string>;
  let clerk: Record<string, string>;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    api = await startTestApi(engine);
    const post = async (path: string, body?: unknown, status = 201) => {
      const res = await api.call('POST', V + path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(status);
      return res.body;
    };
    ids.wh = (await post('/warehouses', { code: 'CV', name: 'Costly' })).id;
    ids.item = (await post('/items', { sku: 'GOLD', name: 'Gold bar', unit: 'pcs' })).id;
    await post('/partners', { code: 'SUP', name: 'Supplier', kind: 'supplier' });
    await post('/partners', { code: 'CUS', name: 'Customer', kind: 'customer' });
    ids.adjustment = (await post('/inventory-adjustments', { warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 50, unitCost: 1234.5 }] })).id;
    ids.po = (await post('/purchase-orders', { supplier: 'SUP', warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 5, unitPrice: 1300 }] })).id;
    await post(`/purchase-orders/${ids.po}/submit`, undefined, 200);
    if ((await api.call('GET', `${V}/purchase-orders/${ids.po}`)).body.status === 'submitted') {
      await post('/users', { username: 'approver', password: 'approver-pass-1', role: 'manager' });
      expect((await api.call('POST', `${V}/purchase-orders/${ids.po}/approve`, undefined, { authorization: `Bearer ${await api.login('approver', 'approver-pass-1')}` })).status).toBe(200);
    }
    ids.receipt = (await post('/receipts', { purchaseOrder: ids.po, lines: [{ line: 1, quantity: 5 }] })).id;
    await post(`/receipts/${ids.receipt}/inspect`, { lines: [{ line: 1, accept: 4, reject: 1 }] }, 201);
    ids.supplierReturn = (await post('/supplier-returns', { supplier: 'SUP', warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 1 }] })).id;
    ids.scrap = (await post('/scraps', { warehouse: 'CV', reason: 'damaged', lines: [{ sku: 'GOLD', quantity: 1 }] })).id;
    ids.count = (await post('/stock-counts', { warehouse: 'CV', scope: { type: 'full' }, blind: false })).id;
    await post(`/stock-counts/${ids.count}/start`, undefined, 200);
    await post(`/stock-counts/${ids.count}/entries`, { entries: [{ location: 'CV/Stock', item: 'GOLD', quantity: 50 }] }, 200);
    const order = await post('/sales-orders', { customer: 'CUS', warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 2 }] });
    ids.order = order.id;
    await post(`/sales-orders/${order.id}/confirm`, undefined, 200);
    await post(`/sales-orders/${order.id}/ship`, undefined, 200);
    ids.salesReturn = (await post('/sales-returns', { salesOrder: order.id, lines: [{ line: 1, quantity: 1 }] })).id;
    await post('/users', { username: 'peek', password: 'viewer-pass-1', role: 'viewer' });
    viewer = { authorization: `Bearer ${await api.login('peek', 'viewer-pass-1')}` };
    await post('/users', { username: 'hands', password: 'clerk-pass-1', role: 'clerk' });
    clerk = { authorization: `Bearer ${await api.login('hands', 'clerk-pass-1')}` };
  });
  afterAll(async () => {
    await api?.close();
  });

  const detailPaths = () => [
    `/items/${ids.item}`, `/inventory-adjustments/${ids.adjustment}`, `/purchase-orders/${ids.po}`, `/receipts/${ids.receipt}`,
    `/supplier-returns/${ids.supplierReturn}`, `/scraps/${ids.scrap}`, `/stock-counts/${ids.count}`, `/stock-counts/${ids.count}/variances`,
    `/stock-counts/abc?warehouse=CV`, `/sales-orders/${ids.order}`, `/sales-returns/${ids.salesReturn}`, `/stock/summary?sku=GOLD`,
    '/moves?limit=1000', `/available-to-promise?sku=GOLD&warehouse=CV`, `/warehouses/${ids.wh}`,
  ];

  /** Every GET of the OpenAPI document without path parameters, plus the documents above. */
  async function everyGet(): Promise<string[]> {
    const openapi = (await (await fetch(`${api.baseUrl}${V}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const lists = Object.entries(openapi.paths).filter(([p, ops]) => ops.get && !p.includes('{')).map(([p]) => p.replace(V, ''));
    return [...new Set([...lists, ...detailPaths()])].filter((p) => p !== '/openapi.json');
  }

  it('a viewer sees no cost, price or value anywhere in the API; an admin does', async () => {
    const paths = await everyGet();
    expect(paths).toEqual(expect.arrayContaining(['/items', '/stock', '/moves', '/purchase-orders', '/receipts', '/inventory-adjustments', '/stock-counts', '/sales-returns']));
    const leaks: string[] = [];
    let adminMoney = 0;
    let viewed = 0;
    for (const path of paths) {
      const seen = await api.call('GET', V + path, undefined, viewer);
      if (seen.status === 200 && typeof seen.body === 'object') {
        viewed++;
        leaks.push(...moneyNumbers(seen.body).map((l) => `${path} ${l}`));
      }
      const full = await api.call('GET', V + path);
      if (full.status === 200) adminMoney += moneyNumbers(full.body).length;
    }
    expect(leaks).toEqual([]);
    expect(viewed).toBeGreaterThan(20);
    expect(adminMoney).toBeGreaterThan(20); // the same calls do carry money for the admin: the check can fail
  });

  it('the OpenAPI document allows every null a viewer gets for money (and declares e.g. order totals nullable)', async () => {
    const openapi = (await (await fetch(`${api.baseUrl}${V}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, Schema>> };
    expect(openapi.openapi).toMatch(/^3\.1\./); // nullable is written as type: [..., 'null']
    const responseSchema = (template: string, method = 'get', status = '200') => openapi.paths[template]?.[method]?.responses?.[status]?.content?.['application/json']?.schema as Schema | undefined;
    const templates = Object.keys(openapi.paths);
    const wrong: string[] = [];
    const seen = { nulls: 0 };
    let checked = 0;
    for (const path of await everyGet()) {
      const res = await api.call('GET', V + path, undefined, viewer);
      if (res.status !== 200 || typeof res.body !== 'object') continue;
      const template = templateOf(templates, V + path);
      const schema = template && responseSchema(template);
      if (!schema) continue;
      checked++;
      wrong.push(...disallowedMoneyNulls(res.body, [schema], '$', false, seen).map((p) => `GET ${path} ${p}`));
    }
    // A write's answer (201) is hidden the same way.
    const made = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 1, unitCost: 5 }] }, clerk);
    expect(made.status).toBe(201);
    wrong.push(...disallowedMoneyNulls(made.body, [responseSchema(`${V}/inventory-adjustments`, 'post', '201') ?? {}], '$', false, seen).map((p) => `POST /inventory-adjustments ${p}`));
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(20);
    expect(seen.nulls).toBeGreaterThan(20); // the viewer did get hidden money to check against the document

    const po = responseSchema(`${V}/purchase-orders/{id}`)!;
    expect(po.properties.total.type).toEqual(['number', 'null']);
    expect(po.properties.total.description).toMatch(/null when the caller may not see costs/i);
    expect(po.properties.lines.items.properties.unitPrice.type).toEqual(['number', 'null']);
    const so = responseSchema(`${V}/sales-orders/{id}`)!;
    expect(so.properties.totals.properties.net.type).toEqual(['number', 'null']);
    expect(so.properties.lines.items.properties.amount.type).toEqual(['number', 'null']);
    expect(responseSchema(`${V}/moves`)!.properties.items.items.properties.unitCost.type).toContain('null');
    // Counts are not money: a list page's number of matches, the lines with a backorder.
    expect(responseSchema(`${V}/items`)!.properties.total.type).toBe('integer');
    expect(so.properties.totals.properties.backordered.type).toBe('integer');
    // Requests are unchanged: a price sent must still be a number.
    const poBody = openapi.paths[`${V}/purchase-orders`]!.post!.requestBody.content['application/json'].schema;
    expect(poBody.properties.lines.items.properties.unitPrice.type).toBe('number');
  });

  it('the documents keep their shape: money fields are null for the viewer', async () => {
    const po = (await api.call('GET', `${V}/purchase-orders/${ids.po}`, undefined, viewer)).body;
    expect(po).toMatchObject({ total: null, lines: [{ sku: 'GOLD', quantity: 5, unitPrice: null, amount: null }] });
    const adminPo = (await api.call('GET', `${V}/purchase-orders/${ids.po}`)).body;
    expect(adminPo).toMatchObject({ total: 6500, lines: [{ unitPrice: 1300, amount: 6500 }] });
    const moves = (await api.call('GET', `${V}/moves?sku=GOLD`, undefined, clerk)).body.items;
    expect(moves.length).toBeGreaterThan(0);
    expect(moves.every((m: any) => m.unitCost === null && m.value === null && typeof m.quantity === 'number')).toBe(true);
  });

  it('writes answer without costs too (201 bodies), and PDFs still print', async () => {
    const res = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 1, unitCost: 999 }] }, clerk);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(moneyNumbers(res.body)).toEqual([]);
    const pdf = await api.call('GET', `${V}/purchase-orders/${ids.po}/pdf`, undefined, viewer);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
  });

  it('replays of an idempotent write hide costs as well', async () => {
    const body = { warehouse: 'CV', lines: [{ sku: 'GOLD', quantity: 1, unitCost: 777 }] };
    const first = await api.call('POST', `${V}/inventory-adjustments`, body, { ...clerk, 'idempotency-key': 'cv-1' });
    const again = await api.call('POST', `${V}/inventory-adjustments`, body, { ...clerk, 'idempotency-key': 'cv-1' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(moneyNumbers(again.body)).toEqual([]);
  });
});
