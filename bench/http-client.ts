/**
 * Load generator for http_confirm and flash_sale, run as its own process (forked by
 * http-confirm.ts) so that the clients do not share the server's event loop. Receives one
 * LoadRequest; says when the warm-up is over (so the server side can start its counters), then
 * answers one LoadReport.
 */
import { Pool } from 'undici';
import { now, randomInt, rng, round } from './support.js';

export interface LoadRequest {
  baseUrl: string;
  token: string;
  clients: number;
  warmupOrders: number;
  orders: number;
  warehouse: string;
  skus: string[];
  /** SKUs the warm-up orders use (default: `skus`); flash_sale keeps its scarce stock for the measured phase. */
  warmupSkus?: string[];
  /**
   * flash_sale: a confirm answering 409 insufficient-stock is an expected outcome (counted as
   * refused, its latencies recorded), not an error. Any other answer than 200 stays an error.
   */
  acceptInsufficientStock?: boolean;
}

/** Per SKU: orders created, confirmed (200) and refused (409 insufficient-stock) in the measured phase. */
export interface SkuOutcome {
  created: number;
  confirmed: number;
  refused: number;
}

export interface LoadReport {
  /** Orders completed as expected: confirmed, plus refused when acceptInsufficientStock. */
  orders: number;
  seconds: number;
  /** Create + confirm of one order, ms (confirmed and, when accepted, refused orders). */
  orderMs: number[];
  /** The confirm request alone, ms (confirmed and, when accepted, refused orders). */
  confirmMs: number[];
  /** The confirm request alone, ms, of confirmed orders only / of refused orders only. */
  confirmOkMs: number[];
  confirmRefusedMs: number[];
  confirmed: number;
  refused: number;
  bySku: Record<string, SkuOutcome>;
  /** Unexpected answers by "create 409" / "confirm 500" etc. */
  errors: Record<string, number>;
  /** CPU the client process used during the measured phase. */
  clientCpuSeconds: number;
}

/** undici's Pool (keep-alive, one connection per client) costs the client far less CPU than fetch. */
function poster(pool: Pool, token: string) {
  return async (path: string, body: unknown): Promise<{ status: number; text: string }> => {
    const res = await pool.request({
      path: `/api/v1${path}`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, text: await res.body.text() };
  };
}

/** A 409 whose problem type ends in insufficient-stock (not, say, a 409 conflict). */
function isInsufficientStock(answer: { status: number; text: string }): boolean {
  if (answer.status !== 409) return false;
  try {
    return String((JSON.parse(answer.text) as { type?: unknown }).type ?? '').endsWith(':insufficient-stock');
  } catch {
    return false;
  }
}

async function run(pool: Pool, request: LoadRequest, orders: number, record: boolean): Promise<LoadReport> {
  const post = poster(pool, request.token);
  const next = rng(record ? 23 : 29);
  const skus = record ? request.skus : (request.warmupSkus ?? request.skus);
  const orderMs: number[] = [];
  const confirmMs: number[] = [];
  const confirmOkMs: number[] = [];
  const confirmRefusedMs: number[] = [];
  const bySku: Record<string, SkuOutcome> = {};
  let confirmedCount = 0;
  let refusedCount = 0;
  const errors: Record<string, number> = {};
  const fail = (what: string) => void (errors[what] = (errors[what] ?? 0) + 1);
  let started = 0;
  const client = async () => {
    while (started < orders) {
      started++;
      const sku = skus[randomInt(next, skus.length)]!;
      const outcome = (bySku[sku] ??= { created: 0, confirmed: 0, refused: 0 });
      const t0 = now();
      const created = await post('/sales-orders', { customer: 'Bench customer', warehouse: request.warehouse, lines: [{ sku, quantity: 1 }] });
      if (created.status !== 201) {
        fail(`create ${created.status}`);
        continue;
      }
      outcome.created++;
      const id = (JSON.parse(created.text) as { id: number }).id;
      const t1 = now();
      const confirmed = await post(`/sales-orders/${id}/confirm`, undefined);
      const t2 = now();
      const ok = confirmed.status === 200;
      if (!ok && !(request.acceptInsufficientStock && isInsufficientStock(confirmed))) {
        fail(`confirm ${confirmed.status}${confirmed.status === 409 ? ' (not insufficient-stock)' : ''}`);
        continue;
      }
      if (ok) {
        outcome.confirmed++;
        confirmedCount++;
      } else {
        outcome.refused++;
        refusedCount++;
      }
      if (record) {
        orderMs.push(t2 - t0);
        confirmMs.push(t2 - t1);
        (ok ? confirmOkMs : confirmRefusedMs).push(t2 - t1);
      }
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(Array.from({ length: request.clients }, client));
  const seconds = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    orders: orderMs.length,
    seconds: round(seconds),
    orderMs,
    confirmMs,
    confirmOkMs,
    confirmRefusedMs,
    confirmed: confirmedCount,
    refused: refusedCount,
    bySku,
    errors,
    clientCpuSeconds: round((cpu.user + cpu.system) / 1e6),
  };
}

process.once('message', (message: { request: LoadRequest }) => {
  const { request } = message;
  void (async () => {
    const pool = new Pool(request.baseUrl, { connections: request.clients });
    await run(pool, request, request.warmupOrders, false);
    process.send!({ phase: 'measure' });
    const report = await run(pool, request, request.orders, true);
    await pool.close();
    process.send!({ phase: 'done', report }, () => process.exit(0));
  })().catch((error: unknown) => {
    process.stderr.write(`[bench] http client failed: ${String(error)}\n`);
    process.exit(1);
  });
});
