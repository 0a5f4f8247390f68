/**
 * Load generator for http_confirm, run as its own process (forked by http-confirm.ts) so that the
 * clients do not share the server's event loop. Receives one LoadRequest; says when the warm-up is
 * over (so the server side can start its counters), then answers one LoadReport.
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
}

export interface LoadReport {
  orders: number;
  seconds: number;
  /** Create + confirm of one order, ms. */
  orderMs: number[];
  /** The confirm request alone, ms. */
  confirmMs: number[];
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

async function run(pool: Pool, request: LoadRequest, orders: number, record: boolean): Promise<LoadReport> {
  const post = poster(pool, request.token);
  const next = rng(record ? 23 : 29);
  const orderMs: number[] = [];
  const confirmMs: number[] = [];
  const errors: Record<string, number> = {};
  const fail = (what: string) => void (errors[what] = (errors[what] ?? 0) + 1);
  let started = 0;
  const client = async () => {
    while (started < orders) {
      started++;
      const sku = request.skus[randomInt(next, request.skus.length)]!;
      const t0 = now();
      const created = await post('/sales-orders', { customer: 'Bench customer', warehouse: request.warehouse, lines: [{ sku, quantity: 1 }] });
      if (created.status !== 201) {
        fail(`create ${created.status}`);
        continue;
      }
      const id = (JSON.parse(created.text) as { id: number }).id;
      const t1 = now();
      const confirmed = await post(`/sales-orders/${id}/confirm`, undefined);
      const t2 = now();
      if (confirmed.status !== 200) {
        fail(`confirm ${confirmed.status}`);
        continue;
      }
      if (record) {
        orderMs.push(t2 - t0);
        confirmMs.push(t2 - t1);
      }
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = now();
  await Promise.all(Array.from({ length: request.clients }, client));
  const seconds = (now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { orders: orderMs.length, seconds: round(seconds), orderMs, confirmMs, errors, clientCpuSeconds: round((cpu.user + cpu.system) / 1e6) };
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
